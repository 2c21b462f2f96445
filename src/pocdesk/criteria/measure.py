"""What makes a criterion measurable, and how readings are judged against it (§5.1).

The rules live here once: model validation (web, API, admin), the live status of issue-level
execution and the final report all call these functions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .models import Aggregation, Comparator

NUMERIC_COMPARATORS = {Comparator.GTE, Comparator.LTE, Comparator.EQ, Comparator.BETWEEN}
PASS_FAIL_AGGREGATIONS = {Aggregation.LATEST, Aggregation.SHARE_PASSING}

PASSING = "passing"
FAILING = "failing"
NO_DATA = "no_data"


def _get(spec: Any, name: str) -> Any:
    return spec.get(name) if isinstance(spec, dict) else getattr(spec, name, None)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def spec_errors(spec: Any) -> dict[str, list[str]]:
    """Why a criterion is not measurable, per field; empty when it is.

    A criterion needs either a number to reach (metric, unit, comparator, target) or an explicit
    pass/fail test, and a measurement method, so that both sides can tell whether it passed.
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    comparator = _get(spec, "comparator")
    aggregation = _get(spec, "aggregation")
    make_measurable = _("Give a number to reach with its unit (e.g. ≥ 99 %), or choose a "
                        "pass/fail test and describe what passes.")
    if _blank(_get(spec, "measurement_method")):
        add("measurement_method", _("Say how it is measured (instrument, test procedure or "
                                    "report), so both sides read the result the same way."))
    if comparator in NUMERIC_COMPARATORS:
        if _blank(_get(spec, "metric")):
            add("metric", _("Name what is measured (e.g. throughput, colour temperature). ")
                + make_measurable)
        if _blank(_get(spec, "unit")):
            add("unit", _("Give the unit of the measurement (e.g. t/h, K, %, ms)."))
        if comparator == Comparator.BETWEEN:
            low, high = _get(spec, "target_min"), _get(spec, "target_max")
            if low is None:
                add("target_min", _("Give the lower bound of the accepted range."))
            if high is None:
                add("target_max", _("Give the upper bound of the accepted range."))
            if low is not None and high is not None and Decimal(low) >= Decimal(high):
                add("target_max", _("The upper bound must be greater than the lower bound."))
            if _get(spec, "target_value") is not None:
                add("target_value", _("A range uses the lower and upper bounds, not a single "
                                      "target."))
        else:
            if _get(spec, "target_value") is None:
                add("target_value", _("Give the target value. ") + make_measurable)
            for name in ("target_min", "target_max"):
                if _get(spec, name) is not None:
                    add(name, _("Bounds are only used with “between”."))
        if comparator != Comparator.EQ and _get(spec, "tolerance") is not None:
            add("tolerance", _("A tolerance is only used with “equal to”."))
    elif comparator == Comparator.PASS_FAIL:
        if _blank(_get(spec, "pass_condition")):
            add("pass_condition", _("Describe the observable result that counts as a pass "
                                    "(e.g. “no failure in 720 h of continuous run”)."))
        for name in ("target_value", "target_min", "target_max", "tolerance"):
            if _get(spec, name) is not None:
                add(name, _("A pass/fail test has no numeric target."))
        if aggregation not in PASS_FAIL_AGGREGATIONS:
            add("aggregation", _("A pass/fail test is judged on its latest result or on the "
                                 "share of tests passing."))
    else:
        add("comparator", make_measurable)
    share = _get(spec, "required_share")
    if aggregation == Aggregation.SHARE_PASSING:
        if share is None or Decimal(share) <= 0:
            add("required_share", _("Give the share of readings that must pass (e.g. 95 %)."))
    elif share is not None:
        add("required_share", _("Only used when the aggregation is the share of readings "
                                "passing."))
    return errors


