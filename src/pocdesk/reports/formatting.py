"""Values of a document in its reader's language: dates, numbers, money and criterion targets.

Call these inside `translation.override(language)`: Django's locale formats give the date
order, month names and decimal separator ("0,5" in French, "2026年1月5日" in Chinese).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pocdesk.criteria.measure import target_text as measure_target_text
from pocdesk.criteria.models import Aggregation


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def date_text(value: Any) -> str:
    """A date (or its ISO string, as frozen in a version) in the current language."""
    day = _date(value)
    return formats.date_format(day, "DATE_FORMAT") if day else ""


def datetime_text(value: datetime.datetime | None) -> str:
    """A moment in UTC, the same for every reader of the document."""
    if value is None:
        return ""
    moment = timezone.localtime(value, datetime.UTC)
    return _("%(moment)s UTC") % {"moment": formats.date_format(moment, "DATETIME_FORMAT")}


def decimal_or_none(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def number_text(value: Any) -> str:
    """A measured quantity as written: no trailing zeros, the locale's decimal separator."""
    number = decimal_or_none(value)
    if number is None:
        return "?"
    return formats.number_format(Decimal(format(number.normalize(), "f")), use_l10n=True)


def percent_text(value: Any) -> str:
    """A percentage as written in the reader's language: “12.5 %”."""
    # Translators: a percentage, e.g. "12.5 %"; "%%" is the percent sign.
    return _("%(number)s %%") % {"number": number_text(value)}


def significant(value: Decimal) -> Decimal:
    """About four significant digits: a mean of 118.333333 reads 118.3."""
    places = 0 if value.is_zero() else max(0, min(6, 3 - value.adjusted()))
    return round(value, places)


def pass_fail_text(passed: bool) -> str:
    return pgettext("test result", "Pass") if passed else pgettext("test result", "Fail")


def measured_text(result: Any, *, aggregation: str, unit: str = "") -> str:
    """A criterion's aggregated result as it states it: a number with its unit, a share of
    readings passing, or pass/fail; a dash without readings."""
    if result is None:
        return "—"
    if isinstance(result, bool):
        return pass_fail_text(result)
    if aggregation == Aggregation.SHARE_PASSING:
        return _("%(share)s %% passing") % {
            "share": number_text(Decimal(result).quantize(Decimal("0.1")))}
    text = number_text(significant(Decimal(result)))
    return f"{text} {unit or ''}".strip()


def money_text(amount: Any, currency: str) -> str:
    number = decimal_or_none(amount) or Decimal(0)
    text = formats.number_format(number, decimal_pos=2, use_l10n=True, force_grouping=True)
    # Translators: an amount of money, e.g. "EUR 4,200.00"; reorder for your language.
    return _("%(currency)s %(amount)s") % {"currency": currency, "amount": text}


def target_text(spec: dict[str, Any]) -> str:
    """The criterion's target with localised numbers: “≥ 120 t/h”, “0,5–1,2 mm”."""
    return measure_target_text(spec, number=number_text)
