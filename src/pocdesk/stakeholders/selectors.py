from __future__ import annotations

from django.db.models import Q

from pocdesk.core.errors import NotFound
from pocdesk.opportunities.models import Opportunity
from pocdesk.people.roles import scope_to_user

from .models import Attitude, Engagement, Side, Stakeholder, StakeholderRole


def stakeholder_list(*, user, q: str = "", account_id: int | None = None,
                     opportunity_id: int | None = None, role: str = "", side: str = ""):
    stakeholders = Stakeholder.objects.select_related("team", "account", "opportunity",
                                                      "reports_to")
    stakeholders = scope_to_user(stakeholders, user)
    if q:
        stakeholders = stakeholders.filter(Q(name__icontains=q) | Q(title__icontains=q))
    if account_id:
        stakeholders = stakeholders.filter(account_id=account_id)
    if opportunity_id:
        # A subquery, not a join on the account's opportunities: the join repeats each row.
        deal_account = Opportunity.objects.filter(pk=opportunity_id).values("account_id")
        stakeholders = stakeholders.filter(
            Q(opportunity_id=opportunity_id)
            | Q(opportunity__isnull=True, account_id__in=deal_account))
    if role:
        stakeholders = stakeholders.filter(role=role)
    if side:
        stakeholders = stakeholders.filter(side=side)
    return stakeholders.order_by("name", "pk")


def stakeholder_get(*, user, stakeholder_id) -> Stakeholder:
    stakeholder = stakeholder_list(user=user).filter(pk=stakeholder_id).first()
    if stakeholder is None:
        raise NotFound()
    return stakeholder


def poc_engagements(*, poc):
    """Who met or acknowledged the POC, newest first. `poc` comes from `poc_get`."""
    return (Engagement.objects.filter(poc=poc)
            .select_related("stakeholder", "recorded_by", "recorded_by__profile")
            .order_by("-date", "-id"))


def decision_chain(*, stakeholders, engaged_ids=frozenset()) -> list[dict]:
    """The org chart drawn from reports-to: a forest of {stakeholder, marks, children}.

    A person whose manager is outside the list (or nobody) is a root; customer side first."""
    by_id = {s.pk: s for s in stakeholders}
    children: dict[int | None, list] = {}
    for stakeholder in stakeholders:
        parent = stakeholder.reports_to_id if stakeholder.reports_to_id in by_id else None
        children.setdefault(parent, []).append(stakeholder)

    def node(stakeholder, depth: int) -> dict:
        return {
            "stakeholder": stakeholder,
            "depth": depth,
            "is_sponsor": stakeholder.role == StakeholderRole.EXECUTIVE_SPONSOR,
            "is_champion": stakeholder.role == StakeholderRole.CHAMPION,
            "is_blocker": stakeholder.role == StakeholderRole.BLOCKER
            or stakeholder.attitude == Attitude.SKEPTIC and stakeholder.influence == "high",
            "engaged": stakeholder.pk in engaged_ids,
            "children": [node(child, depth + 1) for child in children.get(stakeholder.pk, [])
                         if depth < 20],
        }

    roots = sorted(children.get(None, []), key=lambda s: (s.side != Side.CUSTOMER, s.name))
    return [node(root, 0) for root in roots]


def opportunity_decision_chain(*, user, opportunity) -> dict:
    """The opportunity page's decision chain: its people, engaged in any of its POCs, as a tree."""
    stakeholders = list(stakeholder_list(user=user, opportunity_id=opportunity.pk))
    engaged_ids = set(Engagement.objects.filter(poc__opportunity=opportunity)
                      .values_list("stakeholder_id", flat=True))
    return {"stakeholders": stakeholders,
            "chain": decision_chain(stakeholders=stakeholders, engaged_ids=engaged_ids)}
