"""The priorities page (§10): one selector's figures, filtered by team and owner, with the
ranked table in one of two server-rendered orders (`?order=hour`: value per presales hour).
Bad filters answer 400 with the form's errors."""

from __future__ import annotations

import datetime

from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pocdesk.core.errors import ValidationFailed
from pocdesk.insights.priorities import order_by_value_per_hour, priorities

from ..errors import add_service_errors, page
from ..portfolio_forms import TeamOwnerFilterForm

ORDERS = ("value", "hour")


@require_GET
@page
def priorities_page(request):
    order = request.GET.get("order") if request.GET.get("order") in ORDERS else "value"
    filter_data = {key: request.GET[key] for key in ("team", "owner") if key in request.GET}
    form = TeamOwnerFilterForm(filter_data or None, user=request.user)
    context = {"form": form, "nav_section": "priorities", "figures": None, "order": order}
    if form.is_bound and not form.is_valid():
        return render(request, "web/priorities/page.html", context, status=400)
    arguments = form.cleaned_data if form.is_bound else {}
    try:
        figures = priorities(actor=request.user, team=arguments.get("team"),
                             owner=arguments.get("owner"))
    except ValidationFailed as error:
        add_service_errors(form, error)
        return render(request, "web/priorities/page.html", context, status=400)
    lines = [_display(line) for line in figures["opportunities"]]
    context.update(figures=figures, charts=_charts(figures),
                   lines=order_by_value_per_hour(lines) if order == "hour" else lines,
                   overloaded=[line for line in figures["capacity"] if line["overloaded"]],
                   several_teams=len({line["team"]["id"] for line in lines}) > 1)
    return render(request, "web/priorities/page.html", context)


def _display(line: dict) -> dict:
    """A line with the date the template formats (the JSON has it as text)."""
    return {**line, "close_on": datetime.date.fromisoformat(line["expected_close_date"])}


def _month_label(month: str) -> str:
    return date_format(datetime.date.fromisoformat(month + "-01"), "M Y")


def _charts(figures) -> dict:
    """Labels and numbers for Chart.js (the page script draws them)."""
    forecast, capacity = figures["forecast"], figures["capacity"]
    return {
        "forecast": {
            "labels": [_month_label(month["month"]) for month in forecast],
            "amount": [float(month["amount"]) for month in forecast],
            "weighted": [float(month["expected_value"]) for month in forecast],
            "amount_label": _("Amount (%(currency)s)") % {"currency": figures["currency"]},
            "weighted_label": _("Weighted (%(currency)s)") % {"currency": figures["currency"]},
        },
        "capacity": {
            "labels": [line["engineer"]["name"] for line in capacity],
            "running": [line["running"] for line in capacity],
            "max": [line["max"] for line in capacity],
            "overloaded": [line["overloaded"] for line in capacity],
            "running_label": _("Running POCs"),
            "max_label": _("Maximum"),
        },
    }
