"""Pages cost the same number of SQL queries whatever the amount of data behind them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pocdesk.core.events import event_record
from pocdesk.criteria.services import criterion_update
from pocdesk.opportunities.models import Competitor
from pocdesk.signoffs.services import plan_version_submit, signoff_record
from pocdesk.stakeholders.models import Stakeholder

from ..factories import (
    AccountFactory,
    OpportunityFactory,
    POCFactory,
    make_agreement,
    make_criterion,
    sign_both,
)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _make_pocs(count, *, opportunity, owner):
    for number in range(count):
        POCFactory(opportunity=opportunity, owner=owner, title=f"POC {number}")


def _make_opportunities(count, *, team, owner):
    for _number in range(count):
        account = AccountFactory(team=team)
        opportunity = OpportunityFactory(account=account, owner=owner)
        Competitor.objects.create(opportunity=opportunity, name="Rival", position="behind")


@pytest.mark.parametrize("name", ["web:poc_list", "web:home"])
def test_the_poc_pages_cost_the_same_for_5_and_50_pocs(client, engineer, opportunity, name):
    client.force_login(engineer)
    _make_pocs(5, opportunity=opportunity, owner=engineer)
    with_5 = _queries(client, reverse(name))
    _make_pocs(45, opportunity=opportunity, owner=engineer)

    with_50 = _queries(client, reverse(name))

    assert with_5 == with_50


def test_the_poc_detail_costs_the_same_for_5_and_50_events(client, engineer, poc):
    client.force_login(engineer)
    url = reverse("web:poc_detail", args=[poc.pk])
    for number in range(5):
        event_record(actor=engineer, verb="generic.changed", target=poc, poc=poc, data={"n": number})
    with_5 = _queries(client, url)
    for number in range(45):
        event_record(actor=engineer, verb="generic.changed", target=poc, poc=poc, data={"n": number})

    with_50 = _queries(client, url)

    assert with_5 == with_50


@pytest.mark.parametrize("name", ["web:opportunity_list", "web:account_list"])
def test_the_commercial_lists_cost_the_same_for_5_and_50_rows(client, sales, team, name):
    client.force_login(sales)
    _make_opportunities(5, team=team, owner=sales)
    with_5 = _queries(client, reverse(name))
    _make_opportunities(45, team=team, owner=sales)

    with_50 = _queries(client, reverse(name))

    assert with_5 == with_50


def test_the_opportunity_and_account_details_cost_the_same_for_5_and_50_pocs(client, sales,
                                                                            opportunity):
    client.force_login(sales)
    urls = [reverse("web:opportunity_detail", args=[opportunity.pk]),
            reverse("web:account_detail", args=[opportunity.account_id])]
    _make_pocs(5, opportunity=opportunity, owner=sales)
    with_5 = [_queries(client, url) for url in urls]
    _make_pocs(45, opportunity=opportunity, owner=sales)

    with_50 = [_queries(client, url) for url in urls]

    assert with_5 == with_50


def _planned_poc(opportunity, owner, *, criteria: int, versions: int):
    """A POC with `criteria` criteria whose latest of `versions` signed versions is current,
    and an agreement whose first version has the vendor's signature only."""
    poc = POCFactory(opportunity=opportunity, owner=owner, title=f"{criteria}/{versions}")
    first = make_criterion(poc)
    for number in range(1, criteria):
        make_criterion(poc, title=f"Criterion {number}", must_have=number % 2 == 0)
    for number in range(versions):
        if number:
            criterion_update(actor=owner, criterion=first, target_value=Decimal(120 + number))
        sign_both(plan_version_submit(actor=owner, poc=poc, kind="criteria"), actor=owner)
    make_agreement(poc, actor=owner)
    signoff_record(actor=owner, version=plan_version_submit(actor=owner, poc=poc,
                                                            kind="agreement"),
                   side="vendor", method="in_app")
    return poc


@pytest.mark.parametrize("name", ["web:poc_plan", "web:poc_detail"])
def test_the_plan_pages_cost_the_same_for_2_and_20_criteria(client, engineer, opportunity,
                                                            name):
    client.force_login(engineer)
    Stakeholder.objects.create(team=opportunity.team, account=opportunity.account,
                               name="Dana Sponsor", side="customer")
    few = _planned_poc(opportunity, engineer, criteria=2, versions=1)
    many = _planned_poc(opportunity, engineer, criteria=20, versions=1)
    _queries(client, reverse(name, args=[few.pk]))  # warm the per-process caches

    assert _queries(client, reverse(name, args=[few.pk])) == \
        _queries(client, reverse(name, args=[many.pk]))


@pytest.mark.parametrize("name", ["web:poc_plan", "web:poc_detail"])
def test_the_plan_pages_cost_the_same_for_1_and_5_versions(client, engineer, opportunity, name):
    client.force_login(engineer)
    one = _planned_poc(opportunity, engineer, criteria=3, versions=1)
    five = _planned_poc(opportunity, engineer, criteria=3, versions=5)
    _queries(client, reverse(name, args=[one.pk]))

    assert _queries(client, reverse(name, args=[one.pk])) == \
        _queries(client, reverse(name, args=[five.pk]))
