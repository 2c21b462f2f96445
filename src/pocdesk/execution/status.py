"""The live status of each criterion (§8.1), computed in the database.

A criterion may have a million readings (an instrument's series), so nothing here loads them:
every figure is a subquery that an index answers — (criterion, measured_at) for counts and times,
(criterion, value) for extremes, passing counts and percentiles. The results are exactly those of
`criteria.measure.evaluate` on the same readings (tests compare both): the mean is an exact sum,
and the 95th percentile interpolates between the two closest ranks read from the index.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    DecimalField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from pocdesk.criteria.measure import FAILING, NO_DATA, result_status
from pocdesk.criteria.models import Aggregation, Comparator, Criterion

from .models import Measurement
from .readings import VALUE_PLACES, is_pass_fail

P95 = Decimal("0.95")
_SQLITE_FLOAT = Context(prec=15).create_decimal_from_float  # SQLite keeps 15 digits


@dataclass
class CriterionStatus:
    """Where one criterion stands: its readings summed up and judged against the target."""

    criterion: Criterion
    count: int
    result: Decimal | bool | None
    status: str  # passing / failing / no_data
    first_at: datetime.datetime | None
    last_at: datetime.datetime | None
    latest: Decimal | bool | None
    passing_count: int
    must_have: bool
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    @property
    def share_passing(self) -> Decimal | None:
        """The share of readings that pass (0–100), None without readings."""
        if not self.count:
            return None
        return Decimal(self.passing_count) * 100 / Decimal(self.count)


def count_subquery(readings) -> Subquery:
    """COUNT(*) of a correlated queryset, as a subquery without GROUP BY."""
    # COUNT(*), not COUNT(id): PostgreSQL then answers from the index alone.
    return Subquery(readings.annotate(n=Func(template="COUNT(*)", output_field=IntegerField()))
                    .values("n"), output_field=IntegerField())


def _passing_filter(criterion: Criterion) -> Q | None:
    """The readings that meet the criterion's target, as a filter the (criterion, value) index
    answers; None when the criterion has no usable target."""
    comparator = criterion.comparator
    try:
        if comparator == Comparator.PASS_FAIL:
            return Q(passed=True)
        if comparator == Comparator.GTE:
            return Q(value__gte=Decimal(criterion.target_value))
        if comparator == Comparator.LTE:
            return Q(value__lte=Decimal(criterion.target_value))
        if comparator == Comparator.EQ:
            target = Decimal(criterion.target_value)
            tolerance = Decimal(criterion.tolerance or 0)
            return Q(value__gte=target - tolerance, value__lte=target + tolerance)
        if comparator == Comparator.BETWEEN:
            return Q(value__gte=Decimal(criterion.target_min),
                     value__lte=Decimal(criterion.target_max))
    except (TypeError, InvalidOperation):
        return None
    return None


def _exact_sum(readings) -> Subquery:
    """The exact sum of the values, in one pass. PostgreSQL sums numerics exactly; SQLite
    stores floats, so it sums the integer parts and the millionths apart, as integers (read
    back as text "units millionths")."""
    if connection.vendor != "sqlite":
        return Subquery(readings.annotate(s=Func(F("value"), function="SUM")).values("s"),
                        output_field=DecimalField())
    sums = Func(F("value"), template=(
        "(SUM(CAST(%(expressions)s AS INTEGER)) || ' ' || "
        "SUM(CAST(ROUND((%(expressions)s - CAST(%(expressions)s AS INTEGER)) * 1000000) "
        "AS INTEGER)))"), output_field=CharField())
    return Subquery(readings.annotate(s=sums).values("s"), output_field=CharField())


def _decimal(value) -> Decimal | None:
    """A value read from the database as the model stores it (6 decimal places)."""
    if value is None:
        return None
    if isinstance(value, float):
        value = _SQLITE_FLOAT(value)
    return Decimal(value).quantize(VALUE_PLACES)


def _boolean(value) -> bool | None:
    return None if value is None else bool(value)


def _stats_rows(criteria: list[Criterion], until=None) -> dict[int, dict[str, Any]]:
    """One query: every figure of every criterion, each from its own index-backed subquery."""
    readings = Measurement.objects.filter(criterion=OuterRef("pk")).order_by()
    if until is not None:
        readings = readings.filter(measured_at__lt=until)
    newest = readings.order_by("-measured_at", "-id")
    numbers = readings.filter(value__isnull=False)
    passing = [When(pk=criterion.pk, then=count_subquery(readings.filter(condition)))
               for criterion in criteria
               if (condition := _passing_filter(criterion)) is not None]
    annotations: dict[str, Any] = {
        "n": count_subquery(readings),
        "first_at": Subquery(readings.order_by("measured_at").values("measured_at")[:1],
                             output_field=DateTimeField()),
        "last_at": Subquery(newest.values("measured_at")[:1], output_field=DateTimeField()),
        "latest_value": Subquery(newest.values("value")[:1], output_field=DecimalField()),
        "latest_passed": Subquery(newest.values("passed")[:1], output_field=BooleanField()),
        "minimum": Subquery(numbers.order_by("value").values("value")[:1],
                            output_field=DecimalField()),
        "maximum": Subquery(numbers.order_by("-value").values("value")[:1],
                            output_field=DecimalField()),
        "passing": Case(*passing, default=Value(0), output_field=IntegerField())
        if passing else Value(0, output_field=IntegerField()),
    }
    means = [criterion.pk for criterion in criteria
             if criterion.aggregation == Aggregation.MEAN
             and not is_pass_fail(criterion)]
    if means:
        # Only mean criteria need a sum, the one figure that reads every reading.
        total = _exact_sum(numbers)  # read from the (criterion, value) index alone
        annotations["total"] = Case(When(pk__in=means, then=total), default=Value(None),
                                    output_field=total.output_field)
    rows = (Criterion.objects.filter(pk__in=[criterion.pk for criterion in criteria])
            .order_by().annotate(**annotations).values("pk", *annotations))
    return {row["pk"]: row for row in rows}


_ROW_FIELDS = ("n", "first_at", "last_at", "latest_value", "latest_passed", "minimum", "maximum",
               "passing", "total")


def _total(row: dict[str, Any]) -> Decimal | None:
    total = row.get("total")
    if total is None:
        return None
    if isinstance(total, str):
        units, millionths = total.split()
        return Decimal(units) + Decimal(millionths).scaleb(-6)
    return Decimal(total)


def _p95_positions(count: int) -> tuple[int, int, Decimal]:
    """The ranks around the 95th percentile, as in `criteria.measure.percentile`."""
    position = P95 * (count - 1)
    lower = math.floor(position)
    return lower, min(lower + 1, count - 1), position - lower


def _p95_part(number: int, *, until: bool = False) -> str:
    """One criterion's two ranks; only quoted names are written in, values are parameters."""
    quote = connection.ops.quote_name
    table, criterion, value = (quote(Measurement._meta.db_table), quote("criterion_id"),
                               quote("value"))
    before = f"AND {quote('measured_at')} < %s " if until else ""
    return (f"SELECT * FROM (SELECT {criterion}, {value} FROM {table} "  # noqa: S608
            f"WHERE {criterion} = %s AND {value} IS NOT NULL {before}"
            f"ORDER BY {value} DESC LIMIT %s OFFSET %s) AS p{number}")


