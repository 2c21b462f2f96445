"""/api/v1/pocs/{id}/milestones, /timebox, /extensions and /exit-decision: a POC's timebox
(§6), its milestones with their health, the extensions a manager decides and the decision taken
when the exit clause is reached."""

import datetime
import uuid

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
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
from pocdesk.core.errors import NotFound, ValidationFailed
from pocdesk.pocs.selectors import poc_get

from .health import Health
from .models import ExitDecisionKind, ExtensionStatus, MilestoneKind, MilestoneStatus
from .selectors import (
    extension_get,
    extensions_for_poc,
    milestone_get,
    milestone_plan_proposal,
    milestones_for_poc,
    timebox_summary,
)
from .services import (
    exit_decision_record,
    extension_decide,
    extension_request,
    milestone_create,
    milestone_delete,
    milestone_plan_save,
    milestone_update,
)

router = Router(tags=["Timebox"])  # mounted at /pocs

KindChoice = choice(MilestoneKind.values)
MilestoneStatusChoice = choice(MilestoneStatus.values)
ExitChoice = choice(ExitDecisionKind.values)

HEALTH_HELP = ("`on_track` (not late, done or skipped), `at_risk` (open and 1–6 days past its due "
               "date) or `stalled` (7 days or more).")
# The longest window a plan is proposed for: the longest maximum duration a team may set.
MAX_PROPOSAL_DAYS = 3650


# --- output ----------------------------------------------------------------------------------

class EvidenceFileOut(Schema):
    id: int
    name: str = Field(description="The uploaded file's name.")
    url: str = Field(description="Where to download it with the same credentials "
                     "(GET /pocs/{id}/milestones/{key}/evidence).")


class MilestoneOut(Schema):
    key: uuid.UUID = Field(description="Stable identity; send it back in PUT to keep the "
                           "milestone, and use it in the milestone's path.")
    kind: str = Field(description="One of " + ", ".join(MilestoneKind.values) + ".")
    title: str = Field(description="Empty: the kind's name is used (see `label`).")
    label: str = Field(description="The title, or the kind's name in the reader's language "
                       "(“Checkpoint 3” for a numbered checkpoint).")
    sequence: int = Field(description="A checkpoint's number (0 for other kinds).")
    due_date: datetime.date
    planned_date: datetime.date = Field(description="The due date when the milestone was first "
                                        "planned (the baseline).")
    slip_days: int = Field(description="Days between the planned date and the completion date "
                           "(or the due date while open); negative when early.")
    status: str = Field(description="One of " + ", ".join(MilestoneStatus.values) + ".")
    health: str = Field(description=HEALTH_HELP)
    days_overdue: int = Field(description="Days an open milestone is past its due date (0 when "
                              "done, skipped or not yet due).")
    owner: UserRef | None = Field(description="The vendor-side owner (a team member).")
    customer_owner: NamedRef | None = Field(description="The customer-side owner (a customer "
                                            "stakeholder of the deal).")
    customer_witness: bool = Field(description="Invite the customer to witness it.")
    witnessed_by: NamedRef | None = Field(description="The customer stakeholder who witnessed "
                                          "it (done milestones only).")
    completed_on: datetime.date | None = Field(description="Set when, and only when, it is done.")
    evidence_note: str
    evidence_file: EvidenceFileOut | None = Field(description="The uploaded evidence, if any "
                                                  "(POST …/evidence).")

    @staticmethod
    def resolve_evidence_file(obj) -> dict | None:
        stored = obj.evidence_file
        if stored is None:
            return None
        return {"id": stored.pk, "name": stored.original_name,
                "url": reverse("api:milestone_evidence",
                               kwargs={"poc_id": obj.poc_id, "key": str(obj.key)})}


class ProposedMilestoneOut(Schema):
    kind: str = Field(description="One of " + ", ".join(MilestoneKind.values) + ".")
    title: str
    label: str = Field(description="The kind's name in the reader's language.")
    sequence: int = Field(description="A checkpoint's number (0 for other kinds).")
    due_date: datetime.date
    owner: UserRef | None = Field(description="Vendor-side milestones: the POC's owner.")
    customer_owner: NamedRef | None = Field(description="Customer-side milestones: the "
                                            "executive sponsor, when the deal has one.")
    customer_witness: bool


class ExtensionOut(Schema):
    id: int
    reason: str
    previous_end: datetime.date = Field(description="The POC's end date when it was requested.")
    requested_end: datetime.date
    days: int = Field(description="Days the extension adds to the timebox.")
    status: str = Field(description="One of " + ", ".join(ExtensionStatus.values) + ".")
    requested_by: UserRef
    requested_at: datetime.datetime
    decided_by: UserRef | None
    decided_at: datetime.datetime | None
    decision_note: str
    beyond_policy: bool = Field(description="Approved although it passes the team's maximum "
                                "number of extensions (a manager's explicit override).")


