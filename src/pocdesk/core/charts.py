"""Charts of a criterion's readings for documents: SVG for the PDF and HTML, PNG for DOCX.

The input is the JSON-able chart data of `execution.chart.criterion_chart` (raw readings, or
time buckets with min/max/mean, and the target). Three pictures come out of it:

- a numeric series: the readings (or the mean of each period, with the band of its lowest and
  highest reading) over time, the target band shaded or the target line dashed;
- a pass/fail test: the share of tests passing in each period against the required share;
- a few readings (a lab report, a handful of tests): each reading as a dot with its value, next
  to the target, so that the page says "target X, measured Y" at a glance.

matplotlib's object API only (a `Figure` and its own canvas, never pyplot): no global state, no
GUI backend, safe in a web worker. It is imported inside the functions, so that only the code
that draws pays for it. The SVG keeps its text as text (`svg.fonttype: none`), so WeasyPrint
sets it in the document's own fonts and Chinese renders; the PNG names a font list with
Noto Sans CJK first and DejaVu Sans as the fallback.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

FEW_READINGS = 10  # up to this many readings, each one is drawn as a dot with its value
PASS_FAIL_BINS = 20  # raw pass/fail results are grouped in at most this many periods
WIDTH_INCHES, HEIGHT_INCHES = 7.0, 2.6

INK = "#1f2933"
MUTED = "#6b7785"
GRID = "#e4e9ef"
SERIES = "#24507a"
BAND = "#9fb3c8"
TARGET = "#1c6e3d"
FAIL = "#b42318"

PREFERRED_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
                   "DejaVu Sans")

# Numeric date formats: the same in every language (no English month names in a French report).
_DATE_FORMATS = ["%Y", "%m-%d", "%m-%d", "%H:%M", "%H:%M", "%S.%f"]
_ZERO_FORMATS = ["", "%Y", "%m-%d", "%m-%d", "%H:%M", "%H:%M"]
_OFFSET_FORMATS = ["", "%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M"]


@cache
def available_fonts() -> tuple[str, ...]:
    """The preferred fonts matplotlib finds on this machine, best first (DejaVu always)."""
    from matplotlib import font_manager

    names = {font.name for font in font_manager.fontManager.ttflist}
    found = tuple(name for name in PREFERRED_FONTS if name in names)
    return found or ("DejaVu Sans",)


def _rc(*, svg: bool) -> dict[str, Any]:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": list(available_fonts()) if not svg else list(PREFERRED_FONTS),
        "font.size": 8,
        "axes.edgecolor": "#bcccdc",
        "axes.labelcolor": MUTED,
        "axes.linewidth": 0.6,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.major.size": 2.5,
        "ytick.major.size": 0,
        "legend.frameon": False,
        "legend.fontsize": 7,
        "svg.fonttype": "none",
        "svg.hashsalt": "pocdesk",
        "axes.unicode_minus": False,
    }


def _label(labels: Mapping[str, str], name: str, default: str) -> str:
    return str(labels.get(name) or default)


def _time(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


def _target(chart: Mapping[str, Any]) -> dict[str, Any]:
    return dict(chart.get("target") or {})


def _axis_label(chart: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    unit = (chart.get("unit") or "").strip()
    name = _label(labels, "value", "Value")
    return f"{name} ({unit})" if unit else name


def _draw_target(axes, target: Mapping[str, Any], labels: Mapping[str, str]) -> None:
    """The target as a shaded band (between, equal with tolerance) or a dashed line."""
    low, high, value = target.get("min"), target.get("max"), target.get("value")
    name = _label(labels, "target", "Target")
    text = target.get("text") or ""
    legend = f"{name}: {text}" if text else name
    if low is not None and high is not None and high > low:
        axes.axhspan(low, high, color=TARGET, alpha=0.12, linewidth=0, label=legend)
        for bound in (low, high):
            axes.axhline(bound, color=TARGET, linewidth=0.8, linestyle=(0, (4, 3)))
    elif value is not None:
        axes.axhline(value, color=TARGET, linewidth=1.1, linestyle=(0, (5, 3)), label=legend)
    elif low is not None and high is not None:  # equal, no tolerance
        axes.axhline(low, color=TARGET, linewidth=1.1, linestyle=(0, (5, 3)), label=legend)


def _date_axis(axes) -> None:
    from matplotlib import dates

    locator = dates.AutoDateLocator(minticks=3, maxticks=8)
    formatter = dates.ConciseDateFormatter(locator, formats=_DATE_FORMATS,
                                           zero_formats=_ZERO_FORMATS,
                                           offset_formats=_OFFSET_FORMATS)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(formatter)


def _style(axes) -> None:
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _include_target(axes, target: Mapping[str, Any]) -> None:
    """Keep the target visible even when every reading is far from it."""
    marks = [target.get(name) for name in ("min", "max", "value")]
    marks = [mark for mark in marks if mark is not None]
    if not marks:
        return
    bottom, top = axes.get_ylim()
    low, high = min([bottom, *marks]), max([top, *marks])
    if (low, high) != (bottom, top):
        pad = (high - low) * 0.06 or 1
        axes.set_ylim(low - (pad if low < bottom else 0), high + (pad if high > top else 0))


def _numeric_series(axes, chart, labels) -> None:
    series = chart["series"]
    times = [_time(point["t"]) for point in series]
    if chart.get("bucketed"):
        axes.fill_between(times, [p["min"] for p in series], [p["max"] for p in series],
                          color=BAND, alpha=0.45, linewidth=0, step=None,
                          label=_label(labels, "range", "Lowest–highest"))
        axes.plot(times, [p["mean"] for p in series], color=SERIES, linewidth=1.1,
                  label=_label(labels, "mean", "Mean"))
    else:
        # Readings taken in sessions (several at nearly the same time) would draw vertical
        # zigzags as a bold line: every reading is a dot, joined by a faint line.
        axes.plot(times, [p["value"] for p in series], color=SERIES, linewidth=0.7, alpha=0.45)
        axes.plot(times, [p["value"] for p in series], color=SERIES, linestyle="none",
                  marker="o", markersize=2.6 if len(series) <= 120 else 1.6,
                  label=_label(labels, "reading", "Reading"))
    _draw_target(axes, _target(chart), labels)
    _include_target(axes, _target(chart))
    _date_axis(axes)
    axes.set_ylabel(_axis_label(chart, labels))


def _tick_labels(series: list[dict[str, Any]]) -> list[str]:
    """The day of each reading; with the time of day when two readings share a day."""
    moments = [_time(point["t"]) for point in series]
    days = [moment.strftime("%Y-%m-%d") for moment in moments]
    if len(set(days)) == len(days):
        return days
    return [moment.strftime("%m-%d %H:%M") for moment in moments]


def _few_readings(axes, chart, labels, number) -> None:
    """A handful of readings: one dot per reading, its value written above it."""
    series = chart["series"]
    positions = list(range(1, len(series) + 1))
    values = [point["value"] for point in series]
    axes.scatter(positions, values, s=28, color=SERIES, zorder=3,
                 label=_label(labels, "measured", "Measured"))
    _draw_target(axes, _target(chart), labels)
    _include_target(axes, _target(chart))
    bottom, top = axes.get_ylim()
    pad = (top - bottom) * 0.12 or 1
    axes.set_ylim(bottom - pad * 0.3, top + pad)
    for position, value in zip(positions, values, strict=True):
        if value is not None:
            axes.annotate(number(value), (position, value),
                          textcoords="offset points", xytext=(0, 5), ha="center",
                          fontsize=7, color=INK)
    axes.set_xticks(positions, _tick_labels(series), rotation=0 if len(series) <= 5 else 30,
                    ha="center" if len(series) <= 5 else "right")
    axes.set_xlim(0.4, len(series) + 0.6)
    axes.set_ylabel(_axis_label(chart, labels))


def _pass_fail_bins(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Raw pass/fail results grouped in equal periods: the share passing of each."""
    times = [_time(point["t"]) for point in series]
    first, last = min(times), max(times)
    bins = min(PASS_FAIL_BINS, len(series))
    width = max((last - first).total_seconds() / bins, 1e-3)
    groups: dict[int, list[int]] = {}
    for moment, point in zip(times, series, strict=True):
        index = min(int((moment - first).total_seconds() / width), bins - 1)
        groups.setdefault(index, []).append(1 if point["value"] else 0)
    return [{"t": first + datetime.timedelta(seconds=(index + 0.5) * width),
             "share": 100 * sum(values) / len(values), "width": width}
            for index, values in sorted(groups.items())]


