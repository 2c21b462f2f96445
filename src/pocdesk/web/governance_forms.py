"""Forms of the governance page (§8.3): the cadence, a meeting with its attendance and action
items, an action item on its own, an action item's status.

They parse input only: who may attend, who may own an action item and which dates are allowed
are the services' rules, whose errors are put back under the fields they name.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pocdesk.governance.models import (
    ActionItem,
    ActionStatus,
    Cadence,
    Meeting,
    MeetingStatus,
    MeetingType,
)

from .forms import DateInput, label
from .governance_display import TYPE_SHORT

ACTION_ROWS = 3
ATTENDED, ABSENT = "attended", "absent"
ATTENDANCE_CHOICES = [
    ("", pgettext_lazy("attendance", "Not invited")),
    (ATTENDED, pgettext_lazy("attendance", "Attended")),
    (ABSENT, pgettext_lazy("attendance", "Absent")),
]
OWNER_HELP = _("One owner: someone of our team or of the customer.")


def owner_choices(members, customers) -> list:
    """Our team and the customer's people in one picker: "u:<id>" and "s:<id>" values."""
    return [("", "—"),
            (_("Our team"), [(f"u:{pk}", name) for pk, name in members]),
            (_("Customer"), [(f"s:{pk}", name) for pk, name in customers])]


def split_owner(value: str) -> dict:
    """The picker's value as the service's `owner` / `customer_owner` arguments."""
    side, _colon, pk = (value or "").partition(":")
    return {"owner": pk if side == "u" else None,
            "customer_owner": pk if side == "s" else None}


