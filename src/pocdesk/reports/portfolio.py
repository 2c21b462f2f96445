"""The portfolio (§9.3): how the POCs of a team, or of the whole company, are doing.

One selector, `portfolio_figures(actor=, filters=)`; its dict is JSON-able and serves the page,
the CSV/XLSX export and `GET /api/v1/portfolio`. Six queries whatever the number of POCs:

- the actor's teams, their reporting currencies, the rates into the portfolio's;
- the figures, computed by the database: a derived table (a materialized CTE) holds one row
  per POC in scope with its per-POC values computed once (the actual end from the transition
  events, the milestone health, the cost, the deal and order amounts in the reporting
  currency, the threshold), and one GROUP BY over it sums, per team × owner × industry, every
  count (`SUM(CASE WHEN ...)`), the day spans (integer date differences) and the money, and
  ranks each line's label in the database's order; the period bounds and today are
  parameters;
- the closed POCs of the period counted by month, commercial result and reason (GROUP BY);
- the currencies without a rate.

Python adds up the grouped rows (one per team × owner × industry met, not per POC) into the
headline and the three breakdowns, and turns the sums into shares, averages and rounded money.
On SQLite, which computes decimals in binary floating point, each POC's amount is summed as
whole millionths (the six places the ORM keeps of a POC's amount), so the sums are exact.

Scope and filters
    The POCs of the teams the actor may see (admins: every team, the company view), narrowed
    by team, owner (the presales engineer), industry (the account's) and a period
    (`since`..`until`, dates included; by default the current month and the 11 before it;
    with only `until`, its month and the 11 before it).

Which POCs count where (the period)
    - *active in the period*: created on or before `until`, and not ended before `since`
      (a POC ends when it is closed or walked away; its end is its last status change).
      Status counts, open POCs and the cost ratio read these; a status is the current one.
    - *open*: active and neither closed nor walked away. Health and "past their end date" are
      as of today.
    - *finished in the period*: evaluating or closed, whose actual end falls in the period.
      The actual end is the day the POC first moved to evaluating (or to closed), from its
      transition events; without such an event, its last status change. Timebox drift and
      durations read these.
    - *closed in the period*: closed, on a day of the period. Outcome rates read these.

Figures
    - status: count of active POCs per status.
    - health of open POCs: red (`stalled`) when a milestone is 7 days or more overdue, amber
      (`at_risk`) when one is 1 to 6 days overdue, green (`on_track`) otherwise — the worst
      milestone decides (timebox.health).
    - past end: agreed, running or paused POCs whose end date is before today, and their
      average days past it.
    - drift: actual end − planned end date (the current end date, approved extensions
      included), averaged in days over finished POCs with an end date; late share = finished
      late ÷ finished with an end date.
    - duration: actual days = actual end − start date; planned days = end date − start date;
      both averaged over finished POCs with both dates.
    - outcomes over closed POCs: technical success / partial / failed shares ÷ closed POCs
      with a technical result; conversion (won), lost, no-decision, qualified-out and
      abandoned shares ÷ closed POCs; reasons: count of closed POCs per reason; order value won
      = Σ order values of won POCs (order currency, or the deal's when empty).
    - cost ratio: Σ POC cost ÷ Σ deal amount × 100, over active POCs with a cost recorded and
      a deal amount. A POC's cost is the sum of its actual cost entries, or, when it has none,
      its planned ones plus its agreement's cost lines (the basis rule of
      results.selectors.cost_summary, read here by results.selectors.poc_cost_sql). Above threshold: POCs whose own ratio exceeds their
      team's `cost_ratio_threshold` (ResultsPolicy, 5 by default).
    - money is in one reporting currency: the team's, or, for several teams, the one most of
      them use. An amount in the deal's currency uses the deal's fixed exchange rate, any other
      the latest recorded rate (results.money, in SQL by results.money.reporting_amount_sql); a
      team's reporting currency is converted to the portfolio's with the latest rate too. Amounts without a rate are left out and their
      currencies listed in `missing_rates`.
    - breakdowns by team, owner and industry carry the same figures per line; closes by month
      counts won, lost, no decision and other results per month of the period.

Shares are percentages with one decimal (None without a denominator), averages in days with
one decimal, money a string with two decimals.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from pocdesk.agreements.selectors import EXIT_CLAUSE_STATUSES
from pocdesk.core.errors import ValidationFailed
from pocdesk.pocs.lifecycle import TERMINAL_STATUSES
from pocdesk.pocs.models import POC, Status
from pocdesk.results.derive import DEFAULT_COST_RATIO_THRESHOLD
from pocdesk.results.models import CommercialResult, TechnicalResult
from pocdesk.results.money import (
    CENT,
    most_used_currency,
    rate_case_sql,
    rates_to,
    reporting_amount_sql,
)
from pocdesk.results.money import MONEY_SQL as MONEY
from pocdesk.results.selectors import poc_cost_sql
from pocdesk.timebox.health import Health, late_filter

ENDED = TERMINAL_STATUSES  # closed or walked away
FINISHED = (Status.EVALUATING, Status.CLOSED)
PAST_END_STATUSES = EXIT_CLAUSE_STATUSES  # agreed, running or paused: an end date in force
BREAKDOWNS = ("team", "owner", "industry")
CLOSE_BUCKETS = ("won", "lost", "no_decision", "other")
TECHNICAL = frozenset(TechnicalResult.values)
COMMERCIAL = frozenset(CommercialResult.values)


@dataclass(frozen=True)
class PortfolioFilters:
    since: datetime.date
    until: datetime.date
    team_id: int | None = None
    owner_id: int | None = None
    industry: str = ""

    def as_dict(self) -> dict:
        return {"since": self.since.isoformat(), "until": self.until.isoformat(),
                "team": self.team_id, "owner": self.owner_id, "industry": self.industry}


MAX_PERIOD_DAYS = 3653  # ten years: the closes-by-month chart has one bar per month


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The current month and the 11 before it: twelve whole months on the chart."""
    today = today or timezone.localdate()
    month = today.month - 11
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, 1), today


