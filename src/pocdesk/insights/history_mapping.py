"""The column mapping of a CRM export (§13.2): which column says won or lost, which hold the
amount and the dates, and which are kept as the model's features.

People write it as TOML next to the export (`pocdesk import history FILE --mapping FILE.toml`)
or fill it in on the mapping page; the source keeps it as JSON. Every problem of a mapping is
reported at once, under its dotted key, so that one correction round is enough.
"""

from __future__ import annotations

import codecs
import datetime
import json
import re
import tomllib
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pocdesk.core.errors import ApplicationError
from pocdesk.core.reference import validate_currency_code

from .learning.data import Feature  # the model's own: a mapping lists what it learns from

FORMATS = ("csv", "xlsx")
ROLES = ("id", "name", "amount", "currency", "owner", "opened", "closed", "expected_close")
KINDS = ("categorical", "numeric")
DECIMALS = (".", ",")
NAME_LENGTH = 60
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")
_SECTIONS = {
    "name": None,
    "file": ("format", "separator", "encoding", "sheet"),
    "outcome": ("column", "won", "lost", "open"),
    "columns": ROLES,
    "defaults": ("currency", "date_format", "decimal"),
    "features": ("categorical", "numeric", "exclude"),
}


class MappingError(ApplicationError):
    """A mapping that cannot be used; `details["fields"]` names every bad key."""

    status = 422

    def __init__(self, fields: dict[str, list[str]]) -> None:
        problems = "; ".join(f"{key}: {' '.join(messages)}" for key, messages in fields.items())
        super().__init__("invalid_mapping",
                         _("The column mapping is not valid. %(problems)s")
                         % {"problems": problems},
                         details={"fields": fields})
        self.fields = fields


