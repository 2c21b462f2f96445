"""The engineers' win assessments (§10): after a presales activity, their own win probability
for the deal, with how sure they are and why. The history is the point, so an assessment is
never edited: a wrong one is deleted soon after by its author, or later by a manager.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from pocdesk.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.pdf import plain_text
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import as_date, clean_values, validate_instance
from pocdesk.opportunities.models import Opportunity
from pocdesk.people.selectors import user_label
from pocdesk.pocs.models import POC

from .models import ActivityKind, Assessment

RATIONALE_LIMIT = 4_000
EXCERPT_LENGTH = 140
# Long enough to notice a slip, short enough that the history stays what was thought then.
AUTHOR_DELETE_WINDOW = datetime.timedelta(hours=24)


def _activity_label(code: str) -> str:
    return str(ActivityKind(code).label) if code in ActivityKind.values else code


register_event_verbs({
    "assessment.recorded": lambda event: _(
        "Win probability assessed at %(probability)s%% after: %(activity)s") % {
        "probability": (event.data or {}).get("probability", "?"),
        "activity": _activity_label((event.data or {}).get("activity", ""))},
    "assessment.deleted": lambda event: _(
        "Win assessment of %(probability)s%% deleted (%(activity)s)") % {
        "probability": (event.data or {}).get("probability", "?"),
        "activity": _activity_label((event.data or {}).get("activity", ""))},
})


# -- checks -----------------------------------------------------------------------------------

def _probability(value, errors: dict) -> int | None:
    """A whole number of percent: 62.5 or true is refused rather than rounded or read as 1."""
    if value is None or (isinstance(value, str) and not value.strip()):
        errors["probability"] = [_("This field is required.")]
        return None
    number = None
    if isinstance(value, int | float | decimal.Decimal | str) and not isinstance(value, bool):
        try:
            number = int(value.strip()) if isinstance(value, str) else int(value)
        except (ValueError, OverflowError, ArithmeticError):
            number = None
        if number is not None and not isinstance(value, str) and number != value:
            number = None  # a fraction
    if number is None or not 0 <= number <= 100:
        errors["probability"] = [_("Enter a whole number from 0 to 100.")]
        return None
    return number


def _activity_date(value, errors: dict) -> datetime.date | None:
    activity_date = as_date(value, "activity_date", errors, required=True)
    if activity_date is not None and activity_date > timezone.localdate():
        errors["activity_date"] = [_("The activity date cannot be in the future.")]
        return None
    return activity_date


def _rationale(value, errors: dict) -> str:
    text = plain_text(value)
    if not text:
        errors["rationale"] = [_("Say why: the rationale is required.")]
    elif len(text) > RATIONALE_LIMIT:
        errors["rationale"] = [_("At most %(count)d characters.") % {"count": RATIONALE_LIMIT}]
    return text


def _poc_of(opportunity: Opportunity, poc, errors: dict) -> POC | None:
    """The POC an assessment was made in, given as a POC or its id: one of the same deal."""
    if poc in (None, ""):
        return None
    poc_id = str(getattr(poc, "pk", poc)).strip()
    found = None
    if poc_id.isascii() and poc_id.isdigit() and len(poc_id) < 19:
        found = POC.objects.filter(pk=int(poc_id), opportunity=opportunity).first()
    if found is None:
        errors["poc"] = [_("Choose a POC of this opportunity.")]
    return found


# -- writes -----------------------------------------------------------------------------------

@transaction.atomic
def assessment_record(*, actor, opportunity: Opportunity, activity: str, activity_date,
                      probability, confidence: str, rationale: str, poc=None) -> Assessment:
    """Record an engineer's win probability after an activity; refused once the deal closed,
    when a probability would only restate the outcome."""
    require_perm(actor, "pocdesk.edit_poc", opportunity)
    opportunity = (Opportunity.objects.select_for_update(of=("self",)).select_related("team")
                   .get(pk=opportunity.pk))
    if not opportunity.is_active:
        raise ApplicationError("opportunity_closed", _(
            "This opportunity is closed (%(stage)s): its win probability is no longer "
            "assessed.") % {"stage": opportunity.get_stage_display()}, status=409)
    errors: dict[str, list[str]] = {}
    assessment = Assessment(opportunity=opportunity, assessed_by=actor)
    values: dict[str, Any] = clean_values(assessment, {
        "activity": str(activity or "").strip(),
        "confidence": str(confidence or "").strip()}, errors)
    values["probability"] = _probability(probability, errors)
    values["activity_date"] = _activity_date(activity_date, errors)
    values["rationale"] = _rationale(rationale, errors)
    values["poc"] = _poc_of(opportunity, poc, errors)
    if errors:
        raise ValidationFailed(errors)
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.created_at = timezone.now()
    validate_instance(assessment, exclude=["opportunity", "poc", "assessed_by"])
    assessment.save()
    event_record(actor=actor, verb="assessment.recorded", target=assessment,
                 poc=assessment.poc, team=opportunity.team,
                 data=_event_data(assessment))
    return assessment


def _event_data(assessment: Assessment) -> dict[str, Any]:
    return {"opportunity": assessment.opportunity_id, "probability": assessment.probability,
            "confidence": assessment.confidence, "activity": assessment.activity,
            "activity_date": assessment.activity_date.isoformat()}


def _require_delete(actor, assessment: Assessment) -> None:
    """Managers (and admins) delete any assessment; its author only within the window."""
    require_perm(actor, "pocdesk.edit_poc", assessment.opportunity)
    if actor.has_perm("pocdesk.manage_team", assessment.opportunity):
        return
    if assessment.assessed_by_id != actor.pk:
        raise PermissionDenied(_(
            "Only the author of an assessment or a manager of the team may delete it."))
    if timezone.now() - assessment.created_at > AUTHOR_DELETE_WINDOW:
        raise ApplicationError("delete_window_passed", _(
            "An assessment can be deleted by its author within 24 hours of recording it; "
            "ask a manager of the team."), status=409)


def assessment_may_delete(*, actor, assessment: Assessment) -> bool:
    """Whether `assessment_delete` would let `actor` delete it now (to offer the button)."""
    try:
        _require_delete(actor, assessment)
    except ApplicationError:
        return False
    return True


@transaction.atomic
def assessment_delete(*, actor, assessment: Assessment) -> None:
    """Delete a mistaken assessment; the Event keeps what it said."""
    assessment = (Assessment.objects.select_for_update(of=("self",))
                  .select_related("opportunity", "opportunity__team", "poc")
                  .filter(pk=assessment.pk).first())
    if assessment is None:
        raise NotFound()
    _require_delete(actor, assessment)
    event_record(actor=actor, verb="assessment.deleted", target=assessment,
                 poc=assessment.poc, team=assessment.opportunity.team,
                 data={**_event_data(assessment), "assessed_by": assessment.assessed_by_id})
    assessment.delete()


# -- reads ------------------------------------------------------------------------------------

def assessment_list(*, opportunity: Opportunity):
    """The opportunity's assessments, newest activity first (one query)."""
    return (Assessment.objects.filter(opportunity=opportunity)
            .select_related("assessed_by", "assessed_by__profile", "poc")
            .order_by("-activity_date", "-created_at", "-pk"))