def portfolio_filters(*, actor, team=None, owner=None, industry: str = "", since=None,
                      until=None) -> PortfolioFilters:
    """Check the filters against what the actor may see; errors name the field."""
    from django.contrib.auth import get_user_model

    from pocdesk.people.models import Membership
    from pocdesk.people.roles import visible_team_ids

    errors: dict[str, list[str]] = {}
    default_since, default_until = default_period()
    if since is None:
        try:  # the twelve months that end with `until`
            since = default_since if until is None else default_period(until)[0]
        except ValueError:  # a period ending in year 1
            since = datetime.date.min
    until = until or max(default_until, since)
    if since > until:
        errors["until"] = [_("The end of the period must not be before its start.")]
    elif (until - since).days > MAX_PERIOD_DAYS:
        errors["since"] = [_("Choose a period of at most ten years.")]
    team_ids = visible_team_ids(actor)
    team_id = _as_id(team)
    if team not in (None, "") and (team_id is None or (team_ids is not None
                                                       and team_id not in team_ids)):
        errors["team"] = [_("Select a team you can see.")]
    owner_id = _as_id(owner)
    if owner not in (None, ""):
        owners = get_user_model().objects.filter(pk=owner_id) if owner_id is not None else None
        if owners is not None and team_ids is not None:
            owners = owners.filter(pk__in=Membership.objects.filter(
                team_id__in=team_ids).values("user_id"))
        if owners is None or not owners.exists():
            errors["owner"] = [_("Select an owner from your teams.")]
    industry = (industry or "").strip()
    if len(industry) > 120:
        errors["industry"] = [_("Ensure this value has at most 120 characters.")]
    if errors:
        raise ValidationFailed(errors)
    return PortfolioFilters(since=since, until=until, team_id=team_id, owner_id=owner_id,
                            industry=industry)


def _as_id(value) -> int | None:
    if value in (None, ""):
        return None
    if hasattr(value, "pk"):
        return value.pk
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


# --- the queryset and its aggregates -----------------------------------------------------

