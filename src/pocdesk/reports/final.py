"""The final report of a POC (§9.1): every target against what was measured, and what comes next.

`final_report(poc=...)` gathers the whole content the web page, the PDF, the DOCX and the
standalone HTML show: the cover, the executive summary (technical and commercial result, how
many criteria — and must-haves — are met), objective and scope, the planned and the actual
timeline, the criteria table with the evidence behind each result, one chart per criterion,
how the technical result was derived, strengths, limitations, improvements, the next step,
cost and ROI, the customer's confirmation and the signatures.

Values come raw (dates, Decimals, booleans) and, where a document needs words, as text in the
active language (`*_text`): call it inside `translation.override(poc.language)` for a document.
The number of queries does not grow with the readings, the evidence or the criteria, except for
the charts' data: at most two queries per criterion (`execution.chart.criterion_chart`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pocdesk.agreements.models import Agreement, FollowOnKind
from pocdesk.core.models import Event
from pocdesk.criteria.measure import FAILING, PASSING
from pocdesk.criteria.models import Comparator, Criterion
from pocdesk.execution.chart import criterion_chart, target_band
from pocdesk.execution.models import Evidence
from pocdesk.people.selectors import user_label
from pocdesk.pocs.models import Status
from pocdesk.results.derive import derive_with_statuses
from pocdesk.results.models import CommercialResult, TechnicalResult
from pocdesk.timebox.models import MilestoneStatus

from .formatting import (
    date_text,
    measured_text,
    money_text,
    number_text,
    pass_fail_text,
    percent_text,
    target_text,
)
from .plan_context import document_labels, signature_parties

CHART_POINTS = 200


def status_word(status: str) -> str:
    """The result of a criterion in one word: Pass, Fail or No data."""
    if status in (PASSING, FAILING):
        return pass_fail_text(status == PASSING)
    return pgettext("criterion status", "No data")


def _days(start: datetime.date | None, end: datetime.date | None) -> int | None:
    if start is None or end is None:
        return None
    return (end - start).days + 1


def _transitions(poc) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """When the POC first started running and when it last went to evaluation (1 query)."""
    started = ended = None
    events = (Event.objects.filter(poc=poc, verb="poc.transitioned")
              .filter(Q(data__to=Status.RUNNING) | Q(data__to=Status.EVALUATING))
              .order_by("created_at", "id").values_list("created_at", "data"))
    for moment, data in events:
        target = (data or {}).get("to")
        if target == Status.RUNNING and started is None and (data or {}).get("from") != \
                Status.PAUSED:
            started = moment
        elif target == Status.EVALUATING:
            ended = moment
    return started, ended


def _timeline(poc, agreement) -> dict[str, Any]:
    from pocdesk.timebox.selectors import milestones_for_poc

    planned_start = (agreement.start_date if agreement and agreement.start_date
                     else poc.start_date)
    planned_end = agreement.end_date if agreement and agreement.end_date else poc.end_date
    started, ended = _transitions(poc)
    actual_start = timezone.localdate(started) if started else None
    actual_end = timezone.localdate(ended) if ended else None
    planned_days, actual_days = _days(planned_start, planned_end), _days(actual_start, actual_end)
    drift = (actual_end - planned_end).days if actual_end and planned_end else None
    milestones = []
    for milestone in milestones_for_poc(poc=poc):
        done = milestone.completed_on if milestone.status == MilestoneStatus.DONE else None
        slip = (done - milestone.planned_date).days if done else None
        milestones.append({
            "label": milestone.label,
            "planned": milestone.planned_date, "planned_text": date_text(milestone.planned_date),
            "done": done, "done_text": date_text(done) if done else "",
            "status": milestone.status, "status_label": str(milestone.get_status_display()),
            "slip_days": slip,
            "slip_text": _slip_text(slip) if slip is not None else "",
        })
    return {
        "planned_start": planned_start, "planned_start_text": date_text(planned_start),
        "planned_end": planned_end, "planned_end_text": date_text(planned_end),
        "planned_days": planned_days, "planned_days_text": _days_text(planned_days),
        "actual_start": actual_start, "actual_start_text": date_text(actual_start),
        "actual_end": actual_end, "actual_end_text": date_text(actual_end),
        "actual_days": actual_days, "actual_days_text": _days_text(actual_days),
        "drift_days": drift, "drift_text": _slip_text(drift) if drift is not None else "",
        "milestones": milestones,
    }


def _days_text(days: int | None) -> str:
    """A duration in days, start and end day included; empty when a date is missing."""
    if not days:
        return ""
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


def _slip_text(days: int) -> str:
    if days == 0:
        return _("on time")
    if days > 0:
        return ngettext("%(days)d day late", "%(days)d days late", days) % {"days": days}
    return ngettext("%(days)d day early", "%(days)d days early", -days) % {"days": -days}


def _evidence(poc, criteria: list[Criterion]) -> dict[int, list[dict[str, Any]]]:
    """The evidence files behind each criterion: linked to one of its readings, or filed
    under it (1 query, however many readings there are)."""
    ids = {criterion.pk for criterion in criteria}
    found: dict[int, dict[int, dict[str, Any]]] = {pk: {} for pk in ids}
    rows = (Evidence.objects.filter(poc=poc)
            .filter(Q(criterion__in=ids) | Q(measurements__criterion__in=ids))
            .values_list("pk", "caption", "file__original_name", "criterion_id",
                         "measurements__criterion_id")
            .order_by("created_at", "pk").distinct())
    for pk, caption, name, filed_under, read_for in rows:
        for criterion_id in (filed_under, read_for):
            if criterion_id in found and pk not in found[criterion_id]:
                found[criterion_id][pk] = {"id": pk, "name": name, "caption": caption}
    return {criterion_id: list(files.values()) for criterion_id, files in found.items()}


def _criteria(poc, criteria: list[Criterion], statuses, *, charts: bool
              ) -> list[dict[str, Any]]:
    evidence = _evidence(poc, criteria)
    rows = []
    for number, criterion in enumerate(criteria, start=1):
        status = statuses[criterion.pk]
        files = evidence.get(criterion.pk, [])
        rows.append({
            "id": criterion.pk, "number": number, "title": criterion.title,
            "question": criterion.question, "must_have": criterion.must_have,
            "importance": criterion.importance, "unit": criterion.unit,
            "pass_fail": criterion.comparator == Comparator.PASS_FAIL,
            "aggregation": criterion.aggregation,
            "aggregation_label": str(criterion.get_aggregation_display()),
            "target": target_text(criterion), "result": status.result,
            "measured": measured_text(status.result, aggregation=criterion.aggregation,
                                      unit=criterion.unit),
            "status": status.status, "status_text": status_word(status.status),
            "count": status.count, "count_text": number_text(status.count),
            "first_at": status.first_at, "last_at": status.last_at,
            "period_text": _period_text(status.first_at, status.last_at),
            "evidence": files, "evidence_count": len(files),
            "target_band": target_band(criterion),
            "chart": criterion_chart(criterion=criterion, points=CHART_POINTS) if charts else None,
        })
    return rows


def _period_text(first, last) -> str:
    if first is None:
        return ""
    first_day, last_day = timezone.localdate(first), timezone.localdate(last)
    if first_day == last_day:
        return date_text(first_day)
    return f"{date_text(first_day)} – {date_text(last_day)}"


def _summary(criteria: list[Criterion], derivation) -> dict[str, Any]:
    """How many criteria — and must-haves — are met, from the derivation's counts."""
    total = len(criteria)
    must_total = sum(criterion.must_have for criterion in criteria)
    failing = [criterion.title for criterion in derivation.must_have_failing]
    no_data = [criterion.title for criterion in derivation.must_have_no_data]
    met, must_met = derivation.passing, must_total - len(failing) - len(no_data)
    return {
        "criteria_total": total, "criteria_met": met,
        "must_have_total": must_total, "must_have_met": must_met,
        "must_have_failing": failing, "must_have_no_data": no_data,
        # Translators: "7 of 9 criteria met".
        "criteria_text": _("%(met)s of %(total)s criteria met") % {"met": met, "total": total},
        "must_have_text": (_("%(met)s of %(total)s must-haves met")
                           % {"met": must_met, "total": must_total}) if must_total else "",
    }


