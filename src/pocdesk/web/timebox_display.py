"""What the pages show of a POC's timebox: the timeline, milestone badges, the POC page's card.

Everything here works on what the selectors already read (milestones with their health,
extensions, the summary), so the pages cost the same number of queries however many
milestones or extensions a POC has. Positions are percentages of the timeline's width,
formatted here with a dot: the templates would otherwise localise them ("12,5%" in French).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pocdesk.pocs.lifecycle import is_open
from pocdesk.timebox.health import Health
from pocdesk.timebox.models import ExtensionStatus, MilestoneStatus
from pocdesk.timebox.selectors import (
    days_past_end,
    extensions_for_poc,
    milestones_for_poc,
    timebox_summary,
)

# How far outside the POC's window today may be and still widen the timeline.
TODAY_REACH_DAYS = 365
# The narrowest the plot gets (CSS min-width of the chart less its labels), in pixels, then the
# plot widths from which the stylesheet shows more labels (container queries): a bar's label
# shows only where it fits, so no "+14 d" is ever cut to a misleading "+1".
PLOT_MIN_PX = {True: 300, False: 420}
LABEL_FITS = ((600, "tbx-fit-600"), (900, "tbx-fit-900"))
# Closer than this (in % of the width), two markers or flags go on separate lanes.
MARKER_GAP = 4.0
FLAG_GAP = 14.0


@dataclass
class Mark:
    """Something placed on the timeline: `left` (and `width` for a bar) in % of its width."""

    left: str
    width: str = ""
    css: str = ""
    label: str = ""
    sublabel: str = ""
    title: str = ""
    lane: int = 0
    end: bool = False  # its label reads leftwards (near the right edge)
    fit: str = ""  # the CSS class showing its label only on a plot wide enough for it


@dataclass
class Row:
    label: str
    title: str
    marks: list[Mark]
    key: str = ""


@dataclass
class Timeline:
    ticks: list[Mark]
    window: list[Mark]
    rows: list[Row]
    markers: list[Mark]
    marker_lanes: int
    lines: list[Mark]
    flag_lanes: int
    legend: list[tuple[str, str]] = field(default_factory=list)


def short_date(value: datetime.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _pct(value: float) -> str:
    return f"{max(0.0, min(100.0, value)):.2f}"


def days_label(days: int) -> str:
    return ngettext("%(days)s day", "%(days)s days", days) % {"days": days}


def health_badge(milestone) -> tuple[str, str]:
    """(Bootstrap colour classes, words) of a milestone's state: on track / at risk N days /
    stalled N days, or done / skipped."""
    if milestone.status == MilestoneStatus.DONE:
        return "text-bg-success", pgettext("milestone", "Done")
    if milestone.status == MilestoneStatus.SKIPPED:
        return "text-bg-secondary", pgettext("milestone", "Skipped")
    days = getattr(milestone, "days_overdue", 0)
    health = getattr(milestone, "health", Health.ON_TRACK)
    if health == Health.STALLED:
        return "text-bg-danger", ngettext("Stalled · %(days)s day late", "Stalled · %(days)s days late",
                                          days) % {"days": days}
    if health == Health.AT_RISK:
        return "text-bg-warning", ngettext("At risk · %(days)s day late",
                                           "At risk · %(days)s days late", days) % {"days": days}
    return "bg-primary-subtle text-primary-emphasis", _("On track")


def marker_state(milestone) -> str:
    if milestone.status == MilestoneStatus.DONE:
        return "done"
    if milestone.status == MilestoneStatus.SKIPPED:
        return "skipped"
    return str(getattr(milestone, "health", Health.ON_TRACK))


def slip_label(days: int) -> str:
    """How far a milestone moved from its planned date: "+5 d", "−3 d", or "as planned"."""
    if days == 0:
        return _("as planned")
    if days > 0:
        return pgettext("drift in days", "+%(days)s d") % {"days": days}
    return pgettext("days early", "−%(days)s d") % {"days": -days}


def decorate_milestones(milestones) -> list:
    """Give each milestone what its row shows: health badge, marker state and slip."""
    for milestone in milestones:
        milestone.badge_css, milestone.badge_text = health_badge(milestone)
        milestone.state = marker_state(milestone)
        milestone.slip_text = slip_label(milestone.slip_days)
        milestone.moved = milestone.slip_days != 0
    return milestones


def _milestone_title(milestone) -> str:
    parts = [milestone.label]
    if milestone.status == MilestoneStatus.DONE:
        parts.append(_("done on %(date)s") % {"date": short_date(milestone.completed_on)})
        if milestone.witnessed_by_id:
            parts.append(_("witnessed by %(name)s") % {"name": milestone.witnessed_by.name})
    else:
        parts.append(_("due %(date)s") % {"date": short_date(milestone.due_date)})
        parts.append(health_badge(milestone)[1])
    if milestone.slip_days:
        parts.append(_("planned %(date)s") % {"date": short_date(milestone.planned_date)})
    return " · ".join(parts)


class _Scale:
    """Dates to % of the timeline's width, over a range padded on both sides."""

    def __init__(self, dates: list[datetime.date]) -> None:
        first, last = min(dates), max(dates)
        span = max(14, (last - first).days)
        pad = max(2, round(span * 0.03))
        self.first = first - datetime.timedelta(days=pad)
        self.last = last + datetime.timedelta(days=pad)
        self.days = (self.last - self.first).days

    def x(self, value: datetime.date) -> float:
        return 100 * (value - self.first).days / self.days

    def bar(self, start: datetime.date, end: datetime.date, **kwargs) -> Mark:
        left = max(0.0, self.x(start))
        right = min(100.0, self.x(end))
        return Mark(left=_pct(left), width=_pct(max(0.4, right - left)), **kwargs)

    def point(self, value: datetime.date, **kwargs) -> Mark:
        return Mark(left=_pct(self.x(value)), **kwargs)


