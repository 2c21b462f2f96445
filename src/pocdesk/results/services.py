"""Writes of the results app: results, retrospective and lessons, costs and the ROI sheet.

Results and the retrospective are written while the POC runs, is paused or is being
evaluated, and freeze when it closes. Costs and the ROI sheet stay open after closing (the last
invoices arrive then), except for a POC walked away from, which never ran.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pocdesk.agreements.models import CostCategory, Payer
from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import (
    apply_changes,
    as_date,
    choices_message,
    clean_values,
    validate_instance,
)
from pocdesk.pocs.lifecycle import lock_open, lock_poc
from pocdesk.pocs.models import POC, Status
from pocdesk.stakeholders.resolve import DealPeople

from .derive import derive_technical_result
from .models import (
    CostEntry,
    CostKind,
    Lesson,
    LessonKind,
    LossReason,
    PocResult,
    Retrospective,
    RiskCost,
    RoleRate,
)
from .money import CENT
from .rules import costs_editable, results_editable

MAX_LESSONS = 100
MAX_RISK_COSTS = 50

register_event_verbs({
    "results.saved": gettext_lazy("Results recorded: %(changes)s"),
    "retrospective.saved": gettext_lazy("Retrospective saved"),
    "retrospective.submitted": gettext_lazy("Retrospective submitted"),
    "retrospective.risks_carried": lambda event: ngettext(
        "%(count)d technical risk carried over to the retrospective",
        "%(count)d technical risks carried over to the retrospective",
        int((event.data or {}).get("count", 0))) % {"count": int((event.data or {}).get(
            "count", 0))},
    "cost.recorded": gettext_lazy("Cost “%(target)s” recorded: %(amount)s %(currency)s"),
    "cost.changed": gettext_lazy("Cost “%(target)s” changed: %(changes)s"),
    "cost.deleted": gettext_lazy("Cost “%(target)s” deleted: %(amount)s %(currency)s"),
    "risk_costs.saved": lambda event: ngettext(
        "ROI sheet saved with %(count)d risk", "ROI sheet saved with %(count)d risks",
        int((event.data or {}).get("count", 0))) % {"count": int((event.data or {}).get(
            "count", 0))},
    "role_rate.saved": gettext_lazy("Internal rate of %(role)s set to %(rate)s %(currency)s"),
})


# -- shared checks ----------------------------------------------------------------------------

def _lock_for_results(poc: POC) -> POC:
    """Lock the POC's row; refuse once it is over (409 poc_closed) or before it runs."""
    poc = lock_open(poc)
    if not results_editable(poc):
        raise ApplicationError("not_running", _(
            "Results and the retrospective are recorded while the POC is running, paused or "
            "being evaluated (this POC is %(status)s).")
            % {"status": str(Status(poc.status).label).lower()}, status=409)
    return poc


def _lock_for_costs(poc: POC) -> POC:
    """Lock the POC's row; costs stay open after closing, not after walking away."""
    poc = lock_poc(poc)
    if not costs_editable(poc):
        raise ApplicationError("poc_walked_away", _(
            "This POC was walked away from: it has no costs to record."), status=409)
    return poc


def _text(value) -> str:
    return str(value or "").strip()


def _stripped(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value.strip() if isinstance(value, str) else value
            for name, value in values.items()}


def _limited_text(value, field: str, limit: int, errors: dict) -> str:
    """A long text (a TextField, which has no length of its own), at most `limit` characters."""
    text = _text(value)
    if len(text) > limit:
        errors[field] = [_("At most %(count)d characters.") % {"count": limit}]
    return text


def _unknown_fields(given, allowed, errors: dict, prefix: str = "") -> None:
    for name in sorted(set(given) - set(allowed)):
        errors[prefix + name] = [_("This field cannot be changed here.")]


def _required(values: dict[str, Any], names, errors: dict) -> None:
    """Refuse a blank required number (and leave it out of `values`)."""
    for name in names:
        if values.get(name) in (None, ""):
            errors[name] = [_("This field is required.")]
            values.pop(name, None)


def _model_errors(instance, *, exclude: list[str], errors: dict) -> None:
    """The model's own validation of the whole instance (what was computed or defaulted too),
    once its given values passed."""
    if errors:
        return
    try:
        validate_instance(instance, exclude=exclude)
    except ValidationFailed as failure:
        errors.update(failure.fields)


