from django.contrib.auth import get_user_model

from .models import ApiToken, Membership, Team
from .roles import scope_to_user


def team_list_visible(*, user):
    return scope_to_user(Team.objects.order_by("name"), user, field="pk")


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


def user_get(*, user_id=None, username: str | None = None):
    """An active user by id or username, or None. Callers (API, CLI) turn None into their error;
    whether the user may take part (e.g. own a POC) is for the services to decide."""
    users = get_user_model().objects.filter(is_active=True).select_related("profile")
    if user_id is not None:
        users = users.filter(pk=user_id)
    if username is not None:
        users = users.filter(username=username)
    return users.first() if user_id is not None or username is not None else None


def api_token_list(*, user):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_find(*, prefix: str):
    """Tokens whose prefix is `prefix` (the part shown in listings), newest first."""
    return ApiToken.objects.filter(prefix=prefix).select_related("user").order_by("-created_at")
