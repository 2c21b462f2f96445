"""The request and answer bodies of the results endpoints (`api.py`): results and the closing
checks, the retrospective and its lessons, cost lines, the cost summary and the ROI sheet."""

import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema

from pocdesk.agreements.models import CostCategory, Payer
from pocdesk.core.api import InputSchema, NamedRef, ObjectId, Text, UserRef, choice
from pocdesk.execution.models import Severity

from .models import CommercialResult, CostKind, LessonKind, TechnicalResult

TechnicalChoice = choice(["", *TechnicalResult.values])
CommercialChoice = choice(["", *CommercialResult.values])
LessonKindChoice = choice(LessonKind.values)
SeverityChoice = choice(["", *Severity.values])
CostKindChoice = choice(CostKind.values)
CategoryChoice = choice(CostCategory.values)
PayerChoice = choice(Payer.values)

STATUS_HELP = ("409 `not_running` before the POC runs, `poc_closed` once it is closed or "
               "walked away.")
MONEY_HELP = "Decimal string (or number), at least 0, at most 2 decimal places."
CURRENCY_HELP = "ISO 4217 code; the deal's currency when left out."


# --- results ---------------------------------------------------------------------------------

class ReasonOut(Schema):
    code: str
    label: str = Field(description="In the reader's language.")

    @staticmethod
    def resolve_label(obj) -> str:
        return obj.label()


class CheckOut(Schema):
    code: str = Field(description="`technical_result_required`, `override_reason_required`, "
                      "`commercial_result_required`, `result_reason_required`, "
                      "`order_value_required` or `retrospective_required`.")
    message: str


class DerivationOut(Schema):
    result: str = Field(description="`success`, `partial`, `failed`, or empty when the POC "
                        "has no criteria.")
    weighted_share: Decimal | None = Field(description="Percent of the criteria's total "
                                           "weight (importance) passing.")
    threshold: Decimal = Field(description="The team's success threshold, percent.")
    passing: int
    failing: int
    no_data: int
    must_have_failing: list[int] = Field(description="Ids of the must-have criteria failing.")
    must_have_no_data: list[int] = Field(description="Ids of the must-have criteria without "
                                         "readings.")

    @staticmethod
    def resolve_must_have_failing(obj) -> list[int]:
        return [criterion.pk for criterion in obj.must_have_failing]

    @staticmethod
    def resolve_must_have_no_data(obj) -> list[int]:
        return [criterion.pk for criterion in obj.must_have_no_data]


class ResultsOut(Schema):
    recorded: bool = Field(description="False until results are first saved.")
    derived_technical_result: str = Field(description="What the criteria give now.")
    technical_result: str
    technical_override_reason: str
    commercial_result: str
    reason: ReasonOut | None
    reason_detail: str
    order_value: Decimal | None
    order_currency: str
    order_date: datetime.date | None
    customer_confirmed_by: NamedRef | None
    customer_confirmed_on: datetime.date | None
    customer_confirmation_note: str
    strengths: str
    limitations: str
    improvements: str
    next_step: str
    review_meeting_on: datetime.date | None
    updated_by: UserRef | None
    updated_at: datetime.datetime | None
    derivation: DerivationOut
    unmet: list[CheckOut] = Field(description="What still stops the POC from closing.")
    can_close: bool = Field(description="The POC is being evaluated and nothing is missing: "
                            "POST /pocs/{id}/transition {\"to\": \"closed\"} closes it.")


class ResultsIn(InputSchema):
    technical_result: TechnicalChoice = Field(None, description="Empty: the derived one. "
                                              "Another than the derived one needs "
                                              "`technical_override_reason` to close.")
    technical_override_reason: Text = Field(None, max_length=20000)
    commercial_result: CommercialChoice = None
    reason: Text = Field(None, max_length=40, description="A code of GET /result-reasons "
                         "(required to close for every result but `won`); empty clears it.")
    reason_detail: Text = Field(None, max_length=20000)
    order_value: Decimal | None = Field(None, description=MONEY_HELP + " Required to close "
                                        "when won.")
    order_currency: Text = Field(None, max_length=3, description=CURRENCY_HELP)
    order_date: datetime.date | None = None
    customer_confirmed_by: ObjectId | None = Field(None, description="Id of a customer "
                                                   "stakeholder of the deal.")
    customer_confirmed_on: datetime.date | None = None
    customer_confirmation_note: Text = Field(None, max_length=20000)
    strengths: Text = Field(None, max_length=20000)
    limitations: Text = Field(None, max_length=20000)
    improvements: Text = Field(None, max_length=20000)
    next_step: Text = Field(None, max_length=20000)
    review_meeting_on: datetime.date | None = None


# --- retrospective ---------------------------------------------------------------------------

class LessonOut(Schema):
    key: uuid.UUID
    kind: str = Field(description="`lesson` (reusable) or `risk` (technical-risk memo item).")
    text: str
    industry: str
    product: str
    criterion_type: str
    log_entry_id: int | None = Field(description="The log entry a risk was carried from.")
    severity: str
    mitigation: str


class RetrospectiveOut(Schema):
    went_well: str
    to_improve: str
    submitted: bool
    submitted_at: datetime.datetime | None
    submitted_by: UserRef | None
    lessons: list[LessonOut]


