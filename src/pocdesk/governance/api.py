"""/api/v1/pocs/{id}/meetings, /action-items, /cadence and /governance: the POC's meetings
with their attendees, decisions and action items, the meeting cadence and its warnings (§8.3)."""

import datetime
from typing import Any

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pocdesk.core.api import (
    PAGINATION_HELP,
    InputSchema,
    NamedRef,
    ObjectId,
    PageNumber,
    Text,
    UserRef,
    choice,
    error_responses,
)
from pocdesk.pocs.selectors import poc_get

from .models import ActionStatus, MeetingStatus, MeetingType
from .selectors import (
    action_item_get,
    action_items_for_poc,
    cadence_for,
    governance_summary,
    meeting_get,
    meetings_for_poc,
)
from .services import (
    action_item_create,
    action_item_update,
    cadence_update,
    decision_lines,
    meeting_create,
    meeting_delete,
    meeting_update,
)

router = Router(tags=["Governance"])  # mounted at /pocs

TypeChoice = choice(MeetingType.values)
MeetingStatusChoice = choice(MeetingStatus.values)
ActionStatusChoice = choice(ActionStatus.values)

CUSTOMERS_HELP = "Ids of customer stakeholders of the deal."
OWNER_HELP = ("Exactly one owner: `owner` (id of a member of the POC's team) or "
              "`customer_owner` (id of a customer stakeholder of the deal).")
DECISIONS_HELP = "One decision per line (a text), or a list of decisions."
TYPES_HELP = "`weekly_sync`, `steering` (with the executive sponsor) or `review`."


# --- output ----------------------------------------------------------------------------------

class ActionItemOut(Schema):
    id: int
    text: str
    owner: UserRef | None = Field(description="The team member who owns it, if ours.")
    customer_owner: NamedRef | None = Field(description="The customer stakeholder who owns "
                                            "it, if theirs.")
    due_on: datetime.date | None
    status: str = Field(description="One of " + ", ".join(ActionStatus.values) + ".")
    done_on: datetime.date | None = Field(description="The day it was marked done.")
    overdue: bool = Field(description="Open and past its due date.")
    meeting_id: int | None = Field(description="The meeting it was agreed in.")
    created_by: UserRef | None
    created_at: datetime.datetime


class MeetingOut(Schema):
    id: int
    meeting_type: str = Field(description=TYPES_HELP)
    status: str = Field(description="One of " + ", ".join(MeetingStatus.values) + ".")
    date: datetime.date
    title: str
    label: str = Field(description="The title, or the type's name without one.")
    agenda: str
    notes: str
    decisions: list[str] = Field(description="The decisions taken, one per item.")
    attendees: list[NamedRef] = Field(description="Customer stakeholders who attended.")
    absent: list[NamedRef] = Field(description="Customer stakeholders invited who did not "
                                   "come.")
    vendor_attendees: list[UserRef] = Field(description="Our attendees.")
    action_items: list[ActionItemOut]
    recorded_by: UserRef | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_decisions(obj) -> list[str]:
        return decision_lines(obj.decisions)

    @staticmethod
    def resolve_attendees(obj) -> list:
        return [a.stakeholder for a in obj.attendances.all() if a.attended]

    @staticmethod
    def resolve_absent(obj) -> list:
        return [a.stakeholder for a in obj.attendances.all() if not a.attended]

    @staticmethod
    def resolve_vendor_attendees(obj) -> list:
        return list(obj.vendor_attendees.all())

    @staticmethod
    def resolve_action_items(obj) -> list:
        return list(obj.action_items.all())


class CadenceOut(Schema):
    weekly_sync_days: int | None = Field(description="A weekly sync is due every so many "
                                         "days; null: no regular sync.")
    steering_days: int | None = Field(description="A steering meeting is due every so many "
                                      "days; null: no regular steering meeting.")
    grace_days: int = Field(description="Days after a meeting falls due before it is "
                            "overdue.")
    is_default: bool = Field(description="True while the team's default cadence applies.")
    updated_by: UserRef | None
    updated_at: datetime.datetime | None

    @staticmethod
    def resolve_is_default(obj) -> bool:
        return obj.pk is None

    @staticmethod
    def resolve_updated_at(obj) -> datetime.datetime | None:
        return obj.updated_at if obj.pk else None


class WarningOut(Schema):
    code: str = Field(description="`weekly_sync_overdue`, `steering_overdue`, "
                      "`sponsor_missed_steering`, `no_executive_sponsor`, "
                      "`single_customer_contact` or `action_items_overdue`.")
    message: str = Field(description="What is wrong, with the specifics, in the reader's "
                         "language.")
    severity: str = Field(description="`warning` or `danger`.")
    details: dict[str, Any] = Field(description="The specifics: dates, days overdue, ids.")


