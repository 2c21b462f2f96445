"""The qualification gate's forms on the POC page, and the download of uploaded documents."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocdesk.core.errors import ValidationFailed
from pocdesk.core.selectors import stored_file_get
from pocdesk.opportunities.services import opportunity_red_flags_record
from pocdesk.pocs.selectors import poc_get
from pocdesk.qualification.selectors import decision_chain_stakeholders
from pocdesk.qualification.services import poc_commitment_set, qualification_override
from pocdesk.stakeholders.models import Side
from pocdesk.stakeholders.services import engagement_record

from ..errors import add_service_errors, page
from ..forms import CommitmentForm, EngagementForm, OverrideForm, RedFlagsForm
from .pocs import _detail_context, _poc_url


def _refused(request, poc, **forms):
    """The POC page again, with the refused form and its errors in place."""
    return render(request, "web/pocs/detail.html", _detail_context(request, poc, **forms),
                  status=400)


def _submit(request, poc, form, *, form_name: str, save, success, anchor: str = ""):
    """Run one service with a valid form: on success a message and back to the POC page (at
    `anchor`); otherwise the POC page again with the form's and the service's errors."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success(form.cleaned_data) if callable(success) else success)
            return redirect(f"{_poc_url(poc)}{anchor}")
    return _refused(request, poc, **{form_name: form})


@require_POST
@page
def poc_override_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    return _submit(
        request, poc, OverrideForm(request.POST), form_name="override_form",
        save=lambda data: qualification_override(actor=request.user, poc=poc,
                                                 justification=data["justification"]),
        success=_("The POC is qualified by your override."))


@require_POST
@page
def poc_commitment_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = CommitmentForm(request.POST, request.FILES)
    return _submit(
        request, poc, form, form_name="commitment_form", anchor="#commitment",
        save=lambda data: poc_commitment_set(actor=request.user, poc=poc,
                                             **form.service_arguments()),
        success=_("Commitment level saved."))


@require_POST
@page
def poc_engagement_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = EngagementForm(request.POST, stakeholders=decision_chain_stakeholders(
        opportunity=poc.opportunity).filter(side=Side.CUSTOMER))
    return _submit(
        request, poc, form, form_name="engagement_form", anchor="#engagement",
        save=lambda data: engagement_record(actor=request.user, poc=poc, **data),
        success=lambda data: _("Engagement of %(name)s recorded.") % {
            "name": data["stakeholder"].name})


@require_POST
@page
def poc_red_flags_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    return _submit(
        request, poc, RedFlagsForm(request.POST), form_name="red_flags_form", anchor="#red-flags",
        save=lambda data: opportunity_red_flags_record(actor=request.user,
                                                       opportunity=poc.opportunity, **data),
        success=_("Red-flag observations saved."))


@page
def stored_file_download(request, file_id: int):
    """Serve an uploaded document as an attachment that the browser may neither sniff nor run."""
    stored = stored_file_get(user=request.user, file_id=file_id)
    response = FileResponse(default_storage.open(stored.storage_key, "rb"), as_attachment=True,
                            filename=stored.original_name, content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
