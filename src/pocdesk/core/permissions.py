"""Permission checks for services, on top of the `rules` predicates of each app."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import PermissionDenied


def require_perm(actor, permission: str, obj=None) -> None:
    """Refuse unless `actor` holds `permission` on `obj`. Services call this first."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("You must be signed in to do this."))
    if not actor.has_perm(permission, obj):
        raise PermissionDenied()
