"""result_save, retrospective_save, retrospective_carry_risks, and closing through the guard."""

import datetime
from decimal import Decimal

import pytest

from pocdesk.core.errors import (
    ApplicationError,
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
)
from pocdesk.core.models import Event
from pocdesk.pocs.models import POC, Status
from pocdesk.pocs.services import poc_transition
from pocdesk.results.models import Lesson, PocResult, Retrospective
from pocdesk.results.selectors import closing_state
from pocdesk.results.services import result_save, retrospective_carry_risks, retrospective_save
from tests.factories import (
    AccountFactory,
    OpportunityFactory,
    POCFactory,
    make_closable,
    make_criterion,
    make_customer,
    make_log_entry,
    make_measurement,
)


def _status(poc, status):
    POC.objects.filter(pk=poc.pk).update(status=status)
    poc.refresh_from_db()
    return poc


@pytest.fixture
def evaluating(poc):
    criterion = make_criterion(poc)
    make_measurement(criterion, value=130)
    return _status(poc, Status.EVALUATING)


LESSON = {"text": "Agree the data format in the kick-off.", "industry": "Museums",
          "product": "BMS gateway", "criterion_type": "integration"}


def _complete(poc, actor, **fields):
    values = {"commercial_result": "won", "order_value": "180000"}
    values.update(fields)
    result_save(actor=actor, poc=poc, **values)
    retrospective_save(actor=actor, poc=poc, went_well="The sponsor came every week.",
                       to_improve="Start the data export earlier.", lessons=[LESSON],
                       submit=True)


# -- closing ----------------------------------------------------------------------------------

def test_a_complete_poc_closes(evaluating, engineer):
    _complete(evaluating, engineer)

    assert closing_state(poc=evaluating).can_close
    assert poc_transition(actor=engineer, poc=evaluating, to="closed").status == Status.CLOSED


def _refused(poc, actor, codes):
    events = Event.objects.filter(poc=poc).count()
    with pytest.raises(TransitionRefused) as refusal:
        poc_transition(actor=actor, poc=poc, to="closed")
    assert refusal.value.details["unmet"] == codes
    assert POC.objects.get(pk=poc.pk).status == Status.EVALUATING
    assert Event.objects.filter(poc=poc).count() == events
    assert closing_state(poc=poc).unmet_codes == codes


def test_closing_is_refused_with_nothing_recorded(evaluating, engineer):
    _refused(evaluating, engineer, ["technical_result_required", "commercial_result_required",
                                    "retrospective_required"])


def test_closing_is_refused_without_a_submitted_retrospective(evaluating, engineer):
    result_save(actor=engineer, poc=evaluating, commercial_result="won", order_value="1000")
    retrospective_save(actor=engineer, poc=evaluating, went_well="Good.", lessons=[LESSON])

    _refused(evaluating, engineer, ["retrospective_required"])


@pytest.mark.parametrize("outcome", ["lost", "no_decision", "qualified_out", "abandoned"])
def test_every_result_but_won_needs_a_reason(evaluating, engineer, outcome):
    _complete(evaluating, engineer, commercial_result=outcome, order_value=None)

    _refused(evaluating, engineer, ["result_reason_required"])

    result_save(actor=engineer, poc=evaluating, reason="competitor")
    assert poc_transition(actor=engineer, poc=evaluating, to="closed").status == Status.CLOSED


def test_won_needs_the_order_value(evaluating, engineer):
    _complete(evaluating, engineer, order_value=None)

    _refused(evaluating, engineer, ["order_value_required"])


def test_an_override_needs_a_reason(evaluating, engineer):
    _complete(evaluating, engineer, technical_result="partial")

    _refused(evaluating, engineer, ["override_reason_required"])

    result_save(actor=engineer, poc=evaluating,
                technical_override_reason="The customer waived the last test.")
    assert poc_transition(actor=engineer, poc=evaluating, to="closed").status == Status.CLOSED


def test_a_poc_without_criteria_needs_a_stated_basis(poc, engineer):
    _status(poc, Status.EVALUATING)
    _complete(poc, engineer, technical_result="success")

    _refused(poc, engineer, ["override_reason_required"])


