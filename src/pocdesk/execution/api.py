"""/api/v1/pocs/{id}/measurements, /criteria/{id}/status, /execution, /log and /evidence: the
run of a POC (§8.1, §8.2) — readings against the criteria (one, or an instrument's export in
bulk), each criterion's live status and chart, evidence files and the execution log.

The bodies are described in `api_schemas.py`."""

import datetime
from typing import Annotated, Any

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from pocdesk.core.api import PAGINATION_HELP, ObjectId, PageNumber, error_responses
from pocdesk.core.errors import NotFound, ValidationFailed
from pocdesk.criteria.measure import target_text
from pocdesk.criteria.selectors import criterion_get
from pocdesk.pocs.selectors import poc_get
from pocdesk.timebox.selectors import milestone_get

from .api_schemas import (
    RECORDING_HELP,
    BulkCreatedOut,
    BulkIn,
    ChartQuery,
    CriterionStatusOut,
    EvidenceFilters,
    EvidenceForm,
    EvidenceOut,
    ExecutionOut,
    LogEntryIn,
    LogEntryOut,
    LogEntryPatch,
    LogFilters,
    MeasurementFilters,
    MeasurementIn,
    MeasurementOut,
    MeasurementPatch,
    WitnessIn,
    reading_json,
)
from .selectors import (
    evidence_for_poc,
    evidence_get,
    execution_summary,
    log_entry_get,
    log_for_poc,
    measurement_get,
    measurements_for_poc,
)
from .services import (
    BULK_LIMIT,
    evidence_delete,
    evidence_upload,
    log_entry_create,
    log_entry_update,
    log_entry_witness,
    measurement_create,
    measurement_delete,
    measurement_update,
    measurements_bulk_create,
)
from .status import criterion_chart, criterion_status

router = Router(tags=["Execution"])  # mounted at /pocs


# --- helpers ---------------------------------------------------------------------------------

def _log_values(poc, payload, *, unset: bool) -> dict[str, Any]:
    """The service's arguments; a milestone key becomes the milestone (an unknown key is left
    for the service to refuse on `milestone`)."""
    values = payload.model_dump(exclude_unset=unset)
    key = values.get("milestone")
    if key is not None:
        try:
            values["milestone"] = milestone_get(poc=poc, key=key)
        except NotFound:
            values["milestone"] = str(key)
    return values


def _window(query) -> dict[str, datetime.datetime | None]:
    """`since` and `until` of a query; without an offset, in the server's time zone. Times that
    cannot be compared in UTC (around the years 1 and 9999) are refused by name."""
    window, errors = {}, {}
    for name in ("since", "until"):
        value = getattr(query, name)
        try:
            if value is not None and timezone.is_naive(value):
                value = timezone.make_aware(value)
            window[name] = value if value is None else value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            errors[name] = [_("Enter a valid date and time.")]
    if errors:
        raise ValidationFailed(errors)
    return window


def _evidence_of(request, poc_id: int, evidence_id: int):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    evidence = evidence_get(user=request.auth, evidence_id=evidence_id)
    if evidence.poc_id != poc.pk:
        raise NotFound()
    return evidence


def _status_fields(status) -> dict[str, Any]:
    criterion = status.criterion
    return {"criterion_id": criterion.pk, "title": criterion.title,
            "target": target_text(criterion), "aggregation": criterion.aggregation,
            "must_have": status.must_have, "status": status.status,
            "result": reading_json(status.result), "count": status.count,
            "passing_count": status.passing_count, "first_at": status.first_at,
            "last_at": status.last_at, "latest": reading_json(status.latest)}


# --- measurements ----------------------------------------------------------------------------
# `bulk` comes before the reading's own path.

@router.get("/{poc_id}/measurements",
            response={200: list[MeasurementOut], **error_responses(404, 422)},
            operation_id="measurement_list", summary="List the readings",
            description="The POC's readings by criterion, then by time; filter with "
            "`criterion`, `since`, `until` (ISO 8601) and `series`. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_measurements(request, poc_id: ObjectId, filters: Query[MeasurementFilters]):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return measurements_for_poc(
        poc=poc, criterion_id=filters.criterion, series_id=filters.series,
        **_window(filters)).order_by("criterion_id", "measured_at", "id")


@router.post("/{poc_id}/measurements",
             response={201: MeasurementOut, **error_responses(403, 404, 409, 422)},
             operation_id="measurement_create", summary="Record a reading",
             description="One reading of a criterion of this POC: a `value` for a numeric "
             "criterion, `passed` for a pass/fail test (422 names the missing one, or "
             "`criterion` when it is not this POC's), measured at `measured_at`, with existing "
             "evidence attached by id. " + RECORDING_HELP)