class CadenceForm(forms.Form):
    weekly_sync_days = forms.IntegerField(
        label=label(Cadence, "weekly_sync_days"), required=False, min_value=1, max_value=90,
        help_text=Cadence._meta.get_field("weekly_sync_days").help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    steering_days = forms.IntegerField(
        label=label(Cadence, "steering_days"), required=False, min_value=1, max_value=180,
        help_text=Cadence._meta.get_field("steering_days").help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    grace_days = forms.IntegerField(
        label=label(Cadence, "grace_days"), min_value=0, max_value=30,
        help_text=Cadence._meta.get_field("grace_days").help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, cadence: Cadence, **kwargs):
        kwargs.setdefault("auto_id", "id_cadence_%s")
        kwargs.setdefault("initial", {name: getattr(cadence, name) for name in (
            "weekly_sync_days", "steering_days", "grace_days")})
        super().__init__(*args, **kwargs)


class MeetingForm(forms.Form):
    """A meeting as it was held (or planned): one attendance choice per customer stakeholder,
    our attendees as checkboxes and, when recording, up to three action items."""

    meeting_type = forms.ChoiceField(label=label(Meeting, "meeting_type"),
                                     choices=list(TYPE_SHORT.items()),
                                     initial=MeetingType.WEEKLY_SYNC)
    status = forms.ChoiceField(label=label(Meeting, "status"), choices=MeetingStatus.choices,
                               initial=MeetingStatus.HELD)
    date = forms.DateField(label=label(Meeting, "date"), widget=DateInput())
    title = forms.CharField(label=label(Meeting, "title"), max_length=200, required=False,
                            help_text=Meeting._meta.get_field("title").help_text)
    agenda = forms.CharField(label=label(Meeting, "agenda"), required=False, max_length=20000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=label(Meeting, "notes"), required=False, max_length=20000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    decisions = forms.CharField(label=label(Meeting, "decisions"), required=False,
                                max_length=20000, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=Meeting._meta.get_field("decisions").help_text)
    vendor_attendees = forms.MultipleChoiceField(
        label=label(Meeting, "vendor_attendees"), required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, customers, members, meeting: Meeting | None = None,
                 with_actions: bool = True, **kwargs):
        prefix = f"id_meeting{meeting.pk}_%s" if meeting else "id_meeting_%s"
        kwargs.setdefault("auto_id", prefix)
        if meeting is not None:
            kwargs.setdefault("initial", _meeting_initial(meeting))
        else:
            kwargs.setdefault("initial", {"date": timezone.localdate(),
                                          "meeting_type": MeetingType.WEEKLY_SYNC,
                                          "status": MeetingStatus.HELD})
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.customers = list(customers)
        self.fields["vendor_attendees"].choices = [(str(pk), name) for pk, name in members]
        for pk, _name in self.customers:
            self.fields[f"attendance_{pk}"] = forms.ChoiceField(
                choices=ATTENDANCE_CHOICES, required=False,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}))
        self.row_count = ACTION_ROWS if with_actions else 0
        choices = owner_choices(members, self.customers)
        for index in range(self.row_count):
            self.fields[f"action_{index}_text"] = forms.CharField(
                label=label(ActionItem, "text"), required=False, max_length=300)
            self.fields[f"action_{index}_owner"] = forms.ChoiceField(
                label=label(ActionItem, "owner"), required=False, choices=choices)
            self.fields[f"action_{index}_due_on"] = forms.DateField(
                label=label(ActionItem, "due_on"), required=False, widget=DateInput())
        self.attendance_errors: list[str] = []

    def attendance_rows(self):
        """(name, bound attendance field) per customer stakeholder of the deal."""
        return [(name, self[f"attendance_{pk}"]) for pk, name in self.customers]

    def action_rows(self):
        return [{"index": index, "text": self[f"action_{index}_text"],
                 "owner": self[f"action_{index}_owner"],
                 "due_on": self[f"action_{index}_due_on"]} for index in range(self.row_count)]

    def _action_items(self) -> tuple[list[dict], list[int]]:
        """The filled-in rows, and for each the index of the form row it came from."""
        data = self.cleaned_data
        items, rows = [], []
        for index in range(self.row_count):
            text = data.get(f"action_{index}_text") or ""
            owner = data.get(f"action_{index}_owner") or ""
            due_on = data.get(f"action_{index}_due_on")
            if not (text.strip() or owner or due_on):
                continue
            items.append({"text": text, **split_owner(owner), "due_on": due_on})
            rows.append(index)
        return items, rows

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {name: data.get(name) for name in (
            "meeting_type", "status", "date", "title", "agenda", "notes", "decisions")}
        arguments["attendees"] = [pk for pk, _name in self.customers
                                  if data.get(f"attendance_{pk}") == ATTENDED]
        arguments["absent"] = [pk for pk, _name in self.customers
                               if data.get(f"attendance_{pk}") == ABSENT]
        arguments["vendor_attendees"] = [int(pk) for pk in data.get("vendor_attendees") or []]
        if self.row_count:
            arguments["action_items"], self.action_row_indexes = self._action_items()
        return arguments

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        """The service's errors under their fields: attendance above the attendance list,
        `action_items.N.field` under row N's field."""
        indexes = getattr(self, "action_row_indexes", [])
        for name, messages in fields.items():
            target = None
            if name in ("attendees", "absent"):
                self.attendance_errors.extend(messages)
                continue
            parts = name.split(".")
            if parts[0] == "action_items" and len(parts) == 3 and parts[1].isdigit() \
                    and int(parts[1]) < len(indexes):
                row = indexes[int(parts[1])]
                field = "owner" if parts[2] == "customer_owner" else parts[2]
                target = f"action_{row}_{field}"
            elif name in self.fields and not self.fields[name].widget.is_hidden:
                target = name
            for message in messages:
                if target in self.fields:
                    self.add_error(target, message)
                else:
                    self.add_error(None, message)


def _meeting_initial(meeting: Meeting) -> dict:
    initial = {name: getattr(meeting, name) for name in (
        "meeting_type", "status", "date", "title", "agenda", "notes", "decisions")}
    initial["vendor_attendees"] = [str(user.pk) for user in meeting.vendor_attendees.all()]
    for attendance in meeting.attendances.all():
        initial[f"attendance_{attendance.stakeholder_id}"] = (
            ATTENDED if attendance.attended else ABSENT)
    return initial


class ActionItemForm(forms.Form):
    """An action item on its own, possibly from one of the POC's meetings."""

    text = forms.CharField(label=label(ActionItem, "text"), max_length=300)
    owner = forms.ChoiceField(label=label(ActionItem, "owner"), required=False,
                              help_text=OWNER_HELP)
    due_on = forms.DateField(label=label(ActionItem, "due_on"), required=False,
                             widget=DateInput())
    meeting = forms.ChoiceField(label=label(ActionItem, "meeting"), required=False)

    def __init__(self, *args, members, customers, meetings=(), **kwargs):
        kwargs.setdefault("auto_id", "id_action_%s")
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owner_choices(members, customers)
        self.fields["meeting"].choices = [("", _("None"))] + list(meetings)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"text": data["text"], **split_owner(data.get("owner")),
                "due_on": data.get("due_on"), "meeting": data.get("meeting") or None}

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        for name, messages in fields.items():
            target = "owner" if name == "customer_owner" else name
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class ActionStatusForm(forms.Form):
    """The button pressed on an action item: done, cancelled, or open again."""

    status = forms.ChoiceField(choices=ActionStatus.choices)
