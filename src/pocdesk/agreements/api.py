"""/api/v1/pocs/{id}/agreement: the POC agreement's clauses, customer resources and cost sharing
(§5.4), and its signed versions (shared with the success criteria, see signoffs.api)."""

import datetime
import uuid
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from pocdesk.core.api import InputSchema, ObjectId, Text, choice, error_responses
from pocdesk.core.errors import NotFound
from pocdesk.pocs.selectors import poc_get
from pocdesk.signoffs.api import add_version_routes

from .models import CostCategory, FollowOnKind, Payer, ResourceKind, ResourceStatus
from .selectors import agreement_exit_status, agreement_for_poc
from .services import agreement_save, customer_resource_status_set

router = Router(tags=["Agreement"])  # mounted at /pocs

FollowOnChoice = choice(FollowOnKind.values)
ResourceKindChoice = choice(ResourceKind.values)
ResourceStatusChoice = choice(ResourceStatus.values)
CategoryChoice = choice(CostCategory.values)
PayerChoice = choice(Payer.values)


# --- output ----------------------------------------------------------------------------------

class ResourceOut(Schema):
    key: uuid.UUID = Field(description="Stable identity across versions; send it back in PUT "
                           "to keep it.")
    kind: str = Field(description="One of " + ", ".join(ResourceKind.values) + ".")
    description: str
    due_date: datetime.date
    status: str = Field(description="One of " + ", ".join(ResourceStatus.values) + " "
                        "(operational: not part of the signed content).")


class CostLineOut(Schema):
    key: uuid.UUID = Field(description="Stable identity across versions; send it back in PUT "
                           "to keep it.")
    category: str = Field(description="One of " + ", ".join(CostCategory.values) + ".")
    description: str
    amount: str = Field(description="Decimal string.")
    currency: str
    paid_by: str = Field(description="One of " + ", ".join(Payer.values) + ".")

    @staticmethod
    def resolve_amount(obj) -> str:
        return str(obj.amount)


class ExitStatusOut(Schema):
    deadline: datetime.date = Field(description="The agreed end date.")
    trigger_date: datetime.date = Field(description="When the exit clause applies: the end "
                                        "date plus the allowed slip.")
    days_late: int = Field(description="Days past the agreed end date (0 before it).")
    reached: bool = Field(description="The slip allowance is exceeded and the POC is not "
                          "finished: the exit clause applies.")


class AgreementOut(Schema):
    id: int
    scope_included: str = Field(description="Modules and features in scope.")
    scope_excluded: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    checkpoint_cadence_days: int = Field(description="A checkpoint every N days (1–90).")
    ip_ownership: str = Field(description="Who owns what the POC produces.")
    confidentiality: str
    nda_reference: str
    follow_on_kind: str = Field(description="One of " + ", ".join(FollowOnKind.values) + ".")
    follow_on: str = Field(description="The follow-on order clause.")
    exit_slip_days: int = Field(description="The exit clause applies after the end date "
                                "slipped this many days (1–365).")
    exit_clause: str
    data_handling: str
    resources: list[ResourceOut] = Field(description="What the customer provides, by when.")
    cost_lines: list[CostLineOut] = Field(description="Cost sharing.")
    exit_status: ExitStatusOut | None = Field(description="Where the POC stands against the "
                                              "exit clause; null without an end date.")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_resources(obj) -> list:
        return list(obj.resources.all())

    @staticmethod
    def resolve_cost_lines(obj) -> list:
        return list(obj.cost_lines.all())


# --- input -----------------------------------------------------------------------------------

class ResourceIn(InputSchema):
    key: uuid.UUID | None = Field(None, description="The key of a current resource, to change "
                                  "it (fields left out keep their value); without it, a new "
                                  "resource.")
    kind: ResourceKindChoice = None
    description: Text = Field(None, max_length=300, description="Required for a new resource.")
    due_date: datetime.date = Field(None, description="Required for a new resource.")
    status: ResourceStatusChoice = None


