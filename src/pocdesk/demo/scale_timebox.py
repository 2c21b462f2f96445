"""The timebox and scope of the generated POCs (`scale`), so the list's drift and creep columns
carry varied values under load.

Every generated POC with dates gets a planned effort and the §6 milestone plan proposed for its
original dates (the final review follows the approved extensions, as `extension_decide` moves
it): past milestones are done, a running POC sometimes leaves its latest ones late, a paused one
leaves those due since its pause. About four in ten POCs that ran were extended one to three
times (the third beyond the team's limit), a few wait for a decision on one more, and the
customer's requests were recorded and decided, some of them piling up past the scope-creep
threshold; some running POCs carry promises, a few of them overdue.

Written with `bulk_create` like the rest of the generated data; its own random generator keeps
the deals themselves the same as without it. Only the decisions that change a timebox or accept
paid scope get their Event rows (extension requests and approvals, overrides): routine writes
(milestones done, requests, promises) would multiply the events for no reading.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connections, models

from pocdesk.core.models import Event
from pocdesk.pocs.models import Status
from pocdesk.scope.models import Commitment, ScopeChange
from pocdesk.timebox.models import Extension, Milestone, MilestoneKind
from pocdesk.timebox.proposal import propose_milestones

from . import scale_vocabulary as words

MAX_DURATION_DAYS = 90  # the default team policy: the demo teams keep it
MAX_EXTENSIONS = 2
EXTENSION_DAYS = [7, 14, 14, 21, 30, 30, 45, 60, 90]
EXTENSION_COUNTS = {  # weights of 0, 1, 2, 3 approved extensions
    Status.RUNNING: [62, 22, 11, 5], Status.PAUSED: [30, 30, 25, 15],
    Status.EVALUATING: [60, 24, 12, 4], Status.CLOSED: [64, 22, 10, 4],
}
RAN = (Status.RUNNING, Status.PAUSED, Status.EVALUATING, Status.CLOSED)
OPEN = (Status.RUNNING, Status.PAUSED, Status.EVALUATING)
CLASSES = ["minor_adjustment"] * 7 + ["evolution"] * 2 + ["specific_development"]
HOURS = {"minor_adjustment": (2, 40), "evolution": (16, 160), "specific_development": (40, 320)}


@dataclass
class Timebox:
    """What the generator decided for one POC before it is saved."""

    baseline_end: datetime.date
    end: datetime.date
    planned_hours: Decimal
    extensions: list[int] = field(default_factory=list)
    pending: int | None = None


class TimeboxGenerator:
    def __init__(self, *, seed: int, now: datetime.datetime, today: datetime.date,
                 managers: dict) -> None:
        self.rng = random.Random(seed * 7919 + 17)  # noqa: S311 - demo data, not secrets
        self.now = now
        self.today = today
        self.managers = managers

    def at(self, date: datetime.date, hour: int = 10) -> datetime.datetime:
        moment = datetime.datetime.combine(date, datetime.time(hour), tzinfo=self.now.tzinfo)
        return min(moment, self.now)

    def shape(self, *, status: str, start: datetime.date, end: datetime.date) -> Timebox:
        """Planned effort and extensions; a running or paused POC's end moves with them, an
        evaluated or closed one ran its extensions already (its original end was earlier)."""
        rng = self.rng
        timebox = Timebox(baseline_end=end, end=end,
                          planned_hours=Decimal(rng.randrange(40, 640, 8)))
        if status not in EXTENSION_COUNTS:
            return timebox
        count = rng.choices(range(4), EXTENSION_COUNTS[status])[0]
        days = [rng.choice(EXTENSION_DAYS) for _ in range(count)]
        if status in (Status.RUNNING, Status.PAUSED):
            timebox.end = end + datetime.timedelta(days=sum(days))
            if rng.random() < (0.08 if status == Status.RUNNING else 0.25):
                timebox.pending = rng.choice(EXTENSION_DAYS)
        else:
            while days and (end - start).days - sum(days) < 14:
                days.pop()
            timebox.baseline_end = end - datetime.timedelta(days=sum(days))
        timebox.extensions = days
        return timebox

    def poc_fields(self, timebox: Timebox | None, *, start: datetime.date | None,
                   team_id: int) -> dict:
        if timebox is None or start is None:
            return {}
        fields = {"planned_effort_hours": timebox.planned_hours}
        days = (timebox.end - start).days
        if days > MAX_DURATION_DAYS and self.managers.get(team_id):
            fields.update(approved_duration_days=days,
                          duration_approved_by=self.rng.choice(self.managers[team_id]))
        return fields

    # -- rows written once the POC and its stakeholders are saved -------------------------------

    def write(self, chains) -> int:
        """Milestones, extensions, scope changes and commitments of a batch; returns the number
        of events written."""
        milestones: list[dict] = []
        extensions: list[Extension] = []
        changes: list[dict] = []
        commitments: list[Commitment] = []
        for poc, plan, sponsor, others, _engaged in chains:
            timebox = getattr(plan, "timebox", None)
            if timebox is None or poc.start_date is None:
                continue
            customers = [person for person in (sponsor, *others) if person is not None]
            milestones.extend(self.milestones(poc, plan, timebox, sponsor, customers))
            extensions.extend(self.extensions(poc, timebox))
            if plan.status in RAN and customers:
                changes.extend(self.scope_changes(poc, plan, customers))
                if plan.status in (Status.RUNNING, Status.PAUSED) and self.rng.random() < 0.3:
                    commitments.extend(self.commitments(poc, customers))
        plain_insert(Milestone, milestones)
        plain_insert(Commitment, [commitment.__dict__ for commitment in commitments])
        plain_insert(ScopeChange, changes)
        # Extensions are the targets of events: they need their keys.
        Extension.objects.bulk_create(extensions)
        events = self.extension_events(extensions) + self.override_events(
            sorted({row["poc_id"] for row in changes if row.get("override")}))
        Event.objects.bulk_create(events)
        return len(events)

    def _paused_on(self, plan) -> datetime.date | None:
        ago = next((ago for status, ago in plan.steps if status == Status.PAUSED), None)
        return None if ago is None else self.today - datetime.timedelta(days=int(ago))

    def milestones(self, poc, plan, timebox: Timebox, sponsor, customers) -> list[dict]:
        """The rows of the POC's milestones, as `plain_insert` takes them."""
        rng, today = self.rng, self.today
        # The fixed points of the proposal (a cadence longer than the POC proposes no
        # checkpoint): checkpoints would triple the rows for no column of the list.
        proposed = propose_milestones(
            start=poc.start_date, end=timebox.baseline_end,
            cadence_days=(timebox.baseline_end - poc.start_date).days + 1)
        if plan.status in (Status.EVALUATING, Status.CLOSED):
            done_until = min(today, poc.end_date)
        elif plan.status == Status.PAUSED:
            done_until = self._paused_on(plan) or today
        elif plan.status == Status.RUNNING:
            done_until = today
        else:
            done_until = None
        finished = plan.status in (Status.EVALUATING, Status.CLOSED)

        def due_of(item) -> datetime.date:
            # The final review moved with each approved extension.
            return poc.end_date if item.kind == MilestoneKind.FINAL_REVIEW else item.due_date

        def passed(item) -> bool:
            due = due_of(item)
            return done_until is not None and (due <= done_until if finished
                                               else due < done_until)

        late_tail = rng.choice([0, 0, 0, 1, 1, 2]) if plan.status == Status.RUNNING else 0
        past = [item for item in proposed if passed(item)]
        late = {id(item) for item in past[len(past) - late_tail:]} if late_tail else set()
        created = self.at(poc.start_date - datetime.timedelta(days=3))
        sponsor_id = sponsor.pk if sponsor is not None else None
        rows = []
        for item in proposed:
            due = due_of(item)
            row = {"poc_id": poc.pk, "key": uuid.uuid4(), "kind": item.kind,
                   "sequence": item.sequence, "due_date": due, "planned_date": item.due_date,
                   "owner_id": None if item.customer_owned else poc.owner_id,
                   "customer_owner_id": sponsor_id if item.customer_owned else None,
                   "customer_witness": item.customer_witness, "created_at": created,
                   "updated_at": created}
            if passed(item) and id(item) not in late:
                if item.kind == MilestoneKind.RESOURCES_READY and rng.random() < 0.05:
                    row["status"] = "skipped"
                else:
                    slip = rng.choice([-1, 0, 0, 0, 0, 1, 2, 3])
                    row["status"] = "done"
                    row["completed_on"] = min(today, due + datetime.timedelta(days=slip))
                    if item.customer_witness and customers and rng.random() < 0.7:
                        row["witnessed_by_id"] = rng.choice(customers).pk
            rows.append(row)
        return rows

    def extensions(self, poc, timebox: Timebox) -> list[Extension]:
        rng = self.rng
        managers = self.managers.get(poc.team_id) or [poc.owner]
        reasons = words.EXTENSION_REASONS[poc.language]
        rows = []
        previous = timebox.baseline_end
        for number, days in enumerate(timebox.extensions, start=1):
            requested = self.at(max(poc.start_date, min(
                self.today, previous - datetime.timedelta(days=rng.randint(2, 10)))), hour=9)
            decided = min(self.now, requested + datetime.timedelta(days=rng.randint(0, 3)))
            beyond = number > MAX_EXTENSIONS
            rows.append(Extension(
                poc=poc, reason=rng.choice(reasons), previous_end=previous,
                requested_end=previous + datetime.timedelta(days=days), days=days,
                status="approved", requested_by=poc.owner, requested_at=requested,
                decided_by=rng.choice(managers), decided_at=decided, beyond_policy=beyond,
                decision_note=rng.choice(words.BEYOND_POLICY_NOTES[poc.language])
                if beyond else ""))
            previous += datetime.timedelta(days=days)
        if timebox.pending:
            rows.append(Extension(
                poc=poc, reason=rng.choice(reasons), previous_end=previous,
                requested_end=previous + datetime.timedelta(days=timebox.pending),
                days=timebox.pending, requested_by=poc.owner,
                requested_at=self.now - datetime.timedelta(days=rng.uniform(0.5, 10))))
        return rows

    def scope_changes(self, poc, plan, customers) -> list[dict]:
        """The rows of the customer's requests and their decisions, as `plain_insert` takes
        them."""
        rng, language = self.rng, poc.language
        count = rng.choices([0, rng.randint(1, 3), rng.randint(4, 7), rng.randint(8, 12)],
                            [35, 45, 15, 5])[0]
        last = min(self.today, poc.end_date)
        span = max(0, (last - poc.start_date).days)
        managers = self.managers.get(poc.team_id) or [poc.owner]
        rows = []
        for _ in range(count):
            change_class = rng.choice(CLASSES)
            low, high = HOURS[change_class]
            requested_on = poc.start_date + datetime.timedelta(days=rng.randint(0, span))
            row = {"poc_id": poc.pk, "text": rng.choice(words.REQUESTS[change_class][language]),
                   "requested_by_id": rng.choice(customers).pk, "requested_on": requested_on,
                   "effort_hours": Decimal(rng.randint(low, high)), "change_class": change_class,
                   "recorded_by_id": poc.owner_id,
                   "created_at": self.at(requested_on, hour=11)}
            self._decide(row, poc, plan, managers)
            rows.append(row)
        return rows

    def _decide(self, row: dict, poc, plan, managers) -> None:
        rng, language, change_class = self.rng, poc.language, row["change_class"]
        draw = rng.random()
        if plan.status in OPEN and (self.today - row["requested_on"]).days < 21 and draw < 0.3:
            return  # still pending
        row["decided_by_id"] = poc.owner_id
        row["decided_at"] = min(self.now, self.at(row["requested_on"], hour=16)
                                + datetime.timedelta(days=rng.randint(0, 5)))
        if change_class == "minor_adjustment":
            decision = "accepted" if draw < 0.88 else "rejected"
        elif change_class == "evolution":
            decision = "deferred" if draw < 0.8 else "rejected"
        elif draw < 0.4:
            decision = "quoted"
        elif draw < 0.65:
            decision = "rejected"
        else:
            decision = "accepted"
            row["decided_by_id"] = rng.choice(managers).pk
            if draw < 0.85:
                row["override"] = True
                row["decision_note"] = rng.choice(words.OVERRIDE_NOTES[language])
        row["decision"] = decision
        if decision == "quoted" or (decision == "accepted" and not row.get("override")
                                    and change_class == "specific_development"):
            row["quote_amount"] = Decimal(rng.randint(5, 80) * 1000)
            row["quote_currency"] = poc.opportunity.currency
        if decision == "rejected":
            row["decision_note"] = rng.choice(words.REJECTED_NOTES[language])
        elif decision == "deferred":
            row["decision_note"] = rng.choice(words.DEFERRED_NOTES[language])

    def commitments(self, poc, customers) -> list[Commitment]:
        rng, language = self.rng, poc.language
        rows = []
        for _ in range(rng.randint(1, 2)):
            category = rng.choice(["uncertain", "uncertain", "risky", "out_of_scope"])
            made_at = self.now - datetime.timedelta(days=rng.uniform(0.2, 40))
            due_at = made_at + (datetime.timedelta(hours=24) if category == "uncertain"
                                else datetime.timedelta(days=rng.randint(7, 45)))
            row = Commitment(
                poc=poc, text=rng.choice(words.COMMITMENTS[category][language]),
                made_by=poc.owner, made_to=rng.choice(customers), category=category,
                made_at=made_at, due_at=due_at, recorded_by=poc.owner, created_at=made_at,
                preconditions=words.PRECONDITIONS[language] if category == "risky" else "",
                feasibility=words.FEASIBILITY[language] if category == "out_of_scope" else "")
            if due_at < self.now:
                draw = rng.random()
                if draw < 0.6:
                    row.status, row.resolved_at = "kept", due_at - datetime.timedelta(hours=2)
                elif draw < 0.75:
                    row.status, row.resolved_at = "broken", due_at + datetime.timedelta(hours=4)
                    row.resolved_at = min(row.resolved_at, self.now)
                    row.resolution_note = rng.choice(words.BROKEN_NOTES[language])
            rows.append(row)
        return rows

    # -- the events of the decisions ------------------------------------------------------------

    def extension_events(self, extensions: list[Extension]) -> list[Event]:
        events = []
        number: dict[int, int] = {}
        for extension in extensions:
            poc = extension.poc
            label = f"{poc.title} → {extension.requested_end.isoformat()}"[:255]
            common = {"team_id": poc.team_id, "poc": poc, "target_type": "extension",
                      "target_id": str(extension.pk), "target_label": label}
            events.append(Event(
                created_at=extension.requested_at, actor=extension.requested_by,
                verb="extension.requested", **common,
                data={"requested_end": extension.requested_end.isoformat(),
                      "days": extension.days, "reason": extension.reason}))
            if extension.status != "approved":
                continue
            number[poc.pk] = number.get(poc.pk, 0) + 1
            events.append(Event(
                created_at=extension.decided_at, actor=extension.decided_by,
                verb="extension.approved_beyond_policy" if extension.beyond_policy
                else "extension.approved", **common,
                data={"requested_end": extension.requested_end.isoformat(),
                      "days": extension.days, "number": number[poc.pk],
                      "note": extension.decision_note}))
        return events

    @staticmethod
    def override_events(poc_ids: list[int]) -> list[Event]:
        """The overrides just inserted for these POCs, read back for their keys."""
        overrides = (ScopeChange.objects.filter(poc_id__in=poc_ids, override=True)
                     .values_list("pk", "poc_id", "poc__team_id", "decided_at", "decided_by_id",
                                  "change_class", "decision_note", "text"))
        return [Event(
            created_at=decided_at, actor_id=decided_by, team_id=team_id, poc_id=poc_id,
            verb="scope_change.overridden", target_type="scopechange", target_id=str(pk),
            target_label=str(ScopeChange(text=text))[:255],
            data={"decision": "accepted", "class": change_class, "note": note, "quote": ""})
            for pk, poc_id, team_id, decided_at, decided_by, change_class, note, text in overrides]


