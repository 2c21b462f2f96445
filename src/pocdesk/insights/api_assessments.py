"""/api/v1/opportunities/{id}/assessments: the engineers' win probability after each activity
(§10), newest first."""

import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pocdesk.core.api import (
    PAGINATION_HELP,
    InputSchema,
    ObjectId,
    PageNumber,
    Text,
    UserRef,
    choice,
    error_responses,
)
from pocdesk.opportunities.selectors import opportunity_get

from .assessments import (
    RATIONALE_LIMIT,
    assessment_delete,
    assessment_get,
    assessment_list,
    assessment_record,
)
from .models import ActivityKind, Confidence

router = Router(tags=["Win probability"])  # mounted at /opportunities

ActivityChoice = choice(ActivityKind.values)
ConfidenceChoice = choice(Confidence.values)
Percent = Annotated[int, Field(strict=True, ge=0, le=100)]


class AssessedPocRef(Schema):
    id: int
    title: str


class AssessmentOut(Schema):
    id: int
    opportunity: int = Field(description="Opportunity id.")
    poc: AssessedPocRef | None = Field(description="The POC the activity belonged to, if any.")
    activity: str = Field(description="One of " + ", ".join(ActivityKind.values) + ".")
    activity_label: str = Field(description="The activity in the reader's language.")
    activity_date: datetime.date
    probability: int = Field(description="Win probability in percent, 0–100.")
    confidence: str = Field(description="One of " + ", ".join(Confidence.values) + ".")
    confidence_label: str = Field(description="The confidence in the reader's language.")
    rationale: str
    assessed_by: UserRef
    created_at: datetime.datetime

    @staticmethod
    def resolve_opportunity(obj) -> int:
        return obj.opportunity_id

    @staticmethod
    def resolve_activity_label(obj) -> str:
        return str(obj.get_activity_display())

    @staticmethod
    def resolve_confidence_label(obj) -> str:
        return str(obj.get_confidence_display())


class AssessmentIn(InputSchema):
    activity: ActivityChoice = Field(description="The presales activity after which the "
                                     "probability is assessed.")
    activity_date: datetime.date | None = Field(
        None, description="When the activity took place (not in the future); by default today.")
    probability: Percent = Field(description="Win probability in percent, a whole number "
                                 "0–100.")
    confidence: ConfidenceChoice = Confidence.MEDIUM.value
    rationale: Text = Field(description=f"Why: plain text, at most {RATIONALE_LIMIT} "
                            "characters.")
    poc: ObjectId | None = Field(None, description="A POC of this opportunity the activity "
                                 "belonged to.")


@router.get("/{opportunity_id}/assessments",
            response={200: list[AssessmentOut], **error_responses(404, 422)},
            operation_id="assessment_list", summary="List the win assessments",
            description="The engineers' win probabilities for the deal, newest activity first. "
            + PAGINATION_HELP)
@paginate(PageNumber)
def list_assessments(request, opportunity_id: ObjectId):
    opportunity = opportunity_get(user=request.auth, opportunity_id=opportunity_id)
    return assessment_list(opportunity=opportunity)


@router.post("/{opportunity_id}/assessments",
             response={201: AssessmentOut, **error_responses(403, 404, 409, 422)},
             operation_id="assessment_record", summary="Record a win assessment",
             description="Any member of the deal's team records their win probability after a "
             "presales activity. 409 `opportunity_closed` once the deal is won or lost.")
def record_assessment(request, opportunity_id: ObjectId, payload: AssessmentIn):
    opportunity = opportunity_get(user=request.auth, opportunity_id=opportunity_id)
    values = payload.model_dump()
    values["activity_date"] = values["activity_date"] or timezone.localdate()
    assessment = assessment_record(actor=request.auth, opportunity=opportunity, **values)
    return Status(201, assessment_get(opportunity=opportunity, assessment_id=assessment.pk))


@router.delete("/{opportunity_id}/assessments/{assessment_id}",
               response={204: None, **error_responses(403, 404, 409, 422)},
               operation_id="assessment_delete", summary="Delete a win assessment",
               description="Its author may delete it within 24 hours of recording it (409 "
               "`delete_window_passed` after); a manager of the team at any time.")
def delete_assessment(request, opportunity_id: ObjectId, assessment_id: ObjectId):
    opportunity = opportunity_get(user=request.auth, opportunity_id=opportunity_id)
    assessment_delete(actor=request.auth,
                      assessment=assessment_get(opportunity=opportunity,
                                                assessment_id=assessment_id))
    return Status(204, None)
