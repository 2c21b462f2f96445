"""The timebox page of a POC (§6): its timeline, milestone plan, extensions and exit clause.

Every change goes through a timebox service; refusals come back under the field they name, or
at the top of the page for a 409 (an extension already pending, a decided request...).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.pocs.lifecycle import is_open
from pocdesk.pocs.selectors import poc_get
from pocdesk.timebox.models import ExitDecisionKind, MilestoneStatus
from pocdesk.timebox.selectors import (
    extension_get,
    extensions_for_poc,
    milestone_get,
    milestone_plan_proposal,
    milestones_for_poc,
    timebox_summary,
)
from pocdesk.timebox.services import (
    EXTENSIBLE_STATUSES,
    exit_decision_record,
    extension_decide,
    extension_limits,
    extension_request,
    milestone_plan_save,
    milestone_update,
)

from ..errors import add_service_errors, is_htmx_swap, page, place_row_errors
from ..timebox_display import (
    build_timeline,
    decorate_milestones,
    exit_allowance,
    extension_count_text,
    next_milestone_text,
    short_date,
    summary_badges,
)
from ..timebox_forms import (
    ExitDecisionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    MilestoneDoneForm,
    MilestoneFormSet,
    MilestoneStatusForm,
    customer_choices,
    initial_rows_from_milestones,
    initial_rows_from_proposal,
    member_choices,
    plan_rows,
)

TEMPLATE = "web/timebox/page.html"


def timebox_url(poc, anchor: str = "") -> str:
    return reverse("web:poc_timebox", args=[poc.pk]) + (f"#{anchor}" if anchor else "")


def can_edit_timebox(user, poc) -> bool:
    return is_open(poc) and user.has_perm("pocdesk.edit_poc", poc)


def plan_formset(poc, milestones, *, data=None, initial=None):
    """The plan editor: its rows offer the team's members and the deal's customer people."""
    return MilestoneFormSet(data, prefix="milestones", initial=initial, form_kwargs={
        "members": member_choices(poc), "customers": customer_choices(poc),
        "milestones": {str(m.key): m for m in milestones}})


def timebox_context(request, poc, *, editor=None, editor_mode: str = "", plan_errors=(),
                    done_form=None, request_form=None, decision_form=None, exit_form=None,
                    refusal: str = "") -> dict:
    """Everything the timebox page shows, with any form sent back with errors in place."""
    user = request.user
    today = timezone.localdate()
    milestones = decorate_milestones(milestones_for_poc(poc=poc, today=today))
    extensions = extensions_for_poc(poc=poc)
    summary = timebox_summary(poc=poc, milestones=milestones, extensions=extensions,
                              today=today)
    can_edit = can_edit_timebox(user, poc)
    can_manage = is_open(poc) and user.has_perm("pocdesk.manage_team", poc)
    pending = summary.pending_extension
    customers = customer_choices(poc) if can_edit else []
    for milestone in milestones:
        milestone.done_form = None
        if can_edit and milestone.status == MilestoneStatus.PLANNED:
            milestone.done_form = (done_form if done_form is not None
                                   and done_form.milestone.pk == milestone.pk
                                   else MilestoneDoneForm(milestone=milestone,
                                                          customers=customers))
    if pending is not None and can_manage and decision_form is None:
        decision_form = ExtensionDecisionForm(extension=pending,
                                              limits=extension_limits(poc=poc))
    return {
        "poc": poc,
        "summary": summary,
        "timebox": {"summary": summary},
        "milestones": milestones,
        "extensions": list(reversed(extensions)),
        "timeline": build_timeline(poc=poc, summary=summary, milestones=milestones,
                                   extensions=extensions),
        "badges": summary_badges(summary, poc=poc),
        "next_milestone": next_milestone_text(summary),
        "extension_count": extension_count_text(summary),
        "exit": summary.exit,
        "exit_decision": summary.exit_decision,
        "exit_allowance": exit_allowance(summary),
        "exit_form": exit_form,
        "can_edit": can_edit,
        "can_manage": can_manage,
        "extensible": poc.status in EXTENSIBLE_STATUSES,
        "can_request_extension": (can_edit and poc.status in EXTENSIBLE_STATUSES
                                  and pending is None),
        "request_form": request_form or ExtensionRequestForm(current_end=poc.end_date),
        "decision_form": decision_form if can_manage else None,
        "editor": editor,
        "editor_mode": editor_mode,
        "plan_errors": list(plan_errors),
        "refusal": refusal,
        "today": today,
    }


def render_timebox(request, poc, *, status: int = 200, partial: str = "", **kwargs):
    template = f"{TEMPLATE}#{partial}" if partial else TEMPLATE
    return render(request, template, timebox_context(request, poc, **kwargs), status=status)


@page
def poc_timebox(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    return render_timebox(request, poc)


# -- the milestone plan -----------------------------------------------------------------------


def _require_edit(request, poc) -> None:
    if not can_edit_timebox(request.user, poc):
        raise PermissionDenied()


def _render_editor(request, poc, *, editor, mode: str, status: int = 200, plan_errors=()):
    """The milestones card in edit mode: alone for htmx, in the whole page otherwise."""
    return render_timebox(request, poc, status=status, editor=editor, editor_mode=mode,
                          plan_errors=plan_errors,
                          partial="milestones-card" if is_htmx_swap(request) else "")


@page
def milestone_plan_propose_page(request, poc_id: int):
    """The §6 plan computed from the POC's dates, in the editor, not saved yet."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    _require_edit(request, poc)
    milestones = milestones_for_poc(poc=poc)
    if poc.start_date and poc.end_date and poc.end_date >= poc.start_date:
        initial = initial_rows_from_proposal(milestone_plan_proposal(poc=poc))
        mode = "proposal"
    else:
        initial, mode = [], "manual"
    return _render_editor(request, poc, editor=plan_formset(poc, milestones, initial=initial),
                          mode=mode)


