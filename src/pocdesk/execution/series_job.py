"""The series-import job: every row of the export checked, then, only when none is bad, every
reading written in one transaction (§8.1).

Both passes stream the file and write by batches, so memory does not grow with the file. The
job does nothing unless its import is queued: a retried or duplicated task is harmless.
"""

from __future__ import annotations

import csv
import logging
import zoneinfo
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pocdesk.core.errors import ApplicationError
from pocdesk.core.events import event_record
from pocdesk.criteria.models import Comparator

from .models import ImportStatus, Measurement, SeriesImport
from .rules import FUTURE_TOLERANCE, require_recording
from .series_cells import CellError, parse_moment, parse_number, parse_result
from .series_parse import XLSX_TYPE, ExportReader, UnreadableFile, column_names

logger = logging.getLogger(__name__)

BATCH_SIZE = 5_000
PROGRESS_EVERY = 5_000
ERRORS_KEPT = 1_000


def reader_for(stored_file) -> ExportReader:
    from django.core.files.storage import default_storage

    return ExportReader(lambda: default_storage.open(stored_file.storage_key, "rb"),
                        xlsx=stored_file.content_type == XLSX_TYPE)


def reset(series_import: SeriesImport, status: str) -> None:
    series_import.status = status
    series_import.rows_done = series_import.rows_imported = series_import.error_count = 0
    series_import.errors, series_import.message = [], ""
    series_import.started_at = series_import.finished_at = None


def _claim(import_id: int) -> SeriesImport | None:
    """Move a queued import to running; None when it is not queued (done, or taken)."""
    with transaction.atomic():
        series_import = (SeriesImport.objects.select_for_update(of=("self",))
                         .select_related("poc", "criterion", "file", "created_by__profile")
                         .filter(pk=import_id).first())
        if series_import is None or series_import.status != ImportStatus.QUEUED:
            return None
        reset(series_import, ImportStatus.RUNNING)
        series_import.started_at = timezone.now()
        series_import.save()
    return series_import


def series_import_run(import_id: int) -> SeriesImport | None:
    """The import job: does nothing unless the import is queued, so running it twice is safe."""
    series_import = _claim(import_id)
    if series_import is None:
        return SeriesImport.objects.filter(pk=import_id).first()
    profile = getattr(series_import.created_by, "profile", None)
    with translation.override(getattr(profile, "language", None) or translation.get_language()):
        try:
            _run(series_import)
        except ApplicationError as error:  # e.g. the POC was closed meanwhile
            _reject(series_import, message=error.message)
        except UnreadableFile as error:
            _reject(series_import, message=str(error))
        except (csv.Error, UnicodeDecodeError) as error:
            _reject(series_import, message=_("This file cannot be read as a table: %(reason)s")
                    % {"reason": error})
        except Exception:
            logger.exception("Series import %s failed", import_id)
            _reject(series_import, message=_(
                "The import stopped on an unexpected error: nothing was imported. Try again."))
    series_import.refresh_from_db()
    return series_import


class _Mapping:
    """Where the chosen columns are in the file, and how their cells are read."""

    def __init__(self, series_import: SeriesImport, header: list[Any]) -> None:
        # The names read at upload, in the uploader's language for blank headers ("column 3"):
        # the positions are the file's own.
        columns = series_import.columns or column_names(header)
        self.time_name, self.value_name = series_import.time_column, series_import.value_column
        missing = [name for name in (self.time_name, self.value_name) if name not in columns]
        if missing:
            raise UnreadableFile(_("The file has no column “%(column)s”.")
                                 % {"column": missing[0]})
        self.time_index = columns.index(self.time_name)
        self.value_index = columns.index(self.value_name)
        self.zone = zoneinfo.ZoneInfo(series_import.time_zone)
        self.latest = series_import.started_at + FUTURE_TOLERANCE
        pass_fail = series_import.criterion.comparator == Comparator.PASS_FAIL
        self.parse_value = parse_result if pass_fail else parse_number
        self.pass_fail = pass_fail

    def readings(self, rows) -> Iterator[tuple[int, Any, Any, list[tuple[str, str]]]]:
        """(row number, time, value, problems) for every data row."""
        time_index, value_index = self.time_index, self.value_index
        for number, cells in rows:
            problems = []
            moment = value = None
            try:
                moment = parse_moment(cells[time_index] if time_index < len(cells) else None,
                                      self.zone, self.latest)
            except CellError as error:
                problems.append((self.time_name, str(error)))
            try:
                value = self.parse_value(cells[value_index] if value_index < len(cells)
                                         else None)
            except CellError as error:
                problems.append((self.value_name, str(error)))
            yield number, moment, value, problems


