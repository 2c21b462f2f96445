"""The final report of a POC as a page (§9.1), and its PDF, DOCX or HTML file to download."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from pocdesk.pocs.selectors import poc_get
from pocdesk.reports.final import final_labels, final_report
from pocdesk.reports.final_document import FINAL_FORMATS

from ..errors import page
from ..execution_display import chart_labels
from .execution import execution_url


def _plain(value) -> str:
    return "" if value is None else format(value, "g")


@require_GET
@page
def poc_final_report(request, poc_id: int):
    """The same content as the documents, in the reader's language; the charts (Chart.js)
    load their data from the execution page's chart endpoint."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    report = final_report(poc=poc, charts=False)
    for row in report["criteria"]:
        band = row["target_band"]
        row["chart_target"] = {"comparator": band.get("comparator", ""),
                               "value": _plain(band.get("value")),
                               "min": _plain(band.get("min")), "max": _plain(band.get("max")),
                               "tolerance": _plain(band.get("tolerance")), "unit": row["unit"]}
    return render(request, "web/final_report/page.html", {
        "poc": poc, "report": report, "labels": final_labels(),
        "chart_labels": chart_labels(), "formats": FINAL_FORMATS,
        "evidence_url": execution_url(poc, tab="evidence"),
        "time_zone": timezone.get_current_timezone_name(),
    })


@require_GET
@page
def poc_final_report_download(request, poc_id: int):
    """`?format=pdf|docx|html` (default PDF), in the POC's language, as an attachment; another
    format is refused with the list of formats (400)."""
    from pocdesk.reports.documents import attachment_response, render_document

    poc = poc_get(user=request.user, poc_id=poc_id)
    return attachment_response(render_document(
        actor=request.user, poc=poc, kind="final", fmt=request.GET.get("format") or "pdf"))
