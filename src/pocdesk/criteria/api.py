"""/api/v1/pocs/{id}/criteria and /api/v1/criteria-templates: a POC's draft success criteria,
their signed versions (§5.1, §5.2) and the team's library of reusable criteria."""

import datetime
import uuid
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from pocdesk.core.api import (
    PAGINATION_HELP,
    InputSchema,
    ObjectId,
    PageNumber,
    TeamRef,
    Text,
    choice,
    error_responses,
)
from pocdesk.core.errors import NotFound, ValidationFailed
from pocdesk.pocs.selectors import poc_get
from pocdesk.signoffs.api import add_version_routes, renamed_fields
from pocdesk.signoffs.canonical import plain

from .measure import target_text
from .models import Aggregation, Comparator, OwnerSide
from .selectors import (
    criteria_for_poc,
    criterion_get,
    criterion_template_get,
    criterion_templates,
)
from .services import (
    criteria_add_from_templates,
    criteria_copy_from_poc,
    criteria_reorder,
    criterion_create,
    criterion_delete,
    criterion_template_create,
    criterion_template_delete,
    criterion_update,
)

router = Router(tags=["Success criteria"])  # mounted at /pocs
library_router = Router(tags=["Success criteria"])  # mounted at /criteria-templates

ComparatorChoice = choice(Comparator.values)
AggregationChoice = choice(Aggregation.values)
OwnerSideChoice = choice(OwnerSide.values)

DECIMAL_FIELDS = ("target_value", "tolerance", "target_min", "target_max", "required_share")
NUMBER_HELP = "Decimal string (or number)"


# --- output ----------------------------------------------------------------------------------

class CriterionSpecOut(Schema):
    title: str
    question: str = Field(description="What this criterion proves.")
    metric: str = Field(description="What is measured (numeric comparators).")
    unit: str
    comparator: str = Field(description="`gte` ≥ target, `lte` ≤ target, `eq` = target ± "
                            "tolerance, `between` target_min–target_max, `pass_fail` an "
                            "explicit test described in `pass_condition`.")
    target_value: str | None = Field(description="For gte, lte, eq (decimal string).")
    tolerance: str | None = Field(description="For eq: the accepted deviation (±).")
    target_min: str | None = Field(description="For between: the lower bound.")
    target_max: str | None = Field(description="For between: the upper bound.")
    pass_condition: str = Field(description="For pass_fail: the observable result that counts "
                                "as a pass.")
    required_share: str | None = Field(description="For aggregation share_passing: the % of "
                                       "readings that must pass.")
    test_conditions: str
    measurement_method: str
    frequency: str
    aggregation: str = Field(description="How readings combine: " + ", ".join(Aggregation.values)
                             + ".")
    owner_side: str = Field(description="Who measures it: vendor or customer.")
    importance: int = Field(description="1–5.")
    must_have: bool = Field(description="Failing it makes the POC fail.")
    target_text: str = Field(description="The target in words and symbols, e.g. “≥ 120 t/h”, "
                             "“2700 ± 100 K”.")

    @field_validator(*DECIMAL_FIELDS, mode="before")
    @classmethod
    def _plain_number(cls, value):
        return plain(value) if isinstance(value, Decimal) else value

    @staticmethod
    def resolve_target_text(obj) -> str:
        return target_text(obj)


class CriterionOut(CriterionSpecOut):
    id: int
    key: uuid.UUID = Field(description="Stable identity of the criterion across versions.")
    position: int = Field(description="Order in the POC's criteria, from 1.")
    created_at: datetime.datetime


class TemplateOut(CriterionSpecOut):
    id: int
    team: TeamRef
    industry: str
    created_at: datetime.datetime


# --- input -----------------------------------------------------------------------------------

class CriterionIn(InputSchema):
    title: Text = Field(max_length=200)
    question: Text = Field("", description="What does this criterion prove?")
    metric: Text = Field("", max_length=200, description="What is measured; required with a "
                         "numeric comparator.")
    unit: Text = Field("", max_length=40, description="Required with a numeric comparator.")
    comparator: ComparatorChoice = Field(
        Comparator.GTE.value, description="`gte`/`lte` need `target_value`; `eq` needs "
        "`target_value` and takes a `tolerance`; `between` needs `target_min` < `target_max`; "
        "`pass_fail` needs `pass_condition`, has no numeric target and aggregates `latest` or "
        "`share_passing`.")
    target_value: Decimal | None = Field(None, description=NUMBER_HELP + ".")
    tolerance: Decimal | None = Field(None, description=NUMBER_HELP + "; only with `eq`.")
    target_min: Decimal | None = Field(None, description=NUMBER_HELP + "; only with `between`.")
    target_max: Decimal | None = Field(None, description=NUMBER_HELP + "; only with `between`.")
    pass_condition: Text = Field("", description="Only with `pass_fail`.")
    required_share: Decimal | None = Field(None, description="% of readings that must pass; "
                                           "only with the aggregation `share_passing`.")
    test_conditions: Text = Field("", description="e.g. at 40 °C and 95 % humidity.")
    measurement_method: Text = Field("", description="Required: instrument, test procedure or "
                                     "report.")
    frequency: Text = Field("", max_length=120)
    aggregation: AggregationChoice = Aggregation.LATEST.value
    owner_side: OwnerSideChoice = OwnerSide.VENDOR.value
    importance: int = Field(3, ge=1, le=5)
    must_have: bool = False


