"""reports/portfolio.py: every figure against a hand-computed set of POCs in two currencies,
team scoping, the filters, and a query count that does not grow with the POCs."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from pocdesk.agreements.models import Agreement, CostLine
from pocdesk.core.errors import ValidationFailed
from pocdesk.core.models import Event
from pocdesk.opportunities.models import ExchangeRate
from pocdesk.pocs.models import POC
from pocdesk.reports.portfolio import default_period, portfolio_figures, portfolio_filters
from pocdesk.results.models import CostEntry, ResultsPolicy
from pocdesk.timebox.models import Milestone

from ..factories import AccountFactory, OpportunityFactory, POCFactory, make_closable

TODAY = timezone.localdate()


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def moment(offset: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day(offset), datetime.time(12)))


@dataclass
class Portfolio:
    pocs: dict = field(default_factory=dict)


def make_poc(*, team, owner, title, status, industry="Lighting", amount="100000",
             currency="EUR", exchange_rate="1", start=None, end=None, changed=None,
             created=-200):
    account = AccountFactory(team=team, industry=industry)
    opportunity = OpportunityFactory(account=account, owner=owner, amount=Decimal(amount),
                                     currency=currency, exchange_rate=Decimal(exchange_rate))
    return POCFactory(opportunity=opportunity, owner=owner, title=title, status=status,
                      start_date=day(start) if start is not None else None,
                      end_date=day(end) if end is not None else None,
                      status_changed_at=moment(changed if changed is not None else -1),
                      created_at=moment(created))


def entered_evaluating(poc, offset: int) -> None:
    Event.objects.create(poc=poc, team=poc.team, verb="poc.transitioned", target_type="poc",
                         target_id=str(poc.pk), data={"from": "running", "to": "evaluating"},
                         created_at=moment(offset))


def cost(poc, amount, currency="EUR", kind="actual"):
    CostEntry.objects.create(poc=poc, kind=kind, category="materials", description="Cost",
                             amount=Decimal(amount), currency=currency)


def build_portfolio(*, team, other_team, engineer, outsider) -> Portfolio:
    """The hand-computed set (see the expected figures in the tests below).

    Lighting (EUR), owner `engineer`, a 4 percent cost threshold:
      A closed won, success: 100 000 EUR deal; start −60, end −20, evaluating on −15
        (drift +5, 45 days for 40 planned); closed −10; order 80 000 EUR; actual costs
        3 000 EUR + 1 000 USD (0.9 → 900) = 3 900 (a planned 10 000 is ignored): 3.9 percent.
      B closed lost (price), partial: 50 000 USD deal at the fixed rate 0.8 = 40 000 EUR;
        start −50, end −20, no event, last change −25 (drift −5, 25 days for 30); planned
        1 000 USD (deal currency: 0.8 → 800) + an agreement line of 1 200 EUR = 2 000: 5 percent,
        above the threshold.
      C closed no decision, failed: start −45, end −30, evaluating on −28 (drift +2, 17 for 15);
        closed −5; no cost.
      D running, end −3 (past its end by 3 days), a milestone 10 days late (red); 2 000 EUR of
        actual cost on a 100 000 EUR deal (2 percent).
      E running, end +10, a milestone 2 days late (amber).  F draft, no milestone (green).
      G closed 400 days ago: outside the period.
    Mining (USD), owner `outsider`, industry Mining:
      H closed won: 20 000 USD deal; start −30, end −10, evaluating on −8 (drift +2, 22 for
        20); closed −3; order 10 000 USD; 1 000 USD of actual cost (5 percent, not above 5).
    USD → EUR: 0.9.
    """
    ResultsPolicy.objects.create(team=team, cost_ratio_threshold=Decimal("4"))
    other_team.reporting_currency = "USD"
    other_team.save()
    ExchangeRate.objects.create(currency="USD", reporting_currency="EUR", rate=Decimal("0.9"),
                                valid_from=day(-1000))
    data = Portfolio()
    pocs = data.pocs
    pocs["A"] = make_poc(team=team, owner=engineer, title="A", status="closed", start=-60,
                         end=-20, changed=-10)
    entered_evaluating(pocs["A"], -15)
    make_closable(pocs["A"], commercial_result="won", technical_result="success",
                  order_value=Decimal("80000"))
    cost(pocs["A"], "3000")
    cost(pocs["A"], "1000", "USD")
    cost(pocs["A"], "10000", kind="planned")

    pocs["B"] = make_poc(team=team, owner=engineer, title="B", status="closed", amount="50000",
                         currency="USD", exchange_rate="0.8", start=-50, end=-20, changed=-25,
                         industry="Retail")
    make_closable(pocs["B"], commercial_result="lost", reason_code="price",
                  technical_result="partial", override_reason="Measured by hand.")
    cost(pocs["B"], "1000", "USD", kind="planned")
    agreement = Agreement.objects.create(poc=pocs["B"])
    CostLine.objects.create(agreement=agreement, description="Samples", amount=Decimal("1200"),
                            currency="EUR")

    pocs["C"] = make_poc(team=team, owner=engineer, title="C", status="closed", start=-45,
                         end=-30, changed=-5)
    entered_evaluating(pocs["C"], -28)
    make_closable(pocs["C"], commercial_result="no_decision", reason_code="no_decision",
                  technical_result="failed", override_reason="Measured by hand.")

    pocs["D"] = make_poc(team=team, owner=engineer, title="D", status="running", start=-40,
                         end=-3)
    Milestone.objects.create(poc=pocs["D"], due_date=day(-10), planned_date=day(-10))
    cost(pocs["D"], "2000")
    pocs["E"] = make_poc(team=team, owner=engineer, title="E", status="running", start=-10,
                         end=10)
    Milestone.objects.create(poc=pocs["E"], due_date=day(-2), planned_date=day(-2))
    Milestone.objects.create(poc=pocs["E"], due_date=day(-30), planned_date=day(-30),
                             status="done", completed_on=day(-30))
    pocs["F"] = make_poc(team=team, owner=engineer, title="F", status="draft")
    pocs["G"] = make_poc(team=team, owner=engineer, title="G", status="closed", changed=-400,
                         created=-500)
    make_closable(pocs["G"], commercial_result="won")

    pocs["H"] = make_poc(team=other_team, owner=outsider, title="H", status="closed",
                         amount="20000", currency="USD", start=-30, end=-10, changed=-3,
                         industry="Mining")
    entered_evaluating(pocs["H"], -8)
    make_closable(pocs["H"], commercial_result="won", technical_result="success",
                  order_value=Decimal("10000"))
    cost(pocs["H"], "1000", "USD")
    return data


@pytest.fixture
def portfolio(team, other_team, engineer, outsider, manager):
    return build_portfolio(team=team, other_team=other_team, engineer=engineer,
                           outsider=outsider)


def figures(actor, **filters):
    return portfolio_figures(actor=actor, filters=portfolio_filters(actor=actor, **filters))


def test_team_figures_match_the_hand_computed_ones(portfolio, manager):
    result = figures(manager)

    assert result["currency"] == "EUR"
    assert result["pocs"] == 6
    assert {k: v for k, v in result["status"].items() if v} == {
        "closed": 3, "running": 2, "draft": 1}
    assert result["open"] == 3
    assert result["health"] == {"on_track": 1, "at_risk": 1, "stalled": 1}
    assert result["past_end"] == {"count": 1, "average_days": 3.0}
    assert result["drift"] == {"finished": 3, "with_end_date": 3, "late": 2,
                               "late_share": 66.7, "average_days": 0.7}
    assert result["duration"] == {"count": 3, "actual_days": 29.0, "planned_days": 28.3}
    outcomes = result["outcomes"]
    assert outcomes["closed"] == 3
    assert outcomes["with_technical_result"] == 3
    assert outcomes["technical"] == {"success": 1, "partial": 1, "failed": 1}
    assert outcomes["commercial"] == {"won": 1, "lost": 1, "no_decision": 1,
                                      "qualified_out": 0, "abandoned": 0}
    assert (outcomes["technical_success_share"], outcomes["technical_partial_share"],
            outcomes["technical_failed_share"]) == (33.3, 33.3, 33.3)
    assert (outcomes["conversion"], outcomes["lost_share"],
            outcomes["no_decision_share"]) == (33.3, 33.3, 33.3)
    assert outcomes["order_value_won"] == "80000.00"
    assert result["cost"] == {"pocs": 3, "cost": "7900.00", "deal_amount": "240000.00",
                              "ratio": 3.29, "above_threshold": 1}
    assert [(row["code"], row["count"]) for row in result["reasons"]] == [
        ("price", 1), ("no_decision", 1)]
    assert result["reasons"][0]["label"] == "Price"
    assert result["missing_rates"] == []


def test_with_only_an_end_the_period_is_its_month_and_the_11_before(db, manager):
    filters = portfolio_filters(actor=manager, until=datetime.date(2025, 3, 14))

    assert filters.since == default_period(datetime.date(2025, 3, 14))[0] \
        == datetime.date(2024, 4, 1)
    assert portfolio_filters(actor=manager, until=datetime.date(1, 5, 1)).since \
        == datetime.date.min


def test_closes_by_month_cover_every_month_of_the_period(portfolio, manager):
    result = figures(manager)

    months = result["closes_by_month"]
    assert len(months) == 12
    assert months[0]["month"] == default_period()[0].strftime("%Y-%m")
    totals = {bucket: sum(month[bucket] for month in months)
              for bucket in ("won", "lost", "no_decision", "other")}
    assert totals == {"won": 1, "lost": 1, "no_decision": 1, "other": 0}
    by_month = {month["month"]: month for month in months}
    assert by_month[day(-10).strftime("%Y-%m")]["won"] == 1


def test_breakdowns_carry_the_same_figures_per_line(portfolio, manager):
    result = figures(manager)

    assert [(row["label"], row["pocs"]) for row in result["breakdowns"]["team"]] == [
        ("Lighting", 6)]
    assert [(row["label"], row["pocs"]) for row in result["breakdowns"]["owner"]] == [
        ("Engineer", 6)]
    industries = {row["label"]: row for row in result["breakdowns"]["industry"]}
    assert set(industries) == {"Lighting", "Retail"}
    retail = industries["Retail"]
    assert retail["outcomes"]["closed"] == 1
    assert retail["outcomes"]["lost_share"] == 100.0
    assert retail["cost"] == {"pocs": 1, "cost": "2000.00", "deal_amount": "40000.00",
                              "ratio": 5.0, "above_threshold": 1}
    lighting = industries["Lighting"]
    assert lighting["outcomes"]["conversion"] == 50.0
    assert lighting["cost"]["ratio"] == 2.95  # 5 900 / 200 000


def test_the_company_view_converts_each_team_into_one_currency(portfolio, admin_user):
    result = figures(admin_user)

    assert result["currency"] == "EUR"  # one team each: the first in order
    assert result["pocs"] == 7
    assert result["outcomes"]["closed"] == 4
    assert result["outcomes"]["conversion"] == 50.0
    assert result["outcomes"]["technical_success_share"] == 50.0
    assert result["outcomes"]["order_value_won"] == "89000.00"  # 80 000 + 10 000 USD × 0.9
    assert result["cost"] == {"pocs": 4, "cost": "8800.00", "deal_amount": "258000.00",
                              "ratio": 3.41, "above_threshold": 1}
    assert result["drift"]["late"] == 3
    teams = {row["label"]: row for row in result["breakdowns"]["team"]}
    assert set(teams) == {"Lighting", "Mining"}
    assert teams["Mining"]["outcomes"]["order_value_won"] == "9000.00"


def test_an_outsider_sees_only_their_team_in_its_own_currency(portfolio, outsider):
    result = figures(outsider)

    assert result["currency"] == "USD"
    assert result["pocs"] == 1
    assert result["outcomes"]["order_value_won"] == "10000.00"
    assert result["cost"]["ratio"] == 5.0
    assert result["cost"]["above_threshold"] == 0  # 5 percent is not above 5
    assert [row["label"] for row in result["breakdowns"]["team"]] == ["Mining"]
    assert result["missing_rates"] == []


def test_a_missing_rate_is_named(portfolio, outsider):
    cost(portfolio.pocs["H"], "500", "GBP")

    result = figures(outsider)

    assert result["missing_rates"] == ["GBP"]
    assert result["cost"]["cost"] == "1000.00"


def test_an_order_in_a_currency_without_a_rate_is_named(portfolio, outsider):
    from pocdesk.results.models import PocResult

    PocResult.objects.filter(poc__team__in=outsider.teams.all(), commercial_result="won").update(
        order_currency="GBP")

    assert "GBP" in figures(outsider)["missing_rates"]


def test_filters_narrow_the_pocs(portfolio, admin_user, team, other_team, engineer):
    assert figures(admin_user, team=other_team.pk)["pocs"] == 1
    assert figures(admin_user, owner=engineer.pk)["pocs"] == 6
    assert figures(admin_user, industry="retail")["pocs"] == 1
    old = figures(admin_user, since=day(-420), until=day(-390))
    assert old["pocs"] == 1
    assert old["outcomes"]["closed"] == 1
    since, until = day(-420), day(-390)
    assert len(old["closes_by_month"]) == (until.year - since.year) * 12 + until.month \
        - since.month + 1  # one or two calendar months, depending on today
    assert [row["won"] for row in old["closes_by_month"]
            if row["month"] == day(-400).strftime("%Y-%m")] == [1]  # G
    recent = figures(admin_user, since=day(-7), until=TODAY)
    assert recent["outcomes"]["closed"] == 2  # C and H
    assert recent["drift"]["finished"] == 0


def test_bad_filters_are_refused_naming_the_field(portfolio, manager, other_team, outsider):
    with pytest.raises(ValidationFailed) as error:
        portfolio_filters(actor=manager, team=other_team.pk, owner=outsider.pk,
                          since=day(0), until=day(-1))
    assert set(error.value.fields) == {"team", "owner", "until"}
    with pytest.raises(ValidationFailed) as error:
        portfolio_filters(actor=manager, team="abc", owner="99999999")
    assert set(error.value.fields) == {"team", "owner"}


def test_nothing_matches(db, manager):
    result = figures(manager)

    assert result["pocs"] == 0
    assert result["outcomes"]["conversion"] is None
    assert result["cost"]["ratio"] is None
    assert result["drift"]["average_days"] is None
    assert result["breakdowns"] == {"team": [], "owner": [], "industry": []}


def _many(team, owner, count):
    for number in range(count):
        poc = make_poc(team=team, owner=owner, title=f"Many {number}", status="closed",
                       start=-30, end=-10, changed=-2, industry=f"Industry {number % 3}")
        entered_evaluating(poc, -9)
        make_closable(poc, commercial_result="won" if number % 2 else "lost",
                      reason_code=None if number % 2 else "price")
        cost(poc, "100")
        Milestone.objects.create(poc=poc, due_date=day(-10), planned_date=day(-10))


@pytest.mark.parametrize("count", [2, 10])
def test_the_query_count_does_not_grow_with_the_pocs(db, team, engineer, manager,
                                                     django_assert_num_queries, count):
    _many(team, engineer, count)
    filters = portfolio_filters(actor=manager)
    manager = type(manager).objects.get(pk=manager.pk)

    with django_assert_num_queries(6):
        result = portfolio_figures(actor=manager, filters=filters)
    assert result["outcomes"]["closed"] == count
    assert POC.objects.count() == count


def test_money_is_summed_exactly(db, team, engineer, manager):
    # 100 USD at 0.00035 is 0.035 EUR per POC: three make exactly 0.105, rounded half to even
    # (a binary floating-point sum gives 0.10500000000000001, which would round up).
    ExchangeRate.objects.create(currency="USD", reporting_currency="EUR",
                                rate=Decimal("0.00035"), valid_from=day(-10))
    for number in range(3):
        poc = make_poc(team=team, owner=engineer, title=f"Small {number}", status="running",
                       amount="100", start=-10, end=10, industry=f"Industry {number}")
        cost(poc, "100", "USD")

    result = figures(manager)

    assert result["cost"] == {"pocs": 3, "cost": "0.10", "deal_amount": "300.00",
                              "ratio": 0.04, "above_threshold": 0}
    assert [line["cost"]["cost"] for line in result["breakdowns"]["industry"]] == [
        "0.04", "0.04", "0.04"]


def test_lines_follow_the_labels_and_sum_to_the_headline(portfolio, admin_user):
    result = figures(admin_user)

    for name in ("team", "owner", "industry"):
        lines = result["breakdowns"][name]
        assert sum(line["pocs"] for line in lines) == result["pocs"]
        assert sum(line["outcomes"]["closed"] for line in lines) == result["outcomes"]["closed"]
    assert [line["label"] for line in result["breakdowns"]["industry"]] == sorted(
        line["label"] for line in result["breakdowns"]["industry"])
