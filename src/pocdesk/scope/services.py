"""Writes on scope changes (§7) and commitments (§8.4).

The rules of §7 live here: a specific development is paid scope, so accepting one is a manager's
decision, and accepting one without a quoted budget needs the manager's explicit override with a
reason; a quote names its amount and currency.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import apply_changes, jsonable, validate_instance
from pocdesk.pocs.lifecycle import lock_open
from pocdesk.pocs.models import POC
from pocdesk.stakeholders.resolve import DealPeople

from .models import (
    ChangeClass,
    ChangeDecision,
    Commitment,
    CommitmentCategory,
    CommitmentStatus,
    ScopeChange,
)

UNCERTAIN_ANSWER_WITHIN = datetime.timedelta(hours=24)

register_event_verbs({
    "scope_change.recorded": lambda event: _describe_change(
        _("Scope change requested by %(requester)s (%(class)s, %(hours)s h): %(target)s"), event),
    "scope_change.changed": gettext_lazy("Scope change “%(target)s” changed: %(changes)s"),
    "scope_change.decided": lambda event: _describe_change(
        _("Scope change “%(target)s” %(decision)s by %(actor)s"), event),
    "scope_change.overridden": lambda event: _describe_change(
        _("Specific development “%(target)s” accepted without a budget: manager's override. "
          "%(note)s"), event),
    "commitment.made": lambda event: _describe_commitment(
        _("Commitment to %(made_to)s (%(category)s), due %(due)s: %(target)s"), event),
    "commitment.changed": gettext_lazy("Commitment “%(target)s” changed: %(changes)s"),
    "commitment.resolved": lambda event: _describe_commitment(
        _("Commitment “%(target)s” %(status)s"), event),
})


def _describe_change(message: str, event) -> str:
    data = event.data or {}
    klass = data.get("class")
    decision = data.get("decision")
    return message % {
        "target": event.target_label, "requester": data.get("requester", ""),
        "class": str(ChangeClass(klass).label) if klass in ChangeClass.values else klass,
        "hours": data.get("hours", ""), "note": data.get("note", ""),
        "decision": (str(ChangeDecision(decision).label).lower()
                     if decision in ChangeDecision.values else decision),
        "actor": data.get("actor", ""),
    }


def _describe_commitment(message: str, event) -> str:
    data = event.data or {}
    category, status = data.get("category"), data.get("status")
    return message % {
        "target": event.target_label, "made_to": data.get("made_to", ""),
        "due": data.get("due", ""),
        "category": (str(CommitmentCategory(category).label)
                     if category in CommitmentCategory.values else category),
        "status": (str(CommitmentStatus(status).label).lower()
                   if status in CommitmentStatus.values else status),
    }


# -- scope changes ----------------------------------------------------------------------------

CHANGE_FIELDS = {"text", "requested_by", "requested_on", "effort_hours", "change_class"}
# Once accepted or rejected, a request is history: decide again rather than rewrite it.
FINAL_DECISIONS = {ChangeDecision.ACCEPTED, ChangeDecision.REJECTED}


def _change_values(poc: POC, values: dict[str, Any], errors: dict) -> dict[str, Any]:
    values = dict(values)
    if "requested_by" in values:
        values["requested_by"] = DealPeople(poc).customer(values["requested_by"],
                                                          "requested_by", errors)
    if "text" in values:
        values["text"] = (values["text"] or "").strip()
    return values


@transaction.atomic
def scope_change_create(*, actor, poc: POC, text: str, requested_by, effort_hours,
                        change_class: str, requested_on: datetime.date | None = None
                        ) -> ScopeChange:
    """Record a customer's request; it waits for a decision."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = lock_open(poc)
    errors: dict[str, list[str]] = {}
    values = _change_values(poc, {"text": text, "requested_by": requested_by,
                                  "effort_hours": effort_hours, "change_class": change_class},
                            errors)
    change = ScopeChange(poc=poc, recorded_by=actor,
                         requested_on=requested_on or timezone.localdate(),
                         **{k: v for k, v in values.items() if k not in errors})
    if requested_on and requested_on > timezone.localdate():
        errors["requested_on"] = [_("A request cannot be dated in the future.")]
    try:
        validate_instance(change, exclude=["poc", *errors])
    except ValidationFailed as error:
        errors.update({k: v for k, v in error.fields.items() if k not in errors})
    if errors:
        raise ValidationFailed(errors)
    change.save()
    event_record(actor=actor, verb="scope_change.recorded", target=change, poc=poc,
                 team=poc.team, data={"requester": str(change.requested_by),
                                      "class": change.change_class,
                                      "hours": str(change.effort_hours)})
    return change