def _p95_values(wanted: dict[int, int], until=None) -> dict[int, Decimal]:
    """The 95th percentile of each criterion {id: count} in one query: the two closest ranks
    read from the (criterion, value) index, from the top where they are (5 % from the end)."""
    parts, params, fractions = [], [], {}
    for criterion_id, count in sorted(wanted.items()):
        lower, upper, fraction = _p95_positions(count)
        fractions[criterion_id] = fraction
        parts.append(_p95_part(len(parts), until=until is not None))
        params += [criterion_id, *([until] if until is not None else []),
                   upper - lower + 1, count - 1 - upper]
    found: dict[int, list[Decimal]] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for criterion_id, value in cursor.fetchall():
            found.setdefault(criterion_id, []).append(_decimal(value))
    result = {}
    for criterion_id, values in found.items():
        upper_value, lower_value = values[0], values[-1]  # read from the top down
        result[criterion_id] = (lower_value
                                + (upper_value - lower_value) * fractions[criterion_id])
    return result


def _result(criterion: Criterion, row: dict[str, Any], p95: dict[int, Decimal]):
    count = row["n"] or 0
    if not count:
        return None
    how = criterion.aggregation
    pass_fail = is_pass_fail(criterion)
    if how == Aggregation.LATEST:
        return _boolean(row["latest_passed"]) if pass_fail else _decimal(row["latest_value"])
    if how == Aggregation.SHARE_PASSING:
        return Decimal(row["passing"] or 0) * 100 / Decimal(count)
    if pass_fail:
        return None  # a pass/fail test has no minimum, maximum, mean or percentile
    if how == Aggregation.MIN:
        return _decimal(row["minimum"])
    if how == Aggregation.MAX:
        return _decimal(row["maximum"])
    if how == Aggregation.MEAN:
        total = _total(row)
        return None if total is None else total / Decimal(count)
    if how == Aggregation.P95:
        return p95.get(criterion.pk)
    return None


