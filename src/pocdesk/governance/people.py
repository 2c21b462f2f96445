"""Input of the governance services: who attended, who owns an action item, dates
(`pocdesk.core.services.as_date`).

Each helper names the bad value under its field, so one call reports every mistake at once.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pocdesk.core.services import as_date
from pocdesk.stakeholders.resolve import DealPeople

from .models import ActionItem

ACTION_ITEM_ROW_FIELDS = ("text", "owner", "customer_owner", "due_on")


def _listed(values, field: str, errors: dict) -> list:
    if values in (None, ""):
        return []
    if isinstance(values, str | bytes | dict) or not hasattr(values, "__iter__"):
        errors[field] = [_("Send a list of ids.")]
        return []
    return [value for value in values if value not in (None, "")]


def _reference(value) -> str:
    return str(getattr(value, "pk", value))


def resolve_customers(people: DealPeople, values, field: str, errors: dict) -> list:
    """The deal's customer stakeholders named by `values`, each once, in the order given."""
    found, messages = [], []
    for value in _listed(values, field, errors):
        stakeholder = people.customer(value, field, {})
        if stakeholder is None:
            messages.append(_("%(id)s is not a customer stakeholder of this deal.")
                            % {"id": _reference(value)})
        elif stakeholder not in found:
            found.append(stakeholder)
    if messages:
        errors.setdefault(field, []).extend(messages)
    return found


def resolve_attendance(people: DealPeople, attendees, absent, errors: dict) -> tuple[list, list]:
    """Who came and who was invited but did not come; nobody may be in both lists."""
    came = resolve_customers(people, attendees, "attendees", errors)
    missed = resolve_customers(people, absent, "absent", errors)
    both = [person for person in missed if person in came]
    if both:
        errors.setdefault("absent", []).extend(
            _("%(name)s cannot both attend and be absent.") % {"name": person.name}
            for person in both)
    return came, missed


def resolve_members(people: DealPeople, values, field: str, errors: dict) -> list:
    """Members of the POC's team named by `values`, each once."""
    found, messages = [], []
    for value in _listed(values, field, errors):
        user = people.member(value, field, {})
        if user is None:
            messages.append(_("%(id)s is not a member of the POC's team.")
                            % {"id": _reference(value)})
        elif user not in found:
            found.append(user)
    if messages:
        errors.setdefault(field, []).extend(messages)
    return found


def action_item_values(people: DealPeople, row: dict[str, Any], errors: dict) -> dict[str, Any]:
    """The fields of an action item present in `row`, resolved and checked one by one."""
    values: dict[str, Any] = {}
    for name in sorted(set(row) - set(ACTION_ITEM_ROW_FIELDS)):
        errors[name] = [_("This field cannot be changed here.")]
    if "text" in row:
        text = str(row["text"] or "").strip()
        limit = ActionItem._meta.get_field("text").max_length
        if not text:
            errors["text"] = [_("Say what is to be done.")]
        elif len(text) > limit:
            errors["text"] = [_("At most %(count)d characters.") % {"count": limit}]
        values["text"] = text
    if "owner" in row:
        values["owner"] = people.member(row["owner"], "owner", errors)
    if "customer_owner" in row:
        values["customer_owner"] = people.customer(row["customer_owner"], "customer_owner",
                                                   errors)
    if "due_on" in row:
        values["due_on"] = as_date(row["due_on"], "due_on", errors)
    return values


def check_one_owner(owner, customer_owner, errors: dict) -> None:
    """An action item has exactly one owner: a team member or a customer stakeholder."""
    if "owner" in errors or "customer_owner" in errors:
        return
    if owner is not None and customer_owner is not None:
        errors["owner"] = [_("Give one owner, on our side or the customer's, not both.")]
    elif owner is None and customer_owner is None:
        errors["owner"] = [_("Say who owns this action item.")]