class CriterionPatch(InputSchema):
    title: Text = Field(None, max_length=200)
    question: Text = None
    metric: Text = Field(None, max_length=200)
    unit: Text = Field(None, max_length=40)
    comparator: ComparatorChoice = None
    target_value: Decimal | None = Field(None, description=NUMBER_HELP + "; null clears it.")
    tolerance: Decimal | None = Field(None, description=NUMBER_HELP + "; null clears it.")
    target_min: Decimal | None = Field(None, description=NUMBER_HELP + "; null clears it.")
    target_max: Decimal | None = Field(None, description=NUMBER_HELP + "; null clears it.")
    pass_condition: Text = None
    required_share: Decimal | None = Field(None, description=NUMBER_HELP + "; null clears it.")
    test_conditions: Text = None
    measurement_method: Text = None
    frequency: Text = Field(None, max_length=120)
    aggregation: AggregationChoice = None
    owner_side: OwnerSideChoice = None
    importance: int = Field(None, ge=1, le=5)
    must_have: bool = None


class ReorderIn(InputSchema):
    keys: list[uuid.UUID] = Field(max_length=1000, description="The `key` of every criterion "
                                  "of the POC, each once, in the new order.")


class FromTemplatesIn(InputSchema):
    template_ids: list[ObjectId] = Field(max_length=200, description="Ids of criteria of the "
                                         "POC's team library (GET /criteria-templates).")


class CopyIn(InputSchema):
    source_poc_id: ObjectId = Field(description="Id of another POC you can see: its draft "
                                    "criteria are added to this POC's.")


class SaveToLibraryIn(InputSchema):
    industry: Text = Field("", max_length=120, description="The industry it suits, to find it "
                           "in the library.")


class TemplateFilters(Schema):
    q: Text = Field("", max_length=200, description="Search in the title.")
    team: ObjectId | None = Field(None, description="Team id.")


# --- helpers ---------------------------------------------------------------------------------

def _created(poc, criteria) -> list:
    keys = [criterion.key for criterion in criteria]
    return list(criteria_for_poc(poc=poc).filter(key__in=keys))


# --- versions (shared with the agreement) ------------------------------------------------------
# Registered first, so that `/criteria/versions` is never read as a criterion id.

add_version_routes(router, kind="criteria")


# --- the draft criteria --------------------------------------------------------------------------

