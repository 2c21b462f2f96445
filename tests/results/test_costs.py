"""Costs: the entry services, the cost summary (ratio edges, currencies) and the ROI sheet."""

import datetime
from decimal import Decimal

import pytest

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.opportunities.models import ExchangeRate
from pocdesk.pocs.models import POC, Status
from pocdesk.results.models import CostEntry, ResultsPolicy, RiskCost, RoleRate
from pocdesk.results.money import rates_to, to_reporting
from pocdesk.results.selectors import cost_summary, roi_sheet
from pocdesk.results.services import (
    cost_entry_create,
    cost_entry_delete,
    cost_entry_update,
    risk_costs_save,
    role_rate_save,
)
from tests.factories import make_agreement_cost_line, make_cost_entry


def _fresh(poc):
    return POC.objects.select_related("team", "opportunity").get(pk=poc.pk)


def _deal(poc, amount, currency="EUR", rate="1"):
    opportunity = poc.opportunity
    opportunity.amount, opportunity.currency = Decimal(amount), currency
    opportunity.exchange_rate = Decimal(rate)
    opportunity.save()
    return _fresh(poc)


# -- entries ----------------------------------------------------------------------------------

def test_labour_is_hours_times_the_role_rate(poc, engineer, manager, team):
    role_rate_save(actor=manager, team=team, role="Presales engineer", hourly_rate="95.50",
                   currency="EUR")

    entry = cost_entry_create(actor=engineer, poc=poc, category="labour",
                              description="Set-up on site", role="presales engineer",
                              hours="12.5")

    assert (entry.hourly_rate, entry.amount, entry.currency) == (
        Decimal("95.50"), Decimal("1193.75"), "EUR")
    assert entry.kind == "actual" and entry.recorded_by == engineer
    event = Event.objects.get(verb="cost.recorded")
    assert event.data["amount"] == "1193.75"
    assert "1193.75 EUR" in event.description


def test_labour_takes_the_rate_given_and_the_rates_currency(poc, engineer, manager, team):
    role_rate_save(actor=manager, team=team, role="Engineer", hourly_rate="700",
                   currency="CNY")

    mine = cost_entry_create(actor=engineer, poc=poc, category="labour", description="Report",
                             role="Engineer", hours="2", hourly_rate="80")
    theirs = cost_entry_create(actor=engineer, poc=poc, category="labour",
                               description="Tests", role="Engineer", hours="3")

    assert (mine.amount, mine.currency) == (Decimal("160.00"), "EUR")
    assert (theirs.amount, theirs.currency) == (Decimal("2100.00"), "CNY")


def test_labour_without_a_rate_names_the_role(poc, engineer):
    with pytest.raises(ValidationFailed) as refusal:
        cost_entry_create(actor=engineer, poc=poc, category="labour", description="Set-up",
                          role="Welder", hours="4")

    assert list(refusal.value.fields) == ["hourly_rate"]
    assert "Welder" in refusal.value.fields["hourly_rate"][0]
    assert not CostEntry.objects.exists()


@pytest.mark.parametrize(("fields", "field"), [
    ({"category": "travel", "description": "Flight"}, "amount"),
    ({"category": "travel", "description": "Flight", "amount": "-5"}, "amount"),
    ({"category": "travel", "description": "", "amount": "5"}, "description"),
    ({"category": "bribes", "description": "x", "amount": "5"}, "category"),
    ({"category": "travel", "description": "x", "amount": "5", "paid_by": "god"}, "paid_by"),
    ({"category": "travel", "description": "x", "amount": "5", "currency": "EURO"}, "currency"),
    ({"category": "travel", "description": "x", "amount": "5", "kind": "maybe"}, "kind"),
    ({"category": "labour", "description": "x", "hourly_rate": "5"}, "hours"),
])
def test_a_bad_cost_names_the_field(poc, engineer, fields, field):
    with pytest.raises(ValidationFailed) as refusal:
        cost_entry_create(actor=engineer, poc=poc, **fields)

    assert list(refusal.value.fields) == [field]
    assert not CostEntry.objects.exists()


