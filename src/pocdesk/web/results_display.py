"""What the results page and the POC page's results card show: the derived technical result
in words, the checklist of what is still missing before closing (each item linking to the
section that fixes it), the cost ratio and the retrospective's state."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pocdesk.agreements.models import Payer
from pocdesk.pocs.lifecycle import is_open
from pocdesk.pocs.models import Status
from pocdesk.results.models import CommercialResult, TechnicalResult
from pocdesk.results.rules import costs_editable, results_editable
from pocdesk.results.selectors import closing_state, cost_summary

from .templatetags.pocdesk_web import format_amount

# The final report is offered once the results are being drawn up, and kept after closing.
FINAL_REPORT_STATUSES = (Status.EVALUATING, Status.CLOSED)

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
    return reverse("web:poc_final_report", args=[poc.pk])


def status_flags(poc) -> dict[str, bool]:
    """What the results page and card show for the POC's status, from the rules the services
    apply (`results.rules`, the lifecycle), so that a page never offers what is refused."""
    return {
        "results_editable": results_editable(poc),
        "costs_editable": costs_editable(poc),
        # Not running yet: results wait, costs (and the ROI sheet) may be entered.
        "before_running": is_open(poc) and not results_editable(poc),
        "is_evaluating": poc.status == Status.EVALUATING,
        "is_closed": poc.status == Status.CLOSED,
        "final_report_due": poc.status in FINAL_REPORT_STATUSES,
    }


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
        "meets_threshold": derivation.meets_threshold,
        "must_have_failing": list(derivation.must_have_failing),
        "must_have_no_data": list(derivation.must_have_no_data),
    }


def role_rate_hints(rates) -> dict[str, str]:
    """Each role's rate as the hint shown in an empty rate field ("85.00 EUR"), in the
    reader's number format."""
    return {rate.role: f"{format_amount(rate.hourly_rate)} {rate.currency}" for rate in rates}


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
    """Context of `web/results/card.html` on the POC page: while results may be recorded, and
    once they are the record (None otherwise: no card)."""
    flags = status_flags(poc)
    if not (flags["results_editable"] or flags["is_closed"]):
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
        **flags,
    }
