"""Forms of the web pages. They parse input only: every rule is checked by the services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.formats import number_format
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from pocdesk.accounts.models import Account, CompanySize
from pocdesk.accounts.selectors import account_list
from pocdesk.core.reference import country_choices, currency_choices
from pocdesk.opportunities.models import (
    Competitor,
    CompetitorPosition,
    Opportunity,
    PurchaseProcess,
    Source,
    Stage,
)
from pocdesk.opportunities.selectors import opportunity_list
from pocdesk.people.models import Team
from pocdesk.people.selectors import team_list_visible, team_members, user_label
from pocdesk.pocs.models import POC, CommitmentLevel, PocType, Status
from pocdesk.stakeholders.models import (
    Attitude,
    Engagement,
    EngagementKind,
    Influence,
    Side,
    Stakeholder,
    StakeholderRole,
)

BLANK = [("", "—")]


def label(model, field_name: str):
    """The model field's verbose name, capitalised, so forms and models share one translation."""
    return capfirst(model._meta.get_field(field_name).verbose_name)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


class OpportunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.account.name} · {obj.name}"


def _hide_single_choice(field: forms.ModelChoiceField, form: forms.Form, name: str) -> None:
    """A picker with one possible value is preselected and hidden (most users have one team)."""
    choices = list(field.queryset[:2])
    if len(choices) == 1:
        form.initial.setdefault(name, choices[0].pk)
        field.widget = forms.HiddenInput()


