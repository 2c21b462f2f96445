"""The exit clause (§6): reached the day after the deadline plus the agreed slip, the deadline
following approved extensions; the policy's grace days without an agreement; and the decision
taken then: stop, renegotiate or extend."""

import datetime

import pytest
import time_machine

from pocdesk.agreements.services import agreement_save
from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.pocs.models import POC
from pocdesk.timebox.models import ExitDecision, Extension
from pocdesk.timebox.selectors import timebox_summary
from pocdesk.timebox.services import (
    exit_decision_record,
    extension_decide,
    extension_request,
    timebox_policy_update,
)

from .conftest import END, with_dates

TRIGGER = datetime.date(2026, 5, 30)  # END (30 April) + 30 days of slip
NOTE = "Decided with the sponsor on the phone: stop and report on what was measured."


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12),
                                                         tzinfo=datetime.UTC), tick=False)


def agreed(poc, engineer, *, status="running", slip=30):
    """The POC with an agreement on its dates (start 2 March, end 30 April), then `status`."""
    with_dates(poc, status="qualified")
    agreement_save(actor=engineer, poc=poc, clauses={"exit_slip_days": slip})
    return with_dates(poc, status=status)


@pytest.mark.parametrize(("today", "reached", "days_late"), [
    (END, False, 0), (TRIGGER, False, 30), (TRIGGER + datetime.timedelta(days=1), True, 31)])
def test_the_clause_is_reached_the_day_after_deadline_plus_slip(poc, engineer, today, reached,
                                                                 days_late):
    running = agreed(poc, engineer)

    with at(today):
        summary = timebox_summary(poc=running)

    assert (summary.exit.deadline, summary.exit.trigger_date) == (END, TRIGGER)
    assert (summary.exit.reached, summary.exit.days_late) == (reached, days_late)
    assert summary.exit_needs_decision is reached
    assert summary.drifting is reached


def test_the_deadline_follows_the_approved_extensions(poc, engineer, manager):
    running = agreed(poc, engineer)
    extension = extension_request(actor=engineer, poc=running,
                                  requested_end=datetime.date(2026, 5, 20), reason="Late data.")
    extension_decide(actor=manager, extension=extension, approve=True)
    running.refresh_from_db()

    with at(datetime.date(2026, 6, 10)):
        summary = timebox_summary(poc=running)

    assert (summary.exit.deadline, summary.exit.trigger_date) == (
        datetime.date(2026, 5, 20), datetime.date(2026, 6, 19))
    assert not summary.exit.reached and summary.exit.days_late == 21


@pytest.mark.parametrize("status", ["draft", "qualified", "evaluating", "closed",
                                    "walked_away"])
def test_only_an_agreed_running_or_paused_poc_reaches_it(poc, engineer, status):
    other = agreed(poc, engineer, status=status)

    with at(datetime.date(2026, 12, 1)):
        summary = timebox_summary(poc=other)

    assert summary.exit.trigger_date == TRIGGER
    assert not summary.exit.reached and not summary.exit_needs_decision


@pytest.mark.parametrize("status", ["agreed", "paused"])
def test_agreed_and_paused_pocs_reach_it_too(poc, engineer, status):
    late = agreed(poc, engineer, status=status)

    with at(datetime.date(2026, 12, 1)):
        assert timebox_summary(poc=late).exit.reached


def test_without_an_agreement_the_policy_grace_days_apply(running_poc, manager, team):
    with at(datetime.date(2026, 5, 15)):
        default = timebox_summary(poc=running_poc).exit
        timebox_policy_update(actor=manager, team=team, exit_grace_days=10)
        shorter = timebox_summary(poc=running_poc).exit

    assert (default.trigger_date, default.reached) == (TRIGGER, False)
    assert (shorter.trigger_date, shorter.reached) == (datetime.date(2026, 5, 10), True)


def test_no_end_date_no_exit_clause(poc):
    undated = with_dates(poc, status="running", start=None, end=None)

    assert timebox_summary(poc=undated).exit is None


def test_no_decision_before_the_clause_is_reached(poc, engineer):
    running = agreed(poc, engineer)

    with at(TRIGGER), pytest.raises(ApplicationError) as refusal:
        exit_decision_record(actor=engineer, poc=running, decision="stop", note=NOTE)

    assert (refusal.value.code, refusal.value.status) == ("exit_not_reached", 409)
    assert not ExitDecision.objects.exists()