def test_a_cost_is_corrected_and_deleted(poc, engineer):
    entry = cost_entry_create(actor=engineer, poc=poc, category="labour", description="Set-up",
                              hours="10", hourly_rate="50")

    entry = cost_entry_update(actor=engineer, entry=entry, hours="12")
    assert entry.amount == Decimal("600.00")
    entry = cost_entry_update(actor=engineer, entry=entry, category="travel", amount="300")
    assert (entry.amount, entry.hours, entry.hourly_rate, entry.role) == (
        Decimal("300"), None, None, "")
    assert Event.objects.filter(verb="cost.changed").count() == 2

    cost_entry_delete(actor=engineer, entry=entry)
    assert not CostEntry.objects.exists()
    assert Event.objects.filter(verb="cost.deleted").count() == 1


@pytest.mark.parametrize("status", ["draft", "running", "closed"])
def test_costs_are_recorded_on_any_poc_not_walked_away(poc, engineer, status):
    POC.objects.filter(pk=poc.pk).update(status=status)

    assert cost_entry_create(actor=engineer, poc=poc, category="travel", description="Train",
                             amount="80").pk


def test_a_poc_walked_away_from_has_no_costs(poc, engineer):
    POC.objects.filter(pk=poc.pk).update(status=Status.WALKED_AWAY)

    with pytest.raises(ApplicationError) as refusal:
        cost_entry_create(actor=engineer, poc=poc, category="travel", description="Train",
                          amount="80")

    assert (refusal.value.code, refusal.value.status) == ("poc_walked_away", 409)
    with pytest.raises(ApplicationError):
        risk_costs_save(actor=engineer, poc=poc, rows=[])


def test_the_roi_sheet_freezes_when_the_poc_closes_while_cost_lines_stay_open(poc, engineer):
    risk_costs_save(actor=engineer, poc=poc, rows=[
        {"description": "Façade damage", "probability": "10", "impact": "1000",
         "currency": "EUR"}])
    POC.objects.filter(pk=poc.pk).update(status=Status.CLOSED)

    with pytest.raises(ApplicationError) as refusal:
        risk_costs_save(actor=engineer, poc=poc, rows=[])

    assert (refusal.value.code, refusal.value.status) == ("poc_closed", 409)
    assert RiskCost.objects.filter(poc=poc).count() == 1
    assert cost_entry_create(actor=engineer, poc=poc, category="travel", description="Train",
                             amount="80").pk


@pytest.mark.parametrize(("actor_name", "allowed"), [
    ("anonymous", False), ("outsider", False), ("sales", True), ("engineer", True),
    ("manager", True), ("admin", True)])
def test_who_may_record_costs(poc, actors, actor_name, allowed):
    actor = actors[actor_name]
    if allowed:
        assert cost_entry_create(actor=actor, poc=poc, category="travel", description="Taxi",
                                 amount="30").pk
    else:
        with pytest.raises(PermissionDenied):
            cost_entry_create(actor=actor, poc=poc, category="travel", description="Taxi",
                              amount="30")
        assert not CostEntry.objects.exists()
        assert not Event.objects.filter(verb="cost.recorded").exists()


@pytest.mark.parametrize(("fields", "field"), [
    ({"category": "labour", "description": "Set-up", "hours": "99999999",
      "hourly_rate": "99999999"}, "hours"),
    ({"category": "labour", "description": "Set-up", "hours": "10",
      "hourly_rate": "999999999"}, "hourly_rate"),
    ({"category": "labour", "description": "Set-up", "hours": "9999999",
      "hourly_rate": "99999999"}, "amount"),  # each part fits, their product does not
    ({"category": "labour", "description": "Set-up", "hours": "1.25",
      "hourly_rate": "1"}, "hours"),
    ({"category": "travel", "description": "Charter", "amount": "99999999999999999"},
     "amount"),
    ({"category": "travel", "description": "Charter", "amount": "1.005"}, "amount"),
    ({"category": "travel", "description": "Charter", "amount": "NaN"}, "amount"),
    ({"category": "travel", "description": "x" * 301, "amount": "5"}, "description"),
])
def test_a_number_beyond_the_field_names_it_and_saves_nothing(poc, engineer, fields, field):
    with pytest.raises(ValidationFailed) as refusal:
        cost_entry_create(actor=engineer, poc=poc, **fields)

    assert list(refusal.value.fields) == [field]
    assert not CostEntry.objects.exists()
    assert not Event.objects.exists()


