"""The weekly status report as a PDF, registered as the document kind "weekly" (§8.5)."""

from __future__ import annotations

import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from pocdesk.core.errors import ValidationFailed
from pocdesk.core.pdf import render_pdf
from pocdesk.core.permissions import require_perm

from .documents import (
    CONTENT_TYPES,
    HTML_LANGUAGES,
    DocumentRenderer,
    RenderedDocument,
    register_document,
)
from .weekly import default_week, parse_week, weekly_report
from .weekly_display import weekly_display, weekly_labels

WEEKLY_FORMATS = ("pdf",)


def weekly_filename(*, poc, week_start: datetime.date, fmt: str = "pdf") -> str:
    return f"POC-{poc.pk}-weekly-{week_start.isoformat()}.{fmt}"


def weekly_document_context(*, poc, week_start: datetime.date) -> dict[str, Any]:
    """What the PDF and the e-mail show; call inside `translation.override(poc.language)`."""
    report = weekly_report(poc=poc, week_start=week_start)
    return {"html_lang": HTML_LANGUAGES.get(poc.language, poc.language),
            "labels": weekly_labels(), "weekly": weekly_display(report), "report": report}


def render_weekly_pdf(*, poc, week_start: datetime.date) -> RenderedDocument:
    """The report of the week of `week_start`, in the POC's language (no permission check)."""
    with translation.override(poc.language):
        context = weekly_document_context(poc=poc, week_start=week_start)
        data = render_pdf(render_to_string("reports/weekly.html", context))
    monday = context["report"]["week"]["start"]
    return RenderedDocument(content=data, filename=weekly_filename(poc=poc, week_start=monday),
                            content_type=CONTENT_TYPES["pdf"])


def render_weekly_document(*, actor, poc, kind: str, fmt: str, version: int | None = None,
                           week: datetime.date | str | None = None) -> RenderedDocument:
    """The registry's entry: `week` is any day of the week (default: the current week)."""
    require_perm(actor, "pocdesk.view_team_object", poc)
    errors: dict[str, list[str]] = {}
    if fmt not in WEEKLY_FORMATS:
        errors["format"] = [_("Choose one of: %(formats)s.")
                            % {"formats": ", ".join(WEEKLY_FORMATS)}]
    day = parse_week(week) if week not in (None, "") else default_week(poc=poc)
    if day is None:
        errors["week"] = [_("Enter a valid date (YYYY-MM-DD).")]
    if errors:
        raise ValidationFailed(errors)
    return render_weekly_pdf(poc=poc, week_start=day)


register_document(DocumentRenderer(kind="weekly", formats=WEEKLY_FORMATS,
                                   render=render_weekly_document, options=("week",)))
