"""The weekly status report of a POC (§8.5): what happened in one week, read from the data.

`weekly_report` gathers everything the page, the PDF and the e-mail show for one calendar week
(Monday to Sunday, in the current time zone): progress, the criteria, milestones, decisions,
key events, risks, action items, warnings and next steps. Records are judged as they stood at
the end of that week where the data allows it (readings, milestone completion, action items),
so last week's report still says what last week's report said. The cost is a constant number of
queries, however much data the POC has.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pocdesk.core.errors import ValidationFailed
from pocdesk.criteria.models import Comparator
from pocdesk.execution.models import LogKind, LogStatus, Measurement
from pocdesk.execution.selectors import log_for_poc, open_risks
from pocdesk.execution.status import criterion_statuses, technical_outlook
from pocdesk.governance.models import ActionStatus, MeetingStatus
from pocdesk.governance.selectors import (
    action_items_for_poc,
    governance_warnings,
    meetings_for_poc,
)
from pocdesk.governance.services import decision_lines
from pocdesk.people.selectors import user_label
from pocdesk.pocs.lifecycle import TERMINAL_STATUSES
from pocdesk.scope.models import ChangeDecision
from pocdesk.scope.selectors import commitments_for_poc, scope_changes_for_poc
from pocdesk.timebox.models import MilestoneStatus
from pocdesk.timebox.selectors import milestones_for_poc, timebox_summary

from .formatting import target_text

WEEKLY_LOG_KINDS = (LogKind.KEY_EVENT, LogKind.ISSUE, LogKind.RISK)
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)


def week_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The Monday and the Sunday of the week `day` falls in."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def poc_weeks(*, poc, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The Mondays of the first and the last week of the POC's life.

    The life starts with the POC's record (or its start date, when that is earlier) and ends
    today, or on the day it closed or was walked away from.
    """
    today = today or timezone.localdate()
    created = timezone.localdate(poc.created_at)
    first_day = min(poc.start_date, created) if poc.start_date else created
    last_day = (timezone.localdate(poc.status_changed_at)
                if poc.status in TERMINAL_STATUSES else today)
    first, last = week_bounds(first_day)[0], week_bounds(max(first_day, last_day))[0]
    return first, last


def default_week(*, poc, day: datetime.date | None = None,
                 today: datetime.date | None = None) -> datetime.date:
    """The Monday of the week of `day` (default: today), brought inside the POC's life."""
    first, last = poc_weeks(poc=poc, today=today)
    monday = week_bounds(day or today or timezone.localdate())[0]
    return min(max(monday, first), last)


def parse_week(value) -> datetime.date | None:
    """A day from "YYYY-MM-DD" (any day of the week), or None when it is not a date."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


def _check_week(poc, monday: datetime.date, today: datetime.date) -> tuple[datetime.date,
                                                                           datetime.date]:
    first, last = poc_weeks(poc=poc, today=today)
    if not first <= monday <= last:
        raise ValidationFailed({"week": [
            _("Choose a week between %(first)s and %(last)s: the POC did not exist outside "
              "them.") % {"first": first.isoformat(), "last": (last + 6 * DAY).isoformat()}]})
    return first, last


def _moment(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _person(user=None, stakeholder=None) -> str:
    if user is not None:
        return user_label(user)
    return stakeholder.name if stakeholder is not None else ""


# --- the parts ---------------------------------------------------------------------------------

def _criteria(poc, *, week_start: datetime.datetime, week_end: datetime.datetime,
              now: datetime.datetime) -> tuple[list[dict[str, Any]], str]:
    """Each criterion's status at the end of the week and at the end of the week before."""
    criteria = list(poc.criteria.all())
    statuses = criterion_statuses(criteria=criteria,
                                  until=None if week_end > now else week_end)
    before = criterion_statuses(criteria=criteria, until=week_start)
    counts = dict(Measurement.objects.filter(
        poc=poc, measured_at__gte=week_start, measured_at__lt=week_end)
        .order_by().values_list("criterion").annotate(n=Count("id")))
    rows = []
    for criterion in criteria:
        status, previous = statuses[criterion.pk], before[criterion.pk]
        rows.append({
            "id": criterion.pk,
            "title": criterion.title,
            "target": target_text(criterion),
            "unit": criterion.unit,
            "aggregation": criterion.aggregation,
            "pass_fail": criterion.comparator == Comparator.PASS_FAIL,
            "must_have": criterion.must_have,
            "status": status.status,
            "result": status.result,
            "previous_status": previous.status,
            "changed": previous.status != status.status,
            "readings_week": counts.get(criterion.pk, 0),
            "readings_total": status.count,
        })
    return rows, technical_outlook(statuses[criterion.pk] for criterion in criteria)


