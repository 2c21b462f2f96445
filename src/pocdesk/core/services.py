"""Write helpers shared by every domain service."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .errors import ValidationFailed


def validate_instance(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Run the model's validation and raise ValidationFailed naming every bad field."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)
    except ValidationError as error:
        raise ValidationFailed(_field_errors(error)) from error


def _field_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if name == "__all__" else name): [
                message for item in items for message in item.messages
            ]
            for name, items in error.error_dict.items()
        }
    return {"non_field_errors": list(error.messages)}


def clean_values(instance: models.Model, values: dict[str, Any], errors: dict[str, list[str]],
                 *, prefix: str = "") -> dict[str, Any]:
    """The given values of `instance`'s fields, converted and checked by the model fields
    themselves (type, choices, length, digits, validators), as `full_clean` would.

    A blank value becomes the field's empty value (None, or "" for a text field that is not
    null). A bad value is left out of the answer and its messages go to
    `errors[prefix + name]`; a choice error lists the choices by their labels. Relations are
    not cleaned here: resolve them first.
    """
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if value in field.empty_values:
            value = "" if field.empty_strings_allowed and not field.null else None
        elif isinstance(value, bool) and not field.empty_strings_allowed:
            value = str(value)  # not a number or a date: refused by the field's own parsing
        if field.blank and value in field.empty_values:
            cleaned[name] = value
            continue
        try:
            cleaned[name] = field.clean(value, instance)
        except ValidationError as error:
            if any(item.code == "invalid_choice" for item in error.error_list):
                errors[prefix + name] = [choices_message(field.flatchoices)]
            else:
                errors[prefix + name] = list(error.messages)
    return cleaned


def choices_message(choices) -> str:
    """“Choose one of: …”, the choices named by their labels in the reader's language."""
    return _("Choose one of: %(choices)s.") % {
        "choices": ", ".join(str(label) for value, label in choices if value != "")}


def jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def apply_changes(
    instance: models.Model, changes: dict[str, Any], *, allowed: set[str]
) -> dict[str, list[Any]]:
    """Set the allowed fields, validate, and return {field: [old, new]} for those that changed."""
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationFailed({name: [_("This field cannot be changed here.")] for name in unknown})
    diff: dict[str, list[Any]] = {}
    for name, new_value in changes.items():
        old_value = getattr(instance, name)
        if old_value != new_value:
            diff[name] = [jsonable(old_value), jsonable(new_value)]
            setattr(instance, name, new_value)
    return diff


def as_date(value, field: str, errors: dict, *, required: bool = False) -> datetime.date | None:
    """A date from a date or an ISO 8601 string; None when blank (an error if required)."""
    if value in (None, ""):
        if required:
            errors[field] = [_("Give the date.")]
        return None
    if isinstance(value, datetime.datetime):
        errors[field] = [_("Enter a date without a time.")]
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = [_("Enter a valid date (YYYY-MM-DD).")]
        return None
