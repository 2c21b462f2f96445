"""Each plan document kind (criteria, agreement) registers how to build its live content.

The signing, versioning, diff and guard code is shared and knows nothing of criteria or
clauses: an app registers `PlanDocument(kind, build, labels...)` in its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PlanDocument:
    kind: str
    # build(poc) -> {"fields": {...}, "lists": {name: [{"key": ..., ...}]}} of the live draft,
    # optionally with "source": the object it was read from, so pages need not read it again.
    build: Callable[[Any], dict[str, Any]]
    # Translated labels, evaluated at display time: field name -> label.
    field_labels: Callable[[], dict[str, str]]
    # List name -> (label of the list, label of the fields of its items).
    list_labels: Callable[[], dict[str, tuple[str, dict[str, str]]]] = lambda: {}
    # How an item of a list is named in a diff ("Criterion “Uptime”").
    item_title: Callable[[str, dict[str, Any]], str] = lambda name, item: str(item.get("key"))
    # Values shown in words (choice codes -> labels): field name -> {code: label}.
    value_labels: Callable[[], dict[str, dict[str, str]]] = field(default=lambda: {})
    # What stops the draft from being submitted, in words (e.g. "no criterion yet").
    problems: Callable[[dict[str, Any]], list[str]] = field(default=lambda content: [])


_DOCUMENTS: dict[str, PlanDocument] = {}


def register_plan_document(document: PlanDocument) -> None:
    _DOCUMENTS[document.kind] = document


def plan_document(kind: str) -> PlanDocument:
    return _DOCUMENTS[kind]


def plan_kinds() -> list[str]:
    return list(_DOCUMENTS)
