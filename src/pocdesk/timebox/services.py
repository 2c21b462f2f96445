"""Writes on a POC's timebox: the team policy, the milestone plan, extensions, exit decisions.

Once a POC is agreed, its dates move only through an approved extension (see
`pocs.services.poc_update`), so every change of a timebox leaves a recorded decision.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.files import stored_file_create
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import apply_changes, jsonable, validate_instance
from pocdesk.pocs.lifecycle import lock_open
from pocdesk.pocs.models import POC, Status
from pocdesk.stakeholders.resolve import DealPeople

from .models import (
    ExitDecision,
    ExitDecisionKind,
    Extension,
    ExtensionStatus,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    TimeboxPolicy,
)
from .policy import policy_for_team

register_event_verbs({
    "policy.timebox_changed": gettext_lazy("Timebox policy of %(target)s changed: %(changes)s"),
    "milestones.planned": gettext_lazy(
        "Milestone plan saved: %(count)s milestones (%(added)s added, %(removed)s removed)"),
    "milestone.added": gettext_lazy("Milestone “%(target)s” added, due %(due_date)s"),
    "milestone.changed": gettext_lazy("Milestone “%(target)s” changed: %(changes)s"),
    "milestone.done": gettext_lazy("Milestone “%(target)s” done on %(completed_on)s"),
    "milestone.witnessed": gettext_lazy(
        "Milestone “%(target)s” done on %(completed_on)s, witnessed by %(witness)s"),
    "milestone.removed": gettext_lazy("Milestone “%(target)s” removed"),
    "extension.requested": gettext_lazy(
        "Extension to %(requested_end)s requested (+%(days)s days): %(reason)s"),
    "extension.approved": gettext_lazy(
        "Extension to %(requested_end)s approved (+%(days)s days, extension %(number)s)"),
    "extension.approved_beyond_policy": gettext_lazy(
        "Extension to %(requested_end)s approved beyond the team's limits (+%(days)s days, "
        "extension %(number)s): %(note)s"),
    "extension.refused": gettext_lazy("Extension to %(requested_end)s refused: %(note)s"),
    "poc.duration_approved": gettext_lazy(
        "A timebox of %(days)s days approved, longer than the team's maximum of %(maximum)s"),
    "exit.decided": lambda event: _describe_exit(event),
})


def _describe_exit(event) -> str:
    decision = event.data.get("decision")
    label = (str(ExitDecisionKind(decision).label) if decision in ExitDecisionKind.values
             else str(decision))
    return _("Exit clause reached (deadline %(deadline)s): %(decision)s. %(note)s") % {
        "deadline": event.data.get("deadline", ""), "decision": label,
        "note": event.data.get("note", "")}


POLICY_FIELDS = {"max_duration_days", "checkpoint_cadence_days", "max_extensions",
                 "exit_grace_days", "scope_creep_threshold"}


@transaction.atomic
def timebox_policy_update(*, actor, team, **changes) -> TimeboxPolicy:
    require_perm(actor, "pocdesk.manage_team", team)
    policy, _created = TimeboxPolicy.objects.select_for_update().get_or_create(team=team)
    diff = apply_changes(policy, changes, allowed=POLICY_FIELDS)
    if diff:
        validate_instance(policy)
        policy.save()
        event_record(actor=actor, verb="policy.timebox_changed", target=policy, team=team,
                     data={"changes": diff})
    return policy


# -- milestones -------------------------------------------------------------------------------

MILESTONE_FIELDS = ["kind", "title", "sequence", "due_date", "owner", "customer_owner", "status",
                    "customer_witness", "witnessed_by", "completed_on", "evidence_note"]


def _milestone_apply(milestone: Milestone, values: dict[str, Any], people: DealPeople,
                     *, today: datetime.date) -> dict[str, list[str]]:
    """Set the given fields on `milestone` and check them; returns the errors by field."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(values) - set(MILESTONE_FIELDS))
    for name in unknown:
        errors[name] = [_("This field cannot be changed here.")]
    values = {k: v for k, v in values.items() if k in MILESTONE_FIELDS}
    for name in ("owner",):
        if name in values:
            values[name] = people.member(values[name], name, errors)
    for name in ("customer_owner", "witnessed_by"):
        if name in values:
            values[name] = people.customer(values[name], name, errors)
    for name in ("title", "evidence_note"):
        if name in values:
            values[name] = (values[name] or "").strip()
    for name, value in values.items():
        if name not in errors:
            setattr(milestone, name, value)
    if milestone.status == MilestoneStatus.DONE:
        if milestone.completed_on is None:
            milestone.completed_on = today
        elif milestone.completed_on > today:
            errors["completed_on"] = [_("A milestone cannot be completed in the future.")]
    else:
        if values.get("completed_on"):
            errors["completed_on"] = [_("Only a done milestone has a completion date.")]
        milestone.completed_on = None
        if values.get("witnessed_by"):
            errors["witnessed_by"] = [_("Record who witnessed it once the milestone is done.")]
        milestone.witnessed_by = None
    if milestone.kind != MilestoneKind.CHECKPOINT:
        milestone.sequence = 0
    if milestone.planned_date is None:
        milestone.planned_date = milestone.due_date
    # The planned date follows the due date: without one, only the due date is in error.
    exclude = ["poc"] if milestone.due_date is not None else ["poc", "planned_date"]
    try:
        validate_instance(milestone, exclude=exclude)
    except ValidationFailed as error:
        for name, messages in error.fields.items():
            errors.setdefault(name, messages)
    return errors


