from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pocdesk.accounts.selectors import account_get, account_list
from pocdesk.accounts.services import account_create, account_update
from pocdesk.core.errors import ValidationFailed
from pocdesk.opportunities.selectors import opportunity_list

from ..errors import add_service_errors, page
from ..exports import ACCOUNT_COLUMNS
from ..filters import AccountFilterForm
from ..forms import AccountForm
from ..lists import render_list

EDIT_FIELDS = ("name", "country", "industry", "size", "currency", "website", "notes")


def _account_url(account) -> str:
    return reverse("web:account_detail", args=[account.pk])


@page
def account_list_page(request):
    filters = AccountFilterForm(request.GET or None, user=request.user)
    arguments = filters.selector_arguments()
    return render_list(
        request, queryset=account_list(user=request.user, **arguments),
        template_name="web/accounts/list.html", context={"filters": filters},
        export=ACCOUNT_COLUMNS, export_name="accounts", ordering=arguments["ordering"],
    )


@page
def account_detail(request, account_id: int):
    account = account_get(user=request.user, account_id=account_id)
    return render(request, "web/accounts/detail.html", {
        "account": account,
        "opportunities": opportunity_list(user=request.user, account_id=account.pk),
        "can_edit": request.user.has_perm("pocdesk.edit_commercial", account),
    })


@page
def account_create_page(request):
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account = account_create(actor=request.user, **form.cleaned_data)
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Account “%(name)s” created.") % {"name": account.name})
            return redirect(_account_url(account))
    return render(request, "web/accounts/form.html", {"form": form})


@page
def account_edit_page(request, account_id: int):
    account = account_get(user=request.user, account_id=account_id)
    form = AccountForm(request.POST or None, user=request.user, editing=True,
                       initial={name: getattr(account, name) for name in EDIT_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            account = account_update(actor=request.user, account=account, **form.cleaned_data)
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Account “%(name)s” saved.") % {"name": account.name})
            return redirect(_account_url(account))
    return render(request, "web/accounts/form.html", {"form": form, "account": account})
