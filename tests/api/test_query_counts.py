"""A list costs the same number of queries for 5 objects as for 50 (and a POC's criteria
and versions for 2 criteria as for 20)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pocdesk.signoffs.services import plan_version_submit, signoff_record
from pocdesk.stakeholders.models import Stakeholder
from tests.factories import (
    AccountFactory,
    OpportunityFactory,
    POCFactory,
    make_criterion,
)

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


# Token, profile, the user's teams, the POC, COUNT, the page, plus for versions the
# prefetches of the signatures, their scans and their stakeholders.
PLAN_QUERIES = {"/criteria": 6, "/criteria/versions": 9}


def populate_plan(poc, actor, start: int, stop: int) -> None:
    """Criteria `start`…`stop` in the draft, then a new version signed by both sides, the
    customer's with a scan and a stakeholder (every link loaded)."""
    for number in range(start, stop):
        make_criterion(poc, title=f"Criterion {number:03}")
    version = plan_version_submit(actor=actor, poc=poc, kind="criteria")
    signoff_record(actor=actor, version=version, side="vendor", method="in_app")
    sponsor = Stakeholder.objects.create(team=poc.team, account=poc.opportunity.account,
                                         name=f"Sponsor {start}", role="executive_sponsor")
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    signoff_record(actor=actor, version=version, side="customer", method="scan",
                   stakeholder=sponsor, scan=scan)


@pytest.mark.parametrize("path", sorted(PLAN_QUERIES))
def test_the_plan_lists_cost_a_constant_number_of_queries(poc, engineer, api_as, path):
    api = api_as(engineer)
    populate_plan(poc, engineer, 0, 2)
    small = queries_for(api, f"/pocs/{poc.pk}{path}")
    populate_plan(poc, engineer, 2, 20)
    large = queries_for(api, f"/pocs/{poc.pk}{path}")

    counts = {"/criteria": (2, 20), "/criteria/versions": (1, 2)}[path]
    assert small == (PLAN_QUERIES[path], counts[0])
    assert large == (PLAN_QUERIES[path], counts[1])
