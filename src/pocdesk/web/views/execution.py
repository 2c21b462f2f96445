"""The execution page of a POC (§8.1, §8.2): the criteria's live status and charts, the
execution log and the evidence gallery; and the permission-checked serving of evidence files.

Every form posts to its own view; a refused one comes back on the page with the service's
errors under its fields (its dialog open again), the other forms untouched. A POC that is not
running refuses readings: that comes back as a message.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pocdesk.core.errors import ApplicationError, NotFound, ValidationFailed
from pocdesk.core.permissions import require_perm
from pocdesk.criteria.selectors import criteria_for_poc, criterion_get
from pocdesk.execution.models import LogKind, LogStatus
from pocdesk.execution.rules import is_recording, require_recording
from pocdesk.execution.selectors import (
    evidence_for_poc,
    evidence_get,
    execution_summary,
    log_entry_get,
    log_for_poc,
    recent_measurements,
    severity_rank,
)
from pocdesk.execution.services import (
    evidence_delete,
    evidence_upload,
    log_entry_create,
    log_entry_witness,
    measurement_create,
)
from pocdesk.execution.status import criterion_chart
from pocdesk.pocs.selectors import poc_get
from pocdesk.qualification.selectors import decision_chain_stakeholders
from pocdesk.stakeholders.models import Side
from pocdesk.timebox.selectors import milestones_for_poc

from ..errors import add_service_errors, page, refusal_redirect
from ..execution_display import (
    RECENT_READINGS,
    Outlook,
    ago,
    chart_labels,
    criterion_rows,
    decorate_evidence,
    decorate_log,
    summary_counts,
)
from ..execution_forms import (
    EvidenceForm,
    LogEntryForm,
    MeasurementForm,
    WitnessForm,
    stakeholder_choices,
)

TABS = ("criteria", "log", "evidence")
CHART_POINTS = (20, 400, 2000)  # the fewest, default and most points a chart may ask for


def execution_url(poc, tab: str = "criteria", anchor: str = "", kind: str = "") -> str:
    url = reverse("web:poc_execution", args=[poc.pk])
    query = [f"tab={tab}"] if tab != "criteria" else []
    if kind:
        query.append(f"kind={kind}")
    if query:
        url += "?" + "&".join(query)
    return url + (f"#{anchor}" if anchor else "")


def _customers(poc) -> list:
    return list(decision_chain_stakeholders(opportunity=poc.opportunity)
                .filter(side=Side.CUSTOMER))


def _log_filters(entries, kind: str) -> list[dict]:
    """The log's filter pills: all entries, then each kind with its count."""
    counts = dict.fromkeys(LogKind.values, 0)
    for entry in entries:
        counts[entry.kind] = counts.get(entry.kind, 0) + 1
    pills = [{"value": "", "label": _("All"), "count": len(entries), "active": not kind}]
    pills += [{"value": value, "label": label, "count": counts[value], "active": kind == value}
              for value, label in LogKind.choices]
    return pills


