"""Importing a series of readings from an instrument export (CSV or XLSX), all or nothing (§8.1).

Three steps: the file is stored and its header read (`series_import_start`), the person chooses
the time and value columns (`series_import_map`), then a background job reads the whole file
twice (`series_import_run`): once to check every row, reporting each bad one, and, only when
none is bad, once more to write the readings in a single transaction. Neither pass holds the file
in memory, so an export of hundreds of thousands of rows costs the same memory as a small one.
"""

from __future__ import annotations

import tempfile
import zoneinfo

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pocdesk.core.errors import ApplicationError, NotFound, ValidationFailed
from pocdesk.core.events import register_event_verbs
from pocdesk.core.files import sniff, stored_file_create
from pocdesk.core.permissions import require_perm
from pocdesk.criteria.models import Comparator, Criterion
from pocdesk.people.roles import scope_to_user

from .models import ImportStatus, SeriesImport
from .readings import CONDITIONS_LENGTH
from .rules import FUTURE_TOLERANCE, require_recording
from .series_cells import CellError, parse_moment, parse_number, parse_result
from .series_job import reader_for, reset, series_import_run
from .series_parse import (
    UnreadableFile,
    detect_encoding,
    looks_like_text,
    read_head,
    transcode_to_utf8,
)

__all__ = [
    "guess_columns", "series_import_get", "series_import_map", "series_import_requeue",
    "series_import_run", "series_import_start", "series_imports_for_poc",
]

IMPORT_TYPES = {"txt", "xlsx"}  # a CSV sniffs as plain text
FOLDER = "series"
TIME_WORDS = ("time", "date", "timestamp", "datetime", "时间", "日期", "heure", "horodatage",
              "zeit", "datum")
RETRY_STATUSES = (ImportStatus.MAPPING, ImportStatus.REJECTED)

def _describe_done(event) -> str:
    data = event.data or {}
    count = data.get("count") or 0
    return ngettext("%(count)d reading of “%(criterion)s” imported from %(target)s",
                    "%(count)d readings of “%(criterion)s” imported from %(target)s", count) % {
        "count": count, "criterion": data.get("criterion", ""), "target": event.target_label}


def _describe_rejected(event) -> str:
    data = event.data or {}
    bad = data.get("bad") or 0
    return ngettext("Import of %(target)s into “%(criterion)s” rejected: %(bad)d bad row, "
                    "nothing imported",
                    "Import of %(target)s into “%(criterion)s” rejected: %(bad)d bad rows, "
                    "nothing imported", bad) % {
        "bad": bad, "criterion": data.get("criterion", ""), "target": event.target_label}


register_event_verbs({
    "series_import.done": _describe_done,
    "series_import.rejected": _describe_rejected,
})


class _Borrowed:
    """An upload read from its start as a context manager, left open for storing afterwards."""

    def __init__(self, uploaded) -> None:
        self.uploaded = uploaded

    def __enter__(self):
        self.uploaded.seek(0)
        return self.uploaded

    def __exit__(self, *exc_info) -> None:
        self.uploaded.seek(0)


def _as_utf8(uploaded):
    """A text export saved in another encoding (GB18030, Windows-1252) is stored as UTF-8."""
    uploaded.seek(0)
    head = uploaded.read(4096)
    uploaded.seek(0)
    if sniff(uploaded) is not None or not looks_like_text(head):
        return uploaded
    encoding = detect_encoding(lambda: _Borrowed(uploaded))
    if encoding == "utf-8-sig":
        return uploaded
    spool = tempfile.SpooledTemporaryFile(max_size=2**20)  # noqa: SIM115 - closed with the upload
    return File(transcode_to_utf8(uploaded, encoding, spool), name=uploaded.name)


def _criterion(poc, criterion, errors: dict) -> Criterion | None:
    try:
        key = int(getattr(criterion, "pk", criterion))
    except (TypeError, ValueError):
        key = None
    found = Criterion.objects.filter(poc=poc, pk=key).first() if key else None
    if found is None:
        errors["criterion"] = [_("Choose a criterion of this POC.")]
    return found


def _fits(cells: list[str], parse) -> bool:
    cells = [cell for cell in cells if cell]
    if not cells:
        return False
    try:
        for cell in cells:
            parse(cell)
    except CellError:
        return False
    return True


def guess_columns(columns: list[str], preview: list[list[str]], *, pass_fail: bool,
                  zone) -> tuple[str, str]:
    """The likely time column (by its name, else by its content) and value column."""
    latest = timezone.now() + FUTURE_TOLERANCE

    def cells(index: int) -> list[str]:
        return [row[index] for row in preview if index < len(row)]

    time_column = next((name for name in columns
                        if any(word in name.casefold() for word in TIME_WORDS)), "")
    if not time_column:
        time_column = next((name for index, name in enumerate(columns)
                            if _fits(cells(index), lambda c: parse_moment(c, zone, latest))), "")
    parse = parse_result if pass_fail else parse_number
    others = [(index, name) for index, name in enumerate(columns) if name != time_column]
    fitting = [(index, name) for index, name in others if _fits(cells(index), parse)]
    measured = [name for index, name in fitting if pass_fail or not _counter(cells(index))]
    value_column = next(iter(measured or [name for _index, name in fitting or others]), "")
    return time_column, value_column


def _counter(cells: list[str]) -> bool:
    """A column numbering the rows (1, 2, 3…) is not what the instrument measured."""
    try:
        numbers = [int(cell) for cell in cells]
    except ValueError:
        return False
    return len(numbers) > 1 and all(b - a == 1 for a, b in zip(numbers, numbers[1:],
                                                               strict=False))


