"""Reads of the run's records: readings, evidence, the execution log and the POC's summary.

Lists are querysets (the API pages through them) with what a row shows already joined, so a
page costs the same few queries however many readings there are. `*_get(poc=...)` selectors
expect a POC whose visibility the caller has checked (`pocs.selectors.poc_get`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from pocdesk.core.errors import NotFound
from pocdesk.criteria.measure import FAILING, NO_DATA, PASSING
from pocdesk.people.roles import scope_to_user

from .models import Evidence, LogEntry, LogKind, LogStatus, Measurement, Severity
from .status import criterion_statuses, technical_outlook


def _key(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def measurements_for_poc(*, poc, criterion_id=None, since: datetime.datetime | None = None,
                         until: datetime.datetime | None = None, series_id=None):
    """The POC's readings, newest first, with their criterion and attached evidence."""
    readings = (Measurement.objects.filter(poc=poc)
                .select_related("criterion", "recorded_by__profile", "series")
                .prefetch_related("evidence__file")
                .order_by("-measured_at", "-id"))
    if criterion_id not in (None, ""):
        readings = readings.filter(criterion_id=_key(criterion_id))
    if series_id not in (None, ""):
        readings = readings.filter(series_id=_key(series_id))
    if since is not None:
        readings = readings.filter(measured_at__gte=since)
    if until is not None:
        readings = readings.filter(measured_at__lte=until)
    return readings


def recent_measurements(*, poc, per_criterion: int = 5) -> dict[int, list[Measurement]]:
    """The newest readings of each criterion of the POC, newest first, by criterion id.

    Each criterion's readings are read from the (criterion, measured_at) index with a LIMIT, so
    a criterion with a million readings costs what one with ten does (four queries: the
    criteria, the readings, their evidence, its files). A window over every reading would
    scan them all.
    """
    criterion_ids = list(poc.criteria.order_by().values_list("pk", flat=True))
    if not criterion_ids or per_criterion < 1:
        return {}
    quote = connection.ops.quote_name
    table, key, criterion, measured_at = (quote(Measurement._meta.db_table), quote("id"),
                                          quote("criterion_id"), quote("measured_at"))
    newest = " UNION ALL ".join(  # only quoted names are written in; values are parameters
        f"SELECT * FROM (SELECT {key} FROM {table} WHERE {criterion} = %s "  # noqa: S608
        f"ORDER BY {measured_at} DESC, {key} DESC LIMIT %s) AS newest{number}"
        for number in range(len(criterion_ids)))
    params = [value for criterion_id in criterion_ids for value in (criterion_id, per_criterion)]
    readings = (Measurement.objects.filter(pk__in=RawSQL(newest, params))  # noqa: S611
                .select_related("criterion", "recorded_by__profile", "series")
                .prefetch_related("evidence__file")
                .order_by("criterion_id", "-measured_at", "-id"))
    by_criterion: dict[int, list[Measurement]] = {}
    for reading in readings:
        by_criterion.setdefault(reading.criterion_id, []).append(reading)
    return by_criterion


def measurement_get(*, poc, measurement_id) -> Measurement:
    key = _key(measurement_id)
    measurement = (Measurement.objects.filter(poc=poc, pk=key)
                   .select_related("criterion", "poc", "recorded_by__profile", "series")
                   .prefetch_related("evidence__file").first() if key is not None else None)
    if measurement is None:
        raise NotFound()
    return measurement


def evidence_for_poc(*, poc, criterion_id=None):
    """The POC's evidence files, newest first."""
    evidence = (Evidence.objects.filter(poc=poc)
                .select_related("file", "criterion", "uploaded_by__profile")
                .order_by("-created_at", "-id"))
    if criterion_id not in (None, ""):
        evidence = evidence.filter(criterion_id=_key(criterion_id))
    return evidence


