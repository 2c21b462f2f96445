"""What the governance pages show: the POC card, meetings, warnings and action items."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from pocdesk.governance.models import ActionStatus, MeetingStatus, MeetingType
from pocdesk.governance.selectors import governance_summary
from pocdesk.governance.services import decision_lines
from pocdesk.pocs.lifecycle import is_open

# Short badge words; the model's full label is the badge's title.
TYPE_SHORT = {
    MeetingType.WEEKLY_SYNC: _("Weekly sync"),
    MeetingType.STEERING: pgettext_lazy("meeting", "Steering"),
    MeetingType.REVIEW: pgettext_lazy("meeting", "Review"),
}
TYPE_COLOURS = {
    MeetingType.WEEKLY_SYNC: "primary",
    MeetingType.STEERING: "dark",
    MeetingType.REVIEW: "info",
}
TYPE_ICONS = {
    MeetingType.WEEKLY_SYNC: "bi-arrow-repeat",
    MeetingType.STEERING: "bi-compass",
    MeetingType.REVIEW: "bi-clipboard-check",
}
MEETING_STATUS_COLOURS = {
    MeetingStatus.PLANNED: "info",
    MeetingStatus.HELD: "success",
    MeetingStatus.CANCELLED: "secondary",
}
ACTION_STATUS_COLOURS = {
    ActionStatus.OPEN: "primary",
    ActionStatus.DONE: "success",
    ActionStatus.CANCELLED: "secondary",
}
WARNING_ICONS = {
    "weekly_sync_overdue": "bi-calendar-x",
    "steering_overdue": "bi-calendar-x",
    "sponsor_missed_steering": "bi-person-x",
    "no_executive_sponsor": "bi-person-exclamation",
    "single_customer_contact": "bi-person",
    "action_items_overdue": "bi-alarm",
}
# One or two words per warning, for the badges of the POC card.
WARNING_SHORT = {
    "weekly_sync_overdue": _("Weekly sync overdue"),
    "steering_overdue": _("Steering meeting overdue"),
    "sponsor_missed_steering": _("Sponsor absent"),
    "no_executive_sponsor": _("No executive sponsor"),
    "single_customer_contact": _("Single customer contact"),
    "action_items_overdue": _("Action items overdue"),
}


def type_display(meeting_type: str) -> dict:
    return {"short": TYPE_SHORT.get(meeting_type, meeting_type),
            "colour": TYPE_COLOURS.get(meeting_type, "secondary"),
            "icon": TYPE_ICONS.get(meeting_type, "bi-people"),
            "label": (MeetingType(meeting_type).label if meeting_type in MeetingType.values
                      else meeting_type)}


def decorate_warnings(warnings) -> list:
    for warning in warnings:
        warning.icon = WARNING_ICONS.get(warning.code, "bi-exclamation-triangle")
        warning.short = WARNING_SHORT.get(warning.code, warning.code)
    return warnings


def relative_day(value: datetime.date | None, today: datetime.date) -> str:
    """"today", "in 3 days", "5 days ago"."""
    if value is None:
        return ""
    days = (value - today).days
    if days == 0:
        return str(_("today"))
    if days > 0:
        return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}
    return ngettext("%(count)d day ago", "%(count)d days ago", -days) % {"count": -days}


def decorate_meetings(meetings, today: datetime.date) -> list:
    """Badges, the decisions as a list, who came and who did not, the action items."""
    meetings = list(meetings)
    for meeting in meetings:
        meeting.type = type_display(meeting.meeting_type)
        meeting.status_colour = MEETING_STATUS_COLOURS.get(meeting.status, "secondary")
        meeting.decision_list = decision_lines(meeting.decisions)
        attendances = list(meeting.attendances.all())
        meeting.came = [a.stakeholder for a in attendances if a.attended]
        meeting.missed = [a.stakeholder for a in attendances if not a.attended]
        meeting.ours = list(meeting.vendor_attendees.all())
        meeting.items = decorate_action_items(meeting.action_items.all(), today)
        meeting.passed_unrecorded = (meeting.status == MeetingStatus.PLANNED
                                     and meeting.date < today)
        meeting.when = relative_day(meeting.date, today)
    return meetings


def decorate_action_items(items, today: datetime.date) -> list:
    items = list(items)
    for item in items:
        item.status_colour = ACTION_STATUS_COLOURS.get(item.status, "secondary")
        item.is_open = item.status == ActionStatus.OPEN
        item.due_label = relative_day(item.due_on, today) if item.is_open else ""
    return items


def decorate_types(types, today: datetime.date) -> list:
    for row in types:
        row.update(type_display(row["meeting_type"]))
        row["due_label"] = relative_day(row["due_on"], today)
        row["next_label"] = relative_day(row["next_planned"], today)
        row["last_label"] = relative_day(row["last_held"], today)
        row["shown"] = bool(row["every_days"] or row["held"] or row["planned"])
    return types


def governance_card(*, request, poc, today: datetime.date | None = None) -> dict:
    """Context of `web/governance/card.html` on the POC page (seven queries at most,
    whatever the data)."""
    today = today or timezone.localdate()
    summary = governance_summary(poc=poc, today=today)
    warnings = decorate_warnings(summary["warnings"])
    return {
        "types": decorate_types(summary["types"], today),
        "warnings": warnings,
        "danger": any(warning.severity == "danger" for warning in warnings),
        "open_action_items": summary["open_action_items"],
        "overdue_action_items": summary["overdue_action_items"],
        "meetings_held": summary["meetings_held"],
        "can_edit": is_open(poc) and request.user.has_perm("pocdesk.edit_poc", poc),
        "today": today,
    }
