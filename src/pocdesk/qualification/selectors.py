from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from pocdesk.core.models import Event
from pocdesk.opportunities.models import Stage
from pocdesk.pocs.models import POC, Status
from pocdesk.stakeholders.models import Engagement, Side, Stakeholder

from . import checks  # noqa: F401 - registers the checks and red flags
from .gate import GateResult, evaluate
from .models import QualificationOverride, QualificationPolicy

# POCs that ended without a purchase: walked away, or closed on a deal that was not won.
ENDED_WITHOUT_PURCHASE = (Q(status=Status.WALKED_AWAY)
                          | (Q(status=Status.CLOSED) & ~Q(opportunity__stage=Stage.CLOSED_WON)))


@dataclass
class GateContext:
    poc: POC
    opportunity: object
    policy: QualificationPolicy
    stakeholders: list
    engaged_ids: set
    competitors: list
    earlier_pocs_without_purchase: int
    today: datetime.date

    @property
    def customer_stakeholders(self) -> list:
        return [s for s in self.stakeholders if s.side == Side.CUSTOMER]

    @property
    def open_days(self) -> int:
        return (self.today - timezone.localdate(self.opportunity.created_at)).days


def policy_for_team(team_id: int) -> QualificationPolicy:
    """The team's policy, or the defaults when an admin has not edited it."""
    policy = QualificationPolicy.objects.filter(team_id=team_id).first()
    return policy or QualificationPolicy(team_id=team_id)


def decision_chain_stakeholders(*, opportunity):
    """People in this deal's decision chain: those of the opportunity and of its whole account."""
    return (
        Stakeholder.objects.filter(account_id=opportunity.account_id)
        .filter(Q(opportunity=opportunity) | Q(opportunity__isnull=True))
        .select_related("reports_to").order_by("name")
    )


def gate_context(*, poc: POC, today: datetime.date | None = None) -> GateContext:
    opportunity = poc.opportunity
    earlier = (
        POC.objects.filter(opportunity__account_id=opportunity.account_id)
        .exclude(pk=poc.pk)
        .filter(ENDED_WITHOUT_PURCHASE)
        .count()
    )
    return GateContext(
        poc=poc, opportunity=opportunity, policy=policy_for_team(poc.team_id),
        stakeholders=list(decision_chain_stakeholders(opportunity=opportunity)),
        engaged_ids=set(Engagement.objects.filter(poc=poc).values_list("stakeholder_id", flat=True)),
        competitors=list(opportunity.competitors.all()),
        earlier_pocs_without_purchase=earlier, today=today or timezone.localdate(),
    )


def qualification_evaluate(*, poc: POC, today: datetime.date | None = None) -> GateResult:
    """The gate's result for a POC whose visibility the caller has checked (poc_get)."""
    return evaluate(gate_context(poc=poc, today=today))


def qualification_override_for(*, poc: POC) -> QualificationOverride | None:
    return QualificationOverride.objects.select_related("overridden_by", "overridden_by__profile") \
        .filter(poc=poc).first()


def walk_away_record(*, poc: POC) -> Event | None:
    """The event that walked the POC away: who, when and why."""
    if poc.status != Status.WALKED_AWAY:
        return None
    return (Event.objects.filter(poc=poc, verb="poc.transitioned", data__to=Status.WALKED_AWAY)
            .select_related("actor", "actor__profile").order_by("-created_at").first())


def qualification_panel(*, poc: POC) -> dict:
    """What the POC page shows about qualification, at a cost that does not grow with the data:
    the gate's result, the override and walk-away records, engagements and the chain's people."""
    from pocdesk.stakeholders.selectors import poc_engagements

    return {
        "result": qualification_evaluate(poc=poc),
        "override": qualification_override_for(poc=poc),
        "walk_away": walk_away_record(poc=poc),
        "engagements": list(poc_engagements(poc=poc)),
        "customer_stakeholders": decision_chain_stakeholders(opportunity=poc.opportunity)
        .filter(side=Side.CUSTOMER),
    }
