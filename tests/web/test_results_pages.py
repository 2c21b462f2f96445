"""The results page (§3 evaluating → closed, §9, §11.1): closing, the results form, costs and
the ROI sheet, the retrospective; read-only once closed; a constant number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pocdesk.pocs.models import POC, Status
from pocdesk.results.models import (
    CostEntry,
    Lesson,
    PocResult,
    Retrospective,
    RiskCost,
    RoleRate,
)

from ..factories import (
    make_closable,
    make_criterion,
    make_customer,
    make_log_entry,
    make_measurement,
)

pytestmark = pytest.mark.django_db


def _status(poc, status):
    POC.objects.filter(pk=poc.pk).update(status=status)
    poc.refresh_from_db()
    return poc


@pytest.fixture
def evaluating(poc):
    """An evaluating POC with one must-have passing and one nice-to-have failing."""
    throughput = make_criterion(poc)
    make_measurement(throughput, value=130)
    glare = make_criterion(poc, title="Glare", metric="ugr", unit="UGR", comparator="lte",
                           target_value=Decimal("19"), must_have=False, importance=3)
    make_measurement(glare, value=22)
    return _status(poc, Status.EVALUATING)


def _url(poc, name="web:poc_results", *args):
    return reverse(name, args=[poc.pk, *args])


def _lesson_data(rows, *, went_well="Sponsor present", to_improve="Data format",
                 action="submit", initial=0):
    data = {"went_well": went_well, "to_improve": to_improve, "action": action,
            "lessons-TOTAL_FORMS": str(len(rows)), "lessons-INITIAL_FORMS": str(initial),
            "lessons-MIN_NUM_FORMS": "0", "lessons-MAX_NUM_FORMS": "100"}
    for index, row in enumerate(rows):
        data.update({f"lessons-{index}-{name}": value for name, value in row.items()})
        data.setdefault(f"lessons-{index}-kind", "lesson")
    return data


# -- access -----------------------------------------------------------------------------------

def test_the_team_sees_the_page_with_the_derived_result_and_what_is_missing(client, engineer,
                                                                            evaluating):
    client.force_login(engineer)

    response = client.get(_url(evaluating))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="derived-result" data-value="partial"' in page
    assert "1 of 2 criteria passing" in page
    for code in ("commercial_result_required", "retrospective_required"):
        assert f'data-code="{code}"' in page
    assert 'data-testid="close-poc"' in page


def test_an_outsider_gets_a_404(client, outsider, evaluating):
    client.force_login(outsider)

    assert client.get(_url(evaluating)).status_code == 404
    response = client.post(_url(evaluating, "web:poc_result_save"), {"commercial_result": "won"})
    assert response.status_code == 404
    assert not PocResult.objects.exists()


def test_a_running_poc_offers_to_move_to_evaluating_first(client, engineer, poc):
    _status(poc, Status.RUNNING)
    client.force_login(engineer)

    page = client.get(_url(poc)).content.decode()

    assert 'data-testid="move-to-evaluating"' in page
    assert 'data-testid="close-poc"' not in page


def test_the_poc_page_shows_the_results_card_and_points_closing_to_the_results_page(
        client, engineer, evaluating):
    client.force_login(engineer)

    page = client.get(reverse("web:poc_detail", args=[evaluating.pk])).content.decode()

    assert 'data-testid="results-summary-card"' in page
    assert 'data-testid="transition-closed"' in page
    assert f'href="{_url(evaluating)}#close"' in page


def test_closing_from_the_poc_page_is_refused_with_a_link_to_the_results_page(
        client, engineer, evaluating):
    client.force_login(engineer)

    response = client.post(reverse("web:poc_transition", args=[evaluating.pk]),
                           {"to": "closed"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Fill in and submit the retrospective." in page
    assert 'data-testid="refusal-results-link"' in page


# -- the results form -------------------------------------------------------------------------

def test_the_results_form_saves_through_the_service(client, engineer, evaluating):
    customer = make_customer(evaluating)
    client.force_login(engineer)

    response = client.post(_url(evaluating, "web:poc_result_save"), {
        "technical_result": "success", "technical_override_reason": "Glare is cosmetic.",
        "commercial_result": "won", "order_value": "180000", "order_currency": "EUR",
        "order_date": "2026-11-30", "customer_confirmed_by": str(customer.pk),
        "customer_confirmed_on": "2026-11-28", "strengths": "Throughput 130 t/h, 8 percent "
        "above the target.", "next_step": "Order of 40 units."})

    assert response.status_code == 302
    result = PocResult.objects.get(poc=evaluating)
    assert (result.technical_result, result.derived_technical_result) == ("success", "partial")
    assert result.commercial_result == "won"
    assert result.order_value == Decimal("180000")
    assert result.customer_confirmed_by == customer
    assert result.updated_by == engineer


def test_a_bad_result_comes_back_with_the_error_under_its_field(client, engineer, evaluating):
    client.force_login(engineer)

    response = client.post(_url(evaluating, "web:poc_result_save"), {
        "commercial_result": "won", "order_value": "lots"})

    assert response.status_code == 400
    form = response.context["result_form"]
    assert form.errors["order_value"]
    assert 'id="id_result_order_value_errors"' in response.content.decode()
    assert not PocResult.objects.exists()


def test_a_customer_of_another_deal_is_refused_by_the_service(client, engineer, evaluating,
                                                              other_team):
    from ..factories import AccountFactory, OpportunityFactory, POCFactory

    stranger_poc = POCFactory(opportunity=OpportunityFactory(
        account=AccountFactory(team=evaluating.team)))
    stranger = make_customer(stranger_poc, name="Someone Else")
    client.force_login(engineer)

    response = client.post(_url(evaluating, "web:poc_result_save"), {
        "commercial_result": "lost", "reason": "price",
        "customer_confirmed_by": str(stranger.pk)})

    assert response.status_code == 400
    assert response.context["result_form"].errors["customer_confirmed_by"]
    assert not PocResult.objects.exists()


# -- closing ----------------------------------------------------------------------------------

def test_closing_is_refused_with_the_list_of_what_is_missing(client, engineer, evaluating):
    client.force_login(engineer)

    response = client.post(_url(evaluating, "web:poc_close"))

    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="close-refused"' in page
    assert "State the commercial result." in page
    assert "Fill in and submit the retrospective." in page
    evaluating.refresh_from_db()
    assert evaluating.status == Status.EVALUATING


def test_closing_when_everything_is_recorded_moves_the_poc_to_closed(client, engineer,
                                                                     evaluating):
    make_closable(evaluating)
    client.force_login(engineer)

    response = client.post(_url(evaluating, "web:poc_close"))

    assert response.status_code == 302
    evaluating.refresh_from_db()
    assert evaluating.status == Status.CLOSED


def test_a_closed_poc_is_read_only_except_for_cost_lines(client, engineer, evaluating):
    make_closable(evaluating)
    _status(evaluating, Status.CLOSED)
    client.force_login(engineer)

    page = client.get(_url(evaluating)).content.decode()

    assert 'data-testid="results-read-only"' in page
    assert 'data-testid="result-view"' in page
    assert 'data-testid="retrospective-view"' in page
    for form in ("result-form", "retrospective-form", "risk-form", "close-poc"):
        assert f'data-testid="{form}"' not in page
    assert 'data-testid="cost-form"' in page
    response = client.post(_url(evaluating, "web:poc_result_save"), {"commercial_result": "lost"})
    assert response.status_code == 302  # refused: a message on the page
    assert PocResult.objects.get(poc=evaluating).commercial_result == "won"
    response = client.post(_url(evaluating, "web:poc_cost_create"), {
        "kind": "actual", "category": "travel", "description": "Late invoice",
        "amount": "420", "currency": "EUR", "paid_by": "vendor"})
    assert response.status_code == 302
    assert CostEntry.objects.get(poc=evaluating).amount == Decimal("420")


# -- costs and the ROI sheet ------------------------------------------------------------------

def test_a_labour_line_uses_the_team_rate_for_its_role(client, engineer, evaluating):
    RoleRate.objects.create(team=evaluating.team, role="Field engineer",
                            hourly_rate=Decimal("85"), currency="EUR")
    client.force_login(engineer)

    response = client.post(_url(evaluating, "web:poc_cost_create"), {
        "kind": "actual", "category": "labour", "description": "Installation",
        "role": "Field engineer", "hours": "16", "paid_by": "vendor"})

    assert response.status_code == 302
    entry = CostEntry.objects.get(poc=evaluating)
    assert (entry.hourly_rate, entry.amount, entry.currency) == (
        Decimal("85"), Decimal("1360"), "EUR")
    page = client.get(_url(evaluating)).content.decode()
    assert 'data-testid="cost-line" data-source="entry"' in page


def test_a_labour_line_without_a_rate_comes_back_with_the_error(client, engineer, evaluating):
    client.force_login(engineer)

    response = client.post(_url(evaluating, "web:poc_cost_create"), {
        "kind": "actual", "category": "labour", "description": "Installation",
        "role": "Welder", "hours": "4", "paid_by": "vendor"})

    assert response.status_code == 400
    assert "Welder" in str(response.context["cost_form"].errors["hourly_rate"])
    assert not CostEntry.objects.exists()


def test_a_cost_line_is_edited_and_deleted(client, engineer, evaluating):
    entry = CostEntry.objects.create(poc=evaluating, kind="actual", category="travel",
                                     description="Train", amount=Decimal("200"), currency="EUR")
    client.force_login(engineer)

    assert client.get(_url(evaluating, "web:poc_cost_edit", entry.pk)).status_code == 200
    response = client.post(_url(evaluating, "web:poc_cost_edit", entry.pk), {
        "kind": "actual", "category": "travel", "description": "Train and hotel",
        "amount": "450", "currency": "EUR", "paid_by": "shared"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.description, entry.amount, entry.paid_by) == (
        "Train and hotel", Decimal("450"), "shared")
    response = client.post(_url(evaluating, "web:poc_cost_edit", entry.pk), {
        "kind": "actual", "category": "travel", "description": "", "amount": "-1",
        "paid_by": "shared"})
    assert response.status_code == 400

    response = client.post(_url(evaluating, "web:poc_cost_delete", entry.pk))
    assert response.status_code == 302
    assert not CostEntry.objects.exists()


def test_the_cost_ratio_warns_above_the_threshold(client, engineer, evaluating):
    CostEntry.objects.create(poc=evaluating, kind="actual", category="materials",
                             description="Luminaires", amount=Decimal("20000"), currency="EUR")
    client.force_login(engineer)

    page = client.get(_url(evaluating)).content.decode()

    assert 'data-testid="cost-warning"' in page  # 20,000 of 250,000 = 8 percent > 5


def test_the_risk_rows_save_through_the_service_and_bad_rows_come_back(client, engineer,
                                                                       evaluating):
    client.force_login(engineer)
    data = {"risks-TOTAL_FORMS": "2", "risks-INITIAL_FORMS": "0", "risks-MIN_NUM_FORMS": "0",
            "risks-MAX_NUM_FORMS": "50",
            "risks-0-description": "Line stop at peak load", "risks-0-probability": "30",
            "risks-0-impact": "400000", "risks-0-currency": "EUR",
            "risks-1-description": "Glare complaints", "risks-1-probability": "150",
            "risks-1-impact": "1000", "risks-1-currency": "EUR"}

    response = client.post(_url(evaluating, "web:poc_risk_costs"), data)

    assert response.status_code == 400
    assert response.context["risk_formset"].forms[1].errors["probability"]
    assert not RiskCost.objects.exists()

    data["risks-1-probability"] = "10"
    response = client.post(_url(evaluating, "web:poc_risk_costs"), data)
    assert response.status_code == 302
    assert RiskCost.objects.filter(poc=evaluating).count() == 2
    page = client.get(_url(evaluating)).content.decode()
    assert "120,100" in page  # 30 percent of 400,000 + 10 percent of 1,000


# -- the retrospective ------------------------------------------------------------------------

def test_the_retrospective_is_saved_as_a_draft_then_submitted(client, engineer, evaluating):
    client.force_login(engineer)

    response = client.post(_url(evaluating, "web:poc_retrospective"), _lesson_data(
        [], action="draft"))
    assert response.status_code == 302
    assert Retrospective.objects.get(poc=evaluating).submitted_at is None

    response = client.post(_url(evaluating, "web:poc_retrospective"), _lesson_data([
        {"text": "Agree the data format first", "industry": "Museums", "product": "LX-40",
         "criterion_type": "integration"}]))
    assert response.status_code == 302
    retrospective = Retrospective.objects.get(poc=evaluating)
    assert retrospective.submitted_at is not None
    lesson = retrospective.lessons.get()
    assert (lesson.text, lesson.industry, lesson.criterion_type) == (
        "Agree the data format first", "Museums", "integration")


def test_submitting_without_a_lesson_comes_back_with_the_errors(client, engineer, evaluating):
    client.force_login(engineer)

    response = client.post(_url(evaluating, "web:poc_retrospective"), _lesson_data(
        [], went_well=""))

    assert response.status_code == 400
    assert response.context["retro_form"].errors["went_well"]
    assert "Add at least one reusable lesson." in response.content.decode()
    assert response.content.decode().count("Add at least one reusable lesson.") == 1
    assert response.context["lesson_formset"].non_form_errors() == [
        "Add at least one reusable lesson."]
    assert not Retrospective.objects.exists()


def test_an_error_on_a_lessons_hidden_field_is_shown_on_its_row(client, engineer, evaluating):
    client.force_login(engineer)

    response = client.post(_url(evaluating, "web:poc_retrospective"), _lesson_data(
        [{"text": "Agree the data format first", "log_entry": "999999"}], action="draft"))

    assert response.status_code == 400
    row = response.context["lesson_formset"].forms[0]
    assert row.non_field_errors() == ["Choose an entry of this POC's log."]
    page = response.content.decode()
    assert page.count("Choose an entry of this POC&#x27;s log.") == 1
    assert not Retrospective.objects.exists()


def test_the_risk_memo_is_carried_over_from_the_log(client, engineer, evaluating):
    make_log_entry(evaluating, kind="risk", title="Dust on the optics", severity="high",
                   mitigation="Sealed housings")
    client.force_login(engineer)

    response = client.post(_url(evaluating, "web:poc_retrospective_carry"))

    assert response.status_code == 302
    lesson = Lesson.objects.get(retrospective__poc=evaluating)
    assert lesson.kind == "risk"
    page = client.get(_url(evaluating)).content.decode()
    assert "Dust on the optics" in page
    assert "Risk memo" in page


# -- query counts -----------------------------------------------------------------------------

def _grow(poc, size):
    for index in range(size):
        criterion = make_criterion(poc, title=f"Criterion {index}", must_have=False)
        make_measurement(criterion, value=150)
        CostEntry.objects.create(poc=poc, kind="actual", category="materials",
                                 description=f"Line {index}", amount=Decimal("10"),
                                 currency="USD" if index % 2 else "EUR")
    retrospective, _created = Retrospective.objects.get_or_create(poc=poc)
    for index in range(size):
        Lesson.objects.create(retrospective=retrospective, text=f"Lesson {index}",
                              position=index)


def _page_queries(client, poc) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(poc)).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_with_2_or_8_of_everything(client, engineer, team,
                                                                   opportunity):
    from ..factories import POCFactory

    small = _status(POCFactory(opportunity=opportunity, owner=engineer), Status.EVALUATING)
    large = _status(POCFactory(opportunity=opportunity, owner=engineer), Status.EVALUATING)
    _grow(small, 2)
    _grow(large, 8)
    client.force_login(engineer)
    client.get(_url(small))  # warm the session and the permission caches

    small_count = _page_queries(client, small)
    large_count = _page_queries(client, large)

    assert small_count == large_count
    assert large_count <= 25
