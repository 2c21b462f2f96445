"""/api/v1/pocs/{id}/results, /retrospective, /costs, /cost-summary, /risk-costs and
/result-reasons: the contract of each endpoint."""

from decimal import Decimal

import pytest

from pocdesk.core.models import Event
from pocdesk.pocs.models import POC, Status
from pocdesk.results.models import CostEntry, Lesson, PocResult, RiskCost
from tests.factories import (
    make_agreement_cost_line,
    make_cost_entry,
    make_criterion,
    make_customer,
    make_log_entry,
    make_measurement,
)

LESSON = {"text": "Agree the data format first.", "industry": "Museums", "product": "Gateway",
          "criterion_type": "integration"}


@pytest.fixture
def evaluating(poc):
    make_measurement(make_criterion(poc), value=130)
    POC.objects.filter(pk=poc.pk).update(status=Status.EVALUATING)
    poc.refresh_from_db()
    return poc


def test_results_before_anything_is_recorded(api_as, engineer, evaluating):
    response = api_as(engineer).get(f"/pocs/{evaluating.pk}/results")

    assert response.status_code == 200
    body = response.json()
    assert body["recorded"] is False
    assert body["derived_technical_result"] == "success"
    assert body["derivation"]["result"] == "success"
    assert body["derivation"]["weighted_share"] == "100.00"
    assert body["derivation"]["must_have_failing"] == []
    assert [check["code"] for check in body["unmet"]] == [
        "technical_result_required", "commercial_result_required", "retrospective_required"]
    assert body["can_close"] is False


def test_record_results_then_close(api_as, engineer, evaluating):
    api = api_as(engineer)
    customer = make_customer(evaluating)

    response = api.put(f"/pocs/{evaluating.pk}/results", {
        "commercial_result": "won", "order_value": "180000.00", "order_date": "2026-04-01",
        "customer_confirmed_by": customer.pk, "strengths": "Fast."})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["technical_result"], body["commercial_result"], body["order_value"],
            body["order_currency"]) == ("success", "won", "180000.00", "EUR")
    assert body["customer_confirmed_by"] == {"id": customer.pk, "name": customer.name}
    assert body["updated_by"]["username"] == "engineer"

    response = api.put(f"/pocs/{evaluating.pk}/retrospective", {
        "went_well": "Sponsor engaged.", "to_improve": "Earlier export.", "lessons": [LESSON],
        "submit": True})
    assert response.status_code == 200, response.json()
    assert response.json()["submitted"] is True

    assert api.get(f"/pocs/{evaluating.pk}/results").json()["can_close"] is True
    response = api.post(f"/pocs/{evaluating.pk}/transition", {"to": "closed"})
    assert response.status_code == 200
    assert POC.objects.get(pk=evaluating.pk).status == Status.CLOSED

    response = api.put(f"/pocs/{evaluating.pk}/results", {"strengths": "Late edit"})
    assert (response.status_code, response.json()["code"]) == (409, "poc_closed")


def test_closing_is_refused_with_the_unmet_checks(api_as, engineer, evaluating):
    api = api_as(engineer)
    api.put(f"/pocs/{evaluating.pk}/results", {"commercial_result": "lost"})

    response = api.post(f"/pocs/{evaluating.pk}/transition", {"to": "closed"})

    assert response.status_code == 409
    assert response.json()["details"]["unmet"] == ["result_reason_required",
                                                   "retrospective_required"]
    assert POC.objects.get(pk=evaluating.pk).status == Status.EVALUATING


@pytest.mark.parametrize(("body", "field"), [
    ({"commercial_result": "sold"}, "commercial_result"),
    ({"reason": "moon_phase"}, "reason"),
    ({"order_value": "-3"}, "order_value"),
    ({"customer_confirmed_by": 999999}, "customer_confirmed_by"),
    ({"order_date": "tomorrow"}, "order_date"),
    ({"colour": "red"}, "colour"),
])
def test_bad_results_are_422_naming_the_field(api_as, engineer, evaluating, body, field):
    response = api_as(engineer).put(f"/pocs/{evaluating.pk}/results", body)

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == [field]
    assert not PocResult.objects.exists()


def test_results_refused_before_the_poc_runs(api_as, engineer, poc):
    response = api_as(engineer).put(f"/pocs/{poc.pk}/results", {"commercial_result": "won"})

    assert (response.status_code, response.json()["code"]) == (409, "not_running")


def test_sales_may_read_but_not_record_results(api_as, sales, evaluating):
    api = api_as(sales)

    assert api.get(f"/pocs/{evaluating.pk}/results").status_code == 200
    response = api.put(f"/pocs/{evaluating.pk}/results", {"commercial_result": "won"})
    assert response.status_code == 403
    assert not PocResult.objects.exists()


