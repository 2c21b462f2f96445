"""Writes of the results app: results, retrospective and lessons, costs and the ROI sheet.

Results and the retrospective are written while the POC runs, is paused or is being
evaluated, and freeze when it closes. Costs and the ROI sheet stay open after closing (the last
invoices arrive then), except for a POC walked away from, which never ran.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pocdesk.agreements.models import CostCategory, Payer
from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.reference import validate_currency_code
from pocdesk.core.services import as_date, jsonable
from pocdesk.pocs.lifecycle import lock_open
from pocdesk.pocs.models import POC, Status
from pocdesk.stakeholders.resolve import DealPeople

from .derive import derive_technical_result
from .models import (
    CommercialResult,
    CostEntry,
    CostKind,
    Lesson,
    LessonKind,
    LossReason,
    PocResult,
    Retrospective,
    RiskCost,
    RoleRate,
    TechnicalResult,
)

MAX_LESSONS = 100
MAX_RISK_COSTS = 50
CENT = Decimal("0.01")
RESULT_STATUSES = (Status.RUNNING, Status.PAUSED, Status.EVALUATING)

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
    if poc.status not in RESULT_STATUSES:
        raise ApplicationError("not_running", _(
            "Results and the retrospective are recorded while the POC is running, paused or "
            "being evaluated (this POC is %(status)s).")
            % {"status": str(Status(poc.status).label).lower()}, status=409)
    return poc


def _lock_for_costs(poc: POC) -> POC:
    """Lock the POC's row; costs stay open after closing, not after walking away."""
    poc = (POC.objects.select_for_update(of=("self",))
           .select_related("team", "opportunity").get(pk=poc.pk))
    if poc.status == Status.WALKED_AWAY:
        raise ApplicationError("poc_walked_away", _(
            "This POC was walked away from: it has no costs to record."), status=409)
    return poc


def _text(value) -> str:
    return str(value or "").strip()


def _limited_text(value, field: str, limit: int | None, errors: dict) -> str:
    text = _text(value)
    if limit and len(text) > limit:
        errors[field] = [_("At most %(count)d characters.") % {"count": limit}]
    return text


def _decimal(value, field: str, errors: dict, *, required: bool = False, minimum=Decimal(0),
             maximum=None, places: int = 2) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[field] = [_("This field is required.")]
        return None
    if isinstance(value, bool):
        errors[field] = [_("Enter a number.")]
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a number.")]
        return None
    if not number.is_finite():
        errors[field] = [_("Enter a number.")]
        return None
    if minimum is not None and number < minimum:
        errors[field] = [_("Ensure this value is greater than or equal to %(limit_value)s.")
                         % {"limit_value": minimum}]
        return None
    if maximum is not None and number > maximum:
        errors[field] = [_("Ensure this value is less than or equal to %(limit_value)s.")
                         % {"limit_value": maximum}]
        return None
    if number.as_tuple().exponent < -places:
        errors[field] = [_("Ensure that there are no more than %(max)s decimal places.")
                         % {"max": places}]
        return None
    if abs(number) >= Decimal(10) ** 13:
        errors[field] = [_("This number is too large.")]
        return None
    return number


def _currency(value, field: str, errors: dict, *, default: str) -> str:
    code = _text(value).upper() or default
    try:
        validate_currency_code(code)
    except ValidationError as error:
        errors[field] = list(error.messages)
    return code


def _choice(value, choices, field: str, errors: dict, *, blank: bool = True) -> str:
    value = _text(value)
    if (value == "" and blank) or value in choices.values:
        return value
    errors[field] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}]
    return ""


# -- results ----------------------------------------------------------------------------------

RESULT_TEXT_FIELDS = ("technical_override_reason", "reason_detail", "customer_confirmation_note",
                      "strengths", "limitations", "improvements", "next_step")
RESULT_FIELDS = ("technical_result", "technical_override_reason", "commercial_result", "reason",
                 "reason_detail", "order_value", "order_currency", "order_date",
                 "customer_confirmed_by", "customer_confirmed_on", "customer_confirmation_note",
                 "strengths", "limitations", "improvements", "next_step", "review_meeting_on")


