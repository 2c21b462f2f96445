"""/api/v1/opportunities: deals, their competitors and the history of their close date."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pocdesk.accounts.selectors import account_get
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

from .models import CompetitorPosition, PurchaseProcess, Source, Stage
from .selectors import OPPORTUNITY_ORDERINGS, opportunity_get, opportunity_list
from .services import (
    RED_FLAG_FIELDS,
    opportunity_create,
    opportunity_red_flags_record,
    opportunity_update,
)

OpportunityOrdering = choice(OPPORTUNITY_ORDERINGS)

router = Router(tags=["Opportunities"])

StageChoice = choice(Stage.values)
SourceChoice = choice(["", *Source.values])
PositionChoice = choice(CompetitorPosition.values)
ProcessChoice = choice(PurchaseProcess.values)

MONEY_HELP = "Decimal string, e.g. \"250000.00\"."


class CompetitorOut(Schema):
    name: str
    position: str = Field(description="Our position against them: "
                          + ", ".join(CompetitorPosition.values) + ".")


class CloseDatePushOut(Schema):
    from_date: datetime.date
    to_date: datetime.date
    days: int = Field(description="How many days the close date moved (negative: earlier).")
    reason: str
    pushed_by: UserRef | None
    pushed_at: datetime.datetime


class OpportunityOut(Schema):
    id: int
    name: str
    account: NamedRef
    team: TeamRef
    owner: UserRef = Field(description="The account executive who owns the deal.")
    amount: str = Field(description=MONEY_HELP)
    currency: str = Field(description="ISO 4217 code of `amount`.")
    exchange_rate: str = Field(description="Units of the team's reporting currency for one unit "
                               "of `currency`, fixed when the amount was entered.")
    reporting_currency: str = Field(description="The team's reporting currency.")
    amount_in_reporting_currency: str = Field(description=MONEY_HELP)
    expected_close_date: datetime.date
    stage: str = Field(description="One of " + ", ".join(Stage.values) + ".")
    is_active: bool = Field(description="False once the deal is closed (won or lost).")
    source: str
    description: str
    competitors: list[CompetitorOut]
    # Qualification (§4.1)
    purchase_process: str = Field(description="Purchasing process: "
                                  + ", ".join(PurchaseProcess.values) + " (`none`: not "
                                  "documented).")
    purchase_reference: str = Field(description="e.g. the RFP or tender number.")
    purchase_document: FileRef | None = Field(description="The process's document, if uploaded "
                                              "(through the web pages).")
    budget_confirmed: bool
    budget_amount: str | None = Field(description=MONEY_HELP + " In `currency`.")
    budget_confirmed_by: str = Field(description="Who at the customer confirmed the budget.")
    budget_confirmed_on: datetime.date | None
    decision_date: datetime.date | None
    nda_signed: bool
    nda_reference: str
    # Red-flag observations (§4.2)
    customer_evasive: bool = Field(description="The customer is evasive on budget or process.")
    free_production_use: bool = Field(description="The requested scope amounts to free "
                                      "production use.")
    red_flag_notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_amount(obj) -> str:
        return str(obj.amount)

    @staticmethod
    def resolve_budget_amount(obj) -> str | None:
        return None if obj.budget_amount is None else str(obj.budget_amount)

    @staticmethod
    def resolve_exchange_rate(obj) -> str:
        return str(obj.exchange_rate)

    @staticmethod
    def resolve_reporting_currency(obj) -> str:
        return obj.team.reporting_currency

    @staticmethod
    def resolve_amount_in_reporting_currency(obj) -> str:
        return str(obj.amount_in_reporting_currency)

    @staticmethod
    def resolve_competitors(obj) -> list:
        return list(obj.competitors.all())


class OpportunityDetailOut(OpportunityOut):
    poc_count: int = Field(description="POCs of this opportunity.")
    close_date_pushes: list[CloseDatePushOut] = Field(
        description="Every change of the expected close date, newest first.")

    @staticmethod
    def resolve_close_date_pushes(obj) -> list:
        return list(obj.close_date_pushes.all())


class OpportunityFilters(Schema):
    q: Text = Field("", max_length=200, description="Search in the name and the account's name.")
    team: ObjectId | None = Field(None, description="Team id.")
    stage: StageChoice | None = Field(None, description="Stage.")
    owner: ObjectId | None = Field(None, description="Owner's user id.")
    account: ObjectId | None = Field(None, description="Account id.")
    active: bool | None = Field(None, description="true: open deals; false: closed ones.")
    ordering: OpportunityOrdering = Field(
        "close", description="Sort key; a leading `-` sorts descending.")


class CompetitorIn(InputSchema):
    name: Text = Field(max_length=120, description="Competitor's name; blank entries are skipped.")
    position: PositionChoice = Field(
        CompetitorPosition.UNKNOWN.value, description="Our position against them.")


class OpportunityIn(InputSchema):
    account: ObjectId = Field(description="Account id; the opportunity belongs to its team.")
    name: Text
    amount: Decimal = Field(description="Amount, at most 14 digits before the point and 2 "
                            "after (a number or a decimal string).")
    currency: Text = Field(description="ISO 4217 code, e.g. EUR.")
    expected_close_date: datetime.date
    owner: ObjectId | None = Field(None, description="Owner's user id (a team member); "
                                   "by default you.")
    stage: StageChoice | None = None
    source: SourceChoice = ""
    description: Text = ""
    exchange_rate: Decimal | None = Field(
        None, description="Units of the team's reporting currency for one unit of `currency`; "
        "by default the rate recorded for today.")
    competitors: list[CompetitorIn] = Field(default_factory=list)
    purchase_process: ProcessChoice = Field(
        PurchaseProcess.NONE.value, description="RFP, RFQ, tender or written purchase plan.")
    purchase_reference: Text = Field("", description="e.g. the RFP or tender number.")
    budget_confirmed: bool = False
    budget_amount: Decimal | None = Field(None, description="In `currency`.")
    budget_confirmed_by: Text = Field(
        "", description="Who at the customer confirmed it; required when `budget_confirmed`.")
    budget_confirmed_on: datetime.date | None = Field(
        None, description="By default today, when `budget_confirmed`.")
    decision_date: datetime.date | None = None
    nda_signed: bool = False
    nda_reference: Text = ""
    customer_evasive: bool = False
    free_production_use: bool = False
    red_flag_notes: Text = ""


class OpportunityPatch(InputSchema):
    name: Text = None
    amount: Decimal = None
    currency: Text = None
    exchange_rate: Decimal = None
    expected_close_date: datetime.date = Field(
        None, description="A change is recorded as a close-date push.")
    close_date_reason: Text = Field(
        None, description="Why the expected close date moves (kept with the push).")
    stage: StageChoice = None
    owner: ObjectId = Field(None, description="Owner's user id (a team member).")
    source: SourceChoice = None
    description: Text = None
    competitors: list[CompetitorIn] = Field(
        None, description="Replaces the whole list of competitors.")
    purchase_process: ProcessChoice = None
    purchase_reference: Text = None
    budget_confirmed: bool = None
    budget_amount: Decimal | None = None
    budget_confirmed_by: Text = None
    budget_confirmed_on: datetime.date | None = None
    decision_date: datetime.date | None = None
    nda_signed: bool = None
    nda_reference: Text = None
    customer_evasive: bool = Field(
        None, description="Red-flag observation: any member of the team may record it.")
    free_production_use: bool = Field(
        None, description="Red-flag observation: any member of the team may record it.")
    red_flag_notes: Text = Field(
        None, description="Red-flag observation: any member of the team may record it.")


def _account_for(actor, account_id: int):
    try:
        return account_get(user=actor, account_id=account_id)
    except NotFound as error:
        raise ValidationFailed({"account": [_("Choose one of your team's accounts.")]}) from error


@router.get("", response={200: list[OpportunityOut], **error_responses(422)},
            operation_id="opportunity_list", summary="List opportunities",
            description="The opportunities of your teams, with their competitors. "
            + PAGINATION_HELP)
@paginate(PageNumber)
def list_opportunities(request, filters: Query[OpportunityFilters]):
    return opportunity_list(
        user=request.auth, q=filters.q, team_id=filters.team, stage=filters.stage or "",
        owner_id=filters.owner, account_id=filters.account, active=filters.active,
        ordering=filters.ordering)


@router.post("", response={201: OpportunityDetailOut, **error_responses(403, 422)},
             operation_id="opportunity_create", summary="Create an opportunity",
             description="Account executives and managers of the account's team may create "
             "opportunities. Without `exchange_rate` the rate recorded for today is used.")
def create_opportunity(request, payload: OpportunityIn):
    fields = payload.model_dump(exclude={"account", "owner", "competitors"})
    opportunity = opportunity_create(
        actor=request.auth, account=_account_for(request.auth, payload.account),
        owner=owner_for(payload.owner),
        competitors=[competitor.model_dump() for competitor in payload.competitors], **fields)
    return Status(201, opportunity_get(user=request.auth, opportunity_id=opportunity.pk))


@router.get("/{opportunity_id}", response={200: OpportunityDetailOut, **error_responses(404, 422)},
            operation_id="opportunity_get", summary="Read an opportunity",
            description="With its competitors and every change of its expected close date.")
def get_opportunity(request, opportunity_id: ObjectId):
    return opportunity_get(user=request.auth, opportunity_id=opportunity_id)


@router.patch("/{opportunity_id}",
              response={200: OpportunityDetailOut, **error_responses(403, 404, 422)},
              operation_id="opportunity_update", summary="Change an opportunity",
              description="Send only the fields to change. A new `expected_close_date` is "
              "recorded as a close-date push, with `close_date_reason`. The red-flag "
              "observations (`customer_evasive`, `free_production_use`, `red_flag_notes`) may be "
              "recorded by any member of the team, presales engineers included, when they are "
              "the only fields sent; every other field needs an account executive or a manager "
              "(403 otherwise, nothing changed).")
def update_opportunity(request, opportunity_id: ObjectId, payload: OpportunityPatch):
    opportunity = opportunity_get(user=request.auth, opportunity_id=opportunity_id)
    changes = payload.model_dump(exclude_unset=True)
    observations = {name: changes.pop(name) for name in sorted(RED_FLAG_FIELDS & set(changes))}
    if "owner" in changes:
        changes["owner"] = owner_for(changes["owner"])
    with transaction.atomic():  # both parts or neither
        if changes or not observations:
            opportunity = opportunity_update(actor=request.auth, opportunity=opportunity,
                                             **changes)
        if observations:
            opportunity_red_flags_record(actor=request.auth, opportunity=opportunity,
                                         **observations)
    return opportunity_get(user=request.auth, opportunity_id=opportunity_id)
