from django.db.models import Count, Prefetch, Q

from pocdesk.core.errors import NotFound
from pocdesk.core.selectors import order_by_choice
from pocdesk.people.roles import scope_to_user

from .models import CLOSED_STAGES, CloseDatePush, Competitor, Opportunity

OPPORTUNITY_ORDERINGS = {
    "name": "name", "-name": "-name",
    "amount": "amount", "-amount": "-amount",
    "close": "expected_close_date", "-close": "-expected_close_date",
    "stage": "stage", "-stage": "-stage",
    "account": "account__name", "-account": "-account__name",
    "created": "created_at", "-created": "-created_at",
}


def opportunity_list(*, user, q: str = "", team_id: int | None = None, stage: str = "",
                     owner_id: int | None = None, account_id: int | None = None,
                     active: bool | None = None, ordering: str = "close"):
    opportunities = Opportunity.objects.select_related(
        "account", "team", "owner", "owner__profile", "purchase_document"
    ).prefetch_related(Prefetch("competitors", queryset=Competitor.objects.order_by("name")))
    opportunities = scope_to_user(opportunities, user)
    if q:
        opportunities = opportunities.filter(Q(name__icontains=q) | Q(account__name__icontains=q))
    if team_id:
        opportunities = opportunities.filter(team_id=team_id)
    if stage:
        opportunities = opportunities.filter(stage=stage)
    if owner_id:
        opportunities = opportunities.filter(owner_id=owner_id)
    if account_id:
        opportunities = opportunities.filter(account_id=account_id)
    if active is True:
        opportunities = opportunities.exclude(stage__in=CLOSED_STAGES)
    elif active is False:
        opportunities = opportunities.filter(stage__in=CLOSED_STAGES)
    return order_by_choice(opportunities, ordering, OPPORTUNITY_ORDERINGS, default="close")


def opportunity_get(*, user, opportunity_id) -> Opportunity:
    opportunity = (
        opportunity_list(user=user)
        .prefetch_related(Prefetch("close_date_pushes",
                                   queryset=CloseDatePush.objects.select_related("pushed_by")))
        .annotate(poc_count=Count("pocs", distinct=True))
        .filter(pk=opportunity_id).first()
    )
    if opportunity is None:
        raise NotFound()
    return opportunity
