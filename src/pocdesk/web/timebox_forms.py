"""Forms of the timebox page: the milestone plan, completing a milestone, extensions, the exit
decision.

They parse input only; the timebox services check the rules and their errors are put back
under the fields of the same name. People are offered as plain choices computed once per
page (team members, the deal's customer stakeholders), so a plan of twenty rows does not cost
twenty queries.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pocdesk.people.selectors import team_members, user_label
from pocdesk.qualification.selectors import decision_chain_stakeholders
from pocdesk.stakeholders.models import Side
from pocdesk.timebox.models import (
    ExitDecisionKind,
    Extension,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
)

from .forms import BLANK, DateInput, label


def member_choices(poc) -> list[tuple[int, str]]:
    """The POC's team members, for owner pickers (one query)."""
    return [(user.pk, user_label(user)) for user in team_members(team_ids=[poc.team_id])]


def customer_choices(poc) -> list[tuple[int, str]]:
    """The deal's customer stakeholders, for customer-owner and witness pickers (one query)."""
    return [(person.pk, f"{person.name} · {person.title}" if person.title else person.name)
            for person in decision_chain_stakeholders(opportunity=poc.opportunity)
            .filter(side=Side.CUSTOMER)]


def _person_field(model, name: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label(model, name), coerce=int, empty_value=None,
                                  required=False)


