"""/api/v1/history-sources and /history-imports: CRM exports imported as historical deals
(§13.2) with their saved column mapping, a dry run, and every bad cell of a rejected file."""

import datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from pocdesk.core.api import (
    PAGINATION_HELP,
    InputSchema,
    ObjectId,
    PageNumber,
    TeamRef,
    Text,
    error_responses,
)
from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.people.models import Team
from pocdesk.people.selectors import team_list_visible

from .history import history_import_start, history_source_save, source_mapping
from .history_selectors import (
    history_import_get,
    history_import_state,
    history_source_detail,
    history_source_get,
    history_sources_for,
)

router = Router(tags=["History import"])  # mounted at the API's root

MAPPING_HELP = (
    "The column mapping, as the TOML text of a mapping file (see `examples/history/` and "
    "`pocdesk import history --mapping`) or as the same document in JSON: `file` {format, "
    "separator, encoding, sheet}, `outcome` {column, won, lost, open}, `columns` {id, name, "
    "amount, currency, owner, opened, closed, expected_close}, `defaults` {currency, "
    "date_format, decimal}, `features` {categorical, numeric, exclude}. A bad mapping is a 422 "
    "`invalid_mapping` whose `details.fields` names every bad key, e.g. `outcome.column`.")


class CountsOut(Schema):
    won: int
    lost: int
    open: int


class SourceOut(Schema):
    id: int
    name: str
    team: TeamRef
    deals: CountsOut = Field(description="The source's deals by outcome.")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_deals(obj) -> dict[str, int]:
        return {"won": obj.deals_won, "lost": obj.deals_lost, "open": obj.deals_open}


class ImportErrorOut(Schema):
    row: int = Field(description="The row as a spreadsheet numbers it: 2 is the first under "
                     "the header.")
    column: str
    value: str
    message: str


class ImportOut(Schema):
    id: int
    source: int = Field(description="The source's id.")
    file_name: str
    dry_run: bool
    status: str = Field(description="queued, running, done (imported), checked (a dry run "
                        "without errors) or rejected (nothing imported).")
    status_label: str = Field(description="The status in the reader's language.")
    finished: bool
    rows_total: int = Field(description="Rows in the file (an estimate while it is read).")
    rows_done: int
    rows_imported: int
    percent: int
    message: str
    errors: list[ImportErrorOut] = Field(description="Every bad cell of a rejected file (the "
                                         "first 1,000).")
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class SourceDetailOut(Schema):
    id: int
    name: str
    team: TeamRef
    deals: CountsOut
    mapping: dict[str, Any] = Field(description="The saved mapping as JSON (the features as a "
                                    "list of {name, kind}).")
    mapping_toml: str = Field(description="The same mapping as a TOML file for the command "
                              "line.")
    imports: list[ImportOut] = Field(description="The latest imports, newest first, without "
                                     "their errors.")
    updated_at: datetime.datetime


class SourceIn(InputSchema):
    name: Text = Field(max_length=60, description="The source's name, a slug; an existing "
                       "source of the team with this name gets the new mapping.")
    team: ObjectId = Field(description="The team's id.")
    mapping: str | dict[str, Any] = Field(description=MAPPING_HELP)


class SourceFilters(Schema):
    team: ObjectId | None = Field(None, description="Only this team's sources.")


class ImportForm(Schema):
    dry_run: bool = Field(False, description="Check every row and import nothing.")


def _detail(source) -> dict[str, Any]:
    detail = history_source_detail(source)
    try:
        toml = source_mapping(source).to_toml()
    except ApplicationError:  # a source saved without a mapping
        toml = ""
    return {"id": source.pk, "name": source.name, "team": source.team,
            "deals": detail.counts, "mapping": source.mapping, "mapping_toml": toml,
            "imports": [history_import_state(item, errors=0) for item in detail.imports],
            "updated_at": source.updated_at}


@router.get("/history-sources", response={200: list[SourceOut], **error_responses(422)},
            operation_id="history_sources_list", summary="List the CRM history sources",
            description="The sources of your teams with their deals counted by outcome. "
            + PAGINATION_HELP)
@paginate(PageNumber)
def list_sources(request, filters: Query[SourceFilters]):
    team = Team(pk=filters.team) if filters.team else None
    return history_sources_for(request.auth, team=team)


@router.post("/history-sources",
             response={200: SourceDetailOut, 201: SourceDetailOut,
                       **error_responses(403, 422)},
             operation_id="history_source_save", summary="Create a source or change its mapping",
             description="Team managers and admins. 201 when the source is new, 200 when its "
             "mapping was replaced.")
def save_source(request, body: SourceIn):
    team = team_list_visible(user=request.auth).filter(pk=body.team).first()
    if team is None:
        raise ValidationFailed({"team": [_("Choose one of your teams.")]})
    existed = team.history_sources.filter(name=body.name.strip()).exists()
    source = history_source_save(actor=request.auth, team=team, name=body.name,
                                 mapping=body.mapping)
    return Status(200 if existed else 201, _detail(source))


@router.get("/history-sources/{source_id}",
            response={200: SourceDetailOut, **error_responses(404, 422)},
            operation_id="history_source_get", summary="Read a source, its mapping and imports")
def get_source(request, source_id: ObjectId):
    return _detail(history_source_get(user=request.auth, source_id=source_id))


@router.post("/history-sources/{source_id}/imports",
             response={202: ImportOut, **error_responses(403, 404, 409, 413, 422)},
             operation_id="history_import_start", summary="Import a CRM export",
             description="Send `multipart/form-data` with the CSV or XLSX export in `file` and "
             "optionally `dry_run=true`. The file is read in the background with the source's "
             "mapping: follow GET /history-imports/{id}. A CRM export is a full snapshot: an "
             "import replaces the source's deals, all or nothing; one bad cell and nothing is "
             "imported, every bad cell listed in `errors`.")
def start_import(request, source_id: ObjectId, file: File[UploadedFile],
                 details: Annotated[ImportForm, Form(...)]):
    source = history_source_get(user=request.auth, source_id=source_id)
    history_import = history_import_start(actor=request.auth, source=source, file=file,
                                          file_name=file.name or "", dry_run=details.dry_run)
    history_import = history_import_get(user=request.auth, import_id=history_import.pk)
    return Status(202, history_import_state(history_import))


@router.get("/history-imports/{import_id}",
            response={200: ImportOut, **error_responses(404, 422)},
            operation_id="history_import_get", summary="Follow an import",
            description="Its status and progress; once rejected, every bad cell (the first "
            "1,000).")
def get_import(request, import_id: ObjectId):
    return history_import_state(history_import_get(user=request.auth, import_id=import_id))
