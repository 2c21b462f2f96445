"""/api/v1/pocs/{id}/…/versions, /signoffs and /report: the versions of the plan documents
(success criteria, agreement), their two signatures, their diffs and the rendered documents
(§5.2–§5.4).

The versions endpoints are the same for every document kind: `add_version_routes` registers
them on the kind's own router (criteria, agreement), so both behave alike.
"""

import datetime
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.params.models import Form, FormModel

from pocdesk.core.api import (
    PAGINATION_HELP,
    FileRef,
    InputSchema,
    NamedRef,
    ObjectId,
    PageNumber,
    Text,
    UserRef,
    choice,
    error_responses,
)
from pocdesk.core.errors import ApplicationError, NotFound, ValidationFailed
from pocdesk.pocs.selectors import poc_get
from pocdesk.stakeholders.selectors import stakeholder_get

from .models import DocumentKind, SignatureMethod, SignatureSide, VersionStatus
from .selectors import DRAFT, plan_diff, plan_state, plan_version_get, plan_versions, version_verify
from .services import plan_version_submit, signoff_record

router = Router(tags=["Sign-off"])  # mounted at /pocs

KindChoice = choice(DocumentKind.values)
SideChoice = choice(SignatureSide.values)
MethodChoice = choice(SignatureMethod.values)

VERSION_REF_PATTERN = r"^(draft|[1-9][0-9]{0,17})$"


# --- output ----------------------------------------------------------------------------------

class SignatureOut(Schema):
    side: str = Field(description="One of " + ", ".join(SignatureSide.values) + ".")
    method: str = Field(description="`in_app`: a vendor user signed in pocdesk; `scan`: a "
                        "signature given on paper, recorded with its signed scan.")
    signer_name: str
    signer_title: str
    stakeholder: NamedRef | None = Field(description="The signatory in the decision chain, if "
                                         "named.")
    signed_at: datetime.datetime
    content_hash: str = Field(description="SHA-256 of the content this signature was given on.")
    scan: FileRef | None = Field(description="The signed scan (method `scan`).")


class VersionOut(Schema):
    kind: str = Field(description="`criteria` or `agreement`.")
    number: int
    status: str = Field(description="One of " + ", ".join(VersionStatus.values) + ".")
    content_hash: str = Field(description="SHA-256 of the canonical content.")
    submitted_by: UserRef | None
    submitted_at: datetime.datetime
    signed_at: datetime.datetime | None = Field(description="When the second side signed.")
    signatures: list[SignatureOut]
    verified: bool = Field(description="The content still matches its hash and every "
                           "signature's seal is intact.")
    problems: list[str] = Field(description="What does not verify, in the reader's language.")
    content: dict[str, Any] = Field(description="The frozen content: `{\"kind\", \"fields\": "
                                    "{...}, \"lists\": {...}}`; values are strings, numbers, "
                                    "booleans or null (decimals and dates as strings).")

    @staticmethod
    def resolve_signatures(obj) -> list:
        return list(obj.signatures.all())

    @staticmethod
    def resolve_verified(obj) -> bool:
        return _verification(obj).valid

    @staticmethod
    def resolve_problems(obj) -> list[str]:
        return [str(problem) for problem in _verification(obj).problems]


def _verification(version):
    """Verify a version once per answer (hashes and seals are recomputed)."""
    if not hasattr(version, "_api_verification"):
        version._api_verification = version_verify(version)
    return version._api_verification


class DiffRowOut(Schema):
    change: str = Field(description="`added`, `removed` or `changed`.")
    section: str = Field(description="The list the item belongs to (empty for a field of the "
                         "document itself).")
    item: str = Field(description="The item's title (e.g. the criterion's).")
    field: str = Field(description="The changed field's name (for `changed`).")
    label: str = Field(description="The changed field's label, in the reader's language.")
    old: str
    new: str


