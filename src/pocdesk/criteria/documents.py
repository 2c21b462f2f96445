"""The success criteria as a signed plan document: their canonical content and labels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pocdesk.signoffs.registry import PlanDocument, register_plan_document

from .models import SPEC_FIELDS, Aggregation, Comparator, Criterion, OwnerSide
from .selectors import criteria_for_poc


def criterion_content(criterion) -> dict[str, Any]:
    item = {name: getattr(criterion, name) for name in SPEC_FIELDS}
    item["key"] = str(criterion.key)
    return item


def build(poc) -> dict[str, Any]:
    criteria = list(criteria_for_poc(poc=poc))
    return {
        "source": criteria,
        "fields": {"title": poc.title, "objective": poc.objective},
        "lists": {"criteria": [criterion_content(c) for c in criteria]},
    }


def _spec_labels() -> dict[str, str]:
    return {name: str(Criterion._meta.get_field(name).verbose_name) for name in SPEC_FIELDS}


def _problems(content: dict[str, Any]) -> list[str]:
    if not content["lists"].get("criteria"):
        return [_("Write at least one success criterion before submitting them for signature.")]
    return []


register_plan_document(PlanDocument(
    kind="criteria",
    build=build,
    field_labels=lambda: {"title": _("POC title"), "objective": _("objective")},
    list_labels=lambda: {"criteria": (_("Success criteria"), _spec_labels())},
    item_title=lambda name, item: str(item.get("title") or item.get("key")),
    value_labels=lambda: {"comparator": dict(Comparator.choices),
                          "aggregation": dict(Aggregation.choices),
                          "owner_side": dict(OwnerSide.choices)},
    problems=_problems,
))