def _fresh(poc):
    """The POC as a page or the API reads it (team and opportunity joined, nothing cached)."""
    return POC.objects.select_related("team", "opportunity").get(pk=poc.pk)


def test_the_closing_state_costs_a_constant_number_of_queries(
        evaluating, engineer, django_assert_num_queries):
    _complete(evaluating, engineer)
    fresh = _fresh(evaluating)
    with django_assert_num_queries(6) as first:
        closing_state(poc=fresh)
    for index in range(5):
        criterion = make_criterion(evaluating, title=f"C{index}", metric=f"m{index}",
                                   must_have=False, importance=1)
        make_measurement(criterion, value=200)
    retrospective_save(actor=engineer, poc=evaluating,
                       lessons=[LESSON, {**LESSON, "text": "Second"},
                                {"kind": "risk", "text": "Dust"}])
    fresh = _fresh(evaluating)
    with django_assert_num_queries(len(first.captured_queries)):
        state = closing_state(poc=fresh)
    assert len(state.statuses) == 6
    assert state.can_close


# -- result_save ------------------------------------------------------------------------------

def test_the_first_save_stores_the_derived_result_and_an_event(evaluating, engineer):
    result = result_save(actor=engineer, poc=evaluating, commercial_result="won",
                         order_value=Decimal("180000"))

    assert (result.derived_technical_result, result.technical_result) == ("success", "success")
    assert result.order_currency == "EUR"
    assert result.updated_by == engineer
    event = Event.objects.get(poc=evaluating, verb="results.saved")
    assert event.data["commercial_result"] == "won"
    assert "Results recorded" in event.description


def test_a_stated_technical_result_is_kept_on_later_saves(evaluating, engineer):
    result_save(actor=engineer, poc=evaluating, technical_result="partial",
                technical_override_reason="Waived a test.")
    result = result_save(actor=engineer, poc=evaluating, strengths="Fast.")

    assert result.technical_result == "partial"
    assert result.derived_technical_result == "success"
    assert result.strengths == "Fast."


def test_the_derived_result_follows_the_readings(evaluating, engineer):
    result_save(actor=engineer, poc=evaluating, commercial_result="won")
    make_measurement(evaluating.criteria.get(), value=1)  # mean (130+1)/2 fails

    result = result_save(actor=engineer, poc=evaluating, next_step="Order")

    assert result.derived_technical_result == "failed"
    assert result.technical_result == "success"  # stated before: now an override
    assert closing_state(poc=evaluating).unmet_codes[0] == "override_reason_required"


def test_the_confirming_customer_is_a_stakeholder_of_the_deal(evaluating, engineer):
    customer = make_customer(evaluating)

    result = result_save(actor=engineer, poc=evaluating, customer_confirmed_by=customer.pk,
                         customer_confirmed_on="2026-03-20")

    assert result.customer_confirmed_by == customer
    assert result.customer_confirmed_on == datetime.date(2026, 3, 20)


@pytest.mark.parametrize(("fields", "field"), [
    ({"commercial_result": "sold"}, "commercial_result"),
    ({"technical_result": "great"}, "technical_result"),
    ({"reason": "moon_phase"}, "reason"),
    ({"order_value": "-1"}, "order_value"),
    ({"order_value": "lots"}, "order_value"),
    ({"order_value": "99999999999999999"}, "order_value"),
    ({"order_value": "10.001"}, "order_value"),
    ({"order_currency": "XXY"}, "order_currency"),
    ({"order_date": "20 March"}, "order_date"),
    ({"customer_confirmed_by": 99999}, "customer_confirmed_by"),
    ({"colour": "red"}, "colour"),
])
def test_bad_input_names_the_field_and_saves_nothing(evaluating, engineer, fields, field):
    with pytest.raises(ValidationFailed) as refusal:
        result_save(actor=engineer, poc=evaluating, **fields)

    assert list(refusal.value.fields) == [field]
    assert not PocResult.objects.exists()
    assert not Event.objects.filter(poc=evaluating).exists()


def test_a_stakeholder_of_another_account_is_refused(evaluating, engineer, team):
    other_poc = POCFactory(opportunity=OpportunityFactory(account=AccountFactory(team=team)))
    stranger = make_customer(other_poc, name="Someone Else")

    with pytest.raises(ValidationFailed) as refusal:
        result_save(actor=engineer, poc=evaluating, customer_confirmed_by=stranger.pk)

    assert list(refusal.value.fields) == ["customer_confirmed_by"]