def _milestone_row(milestone, *, as_of: datetime.date, done: bool) -> dict[str, Any]:
    overdue = 0 if done or milestone.status == MilestoneStatus.SKIPPED \
        else max(0, (as_of - milestone.due_date).days)
    return {"id": milestone.pk, "label": milestone.label, "due_date": milestone.due_date,
            "completed_on": milestone.completed_on if done else None,
            "owner": _person(milestone.owner, milestone.customer_owner),
            "days_overdue": overdue}


def _milestones(milestones, *, monday, sunday, as_of) -> dict[str, list[dict[str, Any]]]:
    next_sunday = sunday + WEEK
    done, upcoming, overdue, later = [], [], [], []
    for milestone in milestones:
        done_then = (milestone.status == MilestoneStatus.DONE
                     and milestone.completed_on <= sunday)
        if done_then:
            if milestone.completed_on >= monday:
                done.append(_milestone_row(milestone, as_of=as_of, done=True))
            continue
        if milestone.status == MilestoneStatus.SKIPPED:
            continue
        row = _milestone_row(milestone, as_of=as_of, done=False)
        if milestone.due_date < as_of:
            overdue.append(row)
        elif milestone.due_date <= next_sunday:
            upcoming.append(row)
        else:
            later.append(row)
    return {"done": done, "next": upcoming, "overdue": overdue,
            "after": later[:1] if not upcoming else []}


def _decisions(meetings, changes, *, monday, sunday, week_start, week_end):
    decisions = []
    for meeting in sorted(meetings, key=lambda m: (m.date, m.pk)):
        if meeting.status != MeetingStatus.HELD or not monday <= meeting.date <= sunday:
            continue
        for line in decision_lines(meeting.decisions):
            decisions.append({"date": meeting.date, "source": "meeting",
                              "origin": meeting.label, "text": line.strip(), "decision": ""})
    for change in changes:
        if (change.decision == ChangeDecision.PENDING or change.decided_at is None
                or not week_start <= change.decided_at < week_end):
            continue
        decisions.append({"date": timezone.localdate(change.decided_at), "source": "scope_change",
                          "origin": str(change), "text": change.decision_note.strip(),
                          "decision": change.decision})
    decisions.sort(key=lambda row: row["date"])
    return decisions


def _log(entries, risks, *, week_start, week_end):
    key_events, opened, resolved = [], [], []
    for entry in entries:
        in_week = week_start <= entry.occurred_at < week_end
        if entry.kind == LogKind.KEY_EVENT and in_week:
            key_events.append({
                "id": entry.pk, "title": entry.title, "key_event": entry.key_event,
                "occurred_at": entry.occurred_at,
                "witnessed_by": entry.witnessed_by.name if entry.witnessed_by else "",
                "witnessed_at": entry.witnessed_at})
        elif entry.kind in (LogKind.ISSUE, LogKind.RISK):
            row = {"id": entry.pk, "kind": entry.kind, "title": entry.title,
                   "severity": entry.severity, "status": entry.status,
                   "occurred_at": entry.occurred_at}
            if in_week and entry.kind == LogKind.ISSUE:
                opened.append(row)
            # A log entry keeps no resolution date: its last change stands for it.
            if entry.status == LogStatus.RESOLVED and week_start <= entry.updated_at < week_end:
                resolved.append(row)
    risk_rows = [{"id": risk.pk, "title": risk.title, "severity": risk.severity,
                  "mitigation": risk.mitigation, "occurred_at": risk.occurred_at}
                 for risk in risks if risk.occurred_at < week_end]
    by_time = lambda row: (row["occurred_at"], row["id"])  # noqa: E731
    return {"key_events": sorted(key_events, key=by_time),
            "issues": {"opened": sorted(opened, key=by_time),
                       "resolved": sorted(resolved, key=by_time)},
            "risks": risk_rows}


def _action_row(item, *, as_of: datetime.date, done: bool) -> dict[str, Any]:
    return {"id": item.pk, "text": item.text,
            "owner": _person(item.owner, item.customer_owner),
            "due_on": item.due_on, "done_on": item.done_on if done else None,
            "overdue": bool(not done and item.due_on and item.due_on < as_of),
            "meeting": item.meeting.label if item.meeting_id else ""}


