"""/api/v1/pocs: proofs of concept, their lifecycle (§3) and their timeline."""

import datetime
from decimal import Decimal
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
from pocdesk.timebox.selectors import annotate_timebox

from .lifecycle import allowed_targets
from .models import POC, PocType
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
    planned_effort_hours: str | None = Field(description="The vendor's effort the plan "
                                             "foresees, in hours (decimal string); scope creep "
                                             "is measured against it.")
    approved_duration_days: int | None = Field(description="A timebox longer than the team's "
                                               "maximum that a manager approved, in days.")
    drift_days: int = Field(description="Days added to the timebox by approved extensions.")
    extensions_approved: int = Field(description="Number of approved extensions.")
    milestones_at_risk: int = Field(description="Open milestones 1–6 days past their due date.")
    milestones_stalled: int = Field(description="Open milestones 7 days or more past their due "
                                    "date.")
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

    @staticmethod
    def resolve_planned_effort_hours(obj) -> str | None:
        return _decimal_text(obj.planned_effort_hours)

    @staticmethod
    def resolve_drift_days(obj) -> int:
        return _timebox_annotation(obj, "drift_days")

    @staticmethod
    def resolve_extensions_approved(obj) -> int:
        return _timebox_annotation(obj, "extensions_approved")

    @staticmethod
    def resolve_milestones_at_risk(obj) -> int:
        return _timebox_annotation(obj, "milestones_at_risk")

    @staticmethod
    def resolve_milestones_stalled(obj) -> int:
        return _timebox_annotation(obj, "milestones_stalled")


TIMEBOX_ANNOTATIONS = ("drift_days", "extensions_approved", "milestones_at_risk",
                       "milestones_stalled")


def _timebox_annotation(poc, name: str) -> int:
    """Lists and this module's answers come annotated (see `_poc_answer`); a POC read without
    the annotations (another router answering a POC) costs one query for all four."""
    if not hasattr(poc, name):
        values = annotate_timebox(POC.objects.filter(pk=poc.pk)).values(
            *TIMEBOX_ANNOTATIONS).first() or dict.fromkeys(TIMEBOX_ANNOTATIONS, 0)
        for annotation, value in values.items():
            setattr(poc, annotation, value)
    return getattr(poc, name)


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


EFFORT_HELP = ("The vendor's planned effort in hours (decimal string or number, at least 0, one "
               "decimal); scope creep is measured against it.")
END_HELP = ("A timebox longer than the team's maximum duration is refused (422 on `end_date`) "
            "unless a manager of the team sends `approve_duration`.")
APPROVE_HELP = ("Managers only: approve dates longer than the team's maximum duration (recorded "
                "on the POC as `approved_duration_days`); 422 on `approve_duration` for anyone "
                "else.")
DATES_HELP = ("Only while the POC is draft or qualified: once agreed, 409 `timebox_agreed` "
              "(request an extension, POST /pocs/{id}/extensions).")


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
    end_date: datetime.date | None = Field(None, description=END_HELP)
    planned_effort_hours: Decimal | None = Field(None, description=EFFORT_HELP)
    approve_duration: bool = Field(False, description=APPROVE_HELP)


class POCPatch(InputSchema):
    title: Text = None
    objective: Text = None
    type: TypeChoice = None
    owner: ObjectId = Field(None, description="Owner's user id (a team member).")
    language: LanguageChoice = None
    start_date: datetime.date | None = Field(None, description=DATES_HELP)
    end_date: datetime.date | None = Field(None, description=DATES_HELP + " " + END_HELP)
    planned_effort_hours: Decimal | None = Field(None, description=EFFORT_HELP
                                                 + " null clears it.")
    approve_duration: bool = Field(False, description=APPROVE_HELP)


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


def _poc_answer(user, poc_id: int):
    """The POC as answered: with its drift and milestone health (subqueries, no extra query)."""
    poc = annotate_timebox(poc_list(user=user)).filter(pk=poc_id).first()
    if poc is None:
        raise NotFound()
    return poc


def _changes(payload: POCPatch) -> dict[str, Any]:
    changes = payload.model_dump(exclude_unset=True, exclude={"approve_duration"})
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
    return annotate_timebox(poc_list(
        user=request.auth, q=filters.q, status=filters.status or "", team_id=filters.team,
        owner_id=filters.owner, poc_type=filters.type or "", opportunity_id=filters.opportunity,
        ordering=filters.ordering))


@router.post("", response={201: POCOut, **error_responses(403, 422)},
             operation_id="poc_create", summary="Create a POC",
             description="Any member of the opportunity's team may create a POC; it starts in "
             "`draft`.")
def create_poc(request, payload: POCIn):
    poc = poc_create(
        actor=request.auth, opportunity=_opportunity_for(request.auth, payload.opportunity),
        title=payload.title, objective=payload.objective, poc_type=payload.type,
        owner=owner_for(payload.owner), language=payload.language,
        start_date=payload.start_date, end_date=payload.end_date,
        planned_effort_hours=payload.planned_effort_hours,
        approve_duration=payload.approve_duration)
    return Status(201, _poc_answer(request.auth, poc.pk))


@router.get("/{poc_id}", response={200: POCOut, **error_responses(404, 422)},
            operation_id="poc_get", summary="Read a POC")
def get_poc(request, poc_id: ObjectId):
    return _poc_answer(request.auth, poc_id)


@router.patch("/{poc_id}", response={200: POCOut, **error_responses(403, 404, 409, 422)},
              operation_id="poc_update", summary="Change a POC",
              description="Send only the fields to change. The status changes only through "
              "POST /pocs/{id}/transition. Once the POC is agreed its dates are the agreed "
              "timebox: changing them answers 409 `timebox_agreed` (`details.fields` names "
              "them), and only an approved extension moves the end date.")
def update_poc(request, poc_id: ObjectId, payload: POCPatch):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    poc_update(actor=request.auth, poc=poc, approve_duration=payload.approve_duration,
               **_changes(payload))
    return _poc_answer(request.auth, poc_id)


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
    return _poc_answer(request.auth, poc_id)


@router.get("/{poc_id}/events", response={200: list[EventOut], **error_responses(404, 422)},
            operation_id="poc_events", summary="The POC's timeline",
            description="Every change of the POC, newest first. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_poc_events(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return poc_events(user=request.auth, poc=poc)