@dataclass(frozen=True)
class Mapping:
    name: str
    outcome_column: str
    won: tuple[str, ...]
    lost: tuple[str, ...]
    open: tuple[str, ...] = ()
    format: str = ""  # "" = from the file's extension
    separator: str = ","
    encoding: str = "utf-8"
    sheet: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    default_currency: str = ""
    date_format: str = ""  # "" = ISO dates
    decimal: str = "."
    features: tuple[Feature, ...] = ()
    exclude: tuple[str, ...] = ()

    def with_name(self, name: str) -> Mapping:
        return replace(self, name=name)

    def outcome_of(self, value: str) -> str | None:
        """"won", "lost", "open", or None for a value the mapping does not list."""
        key = value.strip().casefold()
        for outcome in ("won", "lost", "open"):
            if key in {item.strip().casefold() for item in getattr(self, outcome)}:
                return outcome
        return None

    def used_columns(self) -> list[str]:
        """Every column the reader needs, once each, in a stable order."""
        names = [self.outcome_column, *self.columns.values(),
                 *(feature.name for feature in self.features)]
        return list(dict.fromkeys(names))

    def as_document(self) -> dict[str, Any]:
        """The mapping in the layout of its TOML file."""
        features = {kind: [f.name for f in self.features if f.kind == kind] for kind in KINDS}
        return {
            "name": self.name,
            "file": {"format": self.format, "separator": self.separator,
                     "encoding": self.encoding, "sheet": self.sheet},
            "outcome": {"column": self.outcome_column, "won": list(self.won),
                        "lost": list(self.lost), "open": list(self.open)},
            "columns": {role: self.columns.get(role, "") for role in ROLES},
            "defaults": {"currency": self.default_currency, "date_format": self.date_format,
                         "decimal": self.decimal},
            "features": {**features, "exclude": list(self.exclude)},
        }

    def to_json(self) -> dict[str, Any]:
        """As the source stores it: the features as a list of {name, kind}, which is what the
        model reads, the rest as in the TOML file."""
        document = self.as_document()
        document["features"] = [{"name": f.name, "kind": f.kind} for f in self.features]
        document["exclude"] = list(self.exclude)
        return document

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mapping:
        return mapping_from_data(data)

    def to_toml(self) -> str:
        document = self.as_document()
        lines = [f"name = {_toml(self.name)}"]
        for section in ("file", "outcome", "columns", "defaults", "features"):
            lines += ["", f"[{section}]"]
            for key, value in document[section].items():
                if section == "file" and key == "format" and not value:
                    continue
                lines.append(f"{key} = {_toml(value)}")
        return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    # A JSON string is a valid TOML basic string (same escapes, \uXXXX included).
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def parse_mapping(text: str, *, name: str | None = None) -> Mapping:
    """A mapping from its TOML text; `name`, when given, replaces the file's own name."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError({"mapping": [
            _("This is not valid TOML: %(reason)s.") % {"reason": str(error)}]}) from error
    if name is not None:
        data["name"] = name
    return mapping_from_data(data)


def mapping_from_data(data: Any) -> Mapping:
    """A mapping from its TOML layout as a dict, or from the layout `to_json` stores."""
    if not isinstance(data, dict):
        raise MappingError({"mapping": [_("Give the mapping as a table of keys.")]})
    data = dict(data)
    if isinstance(data.get("features"), list):  # the stored layout
        stored = data["features"]
        data["features"] = {
            "categorical": [item.get("name") for item in stored
                            if isinstance(item, dict) and item.get("kind") == "categorical"],
            "numeric": [item.get("name") for item in stored
                        if isinstance(item, dict) and item.get("kind") == "numeric"],
            "exclude": data.pop("exclude", []),
        }
    return _Checker(data).mapping()


def file_layout(layout: dict[str, Any]) -> Mapping:
    """A mapping that only says how to read a file (the mapping step's preview), its [file]
    part checked like a whole mapping's."""
    checker = _Checker({"file": {key: value for key, value in layout.items()
                                 if key in _SECTIONS["file"] and value}})
    file_format, separator, encoding, sheet = checker._file()
    if checker.errors:
        raise MappingError(checker.errors)
    return Mapping(name="preview", outcome_column="", won=(), lost=(), format=file_format,
                   separator=separator, encoding=encoding, sheet=sheet)


class _Checker:
    """Reads a mapping document, collecting every problem before giving up."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, list[str]] = {}

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            self.error(name, _("Give [%(section)s] as a table.") % {"section": name})
            return {}
        for key in value:
            if key not in _SECTIONS[name]:
                self.error(f"{name}.{key}", _("Unknown key. The keys of [%(section)s] are: "
                                              "%(keys)s.")
                           % {"section": name, "keys": ", ".join(_SECTIONS[name])})
        return value

    def text(self, section: dict, key: str, path: str, default: str = "") -> str:
        value = section.get(key, default)
        if not isinstance(value, str) or "\x00" in value:
            self.error(path, _("Give a text in quotes."))
            return default
        return value.strip() if key != "separator" else value

    def texts(self, section: dict, key: str, path: str) -> tuple[str, ...]:
        value = section.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) and "\x00" not in item
                                                  for item in value):
            self.error(path, _("Give a list of texts, e.g. [\"Won\", \"Closed won\"]."))
            return ()
        return tuple(dict.fromkeys(item.strip() for item in value))

    def mapping(self) -> Mapping:
        for key in self.data:
            if key not in _SECTIONS:
                self.error(key, _("Unknown key. The mapping's keys are: %(keys)s.")
                           % {"keys": ", ".join(_SECTIONS)})
        name = self._name()
        file_format, separator, encoding, sheet = self._file()
        outcome_column, won, lost, open_values = self._outcome()
        columns = self._columns(outcome_column)
        currency, date_format, decimal = self._defaults(columns)
        features, exclude = self._features(outcome_column)
        if self.errors:
            raise MappingError(self.errors)
        return Mapping(name=name, format=file_format, separator=separator, encoding=encoding,
                       sheet=sheet, outcome_column=outcome_column, won=won, lost=lost,
                       open=open_values, columns=columns, default_currency=currency,
                       date_format=date_format, decimal=decimal, features=features,
                       exclude=exclude)

    def _name(self) -> str:
        name = self.text(self.data, "name", "name")
        if not name:
            self.error("name", _("Give the source's name, e.g. name = \"crm-2025\"."))
        elif len(name) > NAME_LENGTH or not _SLUG.match(name):
            self.error("name", _("Use at most %(count)d letters, digits, hyphens or "
                                 "underscores.") % {"count": NAME_LENGTH})
        return name

    def _file(self) -> tuple[str, str, str, str]:
        section = self.section("file")
        file_format = self.text(section, "format", "file.format").lower()
        if file_format and file_format not in FORMATS:
            self.error("file.format", _("Choose one of: %(choices)s.")
                       % {"choices": ", ".join(FORMATS)})
        separator = self.text(section, "separator", "file.separator", ",")
        if len(separator) != 1 or separator in "\"\r\n":
            self.error("file.separator", _("Give one character, e.g. \",\", \";\" or "
                                           "\"\\t\" for a tab."))
        encoding = self.text(section, "encoding", "file.encoding", "utf-8") or "utf-8"
        try:
            codec = codecs.lookup(encoding)
        except LookupError:
            self.error("file.encoding", _("“%(encoding)s” is not a known encoding (e.g. "
                                          "utf-8, cp1252, gb18030).")
                       % {"encoding": encoding[:40]})
        else:
            if not codec._is_text_encoding:  # base64, zlib…: not a text encoding
                self.error("file.encoding", _("“%(encoding)s” is not a text encoding.")
                           % {"encoding": encoding[:40]})
        sheet = self.text(section, "sheet", "file.sheet")
        return file_format, separator, encoding, sheet

    def _outcome(self) -> tuple[str, tuple, tuple, tuple]:
        section = self.section("outcome")
        column = self.text(section, "column", "outcome.column")
        if not column:
            self.error("outcome.column", _("Give the column that says whether the deal was "
                                           "won or lost."))
        won = self.texts(section, "won", "outcome.won")
        lost = self.texts(section, "lost", "outcome.lost")
        open_values = self.texts(section, "open", "outcome.open")
        if not won:
            self.error("outcome.won", _("List the values that mean the deal was won."))
        if not lost:
            self.error("outcome.lost", _("List the values that mean the deal was lost."))
        seen: dict[str, str] = {}
        for outcome, values in (("won", won), ("lost", lost), ("open", open_values)):
            for value in values:
                key = value.casefold()
                if key in seen and seen[key] != outcome:
                    self.error(f"outcome.{outcome}",
                               _("“%(value)s” is also listed in %(other)s.")
                               % {"value": value, "other": f"outcome.{seen[key]}"})
                seen.setdefault(key, outcome)
        return column, won, lost, open_values

    def _columns(self, outcome_column: str) -> dict[str, str]:
        section = self.section("columns")
        columns = {}
        for role in ROLES:
            column = self.text(section, role, f"columns.{role}")
            if not column:
                continue
            if column == outcome_column:
                self.error(f"columns.{role}", _("“%(column)s” is the outcome column.")
                           % {"column": column})
            columns[role] = column
        return columns

    def _defaults(self, columns: dict[str, str]) -> tuple[str, str, str]:
        section = self.section("defaults")
        currency = self.text(section, "currency", "defaults.currency").upper()
        if currency:
            try:
                validate_currency_code(currency)
            except ValidationError as error:
                self.error("defaults.currency", " ".join(error.messages))
        elif "amount" in columns and "currency" not in columns:
            self.error("defaults.currency", _("Give the currency of the amounts (e.g. EUR), "
                                              "or map columns.currency."))
        date_format = self.text(section, "date_format", "defaults.date_format")
        if date_format and not _date_format_works(date_format):
            self.error("defaults.date_format", _("“%(format)s” is not a date format such as "
                                                 "%%d/%%m/%%Y.") % {"format": date_format})
        decimal = self.text(section, "decimal", "defaults.decimal", ".")
        if decimal not in DECIMALS:
            self.error("defaults.decimal", _("Give \".\" or \",\"."))
        return currency, date_format, decimal

    def _features(self, outcome_column: str) -> tuple[tuple[Feature, ...], tuple[str, ...]]:
        section = self.section("features")
        exclude = self.texts(section, "exclude", "features.exclude")
        features: list[Feature] = []
        kept: set[str] = set()
        for kind in KINDS:
            path = f"features.{kind}"
            for name in self.texts(section, kind, path):
                if not name:
                    self.error(path, _("A column name cannot be empty."))
                elif name == outcome_column:
                    self.error(path, _("“%(column)s” is the outcome column: it cannot be a "
                                       "feature.") % {"column": name})
                elif name in exclude:
                    self.error(path, _("“%(column)s” is also in features.exclude.")
                               % {"column": name})
                elif name in kept:  # texts() drops repeats, so only a categorical one
                    self.error(path, _("“%(column)s” is already a categorical feature.")
                               % {"column": name})
                else:
                    kept.add(name)
                    features.append(Feature(name, kind))
        return tuple(features), exclude


def _date_format_works(date_format: str) -> bool:
    if "%" not in date_format:
        return False
    sample = datetime.datetime(2024, 11, 23, 13, 45, 30)
    try:
        return datetime.datetime.strptime(sample.strftime(date_format), date_format) is not None
    except ValueError:
        return False
