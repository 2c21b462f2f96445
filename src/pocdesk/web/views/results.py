"""The results page of a POC (§3 evaluating → closed, §9, §11.1): what is still missing
before it closes and the button that closes it, the results and the customer's confirmation,
the report's texts, the cost lines and the ROI sheet, and the retrospective.

Every form posts to its own view; a refused one comes back on the page with the service's
errors under its fields (400), the other forms untouched. A closed POC's page is read-only,
except that cost lines may still be added (invoices arrive after closing).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pocdesk.core.errors import (
    ApplicationError,
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
)
from pocdesk.pocs.lifecycle import allowed_targets
from pocdesk.pocs.models import Status
from pocdesk.pocs.selectors import poc_get
from pocdesk.pocs.services import poc_transition
from pocdesk.results.rules import costs_editable, results_editable, roi_editable
from pocdesk.results.selectors import (
    closing_state,
    cost_entry_get,
    cost_summary,
    loss_reasons,
    roi_sheet,
    role_rates,
)
from pocdesk.results.services import (
    cost_entry_create,
    cost_entry_delete,
    cost_entry_update,
    result_save,
    retrospective_carry_risks,
    retrospective_save,
    risk_costs_save,
)

from ..errors import (
    add_formset_errors,
    add_service_errors,
    page,
    place_row_errors,
    refusal_html,
    refusal_redirect,
)
from ..results_display import (
    commercial_badge,
    derivation_display,
    final_report_url,
    payer_rows,
    results_url,
    role_rate_hints,
    status_flags,
    technical_badge,
    unmet_items,
)
from ..results_forms import (
    CostEntryForm,
    LessonFormSet,
    LessonRowForm,
    ResultForm,
    RetrospectiveForm,
    RiskFormSet,
    RiskRowForm,
    lesson_initial,
    risk_initial,
)
from ..timebox_forms import customer_choices, formset_rows

TEMPLATE = "web/results/page.html"
RISK_PREFIX, LESSON_PREFIX = "risks", "lessons"


def can_record_results(user, poc) -> bool:
    return results_editable(poc) and user.has_perm("pocdesk.transition_poc", poc)


def can_record_costs(user, poc) -> bool:
    return costs_editable(poc) and user.has_perm("pocdesk.edit_poc", poc)


def _currency(poc) -> str:
    return poc.opportunity.currency or ""


def results_context(request, poc, *, result_sent=None, cost_sent=None, risks_sent=None,
                    retro_sent=None, lessons_sent=None, refusal: str = "") -> dict:
    """Everything the results page shows, with the one form sent back with errors."""
    state = closing_state(poc=poc)
    costs = cost_summary(poc=poc)
    roi = roi_sheet(poc=poc, costs=costs)
    result, retrospective = state.result, state.retrospective
    can_record = can_record_results(request.user, poc)
    can_cost = can_record_costs(request.user, poc)
    currency = _currency(poc)
    lessons = list(retrospective.lessons.all()) if retrospective else []
    context = {
        "poc": poc,
        "state": state,
        "derivation": derivation_display(state.derivation),
        "unmet": unmet_items(poc, state.unmet),
        "result": result,
        "technical": technical_badge(result.technical_result if result else ""),
        "commercial": commercial_badge(result.commercial_result if result else ""),
        "retrospective": retrospective,
        "lessons": lessons,
        "costs": costs,
        "roi": roi,
        "can_record": can_record,
        "can_cost": can_cost,
        "can_close": request.user.has_perm("pocdesk.transition_poc", poc),
        **status_flags(poc),
        "refusal": refusal,
        "final_report_url": final_report_url(poc),
        "can_evaluate": Status.EVALUATING in allowed_targets(poc.status),
        "payer_rows": payer_rows(costs.by_payer),
    }
    if can_record:
        context["result_form"] = result_sent or ResultForm(
            reasons=loss_reasons(), customers=customer_choices(poc),
            initial=ResultForm.initial_from(result, derived=state.derivation.result,
                                            currency=currency))
        context["derived_value"] = state.derivation.result
        context["retro_form"] = retro_sent or RetrospectiveForm(initial={
            "went_well": retrospective.went_well if retrospective else "",
            "to_improve": retrospective.to_improve if retrospective else ""})
        context["lesson_formset"] = lessons_sent or LessonFormSet(
            prefix=LESSON_PREFIX, initial=lesson_initial(lessons),
            form_kwargs={"industry": poc.opportunity.account.industry})
    # The ROI sheet is edited while the POC is open; once closed it is shown as the record.
    if can_cost and roi_editable(poc):
        context["risk_formset"] = risks_sent or RiskFormSet(
            prefix=RISK_PREFIX, initial=risk_initial(roi.risks),
            form_kwargs={"currency": currency})
    if can_cost:
        context["cost_form"] = cost_sent or CostEntryForm()
        context["role_rates"] = rates = role_rates(team=poc.team)
        context["role_rate_hints"] = role_rate_hints(rates)
    return context


def render_results(request, poc, *, status: int = 200, **kwargs):
    return render(request, TEMPLATE, results_context(request, poc, **kwargs), status=status)


def _refused(request, poc, error: ApplicationError, *, anchor: str):
    return refusal_redirect(request, error, results_url(poc, anchor))


def _save(request, poc, *, valid: bool, save: Callable, place_errors: Callable,
          anchor: str, success: Callable[[object], str], then: str | None = None
          ) -> HttpResponse | None:
    """One form's POST: when `valid`, call the service (`save`); its field errors go back on
    the form (`place_errors`), another refusal is a message on the page at `anchor`, success
    a message and a redirect to `then`. None: the caller renders the form back (400)."""
    if not valid:
        return None
    try:
        saved = save()
    except ValidationFailed as error:
        place_errors(error)
        return None
    except ApplicationError as error:
        return _refused(request, poc, error, anchor=anchor)
    messages.success(request, success(saved))
    return redirect(results_url(poc, then or anchor))


@page
def poc_results(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    return render_results(request, poc)


@require_POST
@page
def poc_close_page(request, poc_id: int):
    """Close the POC: the lifecycle's own transition, whose guard is the close checks."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    try:
        poc = poc_transition(actor=request.user, poc=poc, to=Status.CLOSED)
    except TransitionRefused as refusal:
        return render_results(request, poc, status=409, refusal=refusal_html(
            refusal, heading=_("The POC cannot close yet:")))
    except ApplicationError as error:
        return _refused(request, poc, error, anchor="close")
    messages.success(request, _("The POC is closed. Its results are now the record."))
    return redirect(results_url(poc))


