"""Reads of governance (§8.3): the cadence, meetings, action items, and what is off track.

The warnings and the summary cost a constant number of queries, whatever the number of
meetings, attendees and action items (aggregates and two-row reads, never a loop of queries).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils import timezone

from pocdesk.core.errors import NotFound
from pocdesk.pocs.models import Status
from pocdesk.stakeholders.models import Engagement, Side

from .models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Cadence,
    Meeting,
    MeetingStatus,
    MeetingType,
)
from .warnings import GovernanceWarning, add_days, build_warnings

# While a POC is agreed and under way, its meetings are due; before, nothing is; after, it is
# history.
WATCHED_STATUSES = (Status.AGREED, Status.RUNNING, Status.PAUSED, Status.EVALUATING)
# Before the agreement no meeting is due, but once meetings are held with the customer, who
# comes to them (the sponsor, more than one contact) already tells whether the deal is real.
EARLY_STATUSES = (Status.DRAFT, Status.QUALIFIED)


def is_watched(poc, by_type: dict[str, dict[str, Any]]) -> bool:
    if poc.status in WATCHED_STATUSES:
        return True
    return poc.status in EARLY_STATUSES and any(dates["held"] for dates in by_type.values())
# The kinds of meeting a cadence sets (a review is held once, when it is time).
CADENCE_TYPES = (MeetingType.WEEKLY_SYNC, MeetingType.STEERING)

__all__ = [
    "GovernanceWarning", "action_item_get", "action_items_for_poc", "cadence_for",
    "governance_summary", "governance_warnings", "meeting_get", "meetings_for_poc",
]


def cadence_for(*, poc) -> Cadence:
    """The POC's cadence, or the default one (unsaved) when none was set."""
    return Cadence.objects.filter(poc=poc).first() or Cadence(poc=poc)


def _meetings():
    return (Meeting.objects.select_related("recorded_by__profile")
            .prefetch_related(
                Prefetch("attendances", queryset=Attendance.objects.select_related(
                    "stakeholder").order_by("-attended", "stakeholder__name")),
                Prefetch("vendor_attendees", queryset=_users()),
                Prefetch("action_items", queryset=_action_items())))


def _users():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.select_related("profile").order_by("username")


def _action_items(today: datetime.date | None = None):
    today = today or timezone.localdate()
    return (ActionItem.objects.select_related("owner__profile", "customer_owner", "meeting",
                                              "created_by__profile")
            .annotate(
                overdue=Case(When(status=ActionStatus.OPEN, due_on__lt=today, then=Value(True)),
                             default=Value(False), output_field=BooleanField()),
                open_first=Case(When(status=ActionStatus.OPEN, then=Value(0)),
                                default=Value(1), output_field=IntegerField()))
            .order_by("open_first", F("due_on").asc(nulls_last=True), "id"))


def meetings_for_poc(*, poc, meeting_type: str | None = None, status: str | None = None):
    """The POC's meetings, newest first, with attendance, our attendees and action items
    (four queries once evaluated)."""
    meetings = _meetings().filter(poc=poc).order_by("-date", "-id")
    if meeting_type:
        meetings = meetings.filter(meeting_type=meeting_type)
    if status:
        meetings = meetings.filter(status=status)
    return meetings


def meeting_get(*, poc, meeting_id) -> Meeting:
    meeting = (_meetings().filter(poc=poc, pk=meeting_id).first()
               if str(meeting_id).isdigit() else None)
    if meeting is None:
        raise NotFound()
    return meeting


def action_items_for_poc(*, poc, status: str | None = None, overdue: bool | None = None,
                         today: datetime.date | None = None):
    """Open items first by due date, then the closed ones; each with `overdue` (one query)."""
    items = _action_items(today).filter(poc=poc)
    if status:
        items = items.filter(status=status)
    if overdue is not None:
        items = items.filter(overdue=overdue)
    return items


def action_item_get(*, poc, action_item_id) -> ActionItem:
    item = (_action_items().filter(poc=poc, pk=action_item_id).first()
            if str(action_item_id).isdigit() else None)
    if item is None:
        raise NotFound()
    return item


# -- warnings and summary ---------------------------------------------------------------------

@dataclass
class GovernanceFacts:
    """What the warnings are computed from, read in a fixed number of queries."""

    poc: Any
    today: datetime.date
    cadence: Cadence
    watched: bool
    by_type: dict[str, dict[str, Any]]
    open_items: int
    overdue_items: int
    oldest_overdue: datetime.date | None
    sponsors: list = field(default_factory=list)
    last_steerings: list = field(default_factory=list)
    engaged: set = field(default_factory=set)  # (stakeholder id, name)