def assessment_history(*, opportunity: Opportunity) -> list[Assessment]:
    history = list(assessment_list(opportunity=opportunity))
    for assessment in history:
        assessment.opportunity = opportunity  # known already: no query per row to reach it
    return history


def assessment_get(*, opportunity: Opportunity, assessment_id: int) -> Assessment:
    """One assessment of an opportunity the caller already sees; 404 for any other."""
    assessment = assessment_list(opportunity=opportunity).filter(pk=assessment_id).first()
    if assessment is None:
        raise NotFound()
    return assessment


def assessment_chart(*, opportunity: Opportunity,
                     assessments: list[Assessment] | None = None) -> dict[str, Any]:
    """The history as Chart.js wants it, oldest first: one label (the date in the reader's
    format) and one value per point, and per point who assessed, after what, and how sure they
    were.

    `assessments` reuses a history already read (newest first) so that a page reads it once.
    """
    if assessments is None:
        assessments = assessment_history(opportunity=opportunity)
    points = list(reversed(assessments))
    return {
        "labels": [date_format(assessment.activity_date, "SHORT_DATE_FORMAT")
                   for assessment in points],
        "probabilities": [assessment.probability for assessment in points],
        "points": [{
            "probability": assessment.probability,
            "confidence": assessment.confidence,
            "confidence_label": str(assessment.get_confidence_display()),
            "activity": assessment.activity,
            "activity_label": str(assessment.get_activity_display()),
            "author": user_label(assessment.assessed_by),
            "rationale": Truncator(" ".join(assessment.rationale.split())).chars(
                EXCERPT_LENGTH),
        } for assessment in points],
        "series_label": str(_("Win probability (%)")),
    }
