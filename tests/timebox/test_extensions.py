"""Extensions (§6): asked with a reason for an agreed, running or paused POC, one at a time;
decided by a manager, refused with a note, approved beyond the team's limits only with the
explicit override; an approval moves the end date and the final review, and shows as drift."""

import datetime

import pytest

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.pocs.models import POC
from pocdesk.timebox.models import Extension
from pocdesk.timebox.selectors import annotate_timebox, timebox_summary
from pocdesk.timebox.services import (
    extension_decide,
    extension_limits,
    extension_request,
    timebox_policy_update,
)

from ..factories import make_extension, make_milestone
from .conftest import END, START, with_dates

REASON = "The customer's test line was down for two weeks."


def later(days):
    return END + datetime.timedelta(days=days)


def request(poc, actor, days=14):
    """Ask for `days` more than the POC's current end date."""
    return extension_request(actor=actor, poc=poc,
                             requested_end=poc.end_date + datetime.timedelta(days=days),
                             reason=REASON)


@pytest.mark.parametrize("status", ["agreed", "running", "paused"])
def test_an_agreed_running_or_paused_poc_may_ask_for_more_time(poc, engineer, status):
    extensible = with_dates(poc, status=status)

    extension = request(extensible, engineer, days=21)

    assert (extension.status, extension.previous_end, extension.requested_end,
            extension.days) == ("requested", END, later(21), 21)
    assert POC.objects.get(pk=poc.pk).end_date == END  # not before a manager approves
    assert Event.objects.get(verb="extension.requested").data == {
        "requested_end": later(21).isoformat(), "days": 21, "reason": REASON}


@pytest.mark.parametrize(("status", "code"), [
    ("draft", "not_extensible"), ("qualified", "not_extensible"),
    ("evaluating", "not_extensible"), ("closed", "poc_closed"), ("walked_away", "poc_closed")])
def test_other_states_change_dates_or_are_over(poc, engineer, status, code):
    other = with_dates(poc, status=status)

    with pytest.raises(ApplicationError) as refusal:
        request(other, engineer)

    assert (refusal.value.code, refusal.value.status) == (code, 409)
    assert not Extension.objects.exists()


def test_one_request_at_a_time(running_poc, engineer):
    request(running_poc, engineer)

    with pytest.raises(ApplicationError) as refusal:
        request(running_poc, engineer, days=30)

    assert (refusal.value.code, refusal.value.status) == ("extension_pending", 409)
    assert Extension.objects.count() == 1


@pytest.mark.parametrize(("requested_end", "reason", "fields"), [
    (END, REASON, ["requested_end"]),
    (END - datetime.timedelta(days=1), REASON, ["requested_end"]),
    (None, REASON, ["requested_end"]),
    (later(7), "   ", ["reason"]),
    (None, "", ["reason", "requested_end"]),
])
def test_a_request_needs_a_reason_and_a_later_end(running_poc, engineer, requested_end, reason,
                                                  fields):
    with pytest.raises(ValidationFailed) as refusal:
        extension_request(actor=engineer, poc=running_poc, requested_end=requested_end,
                          reason=reason)

    assert sorted(refusal.value.fields) == fields
    assert not Extension.objects.exists()
    assert not Event.objects.exists()


def test_a_poc_without_an_end_date_has_nothing_to_extend(poc, engineer):
    undated = with_dates(poc, status="running", end=None)

    with pytest.raises(ValidationFailed) as refusal:
        extension_request(actor=engineer, poc=undated, requested_end=later(7), reason=REASON)

    assert list(refusal.value.fields) == ["requested_end"]


@pytest.mark.parametrize(("actor_name", "error"), [
    ("anonymous", PermissionDenied), ("outsider", PermissionDenied),
    ("engineer", PermissionDenied), ("sales", PermissionDenied)])
