"""What pocdesk knows about a deal before it closes, as the win model's features (§10).

The same facts the qualification gate looks at (budget, process, sponsor, champion,
competitors, commitment), computed in bulk: one query per related table whatever the number
of opportunities, because training reads every closed deal of the company. Nothing that is only
known once the deal closes (stage, results, the engineers' own assessments) is a feature: it
would teach the model the outcome.

A limit: the facts are read from the current rows, not as they stood on a given date, so a
closed deal's are those left at its close, while an open deal is scored on what is known so far. Only
`earlier_failed_pocs` is cut at the deal's creation; the other facts of a closed deal
(competitors, stakeholders, its latest POC, its amount) may include what was learnt late in the
deal, which makes them look more telling in training than they are mid-way.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.accounts.models import CompanySize
from pocdesk.core.formats import format_amount
from pocdesk.opportunities.models import (
    CloseDatePush,
    Competitor,
    CompetitorPosition,
    Opportunity,
    PurchaseProcess,
    Source,
)
from pocdesk.pocs.models import POC, CommitmentLevel, PocType
from pocdesk.qualification.selectors import ENDED_WITHOUT_PURCHASE
from pocdesk.results.money import company_currency, rates_to
from pocdesk.stakeholders.models import Engagement, Side, Stakeholder, StakeholderRole

from .learning.data import CATEGORICAL, NUMERIC, Feature, category_value

YES, NO = "yes", "no"
NO_COMPETITOR = "none"
NO_POC = "no_poc"

# A list of more opportunities than this is read by the range of its ids and the others dropped:
# a list of ids that long would exceed SQLite's parameter limit.
LISTED_IDS_LIMIT = 500

# Better first: "our best position" among the competitors of a deal.
POSITION_RANK = {CompetitorPosition.AHEAD: 3, CompetitorPosition.LEVEL: 2,
                 CompetitorPosition.UNKNOWN: 1, CompetitorPosition.BEHIND: 0}

OPPORTUNITY_FEATURES: list[Feature] = [
    Feature("industry", CATEGORICAL, gettext_lazy("Industry")),
    Feature("company_size", CATEGORICAL, gettext_lazy("Company size")),
    Feature("deal_size", NUMERIC, gettext_lazy("Deal size")),
    Feature("source", CATEGORICAL, gettext_lazy("Opportunity source")),
    Feature("purchase_process", CATEGORICAL, gettext_lazy("Purchasing process")),
    Feature("budget_confirmed", CATEGORICAL, gettext_lazy("Budget confirmed")),
    Feature("decision_date_known", CATEGORICAL, gettext_lazy("Decision date known")),
    Feature("nda_signed", CATEGORICAL, gettext_lazy("NDA signed")),
    Feature("customer_evasive", CATEGORICAL, gettext_lazy("Customer evasive")),
    Feature("free_production_use", CATEGORICAL, gettext_lazy("Free production use requested")),
    Feature("competitors", NUMERIC, gettext_lazy("Number of competitors")),
    Feature("competitor_position", CATEGORICAL, gettext_lazy("Our best position against competitors")),
    Feature("competitor_ahead", CATEGORICAL, gettext_lazy("A competitor is ahead of us")),
    Feature("close_date_pushes", NUMERIC, gettext_lazy("Close-date changes")),
    Feature("executive_sponsor", CATEGORICAL, gettext_lazy("Executive sponsor identified")),
    Feature("champion", CATEGORICAL, gettext_lazy("Champion identified")),
    Feature("customer_stakeholders", NUMERIC, gettext_lazy("Customer stakeholders")),
    Feature("sponsor_engaged", CATEGORICAL, gettext_lazy("Executive sponsor engaged in a POC")),
    Feature("contacts_engaged", NUMERIC, gettext_lazy("Customer contacts engaged in a POC")),
    Feature("earlier_failed_pocs", NUMERIC,
            gettext_lazy("Earlier POCs of the account without a purchase")),
    Feature("commitment_level", CATEGORICAL, gettext_lazy("Commitment level")),
    Feature("poc_type", CATEGORICAL, gettext_lazy("POC type")),
    Feature("criteria_signed", CATEGORICAL, gettext_lazy("Success criteria signed by the customer")),
    Feature("criteria", NUMERIC, gettext_lazy("Number of success criteria")),
]

YES_NO_FEATURES = frozenset({
    "budget_confirmed", "decision_date_known", "nda_signed", "customer_evasive",
    "free_production_use", "competitor_ahead", "executive_sponsor", "champion",
    "sponsor_engaged", "criteria_signed"})
CHOICES = {"company_size": CompanySize, "source": Source, "purchase_process": PurchaseProcess,
           "competitor_position": CompetitorPosition, "poc_type": PocType}
NUMERIC_FEATURES = frozenset(feature.name for feature in OPPORTUNITY_FEATURES
                             if feature.kind == NUMERIC)
AMOUNT_FEATURES = frozenset({"deal_size"})


def opportunity_features(opportunities: Iterable[Opportunity] | QuerySet
                         ) -> dict[int, dict[str, str | float | None]]:
    """{opportunity pk: {feature name: value}} for every opportunity given, open or closed.

    Best given as a queryset: every related table is then read through it as a subquery. A
    list is accepted too (see `_scope`).
    """
    scope, kept = _scope(opportunities)
    facts = {row["pk"]: row for row in scope.values(*OPPORTUNITY_FIELDS)
             if kept is None or row["pk"] in kept}
    if not facts:
        return {}
    rates = rates_to(deal_size_currency())
    competitors = _competitors(scope)
    pushes = _close_date_pushes(scope)
    chain = _decision_chain(scope, facts)
    engaged = _engaged(scope)
    pocs = _latest_pocs(scope)
    failed = _failed_pocs(scope)
    return {pk: {**_own_features(fact, rates), **competitors.get(pk, _no_competitor()),
                 "close_date_pushes": float(pushes.get(pk, 0)), **chain[pk],
                 **engaged.get(pk, {"sponsor_engaged": NO, "contacts_engaged": 0.0}),
                 "earlier_failed_pocs": float(_earlier_failures(fact, failed)),
                 **pocs.get(pk, _no_poc())}
            for pk, fact in facts.items()}


def deal_size_currency() -> str:
    """The currency of every deal size, whichever team's deal it is: the model learns from all
    teams at once, so their amounts must be comparable."""
    return company_currency()


def describe_value(feature_name: str, value: Any, *, currency: str | None = None) -> str:
    """A stored value as the reader says it: "yes", a choice's label, a number with grouping,
    a deal size with its currency (`deal_size_currency()` unless `currency` is given)."""
    if value is None:
        return ""
    text = str(value)
    if feature_name in YES_NO_FEATURES:
        return {YES: _("yes"), NO: _("no")}.get(text, text)
    if feature_name in AMOUNT_FEATURES:
        return _amount_text(text, currency)
    if feature_name in NUMERIC_FEATURES:
        return _number_text(text)
    if feature_name == "commitment_level":
        if text == NO_POC:
            return _("No POC")
        try:
            return str(CommitmentLevel(int(text)).label)
        except ValueError:
            return text
    if feature_name == "competitor_position" and text == NO_COMPETITOR:
        return _("No competitor")
    if feature_name == "poc_type" and text == NO_POC:
        return _("No POC")
    choices = CHOICES.get(feature_name)
    if choices is not None and text in choices.values:
        return str(choices(text).label)
    return text


def _amount_text(text: str, currency: str | None) -> str:
    try:
        number = Decimal(text).quantize(Decimal(1))
    except ArithmeticError:
        return text
    if number.is_nan():
        return text
    return f"{format_amount(number, 0)}\N{NO-BREAK SPACE}{currency or deal_size_currency()}"


def _number_text(text: str) -> str:
    from django.utils.formats import number_format

    try:
        number = float(text)
    except ValueError:
        return text
    decimals = 0 if number.is_integer() else 1
    return number_format(round(number, decimals), decimal_pos=decimals, use_l10n=True)


# Reading in bulk ---------------------------------------------------------------------------

OPPORTUNITY_FIELDS = ("pk", "account_id", "account__industry", "account__size", "amount",
                      "exchange_rate", "team__reporting_currency", "source", "purchase_process",
                      "budget_confirmed", "decision_date", "nda_signed", "customer_evasive",
                      "free_production_use", "created_at")


def _scope(opportunities) -> tuple[QuerySet, set[int] | None]:
    """The opportunities as a queryset that the related tables are filtered by (a subquery, so
    no list of ids is sent), and the ids to keep when that queryset reads more than was given.

    A list of up to LISTED_IDS_LIMIT opportunities becomes a filter on their ids; a longer one,
    whose ids would exceed SQLite's parameter limit, the range of its ids.
    """
    if isinstance(opportunities, QuerySet):
        return opportunities, None
    ids = {opportunity.pk for opportunity in opportunities}
    if len(ids) <= LISTED_IDS_LIMIT:
        return Opportunity.objects.filter(pk__in=sorted(ids)), None
    return Opportunity.objects.filter(pk__range=(min(ids), max(ids))), ids


def _own_features(fact: dict, rates: dict[str, Decimal]) -> dict[str, Any]:
    return {
        "industry": category_value(fact["account__industry"]),
        "company_size": category_value(fact["account__size"]),
        "deal_size": _deal_size(fact, rates),
        "source": category_value(fact["source"]),
        "purchase_process": category_value(fact["purchase_process"]),
        "budget_confirmed": _yes_no(fact["budget_confirmed"]),
        "decision_date_known": _yes_no(fact["decision_date"] is not None),
        "nda_signed": _yes_no(fact["nda_signed"]),
        "customer_evasive": _yes_no(fact["customer_evasive"]),
        "free_production_use": _yes_no(fact["free_production_use"]),
    }


def _deal_size(fact: dict, rates: dict[str, Decimal]) -> float | None:
    """The amount at the deal's fixed rate into its team's currency, then at that currency's
    latest rate into `deal_size_currency()` (the portfolio's rule); None without a rate."""
    amount, rate = fact["amount"], fact["exchange_rate"]
    team_rate = rates.get(fact["team__reporting_currency"])
    if amount is None or rate is None or team_rate is None:
        return None
    return float(amount * rate * team_rate)


def _competitors(scope: QuerySet) -> dict[int, dict[str, Any]]:
    positions: dict[int, list[str]] = defaultdict(list)
    rows = Competitor.objects.filter(opportunity__in=scope.values("pk")) \
        .values_list("opportunity_id", "position")
    for opportunity_id, position in rows:
        positions[opportunity_id].append(position)
    return {opportunity_id: {
        "competitors": float(len(found)),
        "competitor_position": max(found, key=lambda position: POSITION_RANK.get(position, 1)),
        "competitor_ahead": _yes_no(CompetitorPosition.BEHIND in found),
    } for opportunity_id, found in positions.items()}


def _no_competitor() -> dict[str, Any]:
    return {"competitors": 0.0, "competitor_position": NO_COMPETITOR, "competitor_ahead": NO}


def _close_date_pushes(scope: QuerySet) -> dict[int, int]:
    rows = CloseDatePush.objects.filter(opportunity__in=scope.values("pk")) \
        .values("opportunity_id").annotate(pushes=Count("pk")).order_by() \
        .values_list("opportunity_id", "pushes")
    return dict(rows)


def _decision_chain(scope: QuerySet, facts: dict[int, dict]) -> dict[int, dict[str, Any]]:
    """The customer's people of each deal: its own and those of its whole account."""
    own: dict[int, list[str]] = defaultdict(list)
    account_wide: dict[int, list[str]] = defaultdict(list)
    rows = Stakeholder.objects.filter(side=Side.CUSTOMER).filter(
        Q(opportunity__in=scope.values("pk"))
        | Q(opportunity__isnull=True, account__in=scope.values("account_id"))
    ).values_list("opportunity_id", "account_id", "role")
    for opportunity_id, account_id, role in rows:
        if opportunity_id is None:
            account_wide[account_id].append(role)
        else:
            own[opportunity_id].append(role)
    chain = {}
    for pk, fact in facts.items():
        roles = own.get(pk, []) + account_wide.get(fact["account_id"], [])
        chain[pk] = {
            "executive_sponsor": _yes_no(StakeholderRole.EXECUTIVE_SPONSOR in roles),
            "champion": _yes_no(StakeholderRole.CHAMPION in roles),
            "customer_stakeholders": float(len(roles)),
        }
    return chain


def _engaged(scope: QuerySet) -> dict[int, dict[str, Any]]:
    """Customer people who met or acknowledged any POC of the deal (the gate's engagement)."""
    people: dict[int, dict[int, str]] = defaultdict(dict)
    rows = Engagement.objects.filter(stakeholder__side=Side.CUSTOMER,
                                     poc__opportunity__in=scope.values("pk")) \
        .values_list("poc__opportunity_id", "stakeholder_id", "stakeholder__role").distinct()
    for opportunity_id, stakeholder_id, role in rows:
        people[opportunity_id][stakeholder_id] = role
    return {opportunity_id: {
        "sponsor_engaged": _yes_no(StakeholderRole.EXECUTIVE_SPONSOR in roles.values()),
        "contacts_engaged": float(len(roles)),
    } for opportunity_id, roles in people.items()}


def _latest_pocs(scope: QuerySet) -> dict[int, dict[str, Any]]:
    """The facts of each deal's most recent POC: the one the customer is judging now."""
    from pocdesk.criteria.models import Criterion
    from pocdesk.signoffs.models import DocumentKind, PlanVersion, SignatureSide, VersionStatus

    latest: dict[int, tuple] = {}
    pocs = POC.objects.filter(opportunity__in=scope.values("pk"))
    rows = pocs.values_list("opportunity_id", "created_at", "start_date", "pk",
                            "commitment_level", "poc_type")
    for row in rows:
        key = (row[1], row[2] or datetime.date.min, row[3])
        if row[0] not in latest or key > latest[row[0]][0]:
            latest[row[0]] = (key, row)
    if not latest:
        return {}
    # Read for every POC of the deals (a subquery rather than a list of ids), kept for the latest.
    criteria = dict(Criterion.objects.filter(poc__in=pocs.values("pk"))
                    .values("poc_id").annotate(count=Count("pk")).order_by()
                    .values_list("poc_id", "count"))
    signed = set(PlanVersion.objects.filter(
        poc__in=pocs.values("pk"), kind=DocumentKind.CRITERIA, status=VersionStatus.SIGNED,
        signatures__side=SignatureSide.CUSTOMER).values_list("poc_id", flat=True))
    return {opportunity_id: {
        "commitment_level": str(row[4]),
        "poc_type": category_value(row[5]),
        "criteria_signed": _yes_no(row[3] in signed),
        "criteria": float(criteria.get(row[3], 0)),
    } for opportunity_id, (_key, row) in latest.items()}


def _no_poc() -> dict[str, Any]:
    return {"commitment_level": NO_POC, "poc_type": NO_POC, "criteria_signed": NO,
            "criteria": None}


def _failed_pocs(scope: QuerySet) -> tuple[dict[int, list], dict[int, list]]:
    """When POCs ended without a purchase: sorted per account, and per opportunity."""
    rows = POC.objects.filter(opportunity__account__in=scope.values("account_id")) \
        .filter(ENDED_WITHOUT_PURCHASE) \
        .values_list("opportunity__account_id", "opportunity_id", "status_changed_at")
    by_account: dict[int, list] = defaultdict(list)
    by_opportunity: dict[int, list] = defaultdict(list)
    for account_id, opportunity_id, ended_at in rows:
        by_account[account_id].append(ended_at)
        by_opportunity[opportunity_id].append(ended_at)
    for ended in by_account.values():
        ended.sort()
    return by_account, by_opportunity


def _earlier_failures(fact: dict, failed: tuple[dict[int, list], dict[int, list]]) -> int:
    """Failures the account had when this deal was opened, other deals' only: later ones are
    not known at the start, and counting them would let a lost deal's aftermath leak in."""
    by_account, by_opportunity = failed
    started = fact["created_at"]
    before = bisect_left(by_account.get(fact["account_id"], []), started)
    return before - sum(1 for ended_at in by_opportunity.get(fact["pk"], ()) if ended_at < started)


def _yes_no(flag: bool) -> str:
    return YES if flag else NO
