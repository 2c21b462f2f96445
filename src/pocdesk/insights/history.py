"""Importing CRM history (§13.2): the sources with their saved mapping, and the import job.

A CRM export is a full snapshot of the pipeline, so an import replaces the source's deals with
the file's, all or nothing: one bad cell anywhere and nothing is written, every bad cell is
reported. The web page, the API and the command line all go through `history_import_start`
and `history_import_run`, so they accept and refuse the same files.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pocdesk.core.errors import ApplicationError, NotFound, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.files import check_upload_size, sniff
from pocdesk.core.permissions import require_perm

from .history_mapping import NAME_LENGTH, Mapping, MappingError, mapping_from_data, parse_mapping
from .history_read import ReadResult, estimate_rows, read_history
from .models import HistoricalDeal, HistoryImport, HistorySource, ImportStatus
from .scoring import enqueue_source_scores

logger = logging.getLogger(__name__)

__all__ = [
    "history_import_run", "history_import_start", "history_source_save", "history_upload_stage",
    "import_file_key", "source_mapping", "staged_file_delete", "staged_file_open",
]

IMPORT_SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx"}
FOLDER = "history"
STAGED = f"{FOLDER}/staged/"
BATCH_SIZE = 2_000
ERRORS_KEPT = 1_000
STAGED_KEPT = datetime.timedelta(days=1)

register_event_verbs({
    "history_source.saved": gettext_lazy("Column mapping of the history source %(target)s "
                                         "saved"),
    "history_import.done": gettext_lazy("%(count)s historical deals imported into %(source)s "
                                        "from %(target)s"),
    "history_import.rejected": gettext_lazy("Import of %(target)s into %(source)s rejected: "
                                            "nothing imported"),
})


def source_mapping(source: HistorySource) -> Mapping:
    """The source's saved mapping; an error when it has none that can be used."""
    if not source.mapping:
        raise ApplicationError("no_mapping", _("The source “%(source)s” has no column mapping "
                                               "yet: save one first.")
                               % {"source": source.name}, status=409)
    return mapping_from_data({**source.mapping, "name": source.name})


def _as_mapping(mapping, name: str) -> Mapping:
    if isinstance(mapping, Mapping):
        return mapping.with_name(name)
    if isinstance(mapping, str):
        return parse_mapping(mapping, name=name)
    if isinstance(mapping, dict):
        return mapping_from_data({**mapping, "name": name})
    raise MappingError({"mapping": [_("Give the mapping as TOML text or as a JSON object.")]})


@transaction.atomic
def history_source_save(*, actor, team, name: str, mapping) -> HistorySource:
    """Create the team's source `name`, or replace its mapping (a Mapping, TOML or a dict)."""
    require_perm(actor, "pocdesk.manage_team", team)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": [_("Give the source's name.")]})
    if len(name) > NAME_LENGTH:
        raise ValidationFailed({"name": [_("At most %(count)d characters.")
                                         % {"count": NAME_LENGTH}]})
    checked = _as_mapping(mapping, name)
    source = (HistorySource.objects.select_for_update().filter(team=team, name=name).first())
    if source is None:
        source = HistorySource.objects.create(team=team, name=name, mapping=checked.to_json(),
                                              created_by=actor)
    elif source.mapping != checked.to_json():
        source.mapping = checked.to_json()
        source.save(update_fields=["mapping", "updated_at"])
    else:
        return source
    event_record(actor=actor, verb="history_source.saved", target=source, team=team)
    return source


def import_file_key(history_import: HistoryImport) -> str:
    """Where the job finds the upload: outside the static root, named by the import alone."""
    suffix = Path(history_import.file_name).suffix.lower()
    return f"{FOLDER}/import-{history_import.pk}.{IMPORT_SUFFIXES.get(suffix, 'csv')}"


def _check_upload(file, file_name: str) -> None:
    if file is None:
        raise ValidationFailed({"file": [_("Choose the CSV or XLSX file exported from the "
                                           "CRM.")]})
    suffix = Path(file_name or "").suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise ValidationFailed({"file": [_("This type of file is not accepted. Accepted: "
                                           "%(types)s.") % {"types": ", ".join(IMPORT_SUFFIXES)}]})
    check_upload_size(file, field="file")
    # A CSV may be in any encoding the mapping names, so only a workbook is judged by content.
    if IMPORT_SUFFIXES[suffix] == "xlsx":
        if (sniff(file) or ("", ""))[1] != "xlsx":
            raise ValidationFailed({"file": [_("This file is not an XLSX workbook.")]})
        return
    is_zip = file.read(4) == b"PK\x03\x04"
    file.seek(0)
    if is_zip:
        raise ValidationFailed({"file": [_("This file is a workbook or an archive, not a CSV "
                                           "text file.")]})


