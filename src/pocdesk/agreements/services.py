"""Writes on a POC's agreement draft and on the team's agreement templates."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import apply_changes, jsonable, validate_instance
from pocdesk.pocs.lifecycle import lock_open
from pocdesk.pocs.models import POC
from pocdesk.timebox.policy import (
    duration_approval_record,
    duration_check,
    require_dates_editable,
)

from .defaults import default_clauses
from .models import (
    AGREEMENT_FIELDS,
    CLAUSE_FIELDS,
    CLAUSE_TEXT_FIELDS,
    COST_FIELDS,
    RESOURCE_FIELDS,
    Agreement,
    AgreementTemplate,
    CostLine,
    CustomerResource,
    ResourceStatus,
)

register_event_verbs({
    "agreement.started": gettext_lazy("Agreement of %(target)s started from the template"),
    "agreement.changed": gettext_lazy("Agreement of %(target)s changed: %(changes)s"),
    "agreement.resource_status": gettext_lazy(
        "Customer resource “%(resource)s” is now %(status)s"),
    "agreement_template.saved": gettext_lazy("Agreement template %(target)s saved"),
})


def _strip(values: dict[str, Any], text_fields) -> dict[str, Any]:
    return {name: ((value or "").strip() if name in text_fields else value)
            for name, value in values.items()}


@transaction.atomic
def agreement_save(*, actor, poc: POC, clauses: dict[str, Any] | None = None,
                   resources: list[dict[str, Any]] | None = None,
                   cost_lines: list[dict[str, Any]] | None = None,
                   approve_duration: bool = False) -> Agreement:
    """Create the agreement from the team's template (first call) and apply the changes.

    `resources` and `cost_lines`, when given, replace the lists; an item that carries the
    `key` of an existing one keeps its identity, so version diffs show it as changed.
    """
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = lock_open(poc)
    agreement = Agreement.objects.filter(poc=poc).first()
    started = agreement is None
    if started:
        agreement = Agreement(poc=poc, start_date=poc.start_date, end_date=poc.end_date,
                              nda_reference="",
                              **default_clauses(team_id=poc.team_id, language=poc.language))
    diff = apply_changes(agreement, _strip(clauses or {}, CLAUSE_TEXT_FIELDS + ["nda_reference"]),
                         allowed=set(AGREEMENT_FIELDS))
    errors: dict[str, list[str]] = {}
    try:
        validate_instance(agreement, exclude=["poc"])
    except ValidationFailed as error:
        errors.update(error.fields)
    new_resources = _items(CustomerResource, agreement, resources, RESOURCE_FIELDS,
                           "resources", errors) if resources is not None else None
    new_costs = _items(CostLine, agreement, cost_lines, COST_FIELDS, "cost_lines",
                       errors) if cost_lines is not None else None
    if not started:
        require_dates_editable(poc, set(diff))
    approval = None
    if not errors and {"start_date", "end_date"} & set(diff):
        approval = duration_check(actor=actor, team_id=poc.team_id, start=agreement.start_date,
                                  end=agreement.end_date,
                                  approved_days=poc.approved_duration_days,
                                  approve=approve_duration)
    if errors:
        raise ValidationFailed(errors)
    duration_approval_record(actor=actor, poc=poc, approval=approval)
    agreement.save()
    for model, items, name in ((CustomerResource, new_resources, "resources"),
                               (CostLine, new_costs, "cost_lines")):
        if items is None:
            continue
        fields = RESOURCE_FIELDS if model is CustomerResource else COST_FIELDS
        before = [(str(row[0]), *row[1:]) for row in model.objects.filter(agreement=agreement)
                  .order_by("position", "id").values_list("key", *fields)]
        model.objects.filter(agreement=agreement).delete()
        for item in items:
            item.agreement = agreement
        model.objects.bulk_create(items)
        after = [(str(item.key), *(getattr(item, f) for f in fields)) for item in items]
        if before != after:
            diff[name] = [len(before), len(after)]
    if started:
        event_record(actor=actor, verb="agreement.started", target=agreement, poc=poc,
                     team=poc.team)
    elif diff:
        event_record(actor=actor, verb="agreement.changed", target=agreement, poc=poc,
                     team=poc.team, data={"changes": {k: [jsonable(v) for v in pair]
                                                      for k, pair in diff.items()}})
    return agreement


def _items(model, agreement, rows, fields, prefix, errors) -> list:
    """Validated unsaved rows for a replaced list; errors are named `prefix.N.field`."""
    items = []
    existing = {}
    if agreement.pk:
        existing = {str(item.key): item for item in model.objects.filter(agreement=agreement)}
    for index, row in enumerate(rows):
        unknown = sorted(set(row) - set(fields) - {"key"})
        for name in unknown:
            errors[f"{prefix}.{index}.{name}"] = [_("This field cannot be changed here.")]
        key = str(row.get("key") or "")
        values = _strip({n: row[n] for n in fields if n in row}, {"description"})
        previous = existing.get(key)
        if previous is not None:
            values = {**{n: getattr(previous, n) for n in fields}, **values}
        try:
            item_key = uuid.UUID(key) if previous is not None else uuid.uuid4()
        except ValueError:
            item_key = uuid.uuid4()
        item = model(key=item_key, position=index + 1, **values)
        item.agreement = agreement
        try:
            validate_instance(item, exclude=["agreement"])
        except ValidationFailed as error:
            for name, messages in error.fields.items():
                errors[f"{prefix}.{index}.{name}"] = messages
        items.append(item)
    return items


@transaction.atomic
def customer_resource_status_set(*, actor, resource: CustomerResource, status: str
                                 ) -> CustomerResource:
    """Mark a customer resource ready or waived; operational, so no new agreement version."""
    poc = resource.agreement.poc
    require_perm(actor, "pocdesk.edit_poc", poc)
    if status not in ResourceStatus.values:
        raise ValidationFailed({"status": [_("Choose pending, ready or waived.")]})
    if resource.status != status:
        resource.status = status
        resource.save(update_fields=["status"])
        event_record(actor=actor, verb="agreement.resource_status", target=resource.agreement,
                     poc=poc, team=poc.team, data={
                         "resource": resource.description,
                         "status": str(ResourceStatus(status).label).lower()})
    return resource


@transaction.atomic
def agreement_template_save(*, actor, team, language: str, **clauses: Any) -> AgreementTemplate:
    """A manager sets the team's default clause texts for one language."""
    require_perm(actor, "pocdesk.manage_team", team)
    template = AgreementTemplate.objects.filter(team=team, language=language).first()
    if template is None:
        template = AgreementTemplate(team=team, language=language,
                                     **default_clauses(team_id=team.pk, language=language))
    apply_changes(template, _strip(clauses, CLAUSE_TEXT_FIELDS), allowed=set(CLAUSE_FIELDS))
    template.updated_by = actor
    validate_instance(template)
    template.save()
    event_record(actor=actor, verb="agreement_template.saved", target=template, team=team)
    return template
