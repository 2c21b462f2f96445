"""The portfolio page (§9.3) and its CSV/XLSX export: one selector's figures, filtered by the
query string (period, team, owner, industry). Bad filters answer 400 with the form's errors."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pocdesk.core.errors import ValidationFailed
from pocdesk.pocs.models import Status
from pocdesk.reports.portfolio import portfolio_figures, portfolio_filters
from pocdesk.results.models import CommercialResult
from pocdesk.timebox.health import Health

from ..errors import add_service_errors, page
from ..exports import EXPORT_FORMATS, Column, export_response
from ..portfolio_forms import PortfolioFilterForm
from ..templatetags.pocdesk_web import STATUS_COLOURS


def _filters(request):
    """(form, filters or None): None when the query string holds a bad filter."""
    form = PortfolioFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return form, None
    try:
        filters = portfolio_filters(actor=request.user,
                                    **(form.arguments() if form.is_bound else {}))
    except ValidationFailed as error:
        add_service_errors(form, error)
        return form, None
    if not form.is_bound:
        form.initial = {"since": filters.since, "until": filters.until}
    return form, filters


@require_GET
@page
def portfolio_page(request):
    form, filters = _filters(request)
    context = {"form": form, "nav_section": "portfolio", "figures": None,
               "query": request.GET.urlencode()}
    if filters is None:
        return render(request, "web/portfolio/page.html", context, status=400)
    figures = portfolio_figures(actor=request.user, filters=filters)
    context.update(figures=figures, charts=_charts(figures), tables=_tables(figures),
                   cost_warning=_cost_warning(figures), since=filters.since,
                   until=filters.until)
    return render(request, "web/portfolio/page.html", context)


def _cost_warning(figures) -> bool:
    return bool(figures["cost"]["above_threshold"])


def _tables(figures) -> list[dict]:
    breakdowns = figures["breakdowns"]
    tables = [
        {"key": "team", "title": _("By team"), "heading": _("Team"),
         "rows": breakdowns["team"], "link": "team"},
        {"key": "owner", "title": _("By owner"), "heading": _("Owner"),
         "rows": breakdowns["owner"], "link": "owner"},
        {"key": "industry", "title": _("By industry"), "heading": _("Industry"),
         "rows": breakdowns["industry"], "link": "industry"},
    ]
    return tables


def _charts(figures) -> dict:
    """Labels and numbers for Chart.js (the page script draws them)."""
    statuses = [status for status in Status if figures["status"][status.value]]
    months = figures["closes_by_month"]
    lines = figures["breakdowns"]["team" if len(figures["breakdowns"]["team"]) > 1 else "owner"]
    return {
        "status": {"keys": [status.value for status in statuses],
                   "labels": [str(status.label) for status in statuses],
                   "values": [figures["status"][status.value] for status in statuses],
                   "colours": [STATUS_COLOURS[status] for status in statuses]},
        "health": {"labels": [str(Health.ON_TRACK.label), str(Health.AT_RISK.label),
                              str(Health.STALLED.label)],
                   "values": [figures["health"][Health.ON_TRACK.value],
                              figures["health"][Health.AT_RISK.value],
                              figures["health"][Health.STALLED.value]]},
        "closes": {
            "labels": [date_format(datetime.date.fromisoformat(month["month"] + "-01"),
                                   "M Y") for month in months],
            "series": [
                {"key": "won", "label": str(CommercialResult.WON.label),
                 "values": [month["won"] for month in months]},
                {"key": "lost", "label": str(CommercialResult.LOST.label),
                 "values": [month["lost"] for month in months]},
                {"key": "no_decision", "label": str(CommercialResult.NO_DECISION.label),
                 "values": [month["no_decision"] for month in months]},
                {"key": "other", "label": _("Other results"),
                 "values": [month["other"] for month in months]},
            ]},
        "duration": {
            "labels": [_("All"), *[line["label"] for line in lines]],
            "planned": [figures["duration"]["planned_days"],
                        *[line["duration"]["planned_days"] for line in lines]],
            "actual": [figures["duration"]["actual_days"],
                       *[line["duration"]["actual_days"] for line in lines]],
            "planned_label": _("Planned days"), "actual_label": _("Actual days")},
        "any_duration": bool(figures["duration"]["count"]),
        "any_close": any(month[key] for month in months for key in ("won", "lost",
                                                                      "no_decision", "other")),
    }


# --- export ------------------------------------------------------------------------------

def _section_label(key: str) -> str:
    return {"all": _("All"), "team": _("Team"), "owner": _("Owner"),
            "industry": _("Industry")}[key]


EXPORT_COLUMNS = (
    Column(gettext_lazy("Breakdown"), lambda row: _section_label(row["section"])),
    Column(gettext_lazy("Line"), lambda row: row["label"]),
    Column(gettext_lazy("POCs active in the period"), lambda row: row["pocs"]),
    Column(gettext_lazy("Open"), lambda row: row["open"]),
    Column(gettext_lazy("On track"), lambda row: row["health"]["on_track"]),
    Column(gettext_lazy("At risk"), lambda row: row["health"]["at_risk"]),
    Column(gettext_lazy("Stalled"), lambda row: row["health"]["stalled"]),
    Column(gettext_lazy("Past their end date"), lambda row: row["past_end"]["count"]),
    Column(gettext_lazy("Finished in the period"), lambda row: row["drift"]["finished"]),
    Column(gettext_lazy("Finished late (percent)"), lambda row: row["drift"]["late_share"]),
    Column(gettext_lazy("Average drift (days)"), lambda row: row["drift"]["average_days"]),
    Column(gettext_lazy("Average planned duration (days)"),
           lambda row: row["duration"]["planned_days"]),
    Column(gettext_lazy("Average actual duration (days)"),
           lambda row: row["duration"]["actual_days"]),
    Column(gettext_lazy("Closed in the period"), lambda row: row["outcomes"]["closed"]),
    Column(gettext_lazy("Technical success (percent)"),
           lambda row: row["outcomes"]["technical_success_share"]),
    Column(gettext_lazy("Technical partial (percent)"),
           lambda row: row["outcomes"]["technical_partial_share"]),
    Column(gettext_lazy("Technical failed (percent)"),
           lambda row: row["outcomes"]["technical_failed_share"]),
    Column(gettext_lazy("Won"), lambda row: row["outcomes"]["commercial"]["won"]),
    Column(gettext_lazy("Conversion to order (percent)"),
           lambda row: row["outcomes"]["conversion"]),
    Column(gettext_lazy("Lost (percent)"), lambda row: row["outcomes"]["lost_share"]),
    Column(gettext_lazy("No decision (percent)"),
           lambda row: row["outcomes"]["no_decision_share"]),
    Column(gettext_lazy("Order value won"), lambda row: _number(row["outcomes"][
        "order_value_won"])),
    Column(gettext_lazy("POC cost"), lambda row: _number(row["cost"]["cost"])),
    Column(gettext_lazy("Deal amount"), lambda row: _number(row["cost"]["deal_amount"])),
    Column(gettext_lazy("Cost ratio (percent)"), lambda row: row["cost"]["ratio"]),
    Column(gettext_lazy("POCs above the cost threshold"),
           lambda row: row["cost"]["above_threshold"]),
    Column(gettext_lazy("Currency"), lambda row: row["currency"]),
)


def _number(value):
    return None if value is None else Decimal(value)


def export_rows(figures) -> list[dict]:
    """The headline figures, then one row per team, owner and industry."""
    rows = [{**figures, "section": "all", "label": _("All POCs")}]
    for section in ("team", "owner", "industry"):
        rows += [{**line, "section": section, "currency": figures["currency"]}
                 for line in figures["breakdowns"][section]]
    return rows


@require_GET
@page
def portfolio_export(request):
    file_format = request.GET.get("format", "csv")
    form, filters = _filters(request)
    if file_format not in EXPORT_FORMATS or filters is None:
        context = {"form": form, "nav_section": "portfolio", "figures": None,
                   "query": request.GET.urlencode(), "bad_format": file_format
                   not in EXPORT_FORMATS}
        return render(request, "web/portfolio/page.html", context, status=400)
    figures = portfolio_figures(actor=request.user, filters=filters)
    return export_response(export_rows(figures), columns=EXPORT_COLUMNS,
                           file_format=file_format, name="portfolio")