class AccountForm(forms.Form):
    team = forms.ModelChoiceField(label=label(Account, "team"), queryset=Team.objects.none())
    name = forms.CharField(label=label(Account, "name"), max_length=200)
    country = forms.ChoiceField(label=label(Account, "country"), required=False)
    industry = forms.CharField(label=label(Account, "industry"), max_length=120, required=False)
    size = forms.ChoiceField(label=label(Account, "size"), required=False,
                             choices=BLANK + CompanySize.choices)
    currency = forms.ChoiceField(label=label(Account, "currency"), initial="EUR")
    website = forms.URLField(label=label(Account, "website"), required=False,
                             assume_scheme="https")
    notes = forms.CharField(label=label(Account, "notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = BLANK + country_choices()
        self.fields["currency"].choices = currency_choices()
        if editing:
            del self.fields["team"]
        else:
            self.fields["team"].queryset = team_list_visible(user=user)
            _hide_single_choice(self.fields["team"], self, "team")


class OpportunityForm(forms.Form):
    account = forms.ModelChoiceField(label=label(Opportunity, "account"),
                                     queryset=Account.objects.none())
    name = forms.CharField(label=label(Opportunity, "name"), max_length=200)
    amount = forms.DecimalField(label=label(Opportunity, "amount"), decimal_places=2,
                                max_digits=16, widget=forms.NumberInput(attrs={"step": "0.01"}))
    currency = forms.ChoiceField(label=label(Opportunity, "currency"), initial="EUR")
    exchange_rate = forms.DecimalField(
        label=label(Opportunity, "exchange_rate"), required=False, decimal_places=8,
        max_digits=18, widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=_("Leave empty to use the recorded rate."),
    )
    expected_close_date = forms.DateField(label=label(Opportunity, "expected_close_date"),
                                          widget=DateInput())
    close_date_reason = forms.CharField(
        label=_("Why does the close date move?"), required=False, max_length=255,
        help_text=_("Recorded with the close-date change."),
    )
    stage = forms.ChoiceField(label=label(Opportunity, "stage"), choices=Stage.choices,
                              initial=Stage.QUALIFICATION)
    owner = UserChoiceField(label=label(Opportunity, "owner"),
                            queryset=get_user_model().objects.none())
    source = forms.ChoiceField(label=label(Opportunity, "source"), required=False,
                               choices=BLANK + Source.choices)
    description = forms.CharField(label=label(Opportunity, "description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    # Qualification (§4)
    purchase_process = forms.ChoiceField(label=label(Opportunity, "purchase_process"),
                                         choices=PurchaseProcess.choices, required=False,
                                         initial=PurchaseProcess.NONE)
    purchase_reference = forms.CharField(
        label=label(Opportunity, "purchase_reference"), max_length=200, required=False,
        help_text=Opportunity._meta.get_field("purchase_reference").help_text)
    purchase_document = forms.FileField(
        label=label(Opportunity, "purchase_document"), required=False,
        help_text=_("PDF, Office document or image. Replaces the current document."))
    budget_confirmed = forms.BooleanField(label=label(Opportunity, "budget_confirmed"),
                                          required=False)
    budget_amount = forms.DecimalField(label=label(Opportunity, "budget_amount"), required=False,
                                       decimal_places=2, max_digits=16,
                                       widget=forms.NumberInput(attrs={"step": "0.01"}))
    budget_confirmed_by = forms.CharField(
        label=label(Opportunity, "budget_confirmed_by"), max_length=120, required=False,
        help_text=Opportunity._meta.get_field("budget_confirmed_by").help_text)
    budget_confirmed_on = forms.DateField(label=label(Opportunity, "budget_confirmed_on"),
                                          required=False, widget=DateInput())
    decision_date = forms.DateField(label=label(Opportunity, "decision_date"), required=False,
                                    widget=DateInput())
    nda_signed = forms.BooleanField(label=label(Opportunity, "nda_signed"), required=False)
    nda_reference = forms.CharField(label=label(Opportunity, "nda_reference"), max_length=200,
                                    required=False)

    QUALIFICATION_FIELDS = ("purchase_process", "purchase_reference", "purchase_document",
                            "budget_confirmed", "budget_amount", "budget_confirmed_by",
                            "budget_confirmed_on", "decision_date", "nda_signed", "nda_reference")

    def __init__(self, *args, user, editing: bool = False, team_ids=None, current_rate=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()
        if current_rate is not None:
            self.fields["exchange_rate"].help_text = format_lazy(
                "{} {}", _("Current rate: %(rate)s.") % {"rate": number_format(current_rate, 6)},
                _("Leave empty to keep it."))
        if team_ids is None:
            team_ids = list(team_list_visible(user=user).values_list("pk", flat=True))
        self.fields["owner"].queryset = team_members(team_ids=team_ids)
        if editing:
            del self.fields["account"]
        else:
            del self.fields["close_date_reason"]
            del self.fields["purchase_document"]
            self.fields["account"].queryset = account_list(user=user)

    def qualification_fields(self):
        return [self[name] for name in self.QUALIFICATION_FIELDS if name in self.fields]

    def service_arguments(self) -> dict:
        arguments = dict(self.cleaned_data)
        if arguments.get("exchange_rate") is None:
            arguments.pop("exchange_rate", None)
        for name in ("purchase_document", "purchase_process"):
            if not arguments.get(name):
                arguments.pop(name, None)
        return arguments


class CompetitorForm(forms.Form):
    name = forms.CharField(label=label(Competitor, "name"), max_length=120, required=False)
    position = forms.ChoiceField(label=label(Competitor, "position"),
                                 choices=CompetitorPosition.choices,
                                 initial=CompetitorPosition.UNKNOWN)


CompetitorFormSet = forms.formset_factory(CompetitorForm, extra=2, max_num=30)


def competitor_rows(formset) -> list[dict[str, str]]:
    return [
        {"name": form.cleaned_data["name"], "position": form.cleaned_data["position"]}
        for form in formset.forms
        if form.cleaned_data.get("name")
    ]


class POCForm(forms.Form):
    opportunity = OpportunityChoiceField(label=label(POC, "opportunity"),
                                         queryset=Opportunity.objects.none())
    title = forms.CharField(label=label(POC, "title"), max_length=200)
    objective = forms.CharField(label=label(POC, "objective"),
                                help_text=POC._meta.get_field("objective").help_text,
                                widget=forms.Textarea(attrs={"rows": 4}))
    poc_type = forms.ChoiceField(label=label(POC, "poc_type"), choices=PocType.choices)
    owner = UserChoiceField(label=label(POC, "owner"),
                            queryset=get_user_model().objects.none())
    language = forms.ChoiceField(label=label(POC, "language"), choices=settings.LANGUAGES)
    start_date = forms.DateField(label=label(POC, "start_date"), required=False,
                                 widget=DateInput())
    end_date = forms.DateField(label=label(POC, "end_date"), required=False, widget=DateInput())
    planned_effort_hours = forms.DecimalField(
        label=label(POC, "planned_effort_hours"), required=False, max_digits=8, decimal_places=1,
        min_value=0, help_text=POC._meta.get_field("planned_effort_hours").help_text,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": 0, "inputmode": "decimal"}))
    approve_duration = forms.BooleanField(
        label=_("Approve a longer timebox (manager)"), required=False,
        help_text=_("Needed only when the dates are longer than the team's maximum duration: "
                    "your approval is recorded."))

    def __init__(self, *args, user, team_ids=None, editing: bool = False,
                 can_approve: bool = False, dates_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if team_ids is None:
            team_ids = list(team_list_visible(user=user).values_list("pk", flat=True))
        self.fields["owner"].queryset = team_members(team_ids=team_ids)
        if editing:
            del self.fields["opportunity"]
        else:
            self.fields["opportunity"].queryset = opportunity_list(user=user, active=True)
        if not can_approve or dates_locked:
            del self.fields["approve_duration"]
        if dates_locked:
            for name in ("start_date", "end_date"):
                self.fields[name].widget.attrs.update(readonly=True, tabindex="-1",
                                                      **{"class": "bg-body-secondary"})


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
    reason = forms.CharField(
        label=_("Reason or comment"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you walk away from a POC."),
    )


class StakeholderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · {obj.title}" if obj.title else obj.name


class StakeholderForm(forms.Form):
    """A person of the decision chain; `reports_to` offers the same account's people only."""

    account = forms.ModelChoiceField(label=label(Stakeholder, "account"),
                                     queryset=Account.objects.none())
    opportunity = OpportunityChoiceField(
        label=label(Stakeholder, "opportunity"), required=False,
        queryset=Opportunity.objects.none(),
        help_text=Stakeholder._meta.get_field("opportunity").help_text)
    name = forms.CharField(label=label(Stakeholder, "name"), max_length=120)
    title = forms.CharField(label=label(Stakeholder, "title"), max_length=120, required=False)
    side = forms.ChoiceField(label=label(Stakeholder, "side"), choices=Side.choices,
                             initial=Side.CUSTOMER)
    role = forms.ChoiceField(label=label(Stakeholder, "role"), choices=StakeholderRole.choices,
                             initial=StakeholderRole.INFLUENCER)
    influence = forms.ChoiceField(label=label(Stakeholder, "influence"),
                                  choices=Influence.choices, initial=Influence.MEDIUM)
    attitude = forms.ChoiceField(label=label(Stakeholder, "attitude"), choices=Attitude.choices,
                                 initial=Attitude.NEUTRAL)
    reports_to = StakeholderChoiceField(label=label(Stakeholder, "reports_to"), required=False,
                                        queryset=Stakeholder.objects.none())
    needs_surface = forms.CharField(
        label=label(Stakeholder, "needs_surface"), required=False,
        help_text=Stakeholder._meta.get_field("needs_surface").help_text,
        widget=forms.Textarea(attrs={"rows": 2}))
    needs_middle = forms.CharField(
        label=label(Stakeholder, "needs_middle"), required=False,
        help_text=Stakeholder._meta.get_field("needs_middle").help_text,
        widget=forms.Textarea(attrs={"rows": 2}))
    needs_deep = forms.CharField(
        label=label(Stakeholder, "needs_deep"), required=False,
        help_text=Stakeholder._meta.get_field("needs_deep").help_text,
        widget=forms.Textarea(attrs={"rows": 2}))
    email = forms.EmailField(label=label(Stakeholder, "email"), required=False)
    phone = forms.CharField(label=label(Stakeholder, "phone"), max_length=40, required=False)
    notes = forms.CharField(label=label(Stakeholder, "notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, account=None, stakeholder=None, **kwargs):
        super().__init__(*args, **kwargs)
        from pocdesk.stakeholders.selectors import stakeholder_list

        if account is not None:
            del self.fields["account"]
            people = stakeholder_list(user=user, account_id=account.pk)
            if stakeholder is not None:
                people = people.exclude(pk=stakeholder.pk)
            self.fields["reports_to"].queryset = people
            self.fields["opportunity"].queryset = opportunity_list(user=user,
                                                                   account_id=account.pk)
        else:
            self.fields["account"].queryset = account_list(user=user)
            self.fields["reports_to"].queryset = stakeholder_list(user=user)
            self.fields["opportunity"].queryset = opportunity_list(user=user)

    def service_arguments(self) -> dict:
        arguments = dict(self.cleaned_data)
        arguments.pop("account", None)
        return arguments


class EngagementForm(forms.Form):
    stakeholder = StakeholderChoiceField(label=label(Engagement, "stakeholder"),
                                         queryset=Stakeholder.objects.none())
    date = forms.DateField(label=label(Engagement, "date"), widget=DateInput())
    kind = forms.ChoiceField(label=label(Engagement, "kind"), choices=EngagementKind.choices)
    note = forms.CharField(label=label(Engagement, "note"), max_length=255, required=False)

    def __init__(self, *args, stakeholders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = stakeholders


class CommitmentForm(forms.Form):
    """The commitment ladder (§4.3); the service says which evidence each level needs."""

    commitment_level = forms.TypedChoiceField(label=label(POC, "commitment_level"), coerce=int,
                                              choices=CommitmentLevel.choices)
    commitment_reference = forms.CharField(
        label=label(POC, "commitment_reference"), max_length=200, required=False,
        help_text=POC._meta.get_field("commitment_reference").help_text)
    commitment_document = forms.FileField(label=label(POC, "commitment_document"),
                                          required=False)
    funded_amount = forms.DecimalField(label=label(POC, "funded_amount"), required=False,
                                       decimal_places=2, max_digits=16, min_value=0,
                                       widget=forms.NumberInput(attrs={"step": "0.01"}))
    funded_share = forms.DecimalField(label=label(POC, "funded_share"), required=False,
                                      decimal_places=2, max_digits=5, min_value=0, max_value=100,
                                      widget=forms.NumberInput(attrs={"step": "0.01"}))
    conditional_po_reference = forms.CharField(label=label(POC, "conditional_po_reference"),
                                               max_length=200, required=False)
    conditional_po_value = forms.DecimalField(label=label(POC, "conditional_po_value"),
                                              required=False, decimal_places=2, max_digits=16,
                                              min_value=0,
                                              widget=forms.NumberInput(attrs={"step": "0.01"}))
    conditional_po_criteria = forms.CharField(label=label(POC, "conditional_po_criteria"),
                                              required=False,
                                              widget=forms.Textarea(attrs={"rows": 2}))

    EVIDENCE = {1: ("commitment_reference", "commitment_document"),
                2: ("funded_amount", "funded_share"),
                3: ("conditional_po_reference", "conditional_po_value",
                    "conditional_po_criteria")}

    def evidence_rows(self):
        return [(level, [self[name] for name in names]) for level, names in self.EVIDENCE.items()]

    def service_arguments(self) -> dict:
        arguments = dict(self.cleaned_data)
        arguments["level"] = arguments.pop("commitment_level")
        arguments["document"] = arguments.pop("commitment_document", None)
        return arguments


class RedFlagsForm(forms.Form):
    customer_evasive = forms.BooleanField(label=label(Opportunity, "customer_evasive"),
                                          required=False)
    free_production_use = forms.BooleanField(label=label(Opportunity, "free_production_use"),
                                             required=False)
    red_flag_notes = forms.CharField(label=label(Opportunity, "red_flag_notes"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))


class OverrideForm(forms.Form):
    justification = forms.CharField(
        label=_("Justification"), max_length=4000,
        help_text=_("Why the POC goes ahead although mandatory checks fail. Recorded with your "
                    "name."),
        widget=forms.Textarea(attrs={"rows": 4}))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
