"""Forms of the POC plan pages: criteria, library, signatures and the agreement.

They parse input only: what makes a criterion measurable or an agreement valid is checked by
the services, whose errors are put back under the fields of the same name.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pocdesk.agreements.models import (
    Agreement,
    CostCategory,
    CostLine,
    CustomerResource,
    FollowOnKind,
    Payer,
    ResourceKind,
)
from pocdesk.criteria.models import (
    SPEC_FIELDS,
    Aggregation,
    Comparator,
    Criterion,
    CriterionTemplate,
    OwnerSide,
)
from pocdesk.signoffs.models import Signature
from pocdesk.stakeholders.models import Stakeholder

from .forms import DateInput, StakeholderChoiceField, label

NUMBER = {"step": "any", "inputmode": "decimal"}


def _decimal(model, name: str) -> forms.DecimalField:
    return forms.DecimalField(label=label(model, name), required=False, max_digits=20,
                              decimal_places=6, widget=forms.NumberInput(attrs=NUMBER))


class CriterionForm(forms.Form):
    """Every spec field of a criterion; the page shows those that the comparator uses."""

    title = forms.CharField(label=label(Criterion, "title"), max_length=200)
    question = forms.CharField(label=label(Criterion, "question"), required=False,
                               help_text=Criterion._meta.get_field("question").help_text,
                               widget=forms.Textarea(attrs={"rows": 2}))
    comparator = forms.ChoiceField(label=label(Criterion, "comparator"),
                                   choices=Comparator.choices, initial=Comparator.GTE)
    metric = forms.CharField(label=label(Criterion, "metric"), max_length=200, required=False,
                             help_text=_("What is measured, e.g. throughput."))
    unit = forms.CharField(label=label(Criterion, "unit"), max_length=40, required=False,
                           help_text=_("e.g. t/h, K, %, ms"))
    target_value = _decimal(Criterion, "target_value")
    tolerance = _decimal(Criterion, "tolerance")
    target_min = _decimal(Criterion, "target_min")
    target_max = _decimal(Criterion, "target_max")
    pass_condition = forms.CharField(
        label=label(Criterion, "pass_condition"), required=False,
        help_text=Criterion._meta.get_field("pass_condition").help_text,
        widget=forms.Textarea(attrs={"rows": 2}))
    aggregation = forms.ChoiceField(label=label(Criterion, "aggregation"),
                                    choices=Aggregation.choices, initial=Aggregation.LATEST,
                                    help_text=_("How many readings make one result."))
    required_share = forms.DecimalField(
        label=label(Criterion, "required_share"), required=False, max_digits=5,
        decimal_places=2, widget=forms.NumberInput(attrs={**NUMBER, "min": 0, "max": 100}))
    test_conditions = forms.CharField(
        label=label(Criterion, "test_conditions"), required=False,
        help_text=Criterion._meta.get_field("test_conditions").help_text,
        widget=forms.Textarea(attrs={"rows": 2}))
    measurement_method = forms.CharField(
        label=label(Criterion, "measurement_method"), required=False,
        help_text=_("Required: the instrument, test procedure or report that gives the result."),
        widget=forms.Textarea(attrs={"rows": 2}))
    frequency = forms.CharField(label=label(Criterion, "frequency"), max_length=120,
                                required=False, help_text=_("e.g. every shift, daily"))
    owner_side = forms.ChoiceField(label=label(Criterion, "owner_side"),
                                   choices=OwnerSide.choices, initial=OwnerSide.VENDOR,
                                   help_text=_("Who measures and reports it."))
    importance = forms.TypedChoiceField(label=label(Criterion, "importance"), coerce=int,
                                        choices=[(n, str(n)) for n in range(1, 6)], initial=3)
    must_have = forms.BooleanField(label=label(Criterion, "must_have"), required=False,
                                   help_text=Criterion._meta.get_field("must_have").help_text)

    # Which comparators use a field: the page hides (and does not send) the others.
    USED_WITH = {
        "metric": ("gte", "lte", "eq", "between"),
        "unit": ("gte", "lte", "eq", "between"),
        "target_value": ("gte", "lte", "eq"),
        "tolerance": ("eq",),
        "target_min": ("between",),
        "target_max": ("between",),
        "pass_condition": ("pass_fail",),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, comparators in self.USED_WITH.items():
            condition = " && ".join(f"comparator !== '{c}'" for c in comparators)
            self.fields[name].widget.attrs["x-bind:disabled"] = condition
        self.fields["required_share"].widget.attrs["x-bind:disabled"] = \
            "aggregation !== 'share_passing'"
        self.fields["comparator"].widget.attrs["x-model"] = "comparator"
        self.fields["aggregation"].widget.attrs["x-model"] = "aggregation"

    @classmethod
    def initial_from(cls, criterion) -> dict:
        """The criterion's values, numbers without trailing zeros ("120", not "120.000000")."""
        values = {name: getattr(criterion, name) for name in SPEC_FIELDS}
        return {name: format(value.normalize(), "f") if isinstance(value, Decimal) else value
                for name, value in values.items()}

    def shown_when(self, name: str) -> str:
        """The Alpine expression that shows a field's row."""
        if name == "required_share":
            return "aggregation === 'share_passing'"
        return " || ".join(f"comparator === '{c}'" for c in self.USED_WITH[name])

    def _row(self, name: str) -> dict:
        """A field shown only with some comparators (or aggregations), and whether it is now."""
        if name == "required_share":
            visible = (self["aggregation"].value() or "") == Aggregation.SHARE_PASSING
        else:
            visible = (self["comparator"].value() or Comparator.GTE) in self.USED_WITH[name]
        return {"name": name, "field": self[name], "show": self.shown_when(name),
                "visible": visible}

    @property
    def target_rows(self) -> list[dict]:
        return [self._row(name) for name in ("metric", "unit", "target_value", "tolerance",
                                             "target_min", "target_max")]

    @property
    def pass_row(self) -> dict:
        return self._row("pass_condition")

    @property
    def share_row(self) -> dict:
        return self._row("required_share")

    def service_arguments(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in SPEC_FIELDS}


