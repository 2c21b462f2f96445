"""/api/v1/opportunities/{id}/score: the model's win probability with its factors, and the
manual override (§10)."""

import datetime
from typing import Annotated

from ninja import Field, Router, Schema, Status

from pocdesk.core.api import InputSchema, ObjectId, Text, error_responses
from pocdesk.opportunities.selectors import opportunity_get

from .models import DataSufficiency
from .scoring import closed_refusal, score_data, score_get, score_override, score_override_clear

router = Router(tags=["Win probability"])  # mounted at /opportunities

Percent = Annotated[int, Field(strict=True, ge=0, le=100)]


class FactorOut(Schema):
    feature: str = Field(description="The feature's key.")
    label: str = Field(description="The feature in the reader's language.")
    value: str | None = Field(description="This deal's value, as stored (null: not known).")
    direction: str = Field(description="positive (raises the chance) or negative.")
    weight: float = Field(description="The change in probability this value brings compared "
                          "with not knowing it (0.12 = 12 points).")
    message: str = Field(description="The factor in words, in the reader's language.")


class OverrideOut(Schema):
    probability: int
    reason: str
    by: str
    at: datetime.datetime


class ScoreOut(Schema):
    probability: float = Field(description="The probability planning uses, 0–1: the override "
                               "when there is one, else the model's.")
    model_probability: float = Field(description="The model's own probability, 0–1.")
    estimator: str = Field(description="naive_bayes, logistic, boosting or base_rate: the one "
                           "with the best cross-validated Brier score on the team's deals.")
    data_sufficiency: str = Field(description="One of " + ", ".join(DataSufficiency.values)
                                  + ", from the team's own closed deals.")
    trained_on: int = Field(description="Closed deals the model learnt from (all teams and "
                            "imported history).")
    team_deals: int = Field(description="Of which the team's own.")
    computed_at: datetime.datetime
    factors: list[FactorOut] = Field(description="The strongest factors each way.")
    overridden: bool
    override: OverrideOut | None


class OverrideIn(InputSchema):
    probability: Percent = Field(description="The probability to use, in percent.")
    reason: Text = Field(description="Why the model is overridden.")


@router.get("/{opportunity_id}/score", response={200: ScoreOut, **error_responses(404, 409, 422)},
            operation_id="score_get", summary="The win probability",
            description="The model's probability for an open deal, with its top positive and "
            "negative factors, the data sufficiency and any manual override. A deal never "
            "scored before is scored on the spot. 409 `opportunity_closed` for a closed deal "
            "that was never scored.")
def get_score(request, opportunity_id: ObjectId):
    opportunity = opportunity_get(user=request.auth, opportunity_id=opportunity_id)
    score = score_get(opportunity=opportunity)
    if score is None:
        raise closed_refusal()
    return score_data(score)


@router.put("/{opportunity_id}/score/override",
            response={200: ScoreOut, **error_responses(403, 404, 409, 422)},
            operation_id="score_override", summary="Override the win probability",
            description="A member of the deal's team sets the probability planning uses, with "
            "a reason; the model's own stays visible and recomputations keep the override.")
def put_override(request, opportunity_id: ObjectId, payload: OverrideIn):
    opportunity = opportunity_get(user=request.auth, opportunity_id=opportunity_id)
    score_override(actor=request.auth, opportunity=opportunity, **payload.model_dump())
    return score_data(score_get(opportunity=opportunity))


@router.delete("/{opportunity_id}/score/override",
               response={204: None, **error_responses(403, 404, 422)},
               operation_id="score_override_clear", summary="Hand back to the model",
               description="Removes the manual override.")
def delete_override(request, opportunity_id: ObjectId):
    opportunity = opportunity_get(user=request.auth, opportunity_id=opportunity_id)
    score_override_clear(actor=request.auth, opportunity=opportunity)
    return Status(204, None)
