"""Writes on the run's records (§8.1): readings of the criteria and evidence files.

Readings are recorded while the POC runs, is paused or is being evaluated; each is checked
against its criterion (a number, or a pass/fail result) and may carry evidence. A bulk upload is
all or nothing and is recorded as one event. The execution log's writes live in `log.py` and are
re-exported here, so every write of the app is found in this module.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pocdesk.core.errors import ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import jsonable
from pocdesk.criteria.measure import plain_number

from .attachments import (
    attachments,
    criteria_of,
    evidence_create,
    evidence_ids_of,
    open_for_recording,
    uploads_check,
)
from .models import Evidence, Measurement
from .readings import criterion_of, moment, reading_values
from .uploads import upload_check

BULK_LIMIT = 10_000
BULK_BATCH_SIZE = 1_000
CAPTION_LENGTH = 300


def _reading_text(data: dict) -> str:
    if data.get("passed") is not None:
        return (pgettext("test result", "passed") if data["passed"]
                else pgettext("test result", "failed"))
    unit = data.get("unit") or ""
    return f"{data.get('value', '')} {unit}".strip()


register_event_verbs({
    "measurement.recorded": lambda event: _("Reading of “%(criterion)s” recorded: %(reading)s")
    % {"criterion": (event.data or {}).get("criterion", ""),
       "reading": _reading_text(event.data or {})},
    "measurement.bulk_recorded": lambda event: ngettext(
        "%(count)d reading recorded in one upload",
        "%(count)d readings recorded in one upload",
        int((event.data or {}).get("count", 0))) % {"count": int((event.data or {}).get("count",
                                                                                       0))},
    "measurement.changed": lambda event: _("Reading of “%(criterion)s” corrected")
    % {"criterion": (event.data or {}).get("criterion", "")},
    "measurement.deleted": lambda event: _("Reading of “%(criterion)s” deleted: %(reading)s")
    % {"criterion": (event.data or {}).get("criterion", ""),
       "reading": _reading_text(event.data or {})},
    "evidence.uploaded": lambda event: _("Evidence uploaded: %(name)s")
    % {"name": (event.data or {}).get("name", event.target_label)},
    "evidence.deleted": lambda event: _("Evidence deleted: %(name)s")
    % {"name": (event.data or {}).get("name", event.target_label)},
})


def _reading_data(measurement: Measurement) -> dict[str, Any]:
    criterion = measurement.criterion
    data: dict[str, Any] = {"criterion": criterion.title, "criterion_id": criterion.pk,
                            "measured_at": measurement.measured_at.isoformat()}
    if measurement.passed is not None:
        data["passed"] = measurement.passed
    else:
        data["value"] = plain_number(measurement.value)
        data["unit"] = criterion.unit
    return data


# -- evidence ----------------------------------------------------------------------------------

@transaction.atomic
def evidence_upload(*, actor, poc, uploaded, caption: str = "", criterion=None,
                    taken_at=None) -> Evidence:
    """Store a photo, video, report or instrument export as evidence of the POC; images get a
    thumbnail. The file's content decides its type, never its name."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = open_for_recording(poc)
    errors: dict[str, list[str]] = {}
    caption = str(caption or "").strip()
    if len(caption) > CAPTION_LENGTH:
        errors["caption"] = [_("At most %(count)d characters.") % {"count": CAPTION_LENGTH}]
    if criterion not in (None, ""):
        criterion = criterion_of(criterion, criteria_of(poc), "criterion", errors)
    else:
        criterion = None
    taken_at = moment(taken_at, "taken_at", errors, now=timezone.now(), required=False)
    try:
        upload_check(uploaded, field="file")
    except ValidationFailed as error:
        errors.update(error.fields)
    if errors:
        raise ValidationFailed(errors)
    evidence = evidence_create(actor=actor, poc=poc, uploaded=uploaded, field="file",
                               caption=caption, criterion=criterion, taken_at=taken_at)
    event_record(actor=actor, verb="evidence.uploaded", target=evidence, poc=poc, team=poc.team,
                 data={"name": evidence.file.original_name,
                       "content_type": evidence.file.content_type})
    return evidence


@transaction.atomic
def evidence_delete(*, actor, evidence: Evidence) -> None:
    """Remove an evidence file (and its links to readings and log entries)."""
    require_perm(actor, "pocdesk.edit_poc", evidence.poc)
    poc = open_for_recording(evidence.poc)
    evidence = Evidence.objects.select_related("file").get(pk=evidence.pk)
    stored_file = evidence.file
    keys = [stored_file.storage_key, evidence.thumbnail_key]
    event_record(actor=actor, verb="evidence.deleted", target=evidence, poc=poc, team=poc.team,
                 data={"name": stored_file.original_name})
    evidence.delete()
    stored_file.delete()

    def remove_files() -> None:
        for key in keys:
            if key:
                default_storage.delete(key)

    transaction.on_commit(remove_files)


# -- measurements -----------------------------------------------------------------------------

