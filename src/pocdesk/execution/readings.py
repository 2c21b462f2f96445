"""Checking one reading (from a form, the API or a bulk upload) against its criterion.

Shared by single and bulk writes so both refuse the same things with the same messages; the
criteria of the POC are looked up once, never per reading.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from pocdesk.criteria.models import Comparator

from .rules import FUTURE_TOLERANCE

READING_FIELDS = ("criterion", "measured_at", "value", "passed", "conditions", "note")
VALUE_PLACES = Decimal("0.000001")
VALUE_LIMIT = Decimal(10) ** 14  # Decimal(20, 6): 14 digits before the point
CONDITIONS_LENGTH = 300
# The spellings of a pass/fail result, in a form, the API or an instrument export.
PASSED_WORDS = frozenset({
    "pass", "passed", "true", "1", "ok", "yes", "y", "p", "good",
    "通过", "合格", "是", "成功", "正常",
    "réussi", "reussi", "oui", "vrai", "conforme", "succès", "succes",
})
FAILED_WORDS = frozenset({
    "fail", "failed", "false", "0", "nok", "not ok", "ko", "no", "n", "f", "bad",
    "不通过", "未通过", "不合格", "否", "失败", "异常",
    "échoué", "echoue", "échec", "echec", "non", "faux", "non conforme",
})


def is_pass_fail(criterion) -> bool:
    return criterion.comparator == Comparator.PASS_FAIL


def moment(value: Any, field: str, errors: dict, *, now: datetime.datetime,
           required: bool = True) -> datetime.datetime | None:
    """An aware date and time, not in the future; None with an error under `field`."""
    if value in (None, ""):
        if required:
            errors[field] = [_("Give the date and time.")]
        return None
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            errors[field] = [_("Enter a date and time, e.g. 2026-03-10T14:30:00+01:00.")]
            return None
        value = parsed
    elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        errors[field] = [_("Give the time as well as the date.")]
        return None
    elif not isinstance(value, datetime.datetime):
        errors[field] = [_("Enter a date and time, e.g. 2026-03-10T14:30:00+01:00.")]
        return None
    if timezone.is_naive(value):
        errors[field] = [_("Give the time with its time zone (e.g. +01:00 or Z).")]
        return None
    if value > now + FUTURE_TOLERANCE:
        errors[field] = [_("This time is in the future.")]
        return None
    return value


def number(value: Any, field: str, errors: dict) -> Decimal | None:
    """A reading's value, rounded to the 6 decimal places stored; None with an error."""
    if isinstance(value, bool):
        errors[field] = [_("Enter a number.")]
        return None
    try:
        parsed = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a number.")]
        return None
    if not parsed.is_finite():
        errors[field] = [_("Enter a number.")]
        return None
    if abs(parsed) >= VALUE_LIMIT:
        errors[field] = [_("Enter a number with at most 14 digits before the decimal point.")]
        return None
    return parsed.quantize(VALUE_PLACES, rounding=ROUND_HALF_EVEN)


def result(value: Any, field: str, errors: dict) -> bool | None:
    """A pass/fail result: a boolean (or its usual spellings); None with an error."""
    if isinstance(value, bool):
        return value
    text = " ".join(str(value).split()).casefold()
    if text in PASSED_WORDS:
        return True
    if text in FAILED_WORDS:
        return False
    errors[field] = [_("Give the result of the test: passed or failed.")]
    return None


def criterion_of(value: Any, criteria: dict[int, Any], field: str, errors: dict):
    """The POC's criterion `value` (an object or an id), or None with an error."""
    if value in (None, ""):
        errors[field] = [_("Choose a criterion of this POC.")]
        return None
    try:
        key = int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        key = None
    found = criteria.get(key)
    if found is None:
        errors[field] = [_("Choose a criterion of this POC.")]
    return found


def reading_values(item: dict[str, Any], *, criteria: dict[int, Any], now: datetime.datetime,
                   errors: dict, prefix: str = "") -> dict[str, Any]:
    """The checked fields of one reading; errors go under `prefix + field`."""
    found: dict[str, list[str]] = {}
    for name in sorted(set(item) - set(READING_FIELDS)):
        found[name] = [_("Unknown field.")]
    criterion = criterion_of(item.get("criterion"), criteria, "criterion", found)
    values: dict[str, Any] = {
        "criterion": criterion,
        "measured_at": moment(item.get("measured_at"), "measured_at", found, now=now),
        "value": None, "passed": None,
        "conditions": str(item.get("conditions") or "").strip(),
        "note": str(item.get("note") or "").strip(),
    }
    if len(values["conditions"]) > CONDITIONS_LENGTH:
        found["conditions"] = [_("At most %(count)d characters.") % {"count": CONDITIONS_LENGTH}]
    raw_value, raw_passed = item.get("value"), item.get("passed")
    has_value = raw_value not in (None, "")
    has_passed = raw_passed not in (None, "")
    if criterion is not None and is_pass_fail(criterion):
        if has_value:
            found["value"] = [_("This criterion is a pass/fail test: give its result, not a "
                                "number.")]
        if not has_passed:
            found["passed"] = [_("Give the result of the test: passed or failed.")]
        else:
            values["passed"] = result(raw_passed, "passed", found)
    elif criterion is not None:
        if has_passed:
            found["passed"] = [_("This criterion is measured as a number: give the value, not "
                                 "a pass/fail result.")]
        if not has_value:
            found["value"] = [_("Give the measured value.")]
        else:
            values["value"] = number(raw_value, "value", found)
    for name, messages in found.items():
        errors[f"{prefix}{name}"] = messages
    return values
