"""GET /api/v1/portfolio/priorities: the prioritisation (§10) as JSON, the page's numbers."""

from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema

from pocdesk.core.api import NamedRef, ObjectId, error_responses

from .priorities import priorities

router = Router(tags=["Portfolio"])

MONEY = "Decimal string in `currency` (the reporting currency); null without an exchange rate."


class PrioritiesQuery(Schema):
    team: ObjectId | None = Field(None, description="A team the caller can see.")
    owner: ObjectId | None = Field(None, description="A user of the caller's teams: the deals "
                                   "they own or whose open POCs they run.")


class FiltersOut(Schema):
    team: int | None
    owner: int | None


class TeamOut(NamedRef):
    currency: str = Field(description="The team's reporting currency.")


class OpportunityOut(Schema):
    id: int
    name: str
    account: NamedRef
    team: TeamOut
    owner: NamedRef = Field(description="The account executive owning the deal.")
    stage: str
    stage_label: str
    expected_close_date: datetime.date
    amount: str | None = Field(description=MONEY)
    scored: bool = Field(description="False: no win score yet; the deal has no probability, "
                         "no expected value and no rank.")
    probability: float | None = Field(description="Effective win probability (0–1): the "
                                      "override when set, else the model's.")
    overridden: bool = Field(description="The probability was set by hand.")
    estimator: str | None
    data_sufficiency: str | None = Field(description="none, low, medium or high.")
    data_sufficiency_label: str | None = Field(description="The data sufficiency in the "
                                               "reader's language.")
    expected_value: str | None = Field(description="probability × amount. " + MONEY)
    remaining_hours: float = Field(description="Presales hours left: Σ over the open POCs of "
                                   "max(planned effort − actual labour hours, 0).")
    hours_estimated: bool = Field(description="No open POC has a planned effort: the hours are "
                                  "the team policy's default.")
    value_per_hour: str | None = Field(description="expected value ÷ remaining hours; null "
                                       "without an expected value or at 0 hours.")
    rank_expected_value: int | None = Field(description="1 = the highest expected value.")
    rank_value_per_hour: int | None = Field(description="1 = the highest value per hour.")


class EngineerOut(Schema):
    engineer: NamedRef
    running: int = Field(description="Running POCs owned.")
    max: int = Field(description="The team's maximum (the strictest of their teams).")
    overloaded: bool = Field(description="running > max.")


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM of the expected close date.")
    amount: str = Field(description="Σ amount of the scored deals.")
    expected_value: str = Field(description="Σ probability × amount.")
    count: int


class TotalsOut(Schema):
    pipeline: str = Field(description="Σ amount of the open deals with an amount.")
    weighted_pipeline: str = Field(description="Σ expected value of the scored deals.")
    not_scored: int
    overloaded_engineers: int
    opportunities: int


class PrioritiesOut(Schema):
    filters: FiltersOut
    currency: str = Field(description="The reporting currency of every amount.")
    missing_rates: list[str] = Field(description="Currencies left out for want of a rate.")
    totals: TotalsOut
    opportunities: list[OpportunityOut] = Field(description="Ranked by expected value; the "
                                                "unranked (no rate, then not scored) last.")
    capacity: list[EngineerOut] = Field(description="Overloaded engineers first.")
    forecast: list[MonthOut] = Field(description="In month order.")


@router.get(
    "", response={200: PrioritiesOut, **error_responses(403, 422)},
    operation_id="portfolio_priorities", summary="Priorities",
    description="The open deals of the caller's teams (every team for admins) ranked by "
    "expected value (win probability × amount in the reporting currency) and by value per "
    "remaining presales hour, the running POCs per engineer against the team's maximum, and "
    "the weighted forecast by expected close month. 422 `validation_error` naming a bad "
    "filter (a team or owner the caller cannot see).")
def portfolio_priorities(request, query: Query[PrioritiesQuery]):
    return priorities(actor=request.auth, team=query.team, owner=query.owner)
