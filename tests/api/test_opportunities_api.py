"""/api/v1/opportunities: money, competitors, close-date pushes; refusals change nothing."""

import datetime
from decimal import Decimal

import pytest

from pocdesk.core.models import Event
from pocdesk.opportunities.models import CloseDatePush, ExchangeRate, Opportunity
from tests.factories import OpportunityFactory


def opportunity_snapshot(opportunity):
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    return (opportunity.name, opportunity.amount, opportunity.currency, opportunity.exchange_rate,
            opportunity.expected_close_date, opportunity.stage, opportunity.owner_id,
            sorted(opportunity.competitors.values_list("name", "position")),
            CloseDatePush.objects.count(),
            Event.objects.filter(target_type="opportunity").count())


def test_an_opportunity_is_created_with_competitors_and_a_fixed_rate(account, sales, api_as):
    response = api_as(sales).post("/opportunities", {
        "account": account.pk, "name": "LED retrofit", "amount": "1000000", "currency": "cny",
        "exchange_rate": "0.13", "expected_close_date": "2027-03-31", "source": "tender",
        "competitors": [{"name": "Signify", "position": "behind"},
                        {"name": "Opple", "position": "ahead"}],
    })

    assert response.status_code == 201
    body = response.json()
    opportunity = Opportunity.objects.get()
    assert body["id"] == opportunity.pk
    assert (body["amount"], body["currency"], body["exchange_rate"], body["reporting_currency"],
            body["amount_in_reporting_currency"]) == (
        "1000000.00", "CNY", "0.13000000", "EUR", "130000.00")
    assert body["competitors"] == [{"name": "Opple", "position": "ahead"},
                                   {"name": "Signify", "position": "behind"}]
    assert (body["stage"], body["is_active"], body["source"], body["expected_close_date"]) == (
        "qualification", True, "tender", "2027-03-31")
    assert body["owner"]["username"] == "sales"
    assert (body["poc_count"], body["close_date_pushes"]) == (0, [])
    assert (opportunity.amount, opportunity.exchange_rate) == (Decimal("1000000.00"), Decimal("0.13"))


def test_the_recorded_rate_is_used_when_none_is_sent(account, sales, api_as):
    ExchangeRate.objects.create(currency="USD", reporting_currency="EUR", rate=Decimal("0.9"),
                                valid_from=datetime.date(2020, 1, 1))

    response = api_as(sales).post("/opportunities", {
        "account": account.pk, "name": "Mine", "amount": 5000.5, "currency": "USD",
        "expected_close_date": "2027-03-31"})

    assert response.status_code == 201
    assert (response.json()["amount"], response.json()["exchange_rate"]) == ("5000.50", "0.90000000")


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"currency": "USD"}, ["exchange_rate"]),
    ({"currency": "EURO"}, ["currency"]),
    ({"amount": "12345678901234567.00"}, ["amount"]),
    ({"amount": "1" * 400}, ["amount"]),
    ({"amount": "1e400"}, ["amount"]),
    ({"amount": "0.001"}, ["amount"]),
    ({"amount": -5}, ["amount"]),
    ({"amount": "a lot"}, ["amount"]),
    ({"amount": "NaN"}, ["amount"]),
    ({"exchange_rate": "-1"}, ["exchange_rate"]),
    ({"expected_close_date": "2027-02-30"}, ["expected_close_date"]),
    ({"expected_close_date": 20270331}, ["expected_close_date"]),
    ({"stage": "won"}, ["stage"]),
    ({"competitors": [{"name": "Signify", "position": "far ahead"}]}, ["competitors"]),
    ({"competitors": "Signify"}, ["competitors"]),
    ({"account": 10**30}, ["account"]),
])
def test_bad_opportunity_fields_are_named(account, sales, api_as, body, bad_fields):
    payload = {"account": account.pk, "name": "Deal", "amount": "1000", "currency": "EUR",
               "expected_close_date": "2027-03-31", **body}

    response = api_as(sales).post("/opportunities", payload)

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == bad_fields
    assert Opportunity.objects.count() == 0


def test_another_team_account_cannot_receive_an_opportunity(account, outsider, api_as):
    response = api_as(outsider).post("/opportunities", {
        "account": account.pk, "name": "Deal", "amount": "1", "currency": "EUR",
        "expected_close_date": "2027-03-31"})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["account"]
    assert Opportunity.objects.count() == 0


