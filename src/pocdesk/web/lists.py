"""What every list page shares: pagination, the htmx partial, and CSV / XLSX export."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from .exports import EXPORT_FORMATS, export_response


def render_list(request, *, queryset, template_name: str, context: dict, export=None,
                export_name: str = "export", ordering: str = ""):
    """Render one page of `queryset`, only its results table for htmx, or the whole as a file."""
    export_format = request.GET.get("format", "")
    if export is not None and export_format in EXPORT_FORMATS:
        return export_response(queryset, columns=export, file_format=export_format,
                               name=export_name)
    page = Paginator(queryset, settings.POCDESK_PAGE_SIZE).get_page(request.GET.get("page"))
    page_range = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    context = {**context, "page": page, "page_range": page_range, "ordering": ordering,
               "export_formats": EXPORT_FORMATS if export is not None else ()}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        template_name = f"{template_name}#results"
    response = render(request, template_name, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
