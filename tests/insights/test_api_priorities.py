"""GET /api/v1/portfolio/priorities: the selector's figures, with the API's permissions."""

import pytest

from ..api.conftest import ApiClient
from .priorities_factories import make_portfolio


@pytest.fixture
def portfolio(team, other_team, engineer, sales):
    return make_portfolio(team, other_team, engineer=engineer, sales=sales)


def test_a_manager_gets_the_ranked_deals_capacity_and_forecast(api_as, portfolio, manager,
                                                               engineer):
    response = api_as(manager).get("/portfolio/priorities")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["currency"] == "EUR"
    assert [(line["name"], line["expected_value"], line["rank_expected_value"],
             line["rank_value_per_hour"]) for line in body["opportunities"]] == [
        ("Bridge", "90000.00", 1, 2), ("Airport", "60000.00", 2, 3),
        ("Campus", "40000.00", 3, 1), ("Depot", None, None, None)]
    bridge = body["opportunities"][0]
    assert (bridge["amount"], bridge["probability"], bridge["overridden"],
            bridge["remaining_hours"], bridge["hours_estimated"], bridge["value_per_hour"],
            bridge["expected_close_date"], bridge["team"]) == (
        "180000.00", 0.5, True, 50.0, True, "1800.00", "2027-02-10",
        {"id": portfolio["bridge"].team_id, "name": "Lighting", "currency": "EUR"})
    assert body["capacity"][0] == {"engineer": {"id": engineer.pk, "name": "Engineer"},
                                   "running": 4, "max": 2, "overloaded": True}
    assert body["forecast"] == [
        {"month": "2027-01", "amount": "150000.00", "expected_value": "100000.00", "count": 2},
        {"month": "2027-02", "amount": "180000.00", "expected_value": "90000.00", "count": 1}]
    assert body["totals"] == {"pipeline": "400000.00", "weighted_pipeline": "190000.00",
                              "not_scored": 1, "overloaded_engineers": 1, "opportunities": 4}


def test_filters_narrow_the_list(api_as, portfolio, manager, engineer, team):
    client = api_as(manager)

    by_owner = client.get("/portfolio/priorities", {"owner": engineer.pk}).json()
    by_team = client.get("/portfolio/priorities", {"team": team.pk}).json()

    assert [line["name"] for line in by_owner["opportunities"]] == ["Airport", "Campus",
                                                                    "Depot"]
    assert by_owner["filters"] == {"team": None, "owner": engineer.pk}
    assert len(by_team["opportunities"]) == 4


def test_another_team_is_never_shown(api_as, portfolio, outsider):
    body = api_as(outsider).get("/portfolio/priorities").json()

    assert [line["name"] for line in body["opportunities"]] == ["Foreign"]
    assert body["capacity"] == []


@pytest.mark.parametrize(("case", "field"), [
    ("not_a_number", "team"), ("zero", "owner"), ("other_team", "team"),
    ("outsider", "owner")])
def test_a_bad_filter_answers_422_naming_the_field(api_as, portfolio, manager, other_team,
                                                   outsider, case, field):
    params = {"not_a_number": {"team": "other"}, "zero": {"owner": "0"},
              "other_team": {"team": other_team.pk}, "outsider": {"owner": outsider.pk}}[case]

    response = api_as(manager).get("/portfolio/priorities", params)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert list(body["details"]["fields"]) == [field]


def test_without_a_token_the_answer_is_401(db, portfolio):
    response = ApiClient().get("/portfolio/priorities")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_operation_is_documented(api_as, manager):
    document = api_as(manager).get("/openapi.json").json()

    operation = document["paths"]["/api/v1/portfolio/priorities"]["get"]
    assert operation["operationId"] == "portfolio_priorities"
    assert operation["tags"] == ["Portfolio"]
    assert {"200", "401", "422"} <= set(operation["responses"])
    schema = document["components"]["schemas"]["PrioritiesOut"]
    assert set(schema["properties"]) == {"filters", "currency", "missing_rates", "totals",
                                         "opportunities", "capacity", "forecast"}