class DiffOut(Schema):
    old: str = Field(description="The version compared from (a number or `draft`).")
    new: str = Field(description="The version compared to (a number or `draft`).")
    changes: list[DiffRowOut]


class DocumentSummaryOut(Schema):
    latest: int | None = Field(description="Number of the latest version, null if none.")
    status: str | None = Field(description="Status of the latest version.")
    signed: bool = Field(description="The latest version is signed by both sides, verifies, and "
                         "the draft did not change since: what qualified → agreed needs.")
    awaiting_sides: list[str] = Field(description="Sides still to sign the latest version.")
    draft_changed: bool = Field(description="The live draft differs from the latest version "
                                "(or nothing was submitted yet).")
    draft_number: int = Field(description="The number the draft gets when submitted.")
    hash: str | None = Field(description="SHA-256 of the latest version's content.")
    draft_hash: str = Field(description="SHA-256 of the live draft's content.")
    verified: bool | None = Field(description="The latest version verifies (null if none).")


class SignoffOut(SignatureOut):
    kind: str = Field(description="`criteria` or `agreement`.")
    version: int = Field(description="The version's number.")
    version_status: str = Field(description="The version's status.")

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.version.kind

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.version.number

    @staticmethod
    def resolve_version_status(obj) -> str:
        return obj.version.status


class SignoffsOut(Schema):
    documents: dict[str, DocumentSummaryOut] = Field(description="Where each document stands, "
                                                     "by kind (`criteria`, `agreement`).")
    signatures: list[SignoffOut] = Field(description="Every signature of every version, newest "
                                         "version first.")


# --- input -----------------------------------------------------------------------------------

class SignatureIn(InputSchema):
    kind: KindChoice = Field(description="The document signed.")
    version: ObjectId = Field(description="The number of the version signed; it must await "
                              "signatures.")
    side: SideChoice = Field(description="Which side signs.")
    method: MethodChoice = Field(description="`in_app`: you sign for the vendor yourself; "
                                 "`scan`: record a signature given on paper, with `scan`.")
    signer_name: Text = Field("", max_length=200, description="The signatory; for `in_app` by "
                              "default you, otherwise the stakeholder's name.")
    signer_title: Text = Field("", max_length=200, description="The signatory's job title.")
    stakeholder_id: ObjectId | None = Field(
        None, description="The signatory as a stakeholder of the deal (of the same side).")
    signed_at: datetime.datetime | None = Field(
        None, description="When it was signed; by default now. Not in the future and not "
        "before the version was submitted.")


class DiffQuery(Schema):
    old: str = Field(pattern=VERSION_REF_PATTERN, description="A version number or `draft`.")
    new: str = Field(DRAFT, pattern=VERSION_REF_PATTERN,
                     description="A version number or `draft` (the default).")


class _FormOrJsonModel(FormModel):
    """Reads the fields from a form (multipart or url-encoded) or from a JSON object.

    Unknown fields are kept so that the schema refuses them, as for every JSON body.
    """

    @classmethod
    def get_request_data(cls, request, api, path_params):
        if request.content_type == "application/json":
            if not request.body:
                return {}
            try:
                return api.parser.parse_body(request)
            except ValueError as error:
                raise HttpError(400, "Cannot parse request body") from error
        data = super().get_request_data(request, api, path_params) or {}
        return {name: value for name, value in data.items() if value != ""}

    @classmethod
    def _map_data_paths(cls, data):
        parent = next(iter(cls.__ninja_flatten_map__.values()))[:-1]
        if not isinstance(data, dict):
            return {parent[0]: data}
        known = {name: value for name, value in data.items() if name in cls.__ninja_flatten_map__}
        mapped = super()._map_data_paths(known)
        target = mapped
        for name in parent:
            target = target.setdefault(name, {})
        target.update({name: value for name, value in data.items() if name not in known})
        return mapped


class _FormOrJson(Form):
    _model = _FormOrJsonModel

    @classmethod
    def _param_source(cls) -> str:
        return "form"