def execution_context(request, poc, *, tab: str = "criteria", kind: str = "",
                      measurement_sent=None, evidence_sent=None, log_sent=None,
                      witness_sent=None) -> dict:
    """Everything the execution page shows, with the one form sent back with errors."""
    summary = execution_summary(poc=poc)
    statuses = list(summary["statuses"])
    criteria = [status.criterion for status in statuses]
    rows = criterion_rows(statuses, recent_measurements(poc=poc, per_criterion=RECENT_READINGS))
    entries = decorate_log(list(log_for_poc(poc=poc)))
    kind = kind if kind in LogKind.values else ""
    evidence = [decorate_evidence(item) for item in evidence_for_poc(poc=poc)]
    can_edit = request.user.has_perm("pocdesk.edit_poc", poc)
    can_record = can_edit and is_recording(poc)
    context = {
        "poc": poc,
        "page_url": reverse("web:poc_execution", args=[poc.pk]),
        "tab": tab if tab in TABS else "criteria",
        "rows": rows,
        "outlook": Outlook(summary["outlook"]),
        "counts": summary_counts(summary),
        "last_reading_at": summary.get("last_reading_at"),
        "last_reading_ago": ago(summary.get("last_reading_at")),
        "entries": [entry for entry in entries if not kind or entry.kind == kind],
        "entries_count": len(entries),
        "kind": kind,
        "log_filters": _log_filters(entries, kind),
        "open_risks": sorted(
            (entry for entry in entries
             if entry.kind == LogKind.RISK and entry.status == LogStatus.OPEN),
            key=severity_rank),
        "evidence": evidence,
        "can_edit": can_edit,
        "can_record": can_record,
        "time_zone": timezone.get_current_timezone_name(),
        "chart_labels": chart_labels(),
    }
    if can_record:
        customers = stakeholder_choices(_customers(poc))
        witness_sent = witness_sent or {}
        for entry in entries:
            entry.witness_form = (
                witness_sent.get(entry.pk)
                or WitnessForm(entry=entry, customer_choices=customers)
                if entry.kind == LogKind.KEY_EVENT and not entry.witnessed_by_id else None)
        context.update(
            measurement_form=measurement_sent or MeasurementForm(criteria=criteria),
            evidence_form=evidence_sent or EvidenceForm(criteria=criteria),
            log_form=log_sent or _log_form(poc, customer_choices=customers),
            has_customers=bool(customers))
    return context


def _log_form(poc, data=None, files=None, *, customer_choices=None) -> LogEntryForm:
    if customer_choices is None:
        customer_choices = stakeholder_choices(_customers(poc))
    return LogEntryForm(data, files, customer_choices=customer_choices,
                        milestones=milestones_for_poc(poc=poc))


def render_execution(request, poc, *, status: int = 200, **kwargs):
    return render(request, "web/execution/page.html", execution_context(request, poc, **kwargs),
                  status=status)


def _refused(request, poc, error: ApplicationError, *, tab: str, anchor: str = ""):
    """A refusal that is neither a field error nor a 403/404 (the POC is not running)."""
    return refusal_redirect(request, error, execution_url(poc, tab=tab, anchor=anchor))


def _closed_to_writes(request, poc, *, tab: str):
    """Refuse before reading a form when nothing may be recorded: a 403 for someone who may
    not edit the POC, a message when the POC is not running (the form is not on the page)."""
    require_perm(request.user, "pocdesk.edit_poc", poc)
    try:
        require_recording(poc)
    except ApplicationError as error:
        return _refused(request, poc, error, tab=tab)
    return None


