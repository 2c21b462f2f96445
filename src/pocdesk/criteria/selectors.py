"""Reads of success criteria and of the criteria library."""

from __future__ import annotations

from django.db.models import Count

from pocdesk.core.errors import NotFound
from pocdesk.people.roles import scope_to_user
from pocdesk.pocs.models import POC

from .models import Criterion, CriterionTemplate


def criteria_for_poc(*, poc: POC):
    """The live draft criteria of a POC the caller may see (checked by poc_get)."""
    return Criterion.objects.filter(poc=poc).order_by("position", "id")


def criterion_get(*, poc: POC, criterion_id) -> Criterion:
    criterion = criteria_for_poc(poc=poc).filter(pk=criterion_id).select_related("poc").first()
    if criterion is None:
        raise NotFound()
    return criterion


def criterion_templates(*, user, team_id: int | None = None, q: str = ""):
    templates = scope_to_user(CriterionTemplate.objects.all(), user).select_related("team")
    if team_id:
        templates = templates.filter(team_id=team_id)
    if q:
        templates = templates.filter(title__icontains=q)
    return templates.order_by("title", "id")


def criterion_template_get(*, user, template_id) -> CriterionTemplate:
    template = criterion_templates(user=user).filter(pk=template_id).first()
    if template is None:
        raise NotFound()
    return template


def criteria_copy_sources(*, user, exclude: POC | None = None, limit: int = 200):
    """Other POCs the user may see that have criteria to copy, newest first."""
    pocs = (scope_to_user(POC.objects.all(), user)
            .annotate(criteria_count=Count("criteria")).filter(criteria_count__gt=0)
            .select_related("opportunity__account").order_by("-created_at"))
    if exclude is not None:
        pocs = pocs.exclude(pk=exclude.pk)
    return pocs[:limit]
