"""The governance page of a POC (§8.3): warnings, the meeting cadence, action items and
meetings.

Every form posts to its own view; a refused one comes back on the page with the service's
errors under its fields, the other forms untouched. Marking an action item done or cancelled
answers htmx with the new row and the refreshed warnings.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocdesk.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from pocdesk.governance.models import ActionStatus, MeetingType
from pocdesk.governance.selectors import (
    action_item_get,
    action_items_for_poc,
    cadence_for,
    governance_summary,
    meeting_get,
    meetings_for_poc,
)
from pocdesk.governance.services import (
    action_item_create,
    action_item_update,
    cadence_update,
    meeting_create,
    meeting_delete,
    meeting_update,
)
from pocdesk.pocs.lifecycle import is_open
from pocdesk.pocs.selectors import poc_get

from ..errors import add_service_errors, is_htmx_swap, page, refusal_redirect
from ..governance_display import (
    decorate_action_items,
    decorate_meetings,
    decorate_types,
    decorate_warnings,
    type_display,
)
from ..governance_forms import ActionItemForm, ActionStatusForm, CadenceForm, MeetingForm
from ..timebox_forms import customer_choices, member_choices

TEMPLATE = "web/governance/page.html"


def governance_url(poc, anchor: str = "") -> str:
    return reverse("web:poc_governance", args=[poc.pk]) + (f"#{anchor}" if anchor else "")


def can_edit_governance(user, poc) -> bool:
    return is_open(poc) and user.has_perm("pocdesk.edit_poc", poc)


def _meeting_choices(meetings) -> list[tuple[str, str]]:
    return [(str(m.pk), f"{date_format(m.date, 'SHORT_DATE_FORMAT')} · {m.label}")
            for m in meetings]


def meeting_form(poc, data=None, *, meeting=None, people=None, user=None) -> MeetingForm:
    """The record form (our attendees start with whoever records it) or a meeting's form."""
    members, customers = people or (member_choices(poc), customer_choices(poc))
    form = MeetingForm(data, customers=customers, members=members, meeting=meeting,
                       with_actions=meeting is None)
    if meeting is None and user is not None and any(pk == user.pk for pk, _name in members):
        form.initial["vendor_attendees"] = [str(user.pk)]
    return form


def governance_context(request, poc, *, cadence_sent=None, meeting_sent=None,
                       action_sent=None, refusal: str = "") -> dict:
    """Everything the governance page shows, with the one form sent back with errors."""
    today = timezone.localdate()
    summary = governance_summary(poc=poc, today=today)
    meetings = decorate_meetings(meetings_for_poc(poc=poc), today)
    items = decorate_action_items(action_items_for_poc(poc=poc, today=today), today)
    can_edit = can_edit_governance(request.user, poc)
    context = {
        "poc": poc,
        "today": today,
        "summary": summary,
        "cadence": summary["cadence"],
        "types": decorate_types(summary["types"], today),
        "warnings": decorate_warnings(summary["warnings"]),
        "watched": summary["watched"],
        "meetings": meetings,
        "action_items": items,
        "open_items": [item for item in items if item.is_open],
        "closed_items": [item for item in items if not item.is_open],
        "can_edit": can_edit,
        "is_over": not is_open(poc),
        "refusal": refusal,
        "meeting_types": [type_display(value) | {"value": value}
                          for value in MeetingType.values],
    }
    if can_edit:
        people = (member_choices(poc), customer_choices(poc))
        context.update(
            cadence_form=cadence_sent or CadenceForm(cadence=summary["cadence"]),
            meeting_form=meeting_sent or meeting_form(poc, people=people, user=request.user),
            action_form=action_sent or ActionItemForm(
                members=people[0], customers=people[1], meetings=_meeting_choices(meetings)),
            has_customers=bool(people[1]))
    return context


def render_governance(request, poc, *, status: int = 200, **kwargs):
    return render(request, TEMPLATE, governance_context(request, poc, **kwargs), status=status)


def _refused(request, poc, error: ApplicationError, *, anchor: str):
    """A refusal that is neither a field error nor a 403/404 (a closed POC): a message."""
    return refusal_redirect(request, error, governance_url(poc, anchor))