def _scoped(*, actor, filters: PortfolioFilters):
    from pocdesk.people.roles import scope_to_user

    pocs = scope_to_user(POC.objects.all(), actor)
    if filters.team_id:
        pocs = pocs.filter(team_id=filters.team_id)
    if filters.owner_id:
        pocs = pocs.filter(owner_id=filters.owner_id)
    if filters.industry:
        pocs = pocs.filter(opportunity__account__industry__iexact=filters.industry)
    # "created on or before `until`, not ended before `since`", as instants rather than
    # `__date` lookups: the same days in the current time zone, without a date cast per row.
    since, after = _day_start(filters.since), _day_start(filters.until, days=1)
    if after is not None:
        pocs = pocs.filter(created_at__lt=after)
    if since is not None:
        pocs = pocs.filter(~Q(status__in=ENDED) | Q(status_changed_at__gte=since))
    return pocs


def _day_start(day: datetime.date, *, days: int = 0) -> datetime.datetime | None:
    """The first instant of `day` + `days` in the current time zone; None past the calendar's
    ends (every instant is then after, or before, it)."""
    try:
        start = timezone.make_aware(datetime.datetime.combine(
            day + datetime.timedelta(days=days), datetime.time.min))
        start.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        return None
    return start


# --- the figures summed by the database ---------------------------------------------------

# The per-POC values, one row each, computed once per POC (the actual end from the transition
# events, the milestone health, the cost, the amounts): the derived table the grouped query
# sums. Aliases avoid the model's field names.
POC_COLUMNS = (
    "state", "starts", "ends", "actual_end", "closed_on", "stalled", "at_risk", "deal",
    "cost", "threshold", "order_amount", "technical", "commercial", "team_key", "team_name",
    "owner_key", "username", "display_name", "industry")


def _per_poc(pocs, *, rates, today: datetime.date):
    from pocdesk.core.models import Event
    from pocdesk.timebox.models import Milestone

    entered = (Event.objects.filter(poc=OuterRef("pk"), verb="poc.transitioned",
                                    data__to__in=list(FINISHED))
               .order_by("created_at").values("created_at")[:1])
    milestones = Milestone.objects.filter(poc=OuterRef("pk"))
    team_rate = rate_case_sql("team__reporting_currency", rates)
    return (pocs.annotate(
        order_currency=Coalesce(NullIf(F("result__order_currency"), Value("")),
                                F("opportunity__currency")),
    ).order_by().values(
        state=F("status"),
        starts=F("start_date"),
        ends=F("end_date"),
        actual_end=TruncDate(Coalesce(Subquery(entered), F("status_changed_at")),
                             output_field=DateField()),
        closed_on=TruncDate("status_changed_at", output_field=DateField()),
        stalled=Exists(milestones.filter(late_filter(today=today, health=Health.STALLED))),
        at_risk=Exists(milestones.filter(late_filter(today=today, health=Health.AT_RISK))),
        deal=ExpressionWrapper(F("opportunity__amount") * F("opportunity__exchange_rate")
                               * team_rate, output_field=MONEY),
        cost=poc_cost_sql(rates),
        threshold=Coalesce(F("team__results_policy__cost_ratio_threshold"),
                           Value(DEFAULT_COST_RATIO_THRESHOLD, output_field=MONEY)),
        order_amount=reporting_amount_sql(F("result__order_value"), "order_currency", poc="",
                                          rates=rates),
        technical=F("result__technical_result"),
        commercial=F("result__commercial_result"),
        team_key=F("team_id"),
        team_name=F("team__name"),
        owner_key=F("owner_id"),
        username=F("owner__username"),
        display_name=F("owner__profile__display_name"),
        industry=F("opportunity__account__industry"),
    ))