def _json_body_schema(schema: type[Schema]) -> dict[str, Any]:
    return {"requestBody": {"content": {"application/json": {
        "schema": schema.model_json_schema(ref_template="#/components/schemas/{model}")}}}}


# --- helpers ---------------------------------------------------------------------------------

def renamed_fields(error: ValidationFailed, names: dict[str, str]) -> ValidationFailed:
    """The service's field names as the API calls them."""
    return ValidationFailed({names.get(name, name): messages
                             for name, messages in error.fields.items()})


def _version_ref(value: str) -> int | str:
    return value if value == DRAFT else int(value)


def _submit(request, poc_id: int, kind: str, number: int | None):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    if number is not None:
        expected = plan_state(poc=poc)[kind].draft_number
        if number != expected:
            raise ApplicationError(
                "version_mismatch",
                _("The draft becomes version %(expected)d when submitted, not version "
                  "%(number)d: reload and check what you submit.")
                % {"expected": expected, "number": number},
                details={"expected": expected}, status=409)
    version = plan_version_submit(actor=request.auth, poc=poc, kind=kind)
    return Status(201, plan_version_get(poc=poc, kind=kind, number=version.number))


SUBMIT_HELP = (
    "Freezes the live draft as the next version, awaiting both signatures; a version still "
    "awaiting signatures is superseded. 409 `plan_unchanged` when the draft equals the latest "
    "version, `plan_incomplete` when there is nothing to submit (`details.problems`).")


def add_version_routes(router: Router, *, kind: str) -> None:
    """Register the versions endpoints of one plan document kind on its router (at /pocs).

    Call it before the router's own `/{poc_id}/<kind>/{id}` routes, so that `versions` is not
    taken for an id.
    """
    label = str(DocumentKind(kind).label).lower()
    base = f"/{{poc_id}}/{kind}/versions"

    @router.get(base, response={200: list[VersionOut], **error_responses(404, 422)},
                operation_id=f"{kind}_versions", summary=f"List the {label} versions",
                description=f"The submitted versions of the {label}, newest first, with their "
                "signatures and whether their hashes and seals verify. " + PAGINATION_HELP)
    @paginate(PageNumber)
    def list_versions(request, poc_id: ObjectId):
        poc = poc_get(user=request.auth, poc_id=poc_id)
        return plan_versions(poc=poc, kind=kind)

    @router.post(base, response={201: VersionOut, **error_responses(403, 404, 409, 422)},
                 operation_id=f"{kind}_submit", summary=f"Submit the {label} for signature",
                 description=SUBMIT_HELP)
    def submit_draft(request, poc_id: ObjectId):
        return _submit(request, poc_id, kind, None)

    @router.get(f"{base}/diff", response={200: DiffOut, **error_responses(404, 422)},
                operation_id=f"{kind}_diff", summary=f"Compare two versions of the {label}",
                description="What changed from `old` to `new`, in words: each is a version "
                "number or `draft` (the live draft). 404 for a version that does not exist.")
    def diff_versions(request, poc_id: ObjectId, query: Query[DiffQuery]):
        poc = poc_get(user=request.auth, poc_id=poc_id)
        rows = plan_diff(poc=poc, kind=kind, old=_version_ref(query.old),
                         new=_version_ref(query.new))
        return {"old": query.old, "new": query.new, "changes": rows}

    @router.get(f"{base}/{{number}}", response={200: VersionOut, **error_responses(404, 422)},
                operation_id=f"{kind}_version_get", summary=f"Read a version of the {label}")
    def get_version(request, poc_id: ObjectId, number: ObjectId):
        poc = poc_get(user=request.auth, poc_id=poc_id)
        return plan_version_get(poc=poc, kind=kind, number=number)

    @router.post(f"{base}/{{number}}/submit",
                 response={201: VersionOut, **error_responses(403, 404, 409, 422)},
                 operation_id=f"{kind}_version_submit",
                 summary=f"Submit the {label} draft as version N",
                 description=SUBMIT_HELP + " `number` must be the number the draft gets (the "
                 "latest version's + 1, see `draft_number` in GET /pocs/{id}/signoffs): "
                 "otherwise 409 `version_mismatch` with `details.expected`, nothing submitted.")
    def submit_version(request, poc_id: ObjectId, number: ObjectId):
        return _submit(request, poc_id, kind, number)


