"""What the execution pages show: the technical outlook, each criterion's live status, its
recent readings, the log and the evidence gallery; and the POC page's execution card.

Everything here works on what the selectors read once per page (the statuses of every
criterion, the last readings of each, the log and the evidence with their files), so a page
costs the same number of queries however many criteria, readings or files a POC has.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from pocdesk.criteria.measure import FAILING, NO_DATA, PASSING, reading_passes, target_text
from pocdesk.criteria.models import Aggregation, Comparator
from pocdesk.execution.models import LogKind, LogStatus, Severity
from pocdesk.execution.selectors import execution_summary
from pocdesk.reports.formatting import pass_fail_text

RECENT_READINGS = 10
CARD_CRITERIA_SHOWN = 8

OUTLOOKS = {
    "green": ("success", pgettext_lazy("technical outlook", "Green"),
              gettext_lazy("Every criterion with readings passes and every must-have has "
                           "data.")),
    "amber": ("warning", pgettext_lazy("technical outlook", "Amber"),
              gettext_lazy("A criterion is failing, or a must-have has no reading yet.")),
    "red": ("danger", pgettext_lazy("technical outlook", "Red"),
            gettext_lazy("A must-have criterion is failing: the POC's technical outlook is "
                         "red.")),
    "none": ("secondary", pgettext_lazy("technical outlook", "None"),
             gettext_lazy("No criterion to measure yet.")),
}
STATUSES = {
    PASSING: ("success", pgettext_lazy("criterion status", "Passing"), "bi-check-circle-fill"),
    FAILING: ("danger", pgettext_lazy("criterion status", "Failing"), "bi-x-circle-fill"),
    NO_DATA: ("secondary", pgettext_lazy("criterion status", "No data"), "bi-dash-circle"),
}
LOG_KINDS = {
    LogKind.OBSERVATION: ("info", "bi-eye"),
    LogKind.ISSUE: ("warning", "bi-bug"),
    LogKind.RISK: ("danger", "bi-exclamation-triangle"),
    LogKind.KEY_EVENT: ("primary", "bi-flag"),
}
SEVERITY_COLOURS = {Severity.LOW: "secondary", Severity.MEDIUM: "warning", Severity.HIGH: "danger"}
# What a browser may show inline from the gallery; everything else is downloaded.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "video/mp4",
                "application/pdf"}
FILE_KINDS = (
    ("image/", "image", "bi-file-earmark-image"),
    ("video/", "video", "bi-film"),
    ("application/pdf", "pdf", "bi-file-earmark-pdf"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml", "spreadsheet",
     "bi-file-earmark-spreadsheet"),
    ("text/", "text", "bi-file-earmark-text"),
)


@dataclass
class Outlook:
    value: str

    @property
    def colour(self) -> str:
        return OUTLOOKS.get(self.value, OUTLOOKS["none"])[0]

    @property
    def label(self) -> str:
        return str(OUTLOOKS.get(self.value, OUTLOOKS["none"])[1])

    @property
    def explanation(self) -> str:
        return str(OUTLOOKS.get(self.value, OUTLOOKS["none"])[2])


def number_text(value, unit: str = "") -> str:
    """A reading in the reader's number format, to about four significant digits."""
    value = Decimal(value)
    places = 0 if value.is_zero() else max(0, min(6, 3 - value.adjusted()))
    text = format(round(value, places), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    decimals = len(text.split(".")[1]) if "." in text else 0
    shown = number_format(Decimal(text), decimal_pos=decimals, force_grouping=True)
    return f"{shown} {unit}".strip()


def ago(moment: datetime.datetime | None, now: datetime.datetime | None = None) -> str:
    """"just now", "5 minutes ago", "3 days ago"."""
    if moment is None:
        return ""
    now = now or timezone.now()
    if now - moment < datetime.timedelta(minutes=1):
        return _("just now")
    return _("%(duration)s ago") % {"duration": timesince(moment, now, depth=1)}


def result_text(criterion, result) -> str:
    """The aggregated result as the criterion states it: a number, a share, or pass/fail."""
    if result is None:
        return "—"
    if isinstance(result, bool):
        return pass_fail_text(result)
    if criterion.aggregation == Aggregation.SHARE_PASSING:
        return _("%(share)s %% passing") % {"share": number_text(result)}
    return number_text(result, criterion.unit)


def reading_text(criterion, reading) -> str:
    if reading.passed is not None:
        return pass_fail_text(reading.passed)
    return number_text(reading.value, criterion.unit)


@dataclass
class CriterionRow:
    """One criterion's card: its live status and what the page says about it."""

    status: object
    readings: list = field(default_factory=list)

    @property
    def criterion(self):
        return self.status.criterion

    @property
    def pk(self) -> int:
        return self.criterion.pk

    @property
    def kind(self) -> str:
        return "pass_fail" if self.criterion.comparator == Comparator.PASS_FAIL else "numeric"

    @property
    def status_value(self) -> str:
        return self.status.status

    @property
    def colour(self) -> str:
        return STATUSES.get(self.status.status, STATUSES[NO_DATA])[0]

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status.status, STATUSES[NO_DATA])[1])

    @property
    def status_icon(self) -> str:
        return STATUSES.get(self.status.status, STATUSES[NO_DATA])[2]

    @property
    def target(self) -> str:
        return target_text(self.criterion, number=number_text)

    @property
    def aggregation(self) -> str:
        return self.criterion.get_aggregation_display()

    @property
    def result(self) -> str:
        return result_text(self.criterion, self.status.result)

    @property
    def latest(self) -> str:
        latest = self.status.latest
        if latest is None:
            return "—"
        if isinstance(latest, bool):
            return pass_fail_text(latest)
        return number_text(latest, self.criterion.unit)

    @property
    def chart_target(self) -> dict:
        criterion = self.criterion
        return chart_target(comparator=criterion.comparator, unit=criterion.unit,
                            value=criterion.target_value, minimum=criterion.target_min,
                            maximum=criterion.target_max, tolerance=criterion.tolerance)


