"""/api/v1/pocs: proofs of concept, their lifecycle (§3) and their timeline."""

import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pocdesk.core.api import (
    PAGINATION_HELP,
    FileRef,
    InputSchema,
    NamedRef,
    ObjectId,
    PageNumber,
    TeamRef,
    Text,
    UserRef,
    choice,
    error_responses,
    owner_for,
)
from pocdesk.core.errors import NotFound, ValidationFailed
from pocdesk.opportunities.selectors import opportunity_get
from pocdesk.qualification.services import qualification_override

from .lifecycle import allowed_targets
from .models import PocType
from .models import Status as PocStatus
from .selectors import POC_ORDERINGS, poc_events, poc_get, poc_list
from .services import poc_create, poc_transition, poc_update

POCOrdering = choice(POC_ORDERINGS)

router = Router(tags=["POCs"])

StatusChoice = choice(PocStatus.values)
TypeChoice = choice(PocType.values)
LanguageChoice = choice([code for code, _name in settings.LANGUAGES])


class OpportunityRef(Schema):
    id: int
    name: str
    account: NamedRef
    amount: str = Field(description="Decimal string.")
    currency: str

    @staticmethod
    def resolve_amount(obj) -> str:
        return str(obj.amount)


class POCOut(Schema):
    id: int
    title: str
    objective: str = Field(description="What this POC must prove.")
    type: str = Field(description="One of " + ", ".join(PocType.values) + ".")
    status: str = Field(description="Lifecycle status: " + ", ".join(PocStatus.values) + ".")
    allowed_transitions: list[str] = Field(
        description="Statuses this POC may move to from its current one (their guards may "
        "still refuse: see POST /pocs/{id}/transition).")
    opportunity: OpportunityRef
    team: TeamRef
    owner: UserRef = Field(description="The presales engineer who runs the POC.")
    language: str = Field(description="Language of the POC's documents.")
    commitment_level: int = Field(description="Customer commitment (§4.3): 0 none, 1 "
                                  "collaborative agreement in writing, 2 funded POC, 3 "
                                  "conditional purchase order. Set with PUT "
                                  "/pocs/{id}/commitment.")
    commitment_reference: str = Field(description="Level 1: the written agreement's reference.")
    commitment_document: FileRef | None = Field(description="The commitment's evidence document, "
                                                "if uploaded (through the web pages).")
    funded_amount: str | None = Field(description="Level 2: what the customer pays (decimal "
                                      "string, in the opportunity's currency).")
    funded_share: str | None = Field(description="Level 2: the share of the POC cost the "
                                     "customer pays, in % (decimal string).")
    conditional_po_reference: str = Field(description="Level 3: the purchase order's reference.")
    conditional_po_value: str | None = Field(description="Level 3: the order's value (decimal "
                                             "string).")
    conditional_po_criteria: str = Field(description="Level 3: the criteria that trigger the "
                                         "order.")
    start_date: datetime.date | None
    end_date: datetime.date | None
    status_changed_at: datetime.datetime
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_type(obj) -> str:
        return obj.poc_type

    @staticmethod
    def resolve_allowed_transitions(obj) -> list[str]:
        return [str(status) for status in allowed_targets(obj.status)]

    @staticmethod
    def resolve_funded_amount(obj) -> str | None:
        return _decimal_text(obj.funded_amount)

    @staticmethod
    def resolve_funded_share(obj) -> str | None:
        return _decimal_text(obj.funded_share)

    @staticmethod
    def resolve_conditional_po_value(obj) -> str | None:
        return _decimal_text(obj.conditional_po_value)


def _decimal_text(value) -> str | None:
    return None if value is None else str(value)


class EventOut(Schema):
    id: int
    verb: str = Field(description="What happened, e.g. `poc.transitioned`.")
    description: str = Field(description="The event in a sentence, in the reader's language.")
    actor: UserRef | None
    time: datetime.datetime = Field(description="When it happened.")
    target_type: str
    target_id: str
    target_label: str
    data: dict[str, Any] = Field(description="Details of the change (e.g. `from`, `to`, "
                                 "`reason` of a transition).")

    @staticmethod
    def resolve_time(obj) -> datetime.datetime:
        return obj.created_at


class POCFilters(Schema):
    q: Text = Field("", max_length=200,
                    description="Search in the title, the opportunity and the account.")
    status: StatusChoice | None = None
    team: ObjectId | None = Field(None, description="Team id.")
    owner: ObjectId | None = Field(None, description="Owner's user id.")
    type: TypeChoice | None = Field(None, description="POC type.")
    opportunity: ObjectId | None = Field(None, description="Opportunity id.")
    ordering: POCOrdering = Field(
        "-updated", description="Sort key; a leading `-` sorts descending.")


class POCIn(InputSchema):
    opportunity: ObjectId = Field(description="Opportunity id: a POC serves one active deal.")
    title: Text
    objective: Text = Field(description="What this POC must prove.")
    type: TypeChoice | None = Field(None, description="POC type; on-site pilot by "
                                    "default.")
    owner: ObjectId | None = Field(None, description="Owner's user id (a team member); by "
                                   "default you.")
    language: LanguageChoice | None = Field(
        None, description="Language of the POC's documents; by default yours.")
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