def _status(criterion: Criterion, result) -> str:
    try:
        return result_status(criterion, result)
    except (TypeError, ValueError, InvalidOperation):  # a criterion without a usable target
        return NO_DATA


def criterion_statuses(*, criteria: Iterable[Criterion], until=None
                       ) -> dict[int, CriterionStatus]:
    """The status of each criterion by id, in at most three queries whatever their number and
    their readings: the criteria (when a queryset is given), their figures, and the 95th
    percentiles of those aggregated that way. With `until`, from the readings measured before
    that moment only (where a criterion stood at the end of a past week)."""
    criteria = list(criteria)
    if not criteria:
        return {}
    rows = _stats_rows(criteria, until)
    for criterion in criteria:  # deleted meanwhile: judged as having no readings
        rows.setdefault(criterion.pk, dict.fromkeys(_ROW_FIELDS))
    wanted = {criterion.pk: rows[criterion.pk]["n"] for criterion in criteria
              if criterion.aggregation == Aggregation.P95
              and not is_pass_fail(criterion) and rows[criterion.pk]["n"]}
    p95 = _p95_values(wanted, until) if wanted else {}
    statuses = {}
    for criterion in criteria:
        row = rows[criterion.pk]
        pass_fail = is_pass_fail(criterion)
        result = _result(criterion, row, p95)
        statuses[criterion.pk] = CriterionStatus(
            criterion=criterion, count=row["n"] or 0, result=result,
            status=_status(criterion, result), first_at=row["first_at"], last_at=row["last_at"],
            latest=(_boolean(row["latest_passed"]) if pass_fail
                    else _decimal(row["latest_value"])),
            passing_count=row["passing"] or 0, must_have=criterion.must_have,
            minimum=_decimal(row["minimum"]), maximum=_decimal(row["maximum"]))
    return statuses


def criterion_status(criterion: Criterion) -> CriterionStatus:
    return criterion_statuses(criteria=[criterion])[criterion.pk]


def technical_outlook(statuses: Iterable[CriterionStatus]) -> str:
    """red: a must-have fails; amber: another criterion fails or a must-have has no data yet;
    green: every criterion with data passes and every must-have has data; none: no criteria."""
    statuses = list(statuses)
    if not statuses:
        return "none"
    if any(s.must_have and s.status == FAILING for s in statuses):
        return "red"
    if any(s.status == FAILING for s in statuses):
        return "amber"
    if any(s.must_have and s.status == NO_DATA for s in statuses):
        return "amber"
    return "green"


from .chart import criterion_chart  # noqa: E402  (part of this module's interface)

__all__ = ["CriterionStatus", "criterion_chart", "criterion_status", "criterion_statuses",
           "technical_outlook"]