def _currency_code(value) -> str:
    return _text(value).upper()


# -- results ----------------------------------------------------------------------------------

RESULT_TEXT_FIELDS = ("technical_override_reason", "reason_detail", "customer_confirmation_note",
                      "strengths", "limitations", "improvements", "next_step")
RESULT_FIELDS = ("technical_result", "technical_override_reason", "commercial_result", "reason",
                 "reason_detail", "order_value", "order_currency", "order_date",
                 "customer_confirmed_by", "customer_confirmed_on", "customer_confirmation_note",
                 "strengths", "limitations", "improvements", "next_step", "review_meeting_on")
RESULT_RELATIONS = ["poc", "reason", "customer_confirmed_by", "updated_by"]


def _result_values(poc: POC, result: PocResult, fields: dict[str, Any],
                   errors: dict) -> dict[str, Any]:
    """The given fields of a result, checked and resolved one by one."""
    _unknown_fields(fields, RESULT_FIELDS, errors)
    given = _stripped({name: fields[name] for name in (
        "technical_result", "commercial_result", "order_value", "order_currency")
        if name in fields})
    if "order_currency" in given:
        given["order_currency"] = _currency_code(given["order_currency"])
    values = clean_values(result, given, errors)
    if "reason" in fields:
        code = _text(getattr(fields["reason"], "code", fields["reason"]))
        values["reason"] = None
        if code:
            values["reason"] = LossReason.objects.filter(code=code).first()
            if values["reason"] is None:
                errors["reason"] = [_("“%(code)s” is not a reason of the taxonomy.")
                                    % {"code": code}]
    for name in RESULT_TEXT_FIELDS:
        if name in fields:
            values[name] = _limited_text(fields[name], name, 20000, errors)
    for name in ("order_date", "customer_confirmed_on", "review_meeting_on"):
        if name in fields:
            values[name] = as_date(fields[name], name, errors)
    if "customer_confirmed_by" in fields:
        values["customer_confirmed_by"] = DealPeople(poc).customer(
            fields["customer_confirmed_by"], "customer_confirmed_by", errors)
    return values


@transaction.atomic
def result_save(*, actor, poc: POC, **fields: Any) -> PocResult:
    """Record or correct the POC's results; the technical result derived from the criteria is
    stored with them, and stands as the technical result until somebody states another."""
    require_perm(actor, "pocdesk.transition_poc", poc)
    poc = _lock_for_results(poc)
    result = (PocResult.objects.select_for_update(of=("self",)).select_related("reason")
              .filter(poc=poc).first())
    created = result is None
    if created:
        result = PocResult(poc=poc)
    errors: dict[str, list[str]] = {}
    values = _result_values(poc, result, fields, errors)
    if errors:
        raise ValidationFailed(errors)
    derived = derive_technical_result(poc).result
    if not values.get("technical_result", result.technical_result):
        values["technical_result"] = derived
    if (values.get("order_value", result.order_value) is not None
            and not values.get("order_currency", result.order_currency)):
        values["order_currency"] = poc.opportunity.currency
    diff = apply_changes(result, values, allowed=set(RESULT_FIELDS))
    derived_changed = result.derived_technical_result != derived
    result.derived_technical_result = derived
    _model_errors(result, exclude=RESULT_RELATIONS, errors=errors)
    if errors:
        raise ValidationFailed(errors)
    if created or diff or derived_changed:
        result.updated_by = actor
        result.save()
    if created or diff:
        event_record(actor=actor, verb="results.saved", target=result, poc=poc, team=poc.team,
                     data={"changes": diff, "technical_result": result.technical_result,
                           "commercial_result": result.commercial_result})
    return result


# -- the retrospective ------------------------------------------------------------------------

LESSON_FIELDS = ("key", "kind", "text", "industry", "product", "criterion_type", "log_entry",
                 "severity", "mitigation")
LESSON_SAVED_FIELDS = ["kind", "text", "industry", "product", "criterion_type", "log_entry",
                       "severity", "mitigation", "position"]
LESSON_TAG_LENGTH = Lesson._meta.get_field("industry").max_length


