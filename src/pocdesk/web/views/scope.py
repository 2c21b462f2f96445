"""The scope page of a POC: scope-change requests (§7) and the commitments register (§8.4).

Every form posts to its own view; a refused one comes back on the page with the service's
errors under its fields, the other forms untouched.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocdesk.core.errors import (
    ApplicationError,
    PermissionDenied,
    ValidationFailed,
)
from pocdesk.core.reference import currency_choices
from pocdesk.people.roles import team_roles
from pocdesk.people.selectors import team_members
from pocdesk.pocs.lifecycle import is_open
from pocdesk.pocs.selectors import poc_get
from pocdesk.qualification.selectors import decision_chain_stakeholders
from pocdesk.scope.models import ChangeDecision, CommitmentStatus, ScopeChange
from pocdesk.scope.selectors import (
    commitment_get,
    commitments_for_poc,
    roadmap_items,
    scope_change_get,
    scope_changes_for_poc,
    scope_creep,
)
from pocdesk.scope.services import (
    commitment_create,
    commitment_resolve,
    commitment_update,
    scope_change_create,
    scope_change_decide,
    scope_change_update,
)
from pocdesk.stakeholders.models import Side

from ..errors import add_service_errors, page, refusal_redirect
from ..scope_display import CreepGauge, decorate_changes, decorate_commitments
from ..scope_forms import (
    CommitmentForm,
    CommitmentResolveForm,
    ScopeChangeForm,
    ScopeDecisionForm,
    change_initial,
    commitment_initial,
    freeze_choices,
    share_choices,
)

TABS = ("changes", "commitments")


def scope_url(poc, tab: str = "changes", anchor: str = "") -> str:
    url = reverse("web:poc_scope", args=[poc.pk])
    if tab != "changes":
        url += f"?tab={tab}"
    return url + (f"#{anchor}" if anchor else "")


def _customers(poc):
    return decision_chain_stakeholders(opportunity=poc.opportunity).filter(side=Side.CUSTOMER)


def _is_member(user, poc) -> bool:
    return poc.team_id in team_roles(user)


def change_form(request, poc, data=None) -> ScopeChangeForm:
    return ScopeChangeForm(data, poc=poc, customers=_customers(poc))


def commitment_form(request, poc, data=None) -> CommitmentForm:
    return CommitmentForm(
        data, poc=poc, customers=_customers(poc), members=team_members(team_ids=[poc.team_id]),
        changes=ScopeChange.objects.filter(poc=poc).order_by("requested_on", "id"),
        made_by=request.user if _is_member(request.user, poc) else None)


def change_edit_form(request, poc, change, data=None) -> ScopeChangeForm:
    """The request form again, prefixed per request and prefilled with what was recorded."""
    return ScopeChangeForm(data, poc=poc, customers=_customers(poc),
                           prefix=f"edit-change{change.pk}", auto_id="id_%s",
                           initial=change_initial(change))


def commitment_edit_form(request, poc, commitment, data=None) -> CommitmentForm:
    """The commitment form again, prefixed per commitment and prefilled with its values."""
    return CommitmentForm(
        data, poc=poc, customers=_customers(poc), members=team_members(team_ids=[poc.team_id]),
        changes=ScopeChange.objects.filter(poc=poc).order_by("requested_on", "id"),
        prefix=f"edit-commitment{commitment.pk}", auto_id="id_%s",
        initial=commitment_initial(commitment))


def decision_form(request, poc, change, data=None) -> ScopeDecisionForm:
    return ScopeDecisionForm(data, change=change, currency=poc.opportunity.currency,
                             is_manager=request.user.has_perm("pocdesk.manage_team", poc))


def scope_context(request, poc, *, tab: str = "changes", change_sent=None, decision_sent=None,
                  commitment_sent=None, resolve_sent=None, change_edit_sent=None,
                  commitment_edit_sent=None) -> dict:
    """Everything the scope page shows, with the one form sent back with errors in place."""
    now = timezone.now()
    changes = decorate_changes(scope_changes_for_poc(poc=poc))
    commitments = decorate_commitments(commitments_for_poc(poc=poc, now=now), now)
    creep = scope_creep(poc=poc, changes=changes)
    can_edit = is_open(poc) and request.user.has_perm("pocdesk.edit_poc", poc)
    context = {
        "poc": poc,
        "tab": tab if tab in TABS else "changes",
        "changes": changes,
        "roadmap": roadmap_items(changes),
        "creep": creep,
        "gauge": CreepGauge(creep),
        "commitments": commitments,
        "overdue_count": sum(1 for c in commitments if c.overdue),
        "open_count": sum(1 for c in commitments if c.status == CommitmentStatus.OPEN),
        "can_edit": can_edit,
        "is_over": not is_open(poc),
        "can_set_effort": request.user.has_perm("pocdesk.edit_poc", poc),
        "time_zone": timezone.get_current_timezone_name(),
        "resolve_statuses": CommitmentResolveForm.STATUSES,
    }
    if can_edit:
        decision_sent = decision_sent or {}
        resolve_sent = resolve_sent or {}
        change_edit_sent = change_edit_sent or {}
        commitment_edit_sent = commitment_edit_sent or {}
        new_change = change_sent or change_form(request, poc)
        new_commitment = commitment_sent or commitment_form(request, poc)
        # The pickers are read once for the page, however many forms show them.
        change_choices = freeze_choices(new_change, ["requested_by"])
        commitment_choices = freeze_choices(new_commitment,
                                            ["made_to", "made_by", "scope_change"])
        for change in changes:
            change.form = (decision_sent.get(change.pk) or decision_form(request, poc, change)
                           if change.awaiting else None)
            edit = change_edit_sent.get(change.pk) or (
                change_edit_form(request, poc, change)
                if change.decision == ChangeDecision.PENDING else None)
            change.edit_form = (share_choices(edit, change_choices) if edit is not None
                                else None)
        for commitment in commitments:
            is_open_commitment = commitment.status == CommitmentStatus.OPEN
            commitment.form = (resolve_sent.get(commitment.pk)
                               or CommitmentResolveForm(commitment=commitment)
                               if is_open_commitment else None)
            edit = commitment_edit_sent.get(commitment.pk) or (
                commitment_edit_form(request, poc, commitment) if is_open_commitment else None)
            commitment.edit_form = (share_choices(edit, commitment_choices) if edit is not None
                                    else None)
        context.update(
            change_form=new_change,
            commitment_form=new_commitment,
            currency_choices=currency_choices())
    return context


def render_scope(request, poc, *, status: int = 200, **kwargs):
    return render(request, "web/scope/page.html", scope_context(request, poc, **kwargs),
                  status=status)


def _refused(request, poc, error: ApplicationError, *, tab: str, anchor: str):
    """A refusal that is neither a field error nor a 403/404 (a closed POC): a message."""
    return refusal_redirect(request, error, scope_url(poc, tab=tab, anchor=anchor))


def _row_submit(request, poc, form, *, save, success, tab: str, anchor: str, sent: str, key):
    """A form on one request or commitment: field errors come back under its fields (400), a
    refused permission on the form itself (403), another refusal as a message; on success, a
    message and back to the row."""
    status = 400
    if form.is_valid():
        try:
            saved = save(**form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            # Deciding and correcting are open to the team, paid scope is not: say so there.
            form.add_error(None, error.message)
            status = 403
        except ApplicationError as error:
            return _refused(request, poc, error, tab=tab, anchor=anchor)
        else:
            messages.success(request, success(saved))
            return redirect(scope_url(poc, tab=tab, anchor=anchor))
    return render_scope(request, poc, tab=tab, status=status, **{sent: {key: form}})


@page
def poc_scope(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    return render_scope(request, poc, tab=request.GET.get("tab", "changes"))


@require_POST
@page
def scope_change_create_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = change_form(request, poc, request.POST)
    if form.is_valid():
        try:
            change = scope_change_create(actor=request.user, poc=poc,
                                         **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return _refused(request, poc, error, tab="changes", anchor="changes")
        else:
            messages.success(request, _("Request “%(text)s” recorded: it awaits a decision.")
                             % {"text": change})
            return redirect(scope_url(poc, anchor=f"change-{change.pk}"))
    return render_scope(request, poc, status=400, change_sent=form)


@require_POST
@page
def scope_change_decide_page(request, poc_id: int, change_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    change = scope_change_get(poc=poc, pk=change_id)

    def success(change) -> str:
        message = (_("“%(text)s” accepted without a budget: your override is recorded.")
                   if change.override else _("“%(text)s”: %(decision)s."))
        return message % {"text": change,
                          "decision": ChangeDecision(change.decision).label.lower()}

    return _row_submit(
        request, poc, decision_form(request, poc, change, request.POST),
        save=lambda **values: scope_change_decide(actor=request.user, change=change, **values),
        success=success, tab="changes", anchor=f"change-{change.pk}", sent="decision_sent",
        key=change.pk)


@require_POST
@page
def commitment_create_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = commitment_form(request, poc, request.POST)
    if form.is_valid():
        try:
            commitment = commitment_create(actor=request.user, poc=poc,
                                           **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return _refused(request, poc, error, tab="commitments", anchor="commitments")
        else:
            messages.success(request, _("Commitment “%(text)s” registered (due %(due)s).") % {
                "text": commitment,
                "due": date_format(timezone.localtime(commitment.due_at),
                                   "SHORT_DATETIME_FORMAT")})
            return redirect(scope_url(poc, tab="commitments",
                                      anchor=f"commitment-{commitment.pk}"))
    return render_scope(request, poc, tab="commitments", status=400, commitment_sent=form)


@require_POST
@page
def commitment_resolve_page(request, poc_id: int, commitment_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    commitment = commitment_get(poc=poc, pk=commitment_id)
    form = CommitmentResolveForm(request.POST, commitment=commitment)
    if form.is_valid():
        try:
            commitment = commitment_resolve(actor=request.user, commitment=commitment,
                                            status=form.cleaned_data["status"],
                                            note=form.cleaned_data["note"])
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return _refused(request, poc, error, tab="commitments",
                            anchor=f"commitment-{commitment.pk}")
        else:
            messages.success(request, _("Commitment “%(text)s”: %(status)s.") % {
                "text": commitment,
                "status": CommitmentStatus(commitment.status).label.lower()})
            return redirect(scope_url(poc, tab="commitments",
                                      anchor=f"commitment-{commitment.pk}"))
    return render_scope(request, poc, tab="commitments", status=400,
                        resolve_sent={commitment.pk: form})


@require_POST
@page
def scope_change_edit_page(request, poc_id: int, change_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    change = scope_change_get(poc=poc, pk=change_id)
    return _row_submit(
        request, poc, change_edit_form(request, poc, change, request.POST),
        save=lambda **values: scope_change_update(actor=request.user, change=change, **values),
        success=lambda change: _("Request “%(text)s” corrected.") % {"text": change},
        tab="changes", anchor=f"change-{change.pk}", sent="change_edit_sent", key=change.pk)


@require_POST
@page
def commitment_edit_page(request, poc_id: int, commitment_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    commitment = commitment_get(poc=poc, pk=commitment_id)
    return _row_submit(
        request, poc, commitment_edit_form(request, poc, commitment, request.POST),
        save=lambda **values: commitment_update(actor=request.user, commitment=commitment,
                                                **values),
        success=lambda commitment: _("Commitment “%(text)s” corrected.") % {"text": commitment},
        tab="commitments", anchor=f"commitment-{commitment.pk}", sent="commitment_edit_sent",
        key=commitment.pk)