@transaction.atomic
def history_import_start(*, actor, source: HistorySource, file, file_name: str,
                         dry_run: bool = False, queue: bool = True) -> HistoryImport:
    """Store the upload and queue its import; `queue=False` leaves the running to the caller
    (the command line runs the job in its own process)."""
    require_perm(actor, "pocdesk.manage_team", source.team)
    source_mapping(source)
    file_name = Path(file_name or getattr(file, "name", "") or "").name[-255:]
    _check_upload(file, file_name)
    history_import = HistoryImport.objects.create(source=source, file_name=file_name,
                                                  dry_run=bool(dry_run), created_by=actor)
    key = import_file_key(history_import)
    if default_storage.exists(key):  # left by an import whose row is gone
        default_storage.delete(key)
    stored = default_storage.save(key, file)
    if stored != key:
        default_storage.delete(stored)
        raise ApplicationError("storage_failed", _("The file could not be stored: try again."),
                               status=503)
    if queue:
        transaction.on_commit(lambda: _enqueue(history_import.pk))
    return history_import


def _enqueue(import_id: int) -> None:
    from .tasks import enqueue_history_import

    enqueue_history_import(import_id)


def history_upload_stage(*, actor, team, file, file_name: str) -> str:
    """Keep an upload while its mapping is chosen on the page; the key to find it again.

    Nothing is recorded: the import made from it later stores its own copy. The page deletes
    the staged copy once an import from it is done; the copies of mappings abandoned on the way
    go when a later upload is staged, a day old.
    """
    require_perm(actor, "pocdesk.manage_team", team)
    file_name = Path(file_name or getattr(file, "name", "") or "").name
    _check_upload(file, file_name)
    suffix = IMPORT_SUFFIXES[Path(file_name).suffix.lower()]
    _staged_files_sweep()
    return default_storage.save(f"{STAGED}{uuid.uuid4().hex}.{suffix}", file)


def _staged_files_sweep() -> None:
    if not default_storage.exists(STAGED):
        return
    cutoff = timezone.now() - STAGED_KEPT
    for name in default_storage.listdir(STAGED)[1]:
        key = f"{STAGED}{name}"
        try:
            if default_storage.get_modified_time(key) < cutoff:
                default_storage.delete(key)
        except FileNotFoundError:  # deleted meanwhile by another request
            continue


def staged_file_open(key: str):
    """A staged upload, read-only; NotFound once it is gone."""
    if not str(key).startswith(STAGED) or ".." in str(key) or not default_storage.exists(key):
        raise NotFound(_("The uploaded file is no longer available: upload it again."))
    return default_storage.open(key, "rb")


def staged_file_delete(key: str) -> None:
    if str(key).startswith(STAGED) and default_storage.exists(key):
        default_storage.delete(key)


# -- the job ------------------------------------------------------------------------------------

def _claim(import_id: int) -> HistoryImport | None:
    with transaction.atomic():
        history_import = (HistoryImport.objects.select_for_update(of=("self",))
                          .select_related("source", "source__team", "created_by__profile")
                          .filter(pk=import_id).first())
        if history_import is None or history_import.status != ImportStatus.QUEUED:
            return None
        history_import.status = ImportStatus.RUNNING
        history_import.rows_done = history_import.rows_imported = 0
        history_import.errors, history_import.message = [], ""
        history_import.save(update_fields=["status", "rows_done", "rows_imported", "errors",
                                           "message"])
    return history_import


def _progress(history_import: HistoryImport, **fields) -> None:
    """Outside any transaction, so that the progress page sees it at once."""
    HistoryImport.objects.filter(pk=history_import.pk).update(**fields)
    for name, value in fields.items():
        setattr(history_import, name, value)


def history_import_run(import_id: int) -> HistoryImport | None:
    """The import job. It does nothing unless the import is queued: running it twice is safe.

    The import returned by the run that rejected it carries `error_count`, every bad cell
    counted, while only the first ERRORS_KEPT are stored.
    """
    history_import = _claim(import_id)
    if history_import is None:
        return HistoryImport.objects.filter(pk=import_id).first()
    profile = getattr(history_import.created_by, "profile", None)
    key = import_file_key(history_import)
    with translation.override(getattr(profile, "language", None) or translation.get_language()):
        try:
            _run(history_import, key)
        except ApplicationError as error:
            _finish(history_import, ImportStatus.REJECTED, message=error.message)
        except Exception:
            logger.exception("History import %s failed", import_id)
            _finish(history_import, ImportStatus.REJECTED, message=_(
                "The import stopped on an unexpected error: nothing was imported. Try again."))
        finally:
            if default_storage.exists(key):
                default_storage.delete(key)
    history_import.refresh_from_db()
    history_import.error_count = getattr(history_import, "error_count", len(history_import.errors))
    return history_import