# --- /pocs/{id}/signoffs -----------------------------------------------------------------------

@router.get("/{poc_id}/signoffs", response={200: SignoffsOut, **error_responses(404, 422)},
            operation_id="signoff_list", summary="The POC's signatures",
            description="Every signature of every version of both plan documents, and where "
            "each document stands.")
def list_signoffs(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    versions = list(plan_versions(poc=poc))
    documents = {}
    for kind, state in plan_state(poc=poc, versions=versions).items():
        latest = state.latest
        documents[kind] = {
            "latest": latest.number if latest else None,
            "status": latest.status if latest else None,
            "signed": state.signed, "awaiting_sides": state.awaiting_sides,
            "draft_changed": state.draft_changed, "draft_number": state.draft_number,
            "hash": latest.content_hash if latest else None, "draft_hash": state.draft_hash,
            "verified": state.verification.valid if state.verification else None,
        }
    signatures = [signature for version in sorted(versions, key=_newest_first)
                  for signature in version.signatures.all()]
    return {"documents": documents, "signatures": signatures}


def _newest_first(version) -> tuple:
    return (-version.submitted_at.timestamp(), -version.pk)


@router.post(
    "/{poc_id}/signoffs", response={201: SignoffOut, **error_responses(403, 404, 409, 422)},
    operation_id="signoff_record", summary="Record a signature",
    description="One side's signature on a version awaiting signatures. Send "
    "`multipart/form-data` (needed for `method` = `scan`: the signed scan, PDF or image, goes "
    "in the `scan` file field) or a JSON object (for `in_app` only: JSON cannot carry a "
    "file). A vendor user signs `in_app` for the vendor (the signatory is you); a customer "
    "signature given on paper is recorded as `scan`. When both sides have signed, the version "
    "is `signed`. 409 `version_not_awaiting` (signed already or superseded), `already_signed` "
    "(this side signed), `content_tampered` (the version no longer verifies); 422 names the "
    "bad fields.",
    openapi_extra=_json_body_schema(SignatureIn))
def record_signoff(request, poc_id: ObjectId,
                   payload: Annotated[SignatureIn, _FormOrJson(...)],
                   scan: File[UploadedFile] = None):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    try:
        version = plan_version_get(poc=poc, kind=payload.kind, number=payload.version)
    except NotFound as error:
        raise ValidationFailed({"version": [_("This version does not exist.")]}) from error
    stakeholder = None
    if payload.stakeholder_id is not None:
        try:
            stakeholder = stakeholder_get(user=request.auth, stakeholder_id=payload.stakeholder_id)
        except NotFound as error:
            raise ValidationFailed({"stakeholder_id": [
                _("Choose a stakeholder of your team.")]}) from error
    signed_at = payload.signed_at
    if signed_at is not None and timezone.is_naive(signed_at):
        signed_at = timezone.make_aware(signed_at)
    try:
        signature = signoff_record(
            actor=request.auth, version=version, side=payload.side, method=payload.method,
            signer_name=payload.signer_name, signer_title=payload.signer_title,
            stakeholder=stakeholder, scan=scan, signed_at=signed_at)
    except ValidationFailed as error:
        raise renamed_fields(error, {"stakeholder": "stakeholder_id"}) from error
    signed = plan_version_get(poc=poc, kind=payload.kind, number=payload.version)
    return Status(201, next(s for s in signed.signatures.all() if s.pk == signature.pk))