def _pass_fail(axes, chart, labels) -> None:
    from matplotlib.ticker import PercentFormatter

    series = chart["series"]
    target = _target(chart)
    required = target.get("required_share")
    if not chart.get("bucketed") and len(series) <= FEW_READINGS:
        positions = list(range(1, len(series) + 1))
        passed = [bool(point["value"]) for point in series]
        for value, marker, colour, name in ((True, "o", TARGET, "pass"),
                                            (False, "X", FAIL, "fail")):
            chosen = [p for p, ok in zip(positions, passed, strict=True) if ok is value]
            if chosen:
                axes.scatter(chosen, [int(value)] * len(chosen), s=46, marker=marker,
                             color=colour, zorder=3, label=_label(labels, name, name.title()))
        axes.set_ylim(-0.5, 1.5)
        axes.set_yticks([0, 1], [_label(labels, "fail", "Fail"), _label(labels, "pass", "Pass")])
        axes.set_xticks(positions, _tick_labels(series),
                        rotation=0 if len(series) <= 5 else 30,
                        ha="center" if len(series) <= 5 else "right")
        axes.set_xlim(0.4, len(series) + 0.6)
        return
    if chart.get("bucketed"):
        times = [_time(point["t"]) for point in series]
        shares = [point["share"] for point in series]
        axes.fill_between(times, shares, 0, color=SERIES, alpha=0.12, linewidth=0, step="post")
        axes.step(times, shares, where="post", color=SERIES, linewidth=1.0,
                  label=_label(labels, "share", "Share passing"))
    else:
        bins = _pass_fail_bins(series)
        width_days = bins[0]["width"] / 86400 * 0.8
        axes.bar([point["t"] for point in bins], [point["share"] for point in bins],
                 width=width_days, color=SERIES, alpha=0.75,
                 label=_label(labels, "share", "Share passing"))
    required_value = 100.0 if required is None else float(required)
    name = _label(labels, "required", "Required")
    axes.axhline(required_value, color=TARGET, linewidth=1.1, linestyle=(0, (5, 3)),
                 label=f"{name}: {target.get('text') or ''}".rstrip(": "))
    axes.set_ylim(0, 105)
    axes.yaxis.set_major_formatter(PercentFormatter(100, decimals=0, symbol="%"))
    axes.set_ylabel(_label(labels, "share", "Share passing"))
    _date_axis(axes)


