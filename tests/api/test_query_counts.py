"""A list costs the same number of queries for 5 objects as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pocdesk.stakeholders.models import Stakeholder
from tests.factories import AccountFactory, OpportunityFactory, POCFactory

# Token lookup, the user's profile (language), the user's teams, COUNT, the page,
# plus one prefetch of the competitors for opportunities.
EXPECTED_QUERIES = {"/pocs": 5, "/opportunities": 6, "/accounts": 5, "/stakeholders": 5}


def populate(team, owner, start: int, stop: int) -> None:
    for number in range(start, stop):
        account = AccountFactory(team=team, name=f"Customer {number:03}")
        opportunity = OpportunityFactory(account=account, owner=owner)
        opportunity.competitors.create(name=f"Rival {number}", position="level")
        POCFactory(opportunity=opportunity, owner=owner)
        boss = Stakeholder.objects.create(team=team, account=account, name=f"Boss {number:03}",
                                          role="executive_sponsor")
        Stakeholder.objects.filter(pk=boss.pk).update(reports_to=boss)  # every link loaded
        Stakeholder.objects.filter(pk=boss.pk).update(opportunity=opportunity)


def queries_for(api, path: str) -> tuple[int, int]:
    api.get(path)  # the first call of the minute also stamps the token's last use
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, {"page_size": 200})
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("path", sorted(EXPECTED_QUERIES))
def test_a_list_costs_a_constant_number_of_queries(team, engineer, api_as, path):
    api = api_as(engineer)
    populate(team, engineer, 0, 5)
    small = queries_for(api, path)
    populate(team, engineer, 5, 50)
    large = queries_for(api, path)

    assert small == (EXPECTED_QUERIES[path], 5)
    assert large == (EXPECTED_QUERIES[path], 50)