class MilestoneRowForm(forms.Form):
    """One row of the plan editor; `key` keeps an existing milestone (and its planned date)."""

    key = forms.CharField(required=False, widget=forms.HiddenInput)
    sequence = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=label(Milestone, "kind"), choices=MilestoneKind.choices,
                             initial=MilestoneKind.OTHER)
    title = forms.CharField(label=label(Milestone, "title"), max_length=200, required=False)
    due_date = forms.DateField(label=label(Milestone, "due_date"), widget=DateInput())
    owner = _person_field(Milestone, "owner")
    customer_owner = _person_field(Milestone, "customer_owner")
    customer_witness = forms.BooleanField(label=_("Customer witness"), required=False)

    ROW_FIELDS = ("kind", "title", "sequence", "due_date", "owner", "customer_owner",
                  "customer_witness")

    def __init__(self, *args, members=(), customers=(), milestones=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = BLANK + list(members)
        self.fields["customer_owner"].choices = BLANK + list(customers)
        for name in ("kind", "owner", "customer_owner"):
            self.fields[name].widget.attrs["class"] = "form-select-sm"
        for name in ("title", "due_date"):
            self.fields[name].widget.attrs["class"] = "form-control-sm"
        self.milestone = (milestones or {}).get(str(self["key"].value() or ""))
        kind = self["kind"].value()
        if kind in MilestoneKind.values:
            sequence = self["sequence"].value()
            sequence = int(sequence) if str(sequence or "").isdigit() else 0
            self.fields["title"].widget.attrs["placeholder"] = Milestone(
                kind=kind, sequence=sequence).label

    @property
    def is_done(self) -> bool:
        return bool(self.milestone and self.milestone.status == MilestoneStatus.DONE)

    def clean_sequence(self) -> int:
        return self.cleaned_data.get("sequence") or 0


# Rows sent as initial forms are checked in full; the spare row only when it is filled in.
MilestoneFormSet = forms.formset_factory(MilestoneRowForm, extra=1, max_num=200,
                                         can_delete=True)


def formset_rows(formset, fields) -> list[tuple[forms.Form, dict]]:
    """The rows to save, each with the form it came from: removed rows and an untouched spare
    row left out, a row's `key` sent only when it has one (a new row gets its key from the
    service)."""
    rows = []
    for index, row_form in enumerate(formset.forms):
        data = getattr(row_form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        if index >= formset.initial_form_count() and not row_form.has_changed():
            continue
        row = {name: data.get(name) for name in fields if name != "key"}
        if data.get("key"):
            row["key"] = data["key"]
        rows.append((row_form, row))
    return rows


def plan_rows(formset) -> list[tuple[forms.Form, dict]]:
    """The milestone plan's rows to save."""
    return formset_rows(formset, MilestoneRowForm.ROW_FIELDS)


def initial_rows_from_milestones(milestones) -> list[dict]:
    return [{"key": str(m.key), "kind": m.kind, "title": m.title, "sequence": m.sequence,
             "due_date": m.due_date, "owner": m.owner_id, "customer_owner": m.customer_owner_id,
             "customer_witness": m.customer_witness} for m in milestones]


def initial_rows_from_proposal(rows) -> list[dict]:
    return [{"kind": row["kind"], "title": row["title"], "sequence": row["sequence"],
             "due_date": row["due_date"],
             "owner": row["owner"].pk if row["owner"] else None,
             "customer_owner": row["customer_owner"].pk if row["customer_owner"] else None,
             "customer_witness": row["customer_witness"]} for row in rows]


class MilestoneDoneForm(forms.Form):
    """Mark a milestone done: when, who of the customer witnessed it, and the evidence."""

    completed_on = forms.DateField(label=label(Milestone, "completed_on"), widget=DateInput())
    witnessed_by = _person_field(Milestone, "witnessed_by")
    evidence_note = forms.CharField(label=label(Milestone, "evidence_note"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("What shows it is done: a measurement, a "
                                                "report, the customer's e-mail."))
    evidence_file = forms.FileField(label=label(Milestone, "evidence_file"), required=False,
                                    help_text=_("A photo, log, report or export."))

    def __init__(self, *args, milestone, customers=(), **kwargs):
        kwargs.setdefault("prefix", f"done-{milestone.pk}")
        kwargs.setdefault("initial", {"completed_on": timezone.localdate(),
                                      "evidence_note": milestone.evidence_note})
        super().__init__(*args, **kwargs)
        self.milestone = milestone
        if milestone.customer_witness:
            self.fields["witnessed_by"].choices = BLANK + list(customers)
            self.fields["witnessed_by"].help_text = _(
                "The customer was invited to witness this milestone.")
        else:
            del self.fields["witnessed_by"]
        self.fields["completed_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def service_arguments(self) -> dict:
        arguments = {name: self.cleaned_data.get(name) for name in (
            "completed_on", "witnessed_by", "evidence_note") if name in self.fields}
        arguments["status"] = MilestoneStatus.DONE
        return arguments


class MilestoneStatusForm(forms.Form):
    """Skip a milestone, or plan a skipped one again."""

    status = forms.ChoiceField(choices=[(MilestoneStatus.SKIPPED, MilestoneStatus.SKIPPED),
                                        (MilestoneStatus.PLANNED, MilestoneStatus.PLANNED)])


class ExtensionRequestForm(forms.Form):
    requested_end = forms.DateField(label=label(Extension, "requested_end"), required=False,
                                    widget=DateInput())
    reason = forms.CharField(label=label(Extension, "reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("What happened, and what the extra time is for."))

    def __init__(self, *args, current_end=None, **kwargs):
        kwargs.setdefault("prefix", "extension")
        super().__init__(*args, **kwargs)
        if current_end is not None:
            self.fields["requested_end"].widget.attrs["min"] = current_end.isoformat()


class ExtensionDecisionForm(forms.Form):
    """A manager's decision on the pending extension (the button pressed says which)."""

    decision = forms.ChoiceField(choices=[("approve", "approve"), ("refuse", "refuse")])
    note = forms.CharField(label=label(Extension, "decision_note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required to refuse, or to approve beyond the team's "
                                       "limits."))
    beyond_policy = forms.BooleanField(label=_("Approve beyond the team's limits"),
                                       required=False)

    def __init__(self, *args, extension, limits=(), **kwargs):
        kwargs.setdefault("prefix", f"decide-{extension.pk}")
        super().__init__(*args, **kwargs)
        self.extension = extension
        self.limits = list(limits)
        if not self.limits:
            del self.fields["beyond_policy"]


class ExitDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=ExitDecisionKind.choices,
                                 required=False, widget=forms.RadioSelect)
    requested_end = forms.DateField(label=_("New end date (to extend)"), required=False,
                                    widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("What was decided, and with whom at the customer."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "exit")
        super().__init__(*args, **kwargs)
