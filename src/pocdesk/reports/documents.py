"""The POC's documents as files: the objective document and the agreement (§5.3, §5.4).

`render_document` is the one entry point of the web, the API and the CLI; each kind of document
registers its renderer here, so a new document (the final report) adds a kind without touching
the callers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from pocdesk.core.docx import DOCX_CONTENT_TYPE, render_docx
from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.core.pdf import render_pdf
from pocdesk.core.permissions import require_perm
from pocdesk.signoffs.selectors import plan_state, plan_version_get

from .plan_context import (
    agreement_body,
    document_header,
    document_labels,
    objective_body,
    signoff_block,
)

DOCX_TEMPLATES = Path(__file__).resolve().parent / "docx_templates"
CONTENT_TYPES = {"pdf": "application/pdf", "docx": DOCX_CONTENT_TYPE,
                 "html": "text/html; charset=utf-8"}
HTML_LANGUAGES = {"zh-hans": "zh-Hans"}


@dataclass(frozen=True)
class RenderedDocument:
    content: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class DocumentRenderer:
    kind: str
    formats: tuple[str, ...]
    render: Callable[..., RenderedDocument]
    options: tuple[str, ...] = ()  # extra arguments the kind takes (the weekly report's week)


_RENDERERS: dict[str, DocumentRenderer] = {}


def register_document(renderer: DocumentRenderer) -> None:
    _RENDERERS[renderer.kind] = renderer


def document_kinds() -> list[str]:
    return list(_RENDERERS)


def document_formats() -> list[str]:
    formats: list[str] = []
    for renderer in _RENDERERS.values():
        formats += [name for name in renderer.formats if name not in formats]
    return formats


def render_document(*, actor, poc, kind: str, fmt: str, version: int | None = None,
                    **options: Any) -> RenderedDocument:
    """Any document of a POC, for an actor who may see the POC.

    `options` go to the kind's renderer as they are (the weekly report's `week`); they are
    passed only when given, so a renderer that takes none is called as before.
    """
    require_perm(actor, "pocdesk.view_team_object", poc)
    renderer = _RENDERERS.get(kind)
    if renderer is None:
        raise ValidationFailed({"kind": [_("Choose one of: %(kinds)s.")
                                         % {"kinds": ", ".join(document_kinds())}]})
    given = {name: value for name, value in options.items() if value is not None}
    unused = sorted(set(given) - set(renderer.options))
    if unused:
        raise ValidationFailed({name: [_("Not used for this kind of document.")]
                                for name in unused})
    return renderer.render(actor=actor, poc=poc, kind=kind, fmt=fmt, version=version, **given)


# --- the two plan documents ------------------------------------------------------------------

PLAN_KINDS = {"objective": "criteria", "agreement": "agreement"}
PLAN_FORMATS = ("pdf", "docx")


def render_plan_document(*, actor, poc, kind: str, fmt: str, version: int | None = None
                         ) -> RenderedDocument:
    """The objective document or the agreement, as PDF or DOCX, in the POC's language.

    With `version`, that frozen version; without, the latest version, or the live draft —
    marked as not signed — when it has changed since.
    """
    require_perm(actor, "pocdesk.view_team_object", poc)
    errors: dict[str, list[str]] = {}
    if kind not in PLAN_KINDS:
        errors["kind"] = [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(PLAN_KINDS)}]
    if fmt not in PLAN_FORMATS:
        errors["format"] = [_("Choose one of: %(formats)s.")
                            % {"formats": ", ".join(PLAN_FORMATS)}]
    if errors:
        raise ValidationFailed(errors)
    plan_kind = PLAN_KINDS[kind]
    draft_number = None
    if version is not None:
        plan_version = plan_version_get(poc=poc, kind=plan_kind, number=version)
        content = plan_version.content
    else:
        state = plan_state(poc=poc)[plan_kind]
        if state.draft_changed:
            plan_version, content, draft_number = None, state.draft_content, state.draft_number
        else:
            plan_version, content = state.latest, state.latest.content
    if kind == "agreement" and not content.get("fields"):
        raise ApplicationError("document_empty", _("The agreement has not been started yet: "
                                                   "there is nothing to render."), status=409)
    with translation.override(poc.language):
        context = plan_document_context(poc=poc, kind=kind, version=plan_version,
                                        draft_number=draft_number, content=content)
        if fmt == "pdf":
            html = render_to_string(f"reports/{kind}.html", context)
            data = render_pdf(html)
        else:
            header = context["header"]
            data = render_docx(DOCX_TEMPLATES / f"{kind}.docx", context, language=poc.language,
                               properties={
                                   "title": f"{header['document_title']} — {header['poc_title']}",
                                   "subject": f"{header['reference']} · {header['version_text']}",
                                   "author": header["company"]})
    suffix = f"v{plan_version.number}" if plan_version else f"v{draft_number}-draft"
    return RenderedDocument(content=data, filename=f"POC-{poc.pk}-{kind}-{suffix}.{fmt}",
                            content_type=CONTENT_TYPES[fmt])


def plan_document_context(*, poc, kind: str, version, draft_number: int | None,
                          content: dict[str, Any]) -> dict[str, Any]:
    """Everything the templates show; call inside `translation.override(poc.language)`."""
    body = objective_body(content) if kind == "objective" else agreement_body(content)
    return {
        "html_lang": HTML_LANGUAGES.get(poc.language, poc.language),
        "labels": document_labels(),
        "header": document_header(poc=poc, kind=kind, version=version,
                                  draft_number=draft_number, fields=content.get("fields", {})),
        "body": body,
        "signoff": signoff_block(poc=poc, version=version),
    }


for _kind in PLAN_KINDS:
    register_document(DocumentRenderer(kind=_kind, formats=PLAN_FORMATS,
                                       render=render_plan_document))


def attachment_response(rendered: RenderedDocument):
    """A rendered document as a download: attachment, safe file name, no type sniffing."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    filename = re.sub(r"[\x00-\x1f\x7f/\\\"]+", "_", rendered.filename) or "document"
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
