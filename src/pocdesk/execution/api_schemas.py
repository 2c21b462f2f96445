"""The request and answer bodies of the execution endpoints (`api.py`): readings, criterion
statuses, the execution log and evidence files."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ValidationError as PydanticValidationError
from pydantic import model_validator

from pocdesk.core.api import (
    InputSchema,
    NamedRef,
    ObjectId,
    Text,
    UserRef,
    choice,
    validation_fields,
)
from pocdesk.core.errors import ValidationFailed
from pocdesk.criteria.measure import plain_number

from .chart import MAX_POINTS
from .models import KeyEvent, LogKind, LogStatus, Severity
from .services import BULK_LIMIT

LogKindChoice = choice(LogKind.values)
KeyEventChoice = choice(KeyEvent.values)
SeverityChoice = choice(Severity.values)
LogStatusChoice = choice(LogStatus.values)

RECORDING_HELP = ("409 `not_running` unless the POC is running, paused or being evaluated "
                  "(`poc_closed` once it is over).")
MOMENT_HELP = "ISO 8601 with its offset (e.g. `2026-03-10T14:30:00+01:00` or `…Z`); not in " \
              "the future."
VALUE_HELP = ("The measured number (decimal string or number; at most 14 digits before the "
              "point, rounded to 6 after) for a numeric criterion; null for a pass/fail test.")
PASSED_HELP = "The result of a pass/fail test; null for a numeric criterion."
EVIDENCE_IDS_HELP = "Ids of evidence files of this POC (POST /pocs/{id}/evidence) to attach."
WITNESS_HELP = "Id of a customer stakeholder of the deal."


def reading_json(value) -> str | bool | None:
    """A result or a reading as JSON: a decimal string, a pass/fail boolean, or null."""
    if value is None or isinstance(value, bool):
        return value
    return plain_number(value)


def _web_url(name: str, pk: int) -> str | None:
    try:
        return reverse(f"web:{name}", args=[pk])
    except NoReverseMatch:
        return None


# --- output ----------------------------------------------------------------------------------

class EvidenceRef(Schema):
    id: int
    name: str = Field(description="The uploaded file's name.")
    caption: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.file.original_name


class MeasurementOut(Schema):
    id: int
    criterion_id: int
    measured_at: datetime.datetime
    value: str | None = Field(description="The reading of a numeric criterion (decimal string); "
                              "null for a pass/fail test.")
    passed: bool | None = Field(description="The result of a pass/fail test; null for a "
                                "numeric criterion.")
    conditions: str = Field(description="The conditions of the reading (e.g. ambient 35 °C).")
    note: str
    series_id: int | None = Field(description="The series import it came from, if any.")
    evidence: list[EvidenceRef]
    recorded_by: UserRef | None
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_value(obj) -> str | bool | None:
        return reading_json(obj.value)

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())


class BulkCreatedOut(Schema):
    created: int = Field(description="Readings recorded.")


class StatusFields(Schema):
    criterion_id: int
    title: str
    target: str = Field(description="The target in words and symbols, e.g. “≥ 120 t/h”.")
    aggregation: str = Field(description="How the readings combine into the result.")
    must_have: bool
    status: str = Field(description="`passing`, `failing` or `no_data`.")
    result: str | bool | None = Field(description="The aggregated result: a decimal string (a "
                                      "percentage for `share_passing`), a boolean for the latest "
                                      "result of a pass/fail test, null without readings.")
    count: int = Field(description="Readings recorded.")
    passing_count: int = Field(description="Readings that meet the target on their own.")
    first_at: datetime.datetime | None
    last_at: datetime.datetime | None
    latest: str | bool | None = Field(description="The newest reading (decimal string or "
                                      "boolean).")


class CriterionStatusOut(StatusFields):
    chart: dict[str, Any] = Field(description=(
        "Chart data: `{kind: numeric|pass_fail, unit, title, aggregation, target: {comparator, "
        "text, value | min, max, …}, count, bucketed, series}`. Up to `points` readings come as "
        "`{t, value}` (1/0 for pass/fail); beyond, `series` holds `points` equal time buckets "
        "`{t, until, min, max, mean, count}`. Times are ISO 8601 in UTC."))


class KeyEventOut(Schema):
    id: int
    key_event: str = Field(description="One of " + ", ".join(KeyEvent.values) + ".")
    title: str
    occurred_at: datetime.datetime
    witnessed_by: NamedRef | None
    witnessed_at: datetime.datetime | None


class ExecutionOut(Schema):
    outlook: str = Field(description="`red` (a must-have fails), `amber` (another criterion "
                         "fails, or a must-have has no reading yet), `green`, or `none` (no "
                         "criteria).")
    passing: int
    failing: int
    no_data: int
    readings: int
    evidence: int = Field(description="Evidence files.")
    open_issues: int
    open_risks: int
    last_reading_at: datetime.datetime | None
    criteria: list[StatusFields] = Field(description="Every criterion's status, in the "
                                         "criteria's order.")
    key_events: list[KeyEventOut] = Field(description="Witnessed key events, newest first.")


class MilestoneRef(Schema):
    key: uuid.UUID
    label: str


class LogEntryOut(Schema):
    id: int
    kind: str = Field(description="One of " + ", ".join(LogKind.values) + ".")
    key_event: str = Field(description="For a key event: one of " + ", ".join(KeyEvent.values)
                           + "; empty otherwise.")
    milestone: MilestoneRef | None
    title: str
    body: str
    occurred_at: datetime.datetime
    severity: str = Field(description="Issues and risks: low, medium or high; empty otherwise.")
    status: str = Field(description="Issues and risks: open or resolved; empty otherwise.")
    mitigation: str
    witnessed_by: NamedRef | None = Field(description="The customer stakeholder who witnessed "
                                          "it.")
    witnessed_at: datetime.datetime | None
    evidence: list[EvidenceRef]
    recorded_by: UserRef | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())


class EvidenceOut(Schema):
    id: int
    name: str = Field(description="The uploaded file's name.")
    content_type: str = Field(description="The type judged from the file's content.")
    size: int = Field(description="In bytes.")
    caption: str
    criterion_id: int | None
    taken_at: datetime.datetime | None
    uploaded_by: UserRef | None
    created_at: datetime.datetime
    url: str = Field(description="Where to download it with the same credentials "
                     "(GET /pocs/{id}/evidence/{evidence_id}/file).")
    download_url: str | None = Field(description="The same file on the web pages (for a "
                                     "browser's session).")
    thumbnail_url: str | None = Field(description="A small preview of an image (web pages); "
                                      "null for other files.")

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.file.original_name

    @staticmethod
    def resolve_content_type(obj) -> str:
        return obj.file.content_type

    @staticmethod
    def resolve_size(obj) -> int:
        return obj.file.size

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("api:evidence_download",
                       kwargs={"poc_id": obj.poc_id, "evidence_id": obj.pk})

    @staticmethod
    def resolve_download_url(obj) -> str | None:
        return _web_url("evidence_file", obj.pk)

    @staticmethod
    def resolve_thumbnail_url(obj) -> str | None:
        return _web_url("evidence_thumbnail", obj.pk) if obj.thumbnail_key else None


# --- input -----------------------------------------------------------------------------------

class ReadingFields(InputSchema):
    criterion: ObjectId = Field(description="Id of a criterion of this POC.")
    measured_at: datetime.datetime = Field(description=MOMENT_HELP)
    value: Decimal | None = Field(None, description=VALUE_HELP)
    passed: bool | None = Field(None, description=PASSED_HELP)
    conditions: Text = Field("", max_length=300)
    note: Text = Field("", max_length=5000)


class MeasurementIn(ReadingFields):
    evidence_ids: list[ObjectId] = Field([], max_length=100, description=EVIDENCE_IDS_HELP)


class MeasurementPatch(InputSchema):
    criterion: ObjectId = Field(None, description="Another criterion of this POC: send its "
                                "`value` or `passed` too.")
    measured_at: datetime.datetime = Field(None, description=MOMENT_HELP)
    value: Decimal | None = Field(None, description=VALUE_HELP)
    passed: bool | None = Field(None, description=PASSED_HELP)
    conditions: Text = Field(None, max_length=300)
    note: Text = Field(None, max_length=5000)
    evidence_ids: list[ObjectId] = Field(None, max_length=100, description="Replaces the "
                                         "attached evidence; " + EVIDENCE_IDS_HELP)


def _row_path(error: dict[str, Any]) -> dict[str, Any]:
    """A bad reading's location as one dotted name, `items.<index>.<field>`."""
    location = [str(part) for part in error.get("loc", ())]
    return {**error, "loc": (".".join(location),) if location else ()}


