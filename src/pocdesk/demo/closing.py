"""How a demo story closes a POC (SPEC §3 evaluating → closed, §9, §11.1), through the services.

The engineer records the results and the customer's confirmation, the actual costs (internal
hours at the team's rates, materials, travel, logistics; who paid), the risks the POC removed
for the ROI sheet, and the retrospective — its reusable lessons, then the technical risks carried
over from the log — submits it, and closes the POC: the close guard checks all of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pocdesk.pocs.models import POC, Status
from pocdesk.pocs.services import poc_transition
from pocdesk.results.defaults import reasons_seed
from pocdesk.results.models import LossReason, ResultsPolicy
from pocdesk.results.services import (
    cost_entry_create,
    result_save,
    retrospective_carry_risks,
    retrospective_save,
    risk_costs_save,
    role_rate_save,
)
from pocdesk.stakeholders.models import Stakeholder

from .clock import StoryClock
from .story import day


@dataclass(frozen=True)
class Cost:
    """An actual cost line: `hours` of a `role` (at the team's rate, or at `rate`) or an
    `amount`."""

    days_ago: int
    category: str
    description: str
    role: str = ""
    hours: str | None = None
    rate: str | None = None
    amount: str | None = None
    paid_by: str = "vendor"
    currency: str = ""


@dataclass(frozen=True)
class Risk:
    """A risk the POC removed: its likelihood without the POC (percent) and its cost."""

    description: str
    probability: str
    impact: str
    currency: str


@dataclass(frozen=True)
class Lesson:
    text: str
    industry: str = ""
    product: str = ""
    criterion_type: str = ""


@dataclass(frozen=True)
class Closing:
    """Everything a POC leaves behind when it closes; `result` holds `result_save`'s fields but
    its dates, which are days ago: the review meeting, the customer's confirmation (by
    `confirmed_by`, a decision-chain key) and the order."""

    result: Mapping[str, Any]
    went_well: str
    to_improve: str
    lessons: Sequence[Lesson]
    reason: str
    reviewed_ago: int
    confirmed_by: str | None = None
    confirmed_ago: int | None = None
    ordered_ago: int | None = None
    costs: Sequence[Cost] = ()
    risks: Sequence[Risk] = ()
    carry_risks: bool = True
    rates: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # role → (rate, currency)


def loss_reasons_ensure() -> None:
    """The reason taxonomy, as migration 0002 writes it: `demo --reset` flushes every table,
    the migration's rows with them, and the stories close POCs with these reasons."""
    reasons_seed(LossReason)


def results_policy_seed(*, team, success_threshold: str, cost_ratio_threshold: str) -> None:
    """A team whose closing rules differ from the defaults (admin-edited: no service)."""
    ResultsPolicy.objects.update_or_create(team=team, defaults={
        "success_threshold": Decimal(success_threshold),
        "cost_ratio_threshold": Decimal(cost_ratio_threshold)})


def rates_set(*, actor, team, rates: Mapping[str, tuple[str, str]]) -> None:
    for role, (rate, currency) in rates.items():
        role_rate_save(actor=actor, team=team, role=role, hourly_rate=Decimal(rate),
                       currency=currency)


def close_with_results(*, actor, poc: POC, clock: StoryClock, closing: Closing,
                       people: Mapping[str, Stakeholder], results_ago: int, closed_ago: int,
                       rates_actor=None) -> POC:
    """Results on `results_ago`, costs on their own days, the retrospective submitted and the
    POC closed on `closed_ago`. The results state no day after the one they are recorded on: a
    won order is recorded once it is placed, on the morning of the close if it comes then."""
    dates = {"review_meeting_on": closing.reviewed_ago,
             "customer_confirmed_on": closing.confirmed_ago, "order_date": closing.ordered_ago}
    dates = {name: ago for name, ago in dates.items() if ago is not None}
    if min(dates.values()) < results_ago or results_ago < closed_ago:
        raise ValueError(f"Results recorded {results_ago} days ago, closed {closed_ago} days ago, "
                         f"cannot state {dates}.")
    if closing.rates:  # the team's rates, before the first hours are costed
        first = max([cost.days_ago for cost in closing.costs] + [results_ago])
        with clock.on(first, hour=8):
            rates_set(actor=rates_actor or actor, team=poc.team, rates=closing.rates)
    for cost in closing.costs:
        with clock.on(cost.days_ago, hour=16):
            fields: dict[str, Any] = {"kind": "actual", "category": cost.category,
                                      "description": cost.description, "paid_by": cost.paid_by,
                                      "incurred_on": day(-cost.days_ago)}
            if cost.hours:
                fields.update(role=cost.role, hours=Decimal(cost.hours))
                if cost.rate:
                    fields["hourly_rate"] = Decimal(cost.rate)
            else:
                fields["amount"] = Decimal(cost.amount)
            if cost.currency:
                fields["currency"] = cost.currency
            cost_entry_create(actor=actor, poc=poc, **fields)
    with clock.on(results_ago, hour=15 if results_ago > closed_ago else 9):
        fields = dict(closing.result) | {name: day(-ago) for name, ago in dates.items()}
        if closing.confirmed_by:
            fields["customer_confirmed_by"] = people[closing.confirmed_by]
        result_save(actor=actor, poc=poc, **fields)
        if closing.risks:
            risk_costs_save(actor=actor, poc=poc, rows=[
                {"description": risk.description, "probability": Decimal(risk.probability),
                 "impact": Decimal(risk.impact), "currency": risk.currency}
                for risk in closing.risks])
    industry = poc.opportunity.account.industry
    with clock.on(closed_ago, hour=10):
        retrospective_save(
            actor=actor, poc=poc, went_well=closing.went_well, to_improve=closing.to_improve,
            lessons=[{"kind": "lesson", "text": lesson.text,
                      "industry": lesson.industry or industry, "product": lesson.product,
                      "criterion_type": lesson.criterion_type} for lesson in closing.lessons])
        if closing.carry_risks:
            retrospective_carry_risks(actor=actor, poc=poc)
        retrospective_save(actor=actor, poc=poc, submit=True)
    with clock.on(closed_ago, hour=11):
        poc = poc_transition(actor=actor, poc=poc, to=Status.CLOSED, reason=closing.reason)
    return poc
