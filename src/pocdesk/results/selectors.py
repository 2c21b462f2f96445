"""Reads of the results app: the closing state, the cost summary and the ROI sheet.

Each costs a constant number of queries, whatever the number of criteria, readings, cost
lines and risks: the closing state about eight, the cost summary at most four.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from pocdesk.agreements.models import CostCategory, CostLine, Payer

from .derive import HUNDRED, Derivation, derive_with_statuses, results_policy
from .guards import close_checks
from .models import (
    CostEntry,
    CostKind,
    Lesson,
    LossReason,
    PocResult,
    Retrospective,
    RiskCost,
    RoleRate,
)
from .money import CENT, MONEY_SQL, Converter, reporting_amount_sql, total

__all__ = [
    "ClosingState", "CostSummary", "RoiSheet", "closing_state", "cost_entries_for_poc",
    "cost_entry_get", "cost_summary", "loss_reasons", "poc_cost_sql", "result_for_poc",
    "results_overview", "retrospective_for_poc", "roi_sheet", "role_rates",
]


# -- results and retrospective ----------------------------------------------------------------

def result_for_poc(*, poc) -> PocResult | None:
    """The POC's results, with the reason and the confirming stakeholder (one query)."""
    return (PocResult.objects.filter(poc=poc)
            .select_related("reason", "customer_confirmed_by", "updated_by__profile").first())


def retrospective_for_poc(*, poc) -> Retrospective | None:
    """The POC's retrospective with its lessons in order (two queries; one without one)."""
    return (Retrospective.objects.filter(poc=poc).select_related("submitted_by__profile")
            .prefetch_related(Prefetch("lessons", queryset=Lesson.objects.select_related(
                "log_entry").order_by("position", "id")))
            .first())


def loss_reasons() -> list[LossReason]:
    """The reasons offered for a result, active ones only, in their order."""
    return list(LossReason.objects.filter(active=True).order_by("position", "code"))


@dataclass
class ClosingState:
    """Where a POC stands before closing: what its criteria give, what is recorded, what is
    still missing."""

    poc: Any
    derivation: Derivation
    result: PocResult | None
    retrospective: Retrospective | None
    unmet: list[dict[str, str]]
    can_close: bool
    statuses: dict = field(default_factory=dict)  # criterion id → CriterionStatus

    @property
    def unmet_codes(self) -> list[str]:
        return [item["code"] for item in self.unmet]


def closing_state(*, poc) -> ClosingState:
    """The derivation, the recorded results and retrospective and the unmet close checks."""
    from pocdesk.pocs.models import Status

    statuses, derivation = derive_with_statuses(poc)
    result = result_for_poc(poc=poc)
    retrospective = retrospective_for_poc(poc=poc)
    # Unsaved stand-ins, so that close_checks does not read again what is known to be missing.
    unmet = close_checks(poc, result=result or PocResult(poc=poc),
                         retrospective=retrospective or Retrospective(poc=poc),
                         derived=derivation.result)
    return ClosingState(poc=poc, derivation=derivation, result=result,
                        retrospective=retrospective, unmet=unmet,
                        can_close=poc.status == Status.EVALUATING and not unmet,
                        statuses=statuses)


def results_overview(*, poc) -> dict[str, Any]:
    """The recorded results (each field blank until first saved) with the closing state: what
    the criteria give now, what still stops closing and whether the POC can close."""
    from .services import RESULT_FIELDS

    state = closing_state(poc=poc)
    result = state.result
    answer = {name: getattr(result, name) if result is not None
              else PocResult._meta.get_field(name).get_default()
              for name in (*RESULT_FIELDS, "updated_by", "updated_at")}
    answer.update(recorded=result is not None, derived_technical_result=state.derivation.result,
                  derivation=state.derivation, unmet=state.unmet, can_close=state.can_close)
    return answer


# -- costs ------------------------------------------------------------------------------------

@dataclass
class CostSummary:
    currency: str  # the team's reporting currency
    planned_lines: list[dict[str, Any]]
    actual_lines: list[dict[str, Any]]
    planned_total: Decimal | None
    actual_total: Decimal | None
    by_category: list[dict[str, Any]]
    by_payer: dict[str, Decimal | None]
    vendor_total: Decimal | None
    deal_amount: Decimal | None
    basis: str  # "actual" or "planned"
    total: Decimal | None  # the POC's cost on the basis, every payer
    ratio: Decimal | None  # percent of the deal amount
    threshold: Decimal
    above_threshold: bool
    missing_rates: list[str]
    rates: dict[str, Decimal] = field(default_factory=dict, repr=False)


