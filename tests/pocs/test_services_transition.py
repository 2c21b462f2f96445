"""poc_transition: every edge of the §3 state graph, the refusals, and the Event it writes."""

import itertools

import pytest

from pocdesk.core.errors import PermissionDenied, TransitionRefused, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.pocs.lifecycle import ALLOWED_TRANSITIONS, allowed_targets, transition_guard
from pocdesk.pocs.models import POC, Status
from pocdesk.pocs.services import poc_transition
from tests.factories import make_closable, make_plan_signed

ALLOWED = [(source, target) for source, targets in ALLOWED_TRANSITIONS.items() for target in targets]
REFUSED = [
    (source, target)
    for source, target in itertools.product(Status.values, Status.values)
    if target not in ALLOWED_TRANSITIONS[source]
]


def test_the_graph_is_the_one_of_the_specification():
    assert sorted(ALLOWED) == sorted([
        ("draft", "qualified"), ("draft", "walked_away"),
        ("qualified", "agreed"), ("qualified", "walked_away"),
        ("agreed", "running"),
        ("running", "evaluating"), ("running", "paused"),
        ("paused", "running"),
        ("evaluating", "closed"),
    ])
    assert len(REFUSED) == 8 * 8 - 9


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_allowed_transition_moves_the_poc_and_writes_one_event(qualifiable_poc, engineer,
                                                                    source, target):
    poc = qualifiable_poc
    POC.objects.filter(pk=poc.pk).update(status=source)
    poc.refresh_from_db()
    if target == Status.AGREED:  # both plan documents signed by both sides first
        make_plan_signed(poc, actor=engineer)
    if target == Status.CLOSED:  # results recorded and the retrospective submitted first
        make_closable(poc)

    moved = poc_transition(actor=engineer, poc=poc, to=target, reason="Customer has no budget")

    assert moved.status == target
    assert POC.objects.get(pk=poc.pk).status == target
    event = Event.objects.get(poc=poc, verb="poc.transitioned")
    assert (event.actor, event.team_id) == (engineer, poc.team_id)
    assert event.data["from"] == source
    assert event.data["to"] == target


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_every_other_transition_is_refused_and_changes_nothing(poc, engineer, source, target):
    POC.objects.filter(pk=poc.pk).update(status=source)
    poc.refresh_from_db()

    with pytest.raises(TransitionRefused) as refusal:
        poc_transition(actor=engineer, poc=poc, to=target, reason="because")

    assert refusal.value.status == 409
    assert refusal.value.details["unmet"] == ["transition_not_allowed"]
    assert POC.objects.get(pk=poc.pk).status == source
    assert not Event.objects.filter(poc=poc).exists()


@pytest.mark.parametrize("source", ["draft", "qualified"])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_walking_away_needs_a_reason(poc, engineer, source, reason):
    POC.objects.filter(pk=poc.pk).update(status=source)
    poc.refresh_from_db()

    with pytest.raises(TransitionRefused) as refusal:
        poc_transition(actor=engineer, poc=poc, to="walked_away", reason=reason)

    assert refusal.value.details["unmet"] == ["reason_required"]
    assert POC.objects.get(pk=poc.pk).status == source


def test_qualified_to_agreed_is_refused_until_the_plan_is_signed(qualifiable_poc, engineer):
    poc = qualifiable_poc
    POC.objects.filter(pk=poc.pk).update(status=Status.QUALIFIED)
    poc.refresh_from_db()

    with pytest.raises(TransitionRefused) as refusal:
        poc_transition(actor=engineer, poc=poc, to=Status.AGREED)

    assert refusal.value.details["unmet"] == ["criteria_signed", "agreement_signed"]
    assert POC.objects.get(pk=poc.pk).status == Status.QUALIFIED
    assert not Event.objects.filter(poc=poc, verb="poc.transitioned").exists()


def test_walking_away_keeps_the_reason_on_the_event(poc, engineer):
    poc_transition(actor=engineer, poc=poc, to="walked_away", reason="POC fodder: no RFP, no budget")

    event = Event.objects.get(poc=poc)
    assert event.data["reason"] == "POC fodder: no RFP, no budget"
    assert "Walked away" in event.description


def test_an_unknown_status_is_a_validation_error_naming_the_field(poc, engineer):
    with pytest.raises(ValidationFailed) as refusal:
        poc_transition(actor=engineer, poc=poc, to="won")

    assert list(refusal.value.fields) == ["to"]
    assert POC.objects.get(pk=poc.pk).status == "draft"


def test_a_registered_guard_blocks_its_edge_and_reports_its_code(poc, engineer, monkeypatch):
    from pocdesk.pocs import lifecycle

    monkeypatch.setattr(lifecycle, "_GUARDS", lifecycle.defaultdict(list))

    @transition_guard("draft", "qualified")
    def budget_confirmed(*, poc, to, actor, reason):
        return [{"code": "budget_confirmed", "message": "Confirm the budget."}]

    with pytest.raises(TransitionRefused) as refusal:
        poc_transition(actor=engineer, poc=poc, to="qualified")

    assert refusal.value.details["unmet"] == ["budget_confirmed"]
    assert "Confirm the budget." in refusal.value.message
    assert POC.objects.get(pk=poc.pk).status == "draft"


def test_a_guard_cannot_be_put_on_an_edge_that_does_not_exist():
    with pytest.raises(ValueError, match="not an edge"):
        transition_guard("draft", "running")


def test_allowed_targets_follow_the_status_order():
    assert allowed_targets("draft") == ["qualified", "walked_away"]
    assert allowed_targets("running") == ["paused", "evaluating"]
    assert allowed_targets("closed") == []


@pytest.mark.parametrize(
    ("actor_name", "allowed"),
    [("anonymous", False), ("outsider", False), ("sales", False), ("engineer", True),
     ("manager", True), ("admin", True)],
)
def test_who_may_move_a_poc(qualifiable_poc, actors, actor_name, allowed):
    actor = actors[actor_name]
    poc = qualifiable_poc
    if allowed:
        assert poc_transition(actor=actor, poc=poc, to="qualified").status == "qualified"
        assert Event.objects.filter(poc=poc).count() == 1
    else:
        with pytest.raises(PermissionDenied):
            poc_transition(actor=actor, poc=poc, to="qualified")
        assert POC.objects.get(pk=poc.pk).status == "draft"
        assert not Event.objects.filter(poc=poc).exists()


def test_closing_is_refused_until_results_and_retrospective_are_recorded(poc, engineer):
    POC.objects.filter(pk=poc.pk).update(status=Status.EVALUATING)
    poc.refresh_from_db()

    with pytest.raises(TransitionRefused) as refusal:
        poc_transition(actor=engineer, poc=poc, to=Status.CLOSED)

    assert refusal.value.details["unmet"] == [
        "technical_result_required", "commercial_result_required", "retrospective_required"]
    assert POC.objects.get(pk=poc.pk).status == Status.EVALUATING
    assert not Event.objects.filter(poc=poc).exists()

    make_closable(poc, commercial_result="lost", reason_code="competitor")
    assert poc_transition(actor=engineer, poc=poc, to=Status.CLOSED).status == Status.CLOSED
