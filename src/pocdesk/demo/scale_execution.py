"""The execution and governance of the generated POCs (`scale`), so that load tests have
readings, logs and meetings to chew on (SPEC §8).

Every generated POC that ran (running, paused, evaluating or closed) gets 10 to 60 reading
sessions over the days it ran, each reading every success criterion, mostly passing, sometimes marginal or failing; a short
execution log (the first run, often witnessed by the customer, an observation or two, now and
then an issue or a technical risk, the target reached when it ended well); weekly syncs and
steering meetings with their attendance — the executive sponsor sometimes missing, a science
project steered with its champion alone — and a few action items, some of them overdue.

Written with `plain_insert` (readings, log entries, attendance, action items) and `bulk_create`
(meetings, whose keys the attendance needs), like the rest of the generated data, with its own
random generator so that the deals themselves stay the same. No Event rows: routine records
would multiply the events for no reading.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import F

from pocdesk.criteria.measure import evaluate
from pocdesk.criteria.models import Comparator
from pocdesk.execution.models import LogEntry, Measurement
from pocdesk.governance.models import ActionItem, Attendance, Meeting
from pocdesk.pocs.models import Status

from . import scale_execution_vocabulary as words
from .scale_timebox import plain_insert

RAN = (Status.RUNNING, Status.PAUSED, Status.EVALUATING, Status.CLOSED)
READINGS = (10, 60)
MAX_SYNCS = 8
HUNDREDTH = Decimal("0.01")
# How the readings sit against the target: share of the POCs, chance a pass/fail test passes,
# margin of a numeric reading over its target (negative: short of it).
QUALITIES = {"good": (72, 0.97), "marginal": (18, 0.9), "failing": (10, 0.6)}
OFFSET = {"good": 0.06, "marginal": 0.0, "failing": -0.07}
STEADY_AGGREGATIONS = frozenset({"min", "max", "p95"})


class ExecutionGenerator:
    def __init__(self, *, seed: int, now: datetime.datetime, today: datetime.date) -> None:
        self.rng = random.Random(seed * 104729 + 31)  # noqa: S311 - demo data, not secrets
        self.now = now
        self.today = today
        self.readings_written = 0
        # The last batch's closed POCs: each criterion's status from its generated readings.
        self.statuses: dict[int, list[tuple[object, str]]] = {}

    def at(self, days_ago: float) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days_ago)

    def uploaded(self, measured: datetime.datetime) -> datetime.datetime:
        """The readings of a day are uploaded the next morning at 07:00 (or just now)."""
        morning = datetime.datetime.combine(measured.date() + datetime.timedelta(days=1),
                                            datetime.time(7), tzinfo=measured.tzinfo)
        return min(self.now, morning)

    def write(self, chains, criteria) -> int:
        """Readings, log, meetings and action items of a batch of saved deals; returns the
        number of readings written."""
        by_poc = defaultdict(list)
        for criterion in criteria:
            by_poc[criterion.poc_id].append(criterion)
        readings: list[dict] = []
        entries: list[dict] = []
        meetings: list[tuple[Meeting, list, list]] = []
        self.statuses = {}
        for poc, plan, sponsor, others, _engaged in chains:
            window = self._window(plan)
            if plan.status not in RAN or window is None:
                continue
            quality = self.rng.choices(list(QUALITIES), [q[0] for q in QUALITIES.values()])[0]
            customers = [person for person in (sponsor, *others) if person is not None]
            sessions = self.sessions(window)
            statuses = self.statuses[poc.pk] = []
            for criterion in by_poc.get(poc.pk, ()):
                rows = self.readings(poc, criterion, sessions, quality)
                readings.extend(rows)
                if plan.status == Status.CLOSED:
                    statuses.append((criterion, evaluate(criterion, [
                        row["passed"] if "passed" in row else row["value"] for row in rows])[1]))
            entries.extend(self.log(poc, plan, window, quality, sponsor, customers))
            meetings.extend(self.meetings(poc, plan, window, sponsor, customers))
        plain_insert(Measurement, readings)
        plain_insert(LogEntry, entries)
        self._meetings_save(meetings)
        self.readings_written += len(readings)
        return len(readings)

    def _window(self, plan) -> tuple[float, float] | None:
        """(first, last) day the POC ran, in days ago."""
        steps = dict(plan.steps)
        if Status.RUNNING not in steps:
            return None
        last = steps.get(Status.PAUSED, steps.get(Status.EVALUATING, 0.0))
        first = steps[Status.RUNNING]
        return (first, last) if first - last >= 1 else None

    # -- readings -------------------------------------------------------------------------------

    def sessions(self, window) -> list[tuple[datetime.datetime, datetime.datetime]]:
        """When the POC's criteria were read (every criterion at each session, as a team does
        on site), and when each session's readings were uploaded."""
        rng = self.rng
        first, last = window
        count = rng.randint(*READINGS)
        span = first - last
        sessions = []
        for index in range(count):
            measured = self.at(first - span * (index + rng.random()) / count)
            sessions.append((measured, self.uploaded(measured)))
        return sessions

    def readings(self, poc, criterion, sessions, quality: str) -> list[dict]:
        rng = self.rng
        note = words.READING_NOTES.get(poc.language, words.READING_NOTES["en"])
        pass_fail = criterion.comparator == Comparator.PASS_FAIL
        chance = QUALITIES[quality][1]
        rows = []
        for measured, uploaded in sessions:
            row = {"poc_id": poc.pk, "criterion_id": criterion.pk, "measured_at": measured,
                   "recorded_by_id": poc.owner_id, "conditions": "", "note": "",
                   "recorded_at": uploaded}
            if pass_fail:
                row["passed"] = rng.random() < chance
            else:
                row["value"] = self.value(criterion, quality)
            rows.append(row)
        rows[0]["note"] = note
        return rows

    def value(self, criterion, quality: str) -> Decimal:
        rng, offset = self.rng, OFFSET[quality]
        if criterion.comparator == Comparator.BETWEEN:
            low, high = float(criterion.target_min), float(criterion.target_max)
            spread = {"good": 0.3, "marginal": 0.55, "failing": 0.9}[quality]
            number = (low + high) / 2 + (high - low) / 2 * rng.gauss(0, spread)
        else:
            target = float(criterion.target_value)
            sign = 1 if criterion.comparator == Comparator.GTE else -1
            # A criterion judged on its worst reading (min, max, a percentile) passes on a good
            # run only if the readings stay close together.
            steady = criterion.aggregation in STEADY_AGGREGATIONS
            if criterion.unit.strip() == "%" and target >= 90 and sign == 1:
                # Close to 100: the margin shrinks or grows, the value never passes 100.
                gap = (100 - target) * max(0.05, rng.gauss(1 - offset * 8, 0.1 if steady
                                                            else 0.3))
                number = min(100.0, 100 - gap)
            else:
                number = target * (1 + sign * rng.gauss(offset, 0.015 if steady else 0.04))
        return Decimal(str(number)).quantize(HUNDREDTH)

    # -- the execution log ----------------------------------------------------------------------

    def log(self, poc, plan, window, quality: str, sponsor, customers) -> list[dict]:
        rng, language = self.rng, poc.language
        first, last = window
        rows = []

        def entry(days_ago: float, kind: str, title: str, body: str = "", **fields) -> None:
            moment = self.at(days_ago)
            rows.append({"poc_id": poc.pk, "kind": kind, "title": title[:200], "body": body,
                         "occurred_at": moment, "recorded_by_id": poc.owner_id,
                         "created_at": moment, "updated_at": moment, "key_event": "",
                         "severity": "", "status": "", "mitigation": "", **fields})

        witness = sponsor or (customers[0] if customers else None)
        title, body = words.FIRST_RUN[language]
        witnessed = witness is not None and rng.random() < 0.6
        entry(first, "key_event", title, body, key_event="first_run",
              witnessed_by_id=witness.pk if witnessed else None,
              witnessed_at=self.at(first) if witnessed else None)
        for _ in range(rng.randint(1, 2)):
            entry(rng.uniform(last, first), "observation", rng.choice(words.OBSERVATIONS[language]))
        if rng.random() < 0.3:
            title, mitigation = rng.choice(words.ISSUES[language])
            resolved = rng.random() < 0.7 or plan.status == Status.CLOSED
            entry(rng.uniform(last, first), "issue", title, severity=rng.choice(
                ["low", "medium", "medium", "high"]), status="resolved" if resolved else "open",
                mitigation=mitigation if resolved else "")
        if rng.random() < 0.2:
            title, mitigation = rng.choice(words.RISKS[language])
            entry(rng.uniform(last, first), "risk", title, severity=rng.choice(["medium", "high"]),
                  status="resolved" if plan.status == Status.CLOSED else "open",
                  mitigation=mitigation)
        if plan.status in (Status.EVALUATING, Status.CLOSED) and quality == "good":
            title, body = words.TARGET_REACHED[language]
            evaluator = customers[-1] if customers else None
            entry(last, "key_event", title, body, key_event="target_reached",
                  witnessed_by_id=evaluator.pk if evaluator else None,
                  witnessed_at=self.at(last) if evaluator else None)
        return rows

    # -- meetings, attendance, action items -----------------------------------------------------

    def meetings(self, poc, plan, window, sponsor, customers):
        """(unsaved meeting, its attendance as (stakeholder, attended), its action items as
        dicts) for the POC's syncs and steering meetings."""
        rng, language = self.rng, poc.language
        first, last = window
        if not customers:
            return []
        champion = next((p for p in customers if p is not sponsor), customers[0])
        rows = []

        def meeting(days_ago: float, meeting_type: str, texts, attendance, status="held"):
            agenda, notes, decision = texts
            date = self.today - datetime.timedelta(days=int(days_ago))
            created = self.at(max(days_ago, 0.01))
            held = status == "held"
            record = Meeting(poc=poc, meeting_type=meeting_type, status=status, date=date,
                             agenda=agenda, notes=notes if held else "",
                             decisions=decision if held else "", recorded_by_id=poc.owner_id,
                             created_at=created)
            actions = []
            if held and rng.random() < 0.35:
                actions.append(self._action(poc, date, created, customers, plan))
            rows.append((record, attendance if held else [], actions))

        interval = rng.choice([7, 7, 14])
        syncs = []
        day = first - interval
        while day > last:
            if rng.random() > 0.15:
                syncs.append(day)
            day -= interval
        for days_ago in syncs[-MAX_SYNCS:]:
            meeting(days_ago, "weekly_sync", words.SYNC[language], [(champion, True)])
        if plan.status == Status.RUNNING and rng.random() < 0.5:
            meeting(-rng.randint(1, 7), "weekly_sync", words.SYNC[language], [], status="planned")
        sponsor_shows = 0.85 if rng.random() < 0.7 else 0.35
        day = first
        while day > last:
            if sponsor is None:
                attendance = [(champion, True)]  # a science project: nobody above the champion
            else:
                attendance = [(sponsor, rng.random() < sponsor_shows), (champion, True)]
            meeting(day, "steering", words.STEERING[language], attendance)
            day -= rng.choice([28, 35, 42])
        return rows

    def _action(self, poc, date, created, customers, plan) -> dict:
        rng = self.rng
        due = date + datetime.timedelta(days=rng.randint(5, 14))
        customer = rng.random() < 0.5
        row = {"poc_id": poc.pk, "text": rng.choice(words.ACTIONS[poc.language]),
               "owner_id": None if customer else poc.owner_id,
               "customer_owner_id": rng.choice(customers).pk if customer else None,
               "due_on": due, "status": "open", "done_on": None, "created_by_id": poc.owner_id,
               "created_at": created, "updated_at": created}
        if due < self.today and (rng.random() < 0.75 or plan.status == Status.CLOSED):
            row["status"] = "done"
            row["done_on"] = min(self.today, due + datetime.timedelta(days=rng.randint(-3, 3)))
        return row

    @staticmethod
    def _meetings_save(meetings) -> None:
        saved = Meeting.objects.bulk_create([record for record, _a, _i in meetings])
        attendance, vendors, actions = [], [], []
        for record, people, items in meetings:
            attendance.extend({"meeting_id": record.pk, "stakeholder_id": person.pk,
                               "attended": attended} for person, attended in people)
            if record.status == "held":
                vendors.append({"meeting_id": record.pk, "user_id": record.recorded_by_id})
            actions.extend({**item, "meeting_id": record.pk} for item in items)
        plain_insert(Attendance, attendance)
        plain_insert(Meeting.vendor_attendees.through, vendors)
        plain_insert(ActionItem, actions)
        # auto_now stamped "now" on insert; the generated timeline says otherwise.
        Meeting.objects.filter(pk__in=[m.pk for m in saved]).update(updated_at=F("created_at"))