def _derivation(derivation, summary: dict[str, Any]) -> dict[str, Any]:
    share = derivation.weighted_share
    return {
        "result": derivation.result,
        "result_text": (str(TechnicalResult(derivation.result).label)
                        if derivation.result else _("Not derived: the POC has no criteria.")),
        "weighted_share": share,
        "weighted_share_text": percent_text(share) if share is not None else "—",
        "threshold": derivation.threshold,
        "threshold_text": percent_text(derivation.threshold),
        "passing": derivation.passing, "failing": derivation.failing,
        "no_data": derivation.no_data,
        "must_have_failing": summary["must_have_failing"],
        "must_have_no_data": summary["must_have_no_data"],
    }


def _results(poc, result, derivation) -> dict[str, Any]:
    """The technical and commercial results as stated, or the derived one while not stated."""
    not_stated = _("not yet stated")
    technical = (result.technical_result if result else "") or ""
    commercial = (result.commercial_result if result else "") or ""
    order_value = result.order_value if result else None
    return {
        "stated": bool(technical and commercial),
        "closed": poc.status == Status.CLOSED,
        "technical": technical,
        "technical_text": str(TechnicalResult(technical).label) if technical else not_stated,
        "derived": derivation.result,
        "derived_text": (str(TechnicalResult(derivation.result).label)
                         if derivation.result else "—"),
        "overridden": bool(technical and derivation.result and technical != derivation.result),
        "override_reason": result.technical_override_reason if result else "",
        "commercial": commercial,
        "commercial_text": (str(CommercialResult(commercial).label) if commercial
                            else not_stated),
        "reason_text": result.reason.label() if result and result.reason_id else "",
        "reason_detail": result.reason_detail if result else "",
        "order_value": order_value,
        "order_text": (money_text(order_value, result.order_currency)
                       if order_value is not None else ""),
    }


