"""Forms of the results page (§3 evaluating → closed, §9, §11.1): the results, a cost line,
the ROI sheet's risk rows and the retrospective with its lessons.

They parse input only: what is required to close, how labour is costed and which customer
may confirm the results are the services' rules, whose errors are put back under the fields
they name.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pocdesk.agreements.models import CostCategory, Payer
from pocdesk.core.reference import currency_choices
from pocdesk.results.models import (
    CommercialResult,
    CostEntry,
    CostKind,
    Lesson,
    LessonKind,
    PocResult,
    Retrospective,
    RiskCost,
    TechnicalResult,
)

from .forms import BLANK, DateInput, label

TEXTAREA = {"rows": 3}
RESULT_TEXTS = ("strengths", "limitations", "improvements", "next_step")
RESULT_FIELDS = (
    "technical_result", "technical_override_reason", "commercial_result", "reason",
    "reason_detail", "order_value", "order_currency", "order_date", "customer_confirmed_by",
    "customer_confirmed_on", "customer_confirmation_note", *RESULT_TEXTS, "review_meeting_on",
)


def _text(model, name: str, *, rows: int = 3, placeholder=None, help_text=None):
    attrs = {"rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.CharField(label=label(model, name), required=False, max_length=10000,
                           widget=forms.Textarea(attrs=attrs), help_text=help_text)


def _money(model, name: str, *, required: bool = False):
    return forms.DecimalField(label=label(model, name), required=required, min_value=0,
                              max_digits=16, decimal_places=2,
                              widget=forms.NumberInput(attrs={"step": "0.01",
                                                              "inputmode": "decimal"}))


class ResultForm(forms.Form):
    """The results as recorded while the POC is evaluated (every field optional here: the
    close checks say what is still missing)."""

    technical_result = forms.ChoiceField(label=label(PocResult, "technical_result"),
                                         required=False,
                                         choices=BLANK + TechnicalResult.choices)
    technical_override_reason = _text(PocResult, "technical_override_reason", rows=2)
    commercial_result = forms.ChoiceField(label=label(PocResult, "commercial_result"),
                                          required=False,
                                          choices=BLANK + CommercialResult.choices)
    reason = forms.ChoiceField(label=label(PocResult, "reason"), required=False,
                               help_text=_("Required for every result but won."))
    reason_detail = _text(PocResult, "reason_detail", rows=2)
    order_value = _money(PocResult, "order_value")
    order_currency = forms.ChoiceField(label=label(PocResult, "order_currency"),
                                       required=False)
    order_date = forms.DateField(label=label(PocResult, "order_date"), required=False,
                                 widget=DateInput())
    customer_confirmed_by = forms.TypedChoiceField(
        label=label(PocResult, "customer_confirmed_by"), required=False, coerce=int,
        empty_value=None, help_text=_("The customer's person who agreed with these results."))
    customer_confirmed_on = forms.DateField(label=label(PocResult, "customer_confirmed_on"),
                                            required=False, widget=DateInput())
    customer_confirmation_note = _text(PocResult, "customer_confirmation_note", rows=2)
    strengths = _text(PocResult, "strengths", placeholder=_(
        "With numbers: e.g. “Throughput 1,240 parts/h, 12 percent above the target”."))
    limitations = _text(PocResult, "limitations", placeholder=_(
        "With numbers: e.g. “Glare above 19 UGR at 2 of 14 measuring points”."))
    improvements = _text(PocResult, "improvements", placeholder=_(
        "With numbers: e.g. “Raise throughput by 8 percent by adding a second feeder”."))
    next_step = _text(PocResult, "next_step", rows=2, placeholder=_(
        "e.g. “Order of 40 units by 30 June, conditional PO 2024-118”."))
    review_meeting_on = forms.DateField(label=label(PocResult, "review_meeting_on"),
                                        required=False, widget=DateInput())

    def __init__(self, *args, reasons=(), customers=(), **kwargs):
        kwargs.setdefault("auto_id", "id_result_%s")
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = BLANK + [(r.code, r.label()) for r in reasons]
        self.fields["order_currency"].choices = BLANK + currency_choices()
        self.fields["customer_confirmed_by"].choices = BLANK + list(customers)
        # The page shows the override reason, the reason and the order by what is chosen.
        self.fields["technical_result"].widget.attrs["x-model"] = "technical"
        self.fields["commercial_result"].widget.attrs["x-model"] = "commercial"

    @staticmethod
    def initial_from(result: PocResult | None, *, derived: str, currency: str) -> dict:
        """The form as last saved, or the derived technical result to start from."""
        if result is None:
            return {"technical_result": derived, "order_currency": currency}
        initial = {name: getattr(result, name) for name in RESULT_FIELDS
                   if name not in ("reason", "customer_confirmed_by")}
        initial["reason"] = result.reason.code if result.reason_id else ""
        initial["customer_confirmed_by"] = result.customer_confirmed_by_id
        initial["technical_result"] = result.technical_result or derived
        initial["order_currency"] = result.order_currency or currency
        return initial

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["reason"] = data.get("reason") or ""
        data["order_currency"] = data.get("order_currency") or ""
        return data


class CostEntryForm(forms.Form):
    """A planned or actual cost line: hours × rate for labour, an amount otherwise."""

    kind = forms.ChoiceField(label=label(CostEntry, "kind"), choices=CostKind.choices,
                             initial=CostKind.ACTUAL)
    category = forms.ChoiceField(label=label(CostEntry, "category"),
                                 choices=CostCategory.choices, initial=CostCategory.LABOUR)
    description = forms.CharField(label=label(CostEntry, "description"), max_length=300)
    role = forms.CharField(label=label(CostEntry, "role"), max_length=80, required=False,
                           help_text=_("For labour: the role whose internal rate applies."))
    hours = forms.DecimalField(label=label(CostEntry, "hours"), required=False, min_value=0,
                               max_digits=8, decimal_places=1,
                               widget=forms.NumberInput(attrs={"step": "0.5",
                                                               "inputmode": "decimal"}))
    hourly_rate = forms.DecimalField(
        label=label(CostEntry, "hourly_rate"), required=False, min_value=0, max_digits=10,
        decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.01",
                                                          "inputmode": "decimal"}),
        help_text=_("Leave empty to use the team's rate for the role."))
    amount = _money(CostEntry, "amount")
    currency = forms.ChoiceField(
        label=label(CostEntry, "currency"), required=False,
        help_text=_("Empty: the internal rate's currency for labour, else the deal's."))
    paid_by = forms.ChoiceField(label=label(CostEntry, "paid_by"), choices=Payer.choices,
                                initial=Payer.VENDOR)
    incurred_on = forms.DateField(label=label(CostEntry, "incurred_on"), required=False,
                                  widget=DateInput())

    FIELDS = ("kind", "category", "description", "role", "hours", "hourly_rate", "amount",
              "currency", "paid_by", "incurred_on")

    def __init__(self, *args, prefix_id: str = "cost", **kwargs):
        kwargs.setdefault("auto_id", f"id_{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = BLANK + currency_choices()
        self.fields["category"].widget.attrs["x-model"] = "category"
        self.fields["role"].widget.attrs.update({"x-model": "role", "list": "role-rates",
                                                 "autocomplete": "off"})
        self.fields["hourly_rate"].widget.attrs[":placeholder"] = "rates[role] || ''"

    @staticmethod
    def initial_from(entry: CostEntry) -> dict:
        return {name: getattr(entry, name) for name in CostEntryForm.FIELDS}

    def service_arguments(self) -> dict:
        """Labour sends hours and rate (an empty rate: the team's), the others an amount."""
        data = dict(self.cleaned_data)
        if data["category"] == CostCategory.LABOUR:
            data.pop("amount", None)
            if data.get("hourly_rate") is None:
                data.pop("hourly_rate", None)
        else:
            for name in ("hours", "hourly_rate"):
                data.pop(name, None)
            data["role"] = data.get("role") or ""
        return data


class RiskRowForm(forms.Form):
    """One risk the POC removes, with the customer's estimate of what it would cost."""

    description = forms.CharField(label=label(RiskCost, "description"), max_length=300)
    probability = forms.DecimalField(
        label=_("Likelihood (percent)"), min_value=0, max_value=100, max_digits=5,
        decimal_places=2, widget=forms.NumberInput(attrs={"step": "1", "inputmode": "decimal"}))
    impact = _money(RiskCost, "impact", required=True)
    currency = forms.ChoiceField(label=label(RiskCost, "currency"))

    FIELDS = ("description", "probability", "impact", "currency")

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()
        self.fields["currency"].initial = currency
        for name in self.FIELDS:
            css = "form-select-sm" if name == "currency" else "form-control-sm"
            self.fields[name].widget.attrs["class"] = css


RiskFormSet = forms.formset_factory(RiskRowForm, extra=1, max_num=50, can_delete=True)


class RetrospectiveForm(forms.Form):
    went_well = _text(Retrospective, "went_well", rows=4)
    to_improve = _text(Retrospective, "to_improve", rows=4)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_retro_%s")
        super().__init__(*args, **kwargs)


class LessonRowForm(forms.Form):
    """One lesson of the retrospective, or a risk-memo item carried over from the log."""

    key = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=LessonKind.choices, initial=LessonKind.LESSON,
                             widget=forms.HiddenInput)
    log_entry = forms.IntegerField(required=False, widget=forms.HiddenInput)
    severity = forms.CharField(required=False, max_length=8, widget=forms.HiddenInput)
    text = forms.CharField(label=label(Lesson, "text"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    industry = forms.CharField(label=label(Lesson, "industry"), max_length=120, required=False)
    product = forms.CharField(label=label(Lesson, "product"), max_length=120, required=False)
    criterion_type = forms.CharField(label=label(Lesson, "criterion_type"), max_length=120,
                                     required=False)
    mitigation = forms.CharField(label=label(Lesson, "mitigation"), max_length=10000,
                                 required=False, widget=forms.Textarea(attrs={"rows": 1}))

    FIELDS = ("key", "kind", "log_entry", "severity", "text", "industry", "product",
              "criterion_type", "mitigation")

    def __init__(self, *args, industry: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("industry", "product", "criterion_type"):
            self.fields[name].widget.attrs["class"] = "form-control-sm"
        if industry:
            self.fields["industry"].widget.attrs["placeholder"] = industry
        self.fields["criterion_type"].widget.attrs["placeholder"] = _(
            "e.g. throughput, durability, integration")

    @property
    def is_risk(self) -> bool:
        return self["kind"].value() == LessonKind.RISK

    @property
    def severity_label(self) -> str:
        from pocdesk.execution.models import Severity

        value = self["severity"].value()
        return str(Severity(value).label) if value in Severity.values else ""


LessonFormSet = forms.formset_factory(LessonRowForm, extra=1, max_num=100, can_delete=True)


def lesson_initial(lessons) -> list[dict]:
    return [{"key": str(lesson.key), "kind": lesson.kind, "log_entry": lesson.log_entry_id,
             "severity": lesson.severity, "text": lesson.text, "industry": lesson.industry,
             "product": lesson.product, "criterion_type": lesson.criterion_type,
             "mitigation": lesson.mitigation} for lesson in lessons]


def risk_initial(risks) -> list[dict]:
    """The ROI sheet's rows (the selector's dicts) as the editor's initial rows."""
    return [{name: risk[name] for name in RiskRowForm.FIELDS} for risk in risks]
