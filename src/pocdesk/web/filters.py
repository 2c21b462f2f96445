"""Filter forms of the list pages: they turn the query string into a selector's arguments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pocdesk.core.reference import country_choices
from pocdesk.opportunities.models import Stage
from pocdesk.people.selectors import team_list_visible, team_members
from pocdesk.pocs.models import PocType, Status

from .forms import UserChoiceField


class ListFilterForm(forms.Form):
    """Invalid values are ignored rather than refused: a list always renders."""

    search_placeholder = _("Search")

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    o = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput())

    def __init__(self, data=None, *, user):
        super().__init__(data=data)
        self.user = user
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update(
            placeholder=self.search_placeholder, autocomplete="off",
            title=_("Press / to jump here"))
        if "team" in self.fields:
            teams = team_list_visible(user=user)
            self.fields["team"].queryset = teams
            self.team_choices = list(teams)
            if len(self.team_choices) < 2:
                self.fields["team"].widget = forms.HiddenInput()
            if "owner" in self.fields:
                self.fields["owner"].queryset = team_members(
                    team_ids=[team.pk for team in self.team_choices])

    def values(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def active_filter_count(self) -> int:
        return len([name for name in self.values() if name not in ("q", "o")])


class POCFilterForm(ListFilterForm):
    search_placeholder = _("Search titles, opportunities, accounts")
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Status.choices])
    team = forms.ModelChoiceField(label=_("Team"), required=False, queryset=None,
                                  empty_label=_("All teams"))
    owner = UserChoiceField(label=_("Owner"), required=False, queryset=None,
                            empty_label=_("All owners"))
    poc_type = forms.ChoiceField(label=_("Type"), required=False,
                                 choices=[("", _("All types")), *PocType.choices])

    def selector_arguments(self) -> dict:
        values = self.values()
        return {
            "q": values.get("q", ""),
            "status": values.get("status", ""),
            "team_id": values["team"].pk if "team" in values else None,
            "owner_id": values["owner"].pk if "owner" in values else None,
            "poc_type": values.get("poc_type", ""),
            "ordering": values.get("o", "-updated"),
        }


class OpportunityFilterForm(ListFilterForm):
    search_placeholder = _("Search opportunities and accounts")
    ACTIVE = {"active": True, "closed": False}

    stage = forms.ChoiceField(label=_("Stage"), required=False,
                              choices=[("", _("All stages")), *Stage.choices])
    team = forms.ModelChoiceField(label=_("Team"), required=False, queryset=None,
                                  empty_label=_("All teams"))
    owner = UserChoiceField(label=_("Owner"), required=False, queryset=None,
                            empty_label=_("All owners"))
    state = forms.ChoiceField(label=_("Open or closed"), required=False, choices=[
        ("", _("Open and closed")), ("active", _("Open")), ("closed", _("Closed"))])

    def selector_arguments(self) -> dict:
        values = self.values()
        return {
            "q": values.get("q", ""),
            "stage": values.get("stage", ""),
            "team_id": values["team"].pk if "team" in values else None,
            "owner_id": values["owner"].pk if "owner" in values else None,
            "active": self.ACTIVE.get(values.get("state", "")),
            "ordering": values.get("o", "close"),
        }


class AccountFilterForm(ListFilterForm):
    search_placeholder = _("Search names and industries")
    team = forms.ModelChoiceField(label=_("Team"), required=False, queryset=None,
                                  empty_label=_("All teams"))
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, data=None, *, user):
        super().__init__(data, user=user)
        self.fields["country"].choices = [("", _("All countries")), *country_choices()]

    def selector_arguments(self) -> dict:
        values = self.values()
        return {
            "q": values.get("q", ""),
            "team_id": values["team"].pk if "team" in values else None,
            "country": values.get("country", ""),
            "ordering": values.get("o", "name"),
        }
