"""The POC agreement (§5.4): start it from the team template, edit it, track resources."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocdesk.agreements.models import ResourceStatus
from pocdesk.agreements.selectors import agreement_for_poc
from pocdesk.agreements.services import agreement_save, customer_resource_status_set
from pocdesk.core.errors import ApplicationError, NotFound, ValidationFailed
from pocdesk.pocs.selectors import poc_get

from ..errors import add_service_errors, page, place_row_errors
from ..plan_forms import (
    AgreementForm,
    CostFormSet,
    ResourceFormSet,
    ResourceStatusForm,
    list_rows,
)
from .plan import can_edit_plan, plan_url, render_plan


@require_POST
@page
def agreement_start_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    agreement_save(actor=request.user, poc=poc, clauses={})
    messages.success(request, _("The agreement starts from the team's template: adapt each "
                                "clause, then submit it for signature."))
    return redirect(plan_url(poc, tab="agreement", anchor="agreement"))


def _place_errors(error: ValidationFailed, form, rows: dict[str, list]) -> None:
    """Clause errors under their fields, `resources.N.field` errors on the row they name."""
    rest: ValidationFailed | None = error
    for prefix, prefix_rows in rows.items():
        rest = place_row_errors(prefix_rows, rest, prefix=prefix)
    if rest is not None:
        add_service_errors(form, rest)


@require_POST
@page
def agreement_save_page(request, poc_id: int):
    """Save every clause and both lists in one call; errors go back under their fields."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = AgreementForm(request.POST)
    resources = ResourceFormSet(request.POST, prefix="resources")
    costs = CostFormSet(request.POST, prefix="cost_lines",
                        form_kwargs={"currency": poc.opportunity.currency})
    valid = [form.is_valid(), resources.is_valid(), costs.is_valid()]
    if all(valid):
        rows = {"resources": list_rows(resources), "cost_lines": list_rows(costs)}
        try:
            agreement_save(actor=request.user, poc=poc, clauses=form.clauses(),
                           resources=[row for _form, row in rows["resources"]],
                           cost_lines=[row for _form, row in rows["cost_lines"]],
                           approve_duration=form.cleaned_data["approve_duration"])
        except ValidationFailed as error:
            _place_errors(error, form, rows)
        except ApplicationError as error:
            if error.code != "timebox_agreed":
                raise
            message = format_html('{} <a href="{}">{}</a>', error.message,
                                  reverse("web:poc_timebox", args=[poc.pk]) + "#extension-request",
                                  _("Request an extension"))
            for name in error.details.get("fields") or ("end_date",):
                form.add_error(name, message)
            return render_plan(request, poc, tab="agreement", status=409,
                               agreement_sent=(form, resources, costs))
        else:
            messages.success(request, _("Agreement saved."))
            return redirect(plan_url(poc, tab="agreement", anchor="agreement"))
    return render_plan(request, poc, tab="agreement", status=400,
                       agreement_sent=(form, resources, costs))


@require_POST
@page
def resource_status_page(request, poc_id: int, resource_id: int):
    """Mark a customer resource pending, ready or waived (inline, without a new version)."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    agreement = agreement_for_poc(poc=poc)
    resource = next((r for r in agreement.resources.all() if r.pk == resource_id),
                    None) if agreement else None
    if resource is None:
        raise NotFound()
    form = ResourceStatusForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            customer_resource_status_set(actor=request.user, resource=resource,
                                         status=form.cleaned_data["status"])
        except ValidationFailed as refusal:
            error = " ".join(m for ms in refusal.fields.values() for m in ms)
    else:
        error = _("Choose pending, ready or waived.")
    if getattr(request, "htmx", False):
        return render(request, "web/plan/agreement_tab.html#resource-row", {
            "poc": poc, "resource": resource, "can_edit": can_edit_plan(request.user, poc),
            "resource_statuses": ResourceStatus.choices, "row_error": error},
            status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("“%(resource)s” is now %(status)s.") % {
            "resource": resource.description,
            "status": str(ResourceStatus(resource.status).label).lower()})
    return redirect(plan_url(poc, tab="agreement", anchor="resources"))
