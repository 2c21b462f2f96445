"""CSV and XLSX exports of the lists, built with tablib from the same selectors as the pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pocdesk.people.selectors import user_label

EXPORT_FORMATS = ("csv", "xlsx")
_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: Any
    value: Callable[[Any], Any]


def _cell(value: Any) -> Any:
    """Spreadsheet-safe cell: naive local times, and text that cannot run as a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date | Decimal | int | float):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_PREFIXES) else text


def export_response(rows, *, columns: Sequence[Column], file_format: str,
                    name: str) -> HttpResponse:
    import tablib

    dataset = tablib.Dataset(headers=[str(column.header) for column in columns],
                             title=str(name)[:31])
    for row in rows:
        dataset.append([_cell(column.value(row)) for column in columns])
    content = dataset.export(file_format)
    if file_format == "csv":
        content = "\ufeff" + content  # lets spreadsheet programs read UTF-8 (Chinese names)
    response = HttpResponse(content, content_type=_CONTENT_TYPES[file_format])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{file_format}"'
    return response


POC_COLUMNS = (
    Column(_("Title"), lambda poc: poc.title),
    Column(_("Status"), lambda poc: poc.get_status_display()),
    Column(_("Type"), lambda poc: poc.get_poc_type_display()),
    Column(_("Account"), lambda poc: poc.opportunity.account.name),
    Column(_("Opportunity"), lambda poc: poc.opportunity.name),
    Column(_("Amount"), lambda poc: poc.opportunity.amount),
    Column(_("Currency"), lambda poc: poc.opportunity.currency),
    Column(_("Owner"), lambda poc: user_label(poc.owner)),
    Column(_("Team"), lambda poc: poc.team.name),
    Column(_("Start date"), lambda poc: poc.start_date),
    Column(_("End date"), lambda poc: poc.end_date),
    Column(_("Drift (days)"), lambda poc: getattr(poc, "drift_days", None)),
    Column(_("Approved extensions"), lambda poc: getattr(poc, "extensions_approved", None)),
    Column(_("Planned effort (hours)"), lambda poc: poc.planned_effort_hours),
    Column(_("Accepted scope changes (hours)"),
           lambda poc: _hours(getattr(poc, "accepted_hours", None))),
    Column(_("Scope creep (%)"), lambda poc: _creep(poc)),
    Column(_("Updated"), lambda poc: poc.updated_at),
)


def _hours(value):
    """Hours with one decimal, the same from every database ("10.0", not "10")."""
    return None if value is None else Decimal(value).quantize(Decimal("0.1"))


def _creep(poc):
    from .lists import poc_creep

    return poc_creep(poc)

OPPORTUNITY_COLUMNS = (
    Column(_("Name"), lambda opportunity: opportunity.name),
    Column(_("Account"), lambda opportunity: opportunity.account.name),
    Column(_("Stage"), lambda opportunity: opportunity.get_stage_display()),
    Column(_("Amount"), lambda opportunity: opportunity.amount),
    Column(_("Currency"), lambda opportunity: opportunity.currency),
    Column(_("Amount in reporting currency"),
           lambda opportunity: opportunity.amount_in_reporting_currency),
    Column(_("Reporting currency"), lambda opportunity: opportunity.team.reporting_currency),
    Column(_("Expected close date"), lambda opportunity: opportunity.expected_close_date),
    Column(_("Owner"), lambda opportunity: user_label(opportunity.owner)),
    Column(_("Team"), lambda opportunity: opportunity.team.name),
    Column(_("Competitors"), lambda opportunity: ", ".join(
        competitor.name for competitor in opportunity.competitors.all())),
)

ACCOUNT_COLUMNS = (
    Column(_("Name"), lambda account: account.name),
    Column(_("Country"), lambda account: account.country_name),
    Column(_("Industry"), lambda account: account.industry),
    Column(_("Size"), lambda account: account.get_size_display()),
    Column(_("Currency"), lambda account: account.currency),
    Column(_("Opportunities"), lambda account: account.opportunity_count),
    Column(_("Team"), lambda account: account.team.name),
    Column(_("Created"), lambda account: account.created_at),
)
