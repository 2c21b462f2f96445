"""Writes on governance (§8.3): the meeting cadence, meetings and their action items.

Attendees are the deal's customer stakeholders (they came, or were invited and did not); our
attendees are members of the POC's team. A held meeting has taken place, so it is not dated in
the future; a planned one may be dated any day. Every action item has exactly one owner, on
our side or on the customer's.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import PermissionDenied, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import as_date, jsonable, validate_instance
from pocdesk.pocs.lifecycle import lock_open
from pocdesk.pocs.models import POC
from pocdesk.stakeholders.resolve import DealPeople

from .models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Cadence,
    Meeting,
    MeetingStatus,
    MeetingType,
)
from .people import (
    action_item_values,
    check_one_owner,
    resolve_attendance,
    resolve_members,
)

MAX_ACTION_ITEMS = 20

register_event_verbs({
    "cadence.changed": gettext_lazy("Meeting cadence changed: %(changes)s"),
    "meeting.recorded": lambda event: _describe_meeting(event),
    "meeting.changed": gettext_lazy("Meeting “%(target)s” changed: %(changes)s"),
    "meeting.deleted": gettext_lazy("Meeting “%(target)s” of %(date)s deleted"),
    "action_item.created": gettext_lazy("Action item “%(target)s” for %(owner)s"),
    "action_item.changed": gettext_lazy("Action item “%(target)s” changed: %(changes)s"),
    "action_item.done": gettext_lazy("Action item “%(target)s” done"),
    "action_item.cancelled": gettext_lazy("Action item “%(target)s” cancelled"),
    "action_item.reopened": gettext_lazy("Action item “%(target)s” reopened"),
})


def _describe_meeting(event) -> str:
    data = event.data or {}
    status = data.get("status")
    if status == MeetingStatus.PLANNED:
        message = _("Meeting “%(target)s” planned on %(date)s")
    elif status == MeetingStatus.CANCELLED:
        message = _("Meeting “%(target)s” of %(date)s recorded as cancelled")
    else:
        message = _("Meeting “%(target)s” held on %(date)s")
    return message % {"target": event.target_label, "date": data.get("date", "")}


def _clean_text(value) -> str:
    return str(value or "").strip()


def clean_decisions(value) -> str:
    """One decision per line: blank lines and surrounding spaces removed."""
    return "\n".join(line.strip() for line in _clean_text(value).splitlines() if line.strip())


def decision_lines(decisions: str) -> list[str]:
    return [line for line in (decisions or "").splitlines() if line.strip()]


# -- the cadence ------------------------------------------------------------------------------

CADENCE_FIELDS = ("weekly_sync_days", "steering_days", "grace_days")


@transaction.atomic
def cadence_update(*, actor, poc: POC, weekly_sync_days: int | None, steering_days: int | None,
                   grace_days: int) -> Cadence:
    """Set how often each kind of meeting is due (None: no regular meeting of that kind)."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = lock_open(poc)
    cadence = Cadence.objects.filter(poc=poc).first() or Cadence(poc=poc)
    before = {name: getattr(cadence, name) for name in CADENCE_FIELDS}
    values = {"weekly_sync_days": weekly_sync_days, "steering_days": steering_days,
              "grace_days": grace_days}
    errors: dict[str, list[str]] = {}
    if grace_days in (None, ""):
        errors["grace_days"] = [_("Give the grace days (0 for none).")]
    for name, value in values.items():
        if value in (None, ""):
            values[name] = None
        elif isinstance(value, bool) or not str(value).strip().isdigit():
            errors[name] = [_("Enter a whole number of days.")]
    for name, value in values.items():
        if name not in errors:
            setattr(cadence, name, int(value) if value is not None else None)
    try:
        validate_instance(cadence, exclude=["poc", "updated_by", *errors])
    except ValidationFailed as error:
        errors.update({k: v for k, v in error.fields.items() if k not in errors})
    if errors:
        raise ValidationFailed(errors)
    diff = {name: [before[name], getattr(cadence, name)] for name in CADENCE_FIELDS
            if before[name] != getattr(cadence, name)}
    if diff:
        cadence.updated_by = actor
        cadence.save()
        event_record(actor=actor, verb="cadence.changed", target=cadence, poc=poc,
                     team=poc.team, data={"changes": diff})
    return cadence


