"""The demo company: teams, exchange rates, people and memberships."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from pocdesk.opportunities.models import ExchangeRate
from pocdesk.people.models import Team
from pocdesk.people.services import team_member_add, user_create
from pocdesk.qualification.services import qualification_policy_update

from .people import ADMIN, DEMO_PEOPLE, DEMO_TEAMS

# Value of one unit in US dollars; every pair's rate is derived from it.
USD_VALUE = {
    "USD": Decimal("1"),
    "EUR": Decimal("1.14"),
    "GBP": Decimal("1.33"),
    "CNY": Decimal("0.14"),
}


@dataclass
class Cast:
    """Who and where, by username and team slug, for the stories."""

    users: dict = field(default_factory=dict)
    teams: dict = field(default_factory=dict)

    def user(self, username: str):
        return self.users[username]

    def team(self, slug: str) -> Team:
        return self.teams[slug]


def exchange_rates_seed() -> list[ExchangeRate]:
    valid_from = timezone.localdate() - datetime.timedelta(days=730)
    rates = [
        ExchangeRate(currency=currency, reporting_currency=reporting, valid_from=valid_from,
                     rate=(USD_VALUE[currency] / USD_VALUE[reporting]).quantize(Decimal("0.00000001")))
        for currency in USD_VALUE for reporting in USD_VALUE if currency != reporting
    ]
    return ExchangeRate.objects.bulk_create(rates)


def company_seed() -> Cast:
    cast = Cast()
    for demo_team in DEMO_TEAMS:
        cast.teams[demo_team.slug] = Team.objects.create(
            slug=demo_team.slug, name=demo_team.name,
            reporting_currency=demo_team.reporting_currency, description=demo_team.description)
    exchange_rates_seed()
    # One hash for every demo login: the password is public, and hashing it once per user
    # with the production hasher costs over half a second each.
    demo_password = make_password(settings.POCDESK_DEMO_PASSWORD)
    for person in DEMO_PEOPLE:
        user = user_create(
            username=person.username, password=None, email=person.email,
            first_name=person.first_name, last_name=person.last_name,
            is_staff=person.role == ADMIN, language=person.language,
            time_zone=person.time_zone, display_name=person.display_name)
        user.password = demo_password
        user.save(update_fields=["password"])
        cast.users[person.username] = user
    admin = cast.user("admin")
    for person in DEMO_PEOPLE:
        for slug in person.teams:
            team_member_add(actor=admin, team=cast.team(slug), user=cast.user(person.username),
                            role=person.role)
    # Capital equipment sells over 9–18 months: the heavy-equipment team flags an evaluation
    # open for more than a year, not the default half-year (§4.2).
    qualification_policy_update(actor=cast.user("manager"), team=cast.team("heavy-equipment"),
                                max_open_days=365)
    return cast
