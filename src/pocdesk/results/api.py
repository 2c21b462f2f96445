"""Results endpoints: results, retrospective, costs and the ROI sheet of a POC.

Closing itself stays `POST /pocs/{id}/transition {"to": "closed"}`: GET /results lists what
still stops it, with the same codes as the refusal.
"""

from dataclasses import asdict
from typing import Any

from ninja import Router, Status

from pocdesk.core.api import ObjectId, error_responses
from pocdesk.pocs.selectors import poc_get

from .api_schemas import (
    STATUS_HELP,
    CostEntryIn,
    CostEntryOut,
    CostEntryPatch,
    CostOverviewOut,
    ReasonOut,
    ResultsIn,
    ResultsOut,
    RetrospectiveIn,
    RetrospectiveOut,
    RiskCostsIn,
)
from .selectors import (
    cost_entries_for_poc,
    cost_entry_get,
    cost_summary,
    loss_reasons,
    results_overview,
    retrospective_for_poc,
    roi_sheet,
)
from .services import (
    cost_entry_create,
    cost_entry_delete,
    cost_entry_update,
    result_save,
    retrospective_carry_risks,
    retrospective_save,
    risk_costs_save,
)

router = Router(tags=["Results"])  # mounted at /pocs
reasons_router = Router(tags=["Results"])  # mounted at /result-reasons

def _retrospective(poc) -> dict[str, Any]:
    retrospective = retrospective_for_poc(poc=poc)
    if retrospective is None:
        return {"went_well": "", "to_improve": "", "submitted": False, "submitted_at": None,
                "submitted_by": None, "lessons": []}
    return {"went_well": retrospective.went_well, "to_improve": retrospective.to_improve,
            "submitted": retrospective.submitted_at is not None,
            "submitted_at": retrospective.submitted_at,
            "submitted_by": retrospective.submitted_by,
            "lessons": list(retrospective.lessons.all())}


def _overview(poc) -> dict[str, Any]:
    costs = cost_summary(poc=poc)
    return {"costs": asdict(costs), "roi": asdict(roi_sheet(poc=poc, costs=costs))}


# --- results ---------------------------------------------------------------------------------

@router.get("/{poc_id}/results", response={200: ResultsOut, **error_responses(404, 422)},
            operation_id="results_get", summary="Read the results and what stops closing",
            description="The recorded results, the technical result the criteria give now "
            "(`derivation`), the unmet close checks and whether the POC can close.")
def get_results(request, poc_id: ObjectId):
    return results_overview(poc=poc_get(user=request.auth, poc_id=poc_id))


@router.put("/{poc_id}/results", response={200: ResultsOut, **error_responses(403, 404, 409,
                                                                               422)},
            operation_id="results_save", summary="Record the results",
            description="Send only the fields to change. The technical result defaults to the "
            "derived one. Allowed while the POC runs, is paused or is being evaluated. "
            + STATUS_HELP)
