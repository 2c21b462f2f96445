"""Writes: submit a plan document for signature, record a signature (any channel)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.files import stored_file_create
from pocdesk.core.permissions import require_perm
from pocdesk.people.selectors import user_label
from pocdesk.pocs.lifecycle import require_open
from pocdesk.pocs.models import POC
from pocdesk.stakeholders.models import Side

from .canonical import content_hash, signature_seal
from .models import (
    DocumentKind,
    PlanVersion,
    Signature,
    SignatureMethod,
    SignatureSide,
    VersionStatus,
)
from .registry import plan_document, plan_kinds
from .selectors import draft_content, version_verify

SCAN_TYPES = {"pdf", "png", "jpg", "webp"}

register_event_verbs({
    "plan.submitted": lambda event: _("%(document)s version %(number)s submitted for signature")
    % {"document": _kind_label(event.data.get("kind")), "number": event.data.get("number")},
    "plan.signed": lambda event: _("%(document)s version %(number)s signed for the %(side)s by "
                                   "%(name)s") % {
        "document": _kind_label(event.data.get("kind")), "number": event.data.get("number"),
        "side": _side_label(event.data.get("side")), "name": event.data.get("name")},
    "plan.signed_by_both": lambda event: _("%(document)s version %(number)s is signed by both "
                                           "sides (hash %(hash)s…)") % {
        "document": _kind_label(event.data.get("kind")), "number": event.data.get("number"),
        "hash": str(event.data.get("hash", ""))[:12]},
})


def _kind_label(kind) -> str:
    return str(DocumentKind(kind).label) if kind in DocumentKind.values else str(kind)


def _side_label(side) -> str:
    return str(SignatureSide(side).label).lower() if side in SignatureSide.values else str(side)


@transaction.atomic
def plan_version_submit(*, actor, poc: POC, kind: str) -> PlanVersion:
    """Freeze the live draft of `kind` as the next version, awaiting both signatures.

    A version still awaiting signatures is superseded: signatures always apply to the content
    that was frozen, so a signatory can never sign something that changed under them.
    """
    require_perm(actor, "pocdesk.edit_poc", poc)
    if kind not in plan_kinds():
        raise ValidationFailed({"kind": [_("Choose the success criteria or the agreement.")]})
    poc = POC.objects.select_for_update().get(pk=poc.pk)
    require_open(poc)
    content = draft_content(poc=poc, kind=kind)
    problems = plan_document(kind).problems(content)
    if problems:
        raise ApplicationError("plan_incomplete", " ".join(problems),
                               details={"problems": problems}, status=409)
    digest = content_hash(content)
    versions = PlanVersion.objects.filter(poc=poc, kind=kind)
    latest = versions.order_by("-number").first()
    if latest and latest.status != VersionStatus.SUPERSEDED and latest.content_hash == digest:
        raise ApplicationError(
            "plan_unchanged",
            _("Nothing changed since version %(number)d: there is nothing new to sign.")
            % {"number": latest.number}, status=409)
    versions.filter(status=VersionStatus.AWAITING).update(status=VersionStatus.SUPERSEDED)
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion.objects.create(poc=poc, kind=kind, number=number, content=content,
                                         content_hash=digest, submitted_by=actor)
    event_record(actor=actor, verb="plan.submitted", target=version, poc=poc, team=poc.team,
                 data={"kind": kind, "number": number, "hash": digest})
    return version


@transaction.atomic
def signoff_record(*, actor, version: PlanVersion, side: str, method: str,
                   signer_name: str = "", signer_title: str = "", stakeholder=None,
                   scan=None, signed_at: datetime.datetime | None = None) -> Signature:
    """Record one side's signature on a frozen version.

    Channels: a vendor user signs in the app (`in_app`, the signatory is the actor); a user
    records a signature given on paper (`scan`, with the uploaded signed scan). The customer
    portal will call this same service with its own method.
    """
    poc = version.poc
    require_perm(actor, "pocdesk.edit_poc", poc)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    require_open(poc)
    errors: dict[str, list[str]] = {}
    if side not in SignatureSide.values:
        errors["side"] = [_("Choose the vendor or the customer side.")]
    if method not in SignatureMethod.values:
        errors["method"] = [_("Choose how it was signed.")]
    if errors:
        raise ValidationFailed(errors)
    if version.status != VersionStatus.AWAITING:
        message = (_("Version %(number)d is already signed by both sides.")
                   if version.status == VersionStatus.SIGNED else
                   _("Version %(number)d was superseded by a newer version: sign the latest one."))
        raise ApplicationError("version_not_awaiting", message % {"number": version.number},
                               status=409)
    if version.signatures.filter(side=side).exists():
        raise ApplicationError("already_signed", _("The %(side)s side has already signed version "
                                                   "%(number)d.") % {
            "side": _side_label(side), "number": version.number}, status=409)
    verification = version_verify(version)
    if not verification.valid:
        raise ApplicationError("content_tampered", " ".join(verification.problems),
                               details={"problems": verification.problems}, status=409)

    signer_name = (signer_name or "").strip()
    signer_title = (signer_title or "").strip()
    signer_user = None
    if method == SignatureMethod.IN_APP:
        if side != SignatureSide.VENDOR:
            errors["method"] = [_("The customer signs in the customer portal or on paper: "
                                  "record their signed scan.")]
        signer_user = actor
        signer_name = signer_name or user_label(actor)
    if stakeholder is not None:
        expected = Side.CUSTOMER if side == SignatureSide.CUSTOMER else Side.VENDOR
        if stakeholder.account_id != poc.opportunity.account_id or stakeholder.side != expected:
            errors["stakeholder"] = [_("Choose a person of this deal on the %(side)s side.")
                                     % {"side": _side_label(side)}]
        else:
            signer_name = signer_name or stakeholder.name
            signer_title = signer_title or stakeholder.title
    if not signer_name:
        errors["signer_name"] = [_("Give the signatory's name.")]
    if method == SignatureMethod.SCAN and scan is None:
        errors["scan"] = [_("Upload the signed scan (PDF or image).")]
    now = timezone.now()
    signed_at = (signed_at or now).replace(microsecond=0)
    if signed_at > now + datetime.timedelta(minutes=5):
        errors["signed_at"] = [_("The signature cannot be in the future.")]
    elif signed_at < version.submitted_at.replace(microsecond=0):
        errors["signed_at"] = [_("The signature cannot be older than the version it signs.")]
    if errors:
        raise ValidationFailed(errors)
    stored_scan = None
    if scan is not None:
        stored_scan = stored_file_create(actor=actor, team=poc.team, uploaded=scan, field="scan",
                                         folder="signatures", accepted=SCAN_TYPES)
    signature = Signature(
        version=version, side=side, method=method, signer_name=signer_name[:200],
        signer_title=signer_title[:200], signer_user=signer_user, stakeholder=stakeholder,
        scan=stored_scan, signed_at=signed_at, content_hash=version.content_hash,
        recorded_by=actor)
    signature.seal = signature_seal(
        version_id=version.pk, kind=version.kind, number=version.number,
        digest=version.content_hash, side=side, method=method, signer_name=signature.signer_name,
        signer_title=signature.signer_title, signed_at=signed_at)
    signature.save()
    event_record(actor=actor, verb="plan.signed", target=version, poc=poc, team=poc.team,
                 data={"kind": version.kind, "number": version.number, "side": side,
                       "name": signature.signer_name})
    sides = set(version.signatures.values_list("side", flat=True))
    if sides == set(SignatureSide.values):
        version.status = VersionStatus.SIGNED
        version.signed_at = max(version.signatures.values_list("signed_at", flat=True))
        version.save(update_fields=["status", "signed_at"])
        event_record(actor=actor, verb="plan.signed_by_both", target=version, poc=poc,
                     team=poc.team, data={"kind": version.kind, "number": version.number,
                                          "hash": version.content_hash})
    return signature
