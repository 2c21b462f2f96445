"""What the governance pages show: the POC card, meetings, warnings and action items."""

from __future__ import annotations


def governance_card(*, request, poc) -> dict:
    """The POC page's governance card (filled in by the governance pages)."""
    return {}
