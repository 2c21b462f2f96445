"""Prioritisation (§10): where the presales hours should go.

One selector, `priorities(actor=, team=, owner=)`; its dict is JSON-able and serves the page
and `GET /api/v1/portfolio/priorities`. A constant number of queries whatever the number of
opportunities: the actor's teams (cached), the owner check when an owner is given, the
reporting currency, the rates into it, the opportunities with their score and remaining hours
(one row each), the forecast (GROUP BY month, which also gives the totals), and the running
POCs and presales engineers for the capacity (two GROUP BYs).

Scope
    Open opportunities (stage neither won nor lost) of the teams the actor may see (admins:
    every team), narrowed by team, and by owner: the deal's owner or the owner of one of its
    open POCs, so an engineer finds the deals they support.

Figures
    - amount: in the reporting currency (the team's; for several teams the one most use, as on
      the portfolio): the deal's amount at its fixed rate into its team's currency, then at the
      latest rate into the reporting one (results.money). Without a rate the amount is null,
      the deal is left out of the sums and its team's currency listed in `missing_rates`.
    - probability: the win score's override when there is one, else the model's. A deal without
      a win score is "not scored": no expected value, no rank, listed last, never guessed.
    - expected value = probability × amount.
    - remaining presales hours: Σ over the deal's open POCs (neither closed nor walked away)
      of max(planned effort − actual labour hours logged, 0). When none of those POCs has a
      planned effort (or there is none), the team policy's `default_remaining_hours`, flagged
      `hours_estimated`. Value per hour = expected value ÷ remaining hours; null at 0 hours
      (nothing left to spend there), ranked after the others.
    - capacity: running POCs per engineer (owners of running POCs in scope, and presales
      engineers of the teams in scope even at 0), against the strictest `max_running_pocs` of
      the teams they count in (3 without a policy); `overloaded` above it.
    - forecast: per expected close month, Σ amount, Σ expected value and count of the scored
      deals with an amount, summed by the database and rounded once.

Money is a string with two decimals; probabilities are fractions (0–1); hours one decimal.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Round, TruncMonth

from pocdesk.core.errors import PermissionDenied
from pocdesk.opportunities.models import CLOSED_STAGES, Opportunity, Stage
from pocdesk.pocs.lifecycle import TERMINAL_STATUSES
from pocdesk.pocs.models import POC, Status
from pocdesk.results.money import CENT, MONEY_SQL, rate_case_sql, rates_to

from .models import DataSufficiency

DEFAULT_MAX_RUNNING_POCS = 3  # InsightsPolicy's defaults, for teams without a policy
DEFAULT_REMAINING_HOURS = 40
HOURS = DecimalField(max_digits=12, decimal_places=1)
PROBABILITY = DecimalField(max_digits=9, decimal_places=6)
TENTH = Decimal("0.1")
MILLIONTHS = 1_000_000


# --- SQL expressions ----------------------------------------------------------------------

def _probability_sql():
    """The effective probability (override ÷ 100, else the model's) as an exact decimal, so
    that amount × probability stays a decimal on PostgreSQL; NULL without a score."""
    override = Cast(F("win_score__override_probability"), FloatField()) / Value(100.0)
    return Cast(Coalesce(override, F("win_score__probability")), PROBABILITY)


def _amount_sql(rates: dict[str, Decimal]):
    """The deal's amount in the reporting currency: its fixed rate into the team's currency,
    then the team's currency's rate (NULL without one) — the portfolio's `deal`."""
    return ExpressionWrapper(F("amount") * F("exchange_rate")
                             * rate_case_sql("team__reporting_currency", rates),
                             output_field=MONEY_SQL)


def _remaining_hours_sql():
    """Σ max(planned − actual labour hours, 0) over the open POCs with a planned effort; NULL
    when there is none (the caller then falls back to the policy's default)."""
    from pocdesk.agreements.models import CostCategory
    from pocdesk.results.models import CostEntry, CostKind

    labour = (CostEntry.objects.filter(poc=OuterRef("pk"), kind=CostKind.ACTUAL,
                                       category=CostCategory.LABOUR, hours__isnull=False)
              .order_by().values("poc").annotate(total=Sum("hours")).values("total"))
    left = Greatest(F("planned_effort_hours") - Coalesce(Subquery(labour, output_field=HOURS),
                                                         Value(Decimal(0), output_field=HOURS)),
                    Value(Decimal(0), output_field=HOURS), output_field=HOURS)
    planned = (_open_pocs().filter(opportunity=OuterRef("pk"), planned_effort_hours__isnull=False)
               .annotate(left=left).order_by().values("opportunity")
               .annotate(total=Sum("left")).values("total"))
    return Subquery(planned, output_field=HOURS)


def _open_pocs():
    return POC.objects.exclude(status__in=TERMINAL_STATUSES)


def _summable(expression):
    """SQLite computes decimals in binary floating point: sum whole millionths there (as the
    portfolio does) so the sums are exact; PostgreSQL sums exact numerics."""
    if connection.vendor == "sqlite":
        return Cast(Round(expression * Value(MILLIONTHS)), BigIntegerField())
    return expression


def _summed(value) -> Decimal | None:
    if value is None:
        return None
    if connection.vendor == "sqlite":
        return Decimal(int(value)).scaleb(-6)
    return Decimal(value)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


# --- the selector -------------------------------------------------------------------------

def priorities(*, actor, team=None, owner=None) -> dict:
    """The ranked open deals, the engineers' load and the weighted forecast (see the module's
    docstring) in a constant number of queries. Bad filters raise ValidationFailed naming
    `team` or `owner`."""
    from pocdesk.reports.portfolio import portfolio_filters, reporting_currency_for

    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()
    filters = portfolio_filters(actor=actor, team=team, owner=owner)
    currency = reporting_currency_for(actor=actor, filters=filters)
    rates = rates_to(currency)
    deals = _scoped(actor=actor, team_id=filters.team_id, owner_id=filters.owner_id)
    opportunities = _ranked(_rows(deals, rates=rates))
    months, totals = _forecast(deals, rates=rates)
    capacity = _capacity(actor=actor, team_id=filters.team_id, owner_id=filters.owner_id)
    totals["overloaded_engineers"] = sum(1 for line in capacity if line["overloaded"])
    totals["opportunities"] = len(opportunities)
    return {
        "filters": {"team": filters.team_id, "owner": filters.owner_id},
        "currency": currency,
        "missing_rates": sorted({line["team"]["currency"] for line in opportunities
                                 if line["amount"] is None}),
        "totals": totals,
        "opportunities": opportunities,
        "capacity": capacity,
        "forecast": months,
    }


def _scoped(*, actor, team_id: int | None, owner_id: int | None):
    from pocdesk.people.roles import scope_to_user

    deals = scope_to_user(Opportunity.objects.exclude(stage__in=CLOSED_STAGES), actor)
    if team_id:
        deals = deals.filter(team_id=team_id)
    if owner_id:
        supported = _open_pocs().filter(opportunity=OuterRef("pk"), owner_id=owner_id)
        deals = deals.filter(Q(owner_id=owner_id) | Exists(supported))
    return deals


def _rows(deals, *, rates):
    default_hours = Coalesce(F("team__insights_policy__default_remaining_hours"),
                             Value(DEFAULT_REMAINING_HOURS))
    return deals.order_by().values(
        "pk", "name", "stage", "expected_close_date",
        estimator_name=F("win_score__estimator"),
        sufficiency=F("win_score__data_sufficiency"),
        override=F("win_score__override_probability"),
        probability_value=_probability_sql(),
        amount_value=_amount_sql(rates),
        planned_hours=_remaining_hours_sql(),
        default_hours=default_hours,
        account_key=F("account_id"),
        account_name=F("account__name"),
        team_key=F("team_id"),
        team_name=F("team__name"),
        team_currency=F("team__reporting_currency"),
        owner_key=F("owner_id"),
        username=F("owner__username"),
        display_name=F("owner__profile__display_name"),
    )


def _line(row: dict) -> dict:
    amount = None if row["amount_value"] is None else Decimal(row["amount_value"]).quantize(CENT)
    probability = row["probability_value"]
    scored = probability is not None
    estimated = row["planned_hours"] is None
    hours = (Decimal(row["default_hours"]) if estimated
             else Decimal(row["planned_hours"]).quantize(TENTH))
    expected = (amount * Decimal(probability)).quantize(CENT) \
        if scored and amount is not None else None
    per_hour = (expected / hours).quantize(CENT) if expected is not None and hours else None
    return {
        "id": row["pk"],
        "name": row["name"],
        "account": {"id": row["account_key"], "name": row["account_name"]},
        "team": {"id": row["team_key"], "name": row["team_name"],
                 "currency": row["team_currency"]},
        "owner": {"id": row["owner_key"], "name": row["display_name"] or row["username"]},
        "stage": row["stage"],
        "stage_label": str(Stage(row["stage"]).label) if row["stage"] in Stage.values
        else row["stage"],
        "expected_close_date": row["expected_close_date"].isoformat(),
        "amount": amount,
        "scored": scored,
        "probability": float(probability) if scored else None,
        "overridden": row["override"] is not None,
        "estimator": row["estimator_name"] or None,
        "data_sufficiency": row["sufficiency"] or None,
        "data_sufficiency_label": str(DataSufficiency(row["sufficiency"]).label)
        if row["sufficiency"] in DataSufficiency.values else None,
        "expected_value": expected,
        "remaining_hours": float(hours),
        "hours_estimated": estimated,
        "value_per_hour": per_hour,
        "rank_expected_value": None,
        "rank_value_per_hour": None,
    }


def _ranked(rows) -> list[dict]:
    """Ranks 1..n by expected value and by value per hour (ties: the bigger deal, then the
    earlier close, then the name); unranked deals (not scored, no rate, no hours) come last."""
    lines = [_line(row) for row in rows]

    def tie(line):
        return (-(line["amount"] or 0), line["expected_close_date"], line["name"], line["id"])

    by_value = sorted((line for line in lines if line["expected_value"] is not None),
                      key=lambda line: (-line["expected_value"], *tie(line)))
    for rank, line in enumerate(by_value, start=1):
        line["rank_expected_value"] = rank
    by_hour = sorted((line for line in lines if line["value_per_hour"] is not None),
                     key=lambda line: (-line["value_per_hour"], -line["expected_value"],
                                       *tie(line)))
    for rank, line in enumerate(by_hour, start=1):
        line["rank_value_per_hour"] = rank
    unranked = sorted((line for line in lines if line["expected_value"] is None),
                      key=lambda line: (not line["scored"], *tie(line)))
    ordered = by_value + unranked
    for line in ordered:
        for key in ("amount", "expected_value", "value_per_hour"):
            line[key] = _money(line[key])
    return ordered


def order_by_value_per_hour(opportunities: list[dict]) -> list[dict]:
    """The same lines ranked by value per remaining hour; the unranked keep their order last."""
    ranked = sorted((line for line in opportunities if line["rank_value_per_hour"]),
                    key=lambda line: line["rank_value_per_hour"])
    return ranked + [line for line in opportunities if not line["rank_value_per_hour"]]


def _forecast(deals, *, rates) -> tuple[list[dict], dict]:
    """One GROUP BY month over every open deal: the scored ones make the forecast; all of them
    (with an amount) the pipeline, and the unscored are counted."""
    amount = _amount_sql(rates)
    probability = _probability_sql()
    scored = Q(win_score__isnull=False)
    priced = Q(amount_value__isnull=False)
    rows = (deals.annotate(amount_value=amount, probability_value=probability)
            .annotate(month=TruncMonth("expected_close_date")).order_by().values("month")
            .annotate(
                amount_all=Sum(_summable(F("amount_value")), filter=priced),
                amount_scored=Sum(_summable(F("amount_value")), filter=scored & priced),
                weighted=Sum(_summable(ExpressionWrapper(
                    F("amount_value") * F("probability_value"), output_field=MONEY_SQL)),
                    filter=scored & priced),
                count_scored=Count("pk", filter=scored & priced),
                count_unscored=Count("pk", filter=~scored))
            .order_by("month"))
    months, zero = [], Decimal(0)
    pipeline, weighted, unscored = zero, zero, 0
    for row in rows:
        pipeline += _summed(row["amount_all"]) or zero
        weighted += _summed(row["weighted"]) or zero
        unscored += row["count_unscored"]
        if row["count_scored"]:
            month = row["month"]  # a date: the close date is a DateField
            months.append({"month": f"{month.year:04d}-{month.month:02d}",
                           "amount": _money(_summed(row["amount_scored"])),
                           "expected_value": _money(_summed(row["weighted"])),
                           "count": row["count_scored"]})
    return months, {"pipeline": _money(pipeline), "weighted_pipeline": _money(weighted),
                    "not_scored": unscored}


def _capacity(*, actor, team_id: int | None, owner_id: int | None) -> list[dict]:
    """Running POCs per engineer (GROUP BY owner × team) and the presales engineers of the
    teams in scope, so an idle engineer shows at 0."""
    from pocdesk.people.models import Membership, Role
    from pocdesk.people.roles import scope_to_user

    limit = Coalesce(F("team__insights_policy__max_running_pocs"),
                     Value(DEFAULT_MAX_RUNNING_POCS))
    running = scope_to_user(POC.objects.filter(status=Status.RUNNING), actor)
    members = scope_to_user(Membership.objects.filter(role=Role.PRESALES_ENGINEER,
                                                      user__is_active=True), actor)
    if team_id:
        running, members = running.filter(team_id=team_id), members.filter(team_id=team_id)
    if owner_id:
        running, members = running.filter(owner_id=owner_id), members.filter(user_id=owner_id)
    engineers: dict[int, dict] = {}

    def engineer(user_id, username, display_name, most):
        line = engineers.setdefault(user_id, {
            "engineer": {"id": user_id, "name": display_name or username},
            "running": 0, "max": most, "overloaded": False})
        line["max"] = min(line["max"], most)
        return line

    for row in (running.order_by().values("owner_id", "team_id")
                .annotate(most=limit, username=F("owner__username"),
                          display_name=F("owner__profile__display_name"), count=Count("pk"))):
        engineer(row["owner_id"], row["username"], row["display_name"],
                 row["most"])["running"] += row["count"]
    for row in members.order_by().values("user_id", most=limit, username=F("user__username"),
                                         display_name=F("user__profile__display_name")):
        engineer(row["user_id"], row["username"], row["display_name"], row["most"])
    for line in engineers.values():
        line["overloaded"] = line["running"] > line["max"]
    return sorted(engineers.values(), key=lambda line: (
        not line["overloaded"], -line["running"], line["engineer"]["name"].casefold(),
        line["engineer"]["id"]))