def put_results(request, poc_id: ObjectId, payload: ResultsIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    result_save(actor=request.auth, poc=poc, **payload.model_dump(exclude_unset=True))
    return results_overview(poc=poc)


# --- retrospective ---------------------------------------------------------------------------

@router.get("/{poc_id}/retrospective",
            response={200: RetrospectiveOut, **error_responses(404, 422)},
            operation_id="retrospective_get", summary="Read the retrospective")
def get_retrospective(request, poc_id: ObjectId):
    return _retrospective(poc_get(user=request.auth, poc_id=poc_id))


@router.put("/{poc_id}/retrospective",
            response={200: RetrospectiveOut, **error_responses(403, 404, 409, 422)},
            operation_id="retrospective_save", summary="Save or submit the retrospective",
            description="Fields left out are kept; `lessons` replaces the list (rows keep "
            "their identity by `key`). Closing needs it submitted. " + STATUS_HELP)
def put_retrospective(request, poc_id: ObjectId, payload: RetrospectiveIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    retrospective_save(actor=request.auth, poc=poc, **payload.model_dump(exclude_unset=True))
    return _retrospective(poc)


@router.post("/{poc_id}/retrospective/carry-risks",
             response={200: RetrospectiveOut, **error_responses(403, 404, 409, 422)},
             operation_id="retrospective_carry_risks",
             summary="Carry the log's technical risks over",
             description="Copies the technical risks of the execution log not carried over "
             "yet as risk memo items; calling it again adds nothing new. " + STATUS_HELP)
def carry_risks(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    retrospective_carry_risks(actor=request.auth, poc=poc)
    return _retrospective(poc)


# --- costs -----------------------------------------------------------------------------------

@router.get("/{poc_id}/costs", response={200: list[CostEntryOut], **error_responses(404, 422)},
            operation_id="cost_list", summary="List the recorded costs",
            description="Planned and actual cost entries (the agreement's cost lines are in "
            "GET /pocs/{id}/cost-summary).")
def list_costs(request, poc_id: ObjectId):
    return list(cost_entries_for_poc(poc=poc_get(user=request.auth, poc_id=poc_id)))


@router.post("/{poc_id}/costs",
             response={201: CostEntryOut, **error_responses(403, 404, 409, 422)},
             operation_id="cost_create", summary="Record a cost",
             description="Labour: `hours` × `hourly_rate` (the team's internal rate of `role` "
             "unless given); other categories: `amount`. Allowed after closing; 409 "
             "`poc_walked_away` for a POC walked away from.")
def create_cost(request, poc_id: ObjectId, payload: CostEntryIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    entry = cost_entry_create(actor=request.auth, poc=poc, **payload.model_dump())
    return Status(201, cost_entry_get(poc=poc, cost_id=entry.pk))


@router.patch("/{poc_id}/costs/{cost_id}",
              response={200: CostEntryOut, **error_responses(403, 404, 409, 422)},
              operation_id="cost_update", summary="Correct a cost",
              description="Send only the fields to change; a labour cost's amount follows its "
              "hours and rate.")
def update_cost(request, poc_id: ObjectId, cost_id: ObjectId, payload: CostEntryPatch):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    entry = cost_entry_get(poc=poc, cost_id=cost_id)
    cost_entry_update(actor=request.auth, entry=entry, **payload.model_dump(exclude_unset=True))
    return cost_entry_get(poc=poc, cost_id=cost_id)


@router.delete("/{poc_id}/costs/{cost_id}",
               response={204: None, **error_responses(403, 404, 409, 422)},
               operation_id="cost_delete", summary="Delete a cost")
def delete_cost(request, poc_id: ObjectId, cost_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    cost_entry_delete(actor=request.auth, entry=cost_entry_get(poc=poc, cost_id=cost_id))
    return Status(204, None)


@router.get("/{poc_id}/cost-summary",
            response={200: CostOverviewOut, **error_responses(404, 422)},
            operation_id="cost_summary_get", summary="Cost summary and ROI sheet",
            description="Planned and actual costs in the team's reporting currency, by "
            "category and payer, the cost as a percent of the deal (warning above the team's "
            "threshold), and the ROI sheet: the expected cost of the risks the POC removes "
            "against its cost.")
def get_cost_summary(request, poc_id: ObjectId):
    return _overview(poc_get(user=request.auth, poc_id=poc_id))


@router.put("/{poc_id}/risk-costs",
            response={200: CostOverviewOut, **error_responses(403, 404, 409, 422)},
            operation_id="risk_costs_save", summary="Set the ROI sheet's risks",
            description="Replaces the list of risks the POC removes, each with its likelihood "
            "without the POC and its cost to the customer.")
def put_risk_costs(request, poc_id: ObjectId, payload: RiskCostsIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    risk_costs_save(actor=request.auth, poc=poc, rows=payload.model_dump()["rows"])
    return _overview(poc)


# --- the reason taxonomy ---------------------------------------------------------------------

@reasons_router.get("", response={200: list[ReasonOut], **error_responses(422)},
                    operation_id="result_reason_list", summary="List the result reasons",
                    description="The active reasons of the taxonomy, in order, labelled in the "
                    "reader's language.")
def list_reasons(request):
    return loss_reasons()
