from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pocdesk.accounts.selectors import account_get
from pocdesk.core.errors import ValidationFailed
from pocdesk.opportunities.selectors import opportunity_get, opportunity_list
from pocdesk.opportunities.services import opportunity_create, opportunity_update
from pocdesk.pocs.selectors import poc_list
from pocdesk.stakeholders.selectors import opportunity_decision_chain

from ..errors import add_service_errors, page
from ..exports import OPPORTUNITY_COLUMNS
from ..filters import OpportunityFilterForm
from ..forms import CompetitorFormSet, OpportunityForm, competitor_rows
from ..lists import render_list
from .assessments import assessment_card_context

EDIT_FIELDS = ("name", "amount", "currency", "expected_close_date", "stage", "owner", "source",
               "description", "purchase_process", "purchase_reference", "budget_confirmed",
               "budget_amount", "budget_confirmed_by", "budget_confirmed_on", "decision_date",
               "nda_signed", "nda_reference")


def _opportunity_url(opportunity) -> str:
    return reverse("web:opportunity_detail", args=[opportunity.pk])


@page
def opportunity_list_page(request):
    filters = OpportunityFilterForm(request.GET or None, user=request.user)
    arguments = filters.selector_arguments()
    return render_list(
        request, queryset=opportunity_list(user=request.user, **arguments),
        template_name="web/opportunities/list.html", context={"filters": filters},
        export=OPPORTUNITY_COLUMNS, export_name="opportunities", ordering=arguments["ordering"],
    )


def opportunity_detail_context(request, opportunity, *, assessment_form=None,
                               override_form=None) -> dict:
    """The page's context; `assessment_form` and `override_form` are refused forms of the win
    probability card, shown again with their errors."""
    pocs = poc_list(user=request.user, opportunity_id=opportunity.pk, ordering="-created")
    can_add_poc = opportunity.is_active and request.user.has_perm("pocdesk.edit_poc",
                                                                   opportunity)
    return {
        "opportunity": opportunity,
        "pocs": pocs,
        "can_edit": request.user.has_perm("pocdesk.edit_commercial", opportunity),
        "can_edit_stakeholders": request.user.has_perm("pocdesk.edit_poc", opportunity),
        **opportunity_decision_chain(user=request.user, opportunity=opportunity),
        "can_add_poc": can_add_poc,
        **assessment_card_context(request, opportunity, pocs=pocs, can_record=can_add_poc,
                                  form=assessment_form, override_form=override_form),
    }


@page
def opportunity_detail(request, opportunity_id: int):
    opportunity = opportunity_get(user=request.user, opportunity_id=opportunity_id)
    return render(request, "web/opportunities/detail.html",
                  opportunity_detail_context(request, opportunity))


def _both_valid(form, competitors) -> bool:
    form_valid = form.is_valid()
    return competitors.is_valid() and form_valid


@page
def opportunity_create_page(request):
    account = None
    account_id = request.GET.get("account", "")
    if account_id.isdigit():
        account = account_get(user=request.user, account_id=int(account_id))
    initial = {"owner": request.user.pk}
    if account is not None:
        initial.update(account=account.pk, currency=account.currency)
    form = OpportunityForm(request.POST or None, user=request.user, initial=initial,
                           team_ids=[account.team_id] if account else None)
    competitors = CompetitorFormSet(request.POST or None, prefix="competitors")
    if request.method == "POST" and _both_valid(form, competitors):
        try:
            opportunity = opportunity_create(actor=request.user, **form.service_arguments(),
                                             competitors=competitor_rows(competitors))
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Opportunity “%(name)s” created.") % {
                "name": opportunity.name})
            return redirect(_opportunity_url(opportunity))
    return render(request, "web/opportunities/form.html", {
        "form": form, "competitors": competitors, "account": account})


@page
def opportunity_edit_page(request, opportunity_id: int):
    opportunity = opportunity_get(user=request.user, opportunity_id=opportunity_id)
    initial = {name: getattr(opportunity, name) for name in EDIT_FIELDS}
    initial["owner"] = opportunity.owner_id
    form = OpportunityForm(request.POST or None, request.FILES or None, user=request.user,
                           initial=initial, team_ids=[opportunity.team_id], editing=True,
                           current_rate=opportunity.exchange_rate)
    competitors = CompetitorFormSet(
        request.POST or None, prefix="competitors",
        initial=[{"name": competitor.name, "position": competitor.position}
                 for competitor in opportunity.competitors.all()],
    )
    if request.method == "POST" and _both_valid(form, competitors):
        try:
            opportunity = opportunity_update(actor=request.user, opportunity=opportunity,
                                             **form.service_arguments(),
                                             competitors=competitor_rows(competitors))
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Opportunity “%(name)s” saved.") % {
                "name": opportunity.name})
            return redirect(_opportunity_url(opportunity))
    return render(request, "web/opportunities/form.html", {
        "form": form, "competitors": competitors, "opportunity": opportunity})