class POCPatch(InputSchema):
    title: Text = None
    objective: Text = None
    type: TypeChoice = None
    owner: ObjectId = Field(None, description="Owner's user id (a team member).")
    language: LanguageChoice = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


class TransitionIn(InputSchema):
    to: StatusChoice = Field(description="The status to move to.")
    reason: Text = Field("", max_length=2000, description="Why; required to walk away, and the "
                         "written justification of an override.")
    override: bool = Field(False, description="Managers only, with `to` = `qualified`: qualify "
                           "the POC although mandatory qualification checks fail; `reason` "
                           "(at least 10 characters) is recorded as the justification.")


def _opportunity_for(actor, opportunity_id: int):
    try:
        return opportunity_get(user=actor, opportunity_id=opportunity_id)
    except NotFound as error:
        raise ValidationFailed({"opportunity": [
            _("Choose an opportunity of your team.")]}) from error


def _changes(payload: POCPatch) -> dict[str, Any]:
    changes = payload.model_dump(exclude_unset=True)
    if "type" in changes:
        changes["poc_type"] = changes.pop("type")
    if "owner" in changes:
        changes["owner"] = owner_for(changes["owner"])
    return changes


@router.get("", response={200: list[POCOut], **error_responses(422)},
            operation_id="poc_list", summary="List POCs",
            description="The POCs of your teams. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_pocs(request, filters: Query[POCFilters]):
    return poc_list(user=request.auth, q=filters.q, status=filters.status or "",
                    team_id=filters.team, owner_id=filters.owner, poc_type=filters.type or "",
                    opportunity_id=filters.opportunity, ordering=filters.ordering)


@router.post("", response={201: POCOut, **error_responses(403, 422)},
             operation_id="poc_create", summary="Create a POC",
             description="Any member of the opportunity's team may create a POC; it starts in "
             "`draft`.")
def create_poc(request, payload: POCIn):
    poc = poc_create(
        actor=request.auth, opportunity=_opportunity_for(request.auth, payload.opportunity),
        title=payload.title, objective=payload.objective, poc_type=payload.type,
        owner=owner_for(payload.owner), language=payload.language,
        start_date=payload.start_date, end_date=payload.end_date)
    return Status(201, poc_get(user=request.auth, poc_id=poc.pk))


@router.get("/{poc_id}", response={200: POCOut, **error_responses(404, 422)},
            operation_id="poc_get", summary="Read a POC")
def get_poc(request, poc_id: ObjectId):
    return poc_get(user=request.auth, poc_id=poc_id)


@router.patch("/{poc_id}", response={200: POCOut, **error_responses(403, 404, 422)},
              operation_id="poc_update", summary="Change a POC",
              description="Send only the fields to change. The status changes only through "
              "POST /pocs/{id}/transition.")
def update_poc(request, poc_id: ObjectId, payload: POCPatch):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    poc_update(actor=request.auth, poc=poc, **_changes(payload))
    return poc_get(user=request.auth, poc_id=poc_id)


@router.post("/{poc_id}/transition",
             response={200: POCOut, **error_responses(403, 404, 409, 422)},
             operation_id="poc_transition", summary="Move a POC along its lifecycle",
             description="Presales engineers and managers of the team move POCs. A refusal "
             "answers 409 `transition_refused`, nothing changed, with `details.unmet` listing "
             "the unmet checks by code (e.g. `transition_not_allowed`, `reason_required`, or "
             "for draft → qualified the failed mandatory qualification checks such as "
             "`budget_confirmed`, see GET /pocs/{id}/qualification) and `details.checks` their "
             "messages. With `\"override\": true` a manager qualifies a draft POC despite "
             "failed mandatory checks; `reason` is the justification (422 when shorter than 10 "
             "characters, 403 for anyone but a manager of the team).")
def transition_poc(request, poc_id: ObjectId, payload: TransitionIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    if not payload.override:
        poc_transition(actor=request.auth, poc=poc, to=payload.to, reason=payload.reason)
    elif payload.to != PocStatus.QUALIFIED:
        raise ValidationFailed({"override": [
            _("Only the move from draft to qualified can be overridden.")]})
    else:
        try:
            qualification_override(actor=request.auth, poc=poc, justification=payload.reason)
        except ValidationFailed as error:  # the API calls the justification `reason`
            if "justification" not in error.fields:
                raise
            fields = dict(error.fields)
            fields["reason"] = fields.pop("justification")
            raise ValidationFailed(fields) from error
    return poc_get(user=request.auth, poc_id=poc_id)


@router.get("/{poc_id}/events", response={200: list[EventOut], **error_responses(404, 422)},
            operation_id="poc_events", summary="The POC's timeline",
            description="Every change of the POC, newest first. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_poc_events(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return poc_events(user=request.auth, poc=poc)