def _action_items(items, *, monday, sunday, week_end, as_of):
    open_items, done_items, due_next = [], [], []
    for item in items:
        if item.created_at >= week_end or item.status == ActionStatus.CANCELLED:
            continue
        done_then = item.status == ActionStatus.DONE and item.done_on and item.done_on <= sunday
        if done_then:
            if item.done_on >= monday:
                done_items.append(_action_row(item, as_of=as_of, done=True))
            continue
        row = _action_row(item, as_of=as_of, done=False)
        open_items.append(row)
        if row["due_on"] and sunday < row["due_on"] <= sunday + WEEK:
            due_next.append(row)
    never = datetime.date.max
    open_items.sort(key=lambda row: (not row["overdue"], row["due_on"] or never, row["id"]))
    done_items.sort(key=lambda row: (row["done_on"], row["id"]))
    due_next.sort(key=lambda row: (row["due_on"], row["id"]))
    return {"open": open_items, "done": done_items}, due_next


# --- the report --------------------------------------------------------------------------------

def weekly_report(*, poc, week_start: datetime.date,
                  today: datetime.date | None = None) -> dict[str, Any]:
    """Everything the weekly report of the week of `week_start` (any day of it) shows.

    `poc` comes from a selector that checked the reader may see it, with its opportunity,
    account and team. Raises ValidationFailed on `week` for a week outside the POC's life.
    Labels inside (milestone names, warnings) are in the active language.
    """
    today = today or timezone.localdate()
    monday, sunday = week_bounds(week_start)
    first, last = _check_week(poc, monday, today)
    as_of = min(today, sunday)
    week_start_at, week_end_at = _moment(monday), _moment(sunday + DAY)
    now = timezone.now()
    as_of_moment = min(now, week_end_at)

    criteria, outlook = _criteria(poc, week_start=week_start_at, week_end=week_end_at, now=now)
    milestones = milestones_for_poc(poc=poc, today=as_of)
    summary = timebox_summary(poc=poc, milestones=milestones, today=as_of)
    milestone_rows = _milestones(milestones, monday=monday, sunday=sunday, as_of=as_of)
    in_week = Q(occurred_at__gte=week_start_at, occurred_at__lt=week_end_at) | Q(
        updated_at__gte=week_start_at, updated_at__lt=week_end_at)
    entries = (log_for_poc(poc=poc).filter(in_week, kind__in=WEEKLY_LOG_KINDS)
               .prefetch_related(None))
    log = _log(entries, open_risks(poc=poc), week_start=week_start_at, week_end=week_end_at)
    actions, actions_due_next = _action_items(
        action_items_for_poc(poc=poc, today=as_of), monday=monday, sunday=sunday,
        week_end=week_end_at, as_of=as_of)
    meetings = (meetings_for_poc(poc=poc, status=MeetingStatus.HELD)
                .filter(date__gte=monday, date__lte=sunday).prefetch_related(None))
    commitments = [c for c in commitments_for_poc(poc=poc, now=as_of_moment)
                   if c.overdue and c.made_at < week_end_at]
    planned = poc.duration_days
    elapsed = (max(0, (as_of - poc.start_date).days)
               if poc.start_date and planned is not None else None)
    return {
        "poc": {"id": poc.pk, "reference": f"POC-{poc.pk}", "title": poc.title,
                "customer": poc.opportunity.account.name, "opportunity": poc.opportunity.name,
                "company": poc.team.name, "status": poc.status, "language": poc.language},
        "week": {"start": monday, "end": sunday, "as_of": as_of,
                 "previous": monday - WEEK if monday > first else None,
                 "next": monday + WEEK if monday < last else None,
                 "is_current": monday <= today <= sunday},
        "timebox": {"start": poc.start_date, "end": poc.end_date, "elapsed_days": elapsed,
                    "planned_days": planned, "health": summary.health,
                    "drift_days": summary.drift_days},
        "outlook": outlook,
        "progress": {
            "milestones_done": sum(1 for m in milestones if m.status == MilestoneStatus.DONE
                                   and m.completed_on <= sunday),
            "milestones_total": len(milestones),
            "criteria_passing": sum(1 for row in criteria if row["status"] == "passing"),
            "criteria_total": len(criteria),
            "readings_week": sum(row["readings_week"] for row in criteria),
        },
        "criteria": criteria,
        "milestones": milestone_rows,
        "decisions": _decisions(meetings, scope_changes_for_poc(poc=poc),
                                monday=monday, sunday=sunday, week_start=week_start_at,
                                week_end=week_end_at),
        "key_events": log["key_events"],
        "issues": log["issues"],
        "risks": log["risks"],
        "action_items": actions,
        "warnings": [{"code": w.code, "message": str(w.message), "severity": w.severity}
                     for w in governance_warnings(poc=poc, today=as_of)],
        "commitments_overdue": [
            {"id": c.pk, "text": str(c), "made_to": c.made_to.name,
             "due_at": c.due_at} for c in commitments],
        "next_steps": {"milestones": milestone_rows["next"] or milestone_rows["after"],
                       "action_items": actions_due_next},
    }
