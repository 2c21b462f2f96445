"""insights.priorities: the open deals ranked by expected value and by value per presales hour,
the engineers' load and the weighted forecast, on the hand-computed portfolio of
priorities_factories."""

import datetime
from decimal import Decimal

import pytest

from pocdesk.core.errors import PermissionDenied, ValidationFailed
from pocdesk.insights.priorities import order_by_value_per_hour, priorities
from pocdesk.opportunities.models import ExchangeRate

from ..factories import AccountFactory, OpportunityFactory, POCFactory
from .priorities_factories import deal, labour, make_many, make_portfolio, score


@pytest.fixture
def portfolio(team, other_team, engineer, sales):
    return make_portfolio(team, other_team, engineer=engineer, sales=sales)


def fresh(user):
    """The user as a new request would load it: no cached team roles."""
    return type(user).objects.get(pk=user.pk)


def test_deals_are_ranked_by_expected_value_then_the_unscored(portfolio, manager):
    result = priorities(actor=manager)

    assert result["currency"] == "EUR"
    assert result["missing_rates"] == []
    assert [(line["name"], line["amount"], line["probability"], line["expected_value"],
             line["rank_expected_value"]) for line in result["opportunities"]] == [
        ("Bridge", "180000.00", 0.5, "90000.00", 1),
        ("Airport", "100000.00", 0.6, "60000.00", 2),
        ("Campus", "50000.00", 0.8, "40000.00", 3),
        ("Depot", "70000.00", None, None, None),
    ]


def test_each_line_carries_the_score_the_hours_and_the_value_per_hour(portfolio, manager):
    lines = {line["name"]: line for line in priorities(actor=manager)["opportunities"]}

    assert [(name, lines[name]["remaining_hours"], lines[name]["hours_estimated"],
             lines[name]["value_per_hour"], lines[name]["rank_value_per_hour"])
            for name in ("Airport", "Bridge", "Campus", "Depot")] == [
        ("Airport", 60.0, False, "1000.00", 3),
        ("Bridge", 50.0, True, "1800.00", 2),
        ("Campus", 10.0, False, "4000.00", 1),
        ("Depot", 50.0, True, None, None),
    ]
    bridge = lines["Bridge"]
    assert (bridge["overridden"], bridge["estimator"], bridge["data_sufficiency"],
            bridge["data_sufficiency_label"], bridge["scored"]) == (
        True, "naive_bayes", "low", "Low", True)
    assert (lines["Airport"]["overridden"], lines["Depot"]["scored"],
            lines["Depot"]["estimator"], lines["Depot"]["data_sufficiency_label"]) == (
        False, False, None, None)
    assert bridge["id"] == portfolio["bridge"].pk
    assert bridge["account"]["name"] == "Aéroport de Lyon"
    assert (bridge["team"]["name"], bridge["owner"]["name"], bridge["stage"],
            bridge["expected_close_date"]) == ("Lighting", "Sales", "qualification",
                                               "2027-02-10")


def test_the_order_by_value_per_hour_keeps_the_unranked_last(portfolio, manager):
    lines = order_by_value_per_hour(priorities(actor=manager)["opportunities"])

    assert [line["name"] for line in lines] == ["Campus", "Bridge", "Airport", "Depot"]


def test_the_forecast_is_by_expected_close_month_for_the_scored_deals(portfolio, manager):
    result = priorities(actor=manager)

    assert result["forecast"] == [
        {"month": "2027-01", "amount": "150000.00", "expected_value": "100000.00", "count": 2},
        {"month": "2027-02", "amount": "180000.00", "expected_value": "90000.00", "count": 1},
    ]
    assert result["totals"] == {"pipeline": "400000.00", "weighted_pipeline": "190000.00",
                                "not_scored": 1, "overloaded_engineers": 1,
                                "opportunities": 4}


def test_an_engineer_above_the_team_maximum_is_overloaded_and_idle_ones_show(
        portfolio, manager, engineer):
    capacity = priorities(actor=manager)["capacity"]

    assert capacity == [
        {"engineer": {"id": engineer.pk, "name": "Engineer"}, "running": 4, "max": 2,
         "overloaded": True},
        {"engineer": {"id": portfolio["idle"].pk, "name": "Idle"}, "running": 0, "max": 2,
         "overloaded": False},
    ]


def test_without_a_policy_the_default_maximum_is_three(team, engineer, sales, manager):
    opportunity = OpportunityFactory(account=AccountFactory(team=team), owner=sales)
    for _number in range(3):
        POCFactory(opportunity=opportunity, owner=engineer, status="running")

    capacity = priorities(actor=manager)["capacity"]

    assert capacity == [{"engineer": {"id": engineer.pk, "name": "Engineer"}, "running": 3,
                         "max": 3, "overloaded": False}]
    assert priorities(actor=manager)["opportunities"][0]["remaining_hours"] == 40.0


