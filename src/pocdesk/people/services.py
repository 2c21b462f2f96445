"""People, teams, memberships and API tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import NotFound, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import apply_changes, validate_instance

from .models import ApiToken, Membership, Profile, Role, Team
from .roles import forget_team_roles

register_event_verbs({
    "team.member_added": gettext_lazy("%(member)s joined %(target)s as %(role)s"),
    "profile.changed": gettext_lazy("Preferences changed: %(changes)s"),
    "token.created": gettext_lazy("API token %(target)s created"),
    "token.revoked": gettext_lazy("API token %(target)s revoked"),
})


def profile_ensure(*, user) -> Profile:
    profile, _created = Profile.objects.get_or_create(
        user=user, defaults={"display_name": user.get_full_name() or user.get_username()}
    )
    return profile


@transaction.atomic
def profile_update(*, actor, user, **changes) -> Profile:
    if actor is None or not actor.is_authenticated or (actor.pk != user.pk and not actor.is_staff):
        require_perm(actor, "pocdesk.manage_team", None)
    profile = profile_ensure(user=user)
    diff = apply_changes(profile, changes, allowed={"display_name", "language", "time_zone"})
    if diff:
        validate_instance(profile)
        profile.save()
        event_record(actor=actor, verb="profile.changed", target=profile,
                     data={"changes": diff})
    return profile


@transaction.atomic
def team_member_add(*, actor, team: Team, user, role: str) -> Membership:
    require_perm(actor, "pocdesk.manage_team", team)
    if role not in Role.values:
        raise ValidationFailed({"role": [_("Choose a valid role.")]})
    membership, _created = Membership.objects.update_or_create(
        team=team, user=user, defaults={"role": role}
    )
    forget_team_roles(user)
    event_record(actor=actor, verb="team.member_added", target=team, team=team,
                 data={"member": user.get_username(), "role": role})
    return membership


@transaction.atomic
def api_token_create(*, actor, user, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the clear key, which is never stored."""
    if actor is not None and actor.pk != user.pk and not actor.is_staff:
        raise NotFound()
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user, name=name[:80], prefix=key[3:3 + ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
    )
    event_record(actor=actor or user, verb="token.created", target=token, team=None)
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if actor is None or (actor.pk != token.user_id and not actor.is_staff):
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        event_record(actor=actor, verb="token.revoked", target=token, team=None)
    return token


def api_token_authenticate(*, key: str):
    """The active user behind a bearer key, or None."""
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_create(*, username: str, password: str | None, email: str = "", first_name: str = "",
                last_name: str = "", is_staff: bool = False, language: str = "en",
                time_zone: str = "UTC", display_name: str = ""):
    """Create a user with a profile; used by the admin command line and the demo."""
    user_model = get_user_model()
    user = user_model(username=username, email=email, first_name=first_name,
                      last_name=last_name, is_staff=is_staff, is_superuser=is_staff)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    validate_instance(user, exclude=["password"])
    user.save()
    Profile.objects.create(user=user, display_name=display_name or f"{first_name} {last_name}".strip()
                           or username, language=language, time_zone=time_zone)
    return user
