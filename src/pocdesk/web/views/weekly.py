"""The weekly status report of a POC (§8.5): the page, its PDF and sending it by e-mail.

`?week=` is any day of the week; a week outside the POC's life shows the nearest one.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from pocdesk.core.errors import ValidationFailed
from pocdesk.people.selectors import team_members
from pocdesk.pocs.selectors import poc_get
from pocdesk.qualification.selectors import decision_chain_stakeholders
from pocdesk.reports.weekly import (
    default_week,
    parse_week,
    poc_weeks,
    week_bounds,
    weekly_report,
)
from pocdesk.reports.weekly_display import weekly_display, weekly_labels
from pocdesk.reports.weekly_send import weekly_report_send
from pocdesk.stakeholders.models import Side

from ..errors import add_service_errors, page
from ..weekly_forms import WeeklySendForm


def weekly_url(poc, week) -> str:
    return f"{reverse('web:poc_weekly', args=[poc.pk])}?week={week.isoformat()}"


def _week(poc, source) -> tuple:
    """The Monday asked for, brought inside the POC's life, and whether it had to move."""
    asked = parse_week(source.get("week"))
    monday = default_week(poc=poc, day=asked)
    return monday, asked is not None and week_bounds(asked)[0] != monday


def send_form(request, poc, *, data=None) -> WeeklySendForm:
    customers = [s for s in decision_chain_stakeholders(opportunity=poc.opportunity)
                 if s.side == Side.CUSTOMER]
    return WeeklySendForm(data, customers=customers,
                          members=team_members(team_ids=[poc.team_id]))


def weekly_context(request, poc, *, week, moved: bool = False, form=None) -> dict:
    report = weekly_report(poc=poc, week_start=week)
    first, last = poc_weeks(poc=poc)
    can_send = request.user.has_perm("pocdesk.edit_poc", poc)
    context = {
        "poc": poc,
        "weekly": weekly_display(report),
        "labels": weekly_labels(),
        "report": report,
        "week": week,
        "first_week": first,
        "last_week": last,
        "moved": moved,
        "can_send": can_send,
        "send_open": form is not None,
    }
    if can_send:
        context["form"] = form or send_form(request, poc)
    return context


@require_GET
@page
def poc_weekly(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    week, moved = _week(poc, request.GET)
    return render(request, "web/weekly/page.html", weekly_context(request, poc, week=week,
                                                                  moved=moved))


@require_GET
@page
def poc_weekly_pdf(request, poc_id: int):
    from pocdesk.reports.documents import attachment_response, render_document

    poc = poc_get(user=request.user, poc_id=poc_id)
    week, _moved = _week(poc, request.GET)
    return attachment_response(render_document(actor=request.user, poc=poc, kind="weekly",
                                               fmt="pdf", week=week))


@require_POST
@page
def poc_weekly_send(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    week, _moved = _week(poc, request.POST)
    form = send_form(request, poc, data=request.POST)
    if form.is_valid():
        try:
            recipients = weekly_report_send(actor=request.user, poc=poc,
                                            week_start=week, **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, ngettext(
                "Weekly report sent to %(names)s.", "Weekly report sent to %(count)d people: "
                "%(names)s.", len(recipients)) % {
                "count": len(recipients),
                "names": ", ".join(recipient.name for recipient in recipients)})
            return redirect(weekly_url(poc, week))
    messages.error(request, _("The report was not sent: see the errors under the form."))
    return render(request, "web/weekly/page.html",
                  weekly_context(request, poc, week=week, form=form), status=400)