@transaction.atomic
def series_import_start(*, actor, poc, criterion, uploaded) -> SeriesImport:
    """Store the export and read its header and first rows; the import waits for its mapping."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    require_recording(poc)
    errors: dict[str, list[str]] = {}
    criterion = _criterion(poc, criterion, errors)
    if not uploaded:
        errors["file"] = [_("Choose the CSV or XLSX file exported by the instrument.")]
    if errors:
        raise ValidationFailed(errors)
    stored = stored_file_create(actor=actor, team=poc.team, uploaded=_as_utf8(uploaded),
                                field="file", folder=FOLDER, accepted=IMPORT_TYPES)
    reader = reader_for(stored)
    try:
        columns, preview, _header_row = read_head(reader)
    except UnreadableFile as error:
        default_storage.delete(stored.storage_key)  # the transaction forgets its row
        raise ValidationFailed({"file": [str(error)]}) from error
    zone_name = timezone.get_current_timezone_name()
    time_column, value_column = guess_columns(
        columns, preview, pass_fail=criterion.comparator == Comparator.PASS_FAIL,
        zone=zoneinfo.ZoneInfo(zone_name))
    return SeriesImport.objects.create(
        poc=poc, criterion=criterion, file=stored, columns=columns, preview=preview,
        time_column=time_column, value_column=value_column, time_zone=zone_name,
        rows_total=reader.data_rows_estimate, created_by=actor)


def _column_error(name: str, columns: list[str], missing: str) -> list[str]:
    if not name:
        return [missing]
    if name not in columns:
        return [_("There is no column “%(column)s” in this file. Its columns: %(columns)s.")
                % {"column": name[:200], "columns": ", ".join(columns)}]
    return []


@transaction.atomic
def series_import_map(*, actor, series_import: SeriesImport, time_column: str,
                      value_column: str, time_zone: str = "UTC",
                      conditions: str = "") -> SeriesImport:
    """Choose the columns and queue the run. A rejected import may be mapped again."""
    require_perm(actor, "pocdesk.edit_poc", series_import.poc)
    series_import = (SeriesImport.objects.select_for_update(of=("self",))
                     .select_related("poc", "criterion", "file").get(pk=series_import.pk))
    require_recording(series_import.poc)
    if series_import.status not in RETRY_STATUSES:
        raise ApplicationError("series_import_started", _(
            "This import has already started: upload the file again to import it once more."),
            status=409)
    time_column, value_column = (time_column or "").strip(), (value_column or "").strip()
    conditions = (conditions or "").strip()
    columns = series_import.columns
    errors: dict[str, list[str]] = {}
    if found := _column_error(time_column, columns, _("Choose the column with the times.")):
        errors["time_column"] = found
    if found := _column_error(value_column, columns, _("Choose the column with the values.")):
        errors["value_column"] = found
    if not errors and time_column == value_column:
        errors["value_column"] = [_("Choose two different columns for the time and the value.")]
    try:
        zoneinfo.ZoneInfo(time_zone or "")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = [_("“%(zone)s” is not a time zone (e.g. Europe/Paris, "
                                 "Asia/Shanghai, UTC).") % {"zone": (time_zone or "")[:64]}]
    if len(conditions) > CONDITIONS_LENGTH:
        errors["conditions"] = [_("At most %(count)d characters.") % {"count": CONDITIONS_LENGTH}]
    if errors:
        raise ValidationFailed(errors)
    series_import.time_column, series_import.value_column = time_column, value_column
    series_import.time_zone, series_import.conditions = time_zone, conditions
    reset(series_import, ImportStatus.QUEUED)
    series_import.save()
    _enqueue_on_commit(series_import.pk)
    return series_import


@transaction.atomic
def series_import_requeue(*, actor, series_import: SeriesImport) -> SeriesImport:
    """Queue again an import whose job stopped in the middle (a worker restarted)."""
    require_perm(actor, "pocdesk.edit_poc", series_import.poc)
    series_import = SeriesImport.objects.select_for_update().get(pk=series_import.pk)
    if series_import.status != ImportStatus.RUNNING:
        raise ApplicationError("series_import_not_running", _("This import is not running."),
                               status=409)
    reset(series_import, ImportStatus.QUEUED)
    series_import.save()
    _enqueue_on_commit(series_import.pk)
    return series_import


def _enqueue_on_commit(import_id: int) -> None:
    from .tasks import enqueue_series_import

    transaction.on_commit(lambda: enqueue_series_import(import_id))


# -- reads --------------------------------------------------------------------------------------

def series_import_get(*, user, import_id, poc=None) -> SeriesImport:
    """One import, if the user may see its POC (and it belongs to `poc` when given)."""
    imports = scope_to_user(SeriesImport.objects.all(), user, field="poc__team_id")
    if poc is not None:
        imports = imports.filter(poc=poc)
    found = (imports.filter(pk=import_id)
             .select_related("poc", "poc__team", "criterion", "file", "created_by__profile")
             .first() if str(import_id).isdigit() else None)
    if found is None:
        raise NotFound()
    return found


def series_imports_for_poc(*, poc, limit: int = 10) -> list[SeriesImport]:
    """The POC's latest imports, newest first."""
    return list(SeriesImport.objects.filter(poc=poc)
                .select_related("criterion", "file", "created_by__profile")[:limit])