def _progress(series_import: SeriesImport, **fields: Any) -> None:
    """Outside any transaction, so that the progress page sees it at once."""
    SeriesImport.objects.filter(pk=series_import.pk).update(**fields)
    for name, value in fields.items():
        setattr(series_import, name, value)


def _check(series_import: SeriesImport, reader: ExportReader) -> tuple[int, int, list[dict]]:
    """Pass 1: read every row; (rows read, bad rows, the first bad cells)."""
    read = bad = 0
    errors: list[dict] = []
    with reader.rows() as rows:
        header = next(rows, (1, []))[1]
        mapping = _Mapping(series_import, header)
        _progress(series_import, rows_total=reader.data_rows_estimate)
        for number, _moment, _value, problems in mapping.readings(rows):
            read += 1
            if problems:
                bad += 1
                for column, message in problems:
                    if len(errors) < ERRORS_KEPT:
                        errors.append({"row": number, "column": column, "message": message})
            if read % PROGRESS_EVERY == 0:
                _progress(series_import, rows_done=read)
    return read, bad, errors


def _run(series_import: SeriesImport) -> None:
    reader = reader_for(series_import.file)
    read, bad, errors = _check(series_import, reader)  # an unreadable file: rejected by the caller
    _progress(series_import, rows_done=read, rows_total=read)
    if bad or not read:
        _reject(series_import, bad=bad, errors=errors, message=ngettext(
            "%(count)d row cannot be read: nothing was imported. Correct the file and upload "
            "it again.",
            "%(count)d rows cannot be read: nothing was imported. Correct the file and upload "
            "it again.", bad) % {"count": bad} if bad else _(
            "The file has no readings below its header: nothing was imported."))
        return
    _progress(series_import, message=ngettext("Writing %(count)d reading…",
                                              "Writing %(count)d readings…", read)
              % {"count": read})
    _write(series_import, reader, read)