def _lesson_rows(poc: POC, retrospective: Retrospective, current: list[Lesson], rows,
                 errors: dict) -> list[Lesson]:
    """The lessons `rows` describe, the `current` ones (by key) updated, new ones unsaved."""
    from pocdesk.execution.models import LogEntry, Severity

    if isinstance(rows, dict | str) or not hasattr(rows, "__iter__"):
        errors["lessons"] = [_("Send a list of lessons.")]
        return []
    rows = list(rows)
    if len(rows) > MAX_LESSONS:
        errors["lessons"] = [_("At most %(count)d lessons.") % {"count": MAX_LESSONS}]
        return []
    existing = {str(lesson.key): lesson for lesson in current}
    log_ids = {str(value) for row in rows if isinstance(row, dict)
               for value in [row.get("log_entry")] if value not in (None, "")}
    log_entries = ({str(entry.pk): entry for entry in LogEntry.objects.filter(
        poc=poc, pk__in=[int(v) for v in log_ids if v.isdigit()])} if log_ids else {})
    lessons, seen = [], set()
    for index, row in enumerate(rows):
        prefix = f"lessons.{index}"
        if not isinstance(row, dict):
            errors[prefix] = [_("Each lesson is an object with a text.")]
            continue
        row_errors: dict[str, list[str]] = {}
        _unknown_fields(row, LESSON_FIELDS, row_errors)
        key = _text(getattr(row.get("key"), "hex", row.get("key")))
        lesson = None
        if key:
            try:
                key = str(uuid.UUID(key))
            except ValueError:
                row_errors["key"] = [_("Enter a valid key.")]
            else:
                if key in seen:
                    row_errors["key"] = [_("This key is used by another lesson.")]
                seen.add(key)
                lesson = existing.get(key)
        if lesson is None:
            lesson = Lesson(retrospective=retrospective)
            if key and "key" not in row_errors:
                lesson.key = uuid.UUID(key)
        values = clean_values(lesson, _stripped({
            "kind": row.get("kind") or LessonKind.LESSON, "industry": row.get("industry"),
            "product": row.get("product"), "criterion_type": row.get("criterion_type")}),
            row_errors)
        values["text"] = _limited_text(row.get("text"), "text", 5000, row_errors)
        if not values["text"] and "text" not in row_errors:
            row_errors["text"] = [_("Write the lesson.")]
        # The lesson keeps a copy of the log's severity: the choices are the log's.
        values["severity"] = _text(row.get("severity"))
        if values["severity"] and values["severity"] not in Severity.values:
            row_errors["severity"] = [choices_message(Severity.choices)]
        values["mitigation"] = _limited_text(row.get("mitigation"), "mitigation", 5000,
                                             row_errors)
        reference = row.get("log_entry")
        values["log_entry"] = None
        if reference not in (None, ""):
            values["log_entry"] = log_entries.get(str(getattr(reference, "pk", reference)))
            if values["log_entry"] is None:
                row_errors["log_entry"] = [_("Choose an entry of this POC's log.")]
        for name, value in values.items():
            setattr(lesson, name, value)
        lesson.position = index + 1
        for name, messages in row_errors.items():
            errors[f"{prefix}.{name}"] = messages
        lessons.append(lesson)
    return lessons


def _lesson_state(lessons: list[Lesson]) -> list[tuple]:
    """What a list of lessons says, in order, to tell whether a save changed it."""
    return [(str(lesson.key), *(getattr(lesson, "log_entry_id" if name == "log_entry" else name)
                                for name in LESSON_SAVED_FIELDS)) for lesson in lessons]


def _submission_errors(retrospective: Retrospective, lessons: list[Lesson]) -> dict:
    errors: dict[str, list[str]] = {}
    if not retrospective.went_well:
        errors["went_well"] = [_("Say what went well.")]
    if not retrospective.to_improve:
        errors["to_improve"] = [_("Say what to improve.")]
    if not any(lesson.kind == LessonKind.LESSON for lesson in lessons):
        errors["lessons"] = [_("Add at least one reusable lesson.")]
    return errors


