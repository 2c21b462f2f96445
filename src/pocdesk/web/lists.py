"""What every list page shares: pagination, the htmx partial, and CSV / XLSX export."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from pocdesk.scope.selectors import annotate_scope, creep_share
from pocdesk.timebox.models import TimeboxPolicy
from pocdesk.timebox.selectors import annotate_timebox, days_past_end

from .exports import EXPORT_FORMATS, export_response


def render_list(request, *, queryset, template_name: str, context: dict, export=None,
                export_name: str = "export", ordering: str = "", decorate=None):
    """Render one page of `queryset`, only its results table for htmx, or the whole as a file.

    `decorate(rows)` adds what the page's rows show and the database cannot compute.
    """
    export_format = request.GET.get("format", "")
    if export is not None and export_format in EXPORT_FORMATS:
        return export_response(queryset, columns=export, file_format=export_format,
                               name=export_name)
    page = Paginator(queryset, settings.POCDESK_PAGE_SIZE).get_page(request.GET.get("page"))
    if decorate is not None:
        page.object_list = decorate(list(page.object_list))
    page_range = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    context = {**context, "page": page, "page_range": page_range, "ordering": ordering,
               "export_formats": EXPORT_FORMATS if export is not None else ()}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        template_name = f"{template_name}#results"
    response = render(request, template_name, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# -- the POC list's timebox and scope columns ---------------------------------------------------

POC_TIMEBOX_ORDERINGS = {"drift": "drift_days", "-drift": "-drift_days"}
DEFAULT_CREEP_THRESHOLD = TimeboxPolicy._meta.get_field("scope_creep_threshold").default


def poc_list_columns(queryset, *, ordering: str = ""):
    """The POC list's queryset for one page: only what its ordering needs (drift, when sorted
    by it); `decorate_poc_rows` reads the other columns for the page's rows alone."""
    if ordering in POC_TIMEBOX_ORDERINGS:
        field = POC_TIMEBOX_ORDERINGS[ordering]
        queryset = annotate_timebox(queryset).order_by(field, "-updated_at", "-pk")
    return queryset


def with_poc_columns(queryset):
    """Add the drift and scope-creep columns (the team's scope-creep threshold too), each a
    subquery, so a list or an export costs the same queries whatever its length."""
    threshold = TimeboxPolicy.objects.filter(team_id=OuterRef("team_id")).values(
        "scope_creep_threshold")[:1]
    return annotate_scope(annotate_timebox(queryset)).annotate(
        creep_threshold=Coalesce(Subquery(threshold, output_field=IntegerField()),
                                 Value(DEFAULT_CREEP_THRESHOLD)))


COLUMN_NAMES = ("drift_days", "extensions_approved", "milestones_at_risk", "milestones_stalled",
                "accepted_hours", "commitments_overdue", "creep_threshold")


def creep_level(share: int | None, threshold: int) -> str:
    """"" under the team's threshold, "warning" above it, "danger" above twice the threshold."""
    if share is None or share <= threshold:
        return ""
    return "danger" if share > 2 * threshold else "warning"


def poc_creep(poc) -> int | None:
    return creep_share(getattr(poc, "accepted_hours", None) or Decimal(0),
                       poc.planned_effort_hours)


def poc_outlooks(poc_ids: list[int]) -> dict:
    """The technical outlook of each POC that has readings, for the page's rows: their
    criteria's live status in three queries, whatever the number of POCs and readings."""
    from pocdesk.criteria.models import Criterion
    from pocdesk.execution.status import criterion_statuses, technical_outlook

    from .execution_display import Outlook

    by_poc: dict[int, list] = {}
    for status in criterion_statuses(
            criteria=Criterion.objects.filter(poc_id__in=poc_ids)).values():
        by_poc.setdefault(status.criterion.poc_id, []).append(status)
    return {poc_id: Outlook(technical_outlook(statuses)) for poc_id, statuses in by_poc.items()
            if any(status.count for status in statuses)}


def decorate_poc_rows(pocs: list) -> list:
    """The page's drift and scope-creep columns (one query for the page, not the whole list),
    scope creep against each team's threshold, and how late an agreed POC is."""
    from pocdesk.pocs.models import POC

    columns = {row["pk"]: row for row in with_poc_columns(
        POC.objects.filter(pk__in=[poc.pk for poc in pocs])).values("pk", *COLUMN_NAMES)}
    outlooks = poc_outlooks([poc.pk for poc in pocs])
    today = timezone.localdate()
    for poc in pocs:
        poc.outlook = outlooks.get(poc.pk)
        for name, value in columns.get(poc.pk, {}).items():
            setattr(poc, name, value)
        poc.creep_share = poc_creep(poc)
        poc.creep_level = creep_level(poc.creep_share, poc.creep_threshold)
        poc.days_late = days_past_end(status=poc.status, end=poc.end_date, today=today)
    return pocs