class ExitDecisionOut(Schema):
    id: int
    decision: str = Field(description="One of " + ", ".join(ExitDecisionKind.values) + ".")
    note: str
    deadline: datetime.date
    trigger_date: datetime.date = Field(description="The date after which the exit clause "
                                        "applied.")
    extension_id: int | None = Field(description="The extension requested by an `extend` "
                                     "decision.")
    decided_by: UserRef
    decided_at: datetime.datetime


class ExitOut(Schema):
    deadline: datetime.date = Field(description="The later of the agreement's and the POC's end "
                                    "dates (approved extensions move the POC's).")
    trigger_date: datetime.date = Field(description="The deadline plus the allowed slip (the "
                                        "agreement's, else the team's grace days).")
    days_late: int = Field(description="Days past the deadline (0 before it).")
    reached: bool = Field(description="An agreed, running or paused POC is past the trigger "
                          "date: the exit clause applies.")
    needs_decision: bool = Field(description="Reached and no decision recorded yet (POST "
                                 "/pocs/{id}/exit-decision).")
    decision: ExitDecisionOut | None = Field(description="The decision recorded for this "
                                             "trigger date.")


class HealthCountsOut(Schema):
    on_track: int
    at_risk: int
    stalled: int


class TimeboxOut(Schema):
    start: datetime.date | None
    end: datetime.date | None = Field(description="The current end date, extensions included.")
    baseline_end: datetime.date | None = Field(description="The end date before the approved "
                                               "extensions.")
    drift_days: int = Field(description="Days added by approved extensions.")
    duration_days: int | None
    max_duration_days: int = Field(description="The team's maximum, or the longer duration a "
                                   "manager approved for this POC.")
    approved_duration_days: int | None = Field(description="A longer duration a manager "
                                               "approved for this POC.")
    over_max_duration: bool
    extensions_approved: int
    max_extensions: int = Field(description="The team's maximum number of extensions.")
    extensions_left: int
    pending_extension_id: int | None = Field(description="The extension awaiting a manager's "
                                             "decision.")
    health: str = Field(description="The worst health of the open milestones: " + HEALTH_HELP)
    health_counts: HealthCountsOut = Field(description="Open milestones by health.")
    milestones_total: int
    milestones_done: int
    next_milestone: MilestoneOut | None = Field(description="The first open milestone.")
    elapsed_share: int | None = Field(description="How far through its window the POC is "
                                      "today, 0–100.")
    drifting: bool = Field(description="Extended, a milestone stalled, or the exit clause "
                           "reached.")
    exit: ExitOut | None = Field(description="Where the POC stands against its exit clause; null "
                                 "without a deadline.")


# --- input -----------------------------------------------------------------------------------

OWNER_HELP = "Id of a member of the POC's team; null: nobody."
CUSTOMER_HELP = "Id of a customer stakeholder of the deal; null: nobody."
STATUS_HELP = ("`done` sets `completed_on` to today unless given (never in the future); "
               "`witnessed_by` only on a done milestone.")


class MilestoneIn(InputSchema):
    kind: KindChoice = Field(MilestoneKind.OTHER.value)
    title: Text = Field("", max_length=200, description="Empty: the kind's name.")
    sequence: int = Field(0, ge=0, le=10_000, description="A checkpoint's number.")
    due_date: datetime.date
    owner: ObjectId | None = Field(None, description=OWNER_HELP)
    customer_owner: ObjectId | None = Field(None, description=CUSTOMER_HELP)
    status: MilestoneStatusChoice = Field(MilestoneStatus.PLANNED.value, description=STATUS_HELP)
    customer_witness: bool = False
    witnessed_by: ObjectId | None = Field(None, description=CUSTOMER_HELP)
    completed_on: datetime.date | None = None
    evidence_note: Text = ""


class MilestonePatch(InputSchema):
    kind: KindChoice = None
    title: Text = Field(None, max_length=200)
    sequence: int = Field(None, ge=0, le=10_000)
    due_date: datetime.date = None
    owner: ObjectId | None = Field(None, description=OWNER_HELP)
    customer_owner: ObjectId | None = Field(None, description=CUSTOMER_HELP)
    status: MilestoneStatusChoice = Field(None, description=STATUS_HELP)
    customer_witness: bool = None
    witnessed_by: ObjectId | None = Field(None, description=CUSTOMER_HELP)
    completed_on: datetime.date | None = None
    evidence_note: Text = None


