"""/api/v1/pocs/{id}/scope-changes and /commitments: the customer's scope-change requests with
their decisions and the scope-creep indicator (§7), and the commitments register (§8.4)."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pocdesk.core.api import (
    PAGINATION_HELP,
    InputSchema,
    NamedRef,
    ObjectId,
    PageNumber,
    Text,
    UserRef,
    choice,
    error_responses,
)
from pocdesk.core.errors import ValidationFailed
from pocdesk.pocs.selectors import poc_get

from .models import ChangeClass, ChangeDecision, CommitmentCategory, CommitmentStatus
from .selectors import (
    commitment_get,
    commitments_for_poc,
    roadmap_items,
    scope_change_get,
    scope_changes_for_poc,
    scope_creep,
)
from .services import (
    commitment_create,
    commitment_resolve,
    commitment_update,
    scope_change_create,
    scope_change_decide,
    scope_change_update,
)

router = Router(tags=["Scope"])  # mounted at /pocs

ClassChoice = choice(ChangeClass.values)
DecisionChoice = choice([value for value in ChangeDecision.values
                         if value != ChangeDecision.PENDING])
CategoryChoice = choice(CommitmentCategory.values)
CommitmentStatusChoice = choice(CommitmentStatus.values)
ResolutionChoice = choice([value for value in CommitmentStatus.values
                           if value != CommitmentStatus.OPEN])

CUSTOMER_HELP = "Id of a customer stakeholder of the deal."
HOURS_HELP = "Decimal string (or number) of hours, one decimal."


def _decimal_text(value) -> str | None:
    return None if value is None else str(value)


# --- output ----------------------------------------------------------------------------------

class ScopeChangeOut(Schema):
    id: int
    text: str = Field(description="The customer's request.")
    requested_by: NamedRef = Field(description="The customer stakeholder who asked.")
    requested_on: datetime.date
    effort_hours: str = Field(description="The effort estimate in hours (decimal string).")
    change_class: str = Field(description="`minor_adjustment` (acceptable inside the POC), "
                              "`evolution` (goes on the post-signature roadmap) or "
                              "`specific_development` (needs a dedicated budget).")
    decision: str = Field(description="One of " + ", ".join(ChangeDecision.values) + ".")
    decided_by: UserRef | None
    decided_at: datetime.datetime | None
    decision_note: str
    quote_amount: str | None = Field(description="The quoted budget (decimal string).")
    quote_currency: str = Field(description="ISO 4217 code of the quote.")
    override: bool = Field(description="A specific development a manager accepted without a "
                           "budget (the override is recorded).")
    on_roadmap: bool = Field(description="An evolution nobody rejected: on the post-signature "
                             "roadmap.")
    recorded_by: UserRef
    created_at: datetime.datetime

    @staticmethod
    def resolve_effort_hours(obj) -> str:
        return str(obj.effort_hours)

    @staticmethod
    def resolve_quote_amount(obj) -> str | None:
        return _decimal_text(obj.quote_amount)

    @staticmethod
    def resolve_on_roadmap(obj) -> bool:
        return bool(roadmap_items([obj]))


class ScopeSummaryOut(Schema):
    planned_hours: str | None = Field(description="The POC's planned effort (decimal string); "
                                      "null when not set, and then no share is computed.")
    accepted_hours: str = Field(description="Accepted effort of minor adjustments and specific "
                                "developments (evolutions go on the roadmap, not in the POC).")
    share: int | None = Field(description="Accepted effort as a % of the planned effort.")
    threshold: int = Field(description="The team's scope-creep warning threshold, in %.")
    over: bool = Field(description="The share is above the threshold.")
    pending: int = Field(description="Requests awaiting a decision.")
    overrides: int = Field(description="Specific developments accepted without a budget.")
    roadmap_ids: list[int] = Field(description="Ids of the requests on the post-signature "
                                   "roadmap.")


class ScopeChangeRef(Schema):
    id: int
    text: str = Field(description="The request, shortened.")

    @staticmethod
    def resolve_text(obj) -> str:
        return str(obj)


class CommitmentOut(Schema):
    id: int
    text: str = Field(description="What was promised.")
    made_by: UserRef = Field(description="Who promised it (a team member).")
    made_to: NamedRef = Field(description="The customer stakeholder it was promised to.")
    category: str = Field(description="`uncertain` (an answer due within 24 h), `risky` "
                          "(stated preconditions) or `out_of_scope` (a feasibility assessment "
                          "or a scope-change request).")
    made_at: datetime.datetime
    due_at: datetime.datetime
    preconditions: str
    scope_change: ScopeChangeRef | None
    feasibility: str
    status: str = Field(description="One of " + ", ".join(CommitmentStatus.values) + ".")
    overdue: bool = Field(description="Open and past its due time.")
    resolved_at: datetime.datetime | None
    resolution_note: str
    created_at: datetime.datetime


# --- input -----------------------------------------------------------------------------------

class ScopeChangeIn(InputSchema):
    text: Text = Field(max_length=5000, description="The customer's request.")
    requested_by: ObjectId = Field(description=CUSTOMER_HELP)
    effort_hours: Decimal = Field(description=HOURS_HELP + " At least 0.")
    change_class: ClassChoice
    requested_on: datetime.date | None = Field(None, description="By default today; not in the "
                                               "future.")


class ScopeChangePatch(InputSchema):
    text: Text = Field(None, max_length=5000)
    requested_by: ObjectId = Field(None, description=CUSTOMER_HELP)
    effort_hours: Decimal = Field(None, description=HOURS_HELP)
    change_class: ClassChoice = None
    requested_on: datetime.date = None


class ScopeDecisionIn(InputSchema):
    decision: DecisionChoice = Field(description="`accepted`, `deferred`, `quoted` (needs the "
                                     "quoted amount) or `rejected` (needs a note).")
    note: Text = Field("", max_length=2000)
    quote_amount: Decimal | None = Field(None, description="The quoted budget (decimal string, "
                                         "more than 0), with `quote_currency`; by default the "
                                         "current quote.")
    quote_currency: Text = Field("", max_length=3, description="ISO 4217 code.")
    override: bool = Field(False, description="Managers only: accept a specific development "
                           "without a quoted budget; `note` says why.")


class CommitmentFilters(Schema):
    status: CommitmentStatusChoice | None = Field(None, description="Only this status.")
    overdue: bool | None = Field(None, description="true: only the overdue ones; false: only "
                                 "those not overdue.")


DUE_HELP = ("When it is due (ISO 8601; without an offset, the server's time zone). An "
            "uncertain commitment is due 24 hours after it was made unless given; the others "
            "need it.")


class CommitmentIn(InputSchema):
    text: Text = Field(max_length=5000, description="What was promised.")
    made_to: ObjectId = Field(description=CUSTOMER_HELP)
    category: CategoryChoice
    made_by: ObjectId | None = Field(None, description="Id of the team member who promised it; "
                                     "by default you.")
    made_at: datetime.datetime | None = Field(None, description="By default now; not in the "
                                              "future.")
    due_at: datetime.datetime | None = Field(None, description=DUE_HELP)
    preconditions: Text = Field("", max_length=5000, description="Required for a risky one.")
    scope_change: ObjectId | None = Field(None, description="Id of a scope-change request of "
                                          "this POC; an out-of-scope commitment needs it or a "
                                          "feasibility assessment.")
    feasibility: Text = Field("", max_length=5000)


class CommitmentPatch(InputSchema):
    text: Text = Field(None, max_length=5000)
    made_to: ObjectId = Field(None, description=CUSTOMER_HELP)
    category: CategoryChoice = None
    made_by: ObjectId = None
    made_at: datetime.datetime = None
    due_at: datetime.datetime = Field(None, description=DUE_HELP)
    preconditions: Text = Field(None, max_length=5000)
    scope_change: ObjectId | None = Field(None, description="null removes the link.")
    feasibility: Text = Field(None, max_length=5000)


class CommitmentResolveIn(InputSchema):
    status: ResolutionChoice = Field(description="`kept`, `broken` or `withdrawn` (the last two "
                                     "need a note).")
    note: Text = Field("", max_length=2000)


# --- helpers ---------------------------------------------------------------------------------

def _aware(values: dict, *names: str) -> dict:
    """Times without an offset are in the server's time zone; times that cannot be stored in
    UTC (around the years 1 and 9999) are refused by field."""
    errors: dict[str, list[str]] = {}
    for name in names:
        value = values.get(name)
        if value is None:
            continue
        try:
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            values[name] = value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            errors[name] = [_("Enter a valid date and time.")]
    if errors:
        raise ValidationFailed(errors)
    return values


# --- scope changes ---------------------------------------------------------------------------
# The summary comes first, so that it is never read as a request's id.

@router.get("/{poc_id}/scope-changes",
            response={200: list[ScopeChangeOut], **error_responses(404, 422)},
            operation_id="scope_change_list", summary="List the scope-change requests",
            description="The customer's requests during the POC, oldest first, with their "
            "decisions. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_scope_changes(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return scope_changes_for_poc(poc=poc)


@router.get("/{poc_id}/scope-changes/summary",
            response={200: ScopeSummaryOut, **error_responses(404, 422)},
            operation_id="scope_creep", summary="Scope creep",
            description="Accepted effort against the POC's planned effort, the team's warning "
            "threshold, and the post-signature roadmap.")
def get_scope_summary(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    changes = scope_changes_for_poc(poc=poc)
    creep = scope_creep(poc=poc, changes=changes)
    return {"planned_hours": _decimal_text(creep.planned_hours),
            "accepted_hours": str(creep.accepted_hours), "share": creep.share,
            "threshold": creep.threshold, "over": creep.over, "pending": creep.pending,
            "overrides": creep.overrides,
            "roadmap_ids": [change.pk for change in roadmap_items(changes)]}


@router.post("/{poc_id}/scope-changes",
             response={201: ScopeChangeOut, **error_responses(403, 404, 409, 422)},
             operation_id="scope_change_create", summary="Record a scope-change request",
             description="Any member of the team records what the customer asked for; it waits "
             "for a decision. 409 `poc_closed` once the POC is over.")
def create_scope_change(request, poc_id: ObjectId, payload: ScopeChangeIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    change = scope_change_create(actor=request.auth, poc=poc, **payload.model_dump())
    return Status(201, scope_change_get(poc=poc, pk=change.pk))


@router.get("/{poc_id}/scope-changes/{change_id}",
            response={200: ScopeChangeOut, **error_responses(404, 422)},
            operation_id="scope_change_get", summary="Read a scope-change request")
def get_scope_change(request, poc_id: ObjectId, change_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return scope_change_get(poc=poc, pk=change_id)


@router.patch("/{poc_id}/scope-changes/{change_id}",
              response={200: ScopeChangeOut, **error_responses(403, 404, 409, 422)},
              operation_id="scope_change_update", summary="Correct a scope-change request",
              description="Send only the fields to change. 409 `scope_change_decided` once it "
              "is accepted or rejected: record a new request instead.")
def update_scope_change(request, poc_id: ObjectId, change_id: ObjectId,
                        payload: ScopeChangePatch):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    change = scope_change_get(poc=poc, pk=change_id)
    scope_change_update(actor=request.auth, change=change,
                        **payload.model_dump(exclude_unset=True))
    return scope_change_get(poc=poc, pk=change_id)


@router.post("/{poc_id}/scope-changes/{change_id}/decision",
             response={200: ScopeChangeOut, **error_responses(403, 404, 409, 422)},
             operation_id="scope_change_decide", summary="Decide a scope-change request",
             description="Any member of the team decides, except that accepting a specific "
             "development (paid scope) is a manager's decision (403 otherwise). Without a "
             "quoted budget it is refused (422 on `quote_amount`) unless the manager sends "
             "`override` with a `note`; the override is recorded.")
def decide_scope_change(request, poc_id: ObjectId, change_id: ObjectId,
                        payload: ScopeDecisionIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    change = scope_change_get(poc=poc, pk=change_id)
    scope_change_decide(actor=request.auth, change=change, **payload.model_dump())
    return scope_change_get(poc=poc, pk=change_id)


# --- commitments -----------------------------------------------------------------------------

@router.get("/{poc_id}/commitments",
            response={200: list[CommitmentOut], **error_responses(404, 422)},
            operation_id="commitment_list", summary="List the commitments",
            description="The promises made to the customer, by due time, each flagged when "
            "overdue; filter with `status` and `overdue`. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_commitments(request, poc_id: ObjectId, filters: Query[CommitmentFilters]):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return [commitment for commitment in commitments_for_poc(poc=poc)
            if (filters.status is None or commitment.status == filters.status)
            and (filters.overdue is None or commitment.overdue == filters.overdue)]


@router.post("/{poc_id}/commitments",
             response={201: CommitmentOut, **error_responses(403, 404, 409, 422)},
             operation_id="commitment_create", summary="Register a commitment",
             description="An uncertain commitment is due 24 hours after it was made unless "
             "`due_at` says otherwise; a risky one states its `preconditions`; an out-of-scope "
             "one links a `scope_change` of this POC or a `feasibility` assessment. 422 names "
             "the missing field.")
def create_commitment(request, poc_id: ObjectId, payload: CommitmentIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    values = _aware(payload.model_dump(), "made_at", "due_at")
    commitment = commitment_create(actor=request.auth, poc=poc, **values)
    return Status(201, commitment_get(poc=poc, pk=commitment.pk))


@router.get("/{poc_id}/commitments/{commitment_id}",
            response={200: CommitmentOut, **error_responses(404, 422)},
            operation_id="commitment_get", summary="Read a commitment")
def get_commitment(request, poc_id: ObjectId, commitment_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return commitment_get(poc=poc, pk=commitment_id)


@router.patch("/{poc_id}/commitments/{commitment_id}",
              response={200: CommitmentOut, **error_responses(403, 404, 409, 422)},
              operation_id="commitment_update", summary="Correct a commitment",
              description="Send only the fields to change; the rules of its category still "
              "apply. 409 `commitment_closed` once it is kept, broken or withdrawn.")
def update_commitment(request, poc_id: ObjectId, commitment_id: ObjectId,
                      payload: CommitmentPatch):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    commitment = commitment_get(poc=poc, pk=commitment_id)
    changes = _aware(payload.model_dump(exclude_unset=True), "made_at", "due_at")
    commitment_update(actor=request.auth, commitment=commitment, **changes)
    return commitment_get(poc=poc, pk=commitment_id)


@router.post("/{poc_id}/commitments/{commitment_id}/resolve",
             response={200: CommitmentOut, **error_responses(403, 404, 409, 422)},
             operation_id="commitment_resolve", summary="Close a commitment",
             description="Kept, broken or withdrawn (the last two say what happened in `note`). "
             "409 `commitment_resolved` when it is already closed.")
def resolve_commitment(request, poc_id: ObjectId, commitment_id: ObjectId,
                       payload: CommitmentResolveIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    commitment = commitment_get(poc=poc, pk=commitment_id)
    commitment_resolve(actor=request.auth, commitment=commitment, status=payload.status,
                       note=payload.note)
    return commitment_get(poc=poc, pk=commitment_id)