class _Dialect:
    """The few SQL spellings that differ between SQLite and PostgreSQL.

    SQLite keeps dates as ISO text and computes money in binary floating point: a day is an
    ISO string, a span `julianday` − `julianday`, and an amount is summed as whole millionths
    (`ROUND(x × 10⁶)`), the six places the ORM's decimal converter keeps of each POC's value,
    so the sums are exact integers. PostgreSQL has date arithmetic and exact numerics."""

    def __init__(self, vendor: str) -> None:
        self.sqlite = vendor == "sqlite"

    def day(self) -> str:
        return "%s" if self.sqlite else "CAST(%s AS DATE)"

    def days(self, later: str, earlier: str) -> str:
        if self.sqlite:
            return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
        return f"({later} - {earlier})"

    def money(self, column: str) -> str:
        return f"CAST(ROUND({column} * 1000000) AS INTEGER)" if self.sqlite else column

    def threshold(self) -> str:
        """Cost above the POC's threshold: cost > deal × threshold ÷ 100, without a division."""
        if self.sqlite:
            return (f"{self.money('p.cost')} * 100000000 > "
                    f"{self.money('p.deal')} * {self.money('p.threshold')}")
        return "p.cost * 100 > p.deal * p.threshold"

    def decimal(self, value) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-6) if self.sqlite else Decimal(value)


def _in(values) -> tuple[str, list]:
    values = list(values)
    return f"({', '.join(['%s'] * len(values))})", values


def _sums(filters: PortfolioFilters, today: datetime.date, sql: _Dialect):
    """The grouped query's sums: (alias, SQL, params) in the order of the SELECT clause, each
    a column of the tally (the rules of the module's docstring)."""
    ended, ended_params = _in(ENDED)
    finished, finished_params = _in(FINISHED)
    past, past_params = _in(PAST_END_STATUSES)
    technical, technical_params = _in(TechnicalResult.values)
    day = sql.day()
    period = [filters.since.isoformat(), filters.until.isoformat()]
    conditions: dict[str, tuple[str, list]] = {"total": ("1 = 1", [])}
    for status in Status.values:
        conditions[f"status_{status}"] = ("p.state = %s", [status])
    conditions["open"] = (f"p.state NOT IN {ended}", ended_params)
    conditions["health_stalled"] = (f"p.state NOT IN {ended} AND p.stalled", ended_params)
    conditions["health_at_risk"] = (f"p.state NOT IN {ended} AND NOT p.stalled AND p.at_risk",
                                    ended_params)
    past_end = (f"p.state IN {past} AND p.ends IS NOT NULL AND p.ends < {day}",
                [*past_params, today.isoformat()])
    conditions["past_end"] = past_end
    is_finished = (f"p.state IN {finished} AND p.actual_end IS NOT NULL "
                   f"AND p.actual_end >= {day} AND p.actual_end <= {day}")
    finished_all = [*finished_params, *period]
    conditions["finished"] = (is_finished, finished_all)
    timed = f"{is_finished} AND p.ends IS NOT NULL"
    conditions["timed"] = (timed, finished_all)
    conditions["late"] = (f"{timed} AND p.actual_end > p.ends", finished_all)
    durations = f"{timed} AND p.starts IS NOT NULL"
    conditions["durations"] = (durations, finished_all)
    closed = f"p.state = %s AND p.closed_on >= {day} AND p.closed_on <= {day}"
    closed_params = [Status.CLOSED, *period]
    conditions["closed"] = (closed, closed_params)
    conditions["with_technical"] = (f"{closed} AND p.technical IN {technical}",
                                    [*closed_params, *technical_params])
    costed = (f"p.cost IS NOT NULL AND p.deal IS NOT NULL AND {sql.money('p.deal')} > 0")
    conditions["costed"] = (costed, [])
    conditions["above_threshold"] = (f"{costed} AND {sql.threshold()}", [])
    for result in TechnicalResult.values:
        conditions[f"technical_{result}"] = (f"{closed} AND p.technical = %s",
                                             [*closed_params, result])
    for result in CommercialResult.values:
        conditions[f"commercial_{result}"] = (f"{closed} AND p.commercial = %s",
                                              [*closed_params, result])
    sums = [(key, f"SUM(CASE WHEN {conditions[key][0]} THEN 1 ELSE 0 END)",
             conditions[key][1]) for key in COUNTS]
    spans = {"past_end_span": (past_end, sql.days(day, "p.ends"), [today.isoformat()]),
             "drift_span": ((timed, finished_all), sql.days("p.actual_end", "p.ends"), []),
             "actual_duration": ((durations, finished_all),
                                 sql.days("p.actual_end", "p.starts"), []),
             "planned_duration": ((durations, finished_all), sql.days("p.ends", "p.starts"),
                                  [])}
    for key in SPANS:
        (condition, params), value, value_params = spans[key]
        sums.append((key, f"SUM(CASE WHEN {condition} THEN {value} ELSE 0 END)",
                     [*params, *value_params]))
    sums.append(("order_value", f"SUM(CASE WHEN {closed} AND p.commercial = %s AND "
                 f"p.order_amount IS NOT NULL THEN {sql.money('p.order_amount')} END)",
                 [*closed_params, CommercialResult.WON]))
    sums.append(("cost", f"SUM(CASE WHEN {costed} THEN {sql.money('p.cost')} ELSE 0 END)", []))
    sums.append(("deal", f"SUM(CASE WHEN {costed} THEN {sql.money('p.deal')} ELSE 0 END)", []))
    return sums


