"""GET /api/v1/portfolio: the portfolio figures as JSON (the page's numbers)."""

from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema

from pocdesk.core.api import ObjectId, error_responses

from .portfolio import portfolio_figures, portfolio_filters

router = Router(tags=["Portfolio"])

SHARE = "Percent with one decimal; null without a denominator."


class PortfolioQuery(Schema):
    team: ObjectId | None = Field(None, description="A team the caller can see.")
    owner: ObjectId | None = Field(None, description="The POC owner (presales engineer).")
    industry: str = Field("", max_length=120, description="The account's industry "
                          "(case-insensitive, exact).")
    since: datetime.date | None = Field(None, description="First day of the period; by "
                                        "default the first day of the month 11 months before "
                                        "`until`'s (or today's).")
    until: datetime.date | None = Field(None, description="Last day of the period; by "
                                        "default today.")


class FiltersOut(Schema):
    since: datetime.date
    until: datetime.date
    team: int | None
    owner: int | None
    industry: str


class PastEndOut(Schema):
    count: int = Field(description="Agreed, running or paused POCs past their end date.")
    average_days: float | None


class DriftOut(Schema):
    finished: int = Field(description="POCs evaluating or closed whose actual end (first move "
                          "to evaluating) is in the period.")
    with_end_date: int
    late: int = Field(description="Finished after their planned end date.")
    late_share: float | None = Field(description=SHARE)
    average_days: float | None = Field(description="Average of actual end − planned end, in "
                                       "days (negative: early).")


class DurationOut(Schema):
    count: int
    actual_days: float | None = Field(description="Average of actual end − start date.")
    planned_days: float | None = Field(description="Average of end date − start date.")


class OutcomesOut(Schema):
    closed: int = Field(description="POCs closed in the period.")
    with_technical_result: int
    technical: dict[str, int]
    commercial: dict[str, int]
    technical_success_share: float | None = Field(description=SHARE + " Of closed POCs with "
                                                  "a technical result.")
    technical_partial_share: float | None
    technical_failed_share: float | None
    conversion: float | None = Field(description="POC → order: won ÷ closed. " + SHARE)
    lost_share: float | None
    no_decision_share: float | None
    order_value_won: str = Field(description="Σ order values won, in `currency`.")


class CostOut(Schema):
    pocs: int = Field(description="Active POCs with a cost and a deal amount.")
    cost: str | None = Field(description="Σ POC cost (actual, else planned), in `currency`.")
    deal_amount: str | None
    ratio: float | None = Field(description="Σ cost ÷ Σ deal amount, percent (2 decimals).")
    above_threshold: int = Field(description="POCs above their team's cost threshold.")


class FiguresOut(Schema):
    pocs: int = Field(description="POCs active in the period.")
    status: dict[str, int]
    open: int
    health: dict[str, int] = Field(description="Open POCs by their worst milestone: on_track, "
                                   "at_risk (1–6 days late), stalled (7 days or more).")
    past_end: PastEndOut
    drift: DriftOut
    duration: DurationOut
    outcomes: OutcomesOut
    cost: CostOut


class BreakdownLineOut(FiguresOut):
    id: int | str | None = Field(description="Team or owner id; the industry itself.")
    label: str


class BreakdownsOut(Schema):
    team: list[BreakdownLineOut]
    owner: list[BreakdownLineOut]
    industry: list[BreakdownLineOut]


class ReasonOut(Schema):
    code: str
    label: str
    count: int


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    won: int
    lost: int
    no_decision: int
    other: int


class PortfolioOut(FiguresOut):
    filters: FiltersOut
    currency: str = Field(description="The reporting currency of every amount.")
    today: datetime.date
    missing_rates: list[str] = Field(description="Currencies left out for want of a rate.")
    reasons: list[ReasonOut]
    closes_by_month: list[MonthOut]
    breakdowns: BreakdownsOut


@router.get(
    "", response={200: PortfolioOut, **error_responses(422)}, operation_id="portfolio",
    summary="Portfolio figures",
    description="How the POCs of the caller's teams are doing (the whole company for admins): "
    "status, health, timebox drift, outcome rates, duration against plan, cost ratio, with "
    "breakdowns by team, owner and industry and closes by month. Status, health and cost read "
    "the POCs active in the period; drift and duration those that finished in it; outcomes "
    "those closed in it. 422 `validation_error` naming a bad filter (a team or owner the "
    "caller cannot see, a period ending before it starts).")
def portfolio(request, query: Query[PortfolioQuery]):
    filters = portfolio_filters(actor=request.auth, team=query.team, owner=query.owner,
                                industry=query.industry, since=query.since, until=query.until)
    return portfolio_figures(actor=request.auth, filters=filters)
