"""/api/v1/accounts: customer companies."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pocdesk.core.api import (
    PAGINATION_HELP,
    InputSchema,
    ObjectId,
    PageNumber,
    TeamRef,
    Text,
    choice,
    error_responses,
)
from pocdesk.core.errors import ValidationFailed
from pocdesk.people.selectors import team_list_visible

from .models import CompanySize
from .selectors import ACCOUNT_ORDERINGS, account_get, account_list
from .services import account_create, account_update

AccountOrdering = choice(ACCOUNT_ORDERINGS)

router = Router(tags=["Accounts"])

Size = choice(["", *CompanySize.values])


class AccountOut(Schema):
    id: int
    team: TeamRef
    name: str
    country: str = Field(description="ISO 3166 alpha-2 code, or empty.")
    country_name: str = Field(description="The country's name in the reader's language.")
    industry: str
    size: str = Field(description="Company size: " + ", ".join(CompanySize.values) + ", or empty.")
    currency: str = Field(description="ISO 4217 code of the customer's usual currency.")
    website: str
    notes: str
    opportunity_count: int = Field(description="Opportunities of this account.")
    created_at: datetime.datetime
    updated_at: datetime.datetime


class AccountFilters(Schema):
    q: Text = Field("", max_length=200, description="Search in the name and the industry.")
    team: ObjectId | None = Field(None, description="Only this team's accounts (team id).")
    country: Text = Field("", max_length=2, description="ISO 3166 alpha-2 country code.")
    ordering: AccountOrdering = Field(
        "name", description="Sort key; a leading `-` sorts descending.")


class AccountIn(InputSchema):
    team: ObjectId | None = Field(
        None, description="Team id. May be left out when you belong to exactly one team.")
    name: Text = Field(description="Company name, unique within the team.")
    country: Text = Field("", description="ISO 3166 alpha-2 code, e.g. FR, CN, US.")
    industry: Text = ""
    size: Size = Field("", description="Company size.")
    currency: Text = Field("EUR", description="ISO 4217 code, e.g. EUR, CNY, USD.")
    website: Text = Field("", description="A URL.")
    notes: Text = ""


class AccountPatch(InputSchema):
    name: Text = Field(None, description="Company name, unique within the team.")
    country: Text = Field(None, description="ISO 3166 alpha-2 code, or empty.")
    industry: Text = None
    size: Size = None
    currency: Text = Field(None, description="ISO 4217 code.")
    website: Text = None
    notes: Text = None


def _team_for(actor, team_id: int | None):
    """The team named in the body, among the actor's; by default their only team."""
    teams = team_list_visible(user=actor)
    if team_id is None:
        candidates = list(teams[:2])
        if len(candidates) == 1:
            return candidates[0]
        raise ValidationFailed({"team": [_("This field is required.")]})
    team = teams.filter(pk=team_id).first()
    if team is None:
        raise ValidationFailed({"team": [_("Choose one of your teams.")]})
    return team


@router.get("", response={200: list[AccountOut], **error_responses(422)},
            operation_id="account_list", summary="List accounts",
            description="The accounts of your teams. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_accounts(request, filters: Query[AccountFilters]):
    return account_list(user=request.auth, q=filters.q, team_id=filters.team,
                        country=filters.country, ordering=filters.ordering)


@router.post("", response={201: AccountOut, **error_responses(403, 422)},
             operation_id="account_create", summary="Create an account",
             description="Account executives and managers of the team may create accounts.")
def create_account(request, payload: AccountIn):
    fields = payload.model_dump(exclude={"team"})
    account = account_create(actor=request.auth, team=_team_for(request.auth, payload.team),
                             **fields)
    return Status(201, account_get(user=request.auth, account_id=account.pk))


@router.get("/{account_id}", response={200: AccountOut, **error_responses(404, 422)},
            operation_id="account_get", summary="Read an account")
def get_account(request, account_id: ObjectId):
    return account_get(user=request.auth, account_id=account_id)


@router.patch("/{account_id}", response={200: AccountOut, **error_responses(403, 404, 422)},
              operation_id="account_update", summary="Change an account",
              description="Send only the fields to change.")
def update_account(request, account_id: ObjectId, payload: AccountPatch):
    account = account_get(user=request.auth, account_id=account_id)
    account_update(actor=request.auth, account=account, **payload.model_dump(exclude_unset=True))
    return account_get(user=request.auth, account_id=account_id)