class MeetingTypeSummaryOut(Schema):
    meeting_type: str = Field(description=TYPES_HELP)
    every_days: int | None = Field(description="The cadence of this type (null: none).")
    last_held: datetime.date | None
    next_planned: datetime.date | None
    due_on: datetime.date | None = Field(description="When the next one is due by the "
                                         "cadence (from the last held, or the POC's start).")
    held: int
    planned: int


class GovernanceOut(Schema):
    cadence: CadenceOut
    types: list[MeetingTypeSummaryOut]
    warnings: list[WarningOut] = Field(description="Only while the POC is agreed, running, "
                                       "paused or evaluating; the dangers first.")
    open_action_items: int
    overdue_action_items: int
    meetings_held: int
    today: datetime.date = Field(description="The day the warnings were computed for.")


# --- input -----------------------------------------------------------------------------------

class ActionItemRowIn(InputSchema):
    text: Text = Field(description="What is to be done (at most 300 characters).")
    owner: ObjectId | None = Field(None, description=OWNER_HELP)
    customer_owner: ObjectId | None = None
    due_on: datetime.date | None = None


class MeetingIn(InputSchema):
    meeting_type: TypeChoice = Field(description=TYPES_HELP)
    date: datetime.date = Field(description="A held meeting is not in the future.")
    status: MeetingStatusChoice = Field(MeetingStatus.HELD, description="`held` by default.")
    title: Text = Field("", max_length=200)
    agenda: Text = Field("", max_length=20000)
    notes: Text = Field("", max_length=20000)
    decisions: Text | list[Text] = Field("", description=DECISIONS_HELP)
    attendees: list[ObjectId] = Field([], description=CUSTOMERS_HELP + " They attended.")
    absent: list[ObjectId] = Field([], description=CUSTOMERS_HELP + " Invited, did not come.")
    vendor_attendees: list[ObjectId] = Field([], description="Ids of members of the POC's "
                                             "team who attended.")
    action_items: list[ActionItemRowIn] = Field([], description="At most 20; 422 names a bad "
                                                "row's field `action_items.N.field`.")


class MeetingPatch(InputSchema):
    meeting_type: TypeChoice = None
    date: datetime.date = None
    status: MeetingStatusChoice = None
    title: Text = Field(None, max_length=200)
    agenda: Text = Field(None, max_length=20000)
    notes: Text = Field(None, max_length=20000)
    decisions: Text | list[Text] = Field(None, description=DECISIONS_HELP)
    attendees: list[ObjectId] = Field(None, description=CUSTOMERS_HELP + " Replaces who "
                                      "attended.")
    absent: list[ObjectId] = Field(None, description=CUSTOMERS_HELP + " Replaces who was "
                                   "absent.")
    vendor_attendees: list[ObjectId] = None


class MeetingFilters(Schema):
    meeting_type: TypeChoice | None = Field(None, description="Only this type.")
    status: MeetingStatusChoice | None = Field(None, description="Only this status.")


class ActionItemIn(InputSchema):
    text: Text = Field(description="What is to be done (at most 300 characters).")
    owner: ObjectId | None = Field(None, description=OWNER_HELP)
    customer_owner: ObjectId | None = None
    due_on: datetime.date | None = None
    meeting: ObjectId | None = Field(None, description="Id of a meeting of this POC.")


class ActionItemPatch(InputSchema):
    text: Text = None
    owner: ObjectId | None = Field(None, description="Naming one owner removes the other.")
    customer_owner: ObjectId | None = None
    due_on: datetime.date | None = None
    status: ActionStatusChoice = Field(None, description="`done` records the day; `open` "
                                       "reopens it.")


class ActionItemFilters(Schema):
    status: ActionStatusChoice | None = Field(None, description="Only this status.")
    overdue: bool | None = Field(None, description="true: only the overdue ones; false: only "
                                 "those not overdue.")


class CadenceIn(InputSchema):
    weekly_sync_days: int | None = Field(description="1–90, or null for no regular sync.")
    steering_days: int | None = Field(description="1–180, or null for no regular steering "
                                      "meeting.")
    grace_days: int = Field(description="0–30.")


def _decisions(values: dict) -> dict:
    if isinstance(values.get("decisions"), list):
        values["decisions"] = "\n".join(values["decisions"])
    return values


# --- meetings --------------------------------------------------------------------------------

