"""The technical result a POC's criteria give (§3 evaluating → closed): the one rule.

- **success**: every must-have passes, and the criteria passing weigh at least the team's
  threshold (weighted share, weight = importance 1–5) of all criteria;
- **failed**: a must-have fails, or no criterion passes (including: no data at all);
- **partial**: anything in between (a must-have without data, or the share below threshold).

A POC without criteria has no derived result: its owner states one, with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pocdesk.criteria.measure import FAILING, NO_DATA, PASSING

from .models import ResultsPolicy, TechnicalResult

# The model's own defaults, as decimals (the policy a team has until an admin edits it).
DEFAULT_SUCCESS_THRESHOLD = Decimal(ResultsPolicy._meta.get_field("success_threshold").default)
DEFAULT_COST_RATIO_THRESHOLD = Decimal(
    ResultsPolicy._meta.get_field("cost_ratio_threshold").default)
HUNDRED = Decimal("100")


@dataclass
class Derivation:
    result: str  # a TechnicalResult value, or "" when the POC has no criteria
    threshold: Decimal  # percent
    weighted_share: Decimal | None  # percent of the total weight passing; None without criteria
    passing: int = 0
    failing: int = 0
    no_data: int = 0
    must_have_failing: list = field(default_factory=list)  # the criteria, in plan order
    must_have_no_data: list = field(default_factory=list)
    meets_threshold: bool = False  # exact: the passing weight against the threshold, unrounded


def results_policy(team) -> ResultsPolicy:
    """The team's policy, or the defaults (unsaved) until an admin edits them."""
    try:
        return team.results_policy
    except ResultsPolicy.DoesNotExist:
        return ResultsPolicy(team=team, success_threshold=DEFAULT_SUCCESS_THRESHOLD,
                             cost_ratio_threshold=DEFAULT_COST_RATIO_THRESHOLD)


def derive_from_statuses(statuses, *, threshold: Decimal) -> Derivation:
    """The rule itself, on `execution.status.CriterionStatus`-like objects (criterion, status,
    must_have); pure, so that the table of cases is tested without a database."""
    statuses = list(statuses)
    threshold = Decimal(threshold)
    if not statuses:
        return Derivation(result="", threshold=threshold, weighted_share=None)
    total = sum(Decimal(s.criterion.importance or 1) for s in statuses)
    passing_weight = sum(Decimal(s.criterion.importance or 1) for s in statuses
                         if s.status == PASSING)
    share = (passing_weight * HUNDRED / total).quantize(Decimal("0.01")) if total else Decimal(0)
    derivation = Derivation(
        result="", threshold=threshold, weighted_share=share,
        passing=sum(s.status == PASSING for s in statuses),
        failing=sum(s.status == FAILING for s in statuses),
        no_data=sum(s.status == NO_DATA for s in statuses),
        must_have_failing=[s.criterion for s in statuses if s.must_have and s.status == FAILING],
        must_have_no_data=[s.criterion for s in statuses if s.must_have and s.status == NO_DATA],
    )
    derivation.meets_threshold = passing_weight * HUNDRED >= threshold * total
    if derivation.must_have_failing or not derivation.passing:
        derivation.result = TechnicalResult.FAILED
    elif not derivation.must_have_no_data and derivation.meets_threshold:
        derivation.result = TechnicalResult.SUCCESS
    else:
        derivation.result = TechnicalResult.PARTIAL
    return derivation


def derive_with_statuses(poc) -> tuple[dict, Derivation]:
    """The POC's criterion statuses (criterion id → CriterionStatus) and the technical result
    its live criteria give, in at most four queries."""
    from pocdesk.criteria.models import Criterion
    from pocdesk.execution.status import criterion_statuses

    criteria = list(Criterion.objects.filter(poc=poc).order_by("position", "id"))
    statuses = criterion_statuses(criteria=criteria)
    derivation = derive_from_statuses([statuses[c.pk] for c in criteria],
                                      threshold=results_policy(poc.team).success_threshold)
    return statuses, derivation


def derive_technical_result(poc) -> Derivation:
    """The POC's derived technical result from its live criteria, in at most four queries."""
    return derive_with_statuses(poc)[1]
