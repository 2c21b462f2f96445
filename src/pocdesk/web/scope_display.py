"""What the POC page shows of scope changes and commitments."""

from __future__ import annotations

from pocdesk.scope.selectors import commitments_for_poc, scope_changes_for_poc, scope_creep


def scope_card(*, request, poc) -> dict:
    """Context of `web/scope/card.html` on the POC page."""
    changes = scope_changes_for_poc(poc=poc)
    commitments = commitments_for_poc(poc=poc)
    return {"creep": scope_creep(poc=poc, changes=changes),
            "overdue_commitments": [c for c in commitments if c.overdue]}
