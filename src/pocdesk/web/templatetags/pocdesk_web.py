"""Presentation helpers of the web pages: badges, money, sortable headers, form widgets."""

from __future__ import annotations

import datetime

from django import forms, template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from pocdesk.core.formats import format_amount
from pocdesk.people.selectors import user_label as people_user_label
from pocdesk.pocs.models import Status

register = template.Library()

STATUS_COLOURS = {
    Status.DRAFT: "secondary",
    Status.QUALIFIED: "info",
    Status.AGREED: "primary",
    Status.RUNNING: "success",
    Status.PAUSED: "warning",
    Status.EVALUATING: "evaluating",
    Status.CLOSED: "dark",
    Status.WALKED_AWAY: "danger",
}

STAGE_COLOURS = {
    "prospecting": "secondary",
    "qualification": "info",
    "evaluation": "primary",
    "proposal": "evaluating",
    "negotiation": "warning",
    "closed_won": "success",
    "closed_lost": "danger",
}

POSITION_COLOURS = {"ahead": "success", "level": "info", "behind": "danger", "unknown": "secondary"}


@register.simple_tag
def status_badge(poc_or_status, label=None):
    """A coloured badge for a POC (or a bare status value with its label)."""
    if hasattr(poc_or_status, "get_status_display"):
        status, label = poc_or_status.status, poc_or_status.get_status_display()
    else:
        status = poc_or_status
        label = label or Status(status).label
    return format_html('<span class="badge status-badge text-bg-{}" data-status="{}">{}</span>',
                       STATUS_COLOURS.get(status, "secondary"), status, label)


@register.simple_tag
def stage_badge(opportunity):
    return format_html('<span class="badge text-bg-{}">{}</span>',
                       STAGE_COLOURS.get(opportunity.stage, "secondary"),
                       opportunity.get_stage_display())


@register.simple_tag
def position_badge(competitor):
    return format_html('<span class="badge text-bg-{}">{}</span>',
                       POSITION_COLOURS.get(competitor.position, "secondary"),
                       competitor.get_position_display())


@register.filter
def status_colour(status) -> str:
    return STATUS_COLOURS.get(status, "secondary")


@register.simple_tag
def money(amount, currency, decimals=2):
    """An amount in the reader's number format followed by its ISO currency code."""
    if amount is None:
        return ""
    return format_html('<span class="money text-nowrap">{}&nbsp;<span class="currency">{}</span>'
                       "</span>", format_amount(amount, decimals), currency)


@register.filter
def user_label(user) -> str:
    return people_user_label(user) if user is not None else ""


def _query(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else request.path


@register.simple_tag(takes_context=True)
def list_url(context, **changes) -> str:
    """The current list URL with some parameters changed (None removes one)."""
    return _query(context["request"], **{"format": None, **changes})


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label, css_class: str = ""):
    """A column header that sorts by `key`, and reverses the order when clicked again."""
    current = context.get("ordering") or ""
    if current == key:
        target, arrow, aria = f"-{key}", "bi-sort-up", "ascending"
    elif current == f"-{key}":
        target, arrow, aria = key, "bi-sort-down", "descending"
    else:
        target, arrow, aria = key, "", "none"
    url = _query(context["request"], o=target, page=None, format=None)
    icon = format_html(' <i class="bi {}" aria-hidden="true"></i>', arrow) if arrow else ""
    return format_html(
        '<th scope="col" class="{}" aria-sort="{}"><a class="sort-link" href="{}" hx-get="{}" '
        'hx-target="#results" hx-push-url="true">{}{}</a></th>',
        css_class, aria, url, url, label, icon,
    )


@register.filter
def bs_widget(bound_field):
    """Render a form field's widget with Bootstrap classes and its invalid state."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": " ".join(filter(None, [css, widget.attrs.get("class", "")]))}
    if bound_field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound_field.auto_id}_errors"
    elif bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.auto_id}_help"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def timedelta_label(delta) -> str:
    """A duration in words, in the reader's language ("1 hour", "1 小时")."""
    if not isinstance(delta, datetime.timedelta):
        return ""
    now = timezone.now()
    return timesince(now - delta, now)


VERDICT_COLOURS = {"go": "success", "go_with_conditions": "warning", "walk_away": "danger"}
ATTITUDE_COLOURS = {"supporter": "success", "neutral": "secondary", "skeptic": "danger"}
GAUGE_RADIUS = 52
GAUGE_CIRCUMFERENCE = 2 * 3.14159265 * GAUGE_RADIUS


@register.filter
def verdict_colour(verdict) -> str:
    return VERDICT_COLOURS.get(verdict, "secondary")


@register.filter
def verdict_label(verdict) -> str:
    from django.utils.translation import gettext

    labels = {"go": gettext("Go"), "go_with_conditions": gettext("Go with conditions"),
              "walk_away": gettext("Walk away")}
    return labels.get(verdict, verdict)


@register.filter
def attitude_colour(attitude) -> str:
    return ATTITUDE_COLOURS.get(attitude, "secondary")


@register.simple_tag
def gauge_dasharray(score) -> str:
    """The stroke-dasharray of the score gauge's arc (a full circle is 100 points)."""
    filled = max(0, min(100, int(score or 0))) * GAUGE_CIRCUMFERENCE / 100
    return f"{filled:.2f} {GAUGE_CIRCUMFERENCE:.2f}"


@register.simple_tag
def fix_url(fix, poc) -> str:
    """Where to go to fix a failed gate check (its `fix` says which part of the data)."""
    from django.urls import reverse

    poc_url = reverse("web:poc_detail", args=[poc.pk])
    return {
        "opportunity": reverse("web:opportunity_edit", args=[poc.opportunity_id]),
        "qualification": reverse("web:opportunity_edit", args=[poc.opportunity_id])
        + "#qualification",
        "stakeholders": reverse("web:stakeholder_create") + f"?opportunity={poc.opportunity_id}",
        "engagement": f"{poc_url}#engagement",
        "commitment": f"{poc_url}#commitment",
        "criteria": reverse("web:poc_plan", args=[poc.pk]) + "#criteria",
    }.get(fix, "")


@register.simple_tag
def commitment_badge(poc):
    level = poc.commitment_level
    colour = "secondary" if level == 0 else "info" if level == 1 else "primary" if level == 2 \
        else "success"
    return format_html('<span class="badge commitment-badge text-bg-{}" data-level="{}" '
                       'title="{}"><i class="bi bi-ladder me-1" aria-hidden="true"></i>{}</span>',
                       colour, level, poc._meta.get_field("commitment_level").verbose_name,
                       poc.get_commitment_level_display())


@register.filter
def target_text(spec) -> str:
    """A criterion's target in words and symbols ("≥ 120 t/h"), from a model or its content."""
    from pocdesk.criteria.measure import target_text as measure_target_text

    return measure_target_text(spec)


@register.filter
def short_hash(digest) -> str:
    """The first 12 hexadecimal digits of a SHA-256, enough to compare two printouts."""
    return str(digest or "")[:12]


@register.filter
def lookup(mapping, key):
    """mapping[key] in a template (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def version_label(which) -> str:
    """"Draft" or "Version 3" for one side of a plan diff."""
    from django.utils.translation import gettext

    if str(which) == "draft":
        return gettext("Draft")
    return gettext("Version %(number)s") % {"number": which}
