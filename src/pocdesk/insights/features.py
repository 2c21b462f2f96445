"""What pocdesk knows about a deal before it closes, as the win model's features (§10).

The same facts the qualification gate looks at (budget, process, sponsor, champion,
competitors, commitment), computed in bulk: one query per related table whatever the number
of opportunities, because training reads every closed deal of the company. Nothing that is only
known once the deal closes (stage, results, the engineers' own assessments) is a feature: it
would teach the model the outcome.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.accounts.models import CompanySize
from pocdesk.opportunities.models import (
    CloseDatePush,
    Competitor,
    CompetitorPosition,
    Opportunity,
    PurchaseProcess,
    Source,
)
from pocdesk.pocs.models import POC, CommitmentLevel, PocType, Status
from pocdesk.stakeholders.models import Engagement, Side, Stakeholder, StakeholderRole

from .learning.data import CATEGORICAL, NUMERIC, Feature

YES, NO = "yes", "no"
NO_COMPETITOR = "none"
NO_POC = "no_poc"

# Above this many opportunities the related tables are read by a range of ids and the rows of
# other opportunities dropped: a list of ids that long would exceed SQLite's parameter limit.
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
    """{opportunity pk: {feature name: value}} for every opportunity given, open or closed."""
    facts = _opportunity_facts(opportunities)
    if not facts:
        return {}
    ids = set(facts)
    account_ids = {fact["account_id"] for fact in facts.values()}
    competitors = _competitors(ids)
    pushes = _close_date_pushes(ids)
    chain = _decision_chain(ids, account_ids, facts)
    engaged = _engaged(ids)
    pocs = _latest_pocs(ids)
    failed = _failed_pocs(account_ids)
    return {pk: {**_own_features(fact), **competitors.get(pk, _no_competitor()),
                 "close_date_pushes": float(pushes.get(pk, 0)), **chain[pk],
                 **engaged.get(pk, {"sponsor_engaged": NO, "contacts_engaged": 0.0}),
                 "earlier_failed_pocs": float(_earlier_failures(fact, failed)),
                 **pocs.get(pk, _no_poc())}
            for pk, fact in facts.items()}


def describe_value(feature_name: str, value: Any) -> str:
    """A stored value as the reader says it: "yes", a choice's label, a number with grouping."""
    if value is None:
        return ""
    text = str(value)
    if feature_name in YES_NO_FEATURES:
        return {YES: _("yes"), NO: _("no")}.get(text, text)
    if feature_name in NUMERIC_FEATURES:
        return _number_text(feature_name, text)
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


def _number_text(feature_name: str, text: str) -> str:
    from django.utils.formats import number_format

    try:
        number = float(text)
    except ValueError:
        return text
    decimals = 0 if feature_name in AMOUNT_FEATURES or number.is_integer() else 1
    return number_format(round(number, decimals), decimal_pos=decimals, use_l10n=True,
                         force_grouping=feature_name in AMOUNT_FEATURES)


# Reading in bulk ---------------------------------------------------------------------------

OPPORTUNITY_FIELDS = ("pk", "account_id", "account__industry", "account__size", "amount",
                      "exchange_rate", "source", "purchase_process", "budget_confirmed",
                      "decision_date", "nda_signed", "customer_evasive", "free_production_use",
                      "created_at")


def _opportunity_facts(opportunities) -> dict[int, dict]:
    if isinstance(opportunities, QuerySet):
        rows = opportunities.values(*OPPORTUNITY_FIELDS)
    else:
        ids = {opportunity.pk for opportunity in opportunities}
        if not ids:
            return {}
        rows = Opportunity.objects.filter(_scope("pk", ids)).values(*OPPORTUNITY_FIELDS)
        return {row["pk"]: row for row in rows if row["pk"] in ids}
    return {row["pk"]: row for row in rows}


def _scope(field: str, ids: set[int]) -> Q:
    """A filter on `field` that keeps every id of `ids` (and, past the limit, a few more)."""
    if len(ids) <= LISTED_IDS_LIMIT:
        return Q(**{f"{field}__in": sorted(ids)})
    return Q(**{f"{field}__gte": min(ids), f"{field}__lte": max(ids)})


def _own_features(fact: dict) -> dict[str, Any]:
    amount, rate = fact["amount"], fact["exchange_rate"]
    return {
        "industry": _text(fact["account__industry"]),
        "company_size": _text(fact["account__size"]),
        "deal_size": None if amount is None or rate is None else float(amount * rate),
        "source": _text(fact["source"]),
        "purchase_process": _text(fact["purchase_process"]),
        "budget_confirmed": _yes_no(fact["budget_confirmed"]),
        "decision_date_known": _yes_no(fact["decision_date"] is not None),
        "nda_signed": _yes_no(fact["nda_signed"]),
        "customer_evasive": _yes_no(fact["customer_evasive"]),
        "free_production_use": _yes_no(fact["free_production_use"]),
    }


