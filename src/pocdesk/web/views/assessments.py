"""The win probability card (§10) of the opportunity page: the latest assessment, the chart of
the history, the past assessments, the form that records one, and the model's score with the
form that sets it by hand.

The forms post here; a refused one comes back on the opportunity page with the service's
errors under its fields (400), a refusal of another kind (the deal closed) as a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
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


def _chart(opportunity, history) -> dict:
    chart = assessment_chart(opportunity=opportunity, assessments=history)
    chart["colours"] = CONFIDENCE_COLOURS
    chart["text"] = {"probability": _("Win probability"), "confidence": _("Confidence"),
                     "rationale": _("Rationale")}
    return chart


def _override_form(score: dict | None) -> ScoreOverrideForm:
    """Empty, or holding the override in force so that it is changed rather than retyped."""
    override = (score or {}).get("override")
    if not override:
        return ScoreOverrideForm()
    return ScoreOverrideForm(initial={"override_probability": override["probability"],
                                      "override_reason": override["reason"]})


def assessment_card_context(request, opportunity, *, pocs, can_record: bool, form=None,
                            override_form=None) -> dict:
    """What web/includes/assessment_card.html shows on the opportunity page, whose POCs
    (`pocs`) and right to record (`can_record`) it reuses; `form` and `override_form` are
    refused forms to show again with their errors."""
    history = assessment_history(opportunity=opportunity)
    if can_record and form is None:
        form = AssessmentForm(opportunity=opportunity, pocs=pocs)
    score = score_data(stored_score(opportunity=opportunity))
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
        "score": score,
        "can_override": can_record,
        "override_form": override_form or _override_form(score),
    }}


def _refused(request, opportunity, **forms):
    """The opportunity page again, with a refused form's errors under its fields."""
    from .opportunities import opportunity_detail_context  # the page imports this module

    return render(request, "web/opportunities/detail.html",
                  opportunity_detail_context(request, opportunity, **forms), status=400)


@require_POST
@page
def assessment_record_page(request, opportunity_id: int):
    opportunity = opportunity_get(user=request.user, opportunity_id=opportunity_id)
    form = AssessmentForm(request.POST, opportunity=opportunity, pocs=poc_list(
        user=request.user, opportunity_id=opportunity.pk, ordering="-created"))
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
    return _refused(request, opportunity, assessment_form=form)


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
        score_override_clear(actor=request.user, opportunity=opportunity)
        return redirect(_card_url(opportunity))
    form = ScoreOverrideForm(request.POST)
    if form.is_valid():
        try:
            score_override(actor=request.user, opportunity=opportunity,
                           **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return refusal_redirect(request, error, _card_url(opportunity))
        else:
            return redirect(_card_url(opportunity))
    return _refused(request, opportunity, override_form=form)