@transaction.atomic
def scope_change_update(*, actor, change: ScopeChange, **changes: Any) -> ScopeChange:
    """Correct a request that is still open (pending, deferred or quoted)."""
    require_perm(actor, "pocdesk.edit_poc", change.poc)
    poc = lock_open(change.poc)
    change = ScopeChange.objects.select_for_update().get(pk=change.pk)
    if change.decision in FINAL_DECISIONS:
        raise ApplicationError("scope_change_decided", _(
            "This request was %(decision)s: record a new request rather than rewrite it.")
            % {"decision": change.get_decision_display().lower()}, status=409)
    errors: dict[str, list[str]] = {}
    values = _change_values(poc, changes, errors)
    if errors:
        raise ValidationFailed(errors)
    was_paid = change.change_class == ChangeClass.SPECIFIC_DEVELOPMENT
    diff = apply_changes(change, values, allowed=CHANGE_FIELDS)
    if ("change_class" in diff and was_paid
            and not actor.has_perm("pocdesk.manage_team", poc)):
        # Otherwise paid scope could be reclassed as a minor adjustment and accepted unseen.
        raise PermissionDenied(_("Only a manager reclasses a specific development: it is paid "
                                 "scope."))
    if diff:
        validate_instance(change, exclude=["poc"])
        change.save()
        event_record(actor=actor, verb="scope_change.changed", target=change, poc=poc,
                     team=poc.team, data={"changes": diff})
    return change