def _result_values(poc: POC, fields: dict[str, Any], errors: dict) -> dict[str, Any]:
    """The given fields of a result, checked and resolved one by one."""
    values: dict[str, Any] = {}
    for name in sorted(set(fields) - set(RESULT_FIELDS)):
        errors[name] = [_("This field cannot be changed here.")]
    if "technical_result" in fields:
        values["technical_result"] = _choice(fields["technical_result"], TechnicalResult,
                                             "technical_result", errors)
    if "commercial_result" in fields:
        values["commercial_result"] = _choice(fields["commercial_result"], CommercialResult,
                                              "commercial_result", errors)
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
    if "order_value" in fields:
        values["order_value"] = _decimal(fields["order_value"], "order_value", errors)
    if "order_currency" in fields:
        values["order_currency"] = (_currency(fields["order_currency"], "order_currency", errors,
                                              default="")
                                    if _text(fields["order_currency"]) else "")
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
    errors: dict[str, list[str]] = {}
    values = _result_values(poc, fields, errors)
    if errors:
        raise ValidationFailed(errors)
    result = (PocResult.objects.select_for_update(of=("self",)).select_related("reason")
              .filter(poc=poc).first())
    created = result is None
    if created:
        result = PocResult(poc=poc)
    before = {name: getattr(result, name) for name in RESULT_FIELDS}
    for name, value in values.items():
        setattr(result, name, value)
    derived = derive_technical_result(poc).result
    derived_changed = result.derived_technical_result != derived
    result.derived_technical_result = derived
    if not result.technical_result:
        result.technical_result = derived
    if result.order_value is not None and not result.order_currency:
        result.order_currency = poc.opportunity.currency
    diff = {name: [jsonable(before[name]), jsonable(getattr(result, name))]
            for name in RESULT_FIELDS if before[name] != getattr(result, name)}
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
LESSON_TAG_LENGTH = 120


def _lesson_rows(poc: POC, retrospective: Retrospective, rows, errors: dict) -> list[Lesson]:
    """The lessons `rows` describe, existing ones (by key) updated, new ones unsaved."""
    from pocdesk.execution.models import LogEntry, Severity

    if isinstance(rows, dict | str) or not hasattr(rows, "__iter__"):
        errors["lessons"] = [_("Send a list of lessons.")]
        return []
    rows = list(rows)
    if len(rows) > MAX_LESSONS:
        errors["lessons"] = [_("At most %(count)d lessons.") % {"count": MAX_LESSONS}]
        return []
    existing = ({str(lesson.key): lesson for lesson in retrospective.lessons.all()}
                if retrospective.pk else {})
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
        for name in sorted(set(row) - set(LESSON_FIELDS)):
            row_errors[name] = [_("This field cannot be changed here.")]
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
        lesson.kind = _choice(row.get("kind") or LessonKind.LESSON, LessonKind, "kind",
                              row_errors, blank=False)
        lesson.text = _limited_text(row.get("text"), "text", 5000, row_errors)
        if not lesson.text and "text" not in row_errors:
            row_errors["text"] = [_("Write the lesson.")]
        for name in ("industry", "product", "criterion_type"):
            setattr(lesson, name, _limited_text(row.get(name), name, LESSON_TAG_LENGTH,
                                                row_errors))
        lesson.severity = _choice(row.get("severity"), Severity, "severity", row_errors)
        lesson.mitigation = _limited_text(row.get("mitigation"), "mitigation", 5000, row_errors)
        reference = row.get("log_entry")
        lesson.log_entry = None
        if reference not in (None, ""):
            lesson.log_entry = log_entries.get(str(getattr(reference, "pk", reference)))
            if lesson.log_entry is None:
                row_errors["log_entry"] = [_("Choose an entry of this POC's log.")]
        lesson.position = index + 1
        for name, messages in row_errors.items():
            errors[f"{prefix}.{name}"] = messages
        lessons.append(lesson)
    return lessons


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
    new_lessons = current if lessons is None else _lesson_rows(poc, retrospective, lessons,
                                                               errors)
    submitting = submit and retrospective.submitted_at is None
    if (submit or retrospective.submitted_at is not None) and not errors:
        errors.update(_submission_errors(retrospective, new_lessons))
    if errors:
        raise ValidationFailed(errors)
    retrospective.save()
    if lessons is not None:
        kept = {lesson.pk for lesson in new_lessons if lesson.pk}
        retrospective.lessons.exclude(pk__in=kept).delete()
        for lesson in new_lessons:
            lesson.retrospective = retrospective
        Lesson.objects.bulk_create([lesson for lesson in new_lessons if lesson.pk is None])
        changed = [lesson for lesson in new_lessons if lesson.pk in kept]
        if changed:
            Lesson.objects.bulk_update(changed, ["kind", "text", "industry", "product",
                                                 "criterion_type", "log_entry", "severity",
                                                 "mitigation", "position"])
    changes = [name for name, value in before.items() if getattr(retrospective, name) != value]
    if lessons is not None:
        changes.append("lessons")
    if submitting:
        retrospective.submitted_at = timezone.now()
        retrospective.submitted_by = actor
        retrospective.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
        event_record(actor=actor, verb="retrospective.submitted", target=retrospective,
                     poc=poc, team=poc.team, data={"lessons": len(new_lessons)})
    elif changes:
        event_record(actor=actor, verb="retrospective.saved", target=retrospective, poc=poc,
                     team=poc.team, data={"fields": changes, "lessons": len(new_lessons)})
    if lessons is not None and hasattr(retrospective, "_prefetched_objects_cache"):
        retrospective._prefetched_objects_cache.pop("lessons", None)
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