def test_moving_the_close_date_records_a_push(opportunity, sales, api_as):
    old_date = opportunity.expected_close_date
    new_date = old_date + datetime.timedelta(days=30)
    api = api_as(sales)

    response = api.patch(f"/opportunities/{opportunity.pk}", {
        "expected_close_date": new_date.isoformat(), "close_date_reason": "Budget moved to Q3"})

    assert response.status_code == 200
    push = CloseDatePush.objects.get()
    assert (push.opportunity, push.from_date, push.to_date, push.reason, push.pushed_by) == (
        opportunity, old_date, new_date, "Budget moved to Q3", sales)
    detail = api.get(f"/opportunities/{opportunity.pk}").json()
    assert detail["expected_close_date"] == new_date.isoformat()
    assert [(item["from_date"], item["to_date"], item["days"], item["reason"],
             item["pushed_by"]["username"]) for item in detail["close_date_pushes"]] == [
        (old_date.isoformat(), new_date.isoformat(), 30, "Budget moved to Q3", "sales")]


def test_patch_without_the_close_date_records_no_push(opportunity, sales, api_as):
    response = api_as(sales).patch(f"/opportunities/{opportunity.pk}",
                                   {"stage": "proposal", "amount": "300000"})

    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["amount"]) == ("proposal", "300000.00")
    assert CloseDatePush.objects.count() == 0


def test_patch_replaces_the_competitors(opportunity, sales, api_as):
    response = api_as(sales).patch(f"/opportunities/{opportunity.pk}",
                                   {"competitors": [{"name": "Zumtobel", "position": "level"}]})

    assert response.status_code == 200
    assert response.json()["competitors"] == [{"name": "Zumtobel", "position": "level"}]
    assert list(opportunity.competitors.values_list("name", "position")) == [("Zumtobel", "level")]


def test_patch_refusals_change_nothing(opportunity, sales, engineer, outsider, api_as):
    before = opportunity_snapshot(opportunity)
    new_date = {"expected_close_date": "2030-01-01"}

    forbidden = api_as(engineer).patch(f"/opportunities/{opportunity.pk}", new_date)
    invisible = api_as(outsider).patch(f"/opportunities/{opportunity.pk}", new_date)
    huge = api_as(sales).patch(f"/opportunities/{opportunity.pk}",
                               {"amount": "99999999999999999999", **new_date})
    foreign_owner = api_as(sales).patch(f"/opportunities/{opportunity.pk}",
                                        {"owner": outsider.pk, **new_date})
    null_owner = api_as(sales).patch(f"/opportunities/{opportunity.pk}", {"owner": None})

    assert [forbidden.status_code, invisible.status_code, huge.status_code,
            foreign_owner.status_code, null_owner.status_code] == [403, 404, 422, 422, 422]
    assert list(huge.json()["details"]["fields"]) == ["amount"]
    assert list(foreign_owner.json()["details"]["fields"]) == ["owner"]
    assert opportunity_snapshot(opportunity) == before


def test_the_list_filters_by_stage_and_activity(opportunity, account, sales, api_as):
    won = OpportunityFactory(account=account, owner=sales, name="Won deal", stage="closed_won")
    api = api_as(sales)

    active = api.get("/opportunities", {"active": "true"}).json()
    closed = api.get("/opportunities", {"active": "false"}).json()
    by_stage = api.get("/opportunities", {"stage": "closed_won"}).json()
    by_account = api.get("/opportunities", {"account": account.pk, "ordering": "name"}).json()

    assert [item["id"] for item in active["items"]] == [opportunity.pk]
    assert [item["id"] for item in closed["items"]] == [won.pk]
    assert [(item["id"], item["is_active"]) for item in by_stage["items"]] == [(won.pk, False)]
    assert (by_account["count"], [item["name"] for item in by_account["items"]]) == (
        2, ["Heritage lighting retrofit", "Won deal"])


def test_a_closed_opportunity_gets_no_poc(account, sales, engineer, api_as):
    won = OpportunityFactory(account=account, owner=sales, stage="closed_won")

    response = api_as(engineer).post("/pocs", {"opportunity": won.pk, "title": "T",
                                               "objective": "O"})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["opportunity"]