@require_POST
@page
def result_save_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = ResultForm(request.POST, reasons=loss_reasons(), customers=customer_choices(poc))
    return _save(
        request, poc, valid=form.is_valid(),
        save=lambda: result_save(actor=request.user, poc=poc, **form.service_arguments()),
        place_errors=lambda error: add_service_errors(form, error),
        anchor="results", then="close", success=lambda _result: _("Results saved."),
    ) or render_results(request, poc, status=400, result_sent=form)


@require_POST
@page
def cost_create_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = CostEntryForm(request.POST)
    return _save(
        request, poc, valid=form.is_valid(),
        save=lambda: cost_entry_create(actor=request.user, poc=poc,
                                       **form.service_arguments()),
        place_errors=lambda error: add_service_errors(form, error),
        anchor="costs",
        success=lambda entry: _("Cost line “%(line)s” added.") % {"line": entry.description},
    ) or render_results(request, poc, status=400, cost_sent=form)


@page
def cost_edit_page(request, poc_id: int, cost_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    entry = cost_entry_get(poc=poc, cost_id=cost_id)
    if not can_record_costs(request.user, poc):
        raise PermissionDenied()
    if request.method == "POST":
        form = CostEntryForm(request.POST, prefix_id="cost_edit")
        response = _save(
            request, poc, valid=form.is_valid(),
            save=lambda: cost_entry_update(actor=request.user, entry=entry,
                                           **form.service_arguments()),
            place_errors=lambda error: add_service_errors(form, error),
            anchor="costs", success=lambda _entry: _("Cost line saved."))
        if response is not None:
            return response
        status = 400
    else:
        form = CostEntryForm(initial=CostEntryForm.initial_from(entry), prefix_id="cost_edit")
        status = 200
    rates = role_rates(team=poc.team)
    return render(request, "web/results/cost_edit.html", {
        "poc": poc, "entry": entry, "form": form, "role_rates": rates,
        "role_rate_hints": role_rate_hints(rates)}, status=status)


@require_POST
@page
def cost_delete_page(request, poc_id: int, cost_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    entry = cost_entry_get(poc=poc, cost_id=cost_id)
    try:
        cost_entry_delete(actor=request.user, entry=entry)
    except ApplicationError as error:
        return _refused(request, poc, error, anchor="costs")
    messages.success(request, _("Cost line “%(line)s” deleted.") % {"line": entry.description})
    return redirect(results_url(poc, "costs"))


@require_POST
@page
def risk_costs_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    formset = RiskFormSet(request.POST, prefix=RISK_PREFIX,
                          form_kwargs={"currency": _currency(poc)})
    valid = formset.is_valid()
    rows = formset_rows(formset, RiskRowForm.FIELDS) if valid else []

    def place_errors(error: ValidationFailed) -> None:
        add_formset_errors(formset, place_row_errors(rows, error, prefix="rows"))

    return _save(
        request, poc, valid=valid,
        save=lambda: risk_costs_save(actor=request.user, poc=poc,
                                     rows=[row for _form, row in rows]),
        place_errors=place_errors, anchor="roi", success=lambda _risks: _("ROI sheet saved."),
    ) or render_results(request, poc, status=400, risks_sent=formset)


@require_POST
@page
def retrospective_page(request, poc_id: int):
    """Save the retrospective as a draft, or submit it (`action=submit`)."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = RetrospectiveForm(request.POST)
    formset = LessonFormSet(request.POST, prefix=LESSON_PREFIX)
    submit = request.POST.get("action") == "submit"
    valid = form.is_valid() and formset.is_valid()
    rows = formset_rows(formset, LessonRowForm.FIELDS) if valid else []

    def place_errors(error: ValidationFailed) -> None:
        """Row errors on their rows, the list's own above the rows, the others on the form."""
        rest = place_row_errors(rows, error, prefix="lessons")
        if rest is None:
            return
        about_lessons = {name for name in rest.fields if name.partition(".")[0] == "lessons"}
        add_formset_errors(formset, ValidationFailed(
            {name: rest.fields[name] for name in about_lessons}))
        add_service_errors(form, ValidationFailed(
            {name: value for name, value in rest.fields.items() if name not in about_lessons}))

    return _save(
        request, poc, valid=valid,
        save=lambda: retrospective_save(
            actor=request.user, poc=poc, submit=submit,
            went_well=form.cleaned_data["went_well"], to_improve=form.cleaned_data["to_improve"],
            lessons=[row for _form, row in rows]),
        place_errors=place_errors, anchor="retrospective",
        success=lambda _retrospective: (_("Retrospective submitted.") if submit
                                        else _("Retrospective saved as a draft.")),
    ) or render_results(request, poc, status=400, retro_sent=form, lessons_sent=formset)


@require_POST
@page
def carry_risks_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    try:
        carried = retrospective_carry_risks(actor=request.user, poc=poc)
    except ApplicationError as error:
        return _refused(request, poc, error, anchor="retrospective")
    if carried:
        messages.success(request, ngettext(
            "%(count)d risk-memo item carried over from the log.",
            "%(count)d risk-memo items carried over from the log.", len(carried))
            % {"count": len(carried)})
    else:
        messages.info(request, _("No new risk in the log to carry over."))
    return redirect(results_url(poc, "retrospective"))