def _narrative(poc, result, agreement) -> dict[str, Any]:
    follow_on_kind = agreement.follow_on_kind if agreement else ""
    conditional_po = None
    if poc.conditional_po_reference or poc.conditional_po_value or poc.conditional_po_criteria:
        conditional_po = {
            "reference": poc.conditional_po_reference,
            "value_text": (money_text(poc.conditional_po_value, poc.opportunity.currency)
                           if poc.conditional_po_value is not None else ""),
            "criteria": poc.conditional_po_criteria,
        }
    return {
        "strengths": result.strengths if result else "",
        "limitations": result.limitations if result else "",
        "improvements": result.improvements if result else "",
        "next_step": result.next_step if result else "",
        "follow_on_kind": follow_on_kind,
        "follow_on_kind_text": (str(FollowOnKind(follow_on_kind).label)
                                if follow_on_kind and follow_on_kind != FollowOnKind.NONE
                                else ""),
        "follow_on": agreement.follow_on if agreement else "",
        "conditional_po": conditional_po,
    }


def _money(amount, currency: str) -> str:
    return money_text(amount, currency) if amount is not None else "—"


def _costs(poc) -> dict[str, Any]:
    from pocdesk.results.selectors import cost_summary, roi_sheet

    costs = cost_summary(poc=poc)
    roi = roi_sheet(poc=poc, costs=costs)
    currency = costs.currency
    lines = costs.actual_lines if costs.basis == "actual" else costs.planned_lines
    return {
        "basis_text": (_("actual costs") if costs.basis == "actual"
                       else _("planned costs (no actual cost recorded yet)")),
        "planned_total_text": _money(costs.planned_total, currency),
        "actual_total_text": _money(costs.actual_total, currency),
        "vendor_total_text": _money(costs.vendor_total, currency),
        "deal_amount_text": _money(costs.deal_amount, currency),
        "ratio_text": percent_text(costs.ratio) if costs.ratio is not None else "—",
        "above_threshold": costs.above_threshold,
        "above_text": (_("above the team threshold of %(threshold)s") % {
            "threshold": percent_text(costs.threshold)}) if costs.above_threshold else "",
        "missing_rates_text": (_("No exchange rate for: %(currencies)s.") % {
            "currencies": ", ".join(costs.missing_rates)}) if costs.missing_rates else "",
        "lines": [{"category": line["category_label"], "description": line["description"],
                   "paid_by": line["paid_by_label"],
                   "amount_text": _money(line["amount"], line["currency"])}
                  for line in lines],
        "risks": [{"description": risk["description"],
                   "probability_text": percent_text(risk["probability"]),
                   "impact_text": _money(risk["impact"], risk["currency"]),
                   "expected_text": _money(risk["expected"], currency)}
                  for risk in roi.risks],
        "risk_total_text": _money(roi.risk_total, currency),
        "poc_cost_text": _money(roi.poc_cost, currency),
        "net_text": _money(roi.net, currency),
        "multiple_text": (_("%(multiple)s×") % {"multiple": number_text(
            Decimal(roi.multiple).quantize(Decimal("0.1")))}
            if roi.multiple is not None else "—"),
    }


