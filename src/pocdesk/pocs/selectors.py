from django.db.models import Count, Q

from pocdesk.core.errors import NotFound
from pocdesk.core.models import Event
from pocdesk.core.selectors import order_by_choice
from pocdesk.people.roles import scope_to_user

from .lifecycle import TERMINAL_STATUSES
from .models import POC, Status

POC_ORDERINGS = {
    "title": "title", "-title": "-title",
    "status": "status", "-status": "-status",
    "account": "opportunity__account__name", "-account": "-opportunity__account__name",
    "amount": "opportunity__amount", "-amount": "-opportunity__amount",
    "start": "start_date", "-start": "-start_date",
    "end": "end_date", "-end": "-end_date",
    "created": "created_at", "-created": "-created_at",
    "updated": "updated_at", "-updated": "-updated_at",
}


def poc_list(*, user, q: str = "", status: str = "", team_id: int | None = None,
             owner_id: int | None = None, poc_type: str = "", opportunity_id: int | None = None,
             ordering: str = "-updated"):
    pocs = POC.objects.select_related(
        "opportunity", "opportunity__account", "team", "owner", "owner__profile",
        "commitment_document"
    )
    pocs = scope_to_user(pocs, user)
    if q:
        pocs = pocs.filter(
            Q(title__icontains=q) | Q(opportunity__name__icontains=q)
            | Q(opportunity__account__name__icontains=q)
        )
    if status:
        pocs = pocs.filter(status=status)
    if team_id:
        pocs = pocs.filter(team_id=team_id)
    if owner_id:
        pocs = pocs.filter(owner_id=owner_id)
    if poc_type:
        pocs = pocs.filter(poc_type=poc_type)
    if opportunity_id:
        pocs = pocs.filter(opportunity_id=opportunity_id)
    return order_by_choice(pocs, ordering, POC_ORDERINGS, default="-updated")


def poc_get(*, user, poc_id) -> POC:
    poc = poc_list(user=user).filter(pk=poc_id).first()
    if poc is None:
        raise NotFound()
    return poc


def poc_events(*, user, poc: POC):
    """The POC's timeline, newest first. `poc` must come from `poc_get` (visibility checked)."""
    return Event.objects.filter(poc=poc).select_related("actor", "actor__profile").order_by(
        "-created_at", "-id")


def poc_status_counts(*, user) -> dict[str, int]:
    """How many visible POCs are in each status, every status listed (zeros included)."""
    counts = dict(
        poc_list(user=user).order_by().values_list("status").annotate(count=Count("pk"))
    )
    return {status: counts.get(status, 0) for status in Status.values}


def poc_dashboard(*, user, limit: int = 8) -> dict:
    """The home page: counts by status, the user's open POCs, the recently changed ones."""
    return {
        "status_counts": poc_status_counts(user=user),
        "my_pocs": list(
            poc_list(user=user, owner_id=user.pk, ordering="-updated")
            .exclude(status__in=TERMINAL_STATUSES)[:limit]
        ),
        "recent_pocs": list(poc_list(user=user, ordering="-updated")[:limit]),
    }
