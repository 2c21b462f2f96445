"""Writes on a POC's draft criteria and on the team's criteria library."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import PermissionDenied, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import apply_changes, validate_instance
from pocdesk.pocs.lifecycle import require_open
from pocdesk.pocs.models import POC

from .models import SPEC_FIELDS, Criterion, CriterionTemplate

register_event_verbs({
    "criterion.created": gettext_lazy("Success criterion %(target)s added"),
    "criterion.changed": gettext_lazy("Success criterion %(target)s changed: %(changes)s"),
    "criterion.deleted": gettext_lazy("Success criterion %(target)s removed"),
    "criteria.copied": gettext_lazy("%(count)s success criteria added from %(source)s"),
    "criterion_template.created": gettext_lazy("Criterion %(target)s saved to the library"),
    "criterion_template.deleted": gettext_lazy("Criterion %(target)s removed from the library"),
})

TEXT_FIELDS = {"title", "question", "metric", "unit", "pass_condition", "test_conditions",
               "measurement_method", "frequency"}


def _clean_spec(spec: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(spec) - set(SPEC_FIELDS))
    if unknown:
        raise ValidationFailed({name: [_("This field cannot be changed here.")]
                                for name in unknown})
    return {name: ((value or "").strip() if name in TEXT_FIELDS else value)
            for name, value in spec.items()}


@transaction.atomic
def criterion_create(*, actor, poc: POC, **spec: Any) -> Criterion:
    require_perm(actor, "pocdesk.edit_poc", poc)
    require_open(poc)
    criterion = Criterion(poc=poc, **_clean_spec(spec))
    criterion.position = (Criterion.objects.filter(poc=poc).aggregate(p=Max("position"))["p"]
                          or 0) + 1
    validate_instance(criterion)
    criterion.save()
    event_record(actor=actor, verb="criterion.created", target=criterion, poc=poc, team=poc.team)
    return criterion


@transaction.atomic
def criterion_update(*, actor, criterion: Criterion, **changes: Any) -> Criterion:
    poc = criterion.poc
    require_perm(actor, "pocdesk.edit_poc", poc)
    require_open(poc)
    criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
    diff = apply_changes(criterion, _clean_spec(changes), allowed=set(SPEC_FIELDS))
    if not diff:
        return criterion
    validate_instance(criterion)
    criterion.save()
    event_record(actor=actor, verb="criterion.changed", target=criterion, poc=poc, team=poc.team,
                 data={"changes": diff})
    return criterion


@transaction.atomic
def criterion_delete(*, actor, criterion: Criterion) -> None:
    poc = criterion.poc
    require_perm(actor, "pocdesk.edit_poc", poc)
    require_open(poc)
    event_record(actor=actor, verb="criterion.deleted", target=criterion, poc=poc, team=poc.team)
    criterion.delete()


@transaction.atomic
def criteria_reorder(*, actor, poc: POC, keys: list[str]) -> None:
    """Put the draft criteria in the given order (by key); unknown keys are refused."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    require_open(poc)
    criteria = {str(c.key): c for c in Criterion.objects.filter(poc=poc)}
    if sorted(keys) != sorted(criteria):
        raise ValidationFailed({"keys": [_("Give every criterion of this POC exactly once.")]})
    for position, key in enumerate(keys, start=1):
        criteria[key].position = position
    Criterion.objects.bulk_update(criteria.values(), ["position"])


@transaction.atomic
def criterion_move(*, actor, criterion: Criterion, direction: str) -> None:
    """Swap a criterion with its neighbour above ("up") or below ("down"); at an end, nothing."""
    require_perm(actor, "pocdesk.edit_poc", criterion.poc)
    require_open(criterion.poc)
    if direction not in ("up", "down"):
        raise ValidationFailed({"direction": [_("Move it up or down.")]})
    keys = [str(key) for key in Criterion.objects.filter(poc=criterion.poc)
            .order_by("position", "id").values_list("key", flat=True)]
    index = keys.index(str(criterion.key))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(keys):
        keys[index], keys[other] = keys[other], keys[index]
        criteria_reorder(actor=actor, poc=criterion.poc, keys=keys)


def _spec_of(source) -> dict[str, Any]:
    return {name: getattr(source, name) for name in SPEC_FIELDS}


@transaction.atomic
def criteria_add_from_templates(*, actor, poc: POC, templates: list[CriterionTemplate]
                                ) -> list[Criterion]:
    """Start (or extend) the POC's draft criteria from library templates."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    require_open(poc)
    if not templates:
        raise ValidationFailed({"templates": [_("Choose at least one criterion of the library.")]})
    if any(template.team_id != poc.team_id for template in templates):
        raise ValidationFailed({"templates": [_("Choose criteria of this team's library.")]})
    created = _copy(poc, [_spec_of(template) for template in templates])
    event_record(actor=actor, verb="criteria.copied", target=poc, poc=poc, data={
        "count": len(created), "source": str(_("the criteria library"))})
    return created


@transaction.atomic
def criteria_copy_from_poc(*, actor, poc: POC, source: POC) -> list[Criterion]:
    """Add a copy of another POC's current draft criteria (which the actor may see)."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    require_open(poc)
    if not actor.has_perm("pocdesk.view_team_object", source):
        raise PermissionDenied()
    if source.pk == poc.pk:
        raise ValidationFailed({"source": [_("Choose another POC.")]})
    specs = [_spec_of(c) for c in Criterion.objects.filter(poc=source).order_by("position", "id")]
    if not specs:
        raise ValidationFailed({"source": [_("That POC has no success criteria to copy.")]})
    created = _copy(poc, specs)
    event_record(actor=actor, verb="criteria.copied", target=poc, poc=poc, data={
        "count": len(created), "source": source.title})
    return created


def _copy(poc: POC, specs: list[dict[str, Any]]) -> list[Criterion]:
    start = Criterion.objects.filter(poc=poc).aggregate(p=Max("position"))["p"] or 0
    created = []
    for offset, spec in enumerate(specs, start=1):
        criterion = Criterion(poc=poc, position=start + offset, **spec)
        validate_instance(criterion)
        created.append(criterion)
    Criterion.objects.bulk_create(created)
    return created


@transaction.atomic
def criterion_template_create(*, actor, criterion: Criterion, industry: str = ""
                              ) -> CriterionTemplate:
    """Save a POC criterion to its team's library."""
    require_perm(actor, "pocdesk.edit_poc", criterion.poc)
    template = CriterionTemplate(team_id=criterion.poc.team_id, created_by=actor,
                                 industry=(industry or "").strip(), **_spec_of(criterion))
    validate_instance(template)
    template.save()
    event_record(actor=actor, verb="criterion_template.created", target=template,
                 team=template.team)
    return template


@transaction.atomic
def criterion_template_delete(*, actor, template: CriterionTemplate) -> None:
    """Its author or a manager of the team removes a template from the library."""
    require_perm(actor, "pocdesk.edit_poc", template)
    if template.created_by_id != actor.pk and not actor.has_perm("pocdesk.manage_team", template):
        raise PermissionDenied(_("Only its author or a manager can remove it from the library."))
    event_record(actor=actor, verb="criterion_template.deleted", target=template,
                 team=template.team)
    template.delete()
