"""Turn ids (from a form or the API) into the people a POC's records may name.

A milestone's owner, a scope-change requester or a commitment's recipient must belong to the
POC's deal: vendor people are members of the POC's team, customer people are stakeholders of
its decision chain. Anything else is refused by field, so an id from another team never links.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Side


class DealPeople:
    """Who may be named on one POC's records; each list is read at most once."""

    def __init__(self, poc) -> None:
        self.poc = poc
        self._members = None
        self._customers = None

    def member(self, value, field: str, errors: dict):
        """The team member `value` (a user or an id), or None with an error under `field`."""
        if value in (None, ""):
            return None
        if self._members is None:
            from pocdesk.people.models import Membership

            self._members = {m.user_id: m.user for m in Membership.objects.filter(
                team_id=self.poc.team_id).select_related("user")}
        user = self._members.get(_int(getattr(value, "pk", value)))
        if user is None:
            errors[field] = [_("Choose a member of the POC's team.")]
        return user

    def customer(self, value, field: str, errors: dict):
        """The customer stakeholder `value` of the deal, or None with an error under `field`."""
        if value in (None, ""):
            return None
        if self._customers is None:
            from pocdesk.qualification.selectors import decision_chain_stakeholders

            self._customers = {s.pk: s for s in decision_chain_stakeholders(
                opportunity=self.poc.opportunity) if s.side == Side.CUSTOMER}
        stakeholder = self._customers.get(_int(getattr(value, "pk", value)))
        if stakeholder is None:
            errors[field] = [_("Choose a customer stakeholder of this deal.")]
        return stakeholder


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