class MilestoneRowIn(MilestonePatch):
    key: uuid.UUID | None = Field(None, description="The key of a current milestone, to keep it "
                                  "(fields left out keep their value); without it, a new "
                                  "milestone, which needs `due_date`.")


class MilestonePlanIn(InputSchema):
    milestones: list[MilestoneRowIn] = Field(max_length=500, description="The whole plan.")


class ProposalIn(InputSchema):
    start: datetime.date | None = Field(None, description="By default the POC's start date.")
    end: datetime.date | None = Field(None, description="By default the POC's end date.")
    cadence_days: int | None = Field(None, ge=1, le=90, description="A checkpoint every N days; "
                                     "by default the agreement's cadence, else the team's.")


class ExtensionIn(InputSchema):
    requested_end: datetime.date = Field(description="The new end date, after the current one.")
    reason: Text = Field(max_length=2000, description="Why the POC needs more time.")


class ExtensionDecisionIn(InputSchema):
    approve: bool = Field(description="true approves (the POC's end date and its open final "
                          "review move), false refuses.")
    note: Text = Field("", max_length=2000, description="Required to refuse, and to approve "
                       "beyond the team's limits.")
    beyond_policy: bool = Field(False, description="Approve although it passes the team's "
                                "maximum number of extensions (recorded as such).")


class ExitDecisionIn(InputSchema):
    decision: ExitChoice = Field(description="`stop` (a running POC moves to evaluating), "
                                 "`renegotiate`, or `extend` (files an extension request for "
                                 "`requested_end`).")
    note: Text = Field(max_length=2000, description="The decision and who took it with the "
                       "customer.")
    requested_end: datetime.date | None = Field(None, description="With `extend`: the new end "
                                                "date.")


# --- helpers ---------------------------------------------------------------------------------

def _milestone_values(payload) -> dict:
    values = payload.model_dump(exclude_unset=True)
    values.pop("key", None)
    return values


def _proposal_dates(poc, payload: ProposalIn) -> tuple[datetime.date, datetime.date]:
    start = payload.start or poc.start_date
    end = payload.end or poc.end_date
    errors: dict[str, list[str]] = {}
    if start is None:
        errors["start"] = [_("The POC has no start date: send one.")]
    if end is None:
        errors["end"] = [_("The POC has no end date: send one.")]
    if not errors and end < start:
        errors["end"] = [_("The end date cannot be before the start date.")]
    elif not errors and (end - start).days > MAX_PROPOSAL_DAYS:
        errors["end"] = [_("A plan is proposed for at most %(days)s days.")
                         % {"days": MAX_PROPOSAL_DAYS}]
    if errors:
        raise ValidationFailed(errors)
    return start, end


def _summary_out(summary) -> dict:
    exit_status = None
    if summary.exit is not None:
        exit_status = {
            "deadline": summary.exit.deadline, "trigger_date": summary.exit.trigger_date,
            "days_late": summary.exit.days_late, "reached": summary.exit.reached,
            "needs_decision": summary.exit_needs_decision, "decision": summary.exit_decision}
    return {
        "start": summary.start, "end": summary.end, "baseline_end": summary.baseline_end,
        "drift_days": summary.drift_days, "duration_days": summary.duration_days,
        "max_duration_days": summary.max_duration_days,
        "approved_duration_days": summary.approved_duration_days,
        "over_max_duration": summary.over_max_duration,
        "extensions_approved": summary.extensions_approved,
        "max_extensions": summary.max_extensions, "extensions_left": summary.extensions_left,
        "pending_extension_id": (summary.pending_extension.pk
                                 if summary.pending_extension else None),
        "health": summary.health,
        "health_counts": {health: summary.health_counts.get(health, 0)
                          for health in Health.values},
        "milestones_total": summary.milestones_total,
        "milestones_done": summary.milestones_done,
        "next_milestone": summary.next_milestone, "elapsed_share": summary.elapsed_share,
        "drifting": summary.drifting, "exit": exit_status,
    }


# --- the timebox -----------------------------------------------------------------------------

@router.get("/{poc_id}/timebox", response={200: TimeboxOut, **error_responses(404, 422)},
            operation_id="timebox_get", summary="Where the POC stands on its timebox",
            description="Dates and drift (days added by approved extensions), the team's limits, "
            "the health of the open milestones, the pending extension, and the exit clause: "
            "its trigger date, whether it is reached and the decision recorded.")