def _grouped(pocs, *, rates, filters: PortfolioFilters, today: datetime.date):
    """One row per team × owner × industry with the tally of its POCs, summed by the database
    over the per-POC derived table (materialized, so each POC's values are computed once),
    and the lines' ranks in the database's order of the labels."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connections

    connection = connections[pocs.db]
    try:
        inner, inner_params = _per_poc(pocs, rates=rates, today=today).query.get_compiler(
            using=pocs.db).as_sql()
    except EmptyResultSet:
        return []
    sql = _Dialect(connection.vendor)
    sums = _sums(filters, today, sql)
    columns = ", ".join(f"{expression} AS {key}" for key, expression, _params in sums)
    statement = (
        f"WITH p AS MATERIALIZED ({inner}) "  # noqa: S608
        "SELECT p.team_key, p.team_name, p.owner_key, p.username, p.display_name, p.industry, "
        "DENSE_RANK() OVER (ORDER BY p.team_name, p.team_key), "
        "DENSE_RANK() OVER (ORDER BY p.username, p.owner_key), "
        "DENSE_RANK() OVER (ORDER BY p.industry), "
        f"{columns} FROM p GROUP BY p.team_key, p.team_name, p.owner_key, p.username, "
        "p.display_name, p.industry")
    params = [*inner_params, *(param for _key, _sql, params in sums for param in params)]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    keys = [key for key, _expression, _params in sums]
    result = []
    for row in rows:
        values = dict(zip(keys, row[9:], strict=True))
        tally = _tally()
        for key in COUNTS:
            tally[key] = int(values[key])
        for key in SPANS:
            tally[key] = datetime.timedelta(days=int(values[key]))
        tally["order_value"] = sql.decimal(values["order_value"])
        tally["cost"] = sql.decimal(values["cost"])
        tally["deal"] = sql.decimal(values["deal"])
        result.append((row[:9], tally))
    return result


def _closes(pocs, filters: PortfolioFilters) -> tuple[Counter, dict[str, dict]]:
    """The POCs closed in the period, counted by the database per month, commercial result
    and reason (a row per combination met, bounded by the period and the taxonomy)."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    closed = pocs.filter(status=Status.CLOSED)
    # a cheap, slightly wider bound on the instant first; the day in the current time zone
    # decides, as it does in the grouped query
    since, after = _day_start(filters.since, days=-1), _day_start(filters.until, days=2)
    if since is not None:
        closed = closed.filter(status_changed_at__gte=since)
    if after is not None:
        closed = closed.filter(status_changed_at__lt=after)
    rows = (closed.annotate(closed_on=TruncDate("status_changed_at", output_field=DateField()))
            .filter(closed_on__gte=filters.since, closed_on__lte=filters.until)
            .order_by()
            .values(month=TruncMonth("status_changed_at", output_field=DateField()),
                    commercial=F("result__commercial_result"),
                    reason=F("result__reason__code"),
                    reason_en=F("result__reason__label_en"),
                    reason_zh_hans=F("result__reason__label_zh_hans"),
                    reason_fr=F("result__reason__label_fr"),
                    reason_position=F("result__reason__position"))
            .annotate(count=Count("pk")))
    reasons: Counter = Counter()
    months: dict[str, dict] = {}
    for row in rows:
        if row["reason"] is not None:
            reasons[(row["reason"], row["reason_en"], row["reason_zh_hans"], row["reason_fr"],
                     row["reason_position"])] += row["count"]
        month = months.setdefault(row["month"].strftime("%Y-%m"),
                                  dict.fromkeys(CLOSE_BUCKETS, 0))
        commercial = row["commercial"]
        month[commercial if commercial in CLOSE_BUCKETS[:3] else "other"] += row["count"]
    return reasons, months