@page
def poc_governance(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    return render_governance(request, poc)


@require_POST
@page
def cadence_update_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = CadenceForm(request.POST, cadence=cadence_for(poc=poc))
    if form.is_valid():
        try:
            cadence_update(actor=request.user, poc=poc, **form.cleaned_data)
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            return _refused(request, poc, error, anchor="cadence")
        else:
            messages.success(request, _("Meeting cadence saved."))
            return redirect(governance_url(poc, "cadence"))
    return render_governance(request, poc, status=400, cadence_sent=form)


@require_POST
@page
def meeting_create_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = meeting_form(poc, request.POST)
    if form.is_valid():
        try:
            meeting = meeting_create(actor=request.user, poc=poc, **form.service_arguments())
        except ValidationFailed as error:
            form.add_service_errors(error.fields)
        except ApplicationError as error:
            return _refused(request, poc, error, anchor="meetings")
        else:
            messages.success(request, _("Meeting “%(meeting)s” of %(date)s recorded.") % {
                "meeting": meeting.label,
                "date": date_format(meeting.date, "SHORT_DATE_FORMAT")})
            return redirect(governance_url(poc, f"meeting-{meeting.pk}"))
    return render_governance(request, poc, status=400, meeting_sent=form)


@page
def meeting_edit_page(request, poc_id: int, meeting_id: int):
    """Correct a meeting, or record how a planned one went."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    meeting = meeting_get(poc=poc, meeting_id=meeting_id)
    if not can_edit_governance(request.user, poc):
        raise PermissionDenied()
    status = 200
    if request.method == "POST":
        form = meeting_form(poc, request.POST, meeting=meeting)
        status = 400
        if form.is_valid():
            try:
                meeting_update(actor=request.user, meeting=meeting,
                               **form.service_arguments())
            except ValidationFailed as error:
                form.add_service_errors(error.fields)
            except ApplicationError as error:
                return _refused(request, poc, error, anchor=f"meeting-{meeting.pk}")
            else:
                messages.success(request, _("Meeting “%(meeting)s” saved.") % {
                    "meeting": meeting_get(poc=poc, meeting_id=meeting.pk).label})
                return redirect(governance_url(poc, f"meeting-{meeting.pk}"))
    else:
        form = meeting_form(poc, meeting=meeting)
    return render(request, "web/governance/meeting_edit.html", {
        "poc": poc, "meeting": meeting, "form": form, "type": type_display(
            meeting.meeting_type)}, status=status)


@require_POST
@page
def meeting_delete_page(request, poc_id: int, meeting_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    meeting = meeting_get(poc=poc, meeting_id=meeting_id)
    try:
        meeting_delete(actor=request.user, meeting=meeting)
    except PermissionDenied as error:
        messages.error(request, error.message)
        return redirect(governance_url(poc, f"meeting-{meeting.pk}"))
    except ApplicationError as error:
        return _refused(request, poc, error, anchor="meetings")
    messages.success(request, _("Meeting “%(meeting)s” deleted; its action items stay.")
                     % {"meeting": meeting.label})
    return redirect(governance_url(poc, "meetings"))


@require_POST
@page
def action_item_create_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = ActionItemForm(request.POST, members=member_choices(poc),
                          customers=customer_choices(poc),
                          meetings=_meeting_choices(meetings_for_poc(poc=poc)))
    if form.is_valid():
        try:
            item = action_item_create(actor=request.user, poc=poc, **form.service_arguments())
        except ValidationFailed as error:
            form.add_service_errors(error.fields)
        except ApplicationError as error:
            return _refused(request, poc, error, anchor="action-items")
        else:
            messages.success(request, _("Action item “%(item)s” added.") % {"item": item})
            return redirect(governance_url(poc, f"action-{item.pk}"))
    return render_governance(request, poc, status=400, action_sent=form)


@require_POST
@page
def action_item_status_page(request, poc_id: int, action_item_id: int):
    """Done, cancelled or open again: the new row and warnings for htmx, else a redirect."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    item = action_item_get(poc=poc, action_item_id=action_item_id)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose done, cancelled or open."))
        return redirect(governance_url(poc, f"action-{item.pk}"))
    status = form.cleaned_data["status"]
    try:
        action_item_update(actor=request.user, action_item=item, status=status)
    except ApplicationError as error:
        if is_htmx_swap(request) and not isinstance(error, NotFound | PermissionDenied):
            return HttpResponse(error.message, status=error.status)
        return _refused(request, poc, error, anchor=f"action-{item.pk}")
    if is_htmx_swap(request):
        return _status_fragment(request, poc, item.pk)
    messages.success(request, {
        ActionStatus.DONE: _("“%(item)s” is done."),
        ActionStatus.CANCELLED: _("“%(item)s” is cancelled."),
    }.get(status, _("“%(item)s” is open again.")) % {"item": item})
    return redirect(governance_url(poc, f"action-{item.pk}"))


def _status_fragment(request, poc, item_id: int) -> HttpResponse:
    """The changed row, and the warnings and counts swapped out of band."""
    today = timezone.localdate()
    summary = governance_summary(poc=poc, today=today)
    item = decorate_action_items([action_item_get(poc=poc, action_item_id=item_id)], today)[0]
    context = {"poc": poc, "item": item, "can_edit": True, "summary": summary,
               "warnings": decorate_warnings(summary["warnings"]), "oob": True,
               "watched": True, "today": today}
    names = ["action_row", "warnings", "action_counts"]
    if item.meeting_id:
        names.append("meeting_action")
    html = "".join(render_to_string(f"web/governance/{name}.html", context, request=request)
                   for name in names)
    return HttpResponse(html)