@transaction.atomic
def retrospective_save(*, actor, poc: POC, went_well=None, to_improve=None, lessons=None,
                       submit: bool = False) -> Retrospective:
    """Save the retrospective; `lessons` (when given) replaces the whole list, rows keeping
    their identity by `key`. Submitting, and any change once submitted, needs what went well,
    what to improve and at least one reusable lesson."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = _lock_for_results(poc)
    retrospective = (Retrospective.objects.select_for_update().filter(poc=poc).first()
                     or Retrospective(poc=poc))
    errors: dict[str, list[str]] = {}
    before = {"went_well": retrospective.went_well, "to_improve": retrospective.to_improve}
    if went_well is not None:
        retrospective.went_well = _limited_text(went_well, "went_well", 20000, errors)
    if to_improve is not None:
        retrospective.to_improve = _limited_text(to_improve, "to_improve", 20000, errors)
    current = list(retrospective.lessons.all()) if retrospective.pk else []
    current_state = _lesson_state(current)
    new_lessons = current if lessons is None else _lesson_rows(poc, retrospective, current,
                                                               lessons, errors)
    submitting = submit and retrospective.submitted_at is None
    if (submit or retrospective.submitted_at is not None) and not errors:
        errors.update(_submission_errors(retrospective, new_lessons))
    if errors:
        raise ValidationFailed(errors)
    retrospective.save()
    changes = [name for name, value in before.items() if getattr(retrospective, name) != value]
    if lessons is not None and _lesson_state(new_lessons) != current_state:
        changes.append("lessons")
        kept = {lesson.pk for lesson in new_lessons if lesson.pk}
        retrospective.lessons.exclude(pk__in=kept).delete()
        for lesson in new_lessons:
            lesson.retrospective = retrospective
        Lesson.objects.bulk_create([lesson for lesson in new_lessons if lesson.pk is None])
        changed = [lesson for lesson in new_lessons if lesson.pk in kept]
        if changed:
            Lesson.objects.bulk_update(changed, LESSON_SAVED_FIELDS)
    if submitting:
        retrospective.submitted_at = timezone.now()
        retrospective.submitted_by = actor
        retrospective.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
        event_record(actor=actor, verb="retrospective.submitted", target=retrospective,
                     poc=poc, team=poc.team, data={"lessons": len(new_lessons)})
    elif changes:
        event_record(actor=actor, verb="retrospective.saved", target=retrospective, poc=poc,
                     team=poc.team, data={"fields": changes, "lessons": len(new_lessons)})
    return retrospective


@transaction.atomic
def retrospective_carry_risks(*, actor, poc: POC) -> list[Lesson]:
    """Copy the technical risks of the execution log not carried over yet into the
    retrospective, as risk memo items tagged with the account's industry."""
    from pocdesk.execution.models import LogEntry, LogKind

    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = _lock_for_results(poc)
    retrospective = Retrospective.objects.filter(poc=poc).first()
    if retrospective is None:
        retrospective = Retrospective.objects.create(poc=poc)
    carried = set(retrospective.lessons.exclude(log_entry=None)
                  .values_list("log_entry_id", flat=True))
    risks = (LogEntry.objects.filter(poc=poc, kind=LogKind.RISK).exclude(pk__in=carried)
             .order_by("occurred_at", "id"))
    industry = poc.opportunity.account.industry if poc.opportunity.account_id else ""
    last = max(retrospective.lessons.values_list("position", flat=True), default=0)
    new = []
    for offset, entry in enumerate(risks, start=1):
        text = entry.title if not entry.body.strip() else f"{entry.title}\n{entry.body.strip()}"
        new.append(Lesson(retrospective=retrospective, kind=LessonKind.RISK, text=text,
                          industry=industry[:LESSON_TAG_LENGTH], severity=entry.severity,
                          mitigation=entry.mitigation, log_entry=entry,
                          position=last + offset))
    if new:
        Lesson.objects.bulk_create(new)
        event_record(actor=actor, verb="retrospective.risks_carried", target=retrospective,
                     poc=poc, team=poc.team, data={"count": len(new)})
    return new


# -- costs ------------------------------------------------------------------------------------

COST_FIELDS = ("kind", "category", "description", "role", "hours", "hourly_rate", "amount",
               "currency", "paid_by", "incurred_on")
COST_RELATIONS = ["poc", "recorded_by"]