def _decimal(value, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a number.")]
        return None


@transaction.atomic
def scope_change_decide(*, actor, change: ScopeChange, decision: str, note: str = "",
                        quote_amount=None, quote_currency: str = "",
                        override: bool = False) -> ScopeChange:
    """Decide a request: accepted, deferred, quoted or rejected, by whom and why.

    Accepting a specific development is a manager's decision (paid scope, §1); without a quoted
    budget it also needs the manager's `override` with a note, recorded as such.
    """
    require_perm(actor, "pocdesk.edit_poc", change.poc)
    poc = lock_open(change.poc)
    change = ScopeChange.objects.select_for_update().select_related("requested_by").get(
        pk=change.pk)
    if change.decision in FINAL_DECISIONS:
        raise ApplicationError("scope_change_decided", _(
            "This request was already %(decision)s: record a new request to reopen it.")
            % {"decision": change.get_decision_display().lower()}, status=409)
    errors: dict[str, list[str]] = {}
    if decision not in ChangeDecision.values or decision == ChangeDecision.PENDING:
        errors["decision"] = [_("Choose accepted, deferred, quoted or rejected.")]
    note = (note or "").strip()
    amount = _decimal(quote_amount, "quote_amount", errors)
    currency = (quote_currency or "").strip().upper()
    if amount is None and "quote_amount" not in errors:
        amount, currency = change.quote_amount, currency or change.quote_currency
    if amount is not None and amount <= 0:
        errors["quote_amount"] = [_("A quoted budget is more than zero.")]
    if amount is not None and not currency:
        errors["quote_currency"] = [_("Give the currency of the quote.")]
    if decision == ChangeDecision.QUOTED and amount is None and "quote_amount" not in errors:
        errors["quote_amount"] = [_("A quoted request needs the quoted amount.")]
    if decision == ChangeDecision.REJECTED and not note:
        errors["note"] = [_("Say why the request is rejected.")]
    overridden = False
    paid = (decision == ChangeDecision.ACCEPTED
            and change.change_class == ChangeClass.SPECIFIC_DEVELOPMENT)
    if paid and not errors:
        if not actor.has_perm("pocdesk.manage_team", poc):
            raise PermissionDenied(_("Only a manager accepts a specific development: it is paid "
                                     "scope."))
        if amount is None:
            if not override:
                errors["quote_amount"] = [_(
                    "A specific development needs a quoted budget before it is accepted; a "
                    "manager may override this, with a reason.")]
            elif not note:
                errors["note"] = [_("Say why it is accepted without a budget.")]
            else:
                overridden = True
    if errors:
        raise ValidationFailed(errors)
    change.decision = decision
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_note = note
    change.quote_amount = amount
    change.quote_currency = currency if amount is not None else ""
    change.override = overridden
    validate_instance(change, exclude=["poc"])
    change.save()
    from pocdesk.people.selectors import user_label

    event_record(actor=actor, verb="scope_change.overridden" if overridden
                 else "scope_change.decided", target=change, poc=poc, team=poc.team, data={
                     "decision": decision, "class": change.change_class, "note": note,
                     "actor": user_label(actor),
                     "quote": f"{amount} {currency}" if amount is not None else ""})
    return change


# -- commitments ------------------------------------------------------------------------------

COMMITMENT_FIELDS = {"text", "made_by", "made_to", "category", "made_at", "due_at",
                     "preconditions", "scope_change", "feasibility"}


def _commitment_apply(commitment: Commitment, poc: POC, values: dict[str, Any],
                      errors: dict) -> dict[str, Any]:
    people = DealPeople(poc)
    values = dict(values)
    if "made_by" in values:
        values["made_by"] = people.member(values["made_by"], "made_by", errors)
    if "made_to" in values:
        values["made_to"] = people.customer(values["made_to"], "made_to", errors)
    if values.get("scope_change") not in (None, ""):
        ref = values["scope_change"]
        found = ScopeChange.objects.filter(poc=poc, pk=getattr(ref, "pk", ref)).first() \
            if str(getattr(ref, "pk", ref)).isdigit() else None
        if found is None:
            errors["scope_change"] = [_("Choose a scope-change request of this POC.")]
        values["scope_change"] = found
    elif "scope_change" in values:
        values["scope_change"] = None
    for name in ("text", "preconditions", "feasibility"):
        if name in values:
            values[name] = (values[name] or "").strip()
    for name, value in values.items():
        if name not in errors:
            setattr(commitment, name, value)
    if commitment.category == CommitmentCategory.UNCERTAIN and commitment.due_at is None:
        commitment.due_at = (commitment.made_at or timezone.now()) + UNCERTAIN_ANSWER_WITHIN
    if commitment.due_at is None:
        errors.setdefault("due_at", [_("Say by when this commitment is due.")])
    elif commitment.made_at and commitment.due_at < commitment.made_at:
        errors.setdefault("due_at", [_("The due time cannot be before the commitment was made.")])
    if commitment.category == CommitmentCategory.RISKY and not commitment.preconditions:
        errors.setdefault("preconditions", [_(
            "A risky commitment states its preconditions: what must be true for it to hold.")])
    if (commitment.category == CommitmentCategory.OUT_OF_SCOPE
            and commitment.scope_change is None and not commitment.feasibility):
        errors.setdefault("scope_change", [_(
            "An out-of-scope commitment links a scope-change request or a feasibility "
            "assessment.")])
    try:
        validate_instance(commitment, exclude=["poc", *errors])
    except ValidationFailed as error:
        for name, messages in error.fields.items():
            errors.setdefault(name, messages)
    return values


@transaction.atomic
def commitment_create(*, actor, poc: POC, text: str, made_to, category: str, made_by=None,
                      due_at: datetime.datetime | None = None, **details: Any) -> Commitment:
    """Register a promise made to the customer; an uncertain one is due within 24 hours."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = lock_open(poc)
    unknown = sorted(set(details) - {"preconditions", "scope_change", "feasibility", "made_at"})
    errors: dict[str, list[str]] = {name: [_("This field cannot be changed here.")]
                                    for name in unknown}
    commitment = Commitment(poc=poc, recorded_by=actor)
    now = timezone.now()
    values = {"text": text, "made_to": made_to, "category": category,
              "made_by": made_by or actor, "due_at": due_at,
              "made_at": details.pop("made_at", None) or now,
              **{k: v for k, v in details.items() if k not in unknown}}
    if values["made_at"] > now:
        errors["made_at"] = [_("A commitment cannot be made in the future.")]
    _commitment_apply(commitment, poc, values, errors)
    if errors:
        raise ValidationFailed(errors)
    commitment.save()
    event_record(actor=actor, verb="commitment.made", target=commitment, poc=poc, team=poc.team,
                 data={"made_to": str(commitment.made_to), "category": commitment.category,
                       "due": timezone.localtime(commitment.due_at).strftime("%Y-%m-%d %H:%M")})
    return commitment


@transaction.atomic
def commitment_update(*, actor, commitment: Commitment, **changes: Any) -> Commitment:
    """Correct an open commitment (its text, due time, preconditions, links)."""
    require_perm(actor, "pocdesk.edit_poc", commitment.poc)
    poc = lock_open(commitment.poc)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status != CommitmentStatus.OPEN:
        raise ApplicationError("commitment_closed", _(
            "This commitment is closed: it can no longer be corrected."), status=409)
    unknown = sorted(set(changes) - COMMITMENT_FIELDS)
    errors: dict[str, list[str]] = {name: [_("This field cannot be changed here.")]
                                    for name in unknown}
    before = {name: getattr(commitment, name) for name in COMMITMENT_FIELDS}
    _commitment_apply(commitment, poc, {k: v for k, v in changes.items() if k not in unknown},
                      errors)
    if errors:
        raise ValidationFailed(errors)
    diff = {name: [jsonable(before[name]), jsonable(getattr(commitment, name))]
            for name in COMMITMENT_FIELDS if before[name] != getattr(commitment, name)}
    if diff:
        commitment.save()
        event_record(actor=actor, verb="commitment.changed", target=commitment, poc=poc,
                     team=poc.team, data={"changes": diff})
    return commitment


@transaction.atomic
def commitment_resolve(*, actor, commitment: Commitment, status: str, note: str = ""
                       ) -> Commitment:
    """Close a commitment: kept, broken or withdrawn (a broken or withdrawn one says why)."""
    require_perm(actor, "pocdesk.edit_poc", commitment.poc)
    poc = lock_open(commitment.poc)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if status not in CommitmentStatus.values or status == CommitmentStatus.OPEN:
        errors["status"] = [_("Choose kept, broken or withdrawn.")]
    elif status != CommitmentStatus.KEPT and not note:
        errors["note"] = [_("Say what happened.")]
    if errors:
        raise ValidationFailed(errors)
    if commitment.status != CommitmentStatus.OPEN:
        raise ApplicationError("commitment_resolved", _("This commitment is already closed."),
                               status=409)
    commitment.status = status
    commitment.resolved_at = timezone.now()
    commitment.resolution_note = note
    commitment.save(update_fields=["status", "resolved_at", "resolution_note"])
    event_record(actor=actor, verb="commitment.resolved", target=commitment, poc=poc,
                 team=poc.team, data={"status": status, "note": note})
    return commitment