def _place_plan_errors(error: ValidationFailed, rows) -> list[str]:
    """`milestones.N.field` errors under the field of row N; the others for the whole plan."""
    rest = place_row_errors(rows, error, prefix="milestones")
    return [message for messages in (rest.fields.values() if rest else ())
            for message in messages]


@page
def milestone_plan_page(request, poc_id: int):
    """Edit the plan (GET), or save every row of the editor in one call (POST)."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    _require_edit(request, poc)
    milestones = milestones_for_poc(poc=poc)
    if request.method != "POST":
        editor = plan_formset(poc, milestones, initial=initial_rows_from_milestones(milestones))
        return _render_editor(request, poc, editor=editor,
                              mode="plan" if milestones else "manual")
    editor = plan_formset(poc, milestones, data=request.POST)
    mode = request.POST.get("mode", "plan")
    plan_errors: list[str] = []
    if editor.is_valid():
        rows = plan_rows(editor)
        try:
            saved = milestone_plan_save(actor=request.user, poc=poc,
                                        rows=[row for _form, row in rows])
        except ValidationFailed as error:
            plan_errors = _place_plan_errors(error, rows)
        else:
            messages.success(request, _("Milestone plan saved: %(count)s milestones.") % {
                "count": len(saved)})
            return redirect(timebox_url(poc, "milestones"))
    return render_timebox(request, poc, status=400, editor=editor,
                          editor_mode=mode if mode in ("plan", "proposal", "manual") else "plan",
                          plan_errors=plan_errors)


@require_POST
@page
def milestone_done_page(request, poc_id: int, key: str):
    """Mark a milestone done, with the customer's witness and the evidence."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    milestone = milestone_get(poc=poc, key=key)
    milestone.poc = poc
    customers = customer_choices(poc) if milestone.customer_witness else []
    form = MilestoneDoneForm(request.POST, request.FILES, milestone=milestone,
                             customers=customers)
    if form.is_valid():
        try:
            milestone_update(actor=request.user, milestone=milestone,
                             evidence_upload=form.cleaned_data.get("evidence_file"),
                             **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(milestone)s” is done.") % {
                "milestone": milestone.label})
            return redirect(timebox_url(poc, f"milestone-{milestone.key}"))
    return render_timebox(request, poc, status=400, done_form=form)