def _cost_values(poc: POC, entry: CostEntry, fields: dict[str, Any],
                 errors: dict) -> dict[str, Any]:
    """The entry's new values from `fields`, checked by its model, with its amount worked out
    (labour: hours × rate)."""
    _unknown_fields(fields, COST_FIELDS, errors)
    given = _stripped({name: fields[name] for name in (
        "kind", "category", "paid_by", "description", "role", "currency") if name in fields})
    if "currency" in given:
        given["currency"] = _currency_code(given["currency"])
    for name, message in (("description", _("Describe the cost.")),
                          ("category", _("Choose a category."))):
        if not given.get(name, getattr(entry, name)):
            errors[name] = [message]
            given.pop(name, None)
    values = clean_values(entry, {name: value for name, value in given.items()
                                  if name != "currency" or value}, errors)
    if given.get("currency") == "":
        values["currency"] = ""  # the rate's currency or the deal's, below
    if "incurred_on" in fields:
        values["incurred_on"] = as_date(fields["incurred_on"], "incurred_on", errors)
    if values.get("category", entry.category) == CostCategory.LABOUR:
        _labour(poc, entry, fields, values, errors)
    else:
        values.update(role="", hours=None, hourly_rate=None)
        if "amount" in fields or entry.pk is None:
            amount = {"amount": fields.get("amount")}
            _required(amount, ["amount"], errors)
            values.update(clean_values(entry, amount, errors))
    if not values.get("currency", entry.currency):
        values["currency"] = poc.opportunity.currency
    return values


def _labour(poc: POC, entry: CostEntry, fields: dict[str, Any], values: dict[str, Any],
            errors: dict) -> None:
    """Hours × rate, the rate being the team's internal rate of the role unless one is given."""
    if "hours" in fields or entry.pk is None:
        hours = {"hours": fields.get("hours")}
        _required(hours, ["hours"], errors)
        values.update(clean_values(entry, hours, errors))
    role = values.get("role", entry.role)
    if "hourly_rate" in fields and fields["hourly_rate"] not in (None, ""):
        values.update(clean_values(entry, {"hourly_rate": fields["hourly_rate"]}, errors))
    elif "hourly_rate" in fields or "role" in fields or entry.hourly_rate is None:
        values["hourly_rate"] = None
        rate = (RoleRate.objects.filter(team=poc.team, role__iexact=role).first()
                if role else None)
        if rate is not None:
            values["hourly_rate"] = rate.hourly_rate
            if not _text(fields.get("currency")):
                values["currency"] = rate.currency
        elif role:
            errors["hourly_rate"] = [_(
                "The team has no internal rate for “%(role)s”: enter the hourly rate.")
                % {"role": role}]
        else:
            errors["hourly_rate"] = [_("Enter the hourly rate, or a role with an internal "
                                       "rate.")]
    hours = values.get("hours", entry.hours)
    rate = values.get("hourly_rate", entry.hourly_rate)
    if hours is not None and rate is not None:
        values["amount"] = (hours * rate).quantize(CENT)


def _cost_data(entry: CostEntry) -> dict[str, Any]:
    return {"amount": str(entry.amount), "currency": entry.currency, "kind": entry.kind,
            "category": entry.category, "paid_by": entry.paid_by}


