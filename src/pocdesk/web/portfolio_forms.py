"""The filter bars of the portfolio and the priorities: they read the query string;
`portfolio_filters` then checks the team and owner against what the user may see, and its
errors come back under these fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pocdesk.accounts.selectors import industries_visible
from pocdesk.people.selectors import team_list_visible, team_members, user_label
from pocdesk.web.forms import DateInput


class TeamOwnerFilterForm(forms.Form):
    """A team the user sees and a member of those teams; the priorities page's whole bar."""

    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int,
                                  empty_value=None)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int,
                                   empty_value=None)

    def __init__(self, data=None, *, user):
        super().__init__(data=data)
        teams = list(team_list_visible(user=user))
        team_ids = [team.pk for team in teams]
        self.fields["team"].choices = [("", _("All teams")),
                                       *[(team.pk, team.name) for team in teams]]
        self.fields["owner"].choices = [("", _("All owners")), *[
            (member.pk, user_label(member)) for member in team_members(team_ids=team_ids)]]


class PortfolioFilterForm(TeamOwnerFilterForm):
    since = forms.DateField(label=pgettext_lazy("period", "From"), required=False,
                            widget=DateInput())
    until = forms.DateField(label=pgettext_lazy("period", "To"), required=False,
                            widget=DateInput())
    industry = forms.ChoiceField(label=_("Industry"), required=False)

    field_order = ["since", "until", "team", "owner", "industry"]

    def __init__(self, data=None, *, user):
        super().__init__(data=data, user=user)
        self.fields["industry"].choices = [("", _("All industries")), *[
            (name, name) for name in industries_visible(user=user)]]

    def arguments(self) -> dict:
        """The filters for `portfolio_filters` (call after is_valid)."""
        data = self.cleaned_data
        return {"team": data.get("team"), "owner": data.get("owner"),
                "industry": data.get("industry") or "", "since": data.get("since"),
                "until": data.get("until")}
