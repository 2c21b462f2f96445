"""Reads of a POC's agreement."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from pocdesk.pocs.models import Status

from .models import Agreement

# The exit clause watches a POC whose timebox is agreed and not yet over.
EXIT_CLAUSE_STATUSES = {Status.AGREED, Status.RUNNING, Status.PAUSED}


def agreement_for_poc(*, poc) -> Agreement | None:
    """The POC's agreement with its resources and cost lines (3 queries), or None."""
    return (Agreement.objects.filter(poc=poc)
            .prefetch_related("resources", "cost_lines").first())


@dataclass
class ExitStatus:
    deadline: datetime.date
    trigger_date: datetime.date
    days_late: int
    reached: bool


def agreement_exit_status(*, poc, agreement: Agreement | None,
                          today: datetime.date | None = None,
                          grace_days: int | None = None) -> ExitStatus | None:
    """Whether the deadline has slipped past the exit clause's allowance.

    The deadline is the later of the agreed end date and the POC's end date (which, once the
    POC is agreed, only an approved extension moves). Without an agreement, the POC's end date
    and the team's `grace_days` stand in for it. None when there is no deadline. Only an agreed,
    running or paused POC reaches the clause: before, the timebox has not started; after, the
    POC is being evaluated or is over.
    """
    if agreement is not None:
        ends = [d for d in (agreement.end_date, poc.end_date) if d is not None]
        slip = agreement.exit_slip_days
    else:
        ends = [poc.end_date] if poc.end_date is not None and grace_days else []
        slip = grace_days or 0
    if not ends:
        return None
    deadline = max(ends)
    today = today or timezone.localdate()
    days_late = max(0, (today - deadline).days)
    try:
        trigger = deadline + datetime.timedelta(days=slip)
    except OverflowError:  # a deadline at the end of the calendar: never reached
        trigger = datetime.date.max
    reached = poc.status in EXIT_CLAUSE_STATUSES and today > trigger
    return ExitStatus(deadline=deadline, trigger_date=trigger, days_late=days_late,
                      reached=reached)
