"""Reads of a POC's timebox: milestones with their health, extensions, drift and exit state."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from pocdesk.agreements.models import Agreement
from pocdesk.agreements.selectors import ExitStatus, agreement_exit_status
from pocdesk.core.errors import NotFound
from pocdesk.qualification.selectors import decision_chain_stakeholders
from pocdesk.stakeholders.models import Side, StakeholderRole

from .health import Health, health_for, late_filter, overdue_days, worst
from .models import (
    ExitDecision,
    Extension,
    ExtensionStatus,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
)
from .policy import policy_for_team
from .proposal import propose_milestones


def milestones_for_poc(*, poc, today: datetime.date | None = None) -> list[Milestone]:
    """The POC's milestones by due date, each with `days_overdue` and `health` (1 query)."""
    today = today or timezone.localdate()
    milestones = list(Milestone.objects.filter(poc=poc)
                      .select_related("owner__profile", "customer_owner", "witnessed_by",
                                      "evidence_file"))
    for milestone in milestones:
        _with_health(milestone, today)
    return milestones


def _with_health(milestone: Milestone, today: datetime.date) -> Milestone:
    milestone.days_overdue = overdue_days(status=milestone.status, due_date=milestone.due_date,
                                          today=today)
    milestone.health = health_for(milestone.days_overdue)
    milestone.slip_days = ((milestone.completed_on or milestone.due_date)
                           - milestone.planned_date).days
    return milestone


def milestone_get(*, poc, key, today: datetime.date | None = None) -> Milestone:
    """One milestone of a POC the caller already may see, by key or id, else NotFound."""
    queryset = Milestone.objects.filter(poc=poc).select_related(
        "owner__profile", "customer_owner", "witnessed_by", "evidence_file")
    lookup = Q(key=key) if _is_uuid(key) else Q(pk=key) if str(key).isdigit() else None
    milestone = queryset.filter(lookup).first() if lookup is not None else None
    if milestone is None:
        raise NotFound()
    return _with_health(milestone, today or timezone.localdate())


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def extensions_for_poc(*, poc) -> list[Extension]:
    return list(Extension.objects.filter(poc=poc)
                .select_related("requested_by__profile", "decided_by__profile"))


def extension_get(*, poc, pk) -> Extension:
    extension = (Extension.objects.filter(poc=poc, pk=pk)
                 .select_related("requested_by__profile", "decided_by__profile").first()
                 if str(pk).isdigit() else None)
    if extension is None:
        raise NotFound()
    return extension


def days_past_end(*, status: str, end: datetime.date | None, today: datetime.date) -> int:
    """Days an agreed, running or paused POC is past its current end date (0 otherwise)."""
    from pocdesk.agreements.selectors import EXIT_CLAUSE_STATUSES

    if end is None or status not in EXIT_CLAUSE_STATUSES:
        return 0
    return max(0, (today - end).days)


@dataclass
class TimeboxSummary:
    start: datetime.date | None
    end: datetime.date | None
    baseline_end: datetime.date | None
    drift_days: int
    duration_days: int | None
    max_duration_days: int
    approved_duration_days: int | None
    extensions_approved: int
    max_extensions: int
    pending_extension: Extension | None
    exit: ExitStatus | None
    exit_decision: ExitDecision | None
    health_counts: dict[str, int] = field(default_factory=dict)
    health: str = Health.ON_TRACK
    next_milestone: Milestone | None = None
    milestones_total: int = 0
    milestones_done: int = 0
    today: datetime.date | None = None

    @property
    def over_max_duration(self) -> bool:
        return bool(self.duration_days is not None
                    and self.duration_days > self.max_duration_days)

    @property
    def exit_needs_decision(self) -> bool:
        return bool(self.exit and self.exit.reached and self.exit_decision is None)

    @property
    def extensions_left(self) -> int:
        return max(0, self.max_extensions - self.extensions_approved)

    @property
    def elapsed_share(self) -> int | None:
        """How far through its current window the POC is today, 0–100."""
        if self.start is None or self.end is None or self.today is None:
            return None
        length = max(1, (self.end - self.start).days)
        return max(0, min(100, round(100 * (self.today - self.start).days / length)))

    @property
    def drifting(self) -> bool:
        return self.drift_days > 0 or self.health == Health.STALLED or bool(
            self.exit and self.exit.reached)