def cost_entries_for_poc(*, poc, kind: str | None = None):
    entries = CostEntry.objects.filter(poc=poc).select_related("recorded_by__profile")
    if kind:
        entries = entries.filter(kind=kind)
    return entries.order_by("kind", "incurred_on", "id")


def cost_entry_get(*, poc, cost_id) -> CostEntry:
    from pocdesk.core.errors import NotFound

    entry = (cost_entries_for_poc(poc=poc).filter(pk=cost_id).first()
             if str(cost_id).isdigit() else None)
    if entry is None:
        raise NotFound()
    return entry


def _line(source: str, item, converter: Converter) -> dict[str, Any]:
    is_entry = source == "entry"
    return {
        "id": item.pk, "source": source,
        "kind": item.kind if is_entry else CostKind.PLANNED,
        "category": item.category, "category_label": str(CostCategory(item.category).label)
        if item.category in CostCategory.values else item.category,
        "description": item.description,
        "role": item.role if is_entry else "",
        "hours": item.hours if is_entry else None,
        "hourly_rate": item.hourly_rate if is_entry else None,
        "amount": item.amount, "currency": item.currency,
        "paid_by": item.paid_by, "paid_by_label": str(Payer(item.paid_by).label)
        if item.paid_by in Payer.values else item.paid_by,
        "incurred_on": item.incurred_on if is_entry else None,
        "amount_reporting": converter.convert(item.amount, item.currency),
    }


def _sum(lines) -> Decimal | None:
    return total(line["amount_reporting"] for line in lines)


def cost_summary(*, poc) -> CostSummary:
    """Planned (agreement cost lines and planned entries) and actual costs in the reporting
    currency, split by category and payer, and the cost as a share of the deal (at most four
    queries: cost lines, entries, rates, the team's policy).

    The basis rule — the actual entries when there is one, else the planned entries and the
    agreement's cost lines — is also `poc_cost_sql`'s: change them together.
    """
    opportunity = poc.opportunity
    converter = Converter(opportunity, reporting_currency=poc.team.reporting_currency)
    agreement_lines = list(CostLine.objects.filter(agreement__poc=poc).order_by("position",
                                                                                "id"))
    entries = list(CostEntry.objects.filter(poc=poc).order_by("incurred_on", "id"))
    converter.prepare([line.currency for line in agreement_lines]
                      + [entry.currency for entry in entries])
    planned = [_line("agreement", line, converter) for line in agreement_lines]
    planned += [_line("entry", entry, converter) for entry in entries
                if entry.kind == CostKind.PLANNED]
    actual = [_line("entry", entry, converter) for entry in entries
              if entry.kind == CostKind.ACTUAL]
    basis = CostKind.ACTUAL if actual else CostKind.PLANNED
    basis_lines = actual if actual else planned
    by_category = []
    for category, label in CostCategory.choices:
        planned_here = [line for line in planned if line["category"] == category]
        actual_here = [line for line in actual if line["category"] == category]
        if planned_here or actual_here:
            by_category.append({"category": category, "label": str(label),
                                "planned": _sum(planned_here), "actual": _sum(actual_here)})
    by_payer = {payer: _sum(line for line in basis_lines if line["paid_by"] == payer)
                for payer in Payer.values}
    shared = by_payer[Payer.SHARED]
    vendor_total = (None if by_payer[Payer.VENDOR] is None or shared is None
                    else (by_payer[Payer.VENDOR] + shared / 2).quantize(CENT))
    basis_total = _sum(basis_lines)
    deal_amount = converter.convert(opportunity.amount, opportunity.currency) \
        if opportunity.amount else None
    threshold = Decimal(results_policy(poc.team).cost_ratio_threshold).quantize(CENT)
    ratio, above = None, False
    if deal_amount and basis_total is not None:
        ratio = (basis_total * HUNDRED / deal_amount).quantize(CENT)
        above = basis_total * HUNDRED > threshold * deal_amount
    return CostSummary(
        currency=converter.reporting_currency, planned_lines=planned, actual_lines=actual,
        planned_total=_sum(planned), actual_total=_sum(actual), by_category=by_category,
        by_payer=by_payer, vendor_total=vendor_total, deal_amount=deal_amount, basis=basis,
        total=basis_total, ratio=ratio, threshold=threshold, above_threshold=above,
        missing_rates=sorted(converter.missing), rates=converter.rates)