def test_a_correction_beyond_the_field_changes_nothing(poc, engineer):
    entry = cost_entry_create(actor=engineer, poc=poc, category="labour", description="Set-up",
                              hours="10", hourly_rate="50")

    with pytest.raises(ValidationFailed) as refusal:
        cost_entry_update(actor=engineer, entry=entry, hours="9999999", hourly_rate="99999999")

    assert list(refusal.value.fields) == ["amount"]
    entry.refresh_from_db()
    assert (entry.hours, entry.hourly_rate, entry.amount) == (
        Decimal("10.0"), Decimal("50.00"), Decimal("500.00"))
    assert not Event.objects.filter(verb="cost.changed").exists()


def test_a_bad_choice_names_the_choices_by_their_labels(poc, engineer):
    with pytest.raises(ValidationFailed) as refusal:
        cost_entry_create(actor=engineer, poc=poc, category="travel", description="x",
                          amount="5", paid_by="god")

    assert refusal.value.fields == {"paid_by": ["Choose one of: Vendor, Customer, Shared."]}


def test_only_a_manager_sets_role_rates(team, engineer, manager):
    with pytest.raises(PermissionDenied):
        role_rate_save(actor=engineer, team=team, role="Engineer", hourly_rate="1",
                       currency="EUR")
    role_rate_save(actor=manager, team=team, role="Engineer", hourly_rate="90",
                   currency="EUR")
    rate = role_rate_save(actor=manager, team=team, role="engineer", hourly_rate="95",
                          currency="EUR")

    assert RoleRate.objects.get().hourly_rate == Decimal("95")
    assert rate.role == "engineer"
    with pytest.raises(ValidationFailed) as refusal:
        role_rate_save(actor=manager, team=team, role="", hourly_rate="-1", currency="EU")
    assert set(refusal.value.fields) == {"role", "hourly_rate", "currency"}


# -- the cost summary -------------------------------------------------------------------------

def test_planned_comes_from_the_agreement_and_planned_entries(poc):
    poc = _deal(poc, "100000")
    make_agreement_cost_line(poc, amount=Decimal("2000"))
    make_cost_entry(poc, kind="planned", category="labour", amount=Decimal("1000"),
                    paid_by="shared")

    costs = cost_summary(poc=poc)

    assert [line["source"] for line in costs.planned_lines] == ["agreement", "entry"]
    assert costs.planned_total == Decimal("3000.00")
    assert costs.actual_total == Decimal("0.00")
    assert costs.basis == "planned"
    assert costs.ratio == Decimal("3.00")
    assert costs.vendor_total == Decimal("2500.00")
    assert costs.by_payer == {"vendor": Decimal("2000.00"), "customer": Decimal("0.00"),
                              "shared": Decimal("1000.00")}
    assert [(row["category"], row["planned"], row["actual"]) for row in costs.by_category] == [
        ("materials", Decimal("2000.00"), Decimal("0.00")),
        ("labour", Decimal("1000.00"), Decimal("0.00"))]
    assert costs.planned_lines[0]["category_label"] == "Materials"
    assert costs.planned_lines[1]["paid_by_label"] == "Shared"


def test_the_actual_costs_are_the_basis_once_recorded(poc):
    poc = _deal(poc, "100000")
    make_agreement_cost_line(poc, amount=Decimal("9000"))
    make_cost_entry(poc, amount=Decimal("1500"), paid_by="customer")

    costs = cost_summary(poc=poc)

    assert costs.basis == "actual"
    assert costs.total == Decimal("1500.00")
    assert costs.ratio == Decimal("1.50")
    assert costs.vendor_total == Decimal("0.00")


