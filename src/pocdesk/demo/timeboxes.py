"""Helpers the stories use for a POC's timebox and scope (SPEC §6, §7, §8.4), through the services.

A story saves the proposed milestone plan the way an engineer would: the proposal for the POC's
dates, with the few dates and owners the team edited before saving (heavy equipment is installed
before the run starts, not a fifth of the way into it). Milestones are then done on their days,
witnessed by the customer's people named by their decision-chain key; customer requests are
recorded and decided, and promises are registered and resolved, each on the day it happened.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from pocdesk.pocs.models import POC
from pocdesk.scope.models import ChangeDecision, Commitment, ScopeChange
from pocdesk.scope.services import (
    commitment_create,
    commitment_resolve,
    scope_change_create,
    scope_change_decide,
)
from pocdesk.stakeholders.models import Stakeholder
from pocdesk.timebox.models import Milestone, MilestoneKind
from pocdesk.timebox.selectors import milestone_plan_proposal
from pocdesk.timebox.services import milestone_plan_save, milestone_update

from .clock import StoryClock
from .plans import pdf_page
from .story import day

SAVED_FIELDS = ("kind", "title", "sequence", "due_date", "owner", "customer_owner",
                "customer_witness")


def milestone_name(kind: str, sequence: int = 0) -> str:
    """How a story names a milestone: its kind, or "checkpoint:3" for the third checkpoint."""
    return f"{kind}:{sequence}" if kind == MilestoneKind.CHECKPOINT else str(kind)


def plan_save(*, actor, poc: POC, moved: Mapping[str, int] | None = None,
              customer_owners: Mapping[str, Stakeholder] | None = None
              ) -> dict[str, Milestone]:
    """Save the proposed plan, with the due dates the team `moved` (days from today) and the
    customer owners it chose; returns the milestones by `milestone_name`."""
    moved, customer_owners = moved or {}, customer_owners or {}
    rows = []
    for proposed in milestone_plan_proposal(poc=poc):
        name = milestone_name(proposed["kind"], proposed["sequence"])
        row = {key: proposed[key] for key in SAVED_FIELDS}
        if name in moved:
            row["due_date"] = day(moved[name])
        if name in customer_owners:
            row["customer_owner"] = customer_owners[name]
        rows.append(row)
    unknown = (set(moved) | set(customer_owners)) - {milestone_name(r["kind"], r["sequence"])
                                                     for r in rows}
    if unknown:
        raise ValueError(f"No such milestone in the proposal: {sorted(unknown)}")
    milestone_plan_save(actor=actor, poc=poc, rows=rows)
    return plan_of(poc)


def plan_of(poc: POC) -> dict[str, Milestone]:
    return {milestone_name(m.kind, m.sequence): m for m in Milestone.objects.filter(poc=poc)}


@dataclass(frozen=True)
class Done:
    """A milestone done `days_ago`, perhaps witnessed by the customer's `witness` (a key of the
    decision chain), with its evidence; `sheet` attaches a one-page signed PDF."""

    milestone: str
    days_ago: int
    witness: str | None = None
    evidence: str = ""
    sheet: str = ""


def milestones_done(*, actor, poc: POC, clock: StoryClock, done: Sequence[Done],
                    people: Mapping[str, Stakeholder]) -> None:
    plan = plan_of(poc)
    for item in done:
        with clock.on(item.days_ago, hour=17):
            upload = None
            if item.sheet:
                upload = SimpleUploadedFile(
                    f"{item.milestone.replace(':', '-')}-signed-sheet.pdf",
                    pdf_page([item.sheet, f"Date: {day(-item.days_ago).isoformat()}"]),
                    content_type="application/pdf")
            milestone_update(
                actor=actor, milestone=plan[item.milestone], evidence_upload=upload,
                status="done", completed_on=day(-item.days_ago),
                witnessed_by=people[item.witness] if item.witness else None,
                evidence_note=item.evidence)


def milestone_move(*, actor, poc: POC, clock: StoryClock, name: str, days_ago: int,
                   due: int) -> None:
    """On `days_ago`, the team moved a milestone to `due` (days from today)."""
    with clock.on(days_ago, hour=16):
        milestone_update(actor=actor, milestone=plan_of(poc)[name], due_date=day(due))


@dataclass(frozen=True)
class Request:
    """A customer's request during the POC and what was decided on it (None: still pending).

    `decided_by` is a username, by default the story's engineer; `decided_ago` defaults to the
    day of the request."""

    days_ago: int
    requester: str
    text: str
    hours: str
    change_class: str
    decision: str | None = None
    note: str = ""
    decided_ago: int | None = None
    decided_by: str = ""
    quote: tuple[str, str] | None = None  # (amount, currency)
    override: bool = False


def requests_record(*, actor, poc: POC, clock: StoryClock, requests: Sequence[Request],
                    people: Mapping[str, Stakeholder], users: Mapping[str, object]
                    ) -> list[ScopeChange]:
    changes = []
    for request in requests:
        with clock.on(request.days_ago, hour=10):
            change = scope_change_create(
                actor=actor, poc=poc, text=request.text, requested_by=people[request.requester],
                effort_hours=Decimal(request.hours), change_class=request.change_class,
                requested_on=day(-request.days_ago))
        if request.decision is not None and request.decision != ChangeDecision.PENDING:
            decided_ago = request.days_ago if request.decided_ago is None else request.decided_ago
            amount, currency = request.quote or (None, "")
            with clock.on(decided_ago, hour=15):
                change = scope_change_decide(
                    actor=users[request.decided_by] if request.decided_by else actor,
                    change=change, decision=request.decision, note=request.note,
                    quote_amount=Decimal(amount) if amount else None, quote_currency=currency,
                    override=request.override)
        changes.append(change)
    return changes


@dataclass(frozen=True)
class Promise:
    """A commitment made to the customer's `made_to` (a decision-chain key) by `made_by` (a
    username), due `due` days from today at `due_hour` (None: an uncertain one's 24 hours),
    perhaps linked to the scope-change request of index `request`, perhaps resolved on
    `resolved` = (status, days ago, note)."""

    days_ago: int
    made_by: str
    made_to: str
    category: str
    text: str
    due: int | None = None
    due_hour: int = 18
    preconditions: str = ""
    feasibility: str = ""
    request: int | None = None
    resolved: tuple[str, int, str] | None = None


def promises_make(*, actor, poc: POC, clock: StoryClock, promises: Sequence[Promise],
                  people: Mapping[str, Stakeholder], users: Mapping[str, object],
                  requests: Sequence[ScopeChange] = ()) -> list[Commitment]:
    commitments = []
    for promise in promises:
        with clock.on(promise.days_ago, hour=11) as moment:
            due_at = None
            if promise.due is not None:
                due_at = datetime.datetime.combine(
                    day(promise.due), datetime.time(promise.due_hour), tzinfo=moment.tzinfo)
            commitment = commitment_create(
                actor=actor, poc=poc, text=promise.text, made_to=people[promise.made_to],
                category=promise.category, made_by=users[promise.made_by], due_at=due_at,
                made_at=moment, preconditions=promise.preconditions,
                feasibility=promise.feasibility,
                scope_change=requests[promise.request] if promise.request is not None else None)
        if promise.resolved is not None:
            status, days_ago, note = promise.resolved
            with clock.on(days_ago, hour=17):
                commitment = commitment_resolve(actor=actor, commitment=commitment,
                                                status=status, note=note)
        commitments.append(commitment)
    return commitments
