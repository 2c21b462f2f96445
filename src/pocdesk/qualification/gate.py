"""The qualification gate (§4): checks, red flags, an explained score and a verdict.

Checks are registered with `@gate_check(code, weight=...)`, so a later capability adds its own
(the success-criteria check belongs to the plan). The score only depends on which registered,
applicable checks pass and on the red-flag penalties, which keeps it monotone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

PASSED = "passed"
FAILED = "failed"
NOT_APPLICABLE = "not_applicable"

GO = "go"
GO_WITH_CONDITIONS = "go_with_conditions"
WALK_AWAY = "walk_away"


@dataclass
class CheckResult:
    code: str
    status: str
    mandatory: bool
    message: str
    fix: str = ""
    weight: int = 0
    points: int = 0

    @property
    def passed(self) -> bool:
        return self.status == PASSED


@dataclass
class RedFlag:
    code: str
    message: str
    penalty: int = 0


@dataclass
class GateResult:
    score: int
    verdict: str
    checks: list[CheckResult]
    red_flags: list[RedFlag]
    reasons: list[str]
    score_items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def unmet_mandatory(self) -> list[CheckResult]:
        return [check for check in self.checks if check.mandatory and check.status == FAILED]

    @property
    def missing(self) -> list[CheckResult]:
        """What to fix, blocking items first."""
        failed = [check for check in self.checks if check.status == FAILED]
        return sorted(failed, key=lambda check: (not check.mandatory, -check.weight))


@dataclass(frozen=True)
class CheckDefinition:
    code: str
    weight: int
    evaluate: Callable[[Any], tuple[str, str, str]]


_CHECKS: dict[str, CheckDefinition] = {}
_RED_FLAGS: dict[str, Callable[[Any], RedFlag | None]] = {}


def gate_check(code: str, *, weight: int):
    """Register `evaluate(context) -> (status, message, fix)` as the check `code`."""

    def register(evaluate):
        _CHECKS[code] = CheckDefinition(code=code, weight=weight, evaluate=evaluate)
        return evaluate

    return register


def red_flag(code: str):
    """Register `detect(context) -> RedFlag | None`."""

    def register(detect):
        _RED_FLAGS[code] = detect
        return detect

    return register


def registered_checks() -> list[str]:
    return list(_CHECKS)


def apportion(weights: dict[str, int], total: int = 100) -> dict[str, int]:
    """Split `total` points over the codes in proportion to their weights, in whole points that
    add up exactly (largest remainder)."""
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        return dict.fromkeys(weights, 0)
    exact = {code: weight * total / weight_sum for code, weight in weights.items()}
    points = {code: int(value) for code, value in exact.items()}
    leftover = total - sum(points.values())
    by_remainder = sorted(weights, key=lambda code: (-(exact[code] - points[code]), code))
    for code in by_remainder[:leftover]:
        points[code] += 1
    return points


def score_checks(checks: list[CheckResult], red_flags: list[RedFlag]) -> tuple[int, list[dict]]:
    """Give every applicable check its points and subtract the red-flag penalties (0–100)."""
    applicable = {check.code: check.weight for check in checks if check.status != NOT_APPLICABLE}
    points = apportion(applicable)
    items: list[dict[str, Any]] = []
    raw = 0
    for check in checks:
        check.points = points.get(check.code, 0) if check.status == PASSED else 0
        if check.status != NOT_APPLICABLE:
            raw += check.points
            items.append({"code": check.code, "points": check.points,
                          "of": points.get(check.code, 0), "message": check.message})
    for flag in red_flags:
        if flag.penalty:
            raw -= flag.penalty
            items.append({"code": flag.code, "points": -flag.penalty, "of": 0,
                          "message": flag.message})
    return max(0, min(100, raw)), items


def decide(*, score: int, unmet: list[CheckResult], red_flags: list[RedFlag], policy) -> tuple[str, list[str]]:
    """The verdict table: walk away on a low score or many red flags; go when nothing blocks
    and nothing worries; go with conditions otherwise."""
    reasons: list[str] = []
    if score < policy.walk_away_below:
        reasons.append(_("The qualification score %(score)d is below the team's limit of %(limit)d.")
                       % {"score": score, "limit": policy.walk_away_below})
    if len(red_flags) >= policy.walk_away_red_flags:
        reasons.append(_("%(count)d red flags (the team walks away from %(limit)d).")
                       % {"count": len(red_flags), "limit": policy.walk_away_red_flags})
    if reasons:
        reasons.extend(flag.message for flag in red_flags)
        return WALK_AWAY, reasons
    if not unmet and not red_flags:
        return GO, [_("Every mandatory check passes and there is no red flag.")]
    reasons.extend(check.message for check in unmet)
    reasons.extend(flag.message for flag in red_flags)
    return GO_WITH_CONDITIONS, reasons


def evaluate(context) -> GateResult:
    """Run every registered check and red-flag detector on a loaded context."""
    policy = context.policy
    mandatory = set(policy.mandatory_checks or [])
    ignored = set(policy.ignored_checks or [])
    checks: list[CheckResult] = []
    for definition in _CHECKS.values():
        if definition.code in ignored:
            checks.append(CheckResult(
                code=definition.code, status=NOT_APPLICABLE, mandatory=False,
                message=_("Not used by this team's policy."), weight=definition.weight))
            continue
        status, message, fix = definition.evaluate(context)
        checks.append(CheckResult(
            code=definition.code, status=status, message=str(message), fix=fix,
            mandatory=definition.code in mandatory and status != NOT_APPLICABLE,
            weight=definition.weight))
    red_flags = [flag for detect in _RED_FLAGS.values() if (flag := detect(context))]
    score, items = score_checks(checks, red_flags)
    unmet = [check for check in checks if check.mandatory and check.status == FAILED]
    verdict, reasons = decide(score=score, unmet=unmet, red_flags=red_flags, policy=policy)
    return GateResult(score=score, verdict=verdict, checks=checks, red_flags=red_flags,
                      reasons=reasons, score_items=items)