def test_only_a_manager_decides(running_poc, engineer, actors, actor_name, error):
    extension = request(running_poc, engineer)

    with pytest.raises(error):
        extension_decide(actor=actors[actor_name], extension=extension, approve=True)

    extension.refresh_from_db()
    assert (extension.status, extension.decided_by) == ("requested", None)
    assert POC.objects.get(pk=running_poc.pk).end_date == END


def test_an_admin_may_decide(running_poc, engineer, admin_user):
    extension = request(running_poc, engineer)

    extension_decide(actor=admin_user, extension=extension, approve=True)

    assert POC.objects.get(pk=running_poc.pk).end_date == later(14)


@pytest.mark.parametrize("outsider_request", ["anonymous", "outsider"])
def test_outsiders_cannot_ask(running_poc, actors, outsider_request):
    with pytest.raises(PermissionDenied):
        request(running_poc, actors[outsider_request])

    assert not Extension.objects.exists()


def test_a_refusal_says_why_and_leaves_the_dates(running_poc, engineer, manager):
    extension = request(running_poc, engineer)

    with pytest.raises(ValidationFailed) as refusal:
        extension_decide(actor=manager, extension=extension, approve=False, note="  ")
    assert list(refusal.value.fields) == ["note"]
    assert Extension.objects.get().status == "requested"

    refused = extension_decide(actor=manager, extension=extension, approve=False,
                               note="Finish with what the customer provided.")

    assert (refused.status, refused.decided_by, refused.decision_note) == (
        "refused", manager, "Finish with what the customer provided.")
    assert POC.objects.get(pk=running_poc.pk).end_date == END
    assert timebox_summary(poc=running_poc).drift_days == 0
    assert Event.objects.filter(verb="extension.refused").count() == 1


def test_an_approval_moves_the_end_and_the_open_final_review(running_poc, engineer, manager):
    final = make_milestone(running_poc, kind="final_review", sequence=0, due_date=END)
    first_run = make_milestone(running_poc, kind="first_run", sequence=0, due_date=START)
    extension = request(running_poc, engineer, days=14)

    approved = extension_decide(actor=manager, extension=extension, approve=True)

    assert (approved.status, approved.decided_by, approved.beyond_policy) == (
        "approved", manager, False)
    running_poc.refresh_from_db()
    final.refresh_from_db()
    first_run.refresh_from_db()
    assert running_poc.end_date == later(14)
    assert (final.due_date, final.planned_date) == (later(14), END)
    assert first_run.due_date == START
    assert Event.objects.get(verb="extension.approved").data == {
        "requested_end": later(14).isoformat(), "days": 14, "number": 1, "note": ""}
    with pytest.raises(ApplicationError) as again:
        extension_decide(actor=manager, extension=approved, approve=True)
    assert (again.value.code, again.value.status) == ("already_decided", 409)


def test_a_done_final_review_stays_where_it_was_done(running_poc, engineer, manager):
    final = make_milestone(running_poc, kind="final_review", sequence=0, due_date=END,
                           status="done", completed_on=START)

    extension_decide(actor=manager, extension=request(running_poc, engineer), approve=True)

    final.refresh_from_db()
    assert final.due_date == END


def test_a_request_whose_end_date_moved_meanwhile_is_stale(running_poc, engineer, manager):
    extension = request(running_poc, engineer)
    POC.objects.filter(pk=running_poc.pk).update(end_date=later(3))

    with pytest.raises(ApplicationError) as refusal:
        extension_decide(actor=manager, extension=extension, approve=True)

    assert (refusal.value.code, refusal.value.status) == ("end_date_moved", 409)
    assert POC.objects.get(pk=running_poc.pk).end_date == later(3)


