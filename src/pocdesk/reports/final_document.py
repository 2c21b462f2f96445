"""The final report as a file (§9.1): PDF, DOCX or a standalone HTML page; kind "final".

The PDF and the HTML file come from one template (`reports/final.html`) with the charts as SVG
(`core.charts`); the DOCX from a docxtpl template (`docx_templates/final.docx`) with the same
charts as PNG, since Word documents cannot hold SVG. All three are in the POC's language.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from pocdesk.core.charts import criterion_chart_png, criterion_chart_svg
from pocdesk.core.docx import render_docx
from pocdesk.core.errors import ValidationFailed
from pocdesk.core.pdf import asset_path, render_pdf
from pocdesk.core.permissions import require_perm

from .documents import (
    CONTENT_TYPES,
    DOCX_TEMPLATES,
    HTML_LANGUAGES,
    DocumentRenderer,
    RenderedDocument,
    register_document,
)
from .final import chart_labels, final_labels, final_report
from .formatting import number_text

FINAL_FORMATS = ("pdf", "docx", "html")
CHART_WIDTH_MM = 170


def final_filename(*, poc, fmt: str) -> str:
    return f"POC-{poc.pk}-final-report.{fmt}"


def _chart_number(value: float) -> str:
    return number_text(f"{value:.6g}")


def final_document_context(*, poc, fmt: str) -> dict[str, Any]:
    """What the documents show; call inside `translation.override(poc.language)`.

    Each criterion gets its chart drawn for the format, in place of the chart's data: `svg`
    (inline, the HTML file), `svg_uri` (a data: URI, the PDF) or `png` (bytes, the DOCX).
    """
    report = final_report(poc=poc)
    labels = final_labels()
    words = chart_labels(labels)
    for row in report["criteria"]:
        row["figure"] = labels["figure"] % {"number": row["number"]}
        chart = row.pop("chart")
        if fmt == "docx":
            row["png"] = criterion_chart_png(chart, labels=words, number=_chart_number)
            row["evidence_names"] = ", ".join(file["name"] for file in row["evidence"])
            continue
        svg = criterion_chart_svg(chart, labels=words, ident=f"c{row['id']}",
                                  number=_chart_number)
        if fmt == "html":
            # matplotlib writes the SVG and escapes every text in it (titles, targets).
            row["svg"] = mark_safe(svg)  # noqa: S308
        else:
            row["svg_uri"] = "data:image/svg+xml;base64," + base64.b64encode(
                svg.encode("utf-8")).decode("ascii")
    context = {"html_lang": HTML_LANGUAGES.get(poc.language, poc.language), "labels": labels,
               "report": report, "standalone": fmt == "html"}
    if fmt != "docx":
        context["document_css"] = document_css()
    return context


def document_css() -> str:
    """The documents' stylesheet, inlined so that the HTML file stands alone."""
    # The package's own stylesheet, not user text.
    return mark_safe(asset_path("reports/document.css").read_text(encoding="utf-8"))  # noqa: S308


def _add_charts(template, context: dict[str, Any]) -> None:
    """Each criterion's chart as an inline picture of the DOCX (docxtpl needs the template)."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    for row in context["report"]["criteria"]:
        row["image"] = InlineImage(template, io.BytesIO(row.pop("png")),
                                   width=Mm(CHART_WIDTH_MM))


def _docx(poc, context: dict[str, Any]) -> bytes:
    """The DOCX: the docxtpl template rendered with the charts as inline pictures."""
    labels, report = context["labels"], context["report"]
    # The page footer's version line: a final report has no versions, it is as of a date.
    header = {"company": poc.team.name, "document_title": labels["document_title"],
              "reference": report["poc"]["reference"],
              "version_text": f"{labels['generated']}{labels['colon']} "
                              f"{report['generated_text']}",
              "status_text": report["poc"]["status_text"], "is_draft": False}
    return render_docx(DOCX_TEMPLATES / "final.docx", {**context, "header": header},
                       language=poc.language, prepare=_add_charts,
                       properties={"title": f"{labels['document_title']} — {poc.title}",
                                   "subject": report["poc"]["reference"],
                                   "author": poc.team.name})


def render_final(*, poc, fmt: str) -> RenderedDocument:
    """The final report in `fmt`, in the POC's language (no permission check)."""
    with translation.override(poc.language):
        context = final_document_context(poc=poc, fmt=fmt)
        if fmt == "docx":
            data = _docx(poc, context)
        else:
            html = render_to_string("reports/final.html", context)
            data = render_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    return RenderedDocument(content=data, filename=final_filename(poc=poc, fmt=fmt),
                            content_type=CONTENT_TYPES[fmt])


def render_final_document(*, actor, poc, kind: str, fmt: str,
                          version: int | None = None) -> RenderedDocument:
    """The registry's entry."""
    require_perm(actor, "pocdesk.view_team_object", poc)
    if fmt not in FINAL_FORMATS:
        raise ValidationFailed({"format": [_("Choose one of: %(formats)s.")
                                           % {"formats": ", ".join(FINAL_FORMATS)}]})
    if version is not None:
        raise ValidationFailed({"version": [_("Not used for this kind of document.")]})
    return render_final(poc=poc, fmt=fmt)


register_document(DocumentRenderer(kind="final", formats=FINAL_FORMATS,
                                   render=render_final_document))