def create_measurement(request, poc_id: ObjectId, payload: MeasurementIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    measurement = measurement_create(actor=request.auth, poc=poc, **payload.model_dump())
    return Status(201, measurement_get(poc=poc, measurement_id=measurement.pk))


@router.post("/{poc_id}/measurements/bulk",
             response={201: BulkCreatedOut, **error_responses(403, 404, 409, 413, 422)},
             operation_id="measurement_bulk_create", summary="Record many readings",
             description=f"Up to {BULK_LIMIT:,} readings in `items` (each as in POST "
             "/pocs/{id}/measurements, without evidence), all or nothing: one bad reading and "
             "none is recorded; 422 names each bad field `items.<index>.<field>`. More than "
             f"{BULK_LIMIT:,} readings: 422 on `items`; a body over 2.5 MB: 413. For a larger "
             "instrument export, import the file as a series (web pages). " + RECORDING_HELP)
def bulk_create_measurements(request, poc_id: ObjectId, payload: BulkIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    created = measurements_bulk_create(
        actor=request.auth, poc=poc, readings=[item.model_dump() for item in payload.items])
    return Status(201, {"created": len(created)})


@router.get("/{poc_id}/measurements/{measurement_id}",
            response={200: MeasurementOut, **error_responses(404, 422)},
            operation_id="measurement_get", summary="Read a reading")
def get_measurement(request, poc_id: ObjectId, measurement_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return measurement_get(poc=poc, measurement_id=measurement_id)


@router.patch("/{poc_id}/measurements/{measurement_id}",
              response={200: MeasurementOut, **error_responses(403, 404, 409, 422)},
              operation_id="measurement_update", summary="Correct a reading",
              description="Send only the fields to change; `evidence_ids` replaces the attached "
              "evidence. " + RECORDING_HELP)
def update_measurement(request, poc_id: ObjectId, measurement_id: ObjectId,
                       payload: MeasurementPatch):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    measurement = measurement_get(poc=poc, measurement_id=measurement_id)
    measurement_update(actor=request.auth, measurement=measurement,
                       **payload.model_dump(exclude_unset=True))
    return measurement_get(poc=poc, measurement_id=measurement_id)


@router.delete("/{poc_id}/measurements/{measurement_id}",
               response={204: None, **error_responses(403, 404, 409, 422)},
               operation_id="measurement_delete", summary="Delete a reading",
               description="A reading taken by mistake; its evidence stays with the POC. "
               + RECORDING_HELP)
def delete_measurement(request, poc_id: ObjectId, measurement_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    measurement_delete(actor=request.auth,
                       measurement=measurement_get(poc=poc, measurement_id=measurement_id))
    return Status(204, None)


# --- status ----------------------------------------------------------------------------------

@router.get("/{poc_id}/criteria/{criterion_id}/status",
            response={200: CriterionStatusOut, **error_responses(404, 422)},
            operation_id="criterion_status", summary="A criterion's live status",
            description="The criterion's readings combined by its aggregation rule and judged "
            "against its target (`passing`, `failing` or `no_data`), with the chart data of "
            "its readings between `since` and `until`.")
def get_criterion_status(request, poc_id: ObjectId, criterion_id: ObjectId,
                         query: Query[ChartQuery]):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    criterion = criterion_get(poc=poc, criterion_id=criterion_id)
    chart = criterion_chart(criterion=criterion, points=query.points, **_window(query))
    return {**_status_fields(criterion_status(criterion)), "chart": chart}


@router.get("/{poc_id}/execution", response={200: ExecutionOut, **error_responses(404, 422)},
            operation_id="execution_summary", summary="Where the run stands",
            description="The technical outlook, every criterion's status, and the counts of "
            "readings, evidence, open issues and open risks.")
def get_execution(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    summary = execution_summary(poc=poc)
    return {**{name: summary[name] for name in (
        "outlook", "passing", "failing", "no_data", "readings", "evidence", "open_issues",
        "open_risks", "last_reading_at", "key_events")},
        "criteria": [_status_fields(status) for status in summary["statuses"]]}


# --- execution log ---------------------------------------------------------------------------

@router.get("/{poc_id}/log", response={200: list[LogEntryOut], **error_responses(404, 422)},
            operation_id="log_list", summary="Read the execution log",
            description="Observations, issues, technical risks and key events, newest first; "
            "filter with `kind`. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_log(request, poc_id: ObjectId, filters: Query[LogFilters]):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return log_for_poc(poc=poc, kind=filters.kind)


@router.post("/{poc_id}/log", response={201: LogEntryOut, **error_responses(403, 404, 409, 422)},
             operation_id="log_entry_create", summary="Add a log entry",
             description="An issue or a technical risk has a severity and is open until "
             "resolved; a key event says which one (`key_event`) and may be witnessed by a "
             "customer stakeholder of the deal. " + RECORDING_HELP)
def create_log_entry(request, poc_id: ObjectId, payload: LogEntryIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    entry = log_entry_create(actor=request.auth, poc=poc,
                             **_log_values(poc, payload, unset=False))
    return Status(201, log_entry_get(poc=poc, entry_id=entry.pk))


@router.get("/{poc_id}/log/{entry_id}",
            response={200: LogEntryOut, **error_responses(404, 422)},
            operation_id="log_entry_get", summary="Read a log entry")
def get_log_entry(request, poc_id: ObjectId, entry_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return log_entry_get(poc=poc, entry_id=entry_id)


@router.patch("/{poc_id}/log/{entry_id}",
              response={200: LogEntryOut, **error_responses(403, 404, 409, 422)},
              operation_id="log_entry_update", summary="Correct or resolve a log entry",
              description="Send only the fields to change (e.g. `status` `resolved` with its "
              "`mitigation`). " + RECORDING_HELP)
def update_log_entry(request, poc_id: ObjectId, entry_id: ObjectId, payload: LogEntryPatch):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    entry = log_entry_get(poc=poc, entry_id=entry_id)
    log_entry_update(actor=request.auth, entry=entry, **_log_values(poc, payload, unset=True))
    return log_entry_get(poc=poc, entry_id=entry_id)


@router.post("/{poc_id}/log/{entry_id}/witness",
             response={200: LogEntryOut, **error_responses(403, 404, 409, 422)},
             operation_id="log_entry_witness", summary="Record who witnessed an entry",
             description="A customer stakeholder of the deal saw it happen (e.g. the first "
             "run). " + RECORDING_HELP)
def witness_log_entry(request, poc_id: ObjectId, entry_id: ObjectId, payload: WitnessIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    entry = log_entry_get(poc=poc, entry_id=entry_id)
    log_entry_witness(actor=request.auth, entry=entry, witnessed_by=payload.witnessed_by,
                      witnessed_at=payload.witnessed_at)
    return log_entry_get(poc=poc, entry_id=entry_id)


# --- evidence --------------------------------------------------------------------------------

@router.get("/{poc_id}/evidence", response={200: list[EvidenceOut], **error_responses(404, 422)},
            operation_id="evidence_list", summary="List the evidence files",
            description="Photos, videos, reports and instrument exports, newest first; filter "
            "with `criterion`. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_evidence(request, poc_id: ObjectId, filters: Query[EvidenceFilters]):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return evidence_for_poc(poc=poc, criterion_id=filters.criterion)


@router.post("/{poc_id}/evidence",
             response={201: EvidenceOut, **error_responses(403, 404, 409, 413, 422)},
             operation_id="evidence_upload", summary="Upload an evidence file",
             description="Send `multipart/form-data` with the file in `file` (an image, MP4 "
             "video, PDF, XLSX or text file such as a CSV export or a log; its content decides "
             "its type, not its name: 422 on `file` otherwise) and optionally `caption`, "
             "`criterion` and `taken_at`. Images get a thumbnail. " + RECORDING_HELP)
def upload_evidence(request, poc_id: ObjectId, file: File[UploadedFile],
                    details: Annotated[EvidenceForm, Form(...)]):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    evidence = evidence_upload(actor=request.auth, poc=poc, uploaded=file, **details.model_dump())
    return Status(201, evidence_get(user=request.auth, evidence_id=evidence.pk))


@router.get("/{poc_id}/evidence/{evidence_id}",
            response={200: EvidenceOut, **error_responses(404, 422)},
            operation_id="evidence_get", summary="Read an evidence file's details")
def get_evidence(request, poc_id: ObjectId, evidence_id: ObjectId):
    return _evidence_of(request, poc_id, evidence_id)


@router.delete("/{poc_id}/evidence/{evidence_id}",
               response={204: None, **error_responses(403, 404, 409, 422)},
               operation_id="evidence_delete", summary="Delete an evidence file",
               description="An evidence file uploaded by mistake: the file, its thumbnail and "
               "its links to readings and log entries go; the readings and entries stay. "
               + RECORDING_HELP)
def delete_evidence(request, poc_id: ObjectId, evidence_id: ObjectId):
    evidence_delete(actor=request.auth, evidence=_evidence_of(request, poc_id, evidence_id))
    return Status(204, None)


@router.get("/{poc_id}/evidence/{evidence_id}/file", response=error_responses(404, 422),
            operation_id="evidence_download", url_name="evidence_download",
            summary="Download an evidence file",
            description="The file as uploaded, as an attachment.",
            openapi_extra={"responses": {"200": {
                "description": "The evidence file.",
                "headers": {"Content-Disposition": {"schema": {"type": "string"},
                                                    "description": "attachment; filename=…"}},
                "content": {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}}}})
def download_evidence(request, poc_id: ObjectId, evidence_id: ObjectId):
    stored = _evidence_of(request, poc_id, evidence_id).file
    try:
        content = default_storage.open(stored.storage_key, "rb")
    except OSError as error:
        raise NotFound(_("The file is missing from the storage.")) from error
    response = FileResponse(content, as_attachment=True, filename=stored.original_name,
                            content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
