"""The win probability card (§10) of the opportunity page: the latest assessment, the chart of
the history, the past assessments, and the form that records one.

The form posts here; a refused one comes back on the opportunity page with the service's
errors under its fields (400), a refusal of another kind (the deal closed) as a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.insights.assessments import (
    assessment_chart,
    assessment_delete,
    assessment_get,
    assessment_history,
    assessment_may_delete,
    assessment_record,
)
from pocdesk.insights.scoring import (
    score_data,
    score_override,
    score_override_clear,
    scores_refresh,
    stored_score,
)
from pocdesk.opportunities.selectors import opportunity_get
from pocdesk.pocs.selectors import poc_list

from ..assessment_forms import AssessmentForm, ScoreOverrideForm
from ..errors import add_service_errors, page, refusal_redirect

CARD_ANCHOR = "win-probability"
# Bootstrap theme colours: the surer the assessment, the stronger its point and badge.
CONFIDENCE_COLOURS = {"low": "secondary", "medium": "info", "high": "primary"}


def _card_url(opportunity) -> str:
    return reverse("web:opportunity_detail", args=[opportunity.pk]) + "#" + CARD_ANCHOR


def _form(request, opportunity, *, data=None, poc=None) -> AssessmentForm:
    pocs = poc_list(user=request.user, opportunity_id=opportunity.pk, ordering="-created")
    form = AssessmentForm(data, pocs=pocs)
    if poc is not None and data is None:
        form.initial["poc"] = poc.pk
    return form


def _chart(opportunity, history) -> dict:
    chart = assessment_chart(opportunity=opportunity, assessments=history)
    chart["labels"] = [date_format(assessment.activity_date, "SHORT_DATE_FORMAT")
                       for assessment in reversed(history)]
    chart["colours"] = CONFIDENCE_COLOURS
    chart["text"] = {"probability": _("Win probability"), "confidence": _("Confidence"),
                     "rationale": _("Rationale")}
    return chart


def assessment_card_context(request, opportunity, *, form=None, poc=None) -> dict:
    """What web/includes/assessment_card.html shows, for the opportunity page or a POC page
    (`poc` preselects that POC in the form)."""
    history = assessment_history(opportunity=opportunity)
    can_record = opportunity.is_active and request.user.has_perm("pocdesk.edit_poc",
                                                                 opportunity)
    if can_record and form is None:
        form = _form(request, opportunity, poc=poc)
    return {"assessment_card": {
        "opportunity": opportunity,
        "latest": history[0] if history else None,
        "history": history,
        "deletable": {assessment.pk for assessment in history
                      if assessment_may_delete(actor=request.user, assessment=assessment)},
        "chart": _chart(opportunity, history),
        "form": form if can_record else None,
        "closed": not opportunity.is_active,
        "colours": CONFIDENCE_COLOURS,
        "score": score_data(stored_score(opportunity=opportunity)),
        "can_override": can_record,
        "override_form": ScoreOverrideForm(),
    }}


@require_POST
@page
def assessment_record_page(request, opportunity_id: int):
    opportunity = opportunity_get(user=request.user, opportunity_id=opportunity_id)
    form = _form(request, opportunity, data=request.POST)
    if form.is_valid():
        try:
            assessment = assessment_record(actor=request.user, opportunity=opportunity,
                                           **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return refusal_redirect(request, error, _card_url(opportunity))
        else:
            messages.success(request, _("Win probability of %(probability)d%% recorded.") % {
                "probability": assessment.probability})
            return redirect(_card_url(opportunity))
    from .opportunities import opportunity_detail_context  # the page imports this module

    return render(request, "web/opportunities/detail.html",
                  opportunity_detail_context(request, opportunity, assessment_form=form),
                  status=400)


@require_POST
@page
def assessment_delete_page(request, opportunity_id: int, assessment_id: int):
    opportunity = opportunity_get(user=request.user, opportunity_id=opportunity_id)
    assessment = assessment_get(opportunity=opportunity, assessment_id=assessment_id)
    try:
        assessment_delete(actor=request.user, assessment=assessment)
    except ApplicationError as error:
        return refusal_redirect(request, error, _card_url(opportunity))
    messages.success(request, _("The assessment of %(probability)d%% was deleted.") % {
        "probability": assessment.probability})
    return redirect(_card_url(opportunity))


@require_POST
@page
def score_refresh_page(request, opportunity_id: int):
    """Compute the team's scores now (they are otherwise recomputed when deals close)."""
    opportunity = opportunity_get(user=request.user, opportunity_id=opportunity_id)
    try:
        scores_refresh(actor=request.user, opportunity=opportunity)
    except ApplicationError as error:
        return refusal_redirect(request, error, _card_url(opportunity))
    return redirect(_card_url(opportunity))


@require_POST
@page
def score_override_page(request, opportunity_id: int):
    opportunity = opportunity_get(user=request.user, opportunity_id=opportunity_id)
    if request.POST.get("clear"):
        action = {"function": score_override_clear, "values": {}}
    else:
        form = ScoreOverrideForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
            return redirect(_card_url(opportunity))
        action = {"function": score_override, "values": form.cleaned_data}
    try:
        action["function"](actor=request.user, opportunity=opportunity, **action["values"])
    except ValidationFailed as error:
        for field, errors in error.fields.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    except ApplicationError as error:
        return refusal_redirect(request, error, _card_url(opportunity))
    return redirect(_card_url(opportunity))
