"""Functions the stories use for a POC's run and its governance (SPEC §8), through the services.

An engineer records what happened on the day it happened: log entries (observations, issues,
technical risks, key events witnessed by the customer's people named by their decision-chain
key), a few readings with a photo, the meetings with who came and what was decided, and the
action items agreed there, done on their day or left open. Instruments' exports arrive as bulk
uploads, one a day, each at most `BULK_LIMIT` readings.

Photos are tiny JPEGs drawn with Pillow: a tinted frame and a caption, enough for a thumbnail.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from pocdesk.core.events import event_record
from pocdesk.execution.models import Evidence, LogEntry, Measurement
from pocdesk.execution.services import (
    BULK_LIMIT,
    evidence_upload,
    log_entry_create,
    log_entry_update,
    measurement_create,
    measurements_bulk_create,
)
from pocdesk.governance.models import ActionItem, Meeting
from pocdesk.governance.services import (
    action_item_update,
    cadence_update,
    meeting_create,
    meeting_update,
)
from pocdesk.pocs.models import POC
from pocdesk.stakeholders.models import Stakeholder

from .clock import StoryClock
from .scale_timebox import plain_insert
from .story import day
from .timeboxes import plan_of


@dataclass(frozen=True)
class Photo:
    """A small picture taken on site: its file name, its caption and the tint of its frame."""

    name: str
    caption: str
    tint: tuple[int, int, int] = (120, 110, 95)


def photo_file(photo: Photo, label: str = "") -> SimpleUploadedFile:
    """A 160 × 120 JPEG of a few kilobytes: a gradient of the tint with a caption strip."""
    image = Image.new("RGB", (160, 120), photo.tint)
    draw = ImageDraw.Draw(image)
    red, green, blue = photo.tint
    for row in range(0, 96, 4):
        shade = 40 - row // 3
        draw.rectangle((0, row, 159, row + 3), fill=(max(0, red + shade), max(0, green + shade),
                                                     max(0, blue + shade)))
    draw.rectangle((0, 96, 159, 119), fill=(20, 20, 20))
    text = (label or photo.name.rsplit(".", 1)[0]).encode("ascii", "replace").decode()[:26]
    draw.text((6, 101), text, fill=(235, 235, 235))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return SimpleUploadedFile(photo.name, out.getvalue(), content_type="image/jpeg")


def photos_upload(*, actor, poc: POC, photos: Sequence[Photo], taken_at: datetime.datetime,
                  criterion=None) -> list[Evidence]:
    return [evidence_upload(actor=actor, poc=poc, uploaded=photo_file(photo),
                            caption=photo.caption, criterion=criterion, taken_at=taken_at)
            for photo in photos]


# -- the execution log --------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """A log entry written `days_ago` at `hour`; `witness` is a decision-chain key, `milestone`
    a `timeboxes.milestone_name`; an issue or risk `resolved` = (days ago, mitigation)."""

    days_ago: int
    kind: str
    title: str
    body: str = ""
    hour: int = 10
    key_event: str = ""
    milestone: str = ""
    severity: str = ""
    status: str = ""
    mitigation: str = ""
    witness: str | None = None
    photos: tuple[Photo, ...] = ()
    resolved: tuple[int, str] | None = None


def log_write(*, actor, poc: POC, clock: StoryClock, entries: Sequence[Entry],
              people: Mapping[str, Stakeholder]) -> list[LogEntry]:
    milestones = plan_of(poc)
    written = []
    for item in entries:
        with clock.on(item.days_ago, hour=item.hour) as moment:
            evidence = photos_upload(actor=actor, poc=poc, photos=item.photos, taken_at=moment)
            entry = log_entry_create(
                actor=actor, poc=poc, kind=item.kind, title=item.title, body=item.body,
                occurred_at=moment, key_event=item.key_event,
                milestone=milestones[item.milestone] if item.milestone else None,
                severity=item.severity, status=item.status, mitigation=item.mitigation,
                witnessed_by=people[item.witness] if item.witness else None,
                witnessed_at=moment if item.witness else None,
                evidence_ids=[e.pk for e in evidence])
        if item.resolved is not None:
            days_ago, mitigation = item.resolved
            with clock.on(days_ago, hour=16):
                entry = log_entry_update(actor=actor, entry=entry, status="resolved",
                                         mitigation=mitigation)
        written.append(entry)
    return written


# -- readings -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reading:
    """One reading of the criterion titled `criterion`: a number (`value`) or a result."""

    criterion: str
    measured_at: datetime.datetime
    value: Any = None
    passed: bool | None = None
    conditions: str = ""
    note: str = ""


def criteria_by_title(poc: POC) -> dict[str, Any]:
    return {criterion.title: criterion for criterion in poc.criteria.all()}


def readings_upload(*, actor, poc: POC, clock: StoryClock, readings: Sequence[Reading],
                    lag_days: int = 1, hour: int = 7, every: int = 1,
                    checked: bool = True) -> int:
    """Upload the readings as the exports they came in, one every `every` days: each period's
    readings `lag_days` after its last day, at `hour`, split in uploads of at most
    `BULK_LIMIT`. Returns the number recorded.

    `checked=False` writes an instrument's export straight into the table — the rows and the
    event `measurements_bulk_create` would write, without checking each generated reading
    again: for tens of thousands of readings the checks would double the demo's seeding time.
    """
    criteria = criteria_by_title(poc)
    today = clock.now.date()
    by_day: dict[datetime.date, list[dict]] = defaultdict(list)
    for reading in readings:
        row = {"criterion": criteria[reading.criterion], "measured_at": reading.measured_at,
               "conditions": reading.conditions, "note": reading.note}
        if reading.passed is None:
            row["value"] = reading.value
        else:
            row["passed"] = reading.passed
        measured_on = reading.measured_at.date()
        # The period's last day: periods are counted back from today.
        last_day = measured_on + datetime.timedelta(days=(today - measured_on).days % every)
        by_day[last_day].append(row)
    recorded = 0
    for last_day in sorted(by_day):
        rows = by_day[last_day]
        days_ago = max(0, (today - last_day).days - lag_days)
        with clock.on(days_ago, hour=hour) as moment:
            for start in range(0, len(rows), BULK_LIMIT):
                batch = rows[start:start + BULK_LIMIT]
                if checked:
                    recorded += len(measurements_bulk_create(actor=actor, poc=poc,
                                                             readings=batch))
                else:
                    recorded += _readings_insert(actor=actor, poc=poc, rows=batch,
                                                 recorded_at=moment)
    return recorded


def _readings_insert(*, actor, poc: POC, rows: list[dict], recorded_at) -> int:
    plain_insert(Measurement, [
        {"poc_id": poc.pk, "criterion_id": row["criterion"].pk, "measured_at": row["measured_at"],
         "value": row.get("value"), "passed": row.get("passed"), "conditions": row["conditions"],
         "note": row["note"], "recorded_by_id": actor.pk, "recorded_at": recorded_at}
        for row in rows])
    event_record(actor=actor, verb="measurement.bulk_recorded", target=poc, poc=poc,
                 team=poc.team, data={"count": len(rows), "criteria": sorted(
                     {row["criterion"].title for row in rows})})
    return len(rows)


def reading_with_photo(*, actor, poc: POC, clock: StoryClock, reading: Reading,
                       photo: Photo) -> None:
    """A reading recorded on the spot, with the photo that proves it."""
    days_ago = (clock.now.date() - reading.measured_at.date()).days
    criterion = criteria_by_title(poc)[reading.criterion]
    with clock.on(days_ago, hour=min(23, reading.measured_at.hour + 1)):
        measurement_create(
            actor=actor, poc=poc, criterion=criterion, measured_at=reading.measured_at,
            value=reading.value, passed=reading.passed, conditions=reading.conditions,
            note=reading.note, evidence_files=[photo_file(photo)])


def at(days_ago: float, hour: float = 0.0) -> datetime.datetime:
    """The moment `hour` hours into the day `days_ago` days before today (UTC)."""
    midnight = datetime.datetime.combine(day(-int(days_ago)), datetime.time(),
                                         tzinfo=datetime.UTC)
    return midnight + datetime.timedelta(hours=hour)


# -- governance -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Action:
    """An action item: ours (`owner`, a username) or the customer's (`customer_owner`, a
    decision-chain key), due `due` days from today, done `done` days ago (None: still open),
    or `cancelled` that day."""

    text: str
    owner: str | None = None
    customer_owner: str | None = None
    due: int | None = None
    done: int | None = None
    cancelled: int | None = None


@dataclass(frozen=True)
class Held:
    """A meeting on the day `days_ago` (negative: planned ahead, recorded `recorded_ago`).

    `attendees` and `absent` are decision-chain keys, `vendor` usernames; `decisions` one per
    item."""

    days_ago: int
    meeting_type: str
    title: str = ""
    agenda: str = ""
    notes: str = ""
    decisions: tuple[str, ...] = ()
    attendees: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    vendor: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    status: str = "held"
    hour: int = 10
    recorded_ago: int | None = None
    outcome: Mapping[str, Any] = field(default_factory=dict)  # changes recorded on the day


def cadence_set(*, actor, poc: POC, clock: StoryClock, days_ago: int,
                weekly_sync_days: int | None = 7, steering_days: int | None = 28,
                grace_days: int = 2) -> None:
    with clock.on(days_ago, hour=9):
        cadence_update(actor=actor, poc=poc, weekly_sync_days=weekly_sync_days,
                       steering_days=steering_days, grace_days=grace_days)


def meetings_hold(*, actor, poc: POC, clock: StoryClock, meetings: Sequence[Held],
                  people: Mapping[str, Stakeholder], users: Mapping[str, Any]) -> list[Meeting]:
    """Record each meeting on its day (a planned one on the day it was planned), with its
    action items; then close the action items on the days they were done."""
    held = []
    closing: list[tuple[int, str, Action]] = []
    for item in meetings:
        recorded = item.recorded_ago if item.recorded_ago is not None else max(0, item.days_ago)
        with clock.on(recorded, hour=item.hour):
            meeting = meeting_create(
                actor=actor, poc=poc, meeting_type=item.meeting_type, date=day(-item.days_ago),
                status=item.status, title=item.title, agenda=item.agenda, notes=item.notes,
                decisions="\n".join(item.decisions),
                attendees=[people[key] for key in item.attendees],
                absent=[people[key] for key in item.absent],
                vendor_attendees=[users[name] for name in item.vendor],
                action_items=[{"text": action.text,
                               "owner": users[action.owner] if action.owner else None,
                               "customer_owner": (people[action.customer_owner]
                                                  if action.customer_owner else None),
                               "due_on": day(action.due) if action.due is not None else None}
                              for action in item.actions])
        if item.outcome:
            with clock.on(max(0, item.days_ago), hour=item.hour + 2):
                meeting = meeting_update(actor=actor, meeting=meeting, **item.outcome)
        items = {i.text: i for i in ActionItem.objects.filter(meeting=meeting)}
        for action in item.actions:
            if action.done is not None:
                closing.append((action.done, "done", items[action.text]))
            elif action.cancelled is not None:
                closing.append((action.cancelled, "cancelled", items[action.text]))
        held.append(meeting)
    for days_ago, status, action_item in sorted(closing, key=lambda row: -row[0]):
        with clock.on(days_ago, hour=17):
            action_item_update(actor=actor, action_item=action_item, status=status)
        if status == "done":
            # The service records the day it is told; the story tells it on the day it happened.
            ActionItem.objects.filter(pk=action_item.pk).update(done_on=day(-days_ago))
    return held