@transaction.atomic
def milestone_plan_save(*, actor, poc: POC, rows: list[dict[str, Any]]) -> list[Milestone]:
    """Replace the POC's milestone plan with `rows` (e.g. the edited proposal).

    A row carrying the `key` of an existing milestone keeps it (and its planned date, so the
    timeline shows how far it moved); a done milestone cannot be left out. Errors are named
    `milestones.N.field`; nothing is saved when any row is wrong.
    """
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = lock_open(poc)
    today = timezone.localdate()
    existing = {str(m.key): m for m in Milestone.objects.filter(poc=poc)}
    people = DealPeople(poc)
    errors: dict[str, list[str]] = {}
    kept, new = [], []
    for index, row in enumerate(rows or []):
        key = str(row.get("key") or "")
        milestone = existing.get(key)
        if milestone is None:
            milestone = Milestone(poc=poc, key=uuid.uuid4())
            new.append(milestone)
        else:
            kept.append(milestone)
        # A proposal row may carry its display `label`: it is derived, not stored.
        values = {name: value for name, value in row.items() if name not in ("key", "label")}
        for name, messages in _milestone_apply(milestone, values, people, today=today).items():
            errors[f"milestones.{index}.{name}"] = messages
    kept_keys = {str(m.key) for m in kept}
    removed = [m for key, m in existing.items() if key not in kept_keys]
    done_removed = [m for m in removed if m.status == MilestoneStatus.DONE]
    if done_removed:
        errors["milestones"] = [_("A done milestone cannot be removed from the plan: %(names)s.")
                                % {"names": ", ".join(m.label for m in done_removed)}]
    if errors:
        raise ValidationFailed(errors)
    Milestone.objects.filter(pk__in=[m.pk for m in removed]).delete()
    for milestone in kept:
        milestone.save()
    Milestone.objects.bulk_create(new)
    event_record(actor=actor, verb="milestones.planned", target=poc, poc=poc, data={
        "count": len(kept) + len(new), "added": len(new), "removed": len(removed)})
    return list(Milestone.objects.filter(poc=poc))


@transaction.atomic
def milestone_create(*, actor, poc: POC, **values: Any) -> Milestone:
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = lock_open(poc)
    milestone = Milestone(poc=poc)
    errors = _milestone_apply(milestone, values, DealPeople(poc), today=timezone.localdate())
    if errors:
        raise ValidationFailed(errors)
    milestone.save()
    event_record(actor=actor, verb="milestone.added", target=milestone, poc=poc, team=poc.team,
                 data={"due_date": milestone.due_date.isoformat()})
    return milestone


