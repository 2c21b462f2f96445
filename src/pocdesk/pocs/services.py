from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import TransitionRefused, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import apply_changes, validate_instance
from pocdesk.people.roles import require_team_member
from pocdesk.timebox.policy import (
    duration_approval_record,
    duration_check,
    require_dates_editable,
)

from .lifecycle import unmet_checks
from .models import POC, Status

register_event_verbs({
    "poc.created": gettext_lazy("POC %(target)s created"),
    "poc.changed": gettext_lazy("POC %(target)s changed: %(changes)s"),
    "poc.transitioned": lambda event: _describe_transition(event),
})


def _describe_transition(event) -> str:
    values = {"from": _status_label(event.data.get("from")), "to": _status_label(event.data.get("to"))}
    if event.data.get("reason"):
        values["reason"] = event.data["reason"]
        return _("Status changed from %(from)s to %(to)s: %(reason)s") % values
    return _("Status changed from %(from)s to %(to)s") % values


def _status_label(status) -> str:
    return str(Status(status).label) if status in Status.values else str(status)

EDITABLE_FIELDS = {"title", "objective", "poc_type", "owner", "language", "start_date", "end_date",
                   "planned_effort_hours"}
DATE_FIELDS = {"start_date", "end_date"}

@transaction.atomic
def poc_create(*, actor, opportunity, title: str, objective: str, poc_type: str | None = None,
               owner=None, language: str | None = None, start_date=None, end_date=None,
               planned_effort_hours=None, approve_duration: bool = False) -> POC:
    require_perm(actor, "pocdesk.edit_poc", opportunity)
    if not opportunity.is_active:
        raise ValidationFailed({"opportunity": [
            _("This opportunity is closed: a POC needs an active sales opportunity.")]})
    owner = owner or actor
    poc = POC(opportunity=opportunity, team_id=opportunity.team_id, title=(title or "").strip(),
              objective=(objective or "").strip(), owner=owner, start_date=start_date,
              end_date=end_date, planned_effort_hours=planned_effort_hours)
    if poc_type:
        poc.poc_type = poc_type
    poc.language = language or _default_language(actor)
    validate_instance(poc)
    require_team_member(field="owner", team=opportunity.team, user=owner)
    approval = _duration_approval(actor, poc, approve_duration)
    poc.save()
    event_record(actor=actor, verb="poc.created", target=poc, poc=poc,
                 data={"opportunity": opportunity.name})
    duration_approval_record(actor=actor, poc=poc, approval=approval)
    return poc


def _default_language(actor) -> str:
    profile = getattr(actor, "profile", None)
    return getattr(profile, "language", None) or "en"


def _duration_approval(actor, poc: POC, approve: bool):
    """Check the dates against the team's maximum duration (a manager may approve longer)."""
    return duration_check(actor=actor, team_id=poc.team_id, start=poc.start_date,
                          end=poc.end_date, approved_days=poc.approved_duration_days,
                          approve=approve)


@transaction.atomic
def poc_update(*, actor, poc: POC, approve_duration: bool = False, **changes) -> POC:
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = POC.objects.select_for_update().select_related("team").get(pk=poc.pk)
    for text_field in ("title", "objective"):
        if text_field in changes:
            changes[text_field] = (changes[text_field] or "").strip()
    diff = apply_changes(poc, changes, allowed=EDITABLE_FIELDS)
    if not diff:
        return poc
    require_dates_editable(poc, set(diff))
    validate_instance(poc)
    if "owner" in diff:
        require_team_member(field="owner", team=poc.team, user=poc.owner)
    approval = _duration_approval(actor, poc, approve_duration) if DATE_FIELDS & set(diff) \
        else None
    poc.save()
    event_record(actor=actor, verb="poc.changed", target=poc, poc=poc, data={"changes": diff})
    duration_approval_record(actor=actor, poc=poc, approval=approval)
    return poc


@transaction.atomic
def poc_transition(*, actor, poc: POC, to: str, reason: str | None = None) -> POC:
    """Move a POC along the lifecycle; refused with the list of unmet checks, nothing applied."""
    require_perm(actor, "pocdesk.transition_poc", poc)
    if to not in Status.values:
        raise ValidationFailed({"to": [_("“%(value)s” is not a POC status.") % {"value": to}]})
    poc = POC.objects.select_for_update().get(pk=poc.pk)
    unmet = unmet_checks(poc=poc, to=to, actor=actor, reason=reason)
    if unmet:
        raise TransitionRefused(
            _("The POC cannot move to “%(to)s”: %(missing)s") % {
                "to": Status(to).label,
                "missing": " ".join(item["message"] for item in unmet)},
            unmet=unmet, **{"from": poc.status, "to": to},
        )
    from_status = poc.status
    poc.status = to
    poc.status_changed_at = timezone.now()
    poc.save(update_fields=["status", "status_changed_at", "updated_at"])
    event_record(actor=actor, verb="poc.transitioned", target=poc, poc=poc, data={
        "from": from_status, "to": to, "reason": (reason or "").strip(),
    })
    return poc
