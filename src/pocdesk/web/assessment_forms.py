"""The form that records a win assessment on the opportunity page (§10).

It parses input only: the probability's range, a date not in the future, the rationale's
length and the POC's deal are the service's rules, whose errors come back under the fields
they name.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pocdesk.insights.assessments import RATIONALE_LIMIT
from pocdesk.insights.models import ActivityKind, Assessment, Confidence
from pocdesk.pocs.models import POC

from .forms import BLANK, DateInput, label


class AssessmentForm(forms.Form):
    activity = forms.ChoiceField(label=label(Assessment, "activity"),
                                 choices=BLANK + ActivityKind.choices)
    activity_date = forms.DateField(label=label(Assessment, "activity_date"), widget=DateInput())
    probability = forms.IntegerField(
        label=label(Assessment, "probability"),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric",
                                        "data-assessment-probability": ""}))
    confidence = forms.ChoiceField(label=label(Assessment, "confidence"),
                                   choices=Confidence.choices)
    poc = forms.ModelChoiceField(label=label(Assessment, "poc"), queryset=POC.objects.none(),
                                 required=False, empty_label="—",
                                 help_text=_("The POC the activity belonged to, if any."))
    rationale = forms.CharField(
        label=label(Assessment, "rationale"),
        # The length is the service's to check, with its message; the browser stops typing.
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": RATIONALE_LIMIT}),
        help_text=_("What you saw and heard that makes you think so."))

    def __init__(self, *args, opportunity, pocs, **kwargs) -> None:
        """`pocs`: the opportunity's POCs the page already read, offered as the choices; the
        field checks a posted one against the opportunity's POCs."""
        kwargs.setdefault("initial", {"activity_date": timezone.localdate(),
                                      "confidence": Confidence.MEDIUM, "probability": 50})
        super().__init__(*args, **kwargs)
        poc = self.fields["poc"]
        poc.queryset = POC.objects.filter(opportunity=opportunity).only("pk")
        if pocs:
            poc.choices = [("", poc.empty_label), *((choice.pk, str(choice)) for choice in pocs)]
        else:
            poc.widget = forms.HiddenInput()

    def service_arguments(self) -> dict:
        return {name: self.cleaned_data[name] for name in (
            "activity", "activity_date", "probability", "confidence", "rationale", "poc")}


class ScoreOverrideForm(forms.Form):
    """The probability planning should use instead of the model's, with the reason. The fields
    are named as the service's errors name them (and apart from the assessment form's)."""

    override_probability = forms.IntegerField(
        label=_("Probability (%)"), min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"class": "form-control-sm", "step": 1}))
    override_reason = forms.CharField(
        label=_("Why the model is wrong here"), max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control-sm", "rows": 2}))

    def service_arguments(self) -> dict:
        return {"probability": self.cleaned_data["override_probability"],
                "reason": self.cleaned_data["override_reason"]}
