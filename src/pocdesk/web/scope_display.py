"""What the POC page and the scope page show of scope changes and commitments (§7, §8.4)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pocdesk.scope.models import ChangeClass, ChangeDecision, CommitmentCategory, CommitmentStatus
from pocdesk.scope.selectors import (
    ScopeCreep,
    commitments_for_poc,
    scope_changes_for_poc,
    scope_creep,
)

CARD_OVERDUE_SHOWN = 3

DECISION_COLOURS = {
    ChangeDecision.PENDING: "warning",
    ChangeDecision.ACCEPTED: "success",
    ChangeDecision.DEFERRED: "secondary",
    ChangeDecision.QUOTED: "info",
    ChangeDecision.REJECTED: "dark",
}
CLASS_COLOURS = {
    ChangeClass.MINOR_ADJUSTMENT: "light",
    ChangeClass.EVOLUTION: "primary",
    ChangeClass.SPECIFIC_DEVELOPMENT: "danger",
}
CLASS_ICONS = {
    ChangeClass.MINOR_ADJUSTMENT: "bi-sliders",
    ChangeClass.EVOLUTION: "bi-signpost-split",
    ChangeClass.SPECIFIC_DEVELOPMENT: "bi-cash-coin",
}
# Short badge words; the model's full label is the badge's title.
CLASS_SHORT = {
    ChangeClass.MINOR_ADJUSTMENT: _("Minor adjustment"),
    ChangeClass.EVOLUTION: _("Evolution"),
    ChangeClass.SPECIFIC_DEVELOPMENT: _("Specific development"),
}
CATEGORY_SHORT = {
    CommitmentCategory.UNCERTAIN: _("Uncertain"),
    CommitmentCategory.RISKY: _("Risky"),
    CommitmentCategory.OUT_OF_SCOPE: _("Out of scope"),
}
CATEGORY_COLOURS = {
    CommitmentCategory.UNCERTAIN: "warning",
    CommitmentCategory.RISKY: "danger",
    CommitmentCategory.OUT_OF_SCOPE: "primary",
}
STATUS_COLOURS = {
    CommitmentStatus.OPEN: "primary",
    CommitmentStatus.KEPT: "success",
    CommitmentStatus.BROKEN: "danger",
    CommitmentStatus.WITHDRAWN: "secondary",
}
# Which decisions leave a request waiting for another decision.
OPEN_DECISIONS = (ChangeDecision.PENDING, ChangeDecision.DEFERRED, ChangeDecision.QUOTED)


@dataclass
class CreepGauge:
    """The scope-creep figure drawn as a bar: accepted in-POC effort against the plan."""

    creep: ScopeCreep

    @property
    def scale(self) -> int:
        """The % of the planned effort at the bar's right end (100, or more once beyond it)."""
        return max(100, self.creep.share or 0, self.creep.threshold)

    @property
    def width(self) -> int:
        return round(100 * (self.creep.share or 0) / self.scale)

    @property
    def marker(self) -> int:
        """Where the team's threshold sits on the bar, in % of its width."""
        return round(100 * self.creep.threshold / self.scale)

    @property
    def colour(self) -> str:
        share = self.creep.share or 0
        if self.creep.over:
            return "danger"
        if share * 4 >= self.creep.threshold * 3:
            return "warning"
        return "success"


def overdue_by(due_at: datetime.datetime, now: datetime.datetime) -> str:
    """"overdue by 5 hours", "overdue by 3 days": minutes under an hour, days from two days."""
    late = now - due_at
    minutes = int(late.total_seconds() // 60)
    if minutes < 60:
        count = max(1, minutes)
        return ngettext("overdue by %(count)d minute", "overdue by %(count)d minutes",
                        count) % {"count": count}
    hours = minutes // 60
    if hours < 48:
        return ngettext("overdue by %(count)d hour", "overdue by %(count)d hours",
                        hours) % {"count": hours}
    days = hours // 24
    return ngettext("overdue by %(count)d day", "overdue by %(count)d days", days) % {
        "count": days}


def decorate_changes(changes) -> list:
    """The requests with their badge colours and whether they still await a decision."""
    for change in changes:
        change.decision_colour = DECISION_COLOURS.get(change.decision, "secondary")
        change.class_colour = CLASS_COLOURS.get(change.change_class, "secondary")
        change.class_icon = CLASS_ICONS.get(change.change_class, "bi-tag")
        change.class_short = CLASS_SHORT.get(change.change_class, change.change_class)
        change.awaiting = change.decision in OPEN_DECISIONS
    return changes


def decorate_commitments(commitments, now: datetime.datetime) -> list:
    """The commitments with their status colour and, when overdue, by how long."""
    for commitment in commitments:
        commitment.status_colour = STATUS_COLOURS.get(commitment.status, "secondary")
        commitment.category_colour = CATEGORY_COLOURS.get(commitment.category, "secondary")
        commitment.category_short = CATEGORY_SHORT.get(commitment.category, commitment.category)
        commitment.overdue_label = overdue_by(commitment.due_at, now) if commitment.overdue \
            else ""
    return commitments


def scope_card(*, request, poc, now: datetime.datetime | None = None) -> dict:
    """Context of `web/scope/card.html` on the POC page (three queries, whatever the data)."""
    now = now or timezone.now()
    changes = scope_changes_for_poc(poc=poc)
    commitments = decorate_commitments(commitments_for_poc(poc=poc, now=now), now)
    creep = scope_creep(poc=poc, changes=changes)
    overdue = [c for c in commitments if c.overdue]
    return {
        "creep": creep,
        "gauge": CreepGauge(creep),
        "changes_count": len(changes),
        "commitments_open": sum(1 for c in commitments if c.status == CommitmentStatus.OPEN),
        "overdue_count": len(overdue),
        "overdue_commitments": overdue[:CARD_OVERDUE_SHOWN],
        "overdue_more": max(0, len(overdue) - CARD_OVERDUE_SHOWN),
        "commitments_count": len(commitments),
    }