@pytest.mark.parametrize(("status", "code"), [
    ("draft", "not_running"), ("agreed", "not_running"), ("closed", "poc_closed"),
    ("walked_away", "poc_closed")])
def test_results_are_recorded_only_while_it_runs_or_is_evaluated(poc, engineer, status, code):
    _status(poc, status)

    for write in (lambda: result_save(actor=engineer, poc=poc, commercial_result="won"),
                  lambda: retrospective_save(actor=engineer, poc=poc, went_well="x"),
                  lambda: retrospective_carry_risks(actor=engineer, poc=poc)):
        with pytest.raises(ApplicationError) as refusal:
            write()
        assert (refusal.value.code, refusal.value.status) == (code, 409)
    assert not PocResult.objects.exists()
    assert not Retrospective.objects.exists()


@pytest.mark.parametrize("status", ["running", "paused", "evaluating"])
def test_results_may_be_recorded_while_running_paused_or_evaluating(poc, engineer, status):
    _status(poc, status)

    assert result_save(actor=engineer, poc=poc, commercial_result="won").pk


@pytest.mark.parametrize(("actor_name", "allowed"), [
    ("anonymous", False), ("outsider", False), ("sales", False), ("engineer", True),
    ("manager", True), ("admin", True)])
def test_who_may_record_results(evaluating, actors, actor_name, allowed):
    actor = actors[actor_name]
    if allowed:
        assert result_save(actor=actor, poc=evaluating, commercial_result="won").pk
    else:
        with pytest.raises(PermissionDenied):
            result_save(actor=actor, poc=evaluating, commercial_result="won")
        assert not PocResult.objects.exists()
        assert not Event.objects.exists()


# -- the retrospective ------------------------------------------------------------------------

def test_a_retrospective_is_saved_then_submitted(evaluating, sales):
    draft = retrospective_save(actor=sales, poc=evaluating, went_well="Sponsor engaged.",
                               lessons=[LESSON])
    assert draft.submitted_at is None
    assert Event.objects.filter(verb="retrospective.saved").count() == 1

    key = str(draft.lessons.get().key)
    submitted = retrospective_save(
        actor=sales, poc=evaluating, to_improve="Plan the export.",
        lessons=[{**LESSON, "key": key, "text": "Edited"}, {"kind": "risk", "text": "Dust",
                                                            "severity": "high"}],
        submit=True)

    assert submitted.submitted_by == sales
    assert submitted.submitted_at is not None
    lessons = list(Lesson.objects.order_by("position"))
    assert [(str(lesson.key) == key, lesson.text, lesson.kind) for lesson in lessons] == [
        (True, "Edited", "lesson"), (False, "Dust", "risk")]
    assert lessons[0].industry == "Museums"
    assert Event.objects.filter(verb="retrospective.submitted").count() == 1


def test_saving_the_same_lessons_again_records_no_change(evaluating, engineer):
    draft = retrospective_save(actor=engineer, poc=evaluating, went_well="Sponsor engaged.",
                               lessons=[LESSON])
    key = str(draft.lessons.get().key)

    retrospective_save(actor=engineer, poc=evaluating, went_well="Sponsor engaged.",
                       lessons=[{**LESSON, "key": key}])

    assert Event.objects.filter(verb="retrospective.saved").count() == 1
    assert [str(lesson.key) for lesson in Lesson.objects.all()] == [key]


def test_a_bad_choice_names_the_choices_by_their_labels(evaluating, engineer):
    with pytest.raises(ValidationFailed) as refusal:
        result_save(actor=engineer, poc=evaluating, technical_result="great")

    assert refusal.value.fields == {
        "technical_result": ["Choose one of: Success, Partial, Failed."]}


def test_submitting_needs_every_part(evaluating, engineer):
    with pytest.raises(ValidationFailed) as refusal:
        retrospective_save(actor=engineer, poc=evaluating, went_well="  ",
                           lessons=[{"kind": "risk", "text": "Dust"}], submit=True)

    assert set(refusal.value.fields) == {"went_well", "to_improve", "lessons"}
    assert not Retrospective.objects.exists()
    assert not Event.objects.exists()


