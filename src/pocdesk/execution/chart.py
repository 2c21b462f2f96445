"""Chart data of one criterion's readings, for Chart.js (§8.1).

Up to `points` readings are sent as they are. Beyond that the database groups them into
`points` equal time buckets — minimum, maximum, mean and count per bucket (for a pass/fail test,
the share passing) — so a series of a million readings never goes through Python. SQLite reads
each bucket as a range of the (criterion, measured_at) index; PostgreSQL hashes them by
bucket number.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, OuterRef, Subquery

from pocdesk.criteria.measure import target_text
from pocdesk.criteria.models import Aggregation, Comparator, Criterion

from .models import Measurement
from .readings import is_pass_fail

MAX_POINTS = 500  # SQLite joins at most 500 SELECTs in one statement


def _number(value) -> float | None:
    return None if value is None else float(value)


def target_band(criterion) -> dict[str, Any]:
    """The target as numbers a chart can draw (a line, or a band between two bounds)."""
    comparator = criterion.comparator
    band: dict[str, Any] = {"comparator": comparator, "text": target_text(criterion)}
    if comparator == Comparator.BETWEEN:
        band.update(min=_number(criterion.target_min), max=_number(criterion.target_max))
    elif comparator == Comparator.EQ and criterion.target_value is not None:
        tolerance = Decimal(criterion.tolerance or 0)
        band.update(value=_number(criterion.target_value), tolerance=_number(tolerance),
                    min=_number(criterion.target_value - tolerance),
                    max=_number(criterion.target_value + tolerance))
    elif comparator in (Comparator.GTE, Comparator.LTE):
        band["value"] = _number(criterion.target_value)
    if criterion.aggregation == Aggregation.SHARE_PASSING:
        band["required_share"] = _number(criterion.required_share)
    return band


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def criterion_chart(*, criterion, points: int = 400, since: datetime.datetime | None = None,
                    until: datetime.datetime | None = None) -> dict[str, Any]:
    """JSON-able chart data of a criterion's readings between `since` and `until`.

    `{"kind": "numeric" | "pass_fail", "unit", "title", "aggregation", "target": {...},
    "count", "bucketed", "series": [...]}`. Raw points are `{"t", "value"}` (1 or 0 for a
    pass/fail test); buckets are `{"t", "until", "min", "max", "mean", "count"}` plus, for a
    pass/fail test, `"passing"` and `"share"` (0–100, the mean being the same as 0–1).
    Times are ISO 8601 in UTC. At most two queries.
    """
    points = max(1, min(int(points), MAX_POINTS))
    pass_fail = is_pass_fail(criterion)
    readings = Measurement.objects.filter(criterion=criterion).order_by()
    if since is not None:
        readings = readings.filter(measured_at__gte=since)
    if until is not None:
        readings = readings.filter(measured_at__lte=until)
    chart: dict[str, Any] = {
        "kind": "pass_fail" if pass_fail else "numeric", "unit": criterion.unit,
        "title": criterion.title, "aggregation": criterion.aggregation,
        "target": target_band(criterion), "count": 0, "bucketed": False, "series": [],
    }
    span = _span(criterion, since=since, until=until)
    chart["count"] = count = span["count"]
    if not count:
        return chart
    if count <= points:
        chart["series"] = [
            {"t": _iso(measured_at),
             "value": (1 if passed else 0) if pass_fail else _number(value)}
            for measured_at, value, passed in readings.order_by("measured_at", "id")
            .values_list("measured_at", "value", "passed")]
        return chart
    chart["bucketed"] = True
    chart["series"] = _buckets(criterion, first=span["first"], last=span["last"],
                               points=points, pass_fail=pass_fail)
    return chart


def _span(criterion, *, since, until) -> dict[str, Any]:
    """Count, first and last time of the readings, each read from the (criterion,
    measured_at) index on its own: one query, no pass over the rows."""
    from .status import count_subquery

    readings = Measurement.objects.filter(criterion=OuterRef("pk")).order_by()
    if since is not None:
        readings = readings.filter(measured_at__gte=since)
    if until is not None:
        readings = readings.filter(measured_at__lte=until)
    return (Criterion.objects.filter(pk=criterion.pk).annotate(
        count=count_subquery(readings),
        first=Subquery(readings.order_by("measured_at").values("measured_at")[:1],
                       output_field=DateTimeField()),
        last=Subquery(readings.order_by("-measured_at").values("measured_at")[:1],
                      output_field=DateTimeField()),
    ).values("count", "first", "last").get())


def _sqlite_bucket_rows(criterion, *, first, last, start: float, width: float, points: int):
    """SQLite: one aggregate per bucket over its range of the (criterion, measured_at) index,
    all in one compound query. A GROUP BY on a computed bucket would sort a million rows
    through a temporary B-tree and let SQLite read the rows in value order; ranges read them
    in time order and need no sort."""
    table = connection.ops.quote_name(Measurement._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    bounds = [adapt(datetime.datetime.fromtimestamp(start + index * width, tz=datetime.UTC))
              for index in range(points)] + [adapt(last)]
    parts, params = [], []
    for index in range(points):
        closing = "<=" if index == points - 1 else "<"
        parts.append(  # only integers and fixed names are written in; times are parameters
            f"SELECT {index}, COUNT(*), COUNT(CASE WHEN passed THEN 1 END), MIN(value), MAX(value), SUM(value) "  # noqa: S608
            f"FROM {table} WHERE criterion_id = {int(criterion.pk)} "
            f"AND measured_at >= %s AND measured_at {closing} %s")
        params += [bounds[index], bounds[index + 1]]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for index, count, passing, low, high, total in cursor.fetchall():
            if count:
                yield {"bucket": index, "n": count, "passing": passing or 0, "low": low,
                       "high": high, "total": total}


def _postgresql_bucket_rows(criterion, *, first, last, start: float, width: float):
    """PostgreSQL: GROUP BY the bucket number. The subquery's OFFSET 0 hides the expression
    from the planner, which would otherwise expect as many groups as readings and sort a
    million rows on disk instead of hashing a few hundred groups in memory."""
    table = connection.ops.quote_name(Measurement._meta.db_table)
    sql = (  # only the quoted table name is written in; values are parameters
        f"SELECT bucket, COUNT(*), COUNT(CASE WHEN passed THEN 1 END), MIN(value), "  # noqa: S608
        "MAX(value), SUM(value) FROM (SELECT FLOOR((date_part('epoch', measured_at) - %s) / %s)"
        f"::integer AS bucket, passed, value FROM {table} WHERE criterion_id = %s "
        "AND measured_at >= %s AND measured_at <= %s OFFSET 0) AS readings GROUP BY bucket")
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, width, criterion.pk, first, last])
        for index, count, passing, low, high, total in cursor.fetchall():
            yield {"bucket": index, "n": count, "passing": passing, "low": low, "high": high,
                   "total": total}


def _buckets(criterion, *, first: datetime.datetime, last: datetime.datetime,
             points: int, pass_fail: bool) -> list[dict[str, Any]]:
    start = first.timestamp()
    width = max((last.timestamp() - start) / points, 1e-3)
    if connection.vendor == "sqlite":
        rows = _sqlite_bucket_rows(criterion, first=first, last=last, start=start, width=width,
                                   points=points)
    else:
        rows = _postgresql_bucket_rows(criterion, first=first, last=last, start=start,
                                       width=width)
    merged: dict[int, dict[str, Any]] = {}
    for row in rows:
        # The last reading falls on the end of the last bucket: count it in that bucket.
        index = min(max(int(row["bucket"]), 0), points - 1)
        into = merged.get(index)
        if into is None:
            merged[index] = dict(row, bucket=index)
            continue
        into["n"] += row["n"]
        if pass_fail:
            into["passing"] += row["passing"]
        else:
            into["low"] = min(into["low"], row["low"])
            into["high"] = max(into["high"], row["high"])
            into["total"] += row["total"]
    series = []
    for index, row in sorted(merged.items()):
        begins = datetime.datetime.fromtimestamp(start + index * width, tz=datetime.UTC)
        point: dict[str, Any] = {
            "t": begins.isoformat(),
            "until": (begins + datetime.timedelta(seconds=width)).isoformat(),
            "count": row["n"]}
        if pass_fail:
            share = row["passing"] / row["n"]
            point.update(min=0 if row["passing"] < row["n"] else 1,
                         max=1 if row["passing"] else 0, mean=share,
                         passing=row["passing"], share=share * 100)
        else:
            point.update(min=_number(row["low"]), max=_number(row["high"]),
                         mean=float(row["total"]) / row["n"])
        series.append(point)
    return series