COUNTS = (
    *(f"status_{status}" for status in Status.values), "total", "open", "health_stalled",
    "health_at_risk", "past_end", "finished", "timed", "late", "durations", "closed",
    "with_technical", "costed", "above_threshold",
    *(f"technical_{result}" for result in TechnicalResult.values),
    *(f"commercial_{result}" for result in CommercialResult.values))
SPANS = ("past_end_span", "drift_span", "actual_duration", "planned_duration")
AVERAGES = {"past_end_avg": ("past_end_span", "past_end"),
            "drift_avg": ("drift_span", "timed"),
            "actual_days_avg": ("actual_duration", "durations"),
            "planned_days_avg": ("planned_duration", "durations")}


def _tally() -> dict:
    return {**dict.fromkeys(COUNTS, 0), **dict.fromkeys(SPANS, datetime.timedelta()),
            "order_value": None, "cost": Decimal(0), "deal": Decimal(0)}


def _add(tally: dict, other: dict) -> None:
    for key in COUNTS:
        tally[key] += other[key]
    for key in SPANS:
        tally[key] += other[key]
    if other["order_value"] is not None:
        tally["order_value"] = (tally["order_value"] or 0) + other["order_value"]
    tally["cost"] += other["cost"]
    tally["deal"] += other["deal"]


def _row(tally: dict) -> dict:
    """A tally as the aggregate row `_figures` reads: averages, and no sums over nothing."""
    row = dict(tally)
    for average, (span, count) in AVERAGES.items():
        row[average] = tally[span] / tally[count] if tally[count] else None
    if not tally["costed"]:
        row["cost"] = row["deal"] = None
    return row


# --- from aggregated rows to figures ------------------------------------------------------

def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value), 1)


def _money(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(CENT))


def _figures(row: dict) -> dict:
    closed, technical = row["closed"], row["with_technical"]
    cost, deal = row["cost"], row["deal"]
    ratio = (Decimal(cost) / Decimal(deal) * 100).quantize(CENT) if cost is not None and deal \
        else None
    return {
        "pocs": row["total"],
        "status": {status: row[f"status_{status}"] for status in Status.values},
        "open": row["open"],
        "health": {Health.ON_TRACK.value: row["open"] - row["health_stalled"]
                   - row["health_at_risk"],
                   Health.AT_RISK.value: row["health_at_risk"],
                   Health.STALLED.value: row["health_stalled"]},
        "past_end": {"count": row["past_end"], "average_days": _days(row["past_end_avg"])},
        "drift": {"finished": row["finished"], "with_end_date": row["timed"],
                  "late": row["late"], "late_share": _share(row["late"], row["timed"]),
                  "average_days": _days(row["drift_avg"])},
        "duration": {"count": row["durations"], "actual_days": _days(row["actual_days_avg"]),
                     "planned_days": _days(row["planned_days_avg"])},
        "outcomes": {
            "closed": closed, "with_technical_result": technical,
            "technical": {result: row[f"technical_{result}"]
                          for result in TechnicalResult.values},
            "commercial": {result: row[f"commercial_{result}"]
                           for result in CommercialResult.values},
            "technical_success_share": _share(row["technical_success"], technical),
            "technical_partial_share": _share(row["technical_partial"], technical),
            "technical_failed_share": _share(row["technical_failed"], technical),
            "conversion": _share(row["commercial_won"], closed),
            "lost_share": _share(row["commercial_lost"], closed),
            "no_decision_share": _share(row["commercial_no_decision"], closed),
            "order_value_won": _money(row["order_value"] or 0),
        },
        "cost": {"pocs": row["costed"], "cost": _money(cost), "deal_amount": _money(deal),
                 "ratio": None if ratio is None else float(ratio),
                 "above_threshold": row["above_threshold"]},
    }


