"""What the results page and the POC page's results card show: the derived technical result
in words, the checklist of what is still missing before closing (each item linking to the
section that fixes it), the cost ratio and the retrospective's state."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from pocdesk.agreements.models import Payer
from pocdesk.pocs.models import Status
from pocdesk.results.models import CommercialResult, RoleRate, TechnicalResult
from pocdesk.results.selectors import closing_state, cost_summary

# The POC's states in which results are recorded, and those that show the results card.
RECORDING_STATUSES = (Status.RUNNING, Status.PAUSED, Status.EVALUATING)
CARD_STATUSES = (*RECORDING_STATUSES, Status.CLOSED)

TECHNICAL_COLOURS = {
    TechnicalResult.SUCCESS: "success",
    TechnicalResult.PARTIAL: "warning",
    TechnicalResult.FAILED: "danger",
}
COMMERCIAL_COLOURS = {
    CommercialResult.WON: "success",
    CommercialResult.LOST: "danger",
    CommercialResult.NO_DECISION: "secondary",
    CommercialResult.QUALIFIED_OUT: "secondary",
    CommercialResult.ABANDONED: "dark",
}
# Where on the results page each unmet close check is fixed.
UNMET_ANCHORS = {
    "technical_result_required": "id_result_technical_result",
    "override_reason_required": "id_result_technical_override_reason",
    "commercial_result_required": "id_result_commercial_result",
    "result_reason_required": "id_result_reason",
    "order_value_required": "id_result_order_value",
    "retrospective_required": "retrospective",
}
UNMET_SECTIONS = {
    "retrospective_required": _("Retrospective"),
}


@dataclass
class Badge:
    value: str
    label: str
    colour: str


def technical_badge(value: str) -> Badge | None:
    if not value:
        return None
    return Badge(value, str(TechnicalResult(value).label),
                 TECHNICAL_COLOURS.get(value, "secondary"))


def commercial_badge(value: str) -> Badge | None:
    if not value:
        return None
    return Badge(value, str(CommercialResult(value).label),
                 COMMERCIAL_COLOURS.get(value, "secondary"))


def results_url(poc, anchor: str = "") -> str:
    return reverse("web:poc_results", args=[poc.pk]) + (f"#{anchor}" if anchor else "")


def final_report_url(poc) -> str:
    """The final report page, once it is routed (empty until then)."""
    try:
        return reverse("web:poc_final_report", args=[poc.pk])
    except NoReverseMatch:
        return ""


def unmet_items(poc, unmet) -> list[dict]:
    """The close checks still failing, each with the link to the field that fixes it."""
    return [{"code": item["code"], "message": item["message"],
             "url": results_url(poc, UNMET_ANCHORS.get(item["code"], "results")),
             "section": UNMET_SECTIONS.get(item["code"], _("Results"))}
            for item in unmet]


def derivation_display(derivation) -> dict:
    """The derived technical result in words: N of M passing, the weighted share vs the
    threshold, the must-haves failing or without data."""
    total = derivation.passing + derivation.failing + derivation.no_data
    return {
        "badge": technical_badge(derivation.result),
        "total": total,
        "passing": derivation.passing,
        "failing": derivation.failing,
        "no_data": derivation.no_data,
        "weighted_share": derivation.weighted_share,
        "threshold": derivation.threshold,
        "meets_threshold": (derivation.weighted_share is not None
                            and derivation.weighted_share >= derivation.threshold),
        "must_have_failing": list(derivation.must_have_failing),
        "must_have_no_data": list(derivation.must_have_no_data),
    }


def role_rates(team) -> list[RoleRate]:
    """The team's internal rates (one query), offered when a labour line is added."""
    return list(RoleRate.objects.filter(team=team).order_by("role"))


def role_rate_hints(rates) -> dict[str, str]:
    """Each role's rate as the hint shown in an empty rate field ("85.00 EUR")."""
    return {rate.role: f"{rate.hourly_rate} {rate.currency}" for rate in rates}


def payer_rows(by_payer) -> list[dict]:
    """The cost by payer as labelled rows, in the payers' order."""
    if not by_payer:
        return []
    items = by_payer.items() if isinstance(by_payer, dict) else (
        (row["payer"], row["amount"]) for row in by_payer)
    amounts = dict(items)
    return [{"payer": payer, "label": label, "amount": amounts[payer]}
            for payer, label in Payer.choices if amounts.get(payer)]


def results_card(*, request, poc) -> dict | None:
    """Context of `web/results/card.html` on the POC page (None: no card for this status)."""
    if poc.status not in CARD_STATUSES:
        return None
    state = closing_state(poc=poc)
    costs = cost_summary(poc=poc)
    result = state.result
    retrospective = state.retrospective
    technical = (result.technical_result if result and result.technical_result else "")
    return {
        "technical": technical_badge(technical),
        "derived": technical_badge(state.derivation.result),
        "commercial": commercial_badge(result.commercial_result if result else ""),
        "reason": result.reason if result and result.reason_id else None,
        "order_value": result.order_value if result else None,
        "order_currency": result.order_currency if result else "",
        "costs": costs,
        "retrospective": retrospective,
        "retrospective_submitted": bool(retrospective and retrospective.submitted_at),
        "unmet": unmet_items(poc, state.unmet),
        "can_close": state.can_close,
        "final_report_url": final_report_url(poc),
        "is_closed": poc.status == Status.CLOSED,
    }
