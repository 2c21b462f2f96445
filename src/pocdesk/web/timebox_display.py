"""What the POC page shows of the timebox: milestones, timeline, drift, exit clause."""

from __future__ import annotations

from pocdesk.timebox.selectors import timebox_summary


def timebox_card(*, request, poc) -> dict:
    """Context of `web/timebox/card.html` on the POC page."""
    return {"summary": timebox_summary(poc=poc)}
