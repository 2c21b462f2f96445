"""What a demo story is, and the dates it is told with."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from pocdesk.pocs.models import POC

from .clock import StoryClock
from .company import Cast


@dataclass(frozen=True)
class Story:
    key: str
    summary: str
    account: str
    status: str
    language: str
    tell: Callable[[Cast, StoryClock], POC]


def day(offset: int) -> datetime.date:
    """Today plus `offset` days (negative: in the past)."""
    return timezone.localdate() + datetime.timedelta(days=offset)


def year(offset: int = 0) -> int:
    """This year plus `offset`, so that references and budgets do not age with the demo."""
    return timezone.localdate().year + offset