def get_timebox(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return _summary_out(timebox_summary(poc=poc))


# --- milestones --------------------------------------------------------------------------------
# The fixed paths come first, so that `propose` is never read as a milestone key.

@router.get("/{poc_id}/milestones",
            response={200: list[MilestoneOut], **error_responses(404, 422)},
            operation_id="milestone_list", summary="List the POC's milestones",
            description="By due date, each with its health today. " + PAGINATION_HELP)
@paginate(PageNumber)
def list_milestones(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return milestones_for_poc(poc=poc)


@router.post("/{poc_id}/milestones",
             response={201: MilestoneOut, **error_responses(403, 404, 409, 422)},
             operation_id="milestone_create", summary="Add a milestone",
             description="Any member of the team adds milestones. Owners are team members, "
             "customer owners and witnesses customer stakeholders of the deal (422 naming the "
             "field otherwise). 409 `poc_closed` once the POC is over.")
def create_milestone(request, poc_id: ObjectId, payload: MilestoneIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    milestone = milestone_create(actor=request.auth, poc=poc, **payload.model_dump())
    return Status(201, milestone_get(poc=poc, key=milestone.key))


@router.put("/{poc_id}/milestones",
            response={200: list[MilestoneOut], **error_responses(403, 404, 409, 422)},
            operation_id="milestone_plan_save", summary="Replace the milestone plan",
            description="Send the whole plan (e.g. the edited proposal): a row with the `key` "
            "of a current milestone changes it and keeps its identity and planned date, a row "
            "without a key is new, a current milestone left out is removed; a done milestone "
            "cannot be left out. 422 names bad rows' fields `milestones.N.field`; nothing is "
            "saved then. Answers the new plan.")
def save_milestone_plan(request, poc_id: ObjectId, payload: MilestonePlanIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    rows = []
    for row in payload.milestones:
        values = _milestone_values(row)
        if row.key is not None:
            values["key"] = str(row.key)
        rows.append(values)
    milestone_plan_save(actor=request.auth, poc=poc, rows=rows)
    return milestones_for_poc(poc=poc)


@router.post("/{poc_id}/milestones/propose",
             response={200: list[ProposedMilestoneOut], **error_responses(404, 422)},
             operation_id="milestone_plan_propose", summary="Propose a milestone plan",
             description="The §6 plan for the POC's dates (or the `start` and `end` sent), "
             "NOT saved: kickoff, customer resources ready, installation, first run, a "
             "checkpoint every `cadence_days`, the mid-point review with the sponsor, target "
             "reached and the final review. Edit it, then save it with PUT "
             "/pocs/{id}/milestones (owners as ids). 422 names `start` or `end` when a date is "
             "missing or the end is before the start.")
def propose_milestone_plan(request, poc_id: ObjectId, payload: ProposalIn | None = None):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    payload = payload or ProposalIn()
    start, end = _proposal_dates(poc, payload)
    return milestone_plan_proposal(poc=poc, start=start, end=end,
                                   cadence_days=payload.cadence_days)


@router.get("/{poc_id}/milestones/{key}",
            response={200: MilestoneOut, **error_responses(404, 422)},
            operation_id="milestone_get", summary="Read a milestone")
def get_milestone(request, poc_id: ObjectId, key: uuid.UUID):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return milestone_get(poc=poc, key=key)


@router.patch("/{poc_id}/milestones/{key}",
              response={200: MilestoneOut, **error_responses(403, 404, 409, 422)},
              operation_id="milestone_update", summary="Change or complete a milestone",
              description="Send only the fields to change; `null` clears an owner, a witness "
              "or the completion date. " + STATUS_HELP)
def update_milestone(request, poc_id: ObjectId, key: uuid.UUID, payload: MilestonePatch):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    milestone = milestone_get(poc=poc, key=key)
    milestone_update(actor=request.auth, milestone=milestone, **_milestone_values(payload))
    return milestone_get(poc=poc, key=key)


@router.delete("/{poc_id}/milestones/{key}",
               response={204: None, **error_responses(403, 404, 409, 422)},
               operation_id="milestone_delete", summary="Remove a milestone",
               description="409 `milestone_done` for a done milestone: it is the POC's history.")
def delete_milestone(request, poc_id: ObjectId, key: uuid.UUID):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    milestone_delete(actor=request.auth, milestone=milestone_get(poc=poc, key=key))
    return Status(204, None)


@router.post("/{poc_id}/milestones/{key}/evidence",
             response={200: MilestoneOut, **error_responses(403, 404, 409, 413, 422)},
             operation_id="milestone_evidence_upload", summary="Attach evidence to a milestone",
             description="Send `multipart/form-data` with the file in `evidence_file` (PDF, "
             "image, office document or text); it replaces the previous evidence file.")
def upload_milestone_evidence(request, poc_id: ObjectId, key: uuid.UUID,
                              evidence_file: File[UploadedFile]):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    milestone = milestone_get(poc=poc, key=key)
    milestone_update(actor=request.auth, milestone=milestone, evidence_upload=evidence_file)
    return milestone_get(poc=poc, key=key)


@router.get("/{poc_id}/milestones/{key}/evidence", response=error_responses(404, 422),
            operation_id="milestone_evidence", url_name="milestone_evidence",
            summary="Download a milestone's evidence",
            description="The uploaded evidence file, as an attachment. 404 when there is none.",
            openapi_extra={"responses": {"200": {
                "description": "The evidence file.",
                "headers": {"Content-Disposition": {"schema": {"type": "string"},
                                                    "description": "attachment; filename=…"}},
                "content": {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}}}})
def download_milestone_evidence(request, poc_id: ObjectId, key: uuid.UUID):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    stored = milestone_get(poc=poc, key=key).evidence_file
    if stored is None:
        raise NotFound(_("This milestone has no evidence file."))
    response = FileResponse(default_storage.open(stored.storage_key, "rb"), as_attachment=True,
                            filename=stored.original_name, content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- extensions ------------------------------------------------------------------------------

@router.get("/{poc_id}/extensions",
            response={200: list[ExtensionOut], **error_responses(404, 422)},
            operation_id="extension_list", summary="List the POC's extensions",
            description="Every extension request, oldest first, with its decision. "
            + PAGINATION_HELP)
@paginate(PageNumber)
def list_extensions(request, poc_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return extensions_for_poc(poc=poc)


@router.post("/{poc_id}/extensions",
             response={201: ExtensionOut, **error_responses(403, 404, 409, 422)},
             operation_id="extension_request", summary="Request an extension",
             description="Asks to move the end date of an agreed, running or paused POC (409 "
             "`not_extensible` otherwise; before it is agreed, change its dates). One request "
             "at a time: 409 `extension_pending`. A manager then decides it.")
def request_extension(request, poc_id: ObjectId, payload: ExtensionIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    extension = extension_request(actor=request.auth, poc=poc,
                                  requested_end=payload.requested_end, reason=payload.reason)
    return Status(201, extension_get(poc=poc, pk=extension.pk))


@router.get("/{poc_id}/extensions/{extension_id}",
            response={200: ExtensionOut, **error_responses(404, 422)},
            operation_id="extension_get", summary="Read an extension")
def get_extension(request, poc_id: ObjectId, extension_id: ObjectId):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    return extension_get(poc=poc, pk=extension_id)


@router.post("/{poc_id}/extensions/{extension_id}/decision",
             response={200: ExtensionOut, **error_responses(403, 404, 409, 422)},
             operation_id="extension_decide", summary="Approve or refuse an extension",
             description="Managers of the team only (403 otherwise). Approving moves the POC's "
             "end date and its open final review; refusing needs a `note`. Approving more "
             "extensions than the team allows needs `beyond_policy` and a `note` (422 on "
             "`beyond_policy` otherwise). 409 `already_decided`, or `end_date_moved` when the "
             "end date changed since the request.")
def decide_extension(request, poc_id: ObjectId, extension_id: ObjectId,
                     payload: ExtensionDecisionIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    extension = extension_get(poc=poc, pk=extension_id)
    extension_decide(actor=request.auth, extension=extension, approve=payload.approve,
                     note=payload.note, beyond_policy=payload.beyond_policy)
    return extension_get(poc=poc, pk=extension_id)


# --- exit clause -------------------------------------------------------------------------------

@router.post("/{poc_id}/exit-decision",
             response={201: ExitDecisionOut, **error_responses(403, 404, 409, 422)},
             operation_id="exit_decision_record", summary="Decide at the exit clause",
             description="Once the exit clause is reached (see `exit` in GET "
             "/pocs/{id}/timebox; 409 `exit_not_reached` before), the engineers running the POC "
             "or their manager record what was decided with the customer: `stop` (a running "
             "POC moves to evaluating), `renegotiate`, or `extend` (files an extension request "
             "for `requested_end`, which a manager then decides).")
def record_exit_decision(request, poc_id: ObjectId, payload: ExitDecisionIn):
    poc = poc_get(user=request.auth, poc_id=poc_id)
    record = exit_decision_record(actor=request.auth, poc=poc, decision=payload.decision,
                                  note=payload.note, requested_end=payload.requested_end)
    return Status(201, record)