def _plain_number(value) -> str | None:
    """A number as a plain string a script reads ("0.5", "1200"), None for none."""
    return None if value is None else format(Decimal(str(value)), "f")


def chart_target(*, comparator: str, unit: str, value=None, minimum=None, maximum=None,
                 tolerance=None) -> dict:
    """What a criterion's chart draws as the target band or line (the canvas's data-*
    attributes: numbers as plain strings, None when the target has no such bound)."""
    return {"comparator": comparator, "value": _plain_number(value),
            "min": _plain_number(minimum), "max": _plain_number(maximum),
            "tolerance": _plain_number(tolerance), "unit": unit}


def decorate_reading(criterion, reading):
    reading.shown = reading_text(criterion, reading)
    reading.passes = reading_passes(
        criterion, reading.passed if reading.passed is not None else reading.value)
    for evidence in reading.evidence.all():
        decorate_evidence(evidence)
    return reading


def criterion_rows(statuses, readings: dict[int, list] | None = None) -> list[CriterionRow]:
    """The criteria's cards, must-haves first, each in the plan's order."""
    readings = readings or {}
    rows = []
    for status in statuses:
        recent = readings.get(status.criterion.pk, [])
        rows.append(CriterionRow(status=status, readings=[
            decorate_reading(status.criterion, reading) for reading in recent]))
    return sorted(rows, key=lambda row: not row.status.must_have)


def file_kind(content_type: str) -> tuple[str, str]:
    for prefix, kind, icon in FILE_KINDS:
        if content_type.startswith(prefix):
            return kind, icon
    return "other", "bi-file-earmark"


def decorate_evidence(evidence):
    """An evidence file with what the gallery needs: its kind, icon and addresses."""
    content_type = evidence.file.content_type
    evidence.kind, evidence.icon = file_kind(content_type)
    evidence.inline = content_type in INLINE_TYPES
    evidence.url = reverse("web:evidence_file", args=[evidence.pk])
    evidence.download_url = f"{evidence.url}?download=1"
    evidence.thumbnail_url = (reverse("web:evidence_thumbnail", args=[evidence.pk])
                              if evidence.thumbnail_key else "")
    evidence.name = evidence.caption or evidence.file.original_name
    return evidence


def decorate_log(entries) -> list:
    for entry in entries:
        entry.kind_colour, entry.kind_icon = LOG_KINDS.get(entry.kind, ("secondary", "bi-dot"))
        entry.severity_colour = SEVERITY_COLOURS.get(entry.severity, "secondary")
        entry.is_open = entry.status == LogStatus.OPEN
        entry.tracked = entry.kind in (LogKind.ISSUE, LogKind.RISK)
        for evidence in entry.evidence.all():
            decorate_evidence(evidence)
    return entries


def chart_labels() -> dict:
    """The words the charts draw, in the reader's language."""
    return {
        "pass": pgettext("test result", "Pass"), "fail": pgettext("test result", "Fail"),
        "reading": pgettext("chart", "Reading"), "result": pgettext("chart", "Result"),
        "mean": pgettext("chart", "Mean"), "range": pgettext("chart", "Lowest"),
        "max": pgettext("chart", "Highest"), "share": pgettext("chart", "Share passing"),
        "readings": pgettext("chart", "readings"),
        "failed": _("The chart could not be loaded. Reload the page to try again."),
        "bucketed": _("Too many readings to draw one by one: the line is the mean of each "
                      "period, the band its lowest and highest reading."),
        "bucketed_pass_fail": _("Too many results to draw one by one: the line is the share "
                                "of tests passing in each period."),
    }


def summary_counts(summary: dict) -> dict:
    return {name: summary.get(name, 0) for name in (
        "readings", "evidence", "open_issues", "open_risks")}


def execution_card(*, request, poc) -> dict:
    """Context of `web/execution/card.html` on the POC page (constant queries)."""
    summary = execution_summary(poc=poc)
    rows = criterion_rows(summary["statuses"])
    return {
        "outlook": Outlook(summary["outlook"]),
        "rows": rows[:CARD_CRITERIA_SHOWN],
        "more": max(0, len(rows) - CARD_CRITERIA_SHOWN),
        "criteria_count": len(rows),
        "passing": sum(1 for row in rows if row.status_value == PASSING),
        "failing": sum(1 for row in rows if row.status_value == FAILING),
        "counts": summary_counts(summary),
        "last_reading_at": summary.get("last_reading_at"),
        "last_reading_ago": ago(summary.get("last_reading_at")),
    }
