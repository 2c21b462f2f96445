"""Qualification writes: the team policy, manager overrides, the commitment ladder."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.files import stored_file_create
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import apply_changes, validate_instance
from pocdesk.pocs.models import POC, CommitmentLevel, Status
from pocdesk.pocs.services import poc_transition

from .gate import registered_checks
from .models import QualificationOverride, QualificationPolicy
from .selectors import qualification_evaluate

register_event_verbs({
    "poc.qualification_overridden": gettext_lazy(
        "Qualification overridden by a manager despite: %(unmet)s. Justification: %(justification)s"),
    "poc.commitment_changed": gettext_lazy(
        "Commitment level changed from %(from_level)s to %(to_level)s"),
    "policy.qualification_changed": gettext_lazy("Qualification policy changed: %(changes)s"),
})

POLICY_FIELDS = {"mandatory_checks", "ignored_checks", "max_open_days",
                 "earlier_failed_pocs_limit", "walk_away_below", "walk_away_red_flags"}


@transaction.atomic
def qualification_policy_update(*, actor, team, **changes) -> QualificationPolicy:
    require_perm(actor, "pocdesk.manage_team", team)
    policy, _created = QualificationPolicy.objects.select_for_update().get_or_create(team=team)
    known = set(registered_checks())
    for name in ("mandatory_checks", "ignored_checks"):
        if name in changes:
            codes = list(dict.fromkeys(changes[name] or []))
            unknown = [code for code in codes if code not in known]
            if unknown:
                raise ValidationFailed({name: [_("Unknown checks: %(codes)s.")
                                               % {"codes": ", ".join(unknown)}]})
            changes[name] = codes
    diff = apply_changes(policy, changes, allowed=POLICY_FIELDS)
    if diff:
        validate_instance(policy)
        policy.save()
        event_record(actor=actor, verb="policy.qualification_changed", target=policy, team=team,
                     data={"changes": diff})
    return policy


@transaction.atomic
def qualification_override(*, actor, poc: POC, justification: str) -> POC:
    """A manager qualifies a POC whose mandatory checks fail, with a written justification."""
    require_perm(actor, "pocdesk.manage_team", poc)
    justification = (justification or "").strip()
    if len(justification) < 10:
        raise ValidationFailed({"justification": [
            _("Write why the POC goes ahead anyway (at least 10 characters).")]})
    if poc.status != Status.DRAFT:
        raise ValidationFailed({"to": [_("Only a draft POC can be qualified.")]})
    unmet = [check.code for check in qualification_evaluate(poc=poc).unmet_mandatory]
    if unmet:
        QualificationOverride.objects.create(poc=poc, overridden_by=actor,
                                             justification=justification, unmet=unmet)
        event_record(actor=actor, verb="poc.qualification_overridden", target=poc, poc=poc,
                     data={"unmet": unmet, "justification": justification})
    return poc_transition(actor=actor, poc=poc, to=Status.QUALIFIED, reason=justification)


COMMITMENT_FIELDS = {"commitment_reference", "funded_amount", "funded_share",
                     "conditional_po_reference", "conditional_po_value", "conditional_po_criteria"}


def _commitment_evidence_errors(poc: POC) -> dict[str, list[str]]:
    level = poc.commitment_level
    errors: dict[str, list[str]] = {}
    if level == CommitmentLevel.COLLABORATIVE and not (
            poc.commitment_reference or poc.commitment_document_id):
        errors["commitment_reference"] = [
            _("Give the reference of the written agreement, or upload it.")]
    if level == CommitmentLevel.FUNDED and poc.funded_amount is None and poc.funded_share is None:
        errors["funded_amount"] = [
            _("Give the amount the customer pays, or the share of the POC cost.")]
    if level == CommitmentLevel.CONDITIONAL_PO:
        required = {
            "conditional_po_reference": _("Give the purchase order's reference."),
            "conditional_po_value": _("Give the purchase order's value."),
            "conditional_po_criteria": _("Say which criteria trigger the order."),
        }
        for name, message in required.items():
            if getattr(poc, name) in (None, ""):
                errors[name] = [message]
    return errors


@transaction.atomic
def poc_commitment_set(*, actor, poc: POC, level: int, document=None, **evidence) -> POC:
    """Set the commitment ladder's level (§4.3) with the evidence that level needs."""
    require_perm(actor, "pocdesk.edit_commercial", poc)
    poc = POC.objects.select_for_update().get(pk=poc.pk)
    if level not in CommitmentLevel.values:
        raise ValidationFailed({"commitment_level": [_("Choose a level from 0 to 3.")]})
    for name in ("funded_amount", "funded_share", "conditional_po_value"):
        if evidence.get(name) not in (None, ""):
            evidence[name] = Decimal(str(evidence[name]))
        elif name in evidence:
            evidence[name] = None
    old_level = poc.commitment_level
    diff = apply_changes(poc, evidence, allowed=COMMITMENT_FIELDS)
    poc.commitment_level = level
    if document is not None:
        poc.commitment_document = stored_file_create(
            actor=actor, team=poc.team, uploaded=document, field="commitment_document",
            folder="commitments")
        diff["commitment_document"] = [None, poc.commitment_document.original_name]
    errors = _commitment_evidence_errors(poc)
    if errors:
        raise ValidationFailed(errors)
    validate_instance(poc)
    if old_level == level and not diff:
        return poc
    poc.save()
    event_record(actor=actor, verb="poc.commitment_changed", target=poc, poc=poc, data={
        "from_level": old_level, "to_level": level, "changes": diff})
    return poc