def test_stopping_moves_a_running_poc_to_evaluation(poc, engineer):
    running = agreed(poc, engineer)

    with at(datetime.date(2026, 6, 15)):
        decision = exit_decision_record(actor=engineer, poc=running, decision="stop",
                                        note=NOTE)
        summary = timebox_summary(poc=POC.objects.get(pk=poc.pk))

    assert (decision.deadline, decision.trigger_date, decision.decision, decision.decided_by,
            decision.extension) == (END, TRIGGER, "stop", engineer, None)
    assert POC.objects.get(pk=poc.pk).status == "evaluating"
    assert Event.objects.get(verb="exit.decided").data == {
        "decision": "stop", "note": NOTE, "deadline": "2026-04-30"}
    assert not summary.exit.reached  # evaluating: the clause no longer watches it


def test_renegotiating_records_the_decision_and_keeps_the_poc_running(poc, engineer):
    running = agreed(poc, engineer)

    with at(datetime.date(2026, 6, 15)):
        exit_decision_record(actor=engineer, poc=running, decision="renegotiate",
                             note="New scope and dates to be signed by 30 June.")
        summary = timebox_summary(poc=running)

    assert POC.objects.get(pk=poc.pk).status == "running"
    assert summary.exit.reached and summary.exit_decision.decision == "renegotiate"
    assert not summary.exit_needs_decision


def test_extending_files_a_request_for_the_manager(poc, engineer):
    paused = agreed(poc, engineer, status="paused")

    with at(datetime.date(2026, 6, 15)):
        decision = exit_decision_record(actor=engineer, poc=paused, decision="extend",
                                        note="The plant restarts in July.",
                                        requested_end=datetime.date(2026, 7, 31))

    extension = Extension.objects.get()
    assert decision.extension == extension
    assert (extension.status, extension.requested_end, extension.reason) == (
        "requested", datetime.date(2026, 7, 31), "The plant restarts in July.")
    assert POC.objects.get(pk=poc.pk).end_date == END


@pytest.mark.parametrize(("decision", "note", "requested_end", "fields"), [
    ("extend", "More time.", None, ["requested_end"]),
    ("stop", "  ", None, ["note"]),
    ("abandon", "Fed up.", None, ["decision"]),
])
def test_a_wrong_decision_records_nothing(poc, engineer, decision, note, requested_end, fields):
    running = agreed(poc, engineer)

    with at(datetime.date(2026, 6, 15)), pytest.raises(ValidationFailed) as refusal:
        exit_decision_record(actor=engineer, poc=running, decision=decision, note=note,
                             requested_end=requested_end)

    assert sorted(refusal.value.fields) == fields
    assert not ExitDecision.objects.exists() and not Extension.objects.exists()
    assert POC.objects.get(pk=poc.pk).status == "running"


@pytest.mark.parametrize("actor_name", ["anonymous", "outsider", "sales"])
def test_who_may_not_decide(poc, engineer, actors, actor_name):
    running = agreed(poc, engineer)

    with at(datetime.date(2026, 6, 15)), pytest.raises(PermissionDenied):
        exit_decision_record(actor=actors[actor_name], poc=running, decision="stop", note=NOTE)

    assert not ExitDecision.objects.exists()
    assert POC.objects.get(pk=poc.pk).status == "running"


def test_a_new_deadline_needs_a_new_decision(poc, engineer, manager):
    running = agreed(poc, engineer)
    with at(datetime.date(2026, 6, 15)):
        exit_decision_record(actor=engineer, poc=running, decision="extend", note="July.",
                             requested_end=datetime.date(2026, 6, 30))
        extension_decide(actor=manager, extension=Extension.objects.get(), approve=True)

    with at(datetime.date(2026, 8, 1)):
        summary = timebox_summary(poc=POC.objects.get(pk=poc.pk))

    assert (summary.exit.trigger_date, summary.exit.reached) == (datetime.date(2026, 7, 30),
                                                                 True)
    assert summary.exit_decision is None and summary.exit_needs_decision
