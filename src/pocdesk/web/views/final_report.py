"""The final report of a POC as a page (§9.1), and its PDF, DOCX or HTML file to download."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pocdesk.pocs.selectors import poc_get
from pocdesk.reports.final import final_labels, final_report
from pocdesk.reports.final_document import FINAL_FORMATS

from ..errors import page
from ..execution_display import chart_labels, chart_target
from .execution import execution_url

# How each downloadable format is offered: icon, button, label (the PDF first and foremost).
DOWNLOADS = {
    "pdf": ("bi-file-earmark-pdf", "btn-primary", gettext_lazy("Download PDF")),
    "docx": ("bi-file-earmark-word", "btn-outline-primary", gettext_lazy("Download DOCX")),
    "html": ("bi-filetype-html", "btn-outline-secondary", gettext_lazy("Download HTML")),
}


def _downloads(poc) -> list[dict]:
    """A button for each format the documents come in (`FINAL_FORMATS`)."""
    url = reverse("web:poc_final_report_download", args=[poc.pk])
    downloads = []
    for fmt in FINAL_FORMATS:
        icon, button, label = DOWNLOADS.get(fmt) or (
            "bi-download", "btn-outline-secondary",
            _("Download %(format)s") % {"format": fmt.upper()})
        downloads.append({"format": fmt, "url": f"{url}?format={fmt}", "icon": icon,
                          "button": button, "label": label})
    return downloads


@require_GET
@page
def poc_final_report(request, poc_id: int):
    """The same content as the documents, in the reader's language; the charts (Chart.js)
    load their data from the execution page's chart endpoint."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    report = final_report(poc=poc, charts=False)
    for row in report["criteria"]:
        band = row["target_band"]
        row["chart_target"] = chart_target(
            comparator=band.get("comparator", ""), unit=row["unit"], value=band.get("value"),
            minimum=band.get("min"), maximum=band.get("max"), tolerance=band.get("tolerance"))
    return render(request, "web/final_report/page.html", {
        "poc": poc, "report": report, "labels": final_labels(),
        "chart_labels": chart_labels(), "downloads": _downloads(poc),
        "evidence_url": execution_url(poc, tab="evidence"),
        "time_zone": timezone.get_current_timezone_name(),
    })


@require_GET
@page
def poc_final_report_download(request, poc_id: int):
    """`?format=pdf|docx|html` (default PDF), in the POC's language, as an attachment; another
    format is refused (422)."""
    from pocdesk.reports.documents import attachment_response, render_document

    poc = poc_get(user=request.user, poc_id=poc_id)
    return attachment_response(render_document(
        actor=request.user, poc=poc, kind="final", fmt=request.GET.get("format") or "pdf"))
