"""The timebox rules on a POC's and its agreement's dates (§6): no longer than the team's
maximum unless a manager approves it, and fixed once the POC is agreed — from then on only an
approved extension moves them."""

import datetime
from decimal import Decimal

import pytest

from pocdesk.agreements.models import Agreement
from pocdesk.agreements.services import agreement_save
from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.pocs.models import POC
from pocdesk.pocs.services import poc_create, poc_update
from pocdesk.timebox.services import timebox_policy_update

START = datetime.date(2026, 3, 2)


def days(count):
    return START + datetime.timedelta(days=count)


def create(opportunity, actor, end, **extra):
    return poc_create(actor=actor, opportunity=opportunity, title="Pilot", objective="Prove it",
                      start_date=START, end_date=end, **extra)


def test_a_poc_of_the_maximum_length_needs_no_approval(opportunity, engineer):
    poc = create(opportunity, engineer, days(90), planned_effort_hours=Decimal("160"))

    assert (poc.duration_days, poc.approved_duration_days, poc.planned_effort_hours) == (
        90, None, Decimal("160"))
    assert not Event.objects.filter(verb="poc.duration_approved").exists()


def test_one_day_longer_is_refused_on_the_end_date(opportunity, engineer):
    with pytest.raises(ValidationFailed) as refusal:
        create(opportunity, engineer, days(91))

    assert list(refusal.value.fields) == ["end_date"]
    assert "91 days" in refusal.value.fields["end_date"][0]
    assert not POC.objects.exists()
    assert not Event.objects.exists()


def test_an_engineer_cannot_approve_a_longer_poc(opportunity, engineer):
    with pytest.raises(ValidationFailed) as refusal:
        create(opportunity, engineer, days(120), approve_duration=True)

    assert list(refusal.value.fields) == ["approve_duration"]
    assert not POC.objects.exists()


def test_a_manager_approves_a_longer_poc_and_the_approval_is_kept(opportunity, manager):
    poc = create(opportunity, manager, days(120), approve_duration=True)

    assert (poc.approved_duration_days, poc.duration_approved_by) == (120, manager)
    event = Event.objects.get(verb="poc.duration_approved")
    assert (event.poc, event.actor, event.data) == (poc, manager, {"days": 120, "maximum": 90})


def test_the_team_policy_sets_the_maximum(opportunity, engineer, manager, team):
    timebox_policy_update(actor=manager, team=team, max_duration_days=30)

    with pytest.raises(ValidationFailed):
        create(opportunity, engineer, days(31))
    assert create(opportunity, engineer, days(30)).duration_days == 30


def test_updating_the_dates_follows_the_same_rule(poc, engineer, manager):
    with pytest.raises(ValidationFailed) as refusal:
        poc_update(actor=engineer, poc=poc, start_date=START, end_date=days(100))
    assert list(refusal.value.fields) == ["end_date"]
    with pytest.raises(ValidationFailed) as not_manager:
        poc_update(actor=engineer, poc=poc, start_date=START, end_date=days(100),
                   approve_duration=True)
    assert list(not_manager.value.fields) == ["approve_duration"]
    poc.refresh_from_db()
    assert (poc.start_date, poc.end_date) == (None, None)

    approved = poc_update(actor=manager, poc=poc, start_date=START, end_date=days(100),
                          approve_duration=True)
    shorter = poc_update(actor=engineer, poc=approved, end_date=days(95))

    assert (shorter.duration_days, shorter.approved_duration_days) == (95, 100)
    with pytest.raises(ValidationFailed):
        poc_update(actor=engineer, poc=shorter, end_date=days(101))


@pytest.mark.parametrize("status", ["agreed", "running", "paused", "evaluating"])
def test_the_dates_are_locked_once_agreed(poc, engineer, manager, status):
    POC.objects.filter(pk=poc.pk).update(status=status, start_date=START, end_date=days(60))

    for actor, changes in ((engineer, {"end_date": days(75)}),
                           (manager, {"start_date": days(1), "approve_duration": True})):
        with pytest.raises(ApplicationError) as refusal:
            poc_update(actor=actor, poc=poc, **changes)
        assert (refusal.value.code, refusal.value.status) == ("timebox_agreed", 409)

    poc.refresh_from_db()
    assert (poc.start_date, poc.end_date) == (START, days(60))
    assert not Event.objects.exists()


def test_an_agreed_poc_still_takes_its_other_changes(poc, engineer):
    POC.objects.filter(pk=poc.pk).update(status="running", start_date=START, end_date=days(60))

    changed = poc_update(actor=engineer, poc=poc, title="Pilot, phase 1", start_date=START,
                         planned_effort_hours=Decimal("240.5"))

    assert (changed.title, changed.planned_effort_hours, changed.end_date) == (
        "Pilot, phase 1", Decimal("240.5"), days(60))


@pytest.mark.parametrize("status", ["draft", "qualified"])
def test_before_agreement_the_dates_are_a_plan(poc, engineer, status):
    POC.objects.filter(pk=poc.pk).update(status=status, start_date=START, end_date=days(60))

    changed = poc_update(actor=engineer, poc=poc, end_date=days(70))

    assert changed.end_date == days(70)


def test_a_negative_planned_effort_is_refused(poc, engineer):
    with pytest.raises(ValidationFailed) as refusal:
        poc_update(actor=engineer, poc=poc, planned_effort_hours=Decimal("-1"))

    assert list(refusal.value.fields) == ["planned_effort_hours"]


# --- the agreement's dates --------------------------------------------------------------------


def test_the_agreement_dates_follow_the_maximum_too(poc, engineer, manager):
    POC.objects.filter(pk=poc.pk).update(status="qualified")

    with pytest.raises(ValidationFailed) as refusal:
        agreement_save(actor=engineer, poc=poc, clauses={"start_date": START,
                                                         "end_date": days(91)})
    assert list(refusal.value.fields) == ["end_date"]
    assert not Agreement.objects.exists()
    with pytest.raises(ValidationFailed) as not_manager:
        agreement_save(actor=engineer, poc=poc, approve_duration=True,
                       clauses={"start_date": START, "end_date": days(91)})
    assert list(not_manager.value.fields) == ["approve_duration"]

    agreement = agreement_save(actor=manager, poc=poc, approve_duration=True,
                               clauses={"start_date": START, "end_date": days(91)})

    poc.refresh_from_db()
    assert (agreement.end_date, poc.approved_duration_days, poc.duration_approved_by) == (
        days(91), 91, manager)


def test_the_agreement_dates_are_locked_once_agreed(poc, engineer):
    POC.objects.filter(pk=poc.pk).update(status="qualified", start_date=START,
                                         end_date=days(60))
    agreement_save(actor=engineer, poc=poc)
    POC.objects.filter(pk=poc.pk).update(status="running")

    with pytest.raises(ApplicationError) as refusal:
        agreement_save(actor=engineer, poc=poc, clauses={"end_date": days(80)})

    assert (refusal.value.code, refusal.value.status) == ("timebox_agreed", 409)
    assert Agreement.objects.get().end_date == days(60)
    changed = agreement_save(actor=engineer, poc=poc, clauses={"end_date": days(60),
                                                               "scope_included": "Line 2."})
    assert changed.scope_included == "Line 2."
