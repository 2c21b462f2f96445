"""GET /pocs/{id}/report: a POC's documents as files, through the one document registry."""

from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema

from pocdesk.core.api import ObjectId, choice, error_responses
from pocdesk.pocs.selectors import poc_get

from .documents import CONTENT_TYPES, PLAN_KINDS, attachment_response, render_document

router = Router(tags=["Reports"])  # mounted at /pocs


class ReportQuery(Schema):
    kind: choice([*PLAN_KINDS, "weekly", "final"]) = Field(
        description="`objective`: the POC objective document (objective, criteria, sign-off "
        "block); `agreement`: the POC agreement; `weekly`: the weekly status report (PDF only) "
        "of the week given by `week`; `final`: the final report (results, criteria with their "
        "charts, cost and ROI, next step; PDF, DOCX or HTML).")
    format: choice(list(CONTENT_TYPES)) = Field("pdf", description="`pdf`, `docx` "
                                                "(editable) or `html` (final report only).")
    version: ObjectId | None = Field(None, description="A submitted version's number; by "
                                     "default the latest version or the changed draft.")
    week: datetime.date | None = Field(None, description="`weekly` only: any day of the week "
                                       "to report on (Monday to Sunday); by default the current "
                                       "week. A week outside the POC's life is refused (422).")


@router.get(
    "/{poc_id}/report", response=error_responses(404, 409, 422),
    operation_id="poc_report", summary="Download a POC document",
    description="A document of the POC (objective, agreement, weekly or final report), in the "
    "POC's language, as a file to download (`Content-Disposition: attachment`). For the "
    "objective document or the agreement, with `version`, that submitted "
    "version and its signatures; without, the latest version, or the live draft (marked as not "
    "signed) when it changed since. 409 `document_empty` for an agreement not started yet.",
    openapi_extra={"responses": {"200": {
        "description": "The document.",
        "headers": {"Content-Disposition": {"schema": {"type": "string"},
                                            "description": "attachment; filename=…"}},
        "content": {content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in CONTENT_TYPES.values()}}}})
def download_report(request, poc_id: ObjectId, query: Query[ReportQuery]):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return attachment_response(render_document(
        actor=request.auth, poc=poc, kind=query.kind, fmt=query.format, version=query.version,
        week=query.week))