# -- meetings ---------------------------------------------------------------------------------

MEETING_FIELDS = ("meeting_type", "status", "date", "title", "agenda", "notes", "decisions")
UPDATABLE_FIELDS = {*MEETING_FIELDS, "attendees", "absent", "vendor_attendees"}


def _meeting_values(meeting: Meeting, values: dict[str, Any], errors: dict) -> None:
    """Set the plain fields of `meeting` from `values`, naming the bad ones in `errors`."""
    if "meeting_type" in values and values["meeting_type"] not in MeetingType.values:
        errors["meeting_type"] = [_("Choose weekly sync, steering or review.")]
    if "status" in values and values["status"] not in MeetingStatus.values:
        errors["status"] = [_("Choose planned, held or cancelled.")]
    if "date" in values:
        values["date"] = as_date(values["date"], "date", errors, required=True)
    for name in ("title", "agenda", "notes"):
        if name in values:
            values[name] = _clean_text(values[name])
    if "decisions" in values:
        values["decisions"] = clean_decisions(values["decisions"])
    for name, value in values.items():
        if name in MEETING_FIELDS and name not in errors:
            setattr(meeting, name, value)
    if (meeting.status == MeetingStatus.HELD and isinstance(meeting.date, datetime.date)
            and meeting.date > timezone.localdate() and "date" not in errors):
        errors["date"] = [_("A held meeting cannot be dated in the future: plan it instead.")]
    try:
        validate_instance(meeting, exclude=["poc", "recorded_by", *errors])
    except ValidationFailed as error:
        for name, messages in error.fields.items():
            errors.setdefault(name, messages)


def _action_item_rows(people: DealPeople, rows, errors: dict) -> list[dict[str, Any]]:
    if isinstance(rows, dict | str) or not hasattr(rows, "__iter__"):
        errors["action_items"] = [_("Send a list of action items.")]
        return []
    rows = list(rows)
    if len(rows) > MAX_ACTION_ITEMS:
        errors["action_items"] = [_("At most %(count)d action items per meeting.")
                                  % {"count": MAX_ACTION_ITEMS}]
        return []
    cleaned = []
    for index, row in enumerate(rows):
        row_errors: dict[str, list[str]] = {}
        if not isinstance(row, dict):
            errors[f"action_items.{index}"] = [_("Each action item is an object with a text.")]
            continue
        values = _new_action_item(people, row, row_errors)
        for name, messages in row_errors.items():
            errors[f"action_items.{index}.{name}"] = messages
        cleaned.append(values)
    return cleaned


def _attendance_summary(attended, absent) -> dict[str, Any]:
    return {"attended": len(attended), "absent": len(absent)}


