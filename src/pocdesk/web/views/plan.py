"""The POC plan page (§5): success criteria, the library, and the page's shared context.

Signatures and diffs are in `plan_signoff`, the agreement in `plan_agreement`.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocdesk.agreements.models import ResourceStatus
from pocdesk.core.errors import ValidationFailed
from pocdesk.core.reference import currency_choices
from pocdesk.criteria.selectors import (
    criteria_copy_sources,
    criterion_get,
    criterion_templates,
)
from pocdesk.criteria.services import (
    criteria_add_from_templates,
    criteria_copy_from_poc,
    criterion_create,
    criterion_delete,
    criterion_move,
    criterion_template_create,
    criterion_update,
)
from pocdesk.pocs.lifecycle import is_open
from pocdesk.pocs.selectors import poc_get
from pocdesk.signoffs.selectors import plan_versions
from pocdesk.stakeholders.models import Side
from pocdesk.stakeholders.selectors import stakeholder_list

from ..errors import add_service_errors, page
from ..plan_display import document_views, exit_context
from ..plan_forms import (
    AgreementForm,
    CopyFromPocForm,
    CostFormSet,
    CriterionForm,
    CustomerSignatureForm,
    LibraryForm,
    MoveForm,
    ResourceFormSet,
    SaveToLibraryForm,
    VendorSignatureForm,
)

TABS = ("criteria", "agreement")


def plan_url(poc, tab: str = "criteria", anchor: str = "") -> str:
    url = reverse("web:poc_plan", args=[poc.pk])
    if tab != "criteria":
        url += f"?tab={tab}"
    return url + (f"#{anchor}" if anchor else "")


def can_edit_plan(user, poc) -> bool:
    return is_open(poc) and user.has_perm("pocdesk.edit_poc", poc)


def customer_signatories(user, poc):
    return stakeholder_list(user=user, account_id=poc.opportunity.account_id, side=Side.CUSTOMER)


def signature_forms(user, poc, documents, sent=None) -> dict:
    """A vendor and a customer form for each document whose latest version awaits signatures;
    `sent` is {(kind, side): bound form} for the one sent back with errors."""
    sent = sent or {}
    forms = {}
    for kind, document in documents.items():
        latest = document.latest
        if latest is None or not latest.awaiting:
            continue
        forms[kind] = {}
        if latest.vendor is None:
            forms[kind]["vendor"] = sent.get((kind, "vendor")) or VendorSignatureForm(
                auto_id=f"id_{kind}_vendor_%s")
        if latest.customer is None:
            forms[kind]["customer"] = sent.get((kind, "customer")) or CustomerSignatureForm(
                stakeholders=customer_signatories(user, poc), auto_id=f"id_{kind}_customer_%s")
    return forms


def agreement_forms(agreement, currency: str):
    form = AgreementForm(initial=AgreementForm.initial_from(agreement))
    resources = ResourceFormSet(prefix="resources", initial=[
        {"key": str(r.key), "kind": r.kind, "description": r.description,
         "due_date": r.due_date} for r in agreement.resources.all()])
    costs = CostFormSet(prefix="cost_lines", form_kwargs={"currency": currency}, initial=[
        {"key": str(c.key), "category": c.category, "description": c.description,
         "amount": c.amount, "currency": c.currency, "paid_by": c.paid_by}
        for c in agreement.cost_lines.all()])
    return form, resources, costs


def plan_context(request, poc, *, tab: str = "criteria", signature_sent=None,
                 agreement_sent=None) -> dict:
    """Everything the plan page shows, with any form sent back with errors in place."""
    versions = list(plan_versions(poc=poc))
    documents = document_views(poc=poc, versions=versions)
    agreement = documents["agreement"].state.source
    can_edit = can_edit_plan(request.user, poc)
    context = {
        "poc": poc,
        "tab": tab if tab in TABS else "criteria",
        "criteria": documents["criteria"].state.source,
        "documents": documents,
        "criteria_document": documents["criteria"],
        "agreement_document": documents["agreement"],
        "agreement": agreement,
        **exit_context(poc=poc, agreement=agreement),
        "can_edit": can_edit,
        "resource_statuses": ResourceStatus.choices,
        "signature_forms": signature_forms(request.user, poc, documents, signature_sent)
        if can_edit else {},
        "to_library_form": SaveToLibraryForm(initial={
            "industry": poc.opportunity.account.industry}),
    }
    if agreement is not None and can_edit:
        form, resources, costs = agreement_sent or agreement_forms(
            agreement, poc.opportunity.currency)
        context.update(agreement_form=form, resource_formset=resources, cost_formset=costs,
                       currency_choices=currency_choices())
    return context


def render_plan(request, poc, *, status: int = 200, **kwargs):
    return render(request, "web/plan/page.html", plan_context(request, poc, **kwargs),
                  status=status)


@page
def poc_plan(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    return render_plan(request, poc, tab=request.GET.get("tab", "criteria"))


def _criterion_form_page(request, poc, *, criterion=None):
    initial = CriterionForm.initial_from(criterion) if criterion else None
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if criterion is None:
                saved = criterion_create(actor=request.user, poc=poc, **form.service_arguments())
                message = _("Success criterion “%(title)s” added.")
            else:
                saved = criterion_update(actor=request.user, criterion=criterion,
                                         **form.service_arguments())
                message = _("Success criterion “%(title)s” saved.")
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message % {"title": saved.title})
            return redirect(plan_url(poc, anchor=f"criterion-{saved.pk}"))
    status = 400 if form.errors else 200
    return render(request, "web/plan/criterion_form.html",
                  {"poc": poc, "form": form, "criterion": criterion}, status=status)


@page
def criterion_create_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    return _criterion_form_page(request, poc)


@page
def criterion_edit_page(request, poc_id: int, criterion_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    return _criterion_form_page(request, poc,
                                criterion=criterion_get(poc=poc, criterion_id=criterion_id))


@require_POST
@page
def criterion_delete_page(request, poc_id: int, criterion_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    criterion = criterion_get(poc=poc, criterion_id=criterion_id)
    criterion_delete(actor=request.user, criterion=criterion)
    messages.success(request, _("Success criterion “%(title)s” removed.") % {
        "title": criterion.title})
    return redirect(plan_url(poc, anchor="criteria"))


@require_POST
@page
def criterion_move_page(request, poc_id: int, criterion_id: int):
    """Move a criterion one place up or down in the draft."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    criterion = criterion_get(poc=poc, criterion_id=criterion_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        criterion_move(actor=request.user, criterion=criterion,
                       direction=form.cleaned_data["direction"])
    return redirect(plan_url(poc, anchor=f"criterion-{criterion.pk}"))


