"""The agreement as a signed plan document: its canonical content and labels.

A resource's status (pending, ready, waived) is operational and is left out of the signed
content; its description and due date are part of what both sides agreed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pocdesk.signoffs.registry import PlanDocument, register_plan_document

from .models import (
    AGREEMENT_FIELDS,
    COST_FIELDS,
    Agreement,
    CostCategory,
    CostLine,
    CustomerResource,
    FollowOnKind,
    Payer,
    ResourceKind,
)
from .selectors import agreement_for_poc

SIGNED_RESOURCE_FIELDS = ["kind", "description", "due_date"]


def build(poc) -> dict[str, Any]:
    agreement = agreement_for_poc(poc=poc)
    if agreement is None:
        return {"fields": {}, "lists": {}}
    resources = agreement.resources.all()  # prefetched, in position order
    costs = agreement.cost_lines.all()
    return {
        "source": agreement,
        "fields": {name: getattr(agreement, name) for name in AGREEMENT_FIELDS},
        "lists": {
            "resources": [dict({n: getattr(r, n) for n in SIGNED_RESOURCE_FIELDS},
                               key=str(r.key)) for r in resources],
            "cost_lines": [dict({n: getattr(c, n) for n in COST_FIELDS}, key=str(c.key))
                           for c in costs],
        },
    }


def _labels(model, names) -> dict[str, str]:
    return {name: str(model._meta.get_field(name).verbose_name) for name in names}


def _problems(content: dict[str, Any]) -> list[str]:
    if not content["fields"]:
        return [_("Start the agreement from the team's template before submitting it.")]
    return []


register_plan_document(PlanDocument(
    kind="agreement",
    build=build,
    field_labels=lambda: _labels(Agreement, AGREEMENT_FIELDS),
    list_labels=lambda: {
        "resources": (_("Customer resources"), _labels(CustomerResource, SIGNED_RESOURCE_FIELDS)),
        "cost_lines": (_("Cost sharing"), _labels(CostLine, COST_FIELDS)),
    },
    item_title=lambda name, item: str(item.get("description") or item.get("key")),
    value_labels=lambda: {"follow_on_kind": dict(FollowOnKind.choices),
                          "kind": dict(ResourceKind.choices),
                          "category": dict(CostCategory.choices),
                          "paid_by": dict(Payer.choices)},
    problems=_problems,
))
