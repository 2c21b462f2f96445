"""Milestone health (§6): how late an open milestone is, in one place for pages and lists."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import MilestoneStatus

AT_RISK_FROM_DAYS = 1
STALLED_FROM_DAYS = 7


class Health(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    STALLED = "stalled", _("Stalled")


HEALTH_ORDER = [Health.ON_TRACK, Health.AT_RISK, Health.STALLED]


def overdue_days(*, status: str, due_date: datetime.date, today: datetime.date) -> int:
    """Days an open milestone is past its due date; 0 when done, skipped or not yet due."""
    if status != MilestoneStatus.PLANNED:
        return 0
    return max(0, (today - due_date).days)


def health_for(days_overdue: int) -> str:
    """on_track (not late), at_risk (1–6 days late), stalled (7 days or more)."""
    if days_overdue >= STALLED_FROM_DAYS:
        return Health.STALLED
    if days_overdue >= AT_RISK_FROM_DAYS:
        return Health.AT_RISK
    return Health.ON_TRACK


def milestone_health(milestone, *, today: datetime.date) -> str:
    return health_for(overdue_days(status=milestone.status, due_date=milestone.due_date,
                                   today=today))


def worst(healths) -> str:
    return max(healths, key=HEALTH_ORDER.index, default=Health.ON_TRACK)


def late_filter(*, today: datetime.date, health: str, prefix: str = "") -> models.Q:
    """The database filter for open milestones at `health` or worse (for list columns)."""
    days = STALLED_FROM_DAYS if health == Health.STALLED else AT_RISK_FROM_DAYS
    return models.Q(**{f"{prefix}status": MilestoneStatus.PLANNED,
                       f"{prefix}due_date__lte": today - datetime.timedelta(days=days)})