@require_POST
@page
def milestone_status_page(request, poc_id: int, key: str):
    """Skip a milestone, or plan a skipped one again."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    milestone = milestone_get(poc=poc, key=key)
    milestone.poc = poc
    form = MilestoneStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to skip the milestone or to plan it again."))
    else:
        status = form.cleaned_data["status"]
        try:
            milestone_update(actor=request.user, milestone=milestone, status=status)
        except ValidationFailed as error:
            messages.error(request, " ".join(m for ms in error.fields.values() for m in ms))
        else:
            messages.success(request, (_("“%(milestone)s” skipped.")
                                       if status == MilestoneStatus.SKIPPED
                                       else _("“%(milestone)s” is planned again.")) % {
                "milestone": milestone.label})
    return redirect(timebox_url(poc, f"milestone-{milestone.key}"))


# -- extensions -------------------------------------------------------------------------------


def _conflict(error: ApplicationError) -> str:
    """The message of a 409 refusal; any other refusal goes on to the error pages."""
    if error.status != 409 or isinstance(error, ValidationFailed):
        raise error
    return error.message


@require_POST
@page
def extension_request_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = ExtensionRequestForm(request.POST, current_end=poc.end_date)
    status, refusal = 400, ""
    if form.is_valid():
        try:
            extension = extension_request(actor=request.user, poc=poc, **form.cleaned_data)
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            status, refusal = 409, _conflict(error)
        else:
            messages.success(request, _(
                "Extension to %(date)s requested: a manager of the team decides on it.") % {
                "date": short_date(extension.requested_end)})
            return redirect(timebox_url(poc, "extensions"))
    return render_timebox(request, poc, status=status, request_form=form, refusal=refusal)


@require_POST
@page
def extension_decide_page(request, poc_id: int, extension_id: int):
    """A manager approves or refuses the pending extension (403 for anybody else)."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    extension = extension_get(poc=poc, pk=extension_id)
    extension.poc = poc
    form = ExtensionDecisionForm(request.POST, extension=extension,
                                 limits=extension_limits(poc=poc))
    status, refusal = 400, ""
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            extension = extension_decide(
                actor=request.user, extension=extension, approve=approve,
                note=form.cleaned_data["note"],
                beyond_policy=bool(form.cleaned_data.get("beyond_policy")))
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            status, refusal = 409, _conflict(error)
            form = None
        else:
            if approve:
                messages.success(request, _(
                    "Extension approved: the POC now ends on %(date)s.") % {
                    "date": short_date(extension.requested_end)})
            else:
                messages.success(request, _("Extension refused."))
            return redirect(timebox_url(poc, "extensions"))
    else:
        if not request.user.has_perm("pocdesk.manage_team", poc):
            raise PermissionDenied()
    return render_timebox(request, poc, status=status, decision_form=form, refusal=refusal)


# -- the exit clause --------------------------------------------------------------------------


@require_POST
@page
def exit_decision_page(request, poc_id: int):
    """Record the decision once the exit clause is reached: stop, renegotiate or extend."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = ExitDecisionForm(request.POST)
    status, refusal = 400, ""
    if form.is_valid():
        try:
            record = exit_decision_record(actor=request.user, poc=poc,
                                          decision=form.cleaned_data["decision"],
                                          note=form.cleaned_data["note"],
                                          requested_end=form.cleaned_data["requested_end"])
        except ValidationFailed as error:
            # With "extend", the note is the extension's reason.
            add_service_errors(form, ValidationFailed({
                "note" if name == "reason" else name: field_messages
                for name, field_messages in error.fields.items()}))
        except ApplicationError as error:
            status, refusal = 409, _conflict(error)
            form.add_error(None, refusal)
        else:
            messages.success(request, _("Exit decision recorded: %(decision)s.") % {
                "decision": ExitDecisionKind(record.decision).label})
            return redirect(timebox_url(poc, "exit"))
    return render_timebox(request, poc, status=status, exit_form=form, refusal=refusal)
