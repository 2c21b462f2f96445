"""The proposed milestone plan of §6, computed from the start and end dates alone.

Positions are shares of the POC's length in whole days (no month arithmetic, so month ends and
leap days need no special case): kickoff on the first day, the customer's resources at 10 %,
installation at 20 %, first run at 25 %, the mid-point review with the sponsor at half-way,
target reached at 85 % and the final review on the last day. A checkpoint falls every `cadence`
days after the start, strictly before the end, except on the day of the mid-point review, which
is itself a checkpoint with the sponsor.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .models import MilestoneKind

# (kind, share of the length, owned by the customer, witnessed by the customer)
FIXED_POINTS: tuple[tuple[str, float, bool, bool], ...] = (
    (MilestoneKind.KICKOFF, 0.0, False, False),
    (MilestoneKind.RESOURCES_READY, 0.10, True, False),
    (MilestoneKind.INSTALLATION, 0.20, False, True),
    (MilestoneKind.FIRST_RUN, 0.25, False, True),
    (MilestoneKind.MIDPOINT_REVIEW, 0.50, True, False),
    (MilestoneKind.TARGET_REACHED, 0.85, False, True),
    (MilestoneKind.FINAL_REVIEW, 1.0, False, False),
)


@dataclass(frozen=True)
class ProposedMilestone:
    kind: str
    due_date: datetime.date
    sequence: int = 0
    customer_owned: bool = False
    customer_witness: bool = False


def _day(length: int, share: float) -> int:
    # Half-up rounding on whole days, so the same dates come out on every platform.
    return int(length * share + 0.5)


def propose_milestones(*, start: datetime.date, end: datetime.date,
                       cadence_days: int) -> list[ProposedMilestone]:
    """The plan between `start` and `end` (inclusive), sorted by date then by the §6 order."""
    if end < start:
        raise ValueError("end before start")
    if cadence_days < 1:
        raise ValueError("cadence must be at least one day")
    length = (end - start).days
    order = {kind: index for index, (kind, *_rest) in enumerate(FIXED_POINTS)}
    items = [
        ProposedMilestone(kind=kind, due_date=start + datetime.timedelta(days=_day(length, share)),
                          customer_owned=customer, customer_witness=witness)
        for kind, share, customer, witness in FIXED_POINTS
    ]
    midpoint = _day(length, 0.5)
    number = 0
    for offset in range(cadence_days, length, cadence_days):
        if offset == midpoint:
            continue
        number += 1
        items.append(ProposedMilestone(kind=MilestoneKind.CHECKPOINT, sequence=number,
                                       due_date=start + datetime.timedelta(days=offset)))
    # Checkpoints sort just before the review of the mid-point on the same day, after the rest.
    return sorted(items, key=lambda m: (m.due_date, order.get(m.kind, order[
        MilestoneKind.MIDPOINT_REVIEW] - 0.5), m.sequence))