@pytest.mark.parametrize(("amount", "above", "ratio"), [
    ("5000.00", False, Decimal("5.00")),  # exactly at the threshold: not above
    ("5000.01", True, Decimal("5.00")),  # just above: warned (the ratio shows rounded)
    ("5010.00", True, Decimal("5.01")),
    ("4999.99", False, Decimal("5.00")),
])
def test_the_cost_ratio_warning_edges(poc, amount, above, ratio):
    poc = _deal(poc, "100000")
    make_cost_entry(poc, amount=Decimal(amount))

    costs = cost_summary(poc=poc)

    assert (costs.ratio, costs.above_threshold, costs.threshold) == (ratio, above, Decimal(5))


def test_the_team_threshold_applies(poc, team):
    ResultsPolicy.objects.create(team=team, cost_ratio_threshold=Decimal("1"))
    poc = _deal(poc, "100000")
    make_cost_entry(poc, amount=Decimal("1500"))

    costs = cost_summary(poc=poc)

    assert (costs.threshold, costs.above_threshold) == (Decimal("1.00"), True)


def test_no_deal_amount_gives_no_ratio(poc):
    poc = _deal(poc, "0")
    make_cost_entry(poc, amount=Decimal("1500"))

    costs = cost_summary(poc=poc)

    assert costs.ratio is None
    assert costs.above_threshold is False


def test_costs_in_three_currencies(poc, team):
    # The deal is in USD at its own rate 0.90; CNY and GBP come from the rate table.
    poc = _deal(poc, "200000", currency="USD", rate="0.90")
    today = datetime.date.today()
    ExchangeRate.objects.create(currency="CNY", reporting_currency="EUR", rate=Decimal("0.12"),
                                valid_from=today - datetime.timedelta(days=30))
    ExchangeRate.objects.create(currency="CNY", reporting_currency="EUR", rate=Decimal("0.13"),
                                valid_from=today - datetime.timedelta(days=1))
    ExchangeRate.objects.create(currency="CNY", reporting_currency="EUR", rate=Decimal("0.50"),
                                valid_from=today + datetime.timedelta(days=10))  # not yet
    ExchangeRate.objects.create(currency="USD", reporting_currency="EUR", rate=Decimal("0.80"),
                                valid_from=today)  # ignored: the deal's own rate applies
    make_cost_entry(poc, amount=Decimal("1000"), currency="EUR")
    make_cost_entry(poc, amount=Decimal("2000"), currency="USD")
    make_cost_entry(poc, amount=Decimal("10000"), currency="CNY")

    costs = cost_summary(poc=poc)

    assert [line["amount_reporting"] for line in costs.actual_lines] == [
        Decimal("1000.00"), Decimal("1800.00"), Decimal("1300.00")]
    assert costs.actual_total == Decimal("4100.00")
    assert costs.deal_amount == Decimal("180000.00")
    assert costs.ratio == Decimal("2.28")
    assert costs.currency == "EUR"
    assert costs.missing_rates == []


def test_a_missing_rate_is_reported_and_gives_no_ratio(poc):
    poc = _deal(poc, "100000")
    make_cost_entry(poc, amount=Decimal("1000"))
    make_cost_entry(poc, amount=Decimal("1000"), currency="JPY")

    costs = cost_summary(poc=poc)

    assert costs.missing_rates == ["JPY"]
    assert costs.actual_lines[1]["amount_reporting"] is None
    assert (costs.actual_total, costs.total, costs.ratio) == (None, None, None)
    assert costs.above_threshold is False


def test_the_cost_summary_costs_a_constant_number_of_queries(poc, django_assert_num_queries):
    poc = _deal(poc, "100000")
    ExchangeRate.objects.create(currency="CNY", reporting_currency="EUR", rate=Decimal("0.13"))
    make_agreement_cost_line(poc)
    make_cost_entry(poc, currency="CNY")
    fresh = _fresh(poc)
    with django_assert_num_queries(4) as first:
        cost_summary(poc=fresh)
    for index in range(6):
        make_agreement_cost_line(poc, description=f"Line {index}", currency="USD"
                                 if index % 2 else "EUR")
        make_cost_entry(poc, kind="planned" if index % 2 else "actual", currency="CNY")
    fresh = _fresh(poc)
    with django_assert_num_queries(len(first.captured_queries)):
        costs = cost_summary(poc=fresh)
    assert len(costs.planned_lines) + len(costs.actual_lines) == 14
    assert costs.missing_rates == ["USD"]


