"""The series import pages (§8.1): upload an instrument export, choose its columns, follow the
job's progress, then see the readings imported or every bad row.

One address per import shows the step it is at: the mapping form, the progress bar (polled by
htmx every second) or the result.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.criteria.selectors import criteria_for_poc
from pocdesk.execution.models import ImportStatus, SeriesImport
from pocdesk.execution.rules import is_recording
from pocdesk.execution.series import (
    series_import_get,
    series_import_map,
    series_import_start,
    series_imports_for_poc,
)
from pocdesk.pocs.selectors import poc_get

from ..errors import add_service_errors, page, refusal_redirect
from ..series_import_forms import SeriesImportMapForm, SeriesImportStartForm

WAITING = (ImportStatus.QUEUED, ImportStatus.RUNNING)
ERRORS_SHOWN = 1_000


def import_url(series_import: SeriesImport) -> str:
    return reverse("web:poc_series_import", args=[series_import.poc_id, series_import.pk])


def _can_import(request, poc) -> bool:
    return is_recording(poc) and request.user.has_perm("pocdesk.edit_poc", poc)


class Progress:
    """What the progress bar shows: the phase, rows read out of the rows expected."""

    def __init__(self, series_import: SeriesImport) -> None:
        self.status = series_import.status
        self.done = series_import.rows_done
        self.total = series_import.rows_total
        self.writing = self.status == ImportStatus.RUNNING and bool(series_import.message)
        self.message = series_import.message
        if self.writing:
            self.percent = 100
        elif self.total and self.status == ImportStatus.RUNNING:
            self.percent = min(100, int(100 * self.done / self.total))
        else:
            self.percent = 0

    @property
    def finished(self) -> bool:
        return self.status not in WAITING


def _start_context(request, poc, form=None) -> dict:
    criteria = criteria_for_poc(poc=poc)
    if form is None:
        chosen = request.GET.get("criterion", "")
        form = SeriesImportStartForm(
            criteria=criteria,
            initial={"criterion": chosen} if chosen.isdigit() else None)
    return {"poc": poc, "form": form, "has_criteria": criteria.exists(),
            "can_import": _can_import(request, poc),
            "can_edit": request.user.has_perm("pocdesk.edit_poc", poc),
            "imports": series_imports_for_poc(poc=poc)}


@page
def series_import_start_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    if request.method != "POST":
        return render(request, "web/execution/import_start.html", _start_context(request, poc))
    form = SeriesImportStartForm(request.POST, request.FILES, criteria=criteria_for_poc(poc=poc))
    if form.is_valid():
        try:
            series_import = series_import_start(actor=request.user, poc=poc,
                                                **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return refusal_redirect(request, error,
                            reverse("web:poc_series_import_start", args=[poc.pk]))
        else:
            return redirect(import_url(series_import))
    return render(request, "web/execution/import_start.html",
                  _start_context(request, poc, form), status=400)


def _import_context(request, series_import: SeriesImport, form=None) -> dict:
    poc = series_import.poc
    can_import = _can_import(request, poc)
    context = {
        "poc": poc,
        "series_import": series_import,
        "criterion": series_import.criterion,
        "progress": Progress(series_import),
        "can_import": can_import,
        "errors": series_import.errors[:ERRORS_SHOWN],
        "more_errors": max(0, series_import.error_count - len(series_import.errors)),
        "preview": [list(zip(series_import.columns, row, strict=False))
                    for row in series_import.preview],
    }
    if can_import and series_import.status in (ImportStatus.MAPPING, ImportStatus.REJECTED):
        context["form"] = form or SeriesImportMapForm(series_import=series_import)
    return context


@page
def series_import_page(request, poc_id: int, import_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    series_import = series_import_get(user=request.user, import_id=import_id, poc=poc)
    if request.method != "POST":
        return render(request, "web/execution/import_page.html",
                      _import_context(request, series_import))
    form = SeriesImportMapForm(request.POST, series_import=series_import)
    if form.is_valid():
        try:
            series_import = series_import_map(actor=request.user, series_import=series_import,
                                              **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return refusal_redirect(request, error, import_url(series_import))
        else:
            return redirect(import_url(series_import))
    return render(request, "web/execution/import_page.html",
                  _import_context(request, series_import, form), status=400)


@require_GET
@page
def series_import_progress(request, poc_id: int, import_id: int) -> HttpResponse:
    """The progress bar alone, polled every second; once the job is over, the whole page."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    series_import = series_import_get(user=request.user, import_id=import_id, poc=poc)
    progress = Progress(series_import)
    if progress.finished:
        if request.htmx:
            return HttpResponseClientRedirect(import_url(series_import))
        return redirect(import_url(series_import))
    return render(request, "web/execution/import_progress.html",
                  {"poc": poc, "series_import": series_import, "progress": progress})
