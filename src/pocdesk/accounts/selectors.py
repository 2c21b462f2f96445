from django.db.models import Count, Q

from pocdesk.core.errors import NotFound
from pocdesk.core.selectors import order_by_choice
from pocdesk.people.roles import scope_to_user

from .models import Account

ACCOUNT_ORDERINGS = {
    "name": "name", "-name": "-name",
    "country": "country", "-country": "-country",
    "created": "created_at", "-created": "-created_at",
}


def account_list(*, user, q: str = "", team_id: int | None = None, country: str = "",
                 industry: str = "", ordering: str = "name"):
    accounts = Account.objects.select_related("team").annotate(
        opportunity_count=Count("opportunities", distinct=True)
    )
    accounts = scope_to_user(accounts, user)
    if q:
        accounts = accounts.filter(Q(name__icontains=q) | Q(industry__icontains=q))
    if team_id:
        accounts = accounts.filter(team_id=team_id)
    if country:
        accounts = accounts.filter(country=country.upper())
    if industry:
        accounts = accounts.filter(industry__icontains=industry)
    return order_by_choice(accounts, ordering, ACCOUNT_ORDERINGS, default="name")


def account_get(*, user, account_id) -> Account:
    account = account_list(user=user).filter(pk=account_id).first()
    if account is None:
        raise NotFound()
    return account


def industries_visible(*, user) -> list[str]:
    """The industries (non-empty, each once, sorted) of the accounts the user may see."""
    accounts = scope_to_user(Account.objects.exclude(industry=""), user)
    return list(accounts.order_by("industry").values_list("industry", flat=True).distinct())