@transaction.atomic
def milestone_update(*, actor, milestone: Milestone, evidence_upload=None,
                     **changes: Any) -> Milestone:
    """Change a milestone: move it, complete it (with the customer's witness and evidence)."""
    poc = milestone.poc
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = lock_open(poc)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    before = {name: getattr(milestone, name) for name in MILESTONE_FIELDS}
    errors = _milestone_apply(milestone, changes, DealPeople(poc), today=timezone.localdate())
    if errors:
        raise ValidationFailed(errors)
    if evidence_upload is not None:
        milestone.evidence_file = stored_file_create(
            actor=actor, team=poc.team, uploaded=evidence_upload, field="evidence_file",
            folder="milestones")
    diff = {name: [jsonable(before[name]), jsonable(getattr(milestone, name))]
            for name in MILESTONE_FIELDS if before[name] != getattr(milestone, name)}
    if evidence_upload is not None:
        diff["evidence_file"] = [None, milestone.evidence_file.original_name]
    if not diff:
        return milestone
    milestone.save()
    if "status" in diff and milestone.status == MilestoneStatus.DONE:
        verb = "milestone.witnessed" if milestone.witnessed_by else "milestone.done"
        event_record(actor=actor, verb=verb, target=milestone, poc=poc, team=poc.team, data={
            "completed_on": milestone.completed_on.isoformat(),
            "witness": str(milestone.witnessed_by or "")})
    else:
        event_record(actor=actor, verb="milestone.changed", target=milestone, poc=poc,
                     team=poc.team, data={"changes": diff})
    return milestone


@transaction.atomic
def milestone_delete(*, actor, milestone: Milestone) -> None:
    poc = milestone.poc
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = lock_open(poc)
    # Judge the row as it is now, not the caller's copy: it may have been done meanwhile.
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.status == MilestoneStatus.DONE:
        raise ApplicationError("milestone_done",
                               _("A done milestone stays in the plan: it is the POC's history."),
                               status=409)
    label = milestone.label
    event_record(actor=actor, verb="milestone.removed", target=milestone, poc=poc,
                 team=poc.team, data={"label": label})
    milestone.delete()


# -- extensions -------------------------------------------------------------------------------

EXTENSIBLE_STATUSES = {Status.AGREED, Status.RUNNING, Status.PAUSED}


@transaction.atomic
def extension_request(*, actor, poc: POC, requested_end: datetime.date | None,
                      reason: str) -> Extension:
    """Ask to move the end date of an agreed POC; a manager approves or refuses it."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = lock_open(poc)
    if poc.status not in EXTENSIBLE_STATUSES:
        raise ApplicationError("not_extensible", _(
            "Only an agreed, running or paused POC is extended; before it is agreed, change its "
            "dates."), status=409)
    if Extension.objects.filter(poc=poc, status=ExtensionStatus.REQUESTED).exists():
        raise ApplicationError("extension_pending", _(
            "An extension is already waiting for a manager's decision."), status=409)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the POC needs more time.")]
    if poc.end_date is None:
        errors["requested_end"] = [_("The POC has no end date to extend.")]
    elif requested_end is None:
        errors["requested_end"] = [_("This field is required.")]
    elif requested_end <= poc.end_date:
        errors["requested_end"] = [_("The new end date must be after the current one (%(end)s).")
                                   % {"end": poc.end_date.isoformat()}]
    if errors:
        raise ValidationFailed(errors)
    extension = Extension.objects.create(
        poc=poc, reason=reason, previous_end=poc.end_date, requested_end=requested_end,
        days=(requested_end - poc.end_date).days, requested_by=actor)
    event_record(actor=actor, verb="extension.requested", target=extension, poc=poc,
                 team=poc.team, data={"requested_end": requested_end.isoformat(),
                                      "days": extension.days, "reason": reason})
    return extension


def extension_limits(*, poc: POC) -> list[str]:
    """The team's limits that approving one more extension would pass, as sentences.

    The maximum duration is not among them: approving an extension is itself the manager's
    approval of the longer timebox.
    """
    policy = policy_for_team(poc.team_id)
    approved = Extension.objects.filter(poc=poc, status=ExtensionStatus.APPROVED).count()
    if approved + 1 > policy.max_extensions:
        return [_("it would be extension %(number)s, and the team allows %(maximum)s")
                % {"number": approved + 1, "maximum": policy.max_extensions}]
    return []


@transaction.atomic
def extension_decide(*, actor, extension: Extension, approve: bool, note: str = "",
                     beyond_policy: bool = False) -> Extension:
    """A manager approves (moving the end date) or refuses (with a reason) an extension.

    Approving more extensions than the team allows needs the explicit `beyond_policy`
    override and a note, and is recorded as such.
    """
    poc = extension.poc
    require_perm(actor, "pocdesk.manage_team", poc)
    poc = lock_open(poc)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != ExtensionStatus.REQUESTED:
        raise ApplicationError("already_decided", _("This extension was already decided."),
                               status=409)
    note = (note or "").strip()
    if not approve:
        if not note:
            raise ValidationFailed({"note": [_("Say why the extension is refused.")]})
        extension.status = ExtensionStatus.REFUSED
        verb = "extension.refused"
    else:
        if poc.end_date != extension.previous_end:
            raise ApplicationError("end_date_moved", _(
                "The POC's end date changed since this request: ask for a new extension."),
                status=409)
        problems = extension_limits(poc=poc)
        if problems and not beyond_policy:
            raise ValidationFailed({"beyond_policy": [
                _("Beyond the team's limits: %(problems)s. Approve beyond the limits, with a "
                  "note, to extend anyway.") % {"problems": "; ".join(problems)}]})
        if problems and not note:
            raise ValidationFailed({"note": [_(
                "Say why this extension is approved beyond the team's limits.")]})
        extension.status = ExtensionStatus.APPROVED
        extension.beyond_policy = bool(problems)
        verb = "extension.approved_beyond_policy" if problems else "extension.approved"
        _move_end(poc, extension.requested_end, approver=actor)
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_note = note
    extension.save()
    number = Extension.objects.filter(poc=poc, status=ExtensionStatus.APPROVED).count()
    event_record(actor=actor, verb=verb, target=extension, poc=poc, team=poc.team, data={
        "requested_end": extension.requested_end.isoformat(), "days": extension.days,
        "number": number, "note": note})
    return extension


def _move_end(poc: POC, new_end: datetime.date, *, approver) -> None:
    """Move the POC's end date and, with it, its open final review; a timebox now longer than
    the team's maximum counts as approved by the manager who approved the extension."""
    poc.end_date = new_end
    fields = ["end_date", "updated_at"]
    if poc.start_date is not None:
        days = (new_end - poc.start_date).days
        if days > max(policy_for_team(poc.team_id).max_duration_days,
                      poc.approved_duration_days or 0):
            poc.approved_duration_days = days
            poc.duration_approved_by = approver
            fields += ["approved_duration_days", "duration_approved_by"]
    poc.save(update_fields=fields)
    Milestone.objects.filter(poc=poc, kind=MilestoneKind.FINAL_REVIEW,
                             status=MilestoneStatus.PLANNED).update(due_date=new_end)


