from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import apply_changes, validate_instance

from .models import Engagement, EngagementKind, Stakeholder

register_event_verbs({
    "stakeholder.created": gettext_lazy("Stakeholder %(target)s added"),
    "stakeholder.changed": gettext_lazy("Stakeholder %(target)s changed: %(changes)s"),
    "stakeholder.engaged": lambda event: _("%(target)s engaged in the POC (%(kind)s, %(date)s)") % {
        "target": event.target_label, "date": event.data.get("date", ""),
        "kind": EngagementKind(event.data["kind"]).label
        if event.data.get("kind") in EngagementKind.values else event.data.get("kind", "")},
})

EDITABLE_FIELDS = {"opportunity", "name", "title", "side", "role", "influence", "attitude",
                   "reports_to", "needs_surface", "needs_middle", "needs_deep", "email", "phone",
                   "notes"}


def _check_links(stakeholder: Stakeholder) -> None:
    errors: dict[str, list[str]] = {}
    if stakeholder.opportunity_id and stakeholder.opportunity.account_id != stakeholder.account_id:
        errors["opportunity"] = [_("The opportunity belongs to another account.")]
    boss = stakeholder.reports_to
    if boss is not None:
        if boss.account_id != stakeholder.account_id:
            errors["reports_to"] = [_("Choose someone of the same account.")]
        else:
            seen = {stakeholder.pk} if stakeholder.pk else set()
            while boss is not None:
                if boss.pk in seen:
                    errors["reports_to"] = [_("This would make a reporting loop.")]
                    break
                seen.add(boss.pk)
                boss = boss.reports_to
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def stakeholder_create(*, actor, account, name: str, **fields) -> Stakeholder:
    require_perm(actor, "pocdesk.edit_poc", account)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationFailed({field: [_("This field cannot be changed here.")] for field in unknown})
    stakeholder = Stakeholder(team_id=account.team_id, account=account, name=(name or "").strip(),
                              **fields)
    validate_instance(stakeholder)
    _check_links(stakeholder)
    stakeholder.save()
    event_record(actor=actor, verb="stakeholder.created", target=stakeholder)
    return stakeholder


@transaction.atomic
def stakeholder_update(*, actor, stakeholder: Stakeholder, **changes) -> Stakeholder:
    require_perm(actor, "pocdesk.edit_poc", stakeholder)
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    diff = apply_changes(stakeholder, changes, allowed=EDITABLE_FIELDS)
    if diff:
        validate_instance(stakeholder)
        _check_links(stakeholder)
        stakeholder.save()
        event_record(actor=actor, verb="stakeholder.changed", target=stakeholder,
                     data={"changes": diff})
    return stakeholder


@transaction.atomic
def engagement_record(*, actor, stakeholder: Stakeholder, poc, date=None, kind: str = "meeting",
                      note: str = "") -> Engagement:
    """Record that a stakeholder met or acknowledged the POC: they are engaged from then on."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    if stakeholder.account_id != poc.opportunity.account_id:
        raise ValidationFailed({"stakeholder": [_("This person is not at the POC's customer.")]})
    engagement = Engagement(stakeholder=stakeholder, poc=poc, kind=kind, note=(note or "")[:255],
                            recorded_by=actor)
    if date is not None:
        engagement.date = date
    validate_instance(engagement)
    engagement.save()
    event_record(actor=actor, verb="stakeholder.engaged", target=stakeholder, poc=poc,
                 team=poc.team, data={"kind": engagement.kind, "date": engagement.date})
    return engagement
