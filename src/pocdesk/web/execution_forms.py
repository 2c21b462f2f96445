"""Forms of the execution page: a reading, an evidence file, a log entry and its witness.

They parse input only: whether a criterion takes a number or a pass/fail result, whether the
POC is running, which files are accepted and who may witness are the services' rules, whose
errors are put back under the fields of the same name.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pocdesk.criteria.measure import target_text
from pocdesk.criteria.models import Comparator
from pocdesk.execution.models import (
    Evidence,
    KeyEvent,
    LogEntry,
    LogKind,
    LogStatus,
    Measurement,
    Severity,
)

from .execution_display import number_text
from .forms import BLANK, label
from .scope_forms import DateTimeLocalInput

# What the file pickers offer (the services judge the content, not these hints).
EVIDENCE_ACCEPT = ("image/png,image/jpeg,image/gif,image/webp,video/mp4,application/pdf,"
                   ".xlsx,.csv,.txt,.log")
DECIMAL = {"step": "any", "inputmode": "decimal", "autocomplete": "off"}
PASS, FAIL = "pass", "fail"


def now_to_the_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


def zone_help() -> str:
    return _("In your time zone (%(zone)s).") % {"zone": timezone.get_current_timezone_name()}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files from one picker; `cleaned_data` holds a list (maybe empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class CriterionSelect(forms.Select):
    """The criterion picker; each option says whether it takes a number (in which unit, to
    reach which target) or a pass/fail result, so the form shows the right input."""

    def __init__(self, *args, option_attrs: dict[str, dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_attrs = option_attrs or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


def criterion_choices(criteria) -> list[tuple[str, str]]:
    return [(str(criterion.pk), str(criterion)) for criterion in criteria]


def criterion_option_attrs(criteria) -> dict[str, dict]:
    return {str(criterion.pk): {
        "data-kind": "pass_fail" if criterion.comparator == Comparator.PASS_FAIL else "numeric",
        "data-unit": criterion.unit,
        "data-target": target_text(criterion, number=number_text)} for criterion in criteria}


class MeasurementForm(forms.Form):
    """One reading of a criterion: a number, or the result of a pass/fail test."""

    criterion = forms.ChoiceField(label=label(Measurement, "criterion"))
    value = forms.DecimalField(label=label(Measurement, "value"), required=False, max_digits=20,
                               decimal_places=6, widget=forms.NumberInput(attrs=DECIMAL))
    passed = forms.ChoiceField(
        label=_("Result"), required=False,
        choices=[(PASS, pgettext_lazy("test result", "Pass")),
                 (FAIL, pgettext_lazy("test result", "Fail"))],
        widget=forms.RadioSelect(attrs={"class": "btn-check"}))
    measured_at = forms.DateTimeField(label=label(Measurement, "measured_at"),
                                      widget=DateTimeLocalInput())
    conditions = forms.CharField(label=label(Measurement, "conditions"), max_length=300,
                                 required=False,
                                 help_text=_("e.g. full load, ambient 35 °C, line 2"))
    note = forms.CharField(label=label(Measurement, "note"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    evidence_files = MultipleFileField(
        label=_("Photos and files"),
        help_text=_("Photos, a video, a PDF or an instrument export (several at once)."))

    def __init__(self, *args, criteria, **kwargs):
        kwargs.setdefault("auto_id", "id_measurement_%s")
        kwargs.setdefault("initial", {"measured_at": now_to_the_minute()})
        super().__init__(*args, **kwargs)
        criteria = list(criteria)
        self.fields["criterion"].choices = [("", _("Choose a criterion…"))] + \
            criterion_choices(criteria)
        self.fields["criterion"].widget = CriterionSelect(
            choices=self.fields["criterion"].choices,
            option_attrs=criterion_option_attrs(criteria),
            attrs={"x-ref": "criterion", "@change": "pick()"})
        self.fields["measured_at"].widget.attrs["max"] = (
            now_to_the_minute().strftime("%Y-%m-%dT%H:%M"))
        self.fields["measured_at"].help_text = zone_help()

    def clean_passed(self):
        return {PASS: True, FAIL: False}.get(self.cleaned_data.get("passed"))

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"criterion": int(data["criterion"]), "measured_at": data["measured_at"],
                "value": data["value"], "passed": data["passed"],
                "conditions": data["conditions"], "note": data["note"],
                "evidence_files": data["evidence_files"]}


class EvidenceForm(forms.Form):
    """A photo, video, log or instrument export, optionally about one criterion."""

    file = forms.FileField(label=label(Evidence, "file"),
                           widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT}),
                           help_text=_("Photo, video (MP4), PDF, spreadsheet, CSV or log file."))
    caption = forms.CharField(label=label(Evidence, "caption"), max_length=300, required=False)
    criterion = forms.ChoiceField(label=label(Evidence, "criterion"), required=False)
    taken_at = forms.DateTimeField(label=label(Evidence, "taken_at"), required=False,
                                   widget=DateTimeLocalInput(),
                                   help_text=_("When the photo or the export was taken."))

    def __init__(self, *args, criteria, **kwargs):
        kwargs.setdefault("auto_id", "id_evidence_%s")
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", _("None"))] + criterion_choices(criteria)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"uploaded": data["file"], "caption": data["caption"],
                "criterion": int(data["criterion"]) if data["criterion"] else None,
                "taken_at": data["taken_at"]}


def _choice_id(value):
    return int(value) if value else None


class LogEntryForm(forms.Form):
    """An observation, issue, technical risk or key event, with its attachments."""

    kind = forms.ChoiceField(label=label(LogEntry, "kind"), choices=LogKind.choices,
                             initial=LogKind.OBSERVATION,
                             widget=forms.Select(attrs={"x-model": "kind"}))
    key_event = forms.ChoiceField(label=label(LogEntry, "key_event"), required=False,
                                  choices=BLANK + KeyEvent.choices)
    title = forms.CharField(label=label(LogEntry, "title"), max_length=200)
    body = forms.CharField(label=label(LogEntry, "body"), required=False, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    occurred_at = forms.DateTimeField(label=label(LogEntry, "occurred_at"),
                                      widget=DateTimeLocalInput())
    milestone = forms.ChoiceField(label=label(LogEntry, "milestone"), required=False)
    severity = forms.ChoiceField(label=label(LogEntry, "severity"), required=False,
                                 choices=BLANK + Severity.choices)
    status = forms.ChoiceField(label=label(LogEntry, "status"), required=False,
                               choices=BLANK + LogStatus.choices)
    mitigation = forms.CharField(label=label(LogEntry, "mitigation"), required=False,
                                 max_length=20000, widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("What reduces the risk, who does it, by when."))
    witnessed_by = forms.ChoiceField(label=label(LogEntry, "witnessed_by"), required=False,
                                     help_text=_("The customer's person who saw it happen."))
    witnessed_at = forms.DateTimeField(label=label(LogEntry, "witnessed_at"), required=False,
                                       widget=DateTimeLocalInput(),
                                       help_text=_("Leave empty to use the current time."))
    evidence_files = MultipleFileField(label=label(LogEntry, "evidence"))

    def __init__(self, *args, milestones, customer_choices, **kwargs):
        kwargs.setdefault("auto_id", "id_log_%s")
        kwargs.setdefault("initial", {"kind": LogKind.OBSERVATION,
                                      "occurred_at": now_to_the_minute()})
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].help_text = zone_help()
        self.fields["milestone"].choices = [("", _("None"))] + [
            (str(milestone.pk), milestone.label) for milestone in milestones]
        self.fields["witnessed_by"].choices = [("", _("Nobody from the customer"))] + \
            customer_choices

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "title": data["title"], "body": data["body"],
                "occurred_at": data["occurred_at"], "key_event": data["key_event"],
                "milestone": _choice_id(data["milestone"]), "severity": data["severity"],
                "status": data["status"], "mitigation": data["mitigation"],
                "witnessed_by": _choice_id(data["witnessed_by"]),
                "witnessed_at": data["witnessed_at"],
                "evidence_files": data["evidence_files"]}


def stakeholder_choices(customers) -> list[tuple[str, str]]:
    return [(str(person.pk), f"{person.name} · {person.title}" if person.title else person.name)
            for person in customers]


class WitnessForm(forms.Form):
    """Who of the customer saw a key event happen, and when."""

    witnessed_by = forms.ChoiceField(label=label(LogEntry, "witnessed_by"))
    witnessed_at = forms.DateTimeField(label=label(LogEntry, "witnessed_at"), required=False,
                                       widget=DateTimeLocalInput())

    def __init__(self, *args, entry, customer_choices, **kwargs):
        kwargs.setdefault("auto_id", f"id_witness{entry.pk}_%s")
        kwargs.setdefault("initial", {"witnessed_at": entry.occurred_at})
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.fields["witnessed_by"].choices = BLANK + customer_choices

    def service_arguments(self) -> dict:
        return {"witnessed_by": int(self.cleaned_data["witnessed_by"]),
                "witnessed_at": self.cleaned_data["witnessed_at"]}
