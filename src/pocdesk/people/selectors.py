from django.contrib.auth import get_user_model

from .models import Membership, Team
from .roles import visible_team_ids


def team_list_visible(*, user):
    teams = Team.objects.order_by("name")
    team_ids = visible_team_ids(user)
    return teams if team_ids is None else teams.filter(pk__in=team_ids)


def team_members(*, team_ids):
    """Users who belong to any of the given teams (for owner pickers)."""
    return (
        get_user_model().objects.filter(memberships__team_id__in=team_ids, is_active=True)
        .select_related("profile").distinct().order_by("username")
    )


def membership_role(*, user, team) -> str | None:
    return Membership.objects.filter(user=user, team=team).values_list("role", flat=True).first()


def user_label(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile and profile.display_name else None) or user.get_username()
