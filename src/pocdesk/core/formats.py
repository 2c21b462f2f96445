"""Numbers as the reader writes them, for pages, documents and sentences alike."""

from __future__ import annotations

from django.utils import numberformat
from django.utils.formats import get_format


def format_amount(amount, decimals: int = 2) -> str:
    """The amount in the reader's number format, always grouped by thousands.

    Django's Chinese format has no thousands separator; Chinese business documents group
    amounts with commas, so that is used where the locale gives no separator.
    """
    separator = get_format("THOUSAND_SEPARATOR")
    grouping = get_format("NUMBER_GROUPING") if separator else 3
    return numberformat.format(amount, get_format("DECIMAL_SEPARATOR"), decimals,
                               grouping, separator or ",", force_grouping=True)
