"""The win model's evaluation page (§10): run a held-out evaluation on a source's closed deals,
follow its progress, and read the figures against the baselines with a reliability chart."""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.insights.evaluation import (
    FOLDS,
    REPEATS,
    evaluation_get,
    in_progress,
    latest_evaluation,
    model_evaluation_start,
)
from pocdesk.insights.history_selectors import WAITING, history_source_get
from pocdesk.insights.models import ImportStatus
from pocdesk.insights.scoring import ESTIMATORS

from ..errors import add_service_errors, page, refusal_redirect


class EvaluationForm(forms.Form):
    folds = forms.IntegerField(label=_("Folds"), min_value=FOLDS[0], max_value=FOLDS[1],
                               initial=5)
    repeats = forms.IntegerField(label=_("Repeats"), min_value=REPEATS[0],
                                 max_value=REPEATS[1], initial=3)


def _page_url(source) -> str:
    return reverse("web:model_evaluation", args=[source.pk])


def _context(source, form=None) -> dict:
    evaluation = latest_evaluation(source)
    result = evaluation.result if evaluation and evaluation.status == ImportStatus.DONE else {}
    return {"nav_section": "history", "source": source, "evaluation": evaluation,
            "result": result,
            "running": in_progress(evaluation), "percent": _percent(evaluation),
            "estimator": ESTIMATORS.get(result.get("estimator"), result.get("estimator")),
            "candidates": [(ESTIMATORS.get(key, key), score, key == result.get("estimator"))
                           for key, score in result.get("candidates", {}).items()],
            "chart": result.get("reliability", {}), "form": form or EvaluationForm()}


def _percent(evaluation) -> int:
    if evaluation is None or not evaluation.steps_total:
        return 0
    return min(100, int(100 * evaluation.steps_done / evaluation.steps_total))


@page
def evaluation_page(request, source_id: int):
    source = history_source_get(user=request.user, source_id=source_id)
    if request.method != "POST":
        return render(request, "web/insights/evaluation.html", _context(source))
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            model_evaluation_start(actor=request.user, source=source, **form.cleaned_data)
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return refusal_redirect(request, error, _page_url(source))
        else:
            return redirect(_page_url(source))
    return render(request, "web/insights/evaluation.html", _context(source, form), status=400)


@require_GET
@page
def evaluation_progress(request, source_id: int, evaluation_id: int):
    """The progress bar alone, polled every second; once the run is over, the whole page."""
    source = history_source_get(user=request.user, source_id=source_id)
    evaluation = evaluation_get(source=source, evaluation_id=evaluation_id)
    if evaluation.status not in WAITING:
        if request.htmx:
            return HttpResponseClientRedirect(_page_url(source))
        return redirect(_page_url(source))
    return render(request, "web/insights/evaluation_progress.html",
                  {"source": source, "evaluation": evaluation,
                   "percent": _percent(evaluation)})
