"""Forms of the series import: the upload, then the column mapping.

They parse input only: whether a column exists, a time zone is real or the file can be read is
the service's to say, and its errors come back under the fields of the same name.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pocdesk.criteria.models import Comparator
from pocdesk.execution.models import SeriesImport
from pocdesk.people.models import TIME_ZONE_CHOICES

from .forms import label


class CriterionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        kind = (_("pass/fail") if obj.comparator == Comparator.PASS_FAIL
                else obj.unit or obj.metric)
        return f"{obj.position}. {obj.title}" + (f" ({kind})" if kind else "")


class SeriesImportStartForm(forms.Form):
    criterion = CriterionChoiceField(label=label(SeriesImport, "criterion"), queryset=None,
                                     empty_label=None)
    file = forms.FileField(
        label=_("Instrument export"),
        help_text=_("A CSV or XLSX file with a header row: one column for the time of each "
                    "reading and one for its value. Up to hundreds of thousands of rows."),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".csv,.txt,.tsv,.xlsx,text/csv,text/plain,"
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}))

    def __init__(self, *args, criteria, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = criteria

    def service_arguments(self) -> dict:
        return {"criterion": self.cleaned_data["criterion"],
                "uploaded": self.cleaned_data["file"]}


class SeriesImportMapForm(forms.Form):
    time_column = forms.CharField(label=label(SeriesImport, "time_column"), max_length=200,
                                  widget=forms.Select(attrs={"x-model": "time"}))
    value_column = forms.CharField(label=label(SeriesImport, "value_column"), max_length=200,
                                   widget=forms.Select(attrs={"x-model": "value"}))
    time_zone = forms.CharField(
        label=label(SeriesImport, "time_zone"), max_length=64,
        widget=forms.Select(choices=TIME_ZONE_CHOICES),
        help_text=_("For times written without an offset (such as +01:00 or Z)."))
    conditions = forms.CharField(
        label=label(SeriesImport, "conditions"), max_length=300, required=False,
        help_text=_("Recorded on every reading of the series, e.g. line 2, night shift, "
                    "40 °C."))

    def __init__(self, *args, series_import: SeriesImport, **kwargs) -> None:
        kwargs.setdefault("initial", {
            "time_column": series_import.time_column,
            "value_column": series_import.value_column,
            "time_zone": series_import.time_zone,
            "conditions": series_import.conditions,
        })
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((name, name) for name in series_import.columns)]
        self.fields["time_column"].widget.choices = choices
        self.fields["value_column"].widget.choices = choices

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)