def reading_passes(spec: Any, value: Decimal | bool) -> bool:
    """Whether one reading meets the criterion's target."""
    comparator = _get(spec, "comparator")
    if comparator == Comparator.PASS_FAIL:
        return bool(value)
    value = Decimal(value)
    if comparator == Comparator.GTE:
        return value >= Decimal(_get(spec, "target_value"))
    if comparator == Comparator.LTE:
        return value <= Decimal(_get(spec, "target_value"))
    if comparator == Comparator.EQ:
        tolerance = Decimal(_get(spec, "tolerance") or 0)
        return abs(value - Decimal(_get(spec, "target_value"))) <= tolerance
    if comparator == Comparator.BETWEEN:
        return Decimal(_get(spec, "target_min")) <= value <= Decimal(_get(spec, "target_max"))
    raise ValueError(f"unknown comparator {comparator!r}")


def percentile(values: Sequence[Decimal], fraction: float) -> Decimal:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont)."""
    ordered = sorted(Decimal(v) for v in values)
    position = Decimal(str(fraction)) * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def aggregate(spec: Any, values: Sequence[Decimal | bool]) -> Decimal | bool | None:
    """The criterion's result from its readings in time order; None without readings.

    For `share_passing` the result is the percentage of readings that pass (0–100).
    """
    if not values:
        return None
    how = _get(spec, "aggregation")
    if how == Aggregation.LATEST:
        return values[-1] if isinstance(values[-1], bool) else Decimal(values[-1])
    if how == Aggregation.SHARE_PASSING:
        passing = sum(1 for value in values if reading_passes(spec, value))
        return Decimal(passing) * 100 / Decimal(len(values))
    numbers = [Decimal(v) for v in values]
    if how == Aggregation.MIN:
        return min(numbers)
    if how == Aggregation.MAX:
        return max(numbers)
    if how == Aggregation.MEAN:
        return sum(numbers) / Decimal(len(numbers))
    if how == Aggregation.P95:
        return percentile(numbers, 0.95)
    raise ValueError(f"unknown aggregation {how!r}")


def result_status(spec: Any, result: Decimal | bool | None) -> str:
    """passing / failing / no_data for an aggregated result."""
    if result is None:
        return NO_DATA
    if _get(spec, "aggregation") == Aggregation.SHARE_PASSING:
        return PASSING if Decimal(result) >= Decimal(_get(spec, "required_share")) else FAILING
    return PASSING if reading_passes(spec, result) else FAILING


def evaluate(spec: Any, values: Sequence[Decimal | bool]) -> tuple[Decimal | bool | None, str]:
    result = aggregate(spec, values)
    return result, result_status(spec, result)


def plain_number(value: Any) -> str:
    """A stored number as written, without trailing zeros ("2700", "0.5"); "?" when missing."""
    if value is None:
        return "?"
    return format(Decimal(value).normalize(), "f")


def target_text(spec: Any, *, number: Callable[[Any], str] = plain_number) -> str:
    """The target in words and symbols: “≥ 99 %”, “2700 ± 100 K”, “2600–2800 K”, “pass: …”.

    `number` writes each number; documents pass one that follows the reader's locale.
    """
    comparator = _get(spec, "comparator")
    unit = (_get(spec, "unit") or "").strip()
    suffix = f" {unit}" if unit else ""
    if comparator == Comparator.PASS_FAIL:
        text = _("pass: %(condition)s") % {"condition": _get(spec, "pass_condition") or ""}
    elif comparator == Comparator.BETWEEN:
        text = f"{number(_get(spec, 'target_min'))}–{number(_get(spec, 'target_max'))}{suffix}"
    elif comparator == Comparator.EQ:
        text = f"{number(_get(spec, 'target_value'))}{suffix}"
        tolerance = _get(spec, "tolerance")
        if tolerance is not None and Decimal(tolerance):
            text = f"{number(_get(spec, 'target_value'))} ± {number(tolerance)}{suffix}"
    else:
        symbol = "≥" if comparator == Comparator.GTE else "≤"
        text = f"{symbol} {number(_get(spec, 'target_value'))}{suffix}"
    if _get(spec, "aggregation") == Aggregation.SHARE_PASSING:
        text = _("%(target)s in at least %(share)s %% of readings") % {
            "target": text, "share": number(_get(spec, "required_share"))}
    return text