def _confirmation(result) -> dict[str, Any]:
    person = result.customer_confirmed_by if result else None
    return {
        "confirmed": bool(result and result.customer_confirmed_on),
        "by": person.name if person else "", "by_title": person.title if person else "",
        "on_text": date_text(result.customer_confirmed_on) if result else "",
        "note": result.customer_confirmation_note if result else "",
    }


def final_labels() -> dict[str, str]:
    """The words of the report, in the active language (documents and page): the plan
    documents' words (`plan_context.document_labels`, whose signature lines say who signs),
    and the words only the final report uses."""
    return {
        **document_labels(),
        "document_title": _("POC Final Report"), "vendor_team": _("Vendor team"),
        "executive_summary": _("Executive summary"),
        "technical_result": _("Technical result"), "commercial_result": _("Commercial result"),
        "criteria_met": _("Criteria met"), "must_haves": _("Must-haves"),
        "derived": _("derived from the criteria"), "override_reason": _("Reason for the override"),
        "reason": _("Reason"), "order_value": _("Order value"),
        "objective_scope": _("Objective and scope"),
        "scope_included": _("In scope"), "scope_excluded": _("Out of scope"),
        "timeline": _("Timeline: planned and actual"), "planned": _("Planned"),
        "actual": _("Actual"), "drift": _("Drift"),
        "milestones": _("Milestones"), "milestone": _("Milestone"), "done": _("Done"),
        "no_milestones": _("No milestone was planned."),
        "criteria": _("Success criteria: target and measured"),
        "criteria_count": _("Criteria"),
        "measured": _("Measured"), "result": _("Result"),
        "readings": _("Readings"), "evidence": _("Evidence"),
        "no_criteria": _("The POC has no success criteria."),
        "files": _("files"), "no_evidence": _("none"),
        "charts": _("Charts: target against measured"),
        # Translators: a chart's caption, e.g. "Figure 3".
        "figure": _("Figure %(number)s"),
        "derivation": _("How the technical result is derived"),
        "derivation_rule": _("Success needs every must-have to pass and the passing criteria "
                             "to weigh at least the threshold (weight = importance 1–5)."),
        "weighted_share": _("Weighted share passing"), "threshold": _("Threshold"),
        "passing": _("passing"), "failing": _("failing"), "no_data": _("no data"),
        "must_have_failing": _("Must-haves failing"),
        "must_have_no_data": _("Must-haves without data"),
        "assessment": _("Assessment"), "strengths": _("Strengths"),
        "limitations": _("Limitations"), "improvements": _("Improvement suggestions"),
        "next_step": _("Next step"), "follow_on": _("Follow-on order clause"),
        "conditional_po": _("Conditional purchase order"), "po_reference": _("PO reference"),
        "po_value": _("PO value"), "po_criteria": _("Criteria that trigger it"),
        "costs": _("Cost and return on investment"), "cost_basis": _("Basis"),
        "planned_cost": _("Planned cost"), "actual_cost": _("Actual cost"),
        "vendor_share": _("Paid by the vendor"), "deal_amount": _("Deal amount"),
        "cost_ratio": _("Cost as a share of the deal"),
        "no_costs": _("No cost recorded."),
        "roi": _("Risks the POC removes"), "risk": _("Risk"), "probability": _("Probability"),
        "impact": _("Cost if it happens"), "expected": _("Expected cost"),
        "risk_total": _("Expected cost of the risks removed"), "poc_cost": _("Cost of the POC"),
        "net": _("Net value"), "multiple": _("Return"),
        "no_risks": _("No risk cost recorded."),
        "confirmation": _("Customer confirmation"),
        "confirmed_by": _("Results confirmed by"), "confirmed_on": _("on"),
        "not_confirmed": _("The customer has not confirmed the results yet."),
        "signatures": _("Signatures"), "not_stated": _("not yet stated"),
        "not_closed": _("This POC is not closed yet: the results below are provisional."),
        # Chart words
        "value": pgettext("chart", "Value"), "mean": pgettext("chart", "Mean"),
        "range": pgettext("chart", "Lowest–highest"), "reading": pgettext("chart", "Reading"),
        "pass": pass_fail_text(True), "fail": pass_fail_text(False),
        "share": pgettext("chart", "Share passing"), "required": pgettext("chart", "Required"),
        "no_readings": _("No readings."),
    }