def plain_insert(model: type[models.Model], rows: list[dict]) -> None:
    """INSERT rows (field attnames to values) in one `executemany`.

    `bulk_create` builds a model instance per row and prepares every value through its field,
    which costs more than the database itself for tens of thousands of small rows; here only
    dates, times, UUIDs and decimals are adapted. A missing value takes the field's default,
    so a row must carry every field whose default is computed (a UUID key, an auto-now time).
    """
    if not rows:
        return
    db = connections[DEFAULT_DB_ALIAS]  # not the `connection` proxy: one lookup, not one a value
    ops = db.ops
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: None if f.null and not f.has_default() else f.get_default()
                for f in fields}

    def adapter(field):
        if isinstance(field, models.DateField):  # and DateTimeField: many rows share a time
            adapt = (ops.adapt_datetimefield_value if isinstance(field, models.DateTimeField)
                     else ops.adapt_datefield_value)
            seen: dict = {}

            def cached(value):
                if value not in seen:
                    seen[value] = adapt(value)
                return seen[value]

            return cached
        if isinstance(field, models.UUIDField):
            return None if db.features.has_native_uuid_field else lambda value: value.hex
        if isinstance(field, models.DecimalField):
            return lambda value: field.get_db_prep_save(value, db)
        return None

    adapters = [(field.attname, defaults[field.attname], adapter(field)) for field in fields]
    values = [tuple([row.get(name, default) if adapt is None else adapt(row.get(name, default))
                     for name, default, adapt in adapters]) for row in rows]
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    with db.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                           values)