class CostLineIn(InputSchema):
    key: uuid.UUID | None = Field(None, description="The key of a current cost line, to change "
                                  "it (fields left out keep their value); without it, a new "
                                  "line.")
    category: CategoryChoice = None
    description: Text = Field(None, max_length=300, description="Required for a new line.")
    amount: Decimal = Field(None, description="Decimal string (or number), at least 0; "
                            "required for a new line.")
    currency: Text = Field(None, max_length=3, description="ISO 4217 code; required for a new "
                           "line.")
    paid_by: PayerChoice = None


class AgreementIn(InputSchema):
    scope_included: Text = None
    scope_excluded: Text = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    checkpoint_cadence_days: int = Field(None, ge=1, le=90)
    ip_ownership: Text = None
    confidentiality: Text = None
    nda_reference: Text = Field(None, max_length=200)
    follow_on_kind: FollowOnChoice = None
    follow_on: Text = None
    exit_slip_days: int = Field(None, ge=1, le=365)
    exit_clause: Text = None
    data_handling: Text = None
    resources: list[ResourceIn] | None = Field(
        None, max_length=200, description="When given, replaces the customer resources.")
    cost_lines: list[CostLineIn] | None = Field(
        None, max_length=200, description="When given, replaces the cost lines.")


class ResourceStatusIn(InputSchema):
    status: ResourceStatusChoice


# --- helpers ---------------------------------------------------------------------------------

def _agreement_of(poc):
    """The POC's agreement with where it stands against its exit clause; 404 if none."""
    agreement = agreement_for_poc(poc=poc)
    if agreement is None:
        raise NotFound(_("No agreement yet."))
    agreement.exit_status = agreement_exit_status(poc=poc, agreement=agreement)
    return agreement


def _rows(items: list | None) -> list[dict] | None:
    if items is None:
        return None
    rows = []
    for item in items:
        row = item.model_dump(exclude_unset=True)
        if row.get("key") is not None:
            row["key"] = str(row["key"])
        rows.append(row)
    return rows


# --- versions (shared with the success criteria) ---------------------------------------------

add_version_routes(router, kind="agreement")


# --- the agreement -------------------------------------------------------------------------------

@router.get("/{poc_id}/agreement", response={200: AgreementOut, **error_responses(404, 422)},
            operation_id="agreement_get", summary="Read the POC's agreement",
            description="The live draft of the agreement. 404 `not_found` until it is started "
            "with PUT.")
def get_agreement(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return _agreement_of(poc)


@router.put("/{poc_id}/agreement",
            response={200: AgreementOut, 201: AgreementOut,
                      **error_responses(403, 404, 409, 422)},
            operation_id="agreement_save", summary="Write the POC's agreement",
            description="The first call creates the agreement from the team's template in the "
            "POC's language (201); later calls change it (200). Clauses left out keep their "
            "value. `resources` and `cost_lines`, when given, replace the current lists: an item "
            "with the `key` of a current one changes it and keeps its identity, an item without "
            "a key is new, a current item left out is removed. 422 names bad list fields "
            "`resources.N.field` / `cost_lines.N.field`. 409 `poc_closed` once the POC is over.")
def save_agreement(request, poc_id: ObjectId, payload: AgreementIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    started = agreement_for_poc(poc=poc) is None
    clauses = payload.model_dump(exclude_unset=True, exclude={"resources", "cost_lines"})
    agreement_save(actor=request.auth, poc=poc, clauses=clauses,
                   resources=_rows(payload.resources), cost_lines=_rows(payload.cost_lines))
    return Status(201 if started else 200, _agreement_of(poc))


@router.patch("/{poc_id}/agreement/resources/{resource_key}",
              response={200: ResourceOut, **error_responses(403, 404, 422)},
              operation_id="agreement_resource_status",
              summary="Mark a customer resource ready or waived",
              description="The status is operational: it changes no signed content and needs "
                          "no new version.")
def set_resource_status(request, poc_id: ObjectId, resource_key: uuid.UUID,
                        payload: ResourceStatusIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    agreement = _agreement_of(poc)
    resource = next((item for item in agreement.resources.all() if item.key == resource_key),
                    None)
    if resource is None:
        raise NotFound()
    return customer_resource_status_set(actor=request.auth, resource=resource,
                                        status=payload.status)