class BulkIn(InputSchema):
    items: list[ReadingFields] = Field(
        description=f"At most {BULK_LIMIT:,} readings.",
        json_schema_extra={"maxItems": BULK_LIMIT})

    @model_validator(mode="wrap")
    @classmethod
    def _name_the_rows(cls, data, handler):
        """Refuse an oversized batch before reading it, and name a bad reading's field by its
        index (`items.3.value`), as the service does."""
        items = data.get("items") if isinstance(data, dict) else None
        if isinstance(items, list) and len(items) > BULK_LIMIT:
            raise ValidationFailed({"items": [
                _("At most %(limit)s readings per request (this one has %(count)s): split them, "
                  "or import the file as a series.")
                % {"limit": f"{BULK_LIMIT:,}", "count": f"{len(items):,}"}]})
        try:
            return handler(data)
        except PydanticValidationError as error:
            raise ValidationFailed(validation_fields(
                [_row_path(row) for row in error.errors()])) from None


class MeasurementFilters(Schema):
    criterion: ObjectId | None = Field(None, description="Only this criterion's readings.")
    since: datetime.datetime | None = Field(None, description="Measured at or after.")
    until: datetime.datetime | None = Field(None, description="Measured at or before.")
    series: ObjectId | None = Field(None, description="Only the readings of this series "
                                    "import.")


