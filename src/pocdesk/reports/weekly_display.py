"""The weekly report in words: labels, dates and numbers in the active language.

`weekly_display` turns the data of `weekly.weekly_report` into what a reader sees; the page,
the PDF and the e-mail all show it, so they never disagree. Call it inside
`translation.override(language)` for a document in the POC's language.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from pocdesk.criteria.measure import FAILING, NO_DATA, PASSING
from pocdesk.criteria.models import Aggregation
from pocdesk.execution.models import KeyEvent, Severity
from pocdesk.pocs.models import Status
from pocdesk.scope.models import ChangeDecision
from pocdesk.timebox.health import Health

from .formatting import date_text, measured_text

STATUS_LABELS = {
    PASSING: pgettext_lazy("criterion status", "Passing"),
    FAILING: pgettext_lazy("criterion status", "Failing"),
    NO_DATA: pgettext_lazy("criterion status", "No data"),
}
OUTLOOK_LABELS = {
    "green": pgettext_lazy("technical outlook", "Green"),
    "amber": pgettext_lazy("technical outlook", "Amber"),
    "red": pgettext_lazy("technical outlook", "Red"),
    "none": pgettext_lazy("technical outlook", "None"),
}
OUTLOOK_EXPLANATIONS = {
    "green": gettext_lazy("Every criterion with readings passes and every must-have has data."),
    "amber": gettext_lazy("A criterion is failing, or a must-have has no reading yet."),
    "red": gettext_lazy("A must-have criterion is failing."),
    "none": gettext_lazy("No criterion to measure yet."),
}
# Bootstrap colour names; the PDF maps them to its own palette.
STATUS_COLOURS = {PASSING: "success", FAILING: "danger", NO_DATA: "secondary"}
OUTLOOK_COLOURS = {"green": "success", "amber": "warning", "red": "danger", "none": "secondary"}
HEALTH_COLOURS = {Health.ON_TRACK: "success", Health.AT_RISK: "warning",
                  Health.STALLED: "danger"}
SEVERITY_COLOURS = {Severity.LOW: "secondary", Severity.MEDIUM: "warning",
                    Severity.HIGH: "danger"}


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def week_text(start: datetime.date, end: datetime.date) -> str:
    # Translators: a calendar week, e.g. "5 January 2026 to 11 January 2026".
    return _("%(start)s to %(end)s") % {"start": date_text(start), "end": date_text(end)}


def week_title(start: datetime.date) -> str:
    # Translators: the ISO week number and its year, e.g. "Week 2 of 2026".
    year, number, _day = start.isocalendar()
    return _("Week %(number)d of %(year)d") % {"number": number, "year": year}


def moment_text(value: datetime.datetime | None) -> str:
    """A moment in the current time zone, to the minute."""
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def result_text(row: dict[str, Any]) -> str:
    """The aggregated result as the criterion states it: a number, a share, or pass/fail."""
    return measured_text(row["result"], aggregation=row["aggregation"], unit=row["unit"])


def _readings_text(week: int, total: int) -> str:
    return ngettext("%(week)d this week, %(total)d in total",
                    "%(week)d this week, %(total)d in total", week) % {"week": week,
                                                                       "total": total}


def _criterion(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "result_text": result_text(row),
        "status_text": str(STATUS_LABELS.get(row["status"], row["status"])),
        "colour": STATUS_COLOURS.get(row["status"], "secondary"),
        "previous_text": str(STATUS_LABELS.get(row["previous_status"],
                                               row["previous_status"])),
        # Translators: how a criterion's status moved during the week, e.g. "was Failing".
        "change_text": (_("was %(status)s") % {"status": STATUS_LABELS.get(
            row["previous_status"], row["previous_status"])}) if row["changed"] else "",
        "readings_text": _readings_text(row["readings_week"], row["readings_total"]),
        "share": _passing_share(row),
    }


def _passing_share(row: dict[str, Any]) -> int | None:
    """The width of the small bar of a share-of-readings criterion, 0–100."""
    if row["aggregation"] != Aggregation.SHARE_PASSING or row["result"] is None:
        return None
    return max(0, min(100, int(Decimal(row["result"]))))


def _milestone(row: dict[str, Any]) -> dict[str, Any]:
    late = row["days_overdue"]
    return {**row, "due_text": date_text(row["due_date"]),
            "completed_text": date_text(row["completed_on"]),
            "overdue_text": ngettext("%(days)d day late", "%(days)d days late", late)
            % {"days": late} if late else ""}


def _decision(row: dict[str, Any]) -> dict[str, Any]:
    if row["source"] == "meeting":
        origin = row["origin"]
    else:
        origin = _("Scope change “%(request)s”: %(decision)s") % {
            "request": row["origin"],
            "decision": _label(ChangeDecision, row["decision"]).lower()}
    return {**row, "date_text": date_text(row["date"]), "origin_text": origin}


def _key_event(row: dict[str, Any]) -> dict[str, Any]:
    witness = ""
    if row["witnessed_by"]:
        witness = _("witnessed by %(name)s") % {"name": row["witnessed_by"]}
    return {**row, "kind_text": _label(KeyEvent, row["key_event"]) if row["key_event"] else "",
            "when_text": moment_text(row["occurred_at"]), "witness_text": witness}


def _log_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "when_text": date_text(timezone.localdate(row["occurred_at"])),
            "severity_text": _label(Severity, row["severity"]) if row["severity"] else "",
            "severity_colour": SEVERITY_COLOURS.get(row["severity"], "secondary")}


def _action(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "due_text": date_text(row["due_on"]), "done_text": date_text(row["done_on"])}


def _commitment(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "due_text": moment_text(row["due_at"])}


def weekly_display(report: dict[str, Any]) -> dict[str, Any]:
    """The report with every value written out in the active language."""
    week, timebox, progress = report["week"], report["timebox"], report["progress"]
    elapsed, planned = timebox["elapsed_days"], timebox["planned_days"]
    if planned is None:
        timebox_text = _("No dates agreed yet")
    elif elapsed is not None and elapsed > planned and timebox["end"]:
        timebox_text = ngettext("The %(planned)d-day timebox ended on %(end)s",
                                "The %(planned)d-day timebox ended on %(end)s", planned) % {
            "planned": planned, "end": date_text(timebox["end"])}
    else:
        timebox_text = ngettext("%(elapsed)d of %(planned)d day elapsed",
                                "%(elapsed)d of %(planned)d days elapsed", planned) % {
            "elapsed": elapsed, "planned": planned}
    milestones, actions = report["milestones"], report["action_items"]
    return {
        "report": report,
        "title": _("Weekly status report"),
        "week_title": week_title(week["start"]),
        "week_text": week_text(week["start"], week["end"]),
        "status_text": _label(Status, report["poc"]["status"]),
        "timebox_text": timebox_text,
        "timebox_dates": (_("%(start)s to %(end)s") % {"start": date_text(timebox["start"]),
                                                        "end": date_text(timebox["end"])}
                          if timebox["start"] and timebox["end"] else ""),
        "elapsed_share": (max(0, min(100, round(100 * elapsed / planned)))
                          if planned else None),
        "health": timebox["health"],
        "health_text": _label(Health, timebox["health"]),
        "health_colour": HEALTH_COLOURS.get(timebox["health"], "secondary"),
        "drift_text": ngettext("%(days)d day added by extensions",
                               "%(days)d days added by extensions", timebox["drift_days"])
        % {"days": timebox["drift_days"]} if timebox["drift_days"] else "",
        "outlook": report["outlook"],
        "outlook_text": str(OUTLOOK_LABELS.get(report["outlook"], report["outlook"])),
        "outlook_explanation": str(OUTLOOK_EXPLANATIONS.get(report["outlook"], "")),
        "outlook_colour": OUTLOOK_COLOURS.get(report["outlook"], "secondary"),
        "milestones_text": _("%(done)d of %(total)d done") % {
            "done": progress["milestones_done"], "total": progress["milestones_total"]},
        "criteria_text": _("%(passing)d of %(total)d passing") % {
            "passing": progress["criteria_passing"], "total": progress["criteria_total"]},
        "readings_text": ngettext("%(count)d reading recorded this week",
                                  "%(count)d readings recorded this week",
                                  progress["readings_week"]) % {
            "count": progress["readings_week"]},
        "milestone_share": _share(progress["milestones_done"], progress["milestones_total"]),
        "criteria_share": _share(progress["criteria_passing"], progress["criteria_total"]),
        "criteria": [_criterion(row) for row in report["criteria"]],
        "milestones_done": [_milestone(row) for row in milestones["done"]],
        "milestones_next": [_milestone(row) for row in milestones["next"]],
        "milestones_overdue": [_milestone(row) for row in milestones["overdue"]],
        "decisions": [_decision(row) for row in report["decisions"]],
        "key_events": [_key_event(row) for row in report["key_events"]],
        "issues_opened": [_log_row(row) for row in report["issues"]["opened"]],
        "issues_resolved": [_log_row(row) for row in report["issues"]["resolved"]],
        "risks": [_log_row(row) for row in report["risks"]],
        "actions_open": [_action(row) for row in actions["open"]],
        "actions_done": [_action(row) for row in actions["done"]],
        "warnings": report["warnings"],
        "commitments_overdue": [_commitment(row) for row in report["commitments_overdue"]],
        "next_milestones": [_milestone(row) for row in report["next_steps"]["milestones"]],
        "next_actions": [_action(row) for row in report["next_steps"]["action_items"]],
        "generated": date_text(timezone.localdate()),
    }


def _share(part: int, total: int) -> int:
    return round(100 * part / total) if total else 0


def weekly_labels() -> dict[str, str]:
    """Every fixed word of the weekly report, in the active language."""
    return {
        "colon": _(":"),
        "customer": _("Customer"),
        "opportunity": _("Opportunity"),
        "reference": _("Reference"),
        "week": pgettext("calendar", "Week"),
        "status": _("Status"),
        "generated": _("Generated"),
        "timebox": _("Timebox"),
        "timebox_health": _("Timebox health"),
        "outlook": _("Technical outlook"),
        "progress": _("Progress"),
        "milestones": _("Milestones"),
        "criteria": _("Success criteria"),
        "criterion": _("Criterion"),
        "target": _("Target"),
        "result": _("Result"),
        "readings": _("Readings"),
        "must_have": _("Must-have"),
        "no_criteria": _("No success criterion has been written yet."),
        "milestones_done": _("Milestones completed this week"),
        "milestones_next": _("Milestones due next"),
        "milestones_overdue": _("Overdue milestones"),
        "no_milestones_done": _("No milestone was completed this week."),
        "due": _("Due"),
        "completed": _("Completed"),
        "owner": _("Owner"),
        "decisions": _("Decisions"),
        "no_decisions": _("No decision was recorded this week."),
        "key_events": _("Key events"),
        "no_key_events": _("No key event this week."),
        "issues_opened": _("Issues opened"),
        "issues_resolved": _("Issues and risks resolved"),
        "risks": _("Open technical risks"),
        "risk": _("Risk"),
        "action": pgettext("action item", "Action"),
        "no_risks": _("No open technical risk."),
        "severity": _("Severity"),
        "mitigation": _("Mitigation"),
        "no_mitigation": _("No mitigation written yet."),
        "action_items": _("Action items"),
        "actions_open": _("Open"),
        "actions_done": _("Done this week"),
        "no_actions_open": _("No open action item."),
        "overdue": _("Overdue"),
        "warnings": _("Warnings"),
        "commitments_overdue": _("Overdue commitments"),
        "made_to": _("Made to"),
        "next_steps": _("Next steps"),
        "no_next_steps": _("Nothing is scheduled for next week."),
        "events_and_issues": _("Key events and issues"),
        "attention": _("Needs attention"),
    }