def test_a_plan_fully_spent_leaves_no_hours_and_no_value_per_hour(team, engineer, sales,
                                                                   manager):
    opportunity = deal(AccountFactory(team=team), sales, "Spent", "1000",
                       datetime.date(2027, 5, 1))
    score(opportunity, 0.5)
    poc = POCFactory(opportunity=opportunity, owner=engineer, status="running",
                     planned_effort_hours=Decimal("10"))
    labour(poc, "10")

    (line,) = priorities(actor=manager)["opportunities"]

    assert (line["remaining_hours"], line["hours_estimated"], line["expected_value"],
            line["value_per_hour"], line["rank_expected_value"],
            line["rank_value_per_hour"]) == (0.0, False, "500.00", None, 1, None)


@pytest.mark.parametrize(("who", "names"), [
    ("engineer", ["Bridge", "Airport", "Campus", "Depot"]),
    ("sales", ["Bridge", "Airport", "Campus", "Depot"]),
    ("manager", ["Bridge", "Airport", "Campus", "Depot"]),
    ("outsider", ["Foreign"]),
])
def test_nobody_sees_another_teams_deals(portfolio, actors, who, names):
    result = priorities(actor=actors[who])

    assert [line["name"] for line in result["opportunities"]] == names


def test_the_outsider_sees_no_engineer_of_the_team(portfolio, outsider):
    assert priorities(actor=outsider)["capacity"] == []


def test_anonymous_is_refused(portfolio):
    with pytest.raises(PermissionDenied):
        priorities(actor=None)


def test_an_admin_sees_every_team_in_one_currency(portfolio, admin_user, other_team):
    other_team.reporting_currency = "USD"
    other_team.save()
    ExchangeRate.objects.create(currency="USD", reporting_currency="EUR",
                                rate=Decimal("0.9"), valid_from=datetime.date(2026, 1, 1))

    result = priorities(actor=admin_user)

    assert result["currency"] == "EUR"  # one team each: the first in alphabetical order
    assert [(line["name"], line["amount"], line["expected_value"])
            for line in result["opportunities"]] == [
        ("Bridge", "180000.00", "90000.00"), ("Airport", "100000.00", "60000.00"),
        ("Campus", "50000.00", "40000.00"), ("Foreign", "9000.00", "4500.00"),
        ("Depot", "70000.00", None)]
    assert result["forecast"][0] == {"month": "2027-01", "amount": "159000.00",
                                     "expected_value": "104500.00", "count": 3}


def test_an_amount_without_a_rate_is_left_out_and_its_currency_listed(
        portfolio, admin_user, other_team):
    other_team.reporting_currency = "USD"
    other_team.save()

    result = priorities(actor=admin_user)

    foreign = next(line for line in result["opportunities"] if line["name"] == "Foreign")
    assert (foreign["amount"], foreign["expected_value"], foreign["rank_expected_value"],
            foreign["probability"]) == (None, None, None, 0.5)
    assert [line["name"] for line in result["opportunities"]][-2:] == ["Foreign", "Depot"]
    assert result["missing_rates"] == ["USD"]
    assert result["totals"]["pipeline"] == "400000.00"


def test_the_team_filter_narrows_and_refuses_a_team_not_visible(portfolio, manager,
                                                                 other_team, team):
    assert len(priorities(actor=manager, team=team.pk)["opportunities"]) == 4
    with pytest.raises(ValidationFailed) as refused:
        priorities(actor=manager, team=other_team.pk)

    assert list(refused.value.fields) == ["team"]


def test_the_owner_filter_keeps_the_deals_owned_or_supported(portfolio, manager, engineer,
                                                             sales, outsider):
    supported = priorities(actor=manager, owner=engineer.pk)
    owned = priorities(actor=manager, owner=sales.pk)

    assert [line["name"] for line in supported["opportunities"]] == ["Airport", "Campus",
                                                                     "Depot"]
    assert [line["engineer"]["name"] for line in supported["capacity"]] == ["Engineer"]
    assert supported["filters"] == {"team": None, "owner": engineer.pk}
    assert len(owned["opportunities"]) == 4
    assert owned["capacity"] == []
    with pytest.raises(ValidationFailed) as refused:
        priorities(actor=manager, owner=outsider.pk)
    assert list(refused.value.fields) == ["owner"]


def test_money_is_summed_exactly(team, sales, manager):
    # 100 USD at 0.00035 is 0.035 EUR per deal: three make exactly 0.105, rounded half to
    # even (a binary floating-point sum gives 0.10500000000000001, which would round up).
    account = AccountFactory(team=team)
    for number in range(3):
        score(deal(account, sales, f"Small {number}", "100", datetime.date(2027, 1, 1),
                   currency="USD", exchange_rate=Decimal("0.00035")), 1.0)

    result = priorities(actor=manager)

    assert result["totals"]["pipeline"] == "0.10"
    assert result["forecast"][0]["expected_value"] == "0.10"


@pytest.mark.parametrize("count", [1, 30])
def test_the_query_count_does_not_grow_with_the_deals(team, other_team, engineer, sales,
                                                      manager, django_assert_num_queries,
                                                      count):
    make_many(team, sales, engineer, count)
    manager = fresh(manager)

    # roles, currency, rates, deals, forecast, running POCs, presales engineers
    with django_assert_num_queries(7):
        result = priorities(actor=manager)
    manager = fresh(manager)
    # + the owner check
    with django_assert_num_queries(8):
        priorities(actor=manager, owner=engineer.pk)

    assert len(result["opportunities"]) == count
    assert result["capacity"][0]["running"] == count