@router.get("/{poc_id}/meetings", response={200: list[MeetingOut], **error_responses(404, 422)},
            operation_id="meeting_list", summary="List the POC's meetings",
            description="Newest first, with who attended, the decisions and the action items; "
            "filter with `meeting_type` and `status`. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_meetings(request, poc_id: ObjectId, filters: Query[MeetingFilters]):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return meetings_for_poc(poc=poc, meeting_type=filters.meeting_type, status=filters.status)


@router.post("/{poc_id}/meetings",
             response={201: MeetingOut, **error_responses(403, 404, 409, 422)},
             operation_id="meeting_create", summary="Record a meeting",
             description="A held meeting (the default) is not dated in the future; a planned "
             "one may be dated any day. Attendees are customer stakeholders of the deal "
             "(`attendees` came, `absent` were invited and did not); a stakeholder cannot be "
             "in both. Action items are created with it, each with exactly one owner. 409 "
             "`poc_closed` once the POC is over.")
def create_meeting(request, poc_id: ObjectId, payload: MeetingIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    values = _decisions(payload.model_dump())
    meeting = meeting_create(actor=request.auth, poc=poc, **values)
    return Status(201, meeting_get(poc=poc, meeting_id=meeting.pk))


@router.get("/{poc_id}/meetings/{meeting_id}",
            response={200: MeetingOut, **error_responses(404, 422)},
            operation_id="meeting_get", summary="Read a meeting")
def get_meeting(request, poc_id: ObjectId, meeting_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return meeting_get(poc=poc, meeting_id=meeting_id)


@router.patch("/{poc_id}/meetings/{meeting_id}",
              response={200: MeetingOut, **error_responses(403, 404, 409, 422)},
              operation_id="meeting_update", summary="Correct a meeting or record how it went",
              description="Send only the fields to change, e.g. `status: held` with the "
              "attendance of a planned meeting. `attendees` and `absent` each replace their "
              "list; a list not sent is kept.")
def update_meeting(request, poc_id: ObjectId, meeting_id: ObjectId, payload: MeetingPatch):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    meeting = meeting_get(poc=poc, meeting_id=meeting_id)
    meeting_update(actor=request.auth, meeting=meeting,
                   **_decisions(payload.model_dump(exclude_unset=True)))
    return meeting_get(poc=poc, meeting_id=meeting_id)


@router.delete("/{poc_id}/meetings/{meeting_id}",
               response={204: None, **error_responses(403, 404, 409, 422)},
               operation_id="meeting_delete", summary="Delete a meeting",
               description="Its action items stay. A held meeting is deleted only by whoever "
               "recorded it or by a manager (403 otherwise).")
def delete_meeting(request, poc_id: ObjectId, meeting_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    meeting_delete(actor=request.auth, meeting=meeting_get(poc=poc, meeting_id=meeting_id))
    return Status(204, None)


# --- action items ----------------------------------------------------------------------------

@router.get("/{poc_id}/action-items",
            response={200: list[ActionItemOut], **error_responses(404, 422)},
            operation_id="action_item_list", summary="List the action items",
            description="Open ones first by due date, then the closed ones; filter with "
            "`status` and `overdue`. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_action_items(request, poc_id: ObjectId, filters: Query[ActionItemFilters]):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return action_items_for_poc(poc=poc, status=filters.status, overdue=filters.overdue)


@router.post("/{poc_id}/action-items",
             response={201: ActionItemOut, **error_responses(403, 404, 409, 422)},
             operation_id="action_item_create", summary="Add an action item",
             description=OWNER_HELP + " Optionally linked to a `meeting` of this POC.")
def create_action_item(request, poc_id: ObjectId, payload: ActionItemIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    item = action_item_create(actor=request.auth, poc=poc, **payload.model_dump())
    return Status(201, action_item_get(poc=poc, action_item_id=item.pk))


@router.patch("/{poc_id}/action-items/{action_item_id}",
              response={200: ActionItemOut, **error_responses(403, 404, 409, 422)},
              operation_id="action_item_update", summary="Change or close an action item",
              description="Send only the fields to change; `status: done` records the day.")
def update_action_item(request, poc_id: ObjectId, action_item_id: ObjectId,
                       payload: ActionItemPatch):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    item = action_item_get(poc=poc, action_item_id=action_item_id)
    action_item_update(actor=request.auth, action_item=item,
                       **payload.model_dump(exclude_unset=True))
    return action_item_get(poc=poc, action_item_id=action_item_id)


# --- cadence and warnings --------------------------------------------------------------------

@router.get("/{poc_id}/cadence", response={200: CadenceOut, **error_responses(404, 422)},
            operation_id="cadence_get", summary="Read the meeting cadence",
            description="The default (a weekly sync every 7 days, a steering meeting every 28, "
            "2 grace days) until the team sets its own.")
def get_cadence(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return cadence_for(poc=poc)


@router.put("/{poc_id}/cadence",
            response={200: CadenceOut, **error_responses(403, 404, 409, 422)},
            operation_id="cadence_update", summary="Set the meeting cadence",
            description="Send the three values; null switches a kind of meeting off.")
def put_cadence(request, poc_id: ObjectId, payload: CadenceIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    cadence_update(actor=request.auth, poc=poc, **payload.model_dump())
    return cadence_for(poc=poc)


@router.get("/{poc_id}/governance", response={200: GovernanceOut, **error_responses(404, 422)},
            operation_id="governance_get", summary="Governance summary and warnings",
            description="Per meeting type the last held and next planned meeting and when one "
            "is due; the warnings (an overdue meeting, an executive sponsor who missed the last "
            "two steering meetings, a single customer contact, overdue action items); open and "
            "overdue action items.")
def get_governance(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return governance_summary(poc=poc)
