"""Creating and editing the people of a decision chain."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pocdesk.accounts.selectors import account_get
from pocdesk.core.errors import ValidationFailed
from pocdesk.opportunities.selectors import opportunity_get
from pocdesk.stakeholders.selectors import stakeholder_get
from pocdesk.stakeholders.services import stakeholder_create, stakeholder_update

from ..errors import add_service_errors, page
from ..forms import StakeholderForm

EDIT_FIELDS = ("name", "title", "side", "role", "influence", "attitude", "needs_surface",
               "needs_middle", "needs_deep", "email", "phone", "notes")


def _back_url(stakeholder) -> str:
    if stakeholder.opportunity_id:
        return reverse("web:opportunity_detail", args=[stakeholder.opportunity_id])
    return reverse("web:account_detail", args=[stakeholder.account_id])


@page
def stakeholder_create_page(request):
    opportunity = account = None
    opportunity_id = request.GET.get("opportunity", "")
    account_id = request.GET.get("account", "")
    if opportunity_id.isdigit():
        opportunity = opportunity_get(user=request.user, opportunity_id=int(opportunity_id))
        account = opportunity.account
    elif account_id.isdigit():
        account = account_get(user=request.user, account_id=int(account_id))
    form = StakeholderForm(request.POST or None, user=request.user, account=account,
                           initial={"opportunity": opportunity.pk if opportunity else None})
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder = stakeholder_create(
                actor=request.user, account=account or form.cleaned_data["account"],
                **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Stakeholder “%(name)s” added.") % {
                "name": stakeholder.name})
            return redirect(_back_url(stakeholder))
    return render(request, "web/stakeholders/form.html", {
        "form": form, "account": account, "opportunity": opportunity})


@page
def stakeholder_edit_page(request, stakeholder_id: int):
    stakeholder = stakeholder_get(user=request.user, stakeholder_id=stakeholder_id)
    initial = {name: getattr(stakeholder, name) for name in EDIT_FIELDS}
    initial.update(opportunity=stakeholder.opportunity_id, reports_to=stakeholder.reports_to_id)
    form = StakeholderForm(request.POST or None, user=request.user, account=stakeholder.account,
                           stakeholder=stakeholder, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder = stakeholder_update(actor=request.user, stakeholder=stakeholder,
                                             **form.service_arguments())
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Stakeholder “%(name)s” saved.") % {
                "name": stakeholder.name})
            return redirect(_back_url(stakeholder))
    return render(request, "web/stakeholders/form.html", {
        "form": form, "stakeholder": stakeholder, "account": stakeholder.account,
        "opportunity": stakeholder.opportunity})
