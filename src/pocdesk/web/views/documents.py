"""Downloads of the plan's documents (Objective Document, Agreement) as PDF or DOCX."""

from __future__ import annotations

from pocdesk.core.errors import NotFound
from pocdesk.pocs.selectors import poc_get

from ..errors import page


@page
def poc_document_download(request, poc_id: int, kind: str, fmt: str):
    """The draft, or version `?version=N`, rendered in the POC's language, as an attachment."""
    from pocdesk.reports.documents import attachment_response, render_document

    poc = poc_get(user=request.user, poc_id=poc_id)
    version = request.GET.get("version") or None
    if version is not None and not version.isdigit():
        raise NotFound()
    return attachment_response(render_document(
        actor=request.user, poc=poc, kind=kind, fmt=fmt,
        version=int(version) if version else None))
