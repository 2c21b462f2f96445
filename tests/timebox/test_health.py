"""Milestone health (§6): on track, at risk 1–6 days overdue, stalled from 7 days; done and
skipped milestones are never late. "Today" is moved with time_machine through the selectors."""

import datetime

import pytest
import time_machine

from pocdesk.pocs.models import POC
from pocdesk.timebox.health import Health, health_for, overdue_days, worst
from pocdesk.timebox.selectors import annotate_timebox, milestones_for_poc, timebox_summary

from ..factories import make_milestone

DUE = datetime.date(2026, 3, 10)


def noon(day):
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


@pytest.mark.parametrize(("days", "health"), [
    (0, Health.ON_TRACK), (1, Health.AT_RISK), (6, Health.AT_RISK), (7, Health.STALLED),
    (300, Health.STALLED)])
def test_the_thresholds(days, health):
    assert health_for(days) == health


@pytest.mark.parametrize(("today", "days"), [
    (datetime.date(2026, 3, 1), 0), (DUE, 0), (datetime.date(2026, 3, 11), 1),
    (datetime.date(2026, 3, 16), 6), (datetime.date(2026, 3, 17), 7)])
def test_overdue_days_count_from_the_day_after_the_due_date(today, days):
    assert overdue_days(status="planned", due_date=DUE, today=today) == days


@pytest.mark.parametrize(("today", "days", "health"), [
    (DUE, 0, "on_track"),
    (datetime.date(2026, 3, 11), 1, "at_risk"),
    (datetime.date(2026, 3, 16), 6, "at_risk"),
    (datetime.date(2026, 3, 17), 7, "stalled"),
])
def test_a_planned_milestone_turns_at_risk_then_stalled(running_poc, today, days, health):
    make_milestone(running_poc, due_date=DUE)

    with time_machine.travel(noon(today), tick=False):
        (milestone,) = milestones_for_poc(poc=running_poc)
        summary = timebox_summary(poc=running_poc)
        listed = annotate_timebox(POC.objects.filter(pk=running_poc.pk)).get()

    assert (milestone.days_overdue, milestone.health) == (days, health)
    assert summary.health == health
    assert summary.health_counts == {h: int(h == health) for h in Health.values}
    assert (listed.milestones_at_risk, listed.milestones_stalled) == (
        int(health == "at_risk"), int(health == "stalled"))


@pytest.mark.parametrize("status", ["done", "skipped"])
def test_done_and_skipped_milestones_are_never_late(running_poc, status):
    completed_on = DUE if status == "done" else None
    make_milestone(running_poc, due_date=DUE, status=status, completed_on=completed_on)

    with time_machine.travel(noon(datetime.date(2026, 9, 1)), tick=False):
        (milestone,) = milestones_for_poc(poc=running_poc)
        summary = timebox_summary(poc=running_poc)
        listed = annotate_timebox(POC.objects.filter(pk=running_poc.pk)).get()

    assert (milestone.days_overdue, milestone.health) == (0, "on_track")
    assert summary.health == "on_track"
    assert summary.health_counts == {"on_track": 0, "at_risk": 0, "stalled": 0}
    assert (listed.milestones_at_risk, listed.milestones_stalled) == (0, 0)


def test_the_poc_takes_the_health_of_its_worst_open_milestone(running_poc):
    make_milestone(running_poc, due_date=datetime.date(2026, 3, 20), sequence=3)
    make_milestone(running_poc, due_date=datetime.date(2026, 3, 18), sequence=2)
    make_milestone(running_poc, due_date=datetime.date(2026, 3, 10), sequence=1)
    make_milestone(running_poc, due_date=datetime.date(2026, 3, 1), kind="kickoff",
                   status="done", completed_on=datetime.date(2026, 3, 1))

    with time_machine.travel(noon(datetime.date(2026, 3, 19)), tick=False):
        summary = timebox_summary(poc=running_poc)
        listed = annotate_timebox(POC.objects.filter(pk=running_poc.pk)).get()

    assert summary.health_counts == {"on_track": 1, "at_risk": 1, "stalled": 1}
    assert summary.health == "stalled"
    assert (summary.milestones_total, summary.milestones_done) == (4, 1)
    assert summary.next_milestone.sequence == 1  # the earliest open one, late as it is
    assert (listed.milestones_at_risk, listed.milestones_stalled) == (1, 1)


def test_slip_is_the_completion_or_due_date_against_the_baseline(running_poc):
    make_milestone(running_poc, sequence=1, due_date=datetime.date(2026, 3, 20),
                   planned_date=DUE)
    make_milestone(running_poc, sequence=2, due_date=datetime.date(2026, 3, 24),
                   planned_date=datetime.date(2026, 3, 24), status="done",
                   completed_on=datetime.date(2026, 3, 21))

    with time_machine.travel(noon(datetime.date(2026, 3, 12)), tick=False):
        moved, early = milestones_for_poc(poc=running_poc)

    assert (moved.slip_days, moved.health) == (10, "on_track")
    assert early.slip_days == -3


def test_worst_of_nothing_is_on_track():
    assert worst([]) == Health.ON_TRACK
    assert worst([Health.AT_RISK, Health.ON_TRACK]) == Health.AT_RISK