@transaction.atomic
def cost_entry_create(*, actor, poc: POC, **fields: Any) -> CostEntry:
    """Record a planned or actual cost: hours × rate for labour (the team's rate for the role
    unless one is given), an amount otherwise; in the deal's currency unless stated."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = _lock_for_costs(poc)
    entry = CostEntry(poc=poc, recorded_by=actor, kind=CostKind.ACTUAL, paid_by=Payer.VENDOR,
                      currency="")
    errors: dict[str, list[str]] = {}
    apply_changes(entry, _cost_values(poc, entry, fields, errors), allowed=set(COST_FIELDS))
    _model_errors(entry, exclude=COST_RELATIONS, errors=errors)
    if errors:
        raise ValidationFailed(errors)
    entry.save()
    event_record(actor=actor, verb="cost.recorded", target=entry, poc=poc, team=poc.team,
                 data=_cost_data(entry))
    return entry


@transaction.atomic
def cost_entry_update(*, actor, entry: CostEntry, **changes: Any) -> CostEntry:
    require_perm(actor, "pocdesk.edit_poc", entry.poc)
    poc = _lock_for_costs(entry.poc)
    entry = CostEntry.objects.select_for_update().get(pk=entry.pk, poc=poc)
    errors: dict[str, list[str]] = {}
    diff = apply_changes(entry, _cost_values(poc, entry, changes, errors),
                         allowed=set(COST_FIELDS))
    _model_errors(entry, exclude=COST_RELATIONS, errors=errors)
    if errors:
        raise ValidationFailed(errors)
    if diff:
        entry.save()
        event_record(actor=actor, verb="cost.changed", target=entry, poc=poc, team=poc.team,
                     data={"changes": diff})
    return entry


@transaction.atomic
def cost_entry_delete(*, actor, entry: CostEntry) -> None:
    require_perm(actor, "pocdesk.edit_poc", entry.poc)
    poc = _lock_for_costs(entry.poc)
    entry = CostEntry.objects.select_for_update().get(pk=entry.pk, poc=poc)
    event_record(actor=actor, verb="cost.deleted", target=entry, poc=poc, team=poc.team,
                 data=_cost_data(entry))
    entry.delete()


RISK_FIELDS = ("description", "probability", "impact", "currency")


def _risk(poc: POC, row: dict[str, Any], position: int, errors: dict) -> RiskCost:
    """One risk of the ROI sheet, checked by its model."""
    _unknown_fields(row, RISK_FIELDS, errors)
    risk = RiskCost(poc=poc, position=position)
    given = _stripped({name: row.get(name) for name in RISK_FIELDS})
    given["currency"] = _currency_code(given["currency"]) or poc.opportunity.currency
    if not given["description"]:
        errors["description"] = [_("Describe the risk the POC removes.")]
        del given["description"]
    _required(given, ["probability", "impact"], errors)
    for name, value in clean_values(risk, given, errors).items():
        setattr(risk, name, value)
    _model_errors(risk, exclude=["poc"], errors=errors)
    return risk


@transaction.atomic
def risk_costs_save(*, actor, poc: POC, rows) -> list[RiskCost]:
    """Replace the ROI sheet's risks: what each would cost the customer and how likely it
    was without the POC."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = lock_open(poc)  # the sheet freezes with the POC (results.rules.roi_editable)
    errors: dict[str, list[str]] = {}
    if isinstance(rows, dict | str) or not hasattr(rows, "__iter__"):
        raise ValidationFailed({"rows": [_("Send a list of risks.")]})
    rows = list(rows)
    if len(rows) > MAX_RISK_COSTS:
        raise ValidationFailed({"rows": [_("At most %(count)d risks.")
                                         % {"count": MAX_RISK_COSTS}]})
    risks = []
    for index, row in enumerate(rows):
        prefix = f"rows.{index}"
        if not isinstance(row, dict):
            errors[prefix] = [_("Each risk is an object with a description.")]
            continue
        row_errors: dict[str, list[str]] = {}
        risks.append(_risk(poc, row, index + 1, row_errors))
        for name, messages in row_errors.items():
            errors[f"{prefix}.{name}"] = messages
    if errors:
        raise ValidationFailed(errors)
    RiskCost.objects.filter(poc=poc).delete()
    saved = RiskCost.objects.bulk_create(risks)
    event_record(actor=actor, verb="risk_costs.saved", target=poc, poc=poc, team=poc.team,
                 data={"count": len(saved)})
    return saved


@transaction.atomic
def role_rate_save(*, actor, team, role: str, hourly_rate, currency: str) -> RoleRate:
    """Set the team's internal hourly rate of a role (used to cost the hours spent)."""
    require_perm(actor, "pocdesk.manage_team", team)
    errors: dict[str, list[str]] = {}
    given = {"role": _text(role), "hourly_rate": hourly_rate,
             "currency": _currency_code(currency) or team.reporting_currency}
    if not given["role"]:
        errors["role"] = [_("Name the role.")]
        del given["role"]
    _required(given, ["hourly_rate"], errors)
    values = clean_values(RoleRate(team=team), _stripped(given), errors)
    if errors:
        raise ValidationFailed(errors)
    role_rate = (RoleRate.objects.select_for_update()
                 .filter(team=team, role__iexact=values["role"]).first()
                 or RoleRate(team=team))
    apply_changes(role_rate, values, allowed=set(values))
    role_rate.save()
    event_record(actor=actor, verb="role_rate.saved", target=role_rate, team=team,
                 data={"role": role_rate.role, "rate": str(role_rate.hourly_rate),
                       "currency": role_rate.currency})
    return role_rate