def chart_labels(labels: dict[str, str]) -> dict[str, str]:
    """The words `core.charts` draws, from `final_labels()`."""
    return {"value": labels["value"], "target": labels["target"], "mean": labels["mean"],
            "range": labels["range"], "reading": labels["reading"],
            "measured": labels["measured"], "pass": labels["pass"], "fail": labels["fail"],
            "share": labels["share"], "required": labels["required"],
            "no_data": labels["no_readings"]}


def final_report(*, poc, charts: bool = True) -> dict[str, Any]:
    """The whole content of the final report (see the module's docstring).

    With `charts=False` (the web page, whose charts load their own data) each criterion's
    `chart` is None and the number of queries does not depend on the number of criteria.
    """
    from pocdesk.results.selectors import result_for_poc

    statuses, derivation = derive_with_statuses(poc)
    criteria = [status.criterion for status in statuses.values()]
    result = result_for_poc(poc=poc)
    agreement = Agreement.objects.filter(poc=poc).first()
    rows = _criteria(poc, criteria, statuses, charts=charts)
    summary = _summary(criteria, derivation)
    opportunity = poc.opportunity
    people = [user_label(poc.owner)] if poc.owner_id else []
    if opportunity.owner_id and opportunity.owner_id != poc.owner_id:
        people.append(user_label(opportunity.owner))
    return {
        "poc": {
            "id": poc.pk, "reference": f"POC-{poc.pk}", "title": poc.title,
            "customer": opportunity.account.name, "opportunity": opportunity.name,
            "company": poc.team.name, "vendor_people": people,
            "language": poc.language, "status": poc.status,
            "status_text": str(Status(poc.status).label),
            "closed": poc.status == Status.CLOSED,
        },
        "generated": timezone.localdate(),
        "generated_text": date_text(timezone.localdate()),
        "results": _results(poc, result, derivation),
        "summary": summary,
        "objective": poc.objective,
        "scope": {"included": agreement.scope_included if agreement else "",
                  "excluded": agreement.scope_excluded if agreement else ""},
        "timeline": _timeline(poc, agreement),
        "criteria": rows,
        "derivation": _derivation(derivation, summary),
        "narrative": _narrative(poc, result, agreement),
        "costs": _costs(poc),
        "confirmation": _confirmation(result),
        "signatures": [{"side": str(side.label), "party": party}
                       for side, party in signature_parties(poc).items()],
    }