class LessonIn(InputSchema):
    key: uuid.UUID | None = Field(None, description="Keeps the identity of an existing "
                                  "lesson; leave out for a new one.")
    kind: LessonKindChoice = LessonKind.LESSON
    text: Text = Field(max_length=5000)
    industry: Text = Field("", max_length=120)
    product: Text = Field("", max_length=120)
    criterion_type: Text = Field("", max_length=120)
    log_entry: ObjectId | None = Field(None, description="Id of an entry of this POC's log.")
    severity: SeverityChoice = ""
    mitigation: Text = Field("", max_length=5000)


class RetrospectiveIn(InputSchema):
    went_well: Text = Field(None, max_length=20000)
    to_improve: Text = Field(None, max_length=20000)
    lessons: list[LessonIn] = Field(None, description="The whole list (replaces it); 422 "
                                    "names a bad row's field `lessons.N.field`.")
    submit: bool = Field(False, description="Submit it: needs `went_well`, `to_improve` and "
                         "at least one lesson of kind `lesson`.")


# --- costs -----------------------------------------------------------------------------------

class CostEntryOut(Schema):
    id: int
    kind: str = Field(description="`planned` or `actual`.")
    category: str
    description: str
    role: str
    hours: Decimal | None
    hourly_rate: Decimal | None
    amount: Decimal
    currency: str
    paid_by: str
    incurred_on: datetime.date | None
    recorded_by: UserRef | None
    created_at: datetime.datetime


class CostEntryIn(InputSchema):
    kind: CostKindChoice = CostKind.ACTUAL
    category: CategoryChoice
    description: Text = Field(max_length=300)
    role: Text = Field("", max_length=80, description="Labour: the role, whose internal "
                       "rate applies unless `hourly_rate` is given.")
    hours: Decimal | None = Field(None, description="Labour: the hours spent (required).")
    hourly_rate: Decimal | None = None
    amount: Decimal | None = Field(None, description=MONEY_HELP + " Required except for "
                                   "labour (hours × rate).")
    currency: Text = Field("", max_length=3, description=CURRENCY_HELP)
    paid_by: PayerChoice = Payer.VENDOR
    incurred_on: datetime.date | None = None


class CostEntryPatch(InputSchema):
    kind: CostKindChoice = None
    category: CategoryChoice = None
    description: Text = Field(None, max_length=300)
    role: Text = Field(None, max_length=80)
    hours: Decimal | None = None
    hourly_rate: Decimal | None = None
    amount: Decimal | None = None
    currency: Text = Field(None, max_length=3)
    paid_by: PayerChoice = None
    incurred_on: datetime.date | None = None


class CostLineOut(Schema):
    id: int
    source: str = Field(description="`agreement` (a cost line of the agreement) or `entry`.")
    kind: str
    category: str
    category_label: str
    description: str
    role: str
    hours: Decimal | None
    hourly_rate: Decimal | None
    amount: Decimal
    currency: str
    paid_by: str
    paid_by_label: str
    incurred_on: datetime.date | None
    amount_reporting: Decimal | None = Field(description="In the reporting currency; null "
                                             "without an exchange rate.")


class CategoryRowOut(Schema):
    category: str
    label: str
    planned: Decimal | None
    actual: Decimal | None


class CostSummaryOut(Schema):
    currency: str = Field(description="The team's reporting currency.")
    planned_lines: list[CostLineOut]
    actual_lines: list[CostLineOut]
    planned_total: Decimal | None
    actual_total: Decimal | None
    by_category: list[CategoryRowOut]
    by_payer: dict[str, Decimal | None]
    vendor_total: Decimal | None = Field(description="Paid by the vendor, shared costs "
                                         "counted half.")
    deal_amount: Decimal | None
    basis: str = Field(description="`actual` when an actual cost is recorded, else `planned`.")
    total: Decimal | None = Field(description="The POC's cost on the basis, every payer.")
    ratio: Decimal | None = Field(description="Percent of the deal amount; null without a "
                                  "deal amount or a rate.")
    threshold: Decimal
    above_threshold: bool
    missing_rates: list[str] = Field(description="Currencies without an exchange rate.")


class RiskOut(Schema):
    id: int
    description: str
    probability: Decimal = Field(description="Percent, 0–100.")
    impact: Decimal
    currency: str
    impact_reporting: Decimal | None
    expected: Decimal | None = Field(description="probability × impact, reporting currency.")


class RoiOut(Schema):
    currency: str
    risks: list[RiskOut]
    risk_total: Decimal | None
    poc_cost: Decimal | None
    net: Decimal | None
    multiple: Decimal | None = Field(description="risk_total ÷ poc_cost; null when the cost "
                                     "is 0.")
    basis: str
    missing_rates: list[str]


class CostOverviewOut(Schema):
    costs: CostSummaryOut
    roi: RoiOut


class RiskCostIn(InputSchema):
    description: Text = Field(max_length=300)
    probability: Decimal = Field(description="Percent, 0–100: how likely without the POC.")
    impact: Decimal = Field(description=MONEY_HELP + " What it would cost the customer.")
    currency: Text = Field("", max_length=3, description=CURRENCY_HELP)


class RiskCostsIn(InputSchema):
    rows: list[RiskCostIn] = Field(description="The whole list (replaces it); 422 names a bad "
                                   "row's field `rows.N.field`.")
