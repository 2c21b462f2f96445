"""Reads of a POC's agreement."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from pocdesk.pocs.models import Status

from .models import Agreement

FINISHED = {Status.EVALUATING, Status.CLOSED, Status.WALKED_AWAY}


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
                          today: datetime.date | None = None) -> ExitStatus | None:
    """Whether the agreed end date has slipped past the exit clause's allowance.

    None when there is no agreed end date; a finished POC never reaches it.
    """
    if agreement is None or agreement.end_date is None:
        return None
    today = today or timezone.localdate()
    days_late = max(0, (today - agreement.end_date).days)
    trigger = agreement.end_date + datetime.timedelta(days=agreement.exit_slip_days)
    reached = poc.status not in FINISHED and today > trigger
    return ExitStatus(deadline=agreement.end_date, trigger_date=trigger, days_late=days_late,
                      reached=reached)