# -- exit clause ------------------------------------------------------------------------------

@transaction.atomic
def exit_decision_record(*, actor, poc: POC, decision: str, note: str,
                         requested_end: datetime.date | None = None) -> ExitDecision:
    """Record what is decided when the exit clause is reached: stop, renegotiate or extend.

    `stop` moves a running POC to evaluation; `extend` files an extension request for
    `requested_end`, which a manager then approves.
    """
    from pocdesk.pocs.services import poc_transition

    from .selectors import timebox_summary

    require_perm(actor, "pocdesk.transition_poc", poc)
    poc = lock_open(poc)
    summary = timebox_summary(poc=poc)
    if summary.exit is None or not summary.exit.reached:
        raise ApplicationError("exit_not_reached", _(
            "The exit clause is not reached: there is no exit decision to take."), status=409)
    errors: dict[str, list[str]] = {}
    if decision not in ExitDecisionKind.values:
        errors["decision"] = [_("Choose stop, renegotiate or extend.")]
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Write down the decision and who took it with the customer.")]
    if errors:
        raise ValidationFailed(errors)
    extension = None
    if decision == ExitDecisionKind.EXTEND:
        extension = extension_request(actor=actor, poc=poc, requested_end=requested_end,
                                      reason=note)
    record = ExitDecision.objects.create(
        poc=poc, deadline=summary.exit.deadline, trigger_date=summary.exit.trigger_date,
        decision=decision, note=note, extension=extension, decided_by=actor)
    event_record(actor=actor, verb="exit.decided", target=poc, poc=poc, team=poc.team, data={
        "decision": decision, "note": note, "deadline": summary.exit.deadline.isoformat()})
    if decision == ExitDecisionKind.STOP and poc.status == Status.RUNNING:
        poc_transition(actor=actor, poc=poc, to=Status.EVALUATING, reason=note)
    return record

