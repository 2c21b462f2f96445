"""Forms of the scope page: scope-change requests (§7) and the commitments register (§8.4).

They parse input only: which decision needs a quote, a note or a manager, and what each
commitment category requires, is checked by the services, whose errors are put back under the
fields of the same name.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pocdesk.scope.models import (
    ChangeClass,
    ChangeDecision,
    Commitment,
    CommitmentCategory,
    CommitmentStatus,
    ScopeChange,
)
from pocdesk.scope.services import UNCERTAIN_ANSWER_WITHIN
from pocdesk.stakeholders.models import Stakeholder

from .forms import DateInput, StakeholderChoiceField, UserChoiceField, label

HOURS = {"step": "0.5", "min": 0, "inputmode": "decimal"}

# One line under each class and category: what it means for the POC.
CLASS_EXPLANATIONS = {
    ChangeClass.MINOR_ADJUSTMENT: _("Acceptable inside the POC: counts towards scope creep "
                                    "once accepted."),
    ChangeClass.EVOLUTION: _("Goes on the post-signature roadmap, not into the POC."),
    ChangeClass.SPECIFIC_DEVELOPMENT: _("Paid scope: needs a quoted budget, and only a manager "
                                        "accepts it."),
}
CATEGORY_EXPLANATIONS = {
    CommitmentCategory.UNCERTAIN: _("A “let me check”: the customer gets an answer within "
                                    "24 hours, even if it is no."),
    CommitmentCategory.RISKY: _("It holds only if stated preconditions are met: write them "
                                "down."),
    CommitmentCategory.OUT_OF_SCOPE: _("Beyond the agreed scope: link the customer's "
                                       "scope-change request, or say who assessed its "
                                       "feasibility."),
}


def add_person_help(poc) -> str:
    """A link to add a customer stakeholder to the deal, under a stakeholder picker."""
    url = reverse("web:stakeholder_create") + f"?opportunity={poc.opportunity_id}"
    return format_html('<a href="{}">{}</a>', url,
                       _("Not in the list? Add the person to the deal."))


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker, in the reader's time zone (no seconds)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ScopeChangeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{date_format(obj.requested_on, 'SHORT_DATE_FORMAT')} · {obj}"


class ScopeChangeForm(forms.Form):
    """A customer's request, as it was asked."""

    text = forms.CharField(label=label(ScopeChange, "text"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("What the customer asked for, in their words."))
    requested_by = StakeholderChoiceField(label=label(ScopeChange, "requested_by"),
                                          queryset=Stakeholder.objects.none())
    requested_on = forms.DateField(label=label(ScopeChange, "requested_on"), widget=DateInput())
    effort_hours = forms.DecimalField(label=label(ScopeChange, "effort_hours"), max_digits=8,
                                      decimal_places=1, widget=forms.NumberInput(attrs=HOURS))
    change_class = forms.ChoiceField(label=label(ScopeChange, "change_class"),
                                     choices=ChangeClass.choices,
                                     widget=forms.RadioSelect(attrs={"class": "form-check-input"}))

    def __init__(self, *args, customers, poc, **kwargs):
        kwargs.setdefault("auto_id", "id_change_%s")
        kwargs.setdefault("initial", {"requested_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["requested_by"].queryset = customers
        self.fields["requested_by"].help_text = add_person_help(poc)
        self.fields["requested_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def class_choices(self):
        """Each class's radio button with its one-line explanation."""
        return [(radio, CLASS_EXPLANATIONS.get(radio.data["value"], ""))
                for radio in self["change_class"]]

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class AcceptOnlyForManagers(forms.Select):
    """The decision picker; "accepted" is greyed out where only a manager may accept."""

    def __init__(self, *args, manager_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager_only = manager_only

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if self.manager_only and value == ChangeDecision.ACCEPTED:
            option["attrs"]["disabled"] = True
        return option


class ScopeDecisionForm(forms.Form):
    """A decision on one request; `override` is offered to managers on a specific development."""

    decision = forms.ChoiceField(
        label=label(ScopeChange, "decision"), required=False,
        choices=[("", _("Choose…"))] + [(value, name) for value, name in ChangeDecision.choices
                                       if value != ChangeDecision.PENDING])
    note = forms.CharField(label=label(ScopeChange, "decision_note"), max_length=4000,
                           required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required to reject a request or to override."))
    quote_amount = forms.DecimalField(label=label(ScopeChange, "quote_amount"), required=False,
                                      max_digits=16, decimal_places=2,
                                      widget=forms.NumberInput(attrs={"step": "0.01", "min": 0}))
    # A code with the page's shared <datalist> of ISO 4217 codes; the service checks it.
    quote_currency = forms.CharField(
        label=label(ScopeChange, "quote_currency"), max_length=3, required=False,
        widget=forms.TextInput(attrs={"list": "currency-codes", "autocomplete": "off",
                                      "class": "text-uppercase", "size": 4}))
    override = forms.BooleanField(
        label=_("Override: accept without a budget"), required=False,
        help_text=_("Your decision as the manager, recorded as such: say why in the note."))

    def __init__(self, *args, change: ScopeChange, currency: str, is_manager: bool, **kwargs):
        kwargs.setdefault("auto_id", f"id_change{change.pk}_%s")
        kwargs.setdefault("initial", {
            "quote_amount": change.quote_amount,
            "quote_currency": change.quote_currency or currency})
        super().__init__(*args, **kwargs)
        self.change = change
        paid = change.change_class == ChangeClass.SPECIFIC_DEVELOPMENT
        if not (paid and is_manager):
            del self.fields["override"]
        self.manager_only = paid and not is_manager
        if self.manager_only:
            self.fields["decision"].widget = AcceptOnlyForManagers(
                choices=self.fields["decision"].choices, manager_only=True)
            self.fields["decision"].help_text = _("Only a manager accepts a specific "
                                                  "development: it is paid scope.")

    def clean_quote_currency(self) -> str:
        return (self.cleaned_data.get("quote_currency") or "").strip().upper()

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"decision": data["decision"], "note": data["note"],
                "quote_amount": data["quote_amount"], "quote_currency": data["quote_currency"],
                "override": bool(data.get("override"))}


def default_due(now: datetime.datetime | None = None) -> datetime.datetime:
    """When an uncertain commitment made now is due, to the minute, in the reader's zone."""
    moment = timezone.localtime(now or timezone.now()) + UNCERTAIN_ANSWER_WITHIN
    return moment.replace(second=0, microsecond=0)


class CommitmentForm(forms.Form):
    """A promise made to the customer; what its category requires is the service's rule."""

    text = forms.CharField(label=label(Commitment, "text"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("What was promised, as the customer heard it."))
    made_to = StakeholderChoiceField(label=label(Commitment, "made_to"),
                                     queryset=Stakeholder.objects.none())
    made_by = UserChoiceField(label=label(Commitment, "made_by"),
                              queryset=get_user_model().objects.none())
    category = forms.ChoiceField(label=label(Commitment, "category"),
                                 choices=CommitmentCategory.choices,
                                 initial=CommitmentCategory.UNCERTAIN,
                                 widget=forms.RadioSelect(attrs={"class": "form-check-input",
                                                                 "x-model": "category"}))
    due_at = forms.DateTimeField(
        label=label(Commitment, "due_at"), required=False, widget=DateTimeLocalInput(),
        help_text=_("Uncertain: 24 hours from now unless you set it."))
    preconditions = forms.CharField(
        label=label(Commitment, "preconditions"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What must be true for the promise to hold."))
    scope_change = ScopeChangeChoiceField(
        label=label(Commitment, "scope_change"), required=False,
        queryset=ScopeChange.objects.none(), empty_label=_("None"))
    feasibility = forms.CharField(
        label=label(Commitment, "feasibility"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who checked that it can be done, and how."))

    def __init__(self, *args, poc, customers, members, changes, made_by=None, now=None,
                 **kwargs):
        initial = {"category": CommitmentCategory.UNCERTAIN, "due_at": default_due(now),
                   "made_by": getattr(made_by, "pk", None)}
        kwargs.setdefault("auto_id", "id_commitment_%s")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["made_to"].queryset = customers
        self.fields["made_to"].help_text = add_person_help(poc)
        self.fields["made_by"].queryset = members
        self.fields["scope_change"].queryset = changes

    def category_choices(self):
        """Each category's radio button with its rule."""
        return [(radio, CATEGORY_EXPLANATIONS.get(radio.data["value"], ""))
                for radio in self["category"]]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in (
            "text", "made_to", "made_by", "category", "due_at", "preconditions",
            "scope_change", "feasibility")}


def change_initial(change: ScopeChange) -> dict:
    """A recorded request's values, to prefill the form that corrects it."""
    return {"text": change.text, "requested_by": change.requested_by_id,
            "requested_on": change.requested_on, "effort_hours": change.effort_hours,
            "change_class": change.change_class}


def commitment_initial(commitment: Commitment) -> dict:
    """An open commitment's values, to prefill the form that corrects it."""
    due_at = commitment.due_at
    return {"text": commitment.text, "made_to": commitment.made_to_id,
            "made_by": commitment.made_by_id, "category": commitment.category,
            "due_at": timezone.localtime(due_at) if due_at else None,
            "preconditions": commitment.preconditions,
            "scope_change": commitment.scope_change_id, "feasibility": commitment.feasibility}


def freeze_choices(form: forms.Form, names) -> dict[str, list]:
    """The pickers' choices read once, so that many forms of one page can share them."""
    frozen = {name: list(form.fields[name].choices) for name in names}
    share_choices(form, frozen)
    return frozen


def share_choices(form: forms.Form, frozen: dict[str, list]) -> forms.Form:
    """Render the form's pickers from choices already read (their queryset still validates)."""
    for name, choices in frozen.items():
        form.fields[name].choices = choices
    return form


class CommitmentResolveForm(forms.Form):
    """Kept, broken or withdrawn (the button pressed), with what happened."""

    STATUSES = [(value, name) for value, name in CommitmentStatus.choices
                if value != CommitmentStatus.OPEN]

    status = forms.CharField(required=False, max_length=10)
    note = forms.CharField(label=label(Commitment, "resolution_note"), max_length=4000,
                           required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required when the commitment is broken or withdrawn."))

    def __init__(self, *args, commitment: Commitment, **kwargs):
        kwargs.setdefault("auto_id", f"id_commitment{commitment.pk}_%s")
        super().__init__(*args, **kwargs)
        self.commitment = commitment
