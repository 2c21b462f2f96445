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

from .forms import BLANK, DateInput, label


class PocChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


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
    poc = PocChoiceField(label=label(Assessment, "poc"), queryset=None, required=False,
                         empty_label="—",
                         help_text=_("The POC the activity belonged to, if any."))
    rationale = forms.CharField(
        label=label(Assessment, "rationale"),
        # The length is the service's to check, with its message; the browser stops typing.
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": RATIONALE_LIMIT}),
        help_text=_("What you saw and heard that makes you think so."))

    def __init__(self, *args, pocs, **kwargs) -> None:
        kwargs.setdefault("initial", {"activity_date": timezone.localdate(),
                                      "confidence": Confidence.MEDIUM, "probability": 50})
        super().__init__(*args, **kwargs)
        self.fields["poc"].queryset = pocs
        if not pocs:
            self.fields["poc"].widget = forms.HiddenInput()

    def service_arguments(self) -> dict:
        return {name: self.cleaned_data[name] for name in (
            "activity", "activity_date", "probability", "confidence", "rationale", "poc")}


class ScoreOverrideForm(forms.Form):
    """The probability planning should use instead of the model's, with the reason."""

    probability = forms.IntegerField(label=_("Probability (%)"), min_value=0, max_value=100)
    reason = forms.CharField(label=_("Why the model is wrong here"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