@pytest.mark.parametrize(("method", "path", "body"), [
    ("get", "/results", None), ("put", "/results", {"commercial_result": "won"}),
    ("get", "/retrospective", None), ("put", "/retrospective", {"went_well": "x"}),
    ("post", "/retrospective/carry-risks", None), ("get", "/costs", None),
    ("post", "/costs", {"category": "travel", "description": "Taxi", "amount": "3"}),
    ("get", "/cost-summary", None), ("put", "/risk-costs", {"rows": []}),
])
def test_an_outsider_gets_404(api_as, outsider, evaluating, method, path, body):
    api = api_as(outsider)
    url = f"/pocs/{evaluating.pk}{path}"
    response = getattr(api, method)(url) if body is None else getattr(api, method)(url, body)

    assert response.status_code == 404
    assert not Event.objects.filter(poc=evaluating).exists()


def test_anonymous_gets_401(anonymous_api, evaluating):
    assert anonymous_api.get(f"/pocs/{evaluating.pk}/results").status_code == 401


def test_a_body_that_is_not_json_is_400(api_as, engineer, evaluating):
    response = api_as(engineer).post(f"/pocs/{evaluating.pk}/costs", raw="{not json")

    assert response.status_code == 400


# -- retrospective ----------------------------------------------------------------------------

def test_the_retrospective_round_trip(api_as, engineer, evaluating):
    api = api_as(engineer)
    empty = api.get(f"/pocs/{evaluating.pk}/retrospective").json()
    assert empty == {"went_well": "", "to_improve": "", "submitted": False,
                     "submitted_at": None, "submitted_by": None, "lessons": []}
    entry = make_log_entry(evaluating, kind="risk", title="Dust", severity="high")

    response = api.post(f"/pocs/{evaluating.pk}/retrospective/carry-risks")
    assert response.status_code == 200
    lessons = response.json()["lessons"]
    assert [(row["kind"], row["text"], row["log_entry_id"], row["severity"])
            for row in lessons] == [("risk", "Dust", entry.pk, "high")]
    assert len(api.post(f"/pocs/{evaluating.pk}/retrospective/carry-risks")
               .json()["lessons"]) == 1

    response = api.put(f"/pocs/{evaluating.pk}/retrospective", {
        "went_well": "Good", "lessons": [
            {"key": lessons[0]["key"], "kind": "risk", "text": "Dust (sealed)",
             "log_entry": entry.pk, "severity": "high"}, LESSON]})
    assert response.status_code == 200
    body = response.json()
    assert [row["text"] for row in body["lessons"]] == ["Dust (sealed)", LESSON["text"]]
    assert body["lessons"][0]["key"] == lessons[0]["key"]
    assert body["submitted"] is False


def test_submitting_an_incomplete_retrospective_names_the_fields(api_as, engineer, evaluating):
    response = api_as(engineer).put(f"/pocs/{evaluating.pk}/retrospective", {"submit": True})

    assert response.status_code == 422
    assert set(response.json()["details"]["fields"]) == {"went_well", "to_improve", "lessons"}


def test_a_bad_lesson_row_is_named(api_as, engineer, evaluating):
    response = api_as(engineer).put(f"/pocs/{evaluating.pk}/retrospective", {
        "lessons": [LESSON, {"text": "x", "log_entry": 999999}]})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["lessons.1.log_entry"]
    assert not Lesson.objects.exists()


# -- costs ------------------------------------------------------------------------------------

def test_the_cost_entries_lifecycle(api_as, engineer, poc):
    api = api_as(engineer)

    response = api.post(f"/pocs/{poc.pk}/costs", {
        "category": "labour", "description": "Set-up", "hours": "10", "hourly_rate": "80",
        "incurred_on": "2026-03-01"})
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["amount"], created["currency"], created["kind"], created["paid_by"]) == (
        "800.00", "EUR", "actual", "vendor")

    response = api.patch(f"/pocs/{poc.pk}/costs/{created['id']}", {"hours": "12"})
    assert (response.status_code, response.json()["amount"]) == (200, "960.00")

    assert [row["id"] for row in api.get(f"/pocs/{poc.pk}/costs").json()] == [created["id"]]
    assert api.delete(f"/pocs/{poc.pk}/costs/{created['id']}").status_code == 204
    assert not CostEntry.objects.exists()
    assert api.delete(f"/pocs/{poc.pk}/costs/{created['id']}").status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"category": "labour", "description": "Set-up", "hours": "99999999",
      "hourly_rate": "99999999"}, "hours"),
    ({"category": "labour", "description": "Set-up", "hours": "9999999",
      "hourly_rate": "99999999"}, "amount"),
    ({"category": "travel", "description": "Charter", "amount": "99999999999999999"}, "amount"),
])
def test_a_cost_too_large_is_422_naming_the_field(api_as, engineer, poc, body, field):
    response = api_as(engineer).post(f"/pocs/{poc.pk}/costs", body)

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == [field]
    assert not CostEntry.objects.exists()


