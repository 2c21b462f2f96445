"""Reading an instrument export (CSV or XLSX) one row at a time.

Exports run to hundreds of thousands of rows, so nothing here holds the file in memory: a CSV is
decoded through a text wrapper over the storage's file, an XLSX is read by openpyxl's read-only
parser. Every row comes with its physical number in the file (the header is row 1), the number a
person sees when they open the file in a spreadsheet.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.utils.translation import gettext as _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
NAME_LENGTH = 200
PREVIEW_ROWS = 10
PREVIEW_CELL = 120
MAX_COLUMNS = 500

Opener = Callable[[], IO[bytes]]


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why, in the reader's language."""


class _Raw(io.RawIOBase):
    """Any object with read(n) as a raw stream, so io.BufferedReader and TextIOWrapper accept
    it whatever the storage returns (a local file, a spooled S3 download, an upload)."""

    def __init__(self, source) -> None:
        self.source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.source.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        return size


# -- encodings ----------------------------------------------------------------------------------

def _decodes(opener: Opener, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with opener() as binary:
        try:
            while chunk := binary.read(CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _double_byte_text(sample: bytes) -> bool:
    """Chinese text in GB18030 comes in pairs of high bytes; Western text in cp1252 has lone
    accented letters between ASCII ones (which GB18030 would also decode, as nonsense)."""
    paired = lone = 0
    index = 0
    while index < len(sample):
        if sample[index] >= 0x80:
            if index + 1 < len(sample) and sample[index + 1] >= 0x80:
                paired += 1
                index += 2
                continue
            lone += 1
        index += 1
    return paired > lone


def detect_encoding(opener: Opener) -> str:
    """UTF-8 (with or without a BOM), else GB18030 or Windows-1252 as spreadsheets save them,
    else Latin-1 (which decodes anything). The whole file is checked, not only its start."""
    if _decodes(opener, "utf-8"):
        return "utf-8-sig"
    with opener() as binary:
        sample = binary.read(SAMPLE_BYTES)
    if _double_byte_text(sample) and _decodes(opener, "gb18030"):
        return "gb18030"
    if _decodes(opener, "cp1252"):
        return "cp1252"
    return "latin-1"


def looks_like_text(head: bytes) -> bool:
    return bool(head) and b"\x00" not in head and not head.startswith(b"PK\x03\x04")


# -- delimiters ---------------------------------------------------------------------------------

def _complete_lines(text: str, complete: bool) -> list[str]:
    lines = text.splitlines()
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # cut in the middle by the sample
    return [line for line in lines if line.strip()][:50]


def detect_delimiter(sample: str, *, complete: bool = False) -> str:
    """The delimiter that splits every line of the sample into the same number of fields.

    The header decides ties, so that a semicolon file with decimal commas ("12,5") is read with
    semicolons: the header has no decimal commas. csv.Sniffer is the fallback.
    """
    lines = _complete_lines(sample, complete)
    if not lines:
        return ","
    best, best_fields = None, 1
    for delimiter in DELIMITERS:
        counts = {len(fields) for fields in csv.reader(lines, delimiter=delimiter)}
        if len(counts) == 1 and (fields := counts.pop()) > best_fields:
            best, best_fields = delimiter, fields
    if best is not None:
        return best
    header_counts = {d: lines[0].count(d) for d in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS))
        if header_counts.get(sniffed.delimiter):
            return sniffed.delimiter
    except csv.Error:
        pass
    chosen = max(DELIMITERS, key=lambda d: header_counts[d])
    return chosen if header_counts[chosen] else ","


# -- the header -----------------------------------------------------------------------------------

def column_names(cells: list[Any]) -> list[str]:
    """The header's names, each one unique and non-blank ("column 3", "value (2)")."""
    cells = list(cells[:MAX_COLUMNS])
    while cells and not display(cells[-1]):
        cells.pop()  # trailing empty cells of the header are not columns
    names: list[str] = []
    seen: set[str] = set()
    for number, cell in enumerate(cells, start=1):
        name = " ".join(display(cell).split())[:NAME_LENGTH - 10]
        if not name:
            name = _("column %(number)d") % {"number": number}
        unique, copy = name, 2
        while unique.casefold() in seen:
            unique = f"{name} ({copy})"
            copy += 1
        seen.add(unique.casefold())
        names.append(unique)
    return names


def display(cell: Any) -> str:
    """A cell as text, for the preview and the column names."""
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def is_blank(cells: list[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


# -- the readers -----------------------------------------------------------------------------------

class ExportReader:
    """One export file: its kind, and for a CSV its encoding and delimiter, found once."""

    def __init__(self, opener: Opener, *, xlsx: bool) -> None:
        self.opener = opener
        self.xlsx = xlsx
        self.encoding = ""
        self.delimiter = ","
        self.line_count: int | None = None
        if not xlsx:
            self._inspect_csv()

    def _inspect_csv(self) -> None:
        self.encoding = detect_encoding(self.opener)
        lines = 0
        with self.opener() as binary:
            head = binary.read(SAMPLE_BYTES)
            lines += head.count(b"\n")
            tail = head[-1:]
            while chunk := binary.read(CHUNK_BYTES):
                lines += chunk.count(b"\n")
                tail = chunk[-1:]
        self.line_count = lines + (1 if tail and tail != b"\n" else 0)
        sample = head.decode(self.encoding, errors="ignore")
        self.delimiter = detect_delimiter(sample, complete=len(head) < SAMPLE_BYTES)

    @contextmanager
    def rows(self) -> Iterator[Iterator[tuple[int, list[Any]]]]:
        """(physical row number, cells) for every row that is not blank, header included."""
        if self.xlsx:
            with self._xlsx_rows() as rows:
                yield rows
        else:
            with self.opener() as binary:
                text = io.TextIOWrapper(io.BufferedReader(_Raw(binary), CHUNK_BYTES),
                                        encoding=self.encoding, newline="")
                yield self._numbered(csv.reader(text, delimiter=self.delimiter))

    @contextmanager
    def _xlsx_rows(self):
        from openpyxl import load_workbook  # a heavy import, needed only for spreadsheets

        with self.opener() as binary:
            try:
                workbook = load_workbook(binary, read_only=True, data_only=True)
            except Exception as error:  # openpyxl raises many kinds on a damaged file
                raise UnreadableFile(_("This spreadsheet cannot be read.")) from error
            try:
                if not workbook.worksheets:
                    raise UnreadableFile(_("This spreadsheet has no sheet."))
                sheet = workbook.worksheets[0]
                self.line_count = sheet.max_row
                # Some exporters write a wrong size into the sheet: read what is really there.
                sheet.reset_dimensions()
                yield self._numbered(sheet.iter_rows(values_only=True))
            finally:
                workbook.close()

    @staticmethod
    def _numbered(rows) -> Iterator[tuple[int, list[Any]]]:
        for number, cells in enumerate(rows, start=1):
            cells = list(cells)
            if not is_blank(cells):
                yield number, cells

    @property
    def data_rows_estimate(self) -> int | None:
        """Rows after the header, as far as the size of the file tells (for the progress bar)."""
        if self.line_count is None:
            return None
        return max(self.line_count - 1, 0)


def read_head(reader: ExportReader) -> tuple[list[str], list[list[str]], int]:
    """The column names, the first rows as text, and the header's row number.

    Raises UnreadableFile when there is no header or no data row.
    """
    try:
        with reader.rows() as rows:
            first = next(rows, None)
            if first is None:
                raise UnreadableFile(_("The file is empty: there is no header row and no "
                                       "readings."))
            header_row, header = first
            columns = column_names(header)
            if not columns:
                raise UnreadableFile(_("The first row of the file has no column names."))
            preview = []
            for _number, cells in rows:
                preview.append([display(cell)[:PREVIEW_CELL] for cell in cells[:len(columns)]])
                if len(preview) >= PREVIEW_ROWS:
                    break
    except (csv.Error, UnicodeDecodeError) as error:
        raise UnreadableFile(_("This file cannot be read as a table: %(reason)s")
                             % {"reason": error}) from error
    if not preview:
        raise UnreadableFile(_("The file has a header row but no readings below it."))
    for row in preview:
        row.extend([""] * (len(columns) - len(row)))
    return columns, preview, header_row


def transcode_to_utf8(uploaded, encoding: str, spool):
    """Write a text upload in another encoding as UTF-8 into `spool` (a temporary file)."""
    uploaded.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    for chunk in uploaded.chunks():
        spool.write(decoder.decode(chunk).encode("utf-8"))
    spool.write(decoder.decode(b"", final=True).encode("utf-8"))
    spool.seek(0)
    return spool