def test_beyond_the_teams_number_of_extensions_the_manager_must_override(running_poc, engineer,
                                                                         manager):
    for days in (10, 20):
        extension_decide(actor=manager, extension=request(running_poc, engineer, days=days),
                         approve=True)
        running_poc.refresh_from_db()
    third = extension_request(actor=engineer, poc=running_poc, requested_end=later(40),
                              reason=REASON)
    assert extension_limits(poc=running_poc) == [
        "it would be extension 3, and the team allows 2"]

    with pytest.raises(ValidationFailed) as no_override:
        extension_decide(actor=manager, extension=third, approve=True, note="Needed.")
    with pytest.raises(ValidationFailed) as no_note:
        extension_decide(actor=manager, extension=third, approve=True, beyond_policy=True)

    assert list(no_override.value.fields) == ["beyond_policy"]
    assert list(no_note.value.fields) == ["note"]
    assert POC.objects.get(pk=running_poc.pk).end_date == later(30)
    approved = extension_decide(actor=manager, extension=third, approve=True,
                                beyond_policy=True, note="Last one: the CIO decides by then.")
    assert (approved.status, approved.beyond_policy) == ("approved", True)
    event = Event.objects.get(verb="extension.approved_beyond_policy")
    assert (event.data["number"], event.data["note"]) == (3, "Last one: the CIO decides by then.")


def test_within_the_limits_an_override_is_not_recorded(running_poc, engineer, manager):
    approved = extension_decide(actor=manager, extension=request(running_poc, engineer),
                                approve=True, beyond_policy=True, note="Just in case.")

    assert approved.beyond_policy is False
    assert Event.objects.filter(verb="extension.approved").count() == 1


def test_the_team_policy_sets_the_number_of_extensions(running_poc, engineer, manager, team):
    timebox_policy_update(actor=manager, team=team, max_extensions=0)

    with pytest.raises(ValidationFailed) as refusal:
        extension_decide(actor=manager, extension=request(running_poc, engineer), approve=True)

    assert list(refusal.value.fields) == ["beyond_policy"]


def test_drift_and_count_show_in_the_summary_and_the_list(running_poc, engineer, manager):
    for days in (10, 20):
        extension_decide(actor=manager, extension=request(running_poc, engineer, days=days),
                         approve=True)
        running_poc.refresh_from_db()
    refused = request(running_poc, engineer, days=60)
    extension_decide(actor=manager, extension=refused, approve=False, note="No.")
    pending = request(running_poc, engineer, days=45)

    summary = timebox_summary(poc=running_poc)
    listed = annotate_timebox(POC.objects.filter(pk=running_poc.pk)).get()

    assert (summary.baseline_end, summary.end, summary.drift_days) == (END, later(30), 30)
    assert (summary.extensions_approved, summary.extensions_left) == (2, 0)
    assert summary.pending_extension == pending
    assert summary.drifting
    assert (listed.drift_days, listed.extensions_approved) == (30, 2)


def test_approving_past_the_maximum_duration_records_the_longer_timebox(poc, engineer,
                                                                         manager):
    running = with_dates(poc, start=START, end=START + datetime.timedelta(days=80))

    within = extension_decide(actor=manager, extension=extension_request(
        actor=engineer, poc=running, requested_end=START + datetime.timedelta(days=90),
        reason=REASON), approve=True)
    running.refresh_from_db()
    assert (within.status, running.approved_duration_days) == ("approved", None)

    extension_decide(actor=manager, extension=extension_request(
        actor=engineer, poc=running, requested_end=START + datetime.timedelta(days=110),
        reason=REASON), approve=True)

    running.refresh_from_db()
    assert (running.duration_days, running.approved_duration_days,
            running.duration_approved_by) == (110, 110, manager)
    summary = timebox_summary(poc=running)
    assert (summary.max_duration_days, summary.over_max_duration) == (110, False)


def test_a_request_made_through_the_model_can_be_decided(running_poc, engineer, manager):
    extension = make_extension(running_poc, requested_by=engineer, days=5)

    extension_decide(actor=manager, extension=extension, approve=True)

    assert POC.objects.get(pk=running_poc.pk).end_date == later(5)
