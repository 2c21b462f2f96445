"""/api/v1/pocs/{id}/qualification and /commitment: the gate (§4) and the commitment ladder."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Router, Schema

from pocdesk.core.api import InputSchema, ObjectId, Text, UserRef, error_responses
from pocdesk.pocs.api import POCOut
from pocdesk.pocs.models import CommitmentLevel
from pocdesk.pocs.selectors import poc_get

from .gate import FAILED, GO, GO_WITH_CONDITIONS, NOT_APPLICABLE, PASSED, WALK_AWAY
from .selectors import qualification_evaluate, qualification_override_for
from .services import poc_commitment_set

router = Router(tags=["Qualification"])


class CheckOut(Schema):
    code: str = Field(description="Stable code of the check, e.g. `budget_confirmed`.")
    status: str = Field(description=f"`{PASSED}`, `{FAILED}` or `{NOT_APPLICABLE}` (the team's "
                        "policy does not use it).")
    passed: bool
    mandatory: bool = Field(description="A failed mandatory check blocks draft → qualified.")
    message: str = Field(description="What was found, in the reader's language.")
    points: int = Field(description="Points this check earns in the score.")
    fix: str = Field(description="Where to fix it: `opportunity`, `qualification`, "
                     "`stakeholders`, `engagement`, `commitment`, or empty.")


class RedFlagOut(Schema):
    code: str
    message: str
    penalty: int = Field(description="Points taken off the score.")


class ScoreItemOut(Schema):
    code: str = Field(description="The check or red flag.")
    points: int = Field(description="Points earned (negative for a red flag's penalty).")
    of: int = Field(description="Points the check can earn (0 for a red flag).")
    message: str


class OverrideOut(Schema):
    by: UserRef = Field(description="The manager who overrode the gate.")
    justification: str
    unmet: list[str] = Field(description="The mandatory checks that failed at the time.")
    at: datetime.datetime

    @staticmethod
    def resolve_by(obj):
        return obj.overridden_by

    @staticmethod
    def resolve_at(obj) -> datetime.datetime:
        return obj.created_at


class QualificationOut(Schema):
    score: int = Field(description="0–100, every point explained in `score_items`.")
    verdict: str = Field(description=f"`{GO}`, `{GO_WITH_CONDITIONS}` or `{WALK_AWAY}`.")
    checks: list[CheckOut]
    red_flags: list[RedFlagOut]
    reasons: list[str] = Field(description="Why this verdict, in the reader's language.")
    score_items: list[ScoreItemOut]
    override: OverrideOut | None = Field(
        description="A manager's override of the gate, if any (see POST /pocs/{id}/transition).")


class CommitmentIn(InputSchema):
    level: int = Field(ge=0, le=3, description="0 none; 1 collaborative agreement in writing "
                       "(needs `commitment_reference`); 2 funded POC (needs `funded_amount` or "
                       "`funded_share`); 3 conditional purchase order (needs "
                       "`conditional_po_reference`, `conditional_po_value` and "
                       "`conditional_po_criteria`).")
    commitment_reference: Text | None = Field(None, max_length=200,
                                       description="The written agreement's reference.")
    funded_amount: Decimal | None = Field(None, description="What the customer pays, in the "
                                          "opportunity's currency.")
    funded_share: Decimal | None = Field(None, description="Share of the POC cost the customer "
                                         "pays, in %.")
    conditional_po_reference: Text | None = Field(None, max_length=200)
    conditional_po_value: Decimal | None = None
    conditional_po_criteria: Text | None = None


@router.get("/{poc_id}/qualification",
            response={200: QualificationOut, **error_responses(404, 422)},
            operation_id="poc_qualification", summary="The POC's qualification gate",
            description="The gate's checks (mandatory ones block draft → qualified), the red "
            "flags, the explained 0–100 score and the verdict, computed now from the "
            "opportunity, its stakeholders and their engagements, and the POC's commitment.")
def get_qualification(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    result = qualification_evaluate(poc=poc)
    return {
        "score": result.score, "verdict": result.verdict,
        "checks": [{"code": check.code, "status": check.status, "passed": check.passed,
                    "mandatory": check.mandatory, "message": check.message,
                    "points": check.points, "fix": check.fix} for check in result.checks],
        "red_flags": result.red_flags,
        "reasons": [str(reason) for reason in result.reasons],
        "score_items": result.score_items,
        "override": qualification_override_for(poc=poc),
    }


@router.put("/{poc_id}/commitment", response={200: POCOut, **error_responses(403, 404, 422)},
            operation_id="poc_commitment_set", summary="Set the POC's commitment level",
            description="Account executives and managers of the team set the commitment "
            "ladder's level (" + ", ".join(f"{level} {label}" for level, label in
                                           CommitmentLevel.choices) + ") with the evidence that "
            "level needs (422 naming the missing fields). Evidence fields left out keep their "
            "value; send `null` or `\"\"` to clear one.")
def set_commitment(request, poc_id: ObjectId, payload: CommitmentIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    evidence: dict[str, Any] = payload.model_dump(exclude_unset=True, exclude={"level"})
    for name in ("commitment_reference", "conditional_po_reference", "conditional_po_criteria"):
        if name in evidence and evidence[name] is None:
            evidence[name] = ""
    poc_commitment_set(actor=request.auth, poc=poc, level=payload.level, **evidence)
    return poc_get(user=request.auth, poc_id=poc_id)