@transaction.atomic
def meeting_create(*, actor, poc: POC, meeting_type: str, date, status: str = "held",
                   title: str = "", agenda: str = "", notes: str = "", decisions: str = "",
                   attendees=(), absent=(), vendor_attendees=(), action_items=()) -> Meeting:
    """Record a meeting (held, planned or cancelled) with who came and what was agreed."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = lock_open(poc)
    errors: dict[str, list[str]] = {}
    people = DealPeople(poc)
    meeting = Meeting(poc=poc, recorded_by=actor)
    _meeting_values(meeting, {"meeting_type": meeting_type, "status": status, "date": date,
                              "title": title, "agenda": agenda, "notes": notes,
                              "decisions": decisions}, errors)
    came, missed = resolve_attendance(people, attendees, absent, errors)
    ours = resolve_members(people, vendor_attendees, "vendor_attendees", errors)
    items = _action_item_rows(people, action_items, errors)
    if errors:
        raise ValidationFailed(errors)
    meeting.save()
    meeting.vendor_attendees.set(ours)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, stakeholder=person, attended=True) for person in came]
        + [Attendance(meeting=meeting, stakeholder=person, attended=False) for person in missed])
    event_record(actor=actor, verb="meeting.recorded", target=meeting, poc=poc, team=poc.team,
                 data={"type": meeting.meeting_type, "status": meeting.status,
                       "date": meeting.date.isoformat(),
                       "decisions": len(decision_lines(meeting.decisions)),
                       "actions": len(items), **_attendance_summary(came, missed)})
    for values in items:
        _action_item_save(actor=actor, poc=poc, meeting=meeting, values=values)
    return meeting


def _attendance_of(meeting: Meeting) -> tuple[list[int], list[int]]:
    attended, absent = [], []
    for stakeholder_id, came in meeting.attendances.values_list("stakeholder_id", "attended"):
        (attended if came else absent).append(stakeholder_id)
    return attended, absent


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **changes: Any) -> Meeting:
    """Correct a meeting, or record how a planned one went (status held, attendance...).

    `attendees` and `absent` each replace their group; a group not sent is kept as it was.
    """
    require_perm(actor, "pocdesk.edit_poc", meeting.poc)
    poc = lock_open(meeting.poc)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    unknown = sorted(set(changes) - UPDATABLE_FIELDS)
    errors: dict[str, list[str]] = {name: [_("This field cannot be changed here.")]
                                    for name in unknown}
    before = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    _meeting_values(meeting, {k: v for k, v in changes.items() if k in MEETING_FIELDS}, errors)
    people = DealPeople(poc)
    diff = {name: [jsonable(before[name]), jsonable(getattr(meeting, name))]
            for name in MEETING_FIELDS if before[name] != getattr(meeting, name)}
    attendance = None
    if "attendees" in changes or "absent" in changes:
        current_attended, current_absent = _attendance_of(meeting)
        came, missed = resolve_attendance(
            people, changes.get("attendees", current_attended),
            changes.get("absent", current_absent), errors)
        new = ({p.pk for p in came}, {p.pk for p in missed})
        if new != (set(current_attended), set(current_absent)):
            attendance = (came, missed)
            diff["attendances"] = [len(current_attended), len(came)]
    ours = None
    if "vendor_attendees" in changes:
        ours = resolve_members(people, changes["vendor_attendees"], "vendor_attendees", errors)
        current = set(meeting.vendor_attendees.values_list("pk", flat=True))
        if {user.pk for user in ours} != current:
            diff["vendor_attendees"] = [len(current), len(ours)]
        else:
            ours = None
    if errors:
        raise ValidationFailed(errors)
    if not diff:
        return meeting
    meeting.save()
    if ours is not None:
        meeting.vendor_attendees.set(ours)
    if attendance is not None:
        came, missed = attendance
        meeting.attendances.all().delete()
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, stakeholder=person, attended=True) for person in came]
            + [Attendance(meeting=meeting, stakeholder=person, attended=False)
               for person in missed])
    event_record(actor=actor, verb="meeting.changed", target=meeting, poc=poc, team=poc.team,
                 data={"changes": diff})
    return meeting


@transaction.atomic
def meeting_delete(*, actor, meeting: Meeting) -> None:
    """Remove a meeting; its action items stay, without the link.

    A held meeting is the record of what was decided: only whoever recorded it, or a manager,
    removes it.
    """
    require_perm(actor, "pocdesk.edit_poc", meeting.poc)
    poc = lock_open(meeting.poc)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if (meeting.status == MeetingStatus.HELD and meeting.recorded_by_id != actor.pk
            and not actor.has_perm("pocdesk.manage_team", poc)):
        raise PermissionDenied(_("Only whoever recorded a held meeting, or a manager, deletes "
                                 "it."))
    event_record(actor=actor, verb="meeting.deleted", target=meeting, poc=poc, team=poc.team,
                 data={"date": meeting.date.isoformat(), "type": meeting.meeting_type})
    meeting.delete()


# -- action items -----------------------------------------------------------------------------

def _owner_label(item: ActionItem) -> str:
    from pocdesk.people.selectors import user_label

    if item.owner_id:
        return user_label(item.owner)
    return item.customer_owner.name if item.customer_owner_id else ""


def _action_item_save(*, actor, poc: POC, meeting: Meeting | None,
                      values: dict[str, Any]) -> ActionItem:
    item = ActionItem(poc=poc, meeting=meeting, created_by=actor, **values)
    item.save()
    event_record(actor=actor, verb="action_item.created", target=item, poc=poc, team=poc.team,
                 data={"owner": _owner_label(item),
                       "due": item.due_on.isoformat() if item.due_on else "",
                       "meeting": meeting.pk if meeting else None})
    return item


def _new_action_item(people: DealPeople, row: dict[str, Any], errors: dict) -> dict[str, Any]:
    values = action_item_values(people, {"text": "", "owner": None, "customer_owner": None,
                                         "due_on": None, **row}, errors)
    check_one_owner(values.get("owner"), values.get("customer_owner"), errors)
    return values


@transaction.atomic
def action_item_create(*, actor, poc: POC, text: str, owner=None, customer_owner=None,
                       due_on=None, meeting=None) -> ActionItem:
    """A to-do with one owner (ours or the customer's), from a meeting or on its own."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = lock_open(poc)
    errors: dict[str, list[str]] = {}
    values = _new_action_item(DealPeople(poc), {
        "text": text, "owner": owner, "customer_owner": customer_owner, "due_on": due_on},
        errors)
    found = None
    if meeting not in (None, ""):
        reference = getattr(meeting, "pk", meeting)
        found = (Meeting.objects.filter(poc=poc, pk=reference).first()
                 if str(reference).isdigit() else None)
        if found is None:
            errors["meeting"] = [_("Choose a meeting of this POC.")]
    if errors:
        raise ValidationFailed(errors)
    return _action_item_save(actor=actor, poc=poc, meeting=found, values=values)


ACTION_ITEM_FIELDS = ("text", "owner", "customer_owner", "due_on", "status")
STATUS_VERBS = {ActionStatus.DONE: "action_item.done",
                ActionStatus.CANCELLED: "action_item.cancelled",
                ActionStatus.OPEN: "action_item.reopened"}


@transaction.atomic
def action_item_update(*, actor, action_item: ActionItem, **changes: Any) -> ActionItem:
    """Change an action item; done records the day (cleared when it is reopened).

    Naming one owner replaces the other: an item always has exactly one.
    """
    require_perm(actor, "pocdesk.edit_poc", action_item.poc)
    poc = lock_open(action_item.poc)
    item = ActionItem.objects.select_for_update(of=("self",)).select_related(
        "owner__profile", "customer_owner").get(pk=action_item.pk)
    errors: dict[str, list[str]] = {}
    status = changes.pop("status", item.status)
    if status not in ActionStatus.values:
        errors["status"] = [_("Choose open, done or cancelled.")]
    values = action_item_values(DealPeople(poc), changes, errors)
    if values.get("owner") is not None and "customer_owner" not in values:
        values["customer_owner"] = None
    if values.get("customer_owner") is not None and "owner" not in values:
        values["owner"] = None
    check_one_owner(values.get("owner", item.owner),
                    values.get("customer_owner", item.customer_owner), errors)
    if errors:
        raise ValidationFailed(errors)
    before = {name: getattr(item, name) for name in ACTION_ITEM_FIELDS}
    for name, value in values.items():
        setattr(item, name, value)
    item.status = status
    if status != before["status"]:
        item.done_on = timezone.localdate() if status == ActionStatus.DONE else None
    diff = {name: [jsonable(before[name]), jsonable(getattr(item, name))]
            for name in ACTION_ITEM_FIELDS if before[name] != getattr(item, name)}
    if not diff:
        return item
    validate_instance(item, exclude=["poc", "meeting", "created_by", "owner",
                                     "customer_owner"])
    item.save()
    if "status" in diff:
        event_record(actor=actor, verb=STATUS_VERBS[status], target=item, poc=poc,
                     team=poc.team, data={"status": status})
    other = {name: change for name, change in diff.items() if name != "status"}
    if other:
        event_record(actor=actor, verb="action_item.changed", target=item, poc=poc,
                     team=poc.team, data={"changes": other})
    return item