def poc_cost_sql(rates: dict[str, Decimal]):
    """`cost_summary`'s total as an SQL expression on a POC queryset, for sums over many POCs:
    the cost on its basis (actual, else planned with the agreement's cost lines) in the
    currency of `rates` (`reporting_amount_sql`), NULL without any cost recorded.

    Unlike `cost_summary`, an amount without a rate is left out of the sum rather than making
    the total unknown (the portfolio lists those currencies instead).
    """

    def summed(rows, *, poc: str, group: str):
        value = reporting_amount_sql(F("amount"), "currency", poc=poc, rates=rates)
        return Subquery(rows.order_by().values(group).annotate(total=Sum(value))
                        .values("total")[:1], output_field=MONEY_SQL)

    entries = CostEntry.objects.filter(poc=OuterRef("pk"))
    actual = entries.filter(kind=CostKind.ACTUAL)
    planned = entries.filter(kind=CostKind.PLANNED)
    lines = CostLine.objects.filter(agreement__poc=OuterRef("pk"))
    zero = Value(Decimal("0"), output_field=MONEY_SQL)
    return Case(
        When(Exists(actual), then=summed(actual, poc="poc__", group="poc")),
        When(Exists(planned) | Exists(lines), then=ExpressionWrapper(
            Coalesce(summed(planned, poc="poc__", group="poc"), zero)
            + Coalesce(summed(lines, poc="agreement__poc__", group="agreement__poc"), zero),
            output_field=MONEY_SQL)),
        default=Value(None, output_field=MONEY_SQL), output_field=MONEY_SQL)


# -- the ROI sheet ----------------------------------------------------------------------------

@dataclass
class RoiSheet:
    currency: str
    risks: list[dict[str, Any]]
    risk_total: Decimal | None  # Σ probability × impact, reporting currency
    poc_cost: Decimal | None  # the cost summary's total on its basis
    net: Decimal | None  # risk_total − poc_cost
    multiple: Decimal | None  # risk_total ÷ poc_cost; None when the cost is 0 or unknown
    basis: str = CostKind.PLANNED
    missing_rates: list[str] = field(default_factory=list)


def roi_sheet(*, poc, costs: CostSummary | None = None) -> RoiSheet:
    """The customer-facing ROI sheet: the expected cost of the risks the POC removes against
    what the POC costs (one query, two with rates to read, plus the cost summary's)."""
    costs = costs or cost_summary(poc=poc)
    converter = Converter(poc.opportunity, reporting_currency=costs.currency, rates=costs.rates)
    risks = list(RiskCost.objects.filter(poc=poc).order_by("position", "id"))
    converter.prepare(risk.currency for risk in risks)
    rows = []
    for risk in risks:
        impact = converter.convert(risk.impact, risk.currency)
        expected = (None if impact is None
                    else (Decimal(risk.probability) * impact / HUNDRED).quantize(CENT))
        rows.append({"id": risk.pk, "description": risk.description,
                     "probability": risk.probability, "impact": risk.impact,
                     "currency": risk.currency, "impact_reporting": impact,
                     "expected": expected})
    risk_total = total(row["expected"] for row in rows)
    poc_cost = costs.total
    net = None if risk_total is None or poc_cost is None else (risk_total - poc_cost)
    multiple = None
    if risk_total is not None and poc_cost:
        multiple = (risk_total / poc_cost).quantize(CENT)
    return RoiSheet(currency=costs.currency, risks=rows, risk_total=risk_total,
                    poc_cost=poc_cost, net=net, multiple=multiple, basis=costs.basis,
                    missing_rates=sorted(set(costs.missing_rates) | converter.missing))


def role_rates(*, team) -> list[RoleRate]:
    """The team's internal rates by role (one query), offered when a labour line is added."""
    return list(RoleRate.objects.filter(team=team).order_by("role"))