def _competitors(ids: set[int]) -> dict[int, dict[str, Any]]:
    positions: dict[int, list[str]] = defaultdict(list)
    rows = Competitor.objects.filter(_scope("opportunity_id", ids)) \
        .values_list("opportunity_id", "position")
    for opportunity_id, position in rows:
        if opportunity_id in ids:
            positions[opportunity_id].append(position)
    return {opportunity_id: {
        "competitors": float(len(found)),
        "competitor_position": max(found, key=lambda position: POSITION_RANK.get(position, 1)),
        "competitor_ahead": _yes_no(CompetitorPosition.BEHIND in found),
    } for opportunity_id, found in positions.items()}


def _no_competitor() -> dict[str, Any]:
    return {"competitors": 0.0, "competitor_position": NO_COMPETITOR, "competitor_ahead": NO}


def _close_date_pushes(ids: set[int]) -> dict[int, int]:
    rows = CloseDatePush.objects.filter(_scope("opportunity_id", ids)) \
        .values("opportunity_id").annotate(pushes=Count("pk")).order_by() \
        .values_list("opportunity_id", "pushes")
    return dict(rows)


def _decision_chain(ids: set[int], account_ids: set[int], facts: dict[int, dict]
                    ) -> dict[int, dict[str, Any]]:
    """The customer's people of each deal: its own and those of its whole account."""
    own: dict[int, list[str]] = defaultdict(list)
    account_wide: dict[int, list[str]] = defaultdict(list)
    rows = Stakeholder.objects.filter(side=Side.CUSTOMER).filter(
        _scope("opportunity_id", ids)
        | (Q(opportunity__isnull=True) & _scope("account_id", account_ids))
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


def _engaged(ids: set[int]) -> dict[int, dict[str, Any]]:
    """Customer people who met or acknowledged any POC of the deal (the gate's engagement)."""
    people: dict[int, dict[int, str]] = defaultdict(dict)
    rows = Engagement.objects.filter(stakeholder__side=Side.CUSTOMER) \
        .filter(_scope("poc__opportunity_id", ids)) \
        .values_list("poc__opportunity_id", "stakeholder_id", "stakeholder__role").distinct()
    for opportunity_id, stakeholder_id, role in rows:
        if opportunity_id in ids:
            people[opportunity_id][stakeholder_id] = role
    return {opportunity_id: {
        "sponsor_engaged": _yes_no(StakeholderRole.EXECUTIVE_SPONSOR in roles.values()),
        "contacts_engaged": float(len(roles)),
    } for opportunity_id, roles in people.items()}


def _latest_pocs(ids: set[int]) -> dict[int, dict[str, Any]]:
    """The facts of each deal's most recent POC: the one the customer is judging now."""
    from pocdesk.criteria.models import Criterion
    from pocdesk.signoffs.models import DocumentKind, PlanVersion, SignatureSide, VersionStatus

    latest: dict[int, tuple] = {}
    rows = POC.objects.filter(_scope("opportunity_id", ids)).values_list(
        "opportunity_id", "created_at", "start_date", "pk", "commitment_level", "poc_type")
    for row in rows:
        key = (row[1], row[2] or datetime.date.min, row[3])
        if row[0] in ids and (row[0] not in latest or key > latest[row[0]][0]):
            latest[row[0]] = (key, row)
    poc_ids = {row[3] for _key, row in latest.values()}
    if not poc_ids:
        return {}
    criteria = dict(Criterion.objects.filter(_scope("poc_id", poc_ids))
                    .values("poc_id").annotate(count=Count("pk")).order_by()
                    .values_list("poc_id", "count"))
    signed = set(PlanVersion.objects.filter(
        _scope("poc_id", poc_ids), kind=DocumentKind.CRITERIA, status=VersionStatus.SIGNED,
        signatures__side=SignatureSide.CUSTOMER).values_list("poc_id", flat=True))
    return {opportunity_id: {
        "commitment_level": str(row[4]),
        "poc_type": _text(row[5]),
        "criteria_signed": _yes_no(row[3] in signed),
        "criteria": float(criteria.get(row[3], 0)),
    } for opportunity_id, (_key, row) in latest.items()}


def _no_poc() -> dict[str, Any]:
    return {"commitment_level": NO_POC, "poc_type": NO_POC, "criteria_signed": NO,
            "criteria": None}


def _failed_pocs(account_ids: set[int]) -> tuple[dict[int, list], dict[int, list]]:
    """When POCs ended without a purchase: sorted per account, and per opportunity."""
    from pocdesk.opportunities.models import Stage

    rows = POC.objects.filter(_scope("opportunity__account_id", account_ids)).filter(
        Q(status=Status.WALKED_AWAY)
        | (Q(status=Status.CLOSED) & ~Q(opportunity__stage=Stage.CLOSED_WON))
    ).values_list("opportunity__account_id", "opportunity_id", "status_changed_at")
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


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _yes_no(flag: bool) -> str:
    return YES if flag else NO