class ChartQuery(Schema):
    points: int = Field(400, ge=1, le=MAX_POINTS, description="Readings sent as they are; "
                        "beyond, the chart groups them into this many time buckets.")
    since: datetime.datetime | None = Field(None, description="Chart the readings from.")
    until: datetime.datetime | None = Field(None, description="Chart the readings until.")


class LogFilters(Schema):
    kind: LogKindChoice | None = Field(None, description="Only this kind of entry.")


class LogEntryIn(InputSchema):
    kind: LogKindChoice = Field(description="`observation`, `issue`, `risk` (a technical risk) "
                                "or `key_event`.")
    title: Text = Field(max_length=200)
    body: Text = Field("", max_length=20000)
    occurred_at: datetime.datetime | None = Field(None, description="By default now. "
                                                  + MOMENT_HELP)
    key_event: KeyEventChoice | None = Field(None, description="Required for a key event.")
    milestone: uuid.UUID | None = Field(None, description="Key of a milestone of this POC.")
    severity: SeverityChoice | None = Field(None, description="Issues and risks only.")
    status: LogStatusChoice | None = Field(None, description="Issues and risks only; by "
                                           "default open.")
    mitigation: Text = Field("", max_length=20000, description="Issues and risks only.")
    witnessed_by: ObjectId | None = Field(None, description=WITNESS_HELP)
    witnessed_at: datetime.datetime | None = Field(None, description="By default now when a "
                                                   "witness is given.")
    evidence_ids: list[ObjectId] = Field([], max_length=100, description=EVIDENCE_IDS_HELP)


class LogEntryPatch(InputSchema):
    kind: LogKindChoice = Field(None, description="Changing the kind drops what no longer "
                                "applies (a key event's type, an issue's severity and status).")
    title: Text = Field(None, max_length=200)
    body: Text = Field(None, max_length=20000)
    occurred_at: datetime.datetime = Field(None, description=MOMENT_HELP)
    key_event: KeyEventChoice | None = None
    milestone: uuid.UUID | None = Field(None, description="null removes the link.")
    severity: SeverityChoice | None = None
    status: LogStatusChoice | None = Field(None, description="`resolved` closes an issue or "
                                           "a risk.")
    mitigation: Text = Field(None, max_length=20000)
    witnessed_by: ObjectId | None = Field(None, description=WITNESS_HELP + " null removes the "
                                          "witness.")
    witnessed_at: datetime.datetime | None = None
    evidence_ids: list[ObjectId] = Field(None, max_length=100, description="Replaces the "
                                         "attachments; " + EVIDENCE_IDS_HELP)


class WitnessIn(InputSchema):
    witnessed_by: ObjectId = Field(description=WITNESS_HELP)
    witnessed_at: datetime.datetime | None = Field(None, description="By default now; not "
                                                   "before the entry occurred.")


class EvidenceFilters(Schema):
    criterion: ObjectId | None = Field(None, description="Only the evidence of this criterion.")


class EvidenceForm(Schema):
    caption: Text = Field("", max_length=300)
    criterion: ObjectId | None = Field(None, description="Id of a criterion of this POC it "
                                       "proves.")
    taken_at: datetime.datetime | None = Field(None, description="When the photo, video or "
                                               "export was taken. " + MOMENT_HELP)
