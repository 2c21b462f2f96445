"""Forms of the CRM history import: the upload, then the column mapping of the file.

They parse input only. Whether the mapping holds together (a value both won and lost, a feature
that is also excluded, a currency code) is for the mapping's own checks to say; their errors,
named by the mapping's dotted keys, come back under the fields below.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pocdesk.core.errors import ValidationFailed
from pocdesk.insights.history_mapping import ROLES, Mapping
from pocdesk.insights.models import HistorySource

from .forms import label

ACCEPT = (".csv,.txt,.tsv,.xlsx,text/csv,text/plain,"
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
SEPARATOR_CHOICES = [(",", _("Comma ( , )")), (";", _("Semicolon ( ; )")), ("\t", _("Tab")),
                     ("|", _("Vertical bar ( | )"))]
ENCODING_CHOICES = [("utf-8", "UTF-8"), ("gb18030", "GB18030 (简体中文)"),
                    ("cp1252", "Windows-1252"), ("latin-1", "ISO-8859-1"),
                    ("utf-16", "UTF-16")]
DECIMAL_CHOICES = [(".", _("Point: 1,234.56")), (",", _("Comma: 1 234,56"))]
FORMAT_CHOICES = [("csv", "CSV"), ("xlsx", "XLSX")]
IGNORED, EXCLUDED = "ignored", "excluded"
KIND_CHOICES = [(IGNORED, _("Not used")), ("categorical", _("Feature: categories")),
                ("numeric", _("Feature: number")),
                (EXCLUDED, _("Excluded: known only after the close"))]
ROLE_LABELS = {
    "id": _("Identifier in the CRM"), "name": _("Deal name"), "amount": _("Amount"),
    "currency": _("Currency"), "owner": _("Owner"), "opened": _("Opened on"),
    "closed": _("Closed on"), "expected_close": _("Expected close date"),
}
# The mapping's dotted keys → the fields of the mapping form.
FIELD_OF_KEY = {
    "name": "name", "file.separator": "separator", "file.encoding": "encoding",
    "file.sheet": "sheet", "file.format": "format", "outcome.column": "outcome_column",
    "outcome.won": "won", "outcome.lost": "lost", "outcome.open": "open",
    "defaults.currency": "default_currency", "defaults.date_format": "date_format",
    "defaults.decimal": "decimal", **{f"columns.{role}": f"column_{role}" for role in ROLES},
}


class HistoryUploadForm(forms.Form):
    """A CRM export for a new source of one of the user's teams, or for an existing source."""

    source = forms.ModelChoiceField(label=_("Source"), queryset=HistorySource.objects.none(),
                                    required=False, empty_label=_("A new source…"),
                                    widget=forms.Select(attrs={"x-model": "source"}))
    team = forms.ModelChoiceField(label=label(HistorySource, "team"), queryset=None,
                                  required=False)
    name = forms.CharField(label=_("Name of the new source"), max_length=60, required=False,
                           help_text=_("Letters, digits and hyphens, e.g. crm-2025."))
    file = forms.FileField(
        label=_("CRM export"),
        help_text=_("A CSV or XLSX file with a header row and one row per deal, won, lost or "
                    "still open."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args, sources, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["team"].queryset = teams
        choices = list(teams[:2])
        if len(choices) == 1:
            self.initial.setdefault("team", choices[0].pk)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("source"):
            if not cleaned.get("team"):
                self.add_error("team", _("Choose the team of the new source."))
            if not (cleaned.get("name") or "").strip():
                self.add_error("name", _("Give the new source's name, or choose a source."))
        return cleaned


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class HistoryMappingForm(forms.Form):
    """The mapping of one file: its layout, the outcome, the standard columns, the features."""

    name = forms.CharField(label=_("Source name"), max_length=60, required=False)
    format = forms.ChoiceField(label=_("File format"), choices=FORMAT_CHOICES)
    separator = forms.ChoiceField(label=_("Separator"), choices=SEPARATOR_CHOICES,
                                  required=False)
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODING_CHOICES, required=False)
    sheet = forms.CharField(label=_("Sheet"), max_length=100, required=False,
                            help_text=_("Empty: the first sheet."))
    outcome_column = forms.ChoiceField(label=_("Outcome column"))
    won = forms.CharField(label=_("Values meaning won"), widget=forms.Textarea(attrs={"rows": 2}),
                          help_text=_("One per line; case and spaces do not matter."))
    lost = forms.CharField(label=_("Values meaning lost"),
                           widget=forms.Textarea(attrs={"rows": 2}))
    open = forms.CharField(label=_("Values meaning still open"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    open_blank = forms.BooleanField(label=_("An empty outcome means still open"),
                                    required=False)
    default_currency = forms.CharField(label=_("Currency of the amounts"), max_length=10,
                                       required=False,
                                       help_text=_("When no column holds the currency."))
    date_format = forms.CharField(label=_("Date format"), max_length=40, required=False,
                                  help_text=_("Empty: ISO dates (2025-03-31). Else e.g. "
                                              "%d/%m/%Y."))
    decimal = forms.ChoiceField(label=_("Numbers"), choices=DECIMAL_CHOICES)

    def __init__(self, *args, header: list[str], mapping: Mapping | None, layout: dict,
                 new_source: bool, **kwargs) -> None:
        self.header = header
        kwargs.setdefault("initial", self.initial_from(header, mapping, layout))
        super().__init__(*args, **kwargs)
        column_choices = [("", "—"), *((name, name) for name in header)]
        self.fields["outcome_column"].choices = column_choices
        encodings = dict(ENCODING_CHOICES)
        chosen = self.initial.get("encoding") or layout.get("encoding") or "utf-8"
        if chosen not in encodings:
            self.fields["encoding"].choices = [*ENCODING_CHOICES, (chosen, chosen)]
        for role in ROLES:
            self.fields[f"column_{role}"] = forms.ChoiceField(
                label=ROLE_LABELS[role], choices=column_choices, required=False)
        for index, name in enumerate(header):
            self.fields[f"kind_{index}"] = forms.ChoiceField(label=name, choices=KIND_CHOICES,
                                                             required=False)
        if not new_source:
            del self.fields["name"]

    @staticmethod
    def initial_from(header: list[str], mapping: Mapping | None, layout: dict) -> dict:
        initial = {"format": layout.get("format", "csv"),
                   "separator": layout.get("separator", ","),
                   "encoding": layout.get("encoding", "utf-8"), "decimal": ".",
                   "sheet": layout.get("sheet", "")}
        if mapping is None:
            initial["outcome_column"] = next(
                (name for name in header if name.casefold() in {
                    "status", "stage", "deal_stage", "outcome", "result", "statut", "状态"}), "")
            return initial
        kinds = {feature.name: feature.kind for feature in mapping.features}
        kinds.update(dict.fromkeys(mapping.exclude, EXCLUDED))
        initial.update({
            "outcome_column": mapping.outcome_column,
            "won": "\n".join(mapping.won), "lost": "\n".join(mapping.lost),
            "open": "\n".join(value for value in mapping.open if value),
            "open_blank": "" in mapping.open,
            "default_currency": mapping.default_currency, "date_format": mapping.date_format,
            "decimal": mapping.decimal,
            **{f"column_{role}": column for role, column in mapping.columns.items()},
            **{f"kind_{index}": kinds.get(name, IGNORED) for index, name in enumerate(header)},
        })
        return initial

    def kind_fields(self):
        """(column, its bound kind field) for the table of columns."""
        return [(name, self[f"kind_{index}"]) for index, name in enumerate(self.header)]

    def column_fields(self):
        return [self[f"column_{role}"] for role in ROLES]

    def document(self) -> dict:
        """The mapping in the layout of its TOML file, for the mapping's own checks."""
        data = self.cleaned_data
        kinds: dict[str, list[str]] = {"categorical": [], "numeric": [], EXCLUDED: []}
        for index, name in enumerate(self.header):
            kind = data.get(f"kind_{index}") or IGNORED
            if kind in kinds:
                kinds[kind].append(name)
        open_values = _lines(data.get("open"))
        if data.get("open_blank"):
            open_values.append("")
        return {
            "file": {"format": data["format"], "separator": data.get("separator") or ",",
                     "encoding": data.get("encoding") or "utf-8", "sheet": data.get("sheet", "")},
            "outcome": {"column": data["outcome_column"], "won": _lines(data["won"]),
                        "lost": _lines(data["lost"]), "open": open_values},
            "columns": {role: data.get(f"column_{role}") or "" for role in ROLES},
            "defaults": {"currency": data.get("default_currency") or "",
                         "date_format": data.get("date_format") or "",
                         "decimal": data["decimal"]},
            "features": {"categorical": kinds["categorical"], "numeric": kinds["numeric"],
                         "exclude": kinds[EXCLUDED]},
        }

    @staticmethod
    def posted_layout(data) -> dict:
        """The layout as posted, to read the file's header before the form is built."""
        return {"format": data.get("format") or "csv", "separator": data.get("separator") or ",",
                "encoding": data.get("encoding") or "utf-8", "sheet": data.get("sheet") or ""}

    def mapping_errors(self, fields: dict[str, list[str]]) -> ValidationFailed:
        """The mapping's errors under the form's field names (features: above the form)."""
        return ValidationFailed({FIELD_OF_KEY.get(key, key): messages
                                 for key, messages in fields.items()})
