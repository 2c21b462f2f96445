"""Reading a CRM export with its mapping (§13.2): every row checked, nothing written.

The file is streamed (the csv module over decoded lines, openpyxl in read-only mode), so a large
export costs little memory. Problems of the file as a whole (its encoding, its header, a column
the mapping names but the file lacks) stop the reading at once; problems of single cells are
collected, every one of them, so that one correction round is enough.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pocdesk.core.errors import ApplicationError
from pocdesk.core.reference import validate_currency_code
from pocdesk.execution.series_parse import (
    SAMPLE_BYTES,
    detect_delimiter,
    detect_encoding,
    display,
    is_blank,
)

from .history_mapping import Mapping

PROGRESS_EVERY = 2_000
CHUNK = 64 * 1024
SEPARATORS = (";", ",", "\t", "|")
TEXT_LENGTHS = {"id": 120, "name": 255, "owner": 120}
AMOUNT_LIMIT = Decimal(10) ** 14  # HistoricalDeal.amount: 16 digits, 2 of them decimals
_SPACES = " \u00a0\u202f\u2009"


class HistoryFileError(ApplicationError):
    """The file as a whole cannot be read with the mapping; no row was looked at."""

    status = 422

    def __init__(self, message: str) -> None:
        super().__init__("unreadable_history_file", message,
                         details={"fields": {"file": [str(message)]}})


@dataclass
class DealRecord:
    row_number: int  # 2 = the first data row under the header, as a spreadsheet shows it
    outcome: str  # "won" | "lost" | "open"
    external_id: str = ""
    name: str = ""
    owner_name: str = ""
    amount: Decimal | None = None
    currency: str = ""
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    expected_close_on: datetime.date | None = None
    attributes: dict[str, str | float | None] = field(default_factory=dict)


@dataclass
class ReadResult:
    records: list[DealRecord]
    errors: list[dict]  # {"row", "column", "value", "message"}: every bad cell
    rows_total: int

    def counts(self) -> dict[str, int]:
        counts = {"won": 0, "lost": 0, "open": 0}
        for record in self.records:
            counts[record.outcome] += 1
        return counts


class CellError(ValueError):
    pass


# -- the file as rows ---------------------------------------------------------------------------

def file_format(file, mapping: Mapping) -> str:
    """"csv" or "xlsx": the mapping's, else the file's extension, else its first bytes."""
    if mapping.format:
        return mapping.format
    name = str(file) if isinstance(file, str | Path) else getattr(file, "name", "") or ""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return "xlsx"
    if suffix in {".csv", ".txt", ".tsv"}:
        return "csv"
    with _binary(file) as binary:
        return "xlsx" if binary.read(4) == b"PK\x03\x04" else "csv"


@contextmanager
def _binary(file) -> Iterator[Any]:
    """A path is opened and closed here; a file object is read from its start and left open."""
    if isinstance(file, str | Path):
        with open(file, "rb") as opened:
            yield opened
        return
    file.seek(0)
    try:
        yield file
    finally:
        file.seek(0)


def _byte_lines(binary) -> Iterator[bytes]:
    """Lines ending with b"\\n" (CRLF kept whole), read by chunks whatever the file object."""
    rest = b""
    while chunk := binary.read(CHUNK):
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        for line in lines:
            yield line + b"\n"
    if rest:
        yield rest


def _decoded_lines(binary, encoding: str) -> Iterator[str]:
    codec = codecs.lookup(encoding)
    if codec.name.startswith(("utf-16", "utf-32")):
        # A newline byte may sit inside a character of these: decode the stream as a whole.
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        try:
            yield from _numbered_text(text, encoding)
        finally:
            text.detach()
        return
    decoder = codecs.getincrementaldecoder("utf-8-sig" if codec.name == "utf-8"
                                           else encoding)()
    number = 0
    for number, line in enumerate(_byte_lines(binary), 1):  # noqa: B007 - used after the loop
        try:
            text = decoder.decode(line)
        except UnicodeDecodeError as error:
            raise _decoding_error(encoding, number) from error
        if "\x00" in text:
            raise HistoryFileError(_(
                "Line %(line)d holds NUL characters: if the file is UTF-16 (“Unicode text”), "
                "set [file] encoding = \"utf-16\".") % {"line": number})
        yield text
    try:
        if tail := decoder.decode(b"", final=True):
            yield tail
    except UnicodeDecodeError as error:
        raise _decoding_error(encoding, number) from error


def _numbered_text(text, encoding: str) -> Iterator[str]:
    number = 0
    try:
        for number, line in enumerate(text, 1):  # noqa: B007 - used in the error
            yield line
    except UnicodeDecodeError as error:
        raise _decoding_error(encoding, number + 1) from error


def _decoding_error(encoding: str, line: int) -> HistoryFileError:
    return HistoryFileError(_(
        "Line %(line)d cannot be read as %(encoding)s: set [file] encoding to the file's own "
        "(e.g. utf-8, cp1252, gb18030).") % {"line": line, "encoding": encoding})


@contextmanager
def _table(file, mapping: Mapping) -> Iterator[Iterator[tuple[int, list]]]:
    """(row number, cells) for every row, the header first as row 1."""
    if file_format(file, mapping) == "xlsx":
        with _binary(file) as binary:
            yield _xlsx_rows(binary, mapping)
        return
    with _binary(file) as binary:
        yield _csv_rows(binary, mapping)


def _csv_rows(binary, mapping: Mapping) -> Iterator[tuple[int, list]]:
    reader = csv.reader(_decoded_lines(binary, mapping.encoding), delimiter=mapping.separator)
    number = 0
    try:
        for number, cells in enumerate(reader, 1):  # noqa: B007 - used in the error
            yield number, cells
    except csv.Error as error:
        raise HistoryFileError(_("Row %(row)d cannot be read as CSV: %(reason)s.")
                               % {"row": number + 1, "reason": error}) from error


def _xlsx_rows(binary, mapping: Mapping) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken or foreign file
        raise HistoryFileError(_("This is not a valid XLSX workbook: save it again as .xlsx, "
                                 "or as CSV and set [file] format = \"csv\".")) from error
    try:
        if mapping.sheet:
            if mapping.sheet not in workbook.sheetnames:
                raise HistoryFileError(_("The workbook has no sheet “%(sheet)s”. Its sheets: "
                                         "%(sheets)s.") % {"sheet": mapping.sheet,
                                                           "sheets": ", ".join(
                                                               workbook.sheetnames)})
            sheet = workbook[mapping.sheet]
        else:
            sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            cells = list(row)
            while cells and cells[-1] in (None, ""):
                cells.pop()
            yield number, cells
    finally:
        workbook.close()


def _header(rows: Iterator[tuple[int, list]]) -> list[str]:
    for _number, cells in rows:
        if not is_blank(cells):
            names = [display(cell) for cell in cells]
            names[0] = names[0].lstrip("\ufeff")
            return names
    raise HistoryFileError(_("The file is empty: it has no header row."))


def _separator_name(separator: str) -> str:
    return "\\t" if separator == "\t" else separator


def separator_hint(header: list[str], separator: str) -> str:
    """When the header came out as one column holding another usual separator, say so."""
    if len(header) != 1:
        return ""
    counts = {other: header[0].count(other) for other in SEPARATORS if other != separator}
    likely = max(counts, key=counts.get)
    if not counts[likely]:
        return ""
    return _("The file seems to be separated by “%(found)s”, not “%(mapped)s”: set [file] "
             "separator.") % {"found": _separator_name(likely),
                              "mapped": _separator_name(separator)}


def _positions(header: list[str], mapping: Mapping, form: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(name, index)
    missing = [name for name in mapping.used_columns() if name not in positions]
    if not missing:
        return positions
    if form == "csv" and (hint := separator_hint(header, mapping.separator)):
        raise HistoryFileError(hint)
    raise HistoryFileError(_(
        "The file has no column %(missing)s. Its header: %(header)s.") % {
        "missing": ", ".join(f"“{name}”" for name in missing),
        "header": ", ".join(f"“{name}”" for name in header)[:2000]})


# -- cells --------------------------------------------------------------------------------------

def parse_number(value: Any, decimal: str) -> Decimal | None:
    """A number written with `decimal` as its decimal mark, thousands grouped or not."""
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise CellError(_("Not a number."))
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError(_("Not a number."))
        return Decimal(str(value))
    text = str(value).strip()
    if not text:
        return None
    other = "," if decimal == "." else "."
    mark = re.escape(decimal)
    groups = f"[{re.escape(_SPACES + other)}']"
    pattern = (rf"^[+-]?(?:\d+(?:{mark}\d*)?|{mark}\d+|\d{{1,3}}(?P<sep>{groups})\d{{3}}"
               rf"(?:(?P=sep)\d{{3}})*(?:{mark}\d*)?)$")
    if re.match(pattern, text):
        digits = "".join(char for char in text if char not in _SPACES + other + "'")
        return Decimal(digits.replace(decimal, "."))
    if decimal == "." and re.match(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$", text):
        return Decimal(text)
    if decimal == ".":
        raise CellError(_("Not a number (write it like 1234.56 or 1,234.56)."))
    raise CellError(_("Not a number (write it like 1234,56 or 1 234,56)."))


def parse_date(value: Any, date_format: str) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = display(value)
    if not text:
        return None
    try:
        if date_format:
            return datetime.datetime.strptime(text, date_format).date()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return datetime.datetime.fromisoformat(text).date()
    except ValueError as error:
        raise CellError(_("Not a date in the format %(format)s.")
                        % {"format": date_format or "YYYY-MM-DD"}) from error


class _RowReader:
    """Turns the cells of a row into a DealRecord, noting every bad cell."""

    def __init__(self, mapping: Mapping, positions: dict[str, int], width: int,
                 errors: list[dict], check_width: bool) -> None:
        self.mapping = mapping
        self.positions = positions
        self.width = width
        self.errors = errors
        self.check_width = check_width
        self.allowed = _("won: %(won)s; lost: %(lost)s; open: %(open)s") % {
            "won": _listed(mapping.won), "lost": _listed(mapping.lost),
            "open": _listed(mapping.open)}

    def bad(self, number: int, column: str, value: Any, message: str) -> None:
        self.errors.append({"row": number, "column": column, "value": display(value)[:200],
                            "message": str(message)})

    def record(self, number: int, cells: list) -> DealRecord | None:
        mapping = self.mapping
        before = len(self.errors)

        def cell(column: str) -> Any:
            index = self.positions[column]
            return cells[index] if index < len(cells) else None

        if self.check_width and len(cells) > self.width and not is_blank(cells[self.width:]):
            self.bad(number, "", "", _(
                "The row has %(cells)d cells but the header %(columns)d: a value holding the "
                "separator without quotes?") % {"cells": len(cells), "columns": self.width})
        raw_outcome = cell(mapping.outcome_column)
        outcome = mapping.outcome_of(display(raw_outcome))
        if outcome is None:
            message = (_("The outcome is empty. List \"\" in outcome.open if an empty cell "
                         "means a deal still open.") if not display(raw_outcome)
                       else _("Not an outcome of the mapping. Allowed: %(allowed)s.")
                       % {"allowed": self.allowed})
            self.bad(number, mapping.outcome_column, raw_outcome, message)
        record = DealRecord(row_number=number, outcome=outcome or "")
        columns = mapping.columns
        for role, attribute in (("id", "external_id"), ("name", "name"),
                                ("owner", "owner_name")):
            if role in columns:
                text = display(cell(columns[role]))
                if len(text) > TEXT_LENGTHS[role]:
                    self.bad(number, columns[role], text, _("At most %(count)d characters.")
                             % {"count": TEXT_LENGTHS[role]})
                setattr(record, attribute, text)
        for role, attribute in (("opened", "opened_on"), ("closed", "closed_on"),
                                ("expected_close", "expected_close_on")):
            if role in columns:
                raw = cell(columns[role])
                try:
                    setattr(record, attribute, parse_date(raw, mapping.date_format))
                except CellError as error:
                    self.bad(number, columns[role], raw, str(error))
        self._money(number, cell, record)
        for feature in mapping.features:
            raw = cell(feature.name)
            if feature.kind == "categorical":
                record.attributes[feature.name] = display(raw) or None
                continue
            try:
                number_value = parse_number(raw, mapping.decimal)
            except CellError as error:
                self.bad(number, feature.name, raw, str(error))
                continue
            record.attributes[feature.name] = (None if number_value is None
                                               else float(number_value))
        return record if len(self.errors) == before else None

    def _money(self, number: int, cell: Callable[[str], Any], record: DealRecord) -> None:
        mapping, columns = self.mapping, self.mapping.columns
        record.currency = mapping.default_currency
        if "currency" in columns:
            raw = cell(columns["currency"])
            code = display(raw).upper()
            if code:
                try:
                    validate_currency_code(code)
                    record.currency = code
                except ValidationError as error:
                    self.bad(number, columns["currency"], raw, " ".join(error.messages))
        if "amount" not in columns:
            return
        raw = cell(columns["amount"])
        try:
            amount = parse_number(raw, mapping.decimal)
        except CellError as error:
            self.bad(number, columns["amount"], raw, str(error))
            return
        if amount is None:
            return
        try:
            amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            amount = AMOUNT_LIMIT
        if amount < 0:
            self.bad(number, columns["amount"], raw, _("An amount cannot be negative."))
        elif amount >= AMOUNT_LIMIT:
            self.bad(number, columns["amount"], raw, _("This amount is too large."))
        else:
            record.amount = amount
            if not record.currency:
                self.bad(number, columns.get("currency", columns["amount"]), "",
                         _("The amount has no currency."))


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(f"“{value}”" for value in values) or "—"


# -- reading ------------------------------------------------------------------------------------

def read_history(file, mapping: Mapping, *,
                 progress: Callable[[int], object] | None = None) -> ReadResult:
    """Every row of `file` (a path or a binary file object) read with `mapping`."""
    records: list[DealRecord] = []
    errors: list[dict] = []
    total = 0
    form = file_format(file, mapping)
    with _table(file, mapping) as rows:
        header = _header(rows)
        positions = _positions(header, mapping, form)
        reader = _RowReader(mapping, positions, len(header), errors, check_width=form == "csv")
        for number, cells in rows:
            if is_blank(cells):
                continue
            total += 1
            record = reader.record(number, cells)
            if record is not None:
                records.append(record)
            if progress is not None and total % PROGRESS_EVERY == 0:
                progress(total)
    if progress is not None:
        progress(total)
    return ReadResult(records=records, errors=errors, rows_total=total)


def read_head(file, mapping: Mapping, *, rows: int = 10) -> tuple[list[str], list[list[str]]]:
    """The header and the first data rows as text, for the mapping page's preview."""
    preview: list[list[str]] = []
    with _table(file, mapping) as table:
        header = _header(table)
        for _number, cells in table:
            if is_blank(cells):
                continue
            preview.append([display(cell) for cell in cells[:len(header)]]
                           + [""] * max(0, len(header) - len(cells)))
            if len(preview) >= rows:
                break
    return header, preview


