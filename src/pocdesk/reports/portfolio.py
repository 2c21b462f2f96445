"""The portfolio (§9.3): how the POCs of a team, or of the whole company, are doing.

One selector, `portfolio_figures(actor=, filters=)`, reads every figure with aggregates computed
by the database (conditional counts, sums and averages; subqueries for milestones, transitions
and costs), in a constant number of queries whatever the number of POCs. Its dict is
JSON-able and serves the page, the CSV/XLSX export and `GET /api/v1/portfolio`.

Scope and filters
    The POCs of the teams the actor may see (admins: every team, the company view), narrowed
    by team, owner (the presales engineer), industry (the account's) and a period
    (`since`..`until`, dates included; by default the current month and the 11 before it).

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
    Avg,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from pocdesk.core.errors import ValidationFailed
from pocdesk.pocs.models import POC, Status
from pocdesk.results.models import CommercialResult, TechnicalResult
from pocdesk.results.money import CENT, rate_case_sql, rates_to, reporting_amount_sql
from pocdesk.results.money import MONEY_SQL as MONEY
from pocdesk.results.selectors import poc_cost_sql
from pocdesk.timebox.health import Health, late_filter

ENDED = (Status.CLOSED, Status.WALKED_AWAY)
FINISHED = (Status.EVALUATING, Status.CLOSED)
PAST_END_STATUSES = (Status.AGREED, Status.RUNNING, Status.PAUSED)
DEFAULT_COST_THRESHOLD = Decimal("5")
BREAKDOWNS = ("team", "owner", "industry")
CLOSE_BUCKETS = ("won", "lost", "no_decision", "other")


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
        try:
            since = default_since if until is None else until - datetime.timedelta(days=365)
        except OverflowError:  # a period ending in year 1
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
    return pocs.filter(
        Q(created_at__date__lte=filters.until)
        & (~Q(status__in=ENDED) | Q(status_changed_at__date__gte=filters.since)))


def _annotated(pocs, *, filters: PortfolioFilters, rates, today: datetime.date):
    from pocdesk.core.models import Event
    from pocdesk.timebox.models import Milestone

    entered = (Event.objects.filter(poc=OuterRef("pk"), verb="poc.transitioned",
                                    data__to__in=list(FINISHED))
               .order_by("created_at").values("created_at")[:1])
    milestones = Milestone.objects.filter(poc=OuterRef("pk"))
    team_rate = rate_case_sql("team__reporting_currency", rates)
    return pocs.annotate(
        order_currency=Coalesce(NullIf(F("result__order_currency"), Value("")),
                                F("opportunity__currency")),
    ).annotate(
        actual_end=TruncDate(Coalesce(Subquery(entered), F("status_changed_at")),
                             output_field=DateField()),
        closed_on=TruncDate("status_changed_at", output_field=DateField()),
        stalled=Exists(milestones.filter(late_filter(today=today, health=Health.STALLED))),
        at_risk=Exists(milestones.filter(late_filter(today=today, health=Health.AT_RISK))),
        deal_amount=ExpressionWrapper(F("opportunity__amount") * F("opportunity__exchange_rate")
                               * team_rate, output_field=MONEY),
        poc_cost=poc_cost_sql(rates),
        threshold=Coalesce(F("team__results_policy__cost_ratio_threshold"),
                           Value(DEFAULT_COST_THRESHOLD, output_field=MONEY)),
        order_amount=reporting_amount_sql(F("result__order_value"), "order_currency", poc="",
                                          rates=rates),
    ).annotate(
        drift_span=ExpressionWrapper(F("actual_end") - F("end_date"), output_field=DurationField()),
        actual_duration=ExpressionWrapper(F("actual_end") - F("start_date"),
                                          output_field=DurationField()),
        planned_duration=ExpressionWrapper(F("end_date") - F("start_date"),
                                           output_field=DurationField()),
        past_end_span=ExpressionWrapper(Value(today, output_field=DateField()) - F("end_date"),
                                   output_field=DurationField()),
    )


def _aggregates(filters: PortfolioFilters, today: datetime.date) -> dict:
    period = {"gte": filters.since, "lte": filters.until}
    is_open = ~Q(status__in=ENDED)
    finished = (Q(status__in=FINISHED) & Q(actual_end__gte=period["gte"])
                & Q(actual_end__lte=period["lte"]))
    closed = (Q(status=Status.CLOSED) & Q(closed_on__gte=period["gte"])
              & Q(closed_on__lte=period["lte"]))
    timed = finished & Q(end_date__isnull=False)
    both_dates = timed & Q(start_date__isnull=False)
    past_end = Q(status__in=PAST_END_STATUSES, end_date__lt=today)
    costed = Q(poc_cost__isnull=False, deal_amount__gt=0)

    def count(condition):
        return Count("pk", filter=condition)

    aggregates = {f"status_{status}": count(Q(status=status)) for status in Status.values}
    aggregates.update(
        total=Count("pk"),
        open=count(is_open),
        health_stalled=count(is_open & Q(stalled=True)),
        health_at_risk=count(is_open & Q(stalled=False, at_risk=True)),
        past_end=count(past_end),
        past_end_avg=Avg("past_end_span", filter=past_end),
        finished=count(finished),
        timed=count(timed),
        late=count(timed & Q(actual_end__gt=F("end_date"))),
        drift_avg=Avg("drift_span", filter=timed),
        durations=count(both_dates),
        actual_days_avg=Avg("actual_duration", filter=both_dates),
        planned_days_avg=Avg("planned_duration", filter=both_dates),
        closed=count(closed),
        with_technical=count(closed & Q(result__technical_result__in=TechnicalResult.values)),
        order_value=Sum("order_amount", filter=closed & Q(
            result__commercial_result=CommercialResult.WON)),
        costed=count(costed),
        cost=Sum("poc_cost", filter=costed),
        deal=Sum("deal_amount", filter=costed),
        above_threshold=count(costed & Q(poc_cost__gt=ExpressionWrapper(
            F("deal_amount") * F("threshold") / Value(100), output_field=MONEY))),
    )
    for result in TechnicalResult.values:
        aggregates[f"technical_{result}"] = count(closed & Q(result__technical_result=result))
    for result in CommercialResult.values:
        aggregates[f"commercial_{result}"] = count(closed & Q(result__commercial_result=result))
    return aggregates


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
    counts = Counter(teams.values_list("reporting_currency", flat=True))
    if not counts:
        return "EUR"
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def portfolio_figures(*, actor, filters: PortfolioFilters,
                      today: datetime.date | None = None) -> dict:
    """Every figure of the portfolio (see the module's docstring) in 10 queries at most:
    the actor's teams, their currencies, the rates, the headline, three breakdowns, the
    reasons, the months and the missing rates."""
    today = today or timezone.localdate()
    currency = reporting_currency_for(actor=actor, filters=filters)
    rates = rates_to(currency)
    scoped = _scoped(actor=actor, filters=filters)
    pocs = _annotated(scoped, filters=filters, rates=rates, today=today)
    aggregates = _aggregates(filters, today)
    headline = _figures(pocs.aggregate(**aggregates))

    def lines(*fields, order):
        return list(pocs.values(*fields).annotate(**aggregates).order_by(*order))

    breakdowns = {
        "team": [{"id": row["team_id"], "label": row["team__name"], **_figures(row)}
                 for row in lines("team_id", "team__name", order=["team__name", "team_id"])],
        "owner": [{"id": row["owner_id"],
                   "label": row["owner__profile__display_name"] or row["owner__username"],
                   **_figures(row)}
                  for row in lines("owner_id", "owner__username", "owner__profile__display_name",
                                   order=["owner__username", "owner_id"])],
        "industry": [{"id": row["opportunity__account__industry"],
                      "label": row["opportunity__account__industry"] or _("No industry"),
                      **_figures(row)}
                     for row in lines("opportunity__account__industry",
                                      order=["opportunity__account__industry"])],
    }
    closed = pocs.filter(status=Status.CLOSED, closed_on__gte=filters.since,
                         closed_on__lte=filters.until)
    return {
        "filters": filters.as_dict(),
        "currency": currency,
        "today": today.isoformat(),
        "missing_rates": _missing_rates(scoped, rates),
        **headline,
        "reasons": _reasons(closed),
        "closes_by_month": _closes_by_month(closed, filters),
        "breakdowns": breakdowns,
    }


def _reasons(closed) -> list[dict]:
    from pocdesk.results.models import LossReason

    rows = (closed.filter(result__reason__isnull=False)
            .values("result__reason__code", "result__reason__label_en",
                    "result__reason__label_zh_hans", "result__reason__label_fr",
                    "result__reason__position")
            .annotate(count=Count("pk"))
            .order_by("-count", "result__reason__position", "result__reason__code"))
    return [{"code": row["result__reason__code"],
             "label": LossReason(label_en=row["result__reason__label_en"],
                                 label_zh_hans=row["result__reason__label_zh_hans"],
                                 label_fr=row["result__reason__label_fr"]).label(),
             "count": row["count"]} for row in rows]


def _closes_by_month(closed, filters: PortfolioFilters) -> list[dict]:
    known = [CommercialResult.WON, CommercialResult.LOST, CommercialResult.NO_DECISION]
    rows = (closed.annotate(month=TruncMonth("closed_on", output_field=DateField()))
            .values("month")
            .annotate(won=Count("pk", filter=Q(result__commercial_result=CommercialResult.WON)),
                      lost=Count("pk", filter=Q(result__commercial_result=CommercialResult.LOST)),
                      no_decision=Count("pk", filter=Q(
                          result__commercial_result=CommercialResult.NO_DECISION)),
                      other=Count("pk", filter=~Q(result__commercial_result__in=known)
                                  | Q(result__isnull=True)))
            .order_by("month"))
    by_month = {row["month"].strftime("%Y-%m"): row for row in rows}
    months = []
    year, month = filters.since.year, filters.since.month
    while (year, month) <= (filters.until.year, filters.until.month):
        key = f"{year:04d}-{month:02d}"
        row = by_month.get(key, {})
        months.append({"month": key, **{bucket: row.get(bucket, 0) for bucket in CLOSE_BUCKETS}})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


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
