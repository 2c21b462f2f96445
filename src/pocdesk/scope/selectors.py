"""Reads of scope changes and commitments, and the scope-creep indicator (§7, §8.4)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from pocdesk.core.errors import NotFound

from .models import ChangeClass, ChangeDecision, Commitment, CommitmentStatus, ScopeChange

# Accepted work done inside the POC. An accepted evolution goes on the roadmap after the
# signature, so it is not effort spent in the POC.
CREEP_CLASSES = (ChangeClass.MINOR_ADJUSTMENT, ChangeClass.SPECIFIC_DEVELOPMENT)


def scope_changes_for_poc(*, poc) -> list[ScopeChange]:
    return list(ScopeChange.objects.filter(poc=poc)
                .select_related("requested_by", "decided_by__profile", "recorded_by__profile"))


def scope_change_get(*, poc, pk) -> ScopeChange:
    change = (ScopeChange.objects.filter(poc=poc, pk=pk)
              .select_related("requested_by", "decided_by__profile", "poc").first()
              if str(pk).isdigit() else None)
    if change is None:
        raise NotFound()
    return change


def roadmap_items(changes: list[ScopeChange]) -> list[ScopeChange]:
    """Evolutions the customer asked for and nobody rejected: the post-signature roadmap."""
    return [c for c in changes if c.change_class == ChangeClass.EVOLUTION
            and c.decision != ChangeDecision.REJECTED]


@dataclass
class ScopeCreep:
    planned_hours: Decimal | None
    accepted_hours: Decimal
    threshold: int
    pending: int
    overrides: int

    @property
    def share(self) -> int | None:
        """Accepted effort as a % of the planned effort (None without a plan)."""
        if not self.planned_hours:
            return None
        share = Decimal(100) * Decimal(self.accepted_hours) / Decimal(self.planned_hours)
        return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def over(self) -> bool:
        return self.share is not None and self.share > self.threshold


def creep_share(accepted_hours, planned_hours) -> int | None:
    return ScopeCreep(planned_hours=planned_hours, accepted_hours=accepted_hours or Decimal(0),
                      threshold=0, pending=0, overrides=0).share


def scope_creep(*, poc, changes: list[ScopeChange]) -> ScopeCreep:
    from pocdesk.timebox.policy import policy_for_team

    accepted = sum((c.effort_hours for c in changes if c.decision == ChangeDecision.ACCEPTED
                    and c.change_class in CREEP_CLASSES), Decimal(0))
    return ScopeCreep(
        planned_hours=poc.planned_effort_hours, accepted_hours=accepted,
        threshold=policy_for_team(poc.team_id).scope_creep_threshold,
        pending=sum(1 for c in changes if c.decision == ChangeDecision.PENDING),
        overrides=sum(1 for c in changes if c.override))


def commitments_for_poc(*, poc, now: datetime.datetime | None = None) -> list[Commitment]:
    """The POC's commitments by due time, each with `overdue` set (1 query)."""
    now = now or timezone.now()
    commitments = list(Commitment.objects.filter(poc=poc)
                       .select_related("made_by__profile", "made_to", "scope_change"))
    for commitment in commitments:
        commitment.overdue = commitment.is_overdue(now)
    return commitments


def commitment_get(*, poc, pk) -> Commitment:
    commitment = (Commitment.objects.filter(poc=poc, pk=pk)
                  .select_related("made_by__profile", "made_to", "scope_change", "poc").first()
                  if str(pk).isdigit() else None)
    if commitment is None:
        raise NotFound()
    commitment.overdue = commitment.is_overdue()
    return commitment


def annotate_scope(queryset, *, now: datetime.datetime | None = None):
    """Add `accepted_hours` (in-POC accepted effort) and `commitments_overdue` to a POC
    queryset, as subqueries so a list costs one query whatever its size."""
    now = now or timezone.now()
    accepted = (ScopeChange.objects.filter(poc=OuterRef("pk"), decision=ChangeDecision.ACCEPTED,
                                           change_class__in=CREEP_CLASSES)
                .order_by().values("poc").annotate(h=Sum("effort_hours")).values("h")[:1])
    overdue = (Commitment.objects.filter(poc=OuterRef("pk"), status=CommitmentStatus.OPEN,
                                         due_at__lt=now)
               .order_by().values("poc").annotate(n=Count("id")).values("n")[:1])
    return queryset.annotate(
        accepted_hours=Coalesce(Subquery(accepted, output_field=DecimalField(
            max_digits=12, decimal_places=1)), Value(Decimal(0)),
            output_field=DecimalField(max_digits=12, decimal_places=1)),
        commitments_overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
    )