def estimate_rows(file, mapping: Mapping) -> int:
    """About how many data rows the file has, for a progress bar, without parsing it."""
    if file_format(file, mapping) == "xlsx":
        from openpyxl import load_workbook

        try:
            with _binary(file) as binary:
                workbook = load_workbook(binary, read_only=True)
                try:
                    sheet = (workbook[mapping.sheet] if mapping.sheet in workbook.sheetnames
                             else workbook.worksheets[0])
                    return max(0, (sheet.max_row or 1) - 1)
                finally:
                    workbook.close()
        except Exception:  # the reading itself will say what is wrong
            return 0
    lines = 0
    last = b"\n"
    with _binary(file) as binary:
        while chunk := binary.read(CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return max(0, lines + (last != b"\n") - 1)


def guess_layout(file, name: str = "") -> dict[str, str]:
    """The likely format, encoding and separator of a file nobody has mapped yet, found as the
    series import finds them."""
    with _binary(file) as binary:
        head = binary.read(SAMPLE_BYTES)
    if head.startswith(b"PK\x03\x04") or Path(name).suffix.lower() == ".xlsx":
        return {"format": "xlsx", "encoding": "utf-8", "separator": ","}
    encoding = detect_encoding(lambda: _binary(file))
    separator = detect_delimiter(head.decode(encoding, errors="ignore"),
                                 complete=len(head) < SAMPLE_BYTES)
    # The mapping's "utf-8" already skips a byte order mark.
    return {"format": "csv", "encoding": "utf-8" if encoding == "utf-8-sig" else encoding,
            "separator": separator}