@transaction.atomic
def measurement_create(*, actor, poc, criterion, measured_at, value=None, passed=None,
                       conditions: str = "", note: str = "", evidence_files=(),
                       evidence_ids=()) -> Measurement:
    """Record one reading of a criterion of the POC, with its evidence."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = open_for_recording(poc)
    errors: dict[str, list[str]] = {}
    values = reading_values(
        {"criterion": criterion, "measured_at": measured_at, "value": value, "passed": passed,
         "conditions": conditions, "note": note},
        criteria=criteria_of(poc), now=timezone.now(), errors=errors)
    if errors:  # report the attachments' problems too; nothing is stored
        evidence_ids_of(poc, evidence_ids, errors)
        uploads_check(evidence_files, errors)
        raise ValidationFailed(errors)
    evidence = attachments(actor=actor, poc=poc, files=evidence_files, ids=evidence_ids,
                            criterion=values["criterion"], errors=errors)
    if errors:
        raise ValidationFailed(errors)
    measurement = Measurement.objects.create(poc=poc, recorded_by=actor, **values)
    if evidence:
        measurement.evidence.add(*evidence)
    event_record(actor=actor, verb="measurement.recorded", target=measurement, poc=poc,
                 team=poc.team, data={**_reading_data(measurement), "evidence": len(evidence)})
    return measurement


MEASUREMENT_CHANGES = {"criterion", "measured_at", "value", "passed", "conditions", "note",
                       "evidence_ids", "evidence_files"}


@transaction.atomic
def measurement_update(*, actor, measurement: Measurement, **changes: Any) -> Measurement:
    """Correct a reading. `evidence_ids` replaces its linked evidence, `evidence_files` adds
    new uploads. Changing the criterion drops the old value or result unless one is given."""
    require_perm(actor, "pocdesk.edit_poc", measurement.poc)
    poc = open_for_recording(measurement.poc)
    measurement = (Measurement.objects.select_for_update(of=("self",))
                   .select_related("criterion").get(pk=measurement.pk))
    errors: dict[str, list[str]] = {name: [_("This field cannot be changed here.")]
                                    for name in sorted(set(changes) - MEASUREMENT_CHANGES)}
    merged = {"criterion": measurement.criterion, "measured_at": measurement.measured_at,
              "value": measurement.value, "passed": measurement.passed,
              "conditions": measurement.conditions, "note": measurement.note}
    if "criterion" in changes:
        merged.update(value=None, passed=None)
    merged.update({name: value for name, value in changes.items() if name in merged})
    values = reading_values(merged, criteria=criteria_of(poc), now=timezone.now(),
                            errors=errors)
    replace_ids = "evidence_ids" in changes
    evidence = [] if errors else attachments(
        actor=actor, poc=poc, files=changes.get("evidence_files") or (),
        ids=changes.get("evidence_ids") or (), criterion=values["criterion"], errors=errors)
    if errors:
        raise ValidationFailed(errors)
    diff = {}
    for name, new in values.items():
        old = getattr(measurement, name)
        if old != new:
            diff[name] = [jsonable(old), jsonable(new)]
            setattr(measurement, name, new)
    if diff:
        measurement.save()
    before = set(measurement.evidence.values_list("pk", flat=True))
    wanted = {item.pk for item in evidence} | (set() if replace_ids else before)
    if wanted != before:
        measurement.evidence.set(wanted)
        diff["evidence"] = [len(before), len(wanted)]
    if diff:
        event_record(actor=actor, verb="measurement.changed", target=measurement, poc=poc,
                     team=poc.team, data={**_reading_data(measurement), "changes": diff})
    return measurement


@transaction.atomic
def measurement_delete(*, actor, measurement: Measurement) -> None:
    """Delete a reading taken by mistake; its evidence stays with the POC."""
    require_perm(actor, "pocdesk.edit_poc", measurement.poc)
    poc = open_for_recording(measurement.poc)
    measurement = Measurement.objects.select_related("criterion").get(pk=measurement.pk)
    event_record(actor=actor, verb="measurement.deleted", target=measurement, poc=poc,
                 team=poc.team, data=_reading_data(measurement))
    measurement.delete()


@transaction.atomic
def measurements_bulk_create(*, actor, poc, readings: list[dict]) -> list[Measurement]:
    """Record many readings at once (an instrument's export): every reading is checked first and
    nothing is recorded unless all are valid. Errors are keyed `items.<index>.<field>`."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = open_for_recording(poc)
    readings = list(readings or ())
    if not readings:
        raise ValidationFailed({"items": [_("Give at least one reading.")]})
    if len(readings) > BULK_LIMIT:
        raise ValidationFailed({"items": [
            _("At most %(limit)s readings per upload (this one has %(count)s): split the file, "
              "or import it as a series.") % {
                "limit": number_format(BULK_LIMIT, force_grouping=True),
                "count": number_format(len(readings), force_grouping=True)}]})
    criteria = criteria_of(poc)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    rows = []
    for index, item in enumerate(readings):
        if not isinstance(item, dict):
            errors[f"items.{index}"] = [_("Each reading is an object with its criterion, time "
                                          "and value or result.")]
            continue
        values = reading_values(item, criteria=criteria, now=now, errors=errors,
                                prefix=f"items.{index}.")
        rows.append(Measurement(poc=poc, recorded_by=actor, recorded_at=now, **values))
    if errors:
        raise ValidationFailed(errors)
    created = Measurement.objects.bulk_create(rows, batch_size=BULK_BATCH_SIZE)
    event_record(actor=actor, verb="measurement.bulk_recorded", target=poc, poc=poc,
                 team=poc.team, data={"count": len(created), "criteria": sorted(
                     {row.criterion.title for row in created})})
    return created


from .log import log_entry_create, log_entry_update, log_entry_witness  # noqa: E402

__all__ = [
    "BULK_LIMIT", "evidence_delete", "evidence_upload", "log_entry_create", "log_entry_update",
    "log_entry_witness", "measurement_create", "measurement_delete", "measurement_update",
    "measurements_bulk_create",
]
