from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocdesk.core.errors import ApplicationError, TransitionRefused, ValidationFailed
from pocdesk.opportunities.selectors import opportunity_get
from pocdesk.pocs.lifecycle import allowed_targets, is_open
from pocdesk.pocs.models import Status
from pocdesk.pocs.selectors import poc_events, poc_get, poc_list
from pocdesk.pocs.services import poc_create, poc_transition, poc_update
from pocdesk.qualification.selectors import qualification_panel

from ..errors import add_service_errors, page, refusal_html
from ..execution_display import execution_card
from ..exports import EXPORT_FORMATS, POC_COLUMNS
from ..filters import POCFilterForm
from ..forms import (
    CommitmentForm,
    EngagementForm,
    OverrideForm,
    POCForm,
    RedFlagsForm,
    TransitionForm,
)
from ..governance_display import governance_card
from ..lists import decorate_poc_rows, poc_list_columns, render_list, with_poc_columns
from ..plan_display import plan_summary
from ..results_display import results_card
from ..scope_display import scope_card
from ..timebox_display import timebox_card

EVENTS_PER_PAGE = 15
# Until a POC is agreed its dates are a plan; then only an approved extension moves them (the
# service refuses with `timebox_agreed`): the form shows them read-only.
DATES_EDITABLE_STATUSES = {Status.DRAFT, Status.QUALIFIED}
EDIT_FIELDS = ("title", "objective", "poc_type", "owner", "language", "start_date", "end_date",
               "planned_effort_hours")


def _poc_url(poc) -> str:
    return reverse("web:poc_detail", args=[poc.pk])


@page
def poc_list_page(request):
    filters = POCFilterForm(request.GET or None, user=request.user)
    arguments = filters.selector_arguments()
    queryset = poc_list_columns(poc_list(user=request.user, **arguments),
                                ordering=arguments["ordering"])
    if request.GET.get("format") in EXPORT_FORMATS:
        queryset = with_poc_columns(queryset)
    return render_list(
        request, queryset=queryset,
        template_name="web/pocs/list.html", context={"filters": filters},
        export=POC_COLUMNS, export_name="pocs", ordering=arguments["ordering"],
        decorate=decorate_poc_rows,
    )


COMMITMENT_FIELDS = ("commitment_level", "commitment_reference", "funded_amount", "funded_share",
                     "conditional_po_reference", "conditional_po_value",
                     "conditional_po_criteria")
RED_FLAG_FIELDS = ("customer_evasive", "free_production_use", "red_flag_notes")


def _detail_context(request, poc, *, transition_form=None, override_form=None,
                    commitment_form=None, engagement_form=None, red_flags_form=None):
    """The POC page: its fields, timeline and qualification panel, with any form sent back."""
    events = Paginator(poc_events(user=request.user, poc=poc), EVENTS_PER_PAGE).get_page(1)
    panel = qualification_panel(poc=poc)
    opportunity = poc.opportunity
    plan = plan_summary(poc=poc)
    return {
        "poc": poc,
        "events": events,
        "transitions": [Status(target) for target in allowed_targets(poc.status)],
        "can_transition": request.user.has_perm("pocdesk.transition_poc", poc),
        "can_edit": request.user.has_perm("pocdesk.edit_poc", poc),
        "can_edit_commercial": request.user.has_perm("pocdesk.edit_commercial", poc),
        "can_override": (poc.status == Status.DRAFT and bool(panel["result"].unmet_mandatory)
                         and request.user.has_perm("pocdesk.manage_team", poc)),
        "transition_form": transition_form or TransitionForm(),
        "override_form": override_form or OverrideForm(),
        "commitment_form": commitment_form or CommitmentForm(
            initial={name: getattr(poc, name) for name in COMMITMENT_FIELDS}),
        "engagement_form": engagement_form or EngagementForm(
            stakeholders=panel["customer_stakeholders"],
            initial={"date": timezone.localdate()}),
        "red_flags_form": red_flags_form or RedFlagsForm(
            initial={name: getattr(opportunity, name) for name in RED_FLAG_FIELDS}),
        "plan": plan,
        "timebox": timebox_card(request=request, poc=poc, agreement=plan["agreement"]),
        "scope": scope_card(request=request, poc=poc),
        "execution": execution_card(request=request, poc=poc),
        "governance": governance_card(request=request, poc=poc),
        "results": results_card(request=request, poc=poc),
        "is_over": not is_open(poc),  # the qualification gate is history: nothing is missing
        **panel,
    }


