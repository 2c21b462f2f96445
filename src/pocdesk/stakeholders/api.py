"""/api/v1/stakeholders and /api/v1/pocs/{id}/engagements: the decision chain (§2) and who
met or acknowledged a POC (what the qualification gate counts as *engaged*)."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pocdesk.accounts.selectors import account_get
from pocdesk.core.api import (
    PAGINATION_HELP,
    InputSchema,
    NamedRef,
    ObjectId,
    PageNumber,
    TeamRef,
    Text,
    UserRef,
    choice,
    error_responses,
)
from pocdesk.core.errors import NotFound, ValidationFailed
from pocdesk.opportunities.selectors import opportunity_get
from pocdesk.pocs.selectors import poc_get

from .models import Attitude, EngagementKind, Influence, Side, StakeholderRole
from .selectors import poc_engagements, stakeholder_get, stakeholder_list
from .services import engagement_record, stakeholder_create, stakeholder_update

router = Router(tags=["Stakeholders"])
poc_router = Router(tags=["Stakeholders"])  # mounted at /pocs

SideChoice = choice(Side.values)
RoleChoice = choice(StakeholderRole.values)
InfluenceChoice = choice(Influence.values)
AttitudeChoice = choice(Attitude.values)
KindChoice = choice(EngagementKind.values)


class StakeholderOut(Schema):
    id: int
    team: TeamRef
    account: NamedRef
    opportunity: NamedRef | None = Field(
        description="The deal they are involved in; null: every deal of the account.")
    name: str
    title: str = Field(description="Job title.")
    side: str = Field(description="One of " + ", ".join(Side.values) + ".")
    role: str = Field(description="Role in the decision: " + ", ".join(StakeholderRole.values)
                      + ".")
    influence: str = Field(description="One of " + ", ".join(Influence.values) + ".")
    attitude: str = Field(description="One of " + ", ".join(Attitude.values) + ".")
    reports_to: NamedRef | None = Field(description="Their manager in the decision chain.")
    needs_surface: str = Field(description="What they ask for.")
    needs_middle: str = Field(description="The problem behind the request.")
    needs_deep: str = Field(description="What is at stake for them personally.")
    email: str
    phone: str
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class StakeholderFilters(Schema):
    q: Text = Field("", max_length=200, description="Search in the name and the job title.")
    account: ObjectId | None = Field(None, description="Account id.")
    opportunity: ObjectId | None = Field(
        None, description="Opportunity id: its own stakeholders and those of its whole account.")
    role: RoleChoice | None = Field(None, description="Role in the decision.")
    side: SideChoice | None = Field(None, description="Customer or vendor side.")


class StakeholderIn(InputSchema):
    account: ObjectId = Field(description="Account id; the stakeholder belongs to its team.")
    opportunity: ObjectId | None = Field(
        None, description="Opportunity id (of the same account); leave out for a person "
        "involved in every deal of the account.")
    name: Text
    title: Text = Field("", description="Job title.")
    side: SideChoice = Side.CUSTOMER.value
    role: RoleChoice = Field(StakeholderRole.INFLUENCER.value, description="Role in the decision.")
    influence: InfluenceChoice = Influence.MEDIUM.value
    attitude: AttitudeChoice = Attitude.NEUTRAL.value
    reports_to: ObjectId | None = Field(
        None, description="Id of their manager: a stakeholder of the same account.")
    needs_surface: Text = ""
    needs_middle: Text = ""
    needs_deep: Text = ""
    email: Text = ""
    phone: Text = ""
    notes: Text = ""


class StakeholderPatch(InputSchema):
    opportunity: ObjectId | None = Field(None, description="null: every deal of the account.")
    name: Text = None
    title: Text = None
    side: SideChoice = None
    role: RoleChoice = None
    influence: InfluenceChoice = None
    attitude: AttitudeChoice = None
    reports_to: ObjectId | None = Field(None, description="null: reports to nobody listed.")
    needs_surface: Text = None
    needs_middle: Text = None
    needs_deep: Text = None
    email: Text = None
    phone: Text = None
    notes: Text = None


class EngagementOut(Schema):
    id: int
    stakeholder: NamedRef
    date: datetime.date
    kind: str = Field(description="How: " + ", ".join(EngagementKind.values) + ".")
    note: str
    recorded_by: UserRef | None
    recorded_at: datetime.datetime


class EngagementIn(InputSchema):
    stakeholder: ObjectId = Field(description="Id of a stakeholder of the POC's customer.")
    date: datetime.date | None = Field(None, description="When; by default today.")
    kind: KindChoice = Field(EngagementKind.MEETING.value, description="How they engaged.")
    note: Text = Field("", max_length=255)


def _visible(getter, field: str, message: str, **lookup):
    """An object named in a body, among those the user sees; otherwise 422 on that field."""
    try:
        return getter(**lookup)
    except NotFound as error:
        raise ValidationFailed({field: [message]}) from error


def _links(actor, fields: dict) -> dict:
    """Turn the ids of `opportunity` and `reports_to` into objects the actor may see."""
    if fields.get("opportunity") is not None:
        fields["opportunity"] = _visible(
            opportunity_get, "opportunity", _("Choose an opportunity of your team."),
            user=actor, opportunity_id=fields["opportunity"])
    if fields.get("reports_to") is not None:
        fields["reports_to"] = _visible(
            stakeholder_get, "reports_to", _("Choose a stakeholder of your team."),
            user=actor, stakeholder_id=fields["reports_to"])
    return fields


@router.get("", response={200: list[StakeholderOut], **error_responses(422)},
            operation_id="stakeholder_list", summary="List stakeholders",
            description="The people in the decision chains of your teams' accounts. "
            + PAGINATION_HELP)
@paginate(PageNumber)
def list_stakeholders(request, filters: Query[StakeholderFilters]):
    return stakeholder_list(user=request.auth, q=filters.q, account_id=filters.account,
                            opportunity_id=filters.opportunity, role=filters.role or "",
                            side=filters.side or "")


@router.post("", response={201: StakeholderOut, **error_responses(403, 422)},
             operation_id="stakeholder_create", summary="Add a stakeholder",
             description="Any member of the account's team may add stakeholders.")
def create_stakeholder(request, payload: StakeholderIn):
    account = _visible(account_get, "account", _("Choose one of your team's accounts."),
                       user=request.auth, account_id=payload.account)
    fields = _links(request.auth, payload.model_dump(exclude={"account"}))
    stakeholder = stakeholder_create(actor=request.auth, account=account, **fields)
    return Status(201, stakeholder_get(user=request.auth, stakeholder_id=stakeholder.pk))


@router.get("/{stakeholder_id}", response={200: StakeholderOut, **error_responses(404, 422)},
            operation_id="stakeholder_get", summary="Read a stakeholder")
def get_stakeholder(request, stakeholder_id: ObjectId):
    return stakeholder_get(user=request.auth, stakeholder_id=stakeholder_id)


@router.patch("/{stakeholder_id}",
              response={200: StakeholderOut, **error_responses(403, 404, 422)},
              operation_id="stakeholder_update", summary="Change a stakeholder",
              description="Send only the fields to change.")
def update_stakeholder(request, stakeholder_id: ObjectId, payload: StakeholderPatch):
    stakeholder = stakeholder_get(user=request.auth, stakeholder_id=stakeholder_id)
    changes = _links(request.auth, payload.model_dump(exclude_unset=True))
    stakeholder_update(actor=request.auth, stakeholder=stakeholder, **changes)
    return stakeholder_get(user=request.auth, stakeholder_id=stakeholder_id)


@poc_router.get("/{poc_id}/engagements",
                response={200: list[EngagementOut], **error_responses(404, 422)},
                operation_id="poc_engagements", summary="Who engaged in the POC",
                description="The stakeholders who met or acknowledged the POC, newest first. "
                + PAGINATION_HELP)
@paginate(PageNumber)
def list_engagements(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return poc_engagements(poc=poc)


@poc_router.post("/{poc_id}/engagements",
                 response={201: EngagementOut, **error_responses(403, 404, 422)},
                 operation_id="engagement_record", summary="Record an engagement",
                 description="A stakeholder of the POC's customer met or acknowledged the POC "
                 "(an executive sponsor must have, for the POC to qualify). Any member of the "
                 "team may record it.")
def record_engagement(request, poc_id: ObjectId, payload: EngagementIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    stakeholder = _visible(stakeholder_get, "stakeholder", _("Choose a stakeholder of your team."),
                           user=request.auth, stakeholder_id=payload.stakeholder)
    engagement = engagement_record(actor=request.auth, stakeholder=stakeholder, poc=poc,
                                   date=payload.date, kind=payload.kind, note=payload.note)
    return Status(201, poc_engagements(poc=poc).get(pk=engagement.pk))
