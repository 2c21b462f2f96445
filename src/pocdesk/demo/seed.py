"""Seeding the demo company once, all or nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from pocdesk.people.models import Team

from .clock import StoryClock, settle_object_times
from .closing import loss_reasons_ensure, results_policy_seed
from .company import Cast, company_seed
from .extras import EXTRA_STORIES
from .insights import insights_seed
from .people import DEMO_TEAMS, DEMO_USERNAMES
from .plan_templates import agreement_templates_seed
from .stories import SEVEN_STORIES

STORIES = SEVEN_STORIES + EXTRA_STORIES
DEMO_TEAM_SLUGS = tuple(team.slug for team in DEMO_TEAMS)


def demo_existing() -> tuple[set[str], set[str]]:
    """The demo's team slugs and usernames already in the database."""
    slugs = set(Team.objects.filter(slug__in=DEMO_TEAM_SLUGS).values_list("slug", flat=True))
    usernames = set(get_user_model().objects.filter(username__in=DEMO_USERNAMES)
                    .values_list("username", flat=True))
    return slugs, usernames


def demo_is_seeded() -> bool:
    slugs, usernames = demo_existing()
    return slugs == set(DEMO_TEAM_SLUGS) and usernames == set(DEMO_USERNAMES)


def demo_teams() -> list[Team]:
    return list(Team.objects.filter(slug__in=DEMO_TEAM_SLUGS).order_by("pk"))


@transaction.atomic
def demo_seed() -> Cast:
    """The company, its people and every story; a failure leaves the database untouched."""
    clock = StoryClock()
    loss_reasons_ensure()
    with clock.on(800):
        cast = company_seed()
    with clock.on(790):
        agreement_templates_seed(cast)
        # Heavy equipment judges its trials on fewer, heavier criteria: 75 percent is a success.
        results_policy_seed(team=cast.team("heavy-equipment"), success_threshold="75",
                            cost_ratio_threshold="4")
    for story in STORIES:
        story.tell(cast, clock)
    settle_object_times(team_ids=[team.pk for team in cast.teams.values()])
    insights_seed(cast)  # last: the model learns from every deal the stories closed
    return cast