class LibraryForm(forms.Form):
    """Criteria of the team's library to add to the POC's draft."""

    templates = forms.ModelMultipleChoiceField(
        label=_("Criteria of the library"), queryset=CriterionTemplate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one criterion of the library.")})

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["templates"].queryset = templates


class CopyFromPocForm(forms.Form):
    """Another POC whose draft criteria to copy, among those the selector offers."""

    source = forms.TypedChoiceField(label=_("Copy the criteria of"), coerce=int)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {poc.pk: poc for poc in sources}
        self.fields["source"].choices = [("", _("Choose a POC…"))] + [
            (poc.pk, _("%(account)s · %(title)s (%(count)s criteria)") % {
                "account": poc.opportunity.account.name, "title": poc.title,
                "count": getattr(poc, "criteria_count", "?")})
            for poc in self.sources.values()]

    def clean_source(self):
        return self.sources[self.cleaned_data["source"]]


class SaveToLibraryForm(forms.Form):
    industry = forms.CharField(label=label(CriterionTemplate, "industry"), max_length=120,
                               required=False)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class VendorSignatureForm(forms.Form):
    signer_title = forms.CharField(label=label(Signature, "signer_title"), max_length=200,
                                   required=False)


class CustomerSignatureForm(forms.Form):
    stakeholder = StakeholderChoiceField(
        label=_("Customer signatory"), required=False, queryset=Stakeholder.objects.none(),
        empty_label=_("Someone else (type the name)"))
    signer_name = forms.CharField(label=_("Name of the signatory"), max_length=200,
                                  required=False,
                                  help_text=_("Taken from the person chosen above when empty."))
    signer_title = forms.CharField(label=label(Signature, "signer_title"), max_length=200,
                                   required=False)
    signed_at = forms.DateField(label=_("Date signed"), widget=DateInput())
    scan = forms.FileField(label=label(Signature, "scan"), required=False,
                           help_text=_("The signed page(s): PDF or image."))

    def __init__(self, *args, stakeholders, **kwargs):
        kwargs.setdefault("initial", {"signed_at": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = stakeholders


class AgreementForm(forms.Form):
    scope_included = forms.CharField(label=label(Agreement, "scope_included"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    scope_excluded = forms.CharField(label=label(Agreement, "scope_excluded"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    start_date = forms.DateField(label=label(Agreement, "start_date"), required=False,
                                 widget=DateInput())
    end_date = forms.DateField(label=label(Agreement, "end_date"), required=False,
                               widget=DateInput())
    checkpoint_cadence_days = forms.IntegerField(
        label=label(Agreement, "checkpoint_cadence_days"), min_value=1, max_value=90)
    ip_ownership = forms.CharField(label=label(Agreement, "ip_ownership"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    confidentiality = forms.CharField(label=label(Agreement, "confidentiality"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))
    nda_reference = forms.CharField(label=label(Agreement, "nda_reference"), max_length=200,
                                    required=False)
    follow_on_kind = forms.ChoiceField(label=label(Agreement, "follow_on_kind"),
                                       choices=FollowOnKind.choices)
    follow_on = forms.CharField(label=label(Agreement, "follow_on"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))
    exit_slip_days = forms.IntegerField(label=label(Agreement, "exit_slip_days"), min_value=1,
                                        max_value=365)
    exit_clause = forms.CharField(label=label(Agreement, "exit_clause"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    data_handling = forms.CharField(label=label(Agreement, "data_handling"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 4}))
    # Not a clause: a manager's approval of dates longer than the team's maximum duration.
    approve_duration = forms.BooleanField(
        label=_("Approve a longer timebox (manager)"), required=False,
        help_text=_("Needed only when the dates are longer than the team's maximum duration: "
                    "your approval is recorded."))

    NOT_CLAUSES = ("approve_duration",)

    @classmethod
    def initial_from(cls, agreement) -> dict:
        return {name: getattr(agreement, name) for name in cls.base_fields
                if name not in cls.NOT_CLAUSES}

    def clauses(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items()
                if name not in self.NOT_CLAUSES}


class ResourceRowForm(forms.Form):
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=label(CustomerResource, "kind"), choices=ResourceKind.choices)
    description = forms.CharField(label=label(CustomerResource, "description"), max_length=300,
                                  required=False)
    due_date = forms.DateField(label=label(CustomerResource, "due_date"), required=False,
                               widget=DateInput())

    ROW_FIELDS = ("kind", "description", "due_date")


class CostRowForm(forms.Form):
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(label=label(CostLine, "category"), choices=CostCategory.choices)
    description = forms.CharField(label=label(CostLine, "description"), max_length=300,
                                  required=False)
    amount = forms.DecimalField(label=label(CostLine, "amount"), required=False, max_digits=16,
                                decimal_places=2,
                                widget=forms.NumberInput(attrs={"step": "0.01", "min": 0}))
    # A code with a shared <datalist> of ISO 4217 codes: a <select> of every currency on every
    # row made the page's rendering several times slower. The service validates the code.
    currency = forms.CharField(label=label(CostLine, "currency"), max_length=3, min_length=3,
                               widget=forms.TextInput(attrs={
                                   "list": "currency-codes", "autocomplete": "off",
                                   "class": "text-uppercase", "size": 4}))
    paid_by = forms.ChoiceField(label=label(CostLine, "paid_by"), choices=Payer.choices)

    ROW_FIELDS = ("category", "description", "amount", "currency", "paid_by")

    def __init__(self, *args, currency: str = "EUR", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].initial = currency

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()


ResourceFormSet = forms.formset_factory(ResourceRowForm, extra=1, max_num=50)
CostFormSet = forms.formset_factory(CostRowForm, extra=1, max_num=50)


def list_rows(formset) -> list[tuple[forms.Form, dict]]:
    """The rows to save with the form each came from; a row without a description is removed."""
    rows = []
    for row_form in formset.forms:
        data = getattr(row_form, "cleaned_data", None) or {}
        if not (data.get("description") or "").strip():
            continue
        row = {name: data.get(name) for name in row_form.ROW_FIELDS}
        if data.get("key"):
            row["key"] = data["key"]
        rows.append((row_form, row))
    return rows


class ResourceStatusForm(forms.Form):
    status = forms.ChoiceField(label=label(CustomerResource, "status"),
                               choices=CustomerResource._meta.get_field("status").choices)
