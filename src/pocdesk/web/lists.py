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

from pocdesk.agreements.selectors import EXIT_CLAUSE_STATUSES
from pocdesk.scope.selectors import annotate_scope, creep_share
from pocdesk.timebox.models import TimeboxPolicy
from pocdesk.timebox.selectors import annotate_timebox

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
    """The POC list with its drift and scope-creep columns, each a subquery (the team's
    scope-creep threshold too), so a page costs the same queries whatever its length."""
    threshold = TimeboxPolicy.objects.filter(team_id=OuterRef("team_id")).values(
        "scope_creep_threshold")[:1]
    queryset = annotate_scope(annotate_timebox(queryset)).annotate(
        creep_threshold=Coalesce(Subquery(threshold, output_field=IntegerField()),
                                 Value(DEFAULT_CREEP_THRESHOLD)))
    if ordering in POC_TIMEBOX_ORDERINGS:
        field = POC_TIMEBOX_ORDERINGS[ordering]
        queryset = queryset.order_by(field, "-updated_at", "-pk")
    return queryset


def creep_level(share: int | None, threshold: int) -> str:
    """"" under the team's threshold, "warning" above it, "danger" above twice the threshold."""
    if share is None or share <= threshold:
        return ""
    return "danger" if share > 2 * threshold else "warning"


def poc_creep(poc) -> int | None:
    return creep_share(getattr(poc, "accepted_hours", None) or Decimal(0),
                       poc.planned_effort_hours)


def decorate_poc_rows(pocs: list) -> list:
    """Scope creep against each team's threshold, and how late an agreed POC is."""
    today = timezone.localdate()
    for poc in pocs:
        poc.creep_share = poc_creep(poc)
        poc.creep_level = creep_level(poc.creep_share, poc.creep_threshold)
        poc.days_late = (max(0, (today - poc.end_date).days)
                         if poc.end_date and poc.status in EXIT_CLAUSE_STATUSES else 0)
    return pocs