def _cost_values(poc: POC, entry: CostEntry, fields: dict[str, Any], errors: dict) -> None:
    """Set the given fields on `entry` and work out its amount (labour: hours × rate)."""
    for name in sorted(set(fields) - set(COST_FIELDS)):
        errors[name] = [_("This field cannot be changed here.")]
    if "kind" in fields:
        entry.kind = _choice(fields["kind"], CostKind, "kind", errors, blank=False)
    if "category" in fields:
        entry.category = _choice(fields["category"], CostCategory, "category", errors,
                                 blank=False)
    if "paid_by" in fields:
        entry.paid_by = _choice(fields["paid_by"], Payer, "paid_by", errors, blank=False)
    if "description" in fields:
        entry.description = _limited_text(fields["description"], "description", 300, errors)
    if "role" in fields:
        entry.role = _limited_text(fields["role"], "role", 80, errors)
    if "incurred_on" in fields:
        entry.incurred_on = as_date(fields["incurred_on"], "incurred_on", errors)
    if "currency" in fields and _text(fields["currency"]):
        entry.currency = _currency(fields["currency"], "currency", errors, default="")
    elif "currency" in fields:
        entry.currency = ""
    if not entry.description and "description" not in errors:
        errors["description"] = [_("Describe the cost.")]
    if not entry.category and "category" not in errors:
        errors["category"] = [_("Choose a category.")]
    if entry.category == CostCategory.LABOUR:
        _labour(poc, entry, fields, errors)
    else:
        entry.role, entry.hours, entry.hourly_rate = "", None, None
        if "amount" in fields or entry.pk is None:
            entry.amount = _decimal(fields.get("amount"), "amount", errors, required=True)
        elif entry.amount is None:
            errors["amount"] = [_("This field is required.")]
    if not entry.currency:
        entry.currency = poc.opportunity.currency


def _labour(poc: POC, entry: CostEntry, fields: dict[str, Any], errors: dict) -> None:
    if "hours" in fields or entry.pk is None:
        entry.hours = _decimal(fields.get("hours"), "hours", errors, required=True, places=1)
    if "hourly_rate" in fields and fields["hourly_rate"] not in (None, ""):
        entry.hourly_rate = _decimal(fields["hourly_rate"], "hourly_rate", errors)
    elif "hourly_rate" in fields or "role" in fields or entry.hourly_rate is None:
        entry.hourly_rate = None
        rate = (RoleRate.objects.filter(team=poc.team, role__iexact=entry.role).first()
                if entry.role else None)
        if rate is not None:
            entry.hourly_rate = rate.hourly_rate
            if not _text(fields.get("currency")):
                entry.currency = rate.currency
        elif entry.role:
            errors["hourly_rate"] = [_(
                "The team has no internal rate for “%(role)s”: enter the hourly rate.")
                % {"role": entry.role}]
        else:
            errors["hourly_rate"] = [_("Enter the hourly rate, or a role with an internal "
                                       "rate.")]
    if entry.hours is not None and entry.hourly_rate is not None:
        entry.amount = (entry.hours * entry.hourly_rate).quantize(CENT)


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
    _cost_values(poc, entry, fields, errors)
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
    before = {name: getattr(entry, name) for name in COST_FIELDS}
    errors: dict[str, list[str]] = {}
    _cost_values(poc, entry, changes, errors)
    if errors:
        raise ValidationFailed(errors)
    diff = {name: [jsonable(before[name]), jsonable(getattr(entry, name))]
            for name in COST_FIELDS if before[name] != getattr(entry, name)}
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


@transaction.atomic
def risk_costs_save(*, actor, poc: POC, rows) -> list[RiskCost]:
    """Replace the ROI sheet's risks: what each would cost the customer and how likely it
    was without the POC."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = _lock_for_costs(poc)
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
        for name in sorted(set(row) - set(RISK_FIELDS)):
            row_errors[name] = [_("This field cannot be changed here.")]
        description = _limited_text(row.get("description"), "description", 300, row_errors)
        if not description and "description" not in row_errors:
            row_errors["description"] = [_("Describe the risk the POC removes.")]
        probability = _decimal(row.get("probability"), "probability", row_errors,
                               required=True, maximum=Decimal(100))
        impact = _decimal(row.get("impact"), "impact", row_errors, required=True)
        currency = _currency(row.get("currency"), "currency", row_errors,
                             default=poc.opportunity.currency)
        for name, messages in row_errors.items():
            errors[f"{prefix}.{name}"] = messages
        risks.append(RiskCost(poc=poc, description=description, probability=probability,
                              impact=impact, currency=currency, position=index + 1))
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
    role = _limited_text(role, "role", 80, errors)
    if not role and "role" not in errors:
        errors["role"] = [_("Name the role.")]
    rate = _decimal(hourly_rate, "hourly_rate", errors, required=True)
    code = _currency(currency, "currency", errors, default=team.reporting_currency)
    if errors:
        raise ValidationFailed(errors)
    role_rate = (RoleRate.objects.select_for_update().filter(team=team, role__iexact=role).first()
                 or RoleRate(team=team, role=role))
    role_rate.role, role_rate.hourly_rate, role_rate.currency = role, rate, code
    role_rate.save()
    event_record(actor=actor, verb="role_rate.saved", target=role_rate, team=team,
                 data={"role": role, "rate": str(rate), "currency": code})
    return role_rate