def test_too_large_results_and_risks_are_422(api_as, engineer, evaluating):
    api = api_as(engineer)

    response = api.put(f"/pocs/{evaluating.pk}/results", {"order_value": "1e20"})
    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["order_value"]
    assert not PocResult.objects.exists()

    response = api.put(f"/pocs/{evaluating.pk}/risk-costs", {"rows": [
        {"description": "Stop", "probability": "1000", "impact": "1"}]})
    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["rows.0.probability"]
    assert not RiskCost.objects.exists()


def test_a_cost_without_a_rate_is_422(api_as, engineer, poc):
    response = api_as(engineer).post(f"/pocs/{poc.pk}/costs", {
        "category": "labour", "description": "Welding", "role": "Welder", "hours": "3"})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["hourly_rate"]


def test_a_cost_of_another_poc_is_404(api_as, engineer, poc, other_team):
    from tests.factories import POCFactory

    stranger = make_cost_entry(POCFactory())

    response = api_as(engineer).patch(f"/pocs/{poc.pk}/costs/{stranger.pk}", {"amount": "1"})

    assert response.status_code == 404


def test_the_cost_summary_and_roi(api_as, engineer, poc):
    api = api_as(engineer)
    make_agreement_cost_line(poc, amount=Decimal("2000"))
    make_cost_entry(poc, amount=Decimal("6000"))

    response = api.put(f"/pocs/{poc.pk}/risk-costs", {"rows": [
        {"description": "Line stop", "probability": "25", "impact": "240000"}]})
    assert response.status_code == 200, response.json()
    body = response.json()
    costs, roi = body["costs"], body["roi"]
    assert (costs["basis"], costs["total"], costs["planned_total"], costs["ratio"],
            costs["above_threshold"], costs["threshold"]) == (
        "actual", "6000.00", "2000.00", "2.40", False, "5.00")
    assert costs["planned_lines"][0]["source"] == "agreement"
    assert (roi["risk_total"], roi["poc_cost"], roi["net"], roi["multiple"]) == (
        "60000.00", "6000.00", "54000.00", "10.00")
    assert api.get(f"/pocs/{poc.pk}/cost-summary").json() == body

    response = api.put(f"/pocs/{poc.pk}/risk-costs", {"rows": [
        {"description": "", "probability": "120", "impact": "1"}]})
    assert response.status_code == 422
    assert "rows.0.description" in response.json()["details"]["fields"]


def test_result_reasons(api_as, engineer):
    response = api_as(engineer).get("/result-reasons", **{"Accept-Language": "fr"})

    assert response.status_code == 200
    codes = [row["code"] for row in response.json()]
    assert codes[:2] == ["price", "missing_capability"]
    assert response.json()[:2] == [{"code": "price", "label": "Prix"},
                                   {"code": "missing_capability",
                                    "label": "Fonctionnalité manquante"}]


def test_result_reasons_follow_the_language(api_as, engineer):
    response = api_as(engineer).get("/result-reasons", **{"Accept-Language": "fr"})

    assert {"code": "price", "label": "Prix"} in response.json()


# -- query counts -----------------------------------------------------------------------------

def _grow(poc, engineer, size):
    for index in range(size):
        criterion = make_criterion(poc, title=f"C{index}", metric=f"m{index}", must_have=False,
                                   importance=1)
        make_measurement(criterion, value=200)
        make_cost_entry(poc, description=f"Cost {index}", currency="EUR" if index % 2 else "USD")
        make_agreement_cost_line(poc, description=f"Line {index}")
    make_log_entry(poc, kind="risk", title=f"Risk {size}")


def test_reading_results_and_costs_costs_constant_queries(
        api_as, engineer, evaluating, django_assert_num_queries, django_assert_max_num_queries):
    api = api_as(engineer)
    api.put(f"/pocs/{evaluating.pk}/risk-costs", {"rows": [
        {"description": "Stop", "probability": "10", "impact": "1000"}]})
    _grow(evaluating, engineer, 1)
    counts = {}
    for path in ("/results", "/cost-summary", "/retrospective"):
        with django_assert_max_num_queries(100) as context:
            assert api.get(f"/pocs/{evaluating.pk}{path}").status_code == 200
        counts[path] = len(context.captured_queries)
    _grow(evaluating, engineer, 5)
    for path, count in counts.items():
        with django_assert_num_queries(count):
            assert api.get(f"/pocs/{evaluating.pk}{path}").status_code == 200