def evidence_get(*, user, evidence_id) -> Evidence:
    """An evidence file, only for someone who sees the POC's team; NotFound otherwise."""
    key = _key(evidence_id)
    evidence = None
    if key is not None:
        evidence = scope_to_user(
            Evidence.objects.filter(pk=key).select_related("file", "poc", "criterion",
                                                            "uploaded_by__profile"),
            user, field="poc__team_id").first()
    if evidence is None:
        raise NotFound()
    return evidence


def log_for_poc(*, poc, kind: str | None = None):
    """The POC's execution log, newest first, with milestones, witnesses and attachments."""
    entries = (LogEntry.objects.filter(poc=poc)
               .select_related("milestone", "witnessed_by", "recorded_by__profile")
               .prefetch_related("evidence__file")
               .order_by("-occurred_at", "-id"))
    if kind:
        entries = entries.filter(kind=kind)
    return entries


def log_entry_get(*, poc, entry_id) -> LogEntry:
    key = _key(entry_id)
    entry = (LogEntry.objects.filter(poc=poc, pk=key)
             .select_related("poc", "milestone", "witnessed_by", "recorded_by__profile")
             .prefetch_related("evidence__file").first() if key is not None else None)
    if entry is None:
        raise NotFound()
    return entry


SEVERITY_ORDER = (Severity.HIGH, Severity.MEDIUM, Severity.LOW)  # the risk memo's order
SEVERITY_RANK = Case(*(When(severity=severity, then=Value(rank))
                       for rank, severity in enumerate(SEVERITY_ORDER)),
                     default=Value(len(SEVERITY_ORDER)), output_field=IntegerField())


def severity_rank(entry) -> int:
    """The rank SEVERITY_RANK gives in the database, for entries already read."""
    return SEVERITY_ORDER.index(entry.severity) if entry.severity in SEVERITY_ORDER \
        else len(SEVERITY_ORDER)


def open_risks(*, poc):
    """The open technical risks, the most severe first (the technical-risk memo)."""
    return (LogEntry.objects.filter(poc=poc, kind=LogKind.RISK, status=LogStatus.OPEN)
            .select_related("milestone", "recorded_by__profile")
            .annotate(severity_rank=SEVERITY_RANK)
            .order_by("severity_rank", "-occurred_at", "-id"))


def execution_summary(*, poc) -> dict[str, Any]:
    """What the POC card shows of the run, in five queries whatever the data.

    `statuses` (CriterionStatus, in criterion order), `outlook` (red/amber/green/none),
    `passing`/`failing`/`no_data` counts, `readings`, `evidence`, `open_issues`, `open_risks`,
    `last_reading_at`, and `key_events` (witnessed key events, newest first).
    """
    criteria = list(poc.criteria.all())
    statuses_by_id = criterion_statuses(criteria=criteria)
    statuses = [statuses_by_id[criterion.pk] for criterion in criteria]
    log_counts = LogEntry.objects.filter(poc=poc).aggregate(
        open_issues=Count("pk", filter=Q(kind=LogKind.ISSUE, status=LogStatus.OPEN)),
        open_risks=Count("pk", filter=Q(kind=LogKind.RISK, status=LogStatus.OPEN)))
    key_events = list(LogEntry.objects.filter(poc=poc, kind=LogKind.KEY_EVENT,
                                              witnessed_by__isnull=False)
                      .select_related("witnessed_by", "milestone")
                      .order_by("-occurred_at", "-id"))
    last_times = [status.last_at for status in statuses if status.last_at is not None]
    return {
        "statuses": statuses,
        "outlook": technical_outlook(statuses),
        "passing": sum(1 for status in statuses if status.status == PASSING),
        "failing": sum(1 for status in statuses if status.status == FAILING),
        "no_data": sum(1 for status in statuses if status.status == NO_DATA),
        "readings": sum(status.count for status in statuses),
        "evidence": Evidence.objects.filter(poc=poc).count(),
        "open_issues": log_counts["open_issues"],
        "open_risks": log_counts["open_risks"],
        "last_reading_at": max(last_times) if last_times else None,
        "key_events": key_events,
    }