@page
def poc_detail(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    return render(request, "web/pocs/detail.html", _detail_context(request, poc))


@page
def poc_timeline(request, poc_id: int):
    """More of the timeline: the next items for htmx, or a page of its own without JavaScript."""
    poc = poc_get(user=request.user, poc_id=poc_id)
    events = Paginator(poc_events(user=request.user, poc=poc), EVENTS_PER_PAGE).get_page(
        request.GET.get("page"))
    context = {"poc": poc, "events": events}
    if getattr(request, "htmx", False):
        return render(request, "web/pocs/detail.html#timeline-items", context)
    return render(request, "web/pocs/timeline.html", context)


@require_POST
@page
def poc_transition_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the proposed next steps."))
        return redirect(_poc_url(poc))
    target = form.cleaned_data["to"]
    try:
        poc = poc_transition(actor=request.user, poc=poc, to=target,
                             reason=form.cleaned_data["reason"])
    except TransitionRefused as refusal:
        context = _detail_context(request, poc, transition_form=form)
        context["refusal"] = refusal_html(refusal, heading=_(
            "The POC cannot move to “%(status)s” yet:") % {"status": Status(target).label})
        return render(request, "web/pocs/detail.html", context, status=409)
    except ValidationFailed as error:
        messages.error(request, " ".join(
            message for field_messages in error.fields.values() for message in field_messages))
        return redirect(_poc_url(poc))
    messages.success(request, _("The POC is now “%(status)s”.") % {
        "status": poc.get_status_display()})
    return redirect(_poc_url(poc))


@page
def poc_create_page(request):
    opportunity = None
    opportunity_id = request.GET.get("opportunity", "")
    if opportunity_id.isdigit():
        opportunity = opportunity_get(user=request.user, opportunity_id=int(opportunity_id))
    initial = {"owner": request.user.pk, "language": request.LANGUAGE_CODE,
               "opportunity": opportunity.pk if opportunity else None}
    team_ids = [opportunity.team_id] if opportunity else None
    form = POCForm(request.POST or None, user=request.user, initial=initial, team_ids=team_ids,
                   can_approve=_can_approve_duration(request.user, team_ids))
    if request.method == "POST" and form.is_valid():
        try:
            poc = poc_create(actor=request.user, **form.cleaned_data)
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("POC “%(title)s” created.") % {"title": poc.title})
            return redirect(_poc_url(poc))
    return render(request, "web/pocs/form.html", {"form": form, "opportunity": opportunity})


@page
def poc_edit_page(request, poc_id: int):
    poc = poc_get(user=request.user, poc_id=poc_id)
    initial = {name: getattr(poc, name) for name in EDIT_FIELDS}
    initial["owner"] = poc.owner_id
    dates_locked = poc.status not in DATES_EDITABLE_STATUSES
    form = POCForm(request.POST or None, user=request.user, initial=initial,
                   team_ids=[poc.team_id], editing=True, dates_locked=dates_locked,
                   can_approve=_can_approve_duration(request.user, [poc.team_id]))
    status, timebox_agreed = 200, False
    if request.method == "POST" and form.is_valid():
        try:
            poc = poc_update(actor=request.user, poc=poc, **form.cleaned_data)
        except ValidationFailed as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            if error.code != "timebox_agreed":
                raise
            # The dates changed since the form was shown (or were forced): say where to go.
            for name in error.details.get("fields") or ("end_date",):
                form.add_error(name, error.message)
            status, timebox_agreed = 409, True
        else:
            messages.success(request, _("POC “%(title)s” saved.") % {"title": poc.title})
            return redirect(_poc_url(poc))
    return render(request, "web/pocs/form.html", {
        "form": form, "poc": poc, "dates_locked": dates_locked,
        "timebox_agreed": timebox_agreed}, status=status)


def _can_approve_duration(user, team_ids) -> bool:
    """Whether to offer the manager's approval of a timebox longer than the team's maximum;
    the service checks it again."""
    from pocdesk.people.models import Team
    from pocdesk.people.selectors import team_list_visible

    if team_ids is None:
        team_ids = list(team_list_visible(user=user).values_list("pk", flat=True))
    return any(user.has_perm("pocdesk.manage_team", Team(pk=team_id)) for team_id in team_ids)