def _no_data(axes, labels) -> None:
    axes.set_axis_off()
    axes.text(0.5, 0.5, _label(labels, "no_data", "No readings"), ha="center", va="center",
              color=MUTED, fontsize=9, transform=axes.transAxes)


def _plain(value: float) -> str:
    return f"{value:.6g}"


def _figure(chart: Mapping[str, Any], labels: Mapping[str, str], number):
    from matplotlib.figure import Figure

    series = chart.get("series") or []
    height = HEIGHT_INCHES if series else 0.8
    # Fixed margins: a constrained layout would draw every chart twice as slowly.
    figure = Figure(figsize=(WIDTH_INCHES, height), layout=None)
    rotated = not chart.get("bucketed") and 5 < len(series) <= FEW_READINGS
    figure.subplots_adjust(left=0.1, right=0.985, bottom=0.22 if rotated else 0.13,
                           top=0.85)
    axes = figure.add_subplot()
    if not series:
        _no_data(axes, labels)
        return figure
    _style(axes)
    if chart.get("kind") == "pass_fail":
        _pass_fail(axes, chart, labels)
    elif not chart.get("bucketed") and len(series) <= FEW_READINGS:
        _few_readings(axes, chart, labels, number or _plain)
    else:
        _numeric_series(axes, chart, labels)
    handles, names = axes.get_legend_handles_labels()
    if handles:
        axes.legend(handles, names, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3,
                    borderaxespad=0.3, handlelength=2.2)
    return figure


_ID = re.compile(r'(\bid="|url\(#|href="#)')


def criterion_chart_svg(chart: Mapping[str, Any], *, labels: Mapping[str, str],
                        ident: str = "chart", number: Callable[[float], str] | None = None
                        ) -> str:
    """The chart as an `<svg>` element (no XML prolog), sized in points, text kept as text.

    Every id inside starts with `ident`, so that several charts inlined in one HTML document
    do not share ids (clip paths would cross). `number` writes the values shown on a chart of
    a few readings (the document's locale); `labels` are the translated words it draws.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    with rc_context(_rc(svg=True)):
        figure = _figure(chart, labels, number)
        FigureCanvasSVG(figure)
        output = io.StringIO()
        figure.savefig(output, format="svg", metadata={"Date": None, "Creator": None})
    text = output.getvalue()
    start = text.find("<svg")
    text = text[start:] if start >= 0 else text
    prefix = re.sub(r"[^A-Za-z0-9_-]", "", ident) or "chart"
    return _ID.sub(lambda match: f"{match.group(1)}{prefix}-", text)


def criterion_chart_png(chart: Mapping[str, Any], *, labels: Mapping[str, str],
                        number: Callable[[float], str] | None = None, dpi: int = 160) -> bytes:
    """The chart as a PNG (for DOCX, which cannot hold SVG)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with rc_context(_rc(svg=False)):
        figure = _figure(chart, labels, number)
        FigureCanvasAgg(figure)
        output = io.BytesIO()
        figure.savefig(output, format="png", dpi=dpi, metadata={"Software": None})
    return output.getvalue()
