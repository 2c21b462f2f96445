"""Reading one cell of an instrument export: a time, a number or a pass/fail result.

Instruments and spreadsheets write these in many ways: ISO 8601 with or without an offset,
day-first dates, Excel date cells, Unix timestamps; decimal points or decimal commas; "OK",
"通过" or "réussi". Each parser returns the value or raises CellError with a message for the
per-row error report.
"""

from __future__ import annotations

import datetime
import math
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .readings import FAILED_WORDS, PASSED_WORDS, VALUE_LIMIT, VALUE_PLACES

EPOCH_SECONDS = 1e9  # 2001-09-09: smaller numbers are not timestamps
EPOCH_MILLISECONDS = 1e11

_DAY_FIRST_FORMATS = (
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S.%f", "%d/%m/%Y",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S.%f", "%Y/%m/%d",
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
    "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M",
)
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")

class CellError(Exception):
    """A cell that cannot be read; the message goes into the per-row error report."""


def _from_epoch(number: float) -> datetime.datetime:
    seconds = number / 1000 if number > EPOCH_MILLISECONDS else number
    try:
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise CellError(_("%(value)s is not a time.") % {"value": number}) from error


def _from_text(text: str) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _DAY_FIRST_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern)  # noqa: DTZ007 - zone added after
        except ValueError:
            continue
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None and math.isfinite(number) and number > EPOCH_SECONDS:
        return _from_epoch(number)
    raise CellError(_("“%(value)s” is not a date and time this import understands (e.g. "
                      "2026-03-10 14:30:00, 2026-03-10T14:30:00+01:00 or 10/03/2026 14:30).")
                    % {"value": text[:60]})


def parse_moment(cell: Any, zone: datetime.tzinfo, latest: datetime.datetime
                 ) -> datetime.datetime:
    """An aware time; times written without an offset are in `zone`; none after `latest`."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        raise CellError(_("The time is missing."))
    if isinstance(cell, datetime.datetime):
        moment = cell
    elif isinstance(cell, datetime.date):
        moment = datetime.datetime.combine(cell, datetime.time())
    elif isinstance(cell, bool):
        raise CellError(_("%(value)s is not a time.") % {"value": cell})
    elif isinstance(cell, int | float):
        if not math.isfinite(cell) or cell <= EPOCH_SECONDS:
            raise CellError(_("%(value)s is not a time: a number is read as a Unix timestamp "
                              "in seconds.") % {"value": cell})
        moment = _from_epoch(cell)
    else:
        moment = _from_text(str(cell).strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    if moment > latest:
        raise CellError(_("This time is in the future."))
    return moment


def _number_text(text: str) -> str:
    """'1 234,5' → '1234.5'; '1.234,5' → '1234.5'; '1,234.5' → '1234.5'."""
    text = text.translate(_SPACES)
    comma, point = text.rfind(","), text.rfind(".")
    if comma >= 0 and point >= 0:
        grouping = "." if comma > point else ","
        text = text.replace(grouping, "")
    return text.replace(",", ".")


def parse_number(cell: Any) -> Decimal:
    """A reading's value, rounded to the 6 decimal places stored."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        raise CellError(_("The value is missing."))
    if isinstance(cell, bool | datetime.date):
        raise CellError(_("“%(value)s” is not a number.") % {"value": cell})
    text = repr(cell) if isinstance(cell, float) else str(cell).strip()
    try:
        number = Decimal(_number_text(text) if isinstance(cell, str) else text)
    except (InvalidOperation, ValueError) as error:
        raise CellError(_("“%(value)s” is not a number.") % {"value": text[:60]}) from error
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": text[:60]})
    if abs(number) >= VALUE_LIMIT:
        raise CellError(_("%(value)s is too large: at most 14 digits before the decimal "
                          "point.") % {"value": text[:60]})
    return number.quantize(VALUE_PLACES, rounding=ROUND_HALF_EVEN)


def parse_result(cell: Any) -> bool:
    """A pass/fail result: passed/failed, true/false, 1/0, OK/NOK, 通过/不通过, réussi/échoué..."""
    if isinstance(cell, bool):
        return cell
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        raise CellError(_("The result is missing."))
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell)
    text = " ".join(str(cell).split()).casefold()
    if text in PASSED_WORDS:
        return True
    if text in FAILED_WORDS:
        return False
    raise CellError(_("“%(value)s” is not a pass/fail result (e.g. pass or fail, OK or NOK, "
                      "1 or 0).") % {"value": str(cell)[:60]})