@require_GET
@page
def poc_execution(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    return render_execution(request, poc, tab=request.GET.get("tab", "criteria"),
                            kind=request.GET.get("kind", ""))


@require_POST
@page
def measurement_create_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    if refusal := _closed_to_writes(request, poc, tab="criteria"):
        return refusal
    form = MeasurementForm(request.POST, request.FILES, criteria=criteria_for_poc(poc=poc))
    if form.is_valid():
        try:
            measurement = measurement_create(actor=request.user, poc=poc,
                                             **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return _refused(request, poc, error, tab="criteria")
        else:
            messages.success(request, _("Reading of “%(criterion)s” recorded.") % {
                "criterion": measurement.criterion})
            return redirect(execution_url(poc, anchor=f"criterion-{measurement.criterion_id}"))
    return render_execution(request, poc, status=400, measurement_sent=form)


@require_POST
@page
def evidence_upload_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    if refusal := _closed_to_writes(request, poc, tab="evidence"):
        return refusal
    form = EvidenceForm(request.POST, request.FILES, criteria=criteria_for_poc(poc=poc))
    if form.is_valid():
        try:
            evidence = evidence_upload(actor=request.user, poc=poc, **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return _refused(request, poc, error, tab="evidence")
        else:
            messages.success(request, _("“%(name)s” added to the evidence.") % {
                "name": evidence})
            return redirect(execution_url(poc, tab="evidence", anchor=f"evidence-{evidence.pk}"))
    return render_execution(request, poc, tab="evidence", status=400, evidence_sent=form)


@require_POST
@page
def evidence_delete_page(request, poc_id: int, evidence_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    evidence = evidence_get(user=request.user, evidence_id=evidence_id)
    if evidence.poc_id != poc.pk:
        raise NotFound()
    try:
        evidence_delete(actor=request.user, evidence=evidence)
    except ApplicationError as error:
        return _refused(request, poc, error, tab="evidence")
    messages.success(request, _("“%(name)s” deleted from the evidence.") % {"name": evidence})
    return redirect(execution_url(poc, tab="evidence"))


@require_POST
@page
def log_create_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    if refusal := _closed_to_writes(request, poc, tab="log"):
        return refusal
    form = _log_form(poc, request.POST, request.FILES)
    if form.is_valid():
        try:
            entry = log_entry_create(actor=request.user, poc=poc, **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return _refused(request, poc, error, tab="log")
        else:
            messages.success(request, _("“%(title)s” added to the log.") % {"title": entry})
            return redirect(execution_url(poc, tab="log", anchor=f"entry-{entry.pk}"))
    return render_execution(request, poc, tab="log", status=400, log_sent=form)


@require_POST
@page
def log_witness_page(request, poc_id: int, entry_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    if refusal := _closed_to_writes(request, poc, tab="log"):
        return refusal
    entry = log_entry_get(poc=poc, entry_id=entry_id)
    form = WitnessForm(request.POST, entry=entry,
                       customer_choices=stakeholder_choices(_customers(poc)))
    if form.is_valid():
        try:
            entry = log_entry_witness(actor=request.user, entry=entry,
                                      **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return _refused(request, poc, error, tab="log", anchor=f"entry-{entry.pk}")
        else:
            messages.success(request, _("%(person)s witnessed “%(title)s”.") % {
                "person": entry.witnessed_by.name, "title": entry})
            return redirect(execution_url(poc, tab="log", anchor=f"entry-{entry.pk}"))
    return render_execution(request, poc, tab="log", status=400,
                            witness_sent={entry.pk: form})


# --- evidence files and chart data -----------------------------------------------------------


def _protect(response):
    """Never sniffed as something else, never run as a page of this site."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _open(key: str):
    try:
        return default_storage.open(key, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404(_("The file is missing from the storage.")) from error


@require_GET
@page
def evidence_file(request, evidence_id: int):
    """An evidence file: pictures, videos and PDFs shown in the browser, the rest downloaded."""
    from ..execution_display import INLINE_TYPES

    evidence = evidence_get(user=request.user, evidence_id=evidence_id)
    stored = evidence.file
    inline = stored.content_type in INLINE_TYPES and not request.GET.get("download")
    return _protect(FileResponse(_open(stored.storage_key), as_attachment=not inline,
                                 filename=stored.original_name,
                                 content_type=stored.content_type))


@require_GET
@page
def evidence_thumbnail(request, evidence_id: int):
    """The small picture of an image, generated when it was uploaded; 404 for other files."""
    evidence = evidence_get(user=request.user, evidence_id=evidence_id)
    if not evidence.thumbnail_key:
        raise Http404(_("This file has no thumbnail."))
    content_type = mimetypes.guess_type(evidence.thumbnail_key)[0] or "image/jpeg"
    if not content_type.startswith("image/"):
        raise Http404(_("This file has no thumbnail."))
    return _protect(FileResponse(_open(evidence.thumbnail_key), content_type=content_type))


def _moment(request, name: str, errors: dict):
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        errors[name] = [_("Give a date and time such as 2026-03-02T08:00:00Z.")]
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@require_GET
@page
def criterion_chart_data(request, poc_id: int, criterion_id: int):
    """A criterion's readings for its chart (JSON), thinned to buckets beyond `points`."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    criterion = criterion_get(poc=poc, criterion_id=criterion_id)
    errors: dict[str, list[str]] = {}
    since, until = _moment(request, "since", errors), _moment(request, "until", errors)
    fewest, points, most = CHART_POINTS
    try:
        points = min(most, max(fewest, int(request.GET.get("points") or points)))
    except ValueError:
        errors["points"] = [_("Give a whole number of points.")]
    if errors:
        return JsonResponse({"code": "invalid", "message": _("Please correct the parameters."),
                             "details": errors}, status=400)
    data = criterion_chart(criterion=criterion, points=points, since=since, until=until)
    return JsonResponse(data, encoder=DjangoJSONEncoder)