def test_a_submitted_retrospective_cannot_be_emptied(evaluating, engineer):
    _complete(evaluating, engineer)

    with pytest.raises(ValidationFailed) as refusal:
        retrospective_save(actor=engineer, poc=evaluating, lessons=[])

    assert list(refusal.value.fields) == ["lessons"]
    assert Lesson.objects.count() == 1


@pytest.mark.parametrize(("row", "field"), [
    ({"text": ""}, "lessons.0.text"),
    ({"text": "x", "kind": "gossip"}, "lessons.0.kind"),
    ({"text": "x", "severity": "extreme"}, "lessons.0.severity"),
    ({"text": "x", "industry": "i" * 121}, "lessons.0.industry"),
    ({"text": "x", "key": "not-a-uuid"}, "lessons.0.key"),
    ({"text": "x", "log_entry": 99999}, "lessons.0.log_entry"),
    ({"text": "x", "colour": "red"}, "lessons.0.colour"),
    ("just text", "lessons.0"),
])
def test_a_bad_lesson_row_is_named(evaluating, engineer, row, field):
    with pytest.raises(ValidationFailed) as refusal:
        retrospective_save(actor=engineer, poc=evaluating, lessons=[row])

    assert list(refusal.value.fields) == [field]
    assert not Lesson.objects.exists()


def test_a_log_entry_of_another_poc_is_refused(evaluating, engineer, team):
    other = POCFactory(opportunity=OpportunityFactory(account=AccountFactory(team=team)))
    entry = make_log_entry(other, kind="risk", title="Elsewhere")

    with pytest.raises(ValidationFailed) as refusal:
        retrospective_save(actor=engineer, poc=evaluating,
                           lessons=[{"text": "x", "log_entry": entry.pk}])

    assert list(refusal.value.fields) == ["lessons.0.log_entry"]


def test_carrying_the_risks_over_is_idempotent(evaluating, engineer, account):
    account.industry = "Museums"
    account.save()
    first = make_log_entry(evaluating, kind="risk", title="Dust near the feeder",
                           body="Filters clog weekly.", severity="high",
                           mitigation="Sealed housings.")
    make_log_entry(evaluating, kind="observation", title="Not a risk")

    carried = retrospective_carry_risks(actor=engineer, poc=evaluating)

    assert len(carried) == 1
    lesson = carried[0]
    assert (lesson.kind, lesson.text, lesson.severity, lesson.mitigation, lesson.industry,
            lesson.log_entry) == ("risk", "Dust near the feeder\nFilters clog weekly.", "high",
                                  "Sealed housings.", "Museums", first)
    assert retrospective_carry_risks(actor=engineer, poc=evaluating) == []
    make_log_entry(evaluating, kind="risk", title="Firmware")
    assert [lesson.text for lesson in retrospective_carry_risks(actor=engineer,
                                                                poc=evaluating)] == ["Firmware"]
    assert Lesson.objects.count() == 2
    assert Event.objects.filter(verb="retrospective.risks_carried").count() == 2


def test_carried_risks_keep_their_link_through_a_save(evaluating, engineer):
    entry = make_log_entry(evaluating, kind="risk", title="Dust")
    retrospective_carry_risks(actor=engineer, poc=evaluating)
    lesson = Lesson.objects.get()

    retrospective_save(actor=engineer, poc=evaluating, lessons=[
        {"key": str(lesson.key), "kind": "risk", "text": "Dust", "log_entry": entry.pk},
        LESSON])

    assert Lesson.objects.get(pk=lesson.pk).log_entry == entry
    assert retrospective_carry_risks(actor=engineer, poc=evaluating) == []


def test_an_outsider_cannot_write_the_retrospective(evaluating, outsider):
    with pytest.raises(PermissionDenied):
        retrospective_save(actor=outsider, poc=evaluating, went_well="x")
    with pytest.raises(PermissionDenied):
        retrospective_carry_risks(actor=outsider, poc=evaluating)
    assert not Retrospective.objects.exists()


def test_make_closable_still_closes(evaluating, engineer):
    make_closable(evaluating)
    assert poc_transition(actor=engineer, poc=evaluating, to="closed").status == "closed"