def _month_starts(first: datetime.date, last: datetime.date):
    month = datetime.date(first.year, first.month, 1)
    while month <= last:
        if month > first:
            yield month
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _ticks(scale: _Scale, *, most: int, end_from: float) -> list[Mark]:
    """Month starts with their short localised name (the year under the first and January);
    days of the week's start when the timeline is shorter than about seven weeks."""
    ticks: list[Mark] = []
    if scale.days < 50:
        day = scale.first + datetime.timedelta(days=(7 - scale.first.weekday()) % 7 or 7)
        previous_month = None
        while day < scale.last:
            ticks.append(scale.point(day, label=str(day.day), sublabel=(
                date_format(day, "M") if day.month != previous_month else "")))
            previous_month = day.month
            day += datetime.timedelta(days=7)
    else:
        months = list(_month_starts(scale.first, scale.last))
        step = max(1, -(-len(months) // most))
        for index, month in enumerate(months[::step]):
            ticks.append(scale.point(month, label=date_format(month, "M"), sublabel=(
                str(month.year) if index == 0 or month.month <= step else "")))
    for tick in ticks:
        tick.end = float(tick.left) > end_from
    return ticks


def _lanes(marks: list[Mark], *, gap: float, most: int) -> int:
    """Put marks closer than `gap` on separate lanes (at most `most`); returns the lanes used."""
    ends = [-100.0] * most
    used = 1
    for mark in sorted(marks, key=lambda m: float(m.left)):
        position = float(mark.left)
        lane = next((i for i, end in enumerate(ends) if position - end >= gap), None)
        if lane is None:
            lane = min(range(most), key=lambda i: ends[i])
        mark.lane = lane
        ends[lane] = position
        used = max(used, lane + 1)
    return used


def _label_fit(width: float, label: str, narrowest: int) -> str | None:
    """"" when the label fits in a bar `width` % wide on the narrowest plot, the CSS class of
    the plot width from which it fits, or None when it never does."""
    needed = len(label) * 7 + 10
    if width * narrowest / 100 >= needed:
        return ""
    return next((css for pixels, css in LABEL_FITS if width * pixels / 100 >= needed), None)


def _milestone_marks(scale: _Scale, milestone, today: datetime.date) -> list[Mark]:
    title = _milestone_title(milestone)
    state = marker_state(milestone)
    at = milestone.completed_on if milestone.status == MilestoneStatus.DONE else \
        milestone.due_date
    marks = []
    if milestone.planned_date and milestone.planned_date != at:
        low, high = sorted([milestone.planned_date, at])
        marks.append(scale.bar(low, high, css="tbx-moved"))
        marks.append(scale.point(milestone.planned_date, css="tbx-marker tbx-m-planned",
                                 title=_("%(label)s · planned %(date)s") % {
                                     "label": milestone.label,
                                     "date": short_date(milestone.planned_date)}))
    if state in (Health.AT_RISK, Health.STALLED):
        marks.append(scale.bar(milestone.due_date, today, css=f"tbx-late tbx-late-{state}"))
    marks.append(scale.point(at, css=f"tbx-marker tbx-m-{state}", title=title,
                             label=milestone.label))
    return marks


def _today_shown(poc, today: datetime.date, dates: list[datetime.date]) -> bool:
    if not dates:
        return True
    if min(dates) <= today <= max(dates):
        return True
    reach = datetime.timedelta(days=TODAY_REACH_DAYS)
    return is_open(poc) and min(dates) - reach <= today <= max(dates) + reach


def build_timeline(*, poc, summary, milestones, extensions, compact: bool = False
                   ) -> Timeline | None:
    """The timeline of the POC's window, extensions, milestones, today and the exit clause;
    None while the POC has neither dates nor milestones."""
    today = summary.today
    dates = [d for d in (summary.start, summary.end) if d]
    shown_extensions = [e for e in extensions if e.status in (ExtensionStatus.APPROVED,
                                                              ExtensionStatus.REQUESTED)]
    for extension in shown_extensions:
        dates += [extension.previous_end, extension.requested_end]
    for milestone in milestones:
        dates += [d for d in (milestone.due_date, milestone.planned_date, milestone.completed_on)
                  if d]
    exit_status = summary.exit
    if exit_status is not None:
        dates.append(exit_status.trigger_date)
    if not dates:
        return None
    show_today = _today_shown(poc, today, dates)
    scale = _Scale(dates + ([today] if show_today else []))

    window: list[Mark] = []
    if summary.start and summary.baseline_end:
        window.append(scale.bar(summary.start, summary.baseline_end, css="tbx-baseline",
                                label=_("Baseline"),
                                title=_("Baseline %(start)s → %(end)s (%(days)s)") % {
                                    "start": short_date(summary.start),
                                    "end": short_date(summary.baseline_end),
                                    "days": days_label((summary.baseline_end
                                                        - summary.start).days)}))
    number = 0
    for extension in shown_extensions:
        approved = extension.status == ExtensionStatus.APPROVED
        number += approved
        words = (_("Extension %(number)s: %(start)s → %(end)s (+%(days)s)") if approved
                 else _("Extension requested: %(start)s → %(end)s (+%(days)s)")) % {
            "number": number, "start": short_date(extension.previous_end),
            "end": short_date(extension.requested_end), "days": days_label(extension.days)}
        window.append(scale.bar(
            extension.previous_end, extension.requested_end,
            css="tbx-extension" + ("" if approved else " tbx-requested")
            + (" tbx-beyond" if extension.beyond_policy else ""),
            label=pgettext("drift in days", "+%(days)s d") % {"days": extension.days},
            title=words))

    for bar in window:
        bar.fit = _label_fit(float(bar.width), bar.label, PLOT_MIN_PX[compact])
        if bar.fit is None:
            bar.label, bar.fit = "", ""

    rows, markers = [], []
    for milestone in milestones:
        marks = _milestone_marks(scale, milestone, today)
        rows.append(Row(label=milestone.label, title=_milestone_title(milestone), marks=marks,
                        key=str(milestone.key)))
        markers.append(next(m for m in reversed(marks) if "tbx-marker" in m.css
                            and "tbx-m-planned" not in m.css))
    marker_lanes = _lanes(markers, gap=MARKER_GAP, most=3) if markers else 1

    lines = []
    if show_today:
        lines.append(scale.point(today, css="tbx-today", label=_("Today"),
                                 title=_("Today, %(date)s") % {"date": short_date(today)}))
    if exit_status is not None:
        lines.append(scale.point(
            exit_status.trigger_date,
            css="tbx-exit" + (" tbx-exit-reached" if exit_status.reached else ""),
            label=_("Exit clause"),
            title=_("The exit clause applies after %(date)s") % {
                "date": short_date(exit_status.trigger_date)}))
    for line in lines:
        line.end = float(line.left) > 80
    flag_lanes = _lanes(lines, gap=FLAG_GAP, most=2) if lines else 0

    # A month's name reads leftwards near the right edge, where it would be cut.
    ticks = _ticks(scale, most=7 if compact else 13, end_from=87 if compact else 92)
    shown = markers if compact else [mark for row in rows for mark in row.marks]
    return Timeline(ticks=ticks, window=window, rows=rows, markers=markers,
                    marker_lanes=marker_lanes, lines=lines, flag_lanes=flag_lanes,
                    legend=_legend(window, shown, lines))


LEGEND_ORDER = ("baseline", "extension", "requested", "on_track", "at_risk", "stalled", "done",
                "skipped", "planned", "today", "exit")


def _legend(window: list[Mark], marks: list[Mark], lines: list[Mark]) -> list[tuple[str, str]]:
    """The legend's entries for what this timeline shows, in a fixed order: (css, words)."""
    words = {
        "baseline": ("tbx-swatch tbx-baseline", _("Baseline window")),
        "extension": ("tbx-swatch tbx-extension", _("Approved extension")),
        "requested": ("tbx-swatch tbx-extension tbx-requested", _("Requested extension")),
        "on_track": ("tbx-marker tbx-m-on_track", _("On track")),
        "at_risk": ("tbx-marker tbx-m-at_risk", _("At risk (1–6 days late)")),
        "stalled": ("tbx-marker tbx-m-stalled", _("Stalled (7 days late or more)")),
        "done": ("tbx-marker tbx-m-done", pgettext("milestone", "Done")),
        "skipped": ("tbx-marker tbx-m-skipped", pgettext("milestone", "Skipped")),
        "planned": ("tbx-marker tbx-m-planned", _("Planned date, before it moved")),
        "today": ("tbx-swatch-line tbx-today", _("Today")),
        "exit": ("tbx-swatch-line tbx-exit", _("Exit clause")),
    }
    present = set()
    for mark in window:
        present.add("requested" if "tbx-requested" in mark.css else
                    "extension" if "tbx-extension" in mark.css else "baseline")
    for mark in marks:
        match = re.search(r"tbx-m-(\w+)", mark.css)
        if match:
            present.add(match.group(1))
    for line in lines:
        present.add("today" if "tbx-today" in line.css else "exit")
    return [words[name] for name in LEGEND_ORDER if name in present]


# -- the POC page's card -----------------------------------------------------------------------


@dataclass
class Badge:
    css: str
    text: str
    icon: str = ""
    testid: str = ""


def days_late(poc, summary) -> int:
    """Days an agreed, running or paused POC is past its end date (0 otherwise)."""
    if summary.today is None:
        return 0
    return days_past_end(status=poc.status, end=summary.end, today=summary.today)


def summary_badges(summary, *, poc) -> list[Badge]:
    """Drift, lateness, the worst open milestone, a pending extension, an over-long timebox."""
    badges = []
    late = days_late(poc, summary)
    if summary.drift_days:
        badges.append(Badge("text-bg-danger", ngettext(
            "+%(days)s days (%(count)s extension)", "+%(days)s days (%(count)s extensions)",
            summary.extensions_approved) % {"days": summary.drift_days,
                                            "count": summary.extensions_approved},
            "bi-arrow-right-square", "drift"))
    elif summary.end and not late:
        badges.append(Badge("bg-success-subtle text-success-emphasis", _("No drift"),
                            "bi-check2-circle", "drift"))
    if late:
        badges.append(Badge("text-bg-danger", ngettext(
            "%(days)s day past the end date", "%(days)s days past the end date", late) % {
            "days": late}, "bi-calendar-x", "late"))
    counts = summary.health_counts
    if summary.health == Health.STALLED:
        badges.append(Badge("text-bg-danger", ngettext(
            "%(count)s milestone stalled", "%(count)s milestones stalled",
            counts[Health.STALLED]) % {"count": counts[Health.STALLED]},
            "bi-exclamation-octagon", "health"))
    elif summary.health == Health.AT_RISK:
        badges.append(Badge("text-bg-warning", ngettext(
            "%(count)s milestone at risk", "%(count)s milestones at risk",
            counts[Health.AT_RISK]) % {"count": counts[Health.AT_RISK]},
            "bi-exclamation-triangle", "health"))
    elif summary.milestones_total:
        badges.append(Badge("bg-primary-subtle text-primary-emphasis", _("Milestones on track"),
                            "bi-flag", "health"))
    if summary.pending_extension is not None:
        badges.append(Badge("text-bg-warning", _("Extension to %(date)s awaits a manager") % {
            "date": short_date(summary.pending_extension.requested_end)},
            "bi-hourglass-split", "pending-extension"))
    if summary.over_max_duration:
        badges.append(Badge("text-bg-danger", _(
            "%(days)s: longer than the team's maximum of %(maximum)s") % {
            "days": days_label(summary.duration_days),
            "maximum": days_label(summary.max_duration_days)},
            "bi-stopwatch", "over-max"))
    return badges


def extension_count_text(summary) -> str:
    """ "1 of max 2 extensions used, total drift 14 days" """
    used = ngettext("%(used)s of max %(maximum)s extension used",
                    "%(used)s of max %(maximum)s extensions used", summary.max_extensions) % {
        "used": summary.extensions_approved, "maximum": summary.max_extensions}
    drift = ngettext("total drift %(days)s day", "total drift %(days)s days",
                     summary.drift_days) % {"days": summary.drift_days}
    return _("%(extensions)s, %(drift)s") % {"extensions": used, "drift": drift}


def next_milestone_text(summary) -> str:
    milestone = summary.next_milestone
    if milestone is None:
        return ""
    days = (milestone.due_date - summary.today).days
    if days > 0:
        when = ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
    elif days == 0:
        when = _("today")
    else:
        when = ngettext("%(days)s day late", "%(days)s days late", -days) % {"days": -days}
    return _("%(label)s, due %(date)s (%(when)s)") % {
        "label": milestone.label, "date": short_date(milestone.due_date), "when": when}


def timebox_card(*, request, poc, agreement=False) -> dict:
    """Context of `web/timebox/card.html` on the POC page (pass the agreement the page read)."""
    milestones = milestones_for_poc(poc=poc)
    extensions = extensions_for_poc(poc=poc)
    summary = timebox_summary(poc=poc, milestones=milestones, extensions=extensions,
                              agreement=agreement)
    return {
        "summary": summary,
        "timeline": build_timeline(poc=poc, summary=summary, milestones=milestones,
                                   extensions=extensions, compact=True),
        "badges": summary_badges(summary, poc=poc),
        "next_milestone": next_milestone_text(summary),
        "exit_allowance": exit_allowance(summary),
    }


def exit_allowance(summary) -> int | None:
    """Days between the deadline and the day the exit clause applies."""
    if summary.exit is None:
        return None
    return (summary.exit.trigger_date - summary.exit.deadline).days