def _counts_text(counts: dict[str, int]) -> str:
    return _("%(won)d won, %(lost)d lost, %(open)d open") % counts


def _run(history_import: HistoryImport, key: str) -> None:
    mapping = source_mapping(history_import.source)
    with default_storage.open(key, "rb") as stored:
        _progress(history_import, rows_total=estimate_rows(stored, mapping))
        result = read_history(stored, mapping,
                              progress=lambda done: _progress(
                                  history_import, rows_done=done,
                                  rows_total=max(done, history_import.rows_total)))
    _progress(history_import, rows_done=result.rows_total, rows_total=result.rows_total)
    if result.errors:
        _reject_rows(history_import, result)
        return
    if not result.records:
        _finish(history_import, ImportStatus.REJECTED,
                message=_("The file has no deals below its header: nothing was imported."))
        return
    counts = result.counts()
    if history_import.dry_run:
        _finish(history_import, ImportStatus.CHECKED, message=ngettext(
            "%(count)d deal can be imported (%(counts)s). Nothing was imported: this was a "
            "dry run.",
            "%(count)d deals can be imported (%(counts)s). Nothing was imported: this was a "
            "dry run.", len(result.records)) % {"count": len(result.records),
                                               "counts": _counts_text(counts)})
        return
    _write(history_import, result)


def _reject_rows(history_import: HistoryImport, result: ReadResult) -> None:
    bad_rows = len({error["row"] for error in result.errors})
    message = ngettext(
        "%(errors)d error in %(rows)d of %(total)d rows: nothing was imported. Correct the "
        "file or the mapping and import it again.",
        "%(errors)d errors in %(rows)d of %(total)d rows: nothing was imported. Correct the "
        "file or the mapping and import it again.", len(result.errors)) % {
        "errors": len(result.errors), "rows": bad_rows, "total": result.rows_total}
    if len(result.errors) > ERRORS_KEPT:
        message += " " + _("The first %(count)d are listed.") % {"count": ERRORS_KEPT}
    _finish(history_import, ImportStatus.REJECTED, message=message,
            errors=result.errors[:ERRORS_KEPT], error_count=len(result.errors))


@transaction.atomic
def _write(history_import: HistoryImport, result: ReadResult) -> None:
    """The source's deals replaced by the file's, in one transaction."""
    source = HistorySource.objects.select_for_update().get(pk=history_import.source_id)
    locked = HistoryImport.objects.select_for_update().get(pk=history_import.pk)
    if locked.status != ImportStatus.RUNNING:
        return
    HistoricalDeal.objects.filter(source=source).delete()
    deals = (HistoricalDeal(
        source=source, history_import=locked, row_number=record.row_number,
        external_id=record.external_id, name=record.name, outcome=record.outcome,
        amount=record.amount, currency=record.currency, opened_on=record.opened_on,
        closed_on=record.closed_on, expected_close_on=record.expected_close_on,
        owner_name=record.owner_name, attributes=record.attributes)
        for record in result.records)
    HistoricalDeal.objects.bulk_create(deals, batch_size=BATCH_SIZE)
    counts = result.counts()
    count = len(result.records)
    locked.status, locked.rows_imported = ImportStatus.DONE, count
    locked.rows_done = locked.rows_total = result.rows_total
    locked.finished_at = timezone.now()
    locked.message = ngettext("%(count)d deal imported (%(counts)s).",
                              "%(count)d deals imported (%(counts)s).", count) % {
        "count": count, "counts": _counts_text(counts)}
    locked.save(update_fields=["status", "rows_imported", "rows_done", "rows_total",
                               "finished_at", "message"])
    event_record(actor=locked.created_by, verb="history_import.done", target=locked,
                 team=source.team, data={"count": count, "source": source.name, **counts})
    enqueue_source_scores(source.pk)  # its open deals, and its team's win rate, anew


@transaction.atomic
def _finish(history_import: HistoryImport, status: str, *, message: str,
            errors: list[dict] | None = None, error_count: int = 0) -> None:
    locked = (HistoryImport.objects.select_for_update(of=("self",))
              .select_related("source__team").get(pk=history_import.pk))
    if locked.status != ImportStatus.RUNNING:
        return
    locked.status, locked.message, locked.errors = status, message, errors or []
    locked.rows_imported, locked.finished_at = 0, timezone.now()
    locked.save(update_fields=["status", "message", "errors", "rows_imported", "finished_at"])
    history_import.error_count = error_count
    if status == ImportStatus.REJECTED and not locked.dry_run:
        event_record(actor=locked.created_by, verb="history_import.rejected", target=locked,
                     team=locked.source.team,
                     data={"source": locked.source.name, "errors": error_count})