def reporting_currency_for(*, actor, filters: PortfolioFilters) -> str:
    """The team's reporting currency; for several teams, the one most of them use."""
    from pocdesk.people.selectors import team_list_visible

    teams = team_list_visible(user=actor)
    if filters.team_id:
        teams = teams.filter(pk=filters.team_id)
    return most_used_currency(teams.values_list("reporting_currency", flat=True))


def portfolio_figures(*, actor, filters: PortfolioFilters,
                      today: datetime.date | None = None) -> dict:
    """Every figure of the portfolio (see the module's docstring) in a constant number of
    queries: the actor's teams, their currencies, the rates, the figures summed by the database
    per team × owner × industry, the closes by month and reason, and the missing rates."""
    today = today or timezone.localdate()
    currency = reporting_currency_for(actor=actor, filters=filters)
    rates = rates_to(currency)
    scoped = _scoped(actor=actor, filters=filters)
    headline = _tally()
    lines: dict[str, dict] = {name: {} for name in BREAKDOWNS}
    labels: dict[str, dict] = {name: {} for name in BREAKDOWNS}
    for group, tally in _grouped(scoped, rates=rates, filters=filters, today=today):
        (team_id, team_name, owner_id, username, display_name, industry, *ranks) = group
        labels["team"].setdefault(ranks[0], (team_id, team_name))
        labels["owner"].setdefault(ranks[1], (owner_id, display_name or username))
        labels["industry"].setdefault(ranks[2], (industry, industry or _("No industry")))
        _add(headline, tally)
        for name, rank in zip(BREAKDOWNS, ranks, strict=True):
            if rank not in lines[name]:
                lines[name][rank] = _tally()
            _add(lines[name][rank], tally)
    breakdowns = {name: [{"id": labels[name][rank][0], "label": labels[name][rank][1],
                          **_figures(_row(lines[name][rank]))}
                         for rank in sorted(lines[name])]
                  for name in BREAKDOWNS}
    reasons, months = _closes(scoped, filters)
    return {
        "filters": filters.as_dict(),
        "currency": currency,
        "today": today.isoformat(),
        "missing_rates": _missing_rates(scoped, rates),
        **_figures(_row(headline)),
        "reasons": _reasons(reasons),
        "closes_by_month": _closes_by_month(months, filters),
        "breakdowns": breakdowns,
    }


def _reasons(counts: Counter) -> list[dict]:
    """Closed POCs per reason, the most frequent first, then in the reasons' own order."""
    from pocdesk.results.models import LossReason

    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][4], item[0][0]))
    return [{"code": code,
             "label": LossReason(label_en=label_en, label_zh_hans=label_zh_hans,
                                 label_fr=label_fr).label(),
             "count": count}
            for (code, label_en, label_zh_hans, label_fr, _position), count in ordered]


def _closes_by_month(months: dict[str, dict], filters: PortfolioFilters) -> list[dict]:
    rows = []
    year, month = filters.since.year, filters.since.month
    while (year, month) <= (filters.until.year, filters.until.month):
        key = f"{year:04d}-{month:02d}"
        rows.append({"month": key, **months.get(key, dict.fromkeys(CLOSE_BUCKETS, 0))})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def _missing_rates(pocs, rates) -> list[str]:
    """Currencies of costs and orders in scope that have no rate into the reporting currency
    (amounts in the deal's own currency convert at the deal's rate and never miss one)."""
    from pocdesk.agreements.models import CostLine
    from pocdesk.results.models import CostEntry, PocResult

    ids = pocs.order_by().values("pk")
    foreign = (CostEntry.objects.filter(poc__in=ids).exclude(
        currency=F("poc__opportunity__currency")).order_by().values_list("currency", flat=True)
        .union(CostLine.objects.filter(agreement__poc__in=ids).exclude(
            currency=F("agreement__poc__opportunity__currency"))
            .order_by().values_list("currency", flat=True))
        .union(PocResult.objects.filter(poc__in=ids).exclude(order_currency="").exclude(
            order_currency=F("poc__opportunity__currency"))
            .order_by().values_list("order_currency", flat=True))
        .union(pocs.order_by().values_list("team__reporting_currency", flat=True)))
    return sorted(set(foreign) - set(rates))
