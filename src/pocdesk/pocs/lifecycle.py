"""The POC state graph (§3) and its pluggable guards.

Later capabilities (qualification, sign-off, closing) register guards on an edge with
`@transition_guard(from, to)`; a guard returns the unmet checks as {"code", "message"} dicts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.utils.translation import gettext as _

from .models import Status

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.QUALIFIED, Status.WALKED_AWAY}),
    Status.QUALIFIED: frozenset({Status.AGREED, Status.WALKED_AWAY}),
    Status.AGREED: frozenset({Status.RUNNING}),
    Status.RUNNING: frozenset({Status.EVALUATING, Status.PAUSED}),
    Status.PAUSED: frozenset({Status.RUNNING}),
    Status.EVALUATING: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.WALKED_AWAY: frozenset(),
}

TERMINAL_STATUSES = frozenset(s for s, targets in ALLOWED_TRANSITIONS.items() if not targets)
ACTIVE_STATUSES = frozenset({Status.QUALIFIED, Status.AGREED, Status.RUNNING, Status.PAUSED,
                             Status.EVALUATING})

Guard = Callable[..., list[dict[str, str]]]
_GUARDS: dict[tuple[str, str], list[Guard]] = defaultdict(list)


def transition_guard(from_status: str, to_status: str) -> Callable[[Guard], Guard]:
    """Register `guard(*, poc, to, actor, reason)` on one edge of the graph."""
    if to_status not in ALLOWED_TRANSITIONS.get(from_status, ()):
        raise ValueError(f"{from_status} → {to_status} is not an edge of the POC lifecycle")

    def register(guard: Guard) -> Guard:
        if guard not in _GUARDS[(from_status, to_status)]:
            _GUARDS[(from_status, to_status)].append(guard)
        return guard

    return register


def guards_for(from_status: str, to_status: str) -> list[Guard]:
    return list(_GUARDS[(from_status, to_status)])


def is_open(poc) -> bool:
    """A POC that is not over (closed or walked away) may still change."""
    return poc.status not in TERMINAL_STATUSES


def require_open(poc) -> None:
    """Refuse a change to a POC that is over (closed or walked away): its plan is history."""
    if not is_open(poc):
        from pocdesk.core.errors import ApplicationError

        raise ApplicationError("poc_closed", _("This POC is over: its plan can no longer change."),
                               status=409)


def lock_poc(poc):
    """Lock the POC's row for a write, whatever its status.

    Only the POC's own row is locked (`of=self`): its team and opportunity come along for
    reading, without serialising every write of the team behind one row.
    """
    from .models import POC

    return (POC.objects.select_for_update(of=("self",))
            .select_related("team", "opportunity").get(pk=poc.pk))


def lock_open(poc):
    """Lock the POC's row for a write on its plan or timebox, and refuse if the POC is over."""
    locked = lock_poc(poc)
    require_open(locked)
    return locked


def allowed_targets(status: str) -> list[str]:
    order = list(Status.values)
    return sorted(ALLOWED_TRANSITIONS.get(status, ()), key=order.index)


def unmet_checks(*, poc, to: str, actor, reason: str | None) -> list[dict[str, str]]:
    """Everything that stops `poc` from moving to `to` now; empty when it may move."""
    if to not in ALLOWED_TRANSITIONS.get(poc.status, ()):
        return [{
            "code": "transition_not_allowed",
            "message": _("A POC cannot go from “%(from)s” to “%(to)s”.") % {
                "from": Status(poc.status).label, "to": Status(to).label},
        }]
    unmet: list[dict[str, str]] = []
    for guard in guards_for(poc.status, to):
        unmet.extend(guard(poc=poc, to=to, actor=actor, reason=reason))
    return unmet


@transition_guard(Status.DRAFT, Status.WALKED_AWAY)
@transition_guard(Status.QUALIFIED, Status.WALKED_AWAY)
def _reason_required(*, poc, to, actor, reason) -> list[dict[str, str]]:
    if (reason or "").strip():
        return []
    return [{"code": "reason_required",
             "message": _("Say why you walk away from this POC.")}]