def timebox_summary(*, poc, milestones: list[Milestone] | None = None,
                    extensions: list[Extension] | None = None,
                    agreement: Agreement | None | bool = False,
                    today: datetime.date | None = None) -> TimeboxSummary:
    """Everything that says whether a POC is keeping its timebox.

    Pass what the page already read (milestones, extensions, the agreement) to save queries;
    `agreement=False` means "not read yet".
    """
    today = today or timezone.localdate()
    if milestones is None:
        milestones = milestones_for_poc(poc=poc, today=today)
    if extensions is None:
        extensions = extensions_for_poc(poc=poc)
    if agreement is False:
        agreement = (Agreement.objects.filter(poc=poc)
                     .only("id", "poc_id", "end_date", "exit_slip_days").first())
    policy = policy_for_team(poc.team_id)
    approved = [e for e in extensions if e.status == ExtensionStatus.APPROVED]
    drift = sum(e.days for e in approved)
    exit_status = agreement_exit_status(poc=poc, agreement=agreement, today=today,
                                        grace_days=policy.exit_grace_days)
    decision = exit_decision_for(poc=poc, exit_status=exit_status)
    counts = Counter(m.health for m in milestones if m.status == MilestoneStatus.PLANNED)
    upcoming = [m for m in milestones if m.status == MilestoneStatus.PLANNED]
    return TimeboxSummary(
        start=poc.start_date, end=poc.end_date,
        baseline_end=(poc.end_date - datetime.timedelta(days=drift)) if poc.end_date else None,
        drift_days=drift, duration_days=poc.duration_days,
        max_duration_days=max(policy.max_duration_days, poc.approved_duration_days or 0),
        approved_duration_days=poc.approved_duration_days,
        extensions_approved=len(approved), max_extensions=policy.max_extensions,
        pending_extension=next((e for e in extensions
                                if e.status == ExtensionStatus.REQUESTED), None),
        exit=exit_status, exit_decision=decision,
        health_counts={h: counts.get(h, 0) for h in Health.values},
        health=worst(counts), next_milestone=upcoming[0] if upcoming else None,
        milestones_total=len(milestones),
        milestones_done=sum(1 for m in milestones if m.status == MilestoneStatus.DONE),
        today=today,
    )


def exit_decision_for(*, poc, exit_status: ExitStatus | None) -> ExitDecision | None:
    """The decision recorded for the exit clause the POC has reached now (none when the clause
    is not reached, or was reached again after an extension moved the deadline)."""
    if exit_status is None or not exit_status.reached:
        return None
    return (ExitDecision.objects.filter(poc=poc, trigger_date=exit_status.trigger_date)
            .select_related("decided_by__profile").order_by("-decided_at").first())


def milestone_plan_proposal(*, poc, start: datetime.date | None = None,
                            end: datetime.date | None = None,
                            cadence_days: int | None = None) -> list[dict]:
    """The §6 plan for the POC's dates, not saved: rows the user edits before saving.

    The cadence is the agreement's checkpoint cadence, else the team policy's. Vendor-side
    milestones go to the POC's owner, the customer's to the executive sponsor when known.
    """
    start = start or poc.start_date
    end = end or poc.end_date
    if cadence_days is None:
        agreement = Agreement.objects.filter(poc=poc).only(
            "id", "poc_id", "checkpoint_cadence_days").first()
        cadence_days = (agreement.checkpoint_cadence_days if agreement
                        else policy_for_team(poc.team_id).checkpoint_cadence_days)
    sponsor = next((s for s in decision_chain_stakeholders(opportunity=poc.opportunity)
                    if s.side == Side.CUSTOMER and s.role == StakeholderRole.EXECUTIVE_SPONSOR),
                   None)
    rows = []
    for item in propose_milestones(start=start, end=end, cadence_days=cadence_days):
        rows.append({
            "kind": item.kind,
            "title": "",
            "label": _proposal_label(item),
            "sequence": item.sequence,
            "due_date": item.due_date,
            "owner": None if item.customer_owned else poc.owner,
            "customer_owner": sponsor if item.customer_owned else None,
            "customer_witness": item.customer_witness,
        })
    return rows


def _proposal_label(item) -> str:
    return str(Milestone(kind=item.kind, sequence=item.sequence).label)


def annotate_timebox(queryset, *, today: datetime.date | None = None):
    """Add `drift_days`, `extensions_approved`, `milestones_at_risk` and `milestones_stalled`
    to a POC queryset, each a subquery so the list stays one query whatever its size."""
    today = today or timezone.localdate()
    approved = Extension.objects.filter(poc=OuterRef("pk"), status=ExtensionStatus.APPROVED)
    late = Milestone.objects.filter(poc=OuterRef("pk"))

    def count_of(rows):
        return Coalesce(Subquery(rows.order_by().values("poc").annotate(n=Count("id"))
                                 .values("n")[:1], output_field=IntegerField()), Value(0))

    return queryset.annotate(
        drift_days=Coalesce(Subquery(approved.order_by().values("poc").annotate(d=Sum("days"))
                                     .values("d")[:1], output_field=IntegerField()), Value(0)),
        extensions_approved=count_of(approved),
        milestones_stalled=count_of(late.filter(late_filter(today=today,
                                                            health=Health.STALLED))),
        milestones_at_risk=count_of(late.filter(late_filter(today=today, health=Health.AT_RISK))
                                    .exclude(late_filter(today=today, health=Health.STALLED))),
    )


__all__ = ["MilestoneKind", "annotate_timebox", "extension_get", "extensions_for_poc",
           "milestone_get", "milestone_plan_proposal", "milestones_for_poc", "timebox_summary"]