@require_POST
@page
def criterion_to_library_page(request, poc_id: int, criterion_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    criterion = criterion_get(poc=poc, criterion_id=criterion_id)
    form = SaveToLibraryForm(request.POST)
    if form.is_valid():
        try:
            criterion_template_create(actor=request.user, criterion=criterion,
                                      industry=form.cleaned_data["industry"])
        except ValidationFailed as error:
            messages.error(request, " ".join(m for ms in error.fields.values() for m in ms))
        else:
            messages.success(request, _("“%(title)s” is in the team's library now.") % {
                "title": criterion.title})
    return redirect(plan_url(poc, anchor=f"criterion-{criterion.pk}"))


def _library_context(request, poc, *, library_form=None, copy_form=None) -> dict:
    templates = criterion_templates(user=request.user, team_id=poc.team_id)
    library_form = library_form or LibraryForm(templates=templates)
    return {
        "poc": poc,
        "templates": list(templates),
        "q": request.GET.get("q", ""),
        "library_form": library_form,
        "selected": [str(value) for value in (library_form["templates"].value() or [])],
        "copy_form": copy_form or CopyFromPocForm(
            sources=criteria_copy_sources(user=request.user, exclude=poc)),
        "can_edit": can_edit_plan(request.user, poc),
    }


@page
def plan_library_page(request, poc_id: int):
    """Start the criteria from the team's library (checkboxes) or from another POC."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    if request.method != "POST":
        return render(request, "web/plan/library.html", _library_context(request, poc))
    form = LibraryForm(request.POST, templates=criterion_templates(user=request.user,
                                                                   team_id=poc.team_id))
    if form.is_valid():
        try:
            created = criteria_add_from_templates(actor=request.user, poc=poc,
                                                  templates=list(form.cleaned_data["templates"]))
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(count)d criteria added from the library.") % {
                "count": len(created)})
            return redirect(plan_url(poc, anchor="criteria"))
    return render(request, "web/plan/library.html",
                  _library_context(request, poc, library_form=form), status=400)


@require_POST
@page
def criteria_copy_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = CopyFromPocForm(request.POST, sources=criteria_copy_sources(user=request.user,
                                                                       exclude=poc))
    if form.is_valid():
        source = form.cleaned_data["source"]
        try:
            created = criteria_copy_from_poc(actor=request.user, poc=poc, source=source)
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(count)d criteria copied from “%(title)s”.") % {
                "count": len(created), "title": source.title})
            return redirect(plan_url(poc, anchor="criteria"))
    return render(request, "web/plan/library.html",
                  _library_context(request, poc, copy_form=form), status=400)
