"""Versions and sign-off of the plan documents: submit, sign for either side, compare."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocdesk.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from pocdesk.pocs.selectors import poc_get
from pocdesk.signoffs.models import DocumentKind, SignatureMethod, SignatureSide, VersionStatus
from pocdesk.signoffs.selectors import DRAFT, plan_diff, plan_version_get, plan_versions
from pocdesk.signoffs.services import plan_version_submit, signoff_record

from ..errors import add_service_errors, page
from ..plan_display import diff_groups
from ..plan_forms import CustomerSignatureForm, VendorSignatureForm
from .plan import customer_signatories, plan_url, render_plan


def _tab(kind: str) -> str:
    return "agreement" if kind == DocumentKind.AGREEMENT else "criteria"


def _label(kind: str) -> str:
    return str(DocumentKind(kind).label)


def _refusal(error: ApplicationError) -> bool:
    """A refusal to show as a message (not a 403/404 page, not field errors)."""
    return not isinstance(error, PermissionDenied | NotFound | ValidationFailed)


@require_POST
@page
def plan_submit_page(request, poc_id: int, kind: str):
    """Freeze the draft as the next version, awaiting both signatures."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    try:
        version = plan_version_submit(actor=request.user, poc=poc, kind=kind)
    except ApplicationError as error:
        if not _refusal(error):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(document)s version %(number)d is submitted: it now "
                                    "awaits the vendor's and the customer's signatures.") % {
            "document": _label(kind), "number": version.number})
    return redirect(plan_url(poc, tab=_tab(kind), anchor=f"{kind}-versions"))


def _signed_at(day: datetime.date | None, version) -> datetime.datetime | None:
    """The moment to record for a signature given on `day` (today: now)."""
    if day is None or day == timezone.localdate():
        return None
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    if timezone.localdate(version.submitted_at) == day:
        moment = max(moment, version.submitted_at)
    return moment


@require_POST
@page
def plan_sign_page(request, poc_id: int, kind: str, number: int, side: str):
    """Sign for the vendor in the app, or record the customer's signed scan."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    version = plan_version_get(poc=poc, kind=kind, number=number)
    auto_id = f"id_{kind}_{side}_%s"
    if side == SignatureSide.VENDOR:
        form = VendorSignatureForm(request.POST, auto_id=auto_id)
    else:
        form = CustomerSignatureForm(request.POST, request.FILES, auto_id=auto_id,
                                     stakeholders=customer_signatories(request.user, poc))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if side == SignatureSide.VENDOR:
                signature = signoff_record(actor=request.user, version=version, side=side,
                                           method=SignatureMethod.IN_APP,
                                           signer_title=data["signer_title"])
            else:
                signature = signoff_record(
                    actor=request.user, version=version, side=side, method=SignatureMethod.SCAN,
                    signer_name=data["signer_name"], signer_title=data["signer_title"],
                    stakeholder=data["stakeholder"], scan=data["scan"],
                    signed_at=_signed_at(data["signed_at"], version))
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            if not _refusal(error):
                raise
            messages.error(request, error.message)
            return redirect(plan_url(poc, tab=_tab(kind), anchor=f"{kind}-versions"))
        else:
            version.refresh_from_db(fields=["status"])
            if version.status == VersionStatus.SIGNED:
                message = _("%(document)s version %(number)d is signed by both sides.")
            else:
                message = _("%(document)s version %(number)d signed for the %(side)s by "
                            "%(name)s.")
            messages.success(request, message % {
                "document": _label(kind), "number": version.number, "name": signature.signer_name,
                "side": str(SignatureSide(side).label).lower()})
            return redirect(plan_url(poc, tab=_tab(kind), anchor=f"{kind}-versions"))
    return render_plan(request, poc, tab=_tab(kind), status=400,
                       signature_sent={(kind, side): form})


def _which(value: str) -> int | str:
    if value == DRAFT:
        return DRAFT
    if value.isdigit():
        return int(value)
    raise NotFound(_("This version does not exist."))


@page
def plan_diff_page(request, poc_id: int, kind: str):
    """What changed between two versions (or a version and the draft), for htmx or a page."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    old, new = request.GET.get("old", ""), request.GET.get("new", DRAFT)
    rows = plan_diff(poc=poc, kind=kind, old=_which(old), new=_which(new))
    context = {"poc": poc, "kind": kind, "label": _label(kind), "old": old, "new": new,
               "groups": diff_groups(rows, kind=kind), "tab": _tab(kind)}
    if getattr(request, "htmx", False):
        return render(request, "web/plan/diff.html#diff-result", context)
    numbers = [version.number for version in plan_versions(poc=poc, kind=kind)]
    context["diff_document"] = {"versions": numbers, "diff_choices": [
        (DRAFT, _("Draft (not submitted)"))] + [
        (str(n), _("Version %(number)d") % {"number": n}) for n in numbers]}
    return render(request, "web/plan/diff_page.html", context)
