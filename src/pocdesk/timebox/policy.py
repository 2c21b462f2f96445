"""The team's timebox policy and the one rule on how long a POC may last (§6)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from pocdesk.core.errors import ValidationFailed

from .models import TimeboxPolicy


def policy_for_team(team_id: int) -> TimeboxPolicy:
    """The team's policy, or the defaults when an admin has not edited it."""
    policy = TimeboxPolicy.objects.filter(team_id=team_id).first()
    return policy or TimeboxPolicy(team_id=team_id)


@dataclass(frozen=True)
class DurationApproval:
    """A manager approved a timebox of `days` days, longer than the team's maximum."""

    days: int
    by: object


def duration_check(*, actor, team_id: int, start: datetime.date | None,
                   end: datetime.date | None, approved_days: int | None = None,
                   approve: bool = False, field: str = "end_date") -> DurationApproval | None:
    """Refuse dates longer than the team's maximum unless a manager approves them.

    `approved_days` is the longest duration a manager already approved for this POC. With
    `approve`, a manager approves the new length: the caller stores the returned approval.
    Errors name `field` (the end date), or `approve_duration` when the approver is not a manager.
    """
    if start is None or end is None or end < start:
        return None
    days = (end - start).days
    maximum = policy_for_team(team_id).max_duration_days
    if days <= maximum or days <= (approved_days or 0):
        return None
    if not approve:
        raise ValidationFailed({field: [_(
            "%(days)s days is longer than the team's maximum of %(maximum)s days: a manager must "
            "approve the longer timebox.") % {"days": days, "maximum": maximum}]})
    from pocdesk.people.models import Team

    if not actor.has_perm("pocdesk.manage_team", Team(pk=team_id)):
        raise ValidationFailed({"approve_duration": [_(
            "Only a manager of the team can approve a POC longer than %(maximum)s days.")
            % {"maximum": maximum}]})
    return DurationApproval(days=days, by=actor)


def duration_approval_record(*, actor, poc, approval: DurationApproval | None) -> None:
    """Keep a manager's approval of a longer timebox on the POC, with its Event."""
    if approval is None:
        return
    from pocdesk.core.events import event_record

    poc.approved_duration_days = approval.days
    poc.duration_approved_by = approval.by
    poc.save(update_fields=["approved_duration_days", "duration_approved_by", "updated_at"])
    event_record(actor=actor, verb="poc.duration_approved", target=poc, poc=poc, data={
        "days": approval.days, "maximum": policy_for_team(poc.team_id).max_duration_days})


def require_dates_editable(poc, changed: set[str]) -> None:
    """Refuse a change of start or end date once the POC is agreed (409 `timebox_agreed`).

    Until then the dates are a plan anybody on the deal may change; from then on only an
    approved extension moves them (`timebox.services.extension_decide`), so every change of an
    agreed timebox leaves a recorded decision. The agreement's dates follow the same rule.
    """
    from pocdesk.core.errors import ApplicationError
    from pocdesk.pocs.models import Status

    fields = sorted({"start_date", "end_date"} & set(changed))
    if fields and poc.status not in (Status.DRAFT, Status.QUALIFIED):
        raise ApplicationError("timebox_agreed", _(
            "The timebox is agreed: request an extension to move the end date."), status=409,
            details={"fields": fields})