def test_money_helpers(poc):
    poc = _deal(poc, "1000", currency="USD", rate="0.9")
    ExchangeRate.objects.create(currency="CNY", reporting_currency="EUR", rate=Decimal("0.13"))

    assert to_reporting(Decimal("10"), "USD", opportunity=poc.opportunity) == Decimal("9.00")
    assert to_reporting(Decimal("10"), "EUR", opportunity=poc.opportunity) == Decimal("10.00")
    assert to_reporting(Decimal("100"), "CNY", opportunity=poc.opportunity) == Decimal("13.00")
    assert to_reporting(Decimal("100"), "JPY", opportunity=poc.opportunity) is None
    assert rates_to("EUR") == {"CNY": Decimal("0.13"), "EUR": Decimal("1")}


# -- the ROI sheet ----------------------------------------------------------------------------

def test_the_roi_sheet(poc, engineer):
    poc = _deal(poc, "100000")
    make_cost_entry(poc, amount=Decimal("4000"))
    risk_costs_save(actor=engineer, poc=poc, rows=[
        {"description": "Line stops at peak", "probability": "20", "impact": "100000"},
        {"description": "Retrofit of the wrong fixtures", "probability": "50",
         "impact": "8000", "currency": "EUR"}])

    sheet = roi_sheet(poc=poc)

    assert [row["expected"] for row in sheet.risks] == [Decimal("20000.00"), Decimal("4000.00")]
    assert sheet.risk_total == Decimal("24000.00")
    assert sheet.poc_cost == Decimal("4000.00")
    assert sheet.net == Decimal("20000.00")
    assert sheet.multiple == Decimal("6.00")
    assert Event.objects.filter(verb="risk_costs.saved").count() == 1


def test_the_roi_multiple_needs_a_cost(poc, engineer):
    risk_costs_save(actor=engineer, poc=poc, rows=[
        {"description": "Outage", "probability": "10", "impact": "1000"}])

    sheet = roi_sheet(poc=poc)

    assert (sheet.poc_cost, sheet.multiple, sheet.net) == (Decimal("0.00"), None,
                                                           Decimal("100.00"))


def test_risk_costs_replace_the_set_and_name_bad_rows(poc, engineer):
    risk_costs_save(actor=engineer, poc=poc, rows=[
        {"description": "A", "probability": "10", "impact": "1"}])
    risk_costs_save(actor=engineer, poc=poc, rows=[
        {"description": "B", "probability": "10", "impact": "1"}])
    assert list(RiskCost.objects.values_list("description", flat=True)) == ["B"]

    with pytest.raises(ValidationFailed) as refusal:
        risk_costs_save(actor=engineer, poc=poc, rows=[
            {"description": "ok", "probability": "10", "impact": "1"},
            {"description": "", "probability": "101", "impact": "-1", "currency": "XX"}])

    assert set(refusal.value.fields) == {"rows.1.description", "rows.1.probability",
                                         "rows.1.impact", "rows.1.currency"}
    assert list(RiskCost.objects.values_list("description", flat=True)) == ["B"]


@pytest.mark.parametrize(("row", "field"), [
    ({"description": "Stop", "probability": "1000", "impact": "1"}, "rows.0.probability"),
    ({"description": "Stop", "probability": "10.125", "impact": "1"}, "rows.0.probability"),
    ({"description": "Stop", "probability": "10", "impact": "1e17"}, "rows.0.impact"),
])
def test_a_risk_beyond_the_field_names_it_and_saves_nothing(poc, engineer, row, field):
    with pytest.raises(ValidationFailed) as refusal:
        risk_costs_save(actor=engineer, poc=poc, rows=[row])

    assert list(refusal.value.fields) == [field]
    assert not RiskCost.objects.exists()
    assert not Event.objects.exists()


def test_a_role_rate_beyond_the_field_is_refused(team, manager):
    with pytest.raises(ValidationFailed) as refusal:
        role_rate_save(actor=manager, team=team, role="Engineer", hourly_rate="1e12",
                       currency="EUR")

    assert list(refusal.value.fields) == ["hourly_rate"]
    assert not RoleRate.objects.exists()