@router.get("/{poc_id}/criteria", response={200: list[CriterionOut], **error_responses(404, 422)},
            operation_id="criterion_list", summary="List the POC's success criteria",
            description="The live draft criteria, in their order. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_criteria(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return criteria_for_poc(poc=poc)


@router.post("/{poc_id}/criteria",
             response={201: CriterionOut, **error_responses(403, 404, 409, 422)},
             operation_id="criterion_create", summary="Add a success criterion",
             description="Any member of the team adds criteria to the draft. A vague criterion "
             "is refused (422 naming the fields): it needs a measurement method and either a "
             "metric, unit and numeric target or an explicit pass/fail test. 409 `poc_closed` "
             "once the POC is over.")
def create_criterion(request, poc_id: ObjectId, payload: CriterionIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    criterion = criterion_create(actor=request.auth, poc=poc, **payload.model_dump())
    return Status(201, criterion_get(poc=poc, criterion_id=criterion.pk))


@router.post("/{poc_id}/criteria/reorder",
             response={200: list[CriterionOut], **error_responses(403, 404, 409, 422)},
             operation_id="criteria_reorder", summary="Reorder the success criteria",
             description="Send every criterion's key once, in the new order; answers the "
             "criteria in that order.")
def reorder_criteria(request, poc_id: ObjectId, payload: ReorderIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    criteria_reorder(actor=request.auth, poc=poc, keys=[str(key) for key in payload.keys])
    return list(criteria_for_poc(poc=poc))


@router.post("/{poc_id}/criteria/from-templates",
             response={201: list[CriterionOut], **error_responses(403, 404, 409, 422)},
             operation_id="criteria_from_templates", summary="Add criteria from the library",
             description="Copies the chosen library criteria (of the POC's team) to the end of "
             "the draft; answers the added criteria.")
def add_criteria_from_templates(request, poc_id: ObjectId, payload: FromTemplatesIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    templates = []
    for template_id in payload.template_ids:
        try:
            templates.append(criterion_template_get(user=request.auth, template_id=template_id))
        except NotFound as error:
            raise ValidationFailed({"template_ids": [
                _("Choose criteria of this team's library.")]}) from error
    try:
        created = criteria_add_from_templates(actor=request.auth, poc=poc, templates=templates)
    except ValidationFailed as error:
        raise renamed_fields(error, {"templates": "template_ids"}) from error
    return Status(201, _created(poc, created))


@router.post("/{poc_id}/criteria/copy",
             response={201: list[CriterionOut], **error_responses(403, 404, 409, 422)},
             operation_id="criteria_copy", summary="Copy another POC's criteria",
             description="Adds a copy of another POC's draft criteria to the end of this "
             "POC's; answers the added criteria.")
def copy_criteria(request, poc_id: ObjectId, payload: CopyIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    try:
        source = poc_get(user=request.auth, poc_id=payload.source_poc_id)
    except NotFound as error:
        raise ValidationFailed({"source_poc_id": [_("Choose a POC of your team.")]}) from error
    try:
        created = criteria_copy_from_poc(actor=request.auth, poc=poc, source=source)
    except ValidationFailed as error:
        raise renamed_fields(error, {"source": "source_poc_id"}) from error
    return Status(201, _created(poc, created))


@router.get("/{poc_id}/criteria/{criterion_id}",
            response={200: CriterionOut, **error_responses(404, 422)},
            operation_id="criterion_get", summary="Read a success criterion")
def get_criterion(request, poc_id: ObjectId, criterion_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return criterion_get(poc=poc, criterion_id=criterion_id)


@router.patch("/{poc_id}/criteria/{criterion_id}",
              response={200: CriterionOut, **error_responses(403, 404, 409, 422)},
              operation_id="criterion_update", summary="Change a success criterion",
              description="Send only the fields to change; `null` clears a number (e.g. "
              "`target_value` when switching to `between`). The result must stay measurable.")
def update_criterion(request, poc_id: ObjectId, criterion_id: ObjectId, payload: CriterionPatch):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    criterion = criterion_get(poc=poc, criterion_id=criterion_id)
    criterion_update(actor=request.auth, criterion=criterion,
                     **payload.model_dump(exclude_unset=True))
    return criterion_get(poc=poc, criterion_id=criterion_id)


@router.delete("/{poc_id}/criteria/{criterion_id}",
               response={204: None, **error_responses(403, 404, 409, 422)},
               operation_id="criterion_delete", summary="Remove a success criterion",
               description="Removes it from the draft; submitted versions keep their copy.")
def delete_criterion(request, poc_id: ObjectId, criterion_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    criterion_delete(actor=request.auth, criterion=criterion_get(poc=poc,
                                                                 criterion_id=criterion_id))
    return Status(204, None)


@router.post("/{poc_id}/criteria/{criterion_id}/save-to-library",
             response={201: TemplateOut, **error_responses(403, 404, 422)},
             operation_id="criterion_save_to_library", summary="Save a criterion to the library",
             description="Copies the criterion to the POC team's library, to start other POCs' "
             "criteria from.")
def save_criterion_to_library(request, poc_id: ObjectId, criterion_id: ObjectId,
                              payload: SaveToLibraryIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    criterion = criterion_get(poc=poc, criterion_id=criterion_id)
    template = criterion_template_create(actor=request.auth, criterion=criterion,
                                         industry=payload.industry)
    return Status(201, criterion_template_get(user=request.auth, template_id=template.pk))


# --- the library ---------------------------------------------------------------------------------

@library_router.get("", response={200: list[TemplateOut], **error_responses(422)},
                    operation_id="criterion_template_list", summary="List the criteria library",
                    description="The reusable criteria of your teams, by title. "
                    + PAGINATION_HELP)
@paginate(PageNumber)
def list_templates(request, filters: Query[TemplateFilters]):
    return criterion_templates(user=request.auth, team_id=filters.team, q=filters.q)


@library_router.get("/{template_id}", response={200: TemplateOut, **error_responses(404, 422)},
                    operation_id="criterion_template_get", summary="Read a library criterion")
def get_template(request, template_id: ObjectId):
    return criterion_template_get(user=request.auth, template_id=template_id)


@library_router.delete("/{template_id}", response={204: None, **error_responses(403, 404, 422)},
                       operation_id="criterion_template_delete",
                       summary="Remove a criterion from the library",
                       description="Its author or a manager of the team removes it; criteria "
                       "already copied to POCs stay.")
def delete_template(request, template_id: ObjectId):
    template = criterion_template_get(user=request.auth, template_id=template_id)
    criterion_template_delete(actor=request.auth, template=template)
    return Status(204, None)
