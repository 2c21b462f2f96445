"""The governance warnings of §8.3, computed from facts read by `selectors.governance_facts`.

- `weekly_sync_overdue` / `steering_overdue`: no meeting of that type was held within the
  cadence's days plus the grace days, counted from the last one held, or from the POC's start
  date while none was held (never before the start date). On the last grace day it is not yet
  overdue; the day after, it is.
- `sponsor_missed_steering` (danger): the deal's executive sponsors attended neither of the
  last two steering meetings held (absent, or not invited).
- `no_executive_sponsor` (danger): steering meetings are due but the decision chain names no
  executive sponsor on the customer's side.
- `single_customer_contact`: one customer stakeholder only is engaged in the POC (attended a
  held meeting, or has an engagement recorded on it). With none at all the warning is raised
  too once a meeting was held, since meetings without the customer are a worse sign; before
  any meeting nothing is said (the overdue warnings speak then).
- `action_items_overdue`: open action items past their due date, with their count.

Only POCs that are agreed, running, paused or evaluating are watched.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import MeetingType

if TYPE_CHECKING:
    from .selectors import GovernanceFacts

WARNING = "warning"
DANGER = "danger"
SEVERITY_ORDER = {DANGER: 0, WARNING: 1}


@dataclass
class GovernanceWarning:
    code: str
    message: str
    severity: str = WARNING
    details: dict[str, Any] = field(default_factory=dict)


def add_days(value: datetime.date | None, days: int | None) -> datetime.date | None:
    """`value` plus `days`, or None without either or beyond the calendar (year 9999)."""
    if value is None or days is None:
        return None
    try:
        return value + datetime.timedelta(days=days)
    except OverflowError:
        return None


def long_date(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _days_ago(days: int) -> str:
    return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}


def _overdue_message(meeting_type: str, *, last: datetime.date | None, start: datetime.date,
                     due: datetime.date, days: int) -> str:
    values = {"last": long_date(last) if last else "", "start": long_date(start),
              "due": long_date(due), "ago": _days_ago(days)}
    if meeting_type == MeetingType.STEERING:
        if last:
            return _("No steering meeting since %(last)s: the next one was due on %(due)s, "
                     "%(ago)s.") % values
        return _("No steering meeting yet: the POC started on %(start)s and the first one was "
                 "due on %(due)s, %(ago)s.") % values
    if last:
        return _("No weekly sync since %(last)s: the next one was due on %(due)s, "
                 "%(ago)s.") % values
    return _("No weekly sync yet: the POC started on %(start)s and the first one was due on "
             "%(due)s, %(ago)s.") % values


def _planned_note(next_planned: datetime.date | None) -> str:
    if next_planned is None:
        return ""
    return " " + _("One is planned on %(date)s.") % {"date": long_date(next_planned)}


def overdue_warnings(facts: GovernanceFacts) -> list[GovernanceWarning]:
    warnings = []
    start = facts.poc.start_date
    for meeting_type in (MeetingType.WEEKLY_SYNC, MeetingType.STEERING):
        every = getattr(facts.cadence, f"{meeting_type}_days")
        dates = facts.by_type[meeting_type]
        last = dates["last_held"]
        if not every or start is None or facts.today < start:
            continue
        reference = max(last, start) if last else start
        due = add_days(reference, every)
        late_after = add_days(due, facts.cadence.grace_days)
        if late_after is None or facts.today <= late_after:
            continue
        days = (facts.today - due).days
        message = _overdue_message(meeting_type, last=last, start=start, due=due, days=days)
        warnings.append(GovernanceWarning(
            code=f"{meeting_type}_overdue", severity=WARNING,
            message=message + _planned_note(dates["next_planned"]),
            details={"meeting_type": meeting_type, "last_held": last, "due_on": due,
                     "days_overdue": days, "next_planned": dates["next_planned"]}))
    return warnings


def sponsor_warnings(facts: GovernanceFacts) -> list[GovernanceWarning]:
    if not facts.sponsors:
        every = facts.cadence.steering_days
        if not every:
            return []
        return [GovernanceWarning(
            code="no_executive_sponsor", severity=DANGER,
            message=ngettext(
                "Steering meetings are due every %(count)d day, but the decision chain names "
                "no executive sponsor: add the customer's sponsor to the deal.",
                "Steering meetings are due every %(count)d days, but the decision chain names "
                "no executive sponsor: add the customer's sponsor to the deal.",
                every) % {"count": every},
            details={"steering_days": every})]
    if len(facts.last_steerings) < 2:
        return []
    came = {attendance.stakeholder_id for meeting in facts.last_steerings
            for attendance in meeting.came}
    if any(sponsor.pk in came for sponsor in facts.sponsors):
        return []
    names = ", ".join(sponsor.name for sponsor in facts.sponsors)
    dates = [meeting.date for meeting in reversed(facts.last_steerings)]
    return [GovernanceWarning(
        code="sponsor_missed_steering", severity=DANGER,
        message=ngettext(
            "The executive sponsor (%(names)s) missed the last two steering meetings, on "
            "%(first)s and %(second)s.",
            "The executive sponsors (%(names)s) missed the last two steering meetings, on "
            "%(first)s and %(second)s.", len(facts.sponsors)) % {
            "names": names, "first": long_date(dates[0]), "second": long_date(dates[1])},
        details={"sponsors": [sponsor.pk for sponsor in facts.sponsors],
                 "meetings": [meeting.pk for meeting in reversed(facts.last_steerings)]})]


def contact_warnings(facts: GovernanceFacts) -> list[GovernanceWarning]:
    engaged = sorted(facts.engaged, key=lambda person: person[1])
    held = sum(dates["held"] for dates in facts.by_type.values())
    if len(engaged) == 1:
        return [GovernanceWarning(
            code="single_customer_contact", severity=WARNING,
            message=_("Only one customer contact is engaged in this POC (%(name)s): involve "
                      "more people of the decision chain.") % {"name": engaged[0][1]},
            details={"engaged": [engaged[0][0]]})]
    if not engaged and held:
        return [GovernanceWarning(
            code="single_customer_contact", severity=WARNING,
            message=ngettext(
                "No customer contact is engaged in this POC: nobody from the customer attended "
                "the %(count)d meeting held.",
                "No customer contact is engaged in this POC: nobody from the customer attended "
                "the %(count)d meetings held.", held) % {"count": held},
            details={"engaged": []})]
    return []


def action_item_warnings(facts: GovernanceFacts) -> list[GovernanceWarning]:
    if not facts.overdue_items:
        return []
    return [GovernanceWarning(
        code="action_items_overdue", severity=WARNING,
        message=ngettext(
            "%(count)d action item is overdue (due on %(date)s).",
            "%(count)d action items are overdue (the oldest was due on %(date)s).",
            facts.overdue_items) % {"count": facts.overdue_items,
                                    "date": long_date(facts.oldest_overdue)},
        details={"count": facts.overdue_items, "oldest_due_on": facts.oldest_overdue})]


def build_warnings(facts: GovernanceFacts) -> list[GovernanceWarning]:
    """Every warning of a watched POC, the dangers first."""
    if not facts.watched:
        return []
    warnings = (overdue_warnings(facts) + sponsor_warnings(facts) + contact_warnings(facts)
                + action_item_warnings(facts))
    return sorted(warnings, key=lambda warning: SEVERITY_ORDER.get(warning.severity, 2))
