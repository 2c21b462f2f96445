from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy

from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import apply_changes, validate_instance

from .models import Account

register_event_verbs({
    "account.created": gettext_lazy("Account %(target)s created"),
    "account.changed": gettext_lazy("Account %(target)s changed: %(changes)s"),
})

EDITABLE_FIELDS = {"name", "country", "industry", "size", "currency", "website", "notes"}


@transaction.atomic
def account_create(*, actor, team, name: str, country: str = "", industry: str = "",
                   size: str = "", currency: str = "EUR", website: str = "",
                   notes: str = "") -> Account:
    require_perm(actor, "pocdesk.edit_commercial", team)
    account = Account(team=team, name=(name or "").strip(), country=(country or "").upper(),
                      industry=(industry or "").strip(), size=size or "",
                      currency=(currency or "").upper(), website=website or "", notes=notes or "")
    validate_instance(account)
    account.save()
    event_record(actor=actor, verb="account.created", target=account)
    return account


@transaction.atomic
def account_update(*, actor, account: Account, **changes) -> Account:
    require_perm(actor, "pocdesk.edit_commercial", account)
    account = Account.objects.select_for_update().get(pk=account.pk)
    if "country" in changes:
        changes["country"] = (changes["country"] or "").upper()
    if "currency" in changes:
        changes["currency"] = (changes["currency"] or "").upper()
    diff = apply_changes(account, changes, allowed=EDITABLE_FIELDS)
    if diff:
        validate_instance(account)
        account.save()
        event_record(actor=actor, verb="account.changed", target=account, data={"changes": diff})
    return account
