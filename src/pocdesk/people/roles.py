"""The actor's team roles, loaded once per user object so permission checks cost one query."""

from __future__ import annotations

_CACHE_ATTRIBUTE = "_pocdesk_team_roles"


def team_roles(user) -> dict[int, str]:
    """{team_id: role} for the user's memberships; empty for anonymous users."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    roles = getattr(user, _CACHE_ATTRIBUTE, None)
    if roles is None:
        from .models import Membership

        roles = dict(Membership.objects.filter(user=user).values_list("team_id", "role"))
        setattr(user, _CACHE_ATTRIBUTE, roles)
    return roles


def forget_team_roles(user) -> None:
    if user is not None and hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def is_admin_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


def scope_to_user(queryset, user, *, field: str = "team_id"):
    """Keep the rows of the teams the user may see (all of them for admins)."""
    team_ids = visible_team_ids(user)
    return queryset if team_ids is None else queryset.filter(**{f"{field}__in": team_ids})


def visible_team_ids(user) -> list[int] | None:
    """Team ids whose objects the user may see; None means every team (admins)."""
    if is_admin_user(user):
        return None
    return list(team_roles(user))


def require_team_member(*, team, user, field: str = "owner") -> None:
    """Refuse (naming `field`) unless `user` belongs to `team` or is a staff admin."""
    from django.utils.translation import gettext as _

    from pocdesk.core.errors import ValidationFailed

    if user is None:
        raise ValidationFailed({field: [_("This field is required.")]})
    if team.pk not in team_roles(user) and not is_admin_user(user):
        raise ValidationFailed({field: [_("The owner must be a member of the team.")]})
