"""Writing Event rows, and describing them in the reader's language."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy

from .models import Event

_VERB_MESSAGES: dict[str, Any] = {}


def register_event_verbs(messages: dict[str, Any]) -> None:
    """Apps declare their verbs: a lazily translated sentence using `%(...)s` data keys, or a
    callable `(event) -> str` when the data needs translating too (e.g. status labels)."""
    _VERB_MESSAGES.update(messages)


def event_record(
    *,
    actor,
    verb: str,
    target: models.Model,
    poc=None,
    team=None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Write one Event. Call it inside the service's transaction, after the change."""
    if team is None:
        team = getattr(target, "team", None)
    return Event.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        team=team,
        poc=poc,
        verb=verb,
        target_type=target._meta.model_name,
        target_id=str(target.pk),
        target_label=str(target)[:255],
        data=data or {},
    )


def describe_event(event: Event) -> str:
    message = _VERB_MESSAGES.get(event.verb)
    if message is None:
        return event.verb
    if callable(message):
        return str(message(event))
    values = {"target": event.target_label}
    values.update({key: _display(value) for key, value in (event.data or {}).items()})
    if isinstance((event.data or {}).get("changes"), dict):
        values["changes"] = _field_labels(event.target_type, event.data["changes"])
    try:
        return str(message) % values
    except (KeyError, TypeError, ValueError):
        return str(message)


def _field_labels(model_name: str, fields) -> str:
    """The changed fields by their translated names (the model is known by its name only)."""
    model = next((m for m in apps.get_models() if m._meta.model_name == model_name), None)
    labels = []
    for name in fields:
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if field is not None and field.is_relation and field.auto_created:
            labels.append(str(field.related_model._meta.verbose_name_plural))
        else:
            labels.append(str(getattr(field, "verbose_name", name)))
    return ", ".join(labels)


def _display(value: Any) -> Any:
    if isinstance(value, dict):
        return ", ".join(str(key) for key in value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value


register_event_verbs({"generic.changed": gettext_lazy("%(target)s changed")})
