"""Helpers shared by the execution writes: the POC lock, the criteria lookup and evidence
attached to a reading or a log entry (existing files by id, new uploads)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pocdesk.core.errors import ValidationFailed
from pocdesk.core.models import StoredFile
from pocdesk.pocs.lifecycle import lock_open

from .models import Evidence
from .rules import require_recording
from .uploads import clean_file_name, evidence_store, upload_check


def open_for_recording(poc):
    """Lock the POC's row and refuse unless its run is being recorded."""
    poc = lock_open(poc)
    require_recording(poc)
    return poc


def criteria_of(poc) -> dict[int, Any]:
    """The POC's criteria by id, read once for a whole batch of readings."""
    return {criterion.pk: criterion for criterion in poc.criteria.all()}


def evidence_folder(poc) -> str:
    return f"evidence/{poc.pk}"


def evidence_create(*, actor, poc, uploaded, field: str, caption: str = "", criterion=None,
                    taken_at=None) -> Evidence:
    """Store an upload and record it as evidence; no event (the caller records one)."""
    stored, thumbnail_key = evidence_store(uploaded=uploaded, field=field,
                                           folder=evidence_folder(poc))
    stored_file = StoredFile.objects.create(team=poc.team, uploaded_by=actor, **stored)
    return Evidence.objects.create(poc=poc, file=stored_file, caption=caption,
                                   criterion=criterion, thumbnail_key=thumbnail_key,
                                   taken_at=taken_at, uploaded_by=actor)


def evidence_ids_of(poc, ids, errors: dict) -> list[Evidence]:
    """Existing evidence of the POC by id (or object); an error under `evidence_ids` when one
    is not the POC's."""
    ids = [getattr(value, "pk", value) for value in (ids or ())]
    if not ids:
        return []
    keys = set()
    for value in ids:
        try:
            keys.add(int(value))
        except (TypeError, ValueError):
            errors["evidence_ids"] = [_("Choose evidence files of this POC.")]
    found = {evidence.pk: evidence for evidence in Evidence.objects.filter(poc=poc, pk__in=keys)}
    if set(found) != keys:
        errors["evidence_ids"] = [_("Choose evidence files of this POC.")]
    return list(found.values())


def uploads_check(files, errors: dict) -> list:
    """Check new evidence uploads without storing them; errors under `evidence_files`."""
    files = [uploaded for uploaded in (files or ()) if uploaded is not None]
    for uploaded in files:
        try:
            upload_check(uploaded, field="evidence_files")
        except ValidationFailed as error:
            name = clean_file_name(getattr(uploaded, "name", ""))
            errors.setdefault("evidence_files", []).extend(
                _("%(name)s: %(message)s") % {"name": name, "message": message}
                for message in error.fields["evidence_files"])
    return files


def attachments(*, actor, poc, files, ids, criterion=None, errors: dict) -> list[Evidence]:
    """Existing evidence by id plus new uploads, stored only when `errors` stays empty."""
    linked = evidence_ids_of(poc, ids, errors)
    files = uploads_check(files, errors)
    if errors:
        return linked
    for uploaded in files:
        linked.append(evidence_create(actor=actor, poc=poc, uploaded=uploaded,
                                      field="evidence_files", criterion=criterion))
    return linked
