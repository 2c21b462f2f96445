"""What the execution pages show: the POC card, criterion statuses and charts."""

from __future__ import annotations


def execution_card(*, request, poc) -> dict:
    """The POC page's execution card (filled in by the execution pages)."""
    return {}