def _type_dates(poc, today: datetime.date) -> dict[str, dict[str, Any]]:
    """Per meeting type: last held (not after today), next planned (from today), counts."""
    rows = (Meeting.objects.filter(poc=poc).order_by().values("meeting_type").annotate(
        last_held=Max("date", filter=Q(status=MeetingStatus.HELD, date__lte=today)),
        next_planned=Min("date", filter=Q(status=MeetingStatus.PLANNED, date__gte=today)),
        held=Count("id", filter=Q(status=MeetingStatus.HELD, date__lte=today)),
        planned=Count("id", filter=Q(status=MeetingStatus.PLANNED))))
    by_type = {value: {"last_held": None, "next_planned": None, "held": 0, "planned": 0}
               for value in MeetingType.values}
    for row in rows:
        if row["meeting_type"] in by_type:
            by_type[row["meeting_type"]].update(
                {key: row[key] for key in ("last_held", "next_planned", "held", "planned")})
    return by_type


def governance_facts(*, poc, today: datetime.date | None = None) -> GovernanceFacts:
    """Three queries for any POC, four more for one whose meetings are watched (three while
    no steering meeting was held)."""
    from pocdesk.qualification.selectors import decision_chain_stakeholders
    from pocdesk.stakeholders.models import StakeholderRole

    today = today or timezone.localdate()
    items = ActionItem.objects.filter(poc=poc, status=ActionStatus.OPEN).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)),
        oldest=Min("due_on", filter=Q(due_on__lt=today)))
    by_type = _type_dates(poc, today)
    facts = GovernanceFacts(
        poc=poc, today=today, cadence=cadence_for(poc=poc),
        watched=is_watched(poc, by_type), by_type=by_type,
        open_items=items["open"], overdue_items=items["overdue"],
        oldest_overdue=items["oldest"])
    if not facts.watched:
        return facts
    facts.sponsors = list(decision_chain_stakeholders(opportunity=poc.opportunity).filter(
        side=Side.CUSTOMER, role=StakeholderRole.EXECUTIVE_SPONSOR))
    facts.last_steerings = list(
        Meeting.objects.filter(poc=poc, meeting_type=MeetingType.STEERING,
                               status=MeetingStatus.HELD, date__lte=today)
        .order_by("-date", "-id").prefetch_related(Prefetch(
            "attendances", queryset=Attendance.objects.filter(attended=True),
            to_attr="came"))[:2])
    attended = (Attendance.objects.filter(
        meeting__poc=poc, meeting__status=MeetingStatus.HELD, meeting__date__lte=today,
        attended=True, stakeholder__side=Side.CUSTOMER).order_by()
        .values_list("stakeholder_id", "stakeholder__name"))
    engaged = (Engagement.objects.filter(poc=poc, stakeholder__side=Side.CUSTOMER).order_by()
               .values_list("stakeholder_id", "stakeholder__name"))
    facts.engaged = set(attended.union(engaged))
    return facts


def governance_warnings(*, poc, today: datetime.date | None = None) -> list[GovernanceWarning]:
    """What is off track in the POC's governance, most serious first (see `warnings`)."""
    return build_warnings(governance_facts(poc=poc, today=today))


def governance_summary(*, poc, today: datetime.date | None = None) -> dict[str, Any]:
    """The POC card and the API's summary: per cadence type its last held meeting, the next
    planned one and when one is due; the warnings; open and overdue action items."""
    facts = governance_facts(poc=poc, today=today)
    cadence = facts.cadence
    types = []
    for meeting_type in MeetingType.values:
        dates = facts.by_type[meeting_type]
        every = getattr(cadence, f"{meeting_type}_days", None)
        reference = dates["last_held"] or (poc.start_date if meeting_type in CADENCE_TYPES
                                           else None)
        types.append({
            "meeting_type": meeting_type,
            "label": MeetingType(meeting_type).label,
            "every_days": every,
            "last_held": dates["last_held"],
            "next_planned": dates["next_planned"],
            "held": dates["held"],
            "planned": dates["planned"],
            "due_on": add_days(reference, every) if every else None,
        })
    return {
        "cadence": cadence,
        "types": types,
        "warnings": build_warnings(facts),
        "open_action_items": facts.open_items,
        "overdue_action_items": facts.overdue_items,
        "meetings_held": sum(t["held"] for t in types),
        "watched": facts.watched,
        "today": facts.today,
    }