class _Inserter:
    """Writes readings by batches, many rows per INSERT statement: at hundreds of thousands of
    rows, building a model instance per reading and compiling every batch (bulk_create) costs
    most of the time, and one statement per row most of the rest on PostgreSQL."""

    ROW_FIELDS = ("measured_at", "value", "passed")
    MAX_PARAMETERS = 65_535  # PostgreSQL's protocol; SQLite says its own in max_query_params

    def __init__(self, common: dict[str, Any]) -> None:
        fields = [field for field in Measurement._meta.concrete_fields if not field.primary_key]
        row_fields = [Measurement._meta.get_field(name) for name in self.ROW_FIELDS]
        constant_fields = [field for field in fields if field.name not in self.ROW_FIELDS]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in [*row_fields, *constant_fields])
        table = quote(Measurement._meta.db_table)
        self.prefix = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
        self.copy_statement = f"COPY {table} ({columns}) FROM STDIN"
        width = len(row_fields) + len(constant_fields)
        self.placeholder = f"({', '.join(['%s'] * width)})"
        limit = connection.features.max_query_params or self.MAX_PARAMETERS
        self.rows_per_statement = max(1, min(BATCH_SIZE, limit // width))
        self.full_statement = self._statement(self.rows_per_statement)
        self.constants = tuple(
            field.get_db_prep_save(common[field.attname] if field.attname in common
                                   else field.get_default(), connection)
            for field in constant_fields)
        value_field = row_fields[1]
        self.adapt_time = connection.ops.adapt_datetimefield_value
        self.adapt_number = connection.ops.adapt_decimalfield_value
        self.digits, self.places = value_field.max_digits, value_field.decimal_places
        self.batch: list = []
        self.rows = 0
        self.written = 0

    def _statement(self, rows: int) -> str:
        return self.prefix + ", ".join([self.placeholder] * rows)

    def add(self, moment, value, passed) -> None:
        self.batch += (self.adapt_time(moment),
                       None if value is None else self.adapt_number(value, self.digits,
                                                                    self.places),
                       passed, *self.constants)
        self.rows += 1
        if self.rows >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        width = len(self.batch) // self.rows
        if connection.vendor == "postgresql":
            self._copy(width)
            return
        with connection.cursor() as cursor:
            for first in range(0, self.rows, self.rows_per_statement):
                count = min(self.rows_per_statement, self.rows - first)
                statement = (self.full_statement if count == self.rows_per_statement
                             else self._statement(count))
                cursor.execute(statement, self.batch[first * width:(first + count) * width])
        self._flushed()

    def _copy(self, width: int) -> None:
        """PostgreSQL's COPY: no statement to parse, rows streamed to the server."""
        with connection.cursor() as cursor, cursor.cursor.copy(self.copy_statement) as copy:
            for first in range(0, len(self.batch), width):
                copy.write_row(self.batch[first:first + width])
        self._flushed()

    def _flushed(self) -> None:
        self.written += self.rows
        self.batch, self.rows = [], 0


@transaction.atomic
def _write(series_import: SeriesImport, reader: ExportReader, expected: int) -> None:
    """Pass 2: every reading in one transaction, by batches; then the import is done."""
    locked = (SeriesImport.objects.select_for_update(of=("self",)).select_related("poc")
              .get(pk=series_import.pk))
    if locked.status != ImportStatus.RUNNING or locked.started_at != series_import.started_at:
        return  # queued again and taken by another run meanwhile: that run writes
    require_recording(locked.poc)
    poc, criterion = locked.poc, series_import.criterion
    inserter = _Inserter({
        "poc_id": poc.pk, "criterion_id": criterion.pk, "series_id": series_import.pk,
        "conditions": series_import.conditions, "note": "",
        "recorded_by_id": series_import.created_by_id, "recorded_at": timezone.now()})
    with reader.rows() as rows:
        mapping = _Mapping(series_import, next(rows)[1])
        for number, moment, value, problems in mapping.readings(rows):
            if problems:  # the file changed between the passes: write nothing
                raise UnreadableFile(_("Row %(row)d changed while it was imported.")
                                     % {"row": number})
            if mapping.pass_fail:
                inserter.add(moment, None, value)
            else:
                inserter.add(moment, value, None)
    inserter.flush()
    written = inserter.written
    if written != expected:
        raise UnreadableFile(_("The file changed while it was imported."))
    locked.status, locked.rows_imported, locked.rows_done = ImportStatus.DONE, written, written
    locked.finished_at = timezone.now()
    locked.message = ngettext("%(count)d reading imported.", "%(count)d readings imported.",
                              written) % {"count": written}
    locked.save(update_fields=["status", "rows_imported", "rows_done", "finished_at",
                               "message"])
    event_record(actor=series_import.created_by, verb="series_import.done", target=locked,
                 poc=poc, team=poc.team,
                 data={"count": written, "criterion": criterion.title})


@transaction.atomic
def _reject(series_import: SeriesImport, *, message: str, bad: int = 0,
            errors: list[dict] | None = None) -> None:
    locked = (SeriesImport.objects.select_for_update(of=("self",)).select_related("poc")
              .get(pk=series_import.pk))
    if locked.status != ImportStatus.RUNNING or locked.started_at != series_import.started_at:
        return
    locked.status, locked.error_count, locked.errors = ImportStatus.REJECTED, bad, errors or []
    locked.message, locked.finished_at, locked.rows_imported = message, timezone.now(), 0
    locked.save(update_fields=["status", "error_count", "errors", "message", "finished_at",
                               "rows_imported"])
    event_record(actor=series_import.created_by, verb="series_import.rejected", target=locked,
                 poc=locked.poc, team=locked.poc.team,
                 data={"bad": bad, "criterion": series_import.criterion.title})
