"""Give the demo stories their past.

Services stamp what they write with the current time, but a demo story spans months: a POC that
drifted from 3 to 12 months must show a year of timeline. Each step of a story runs inside
`clock.on(days_ago)`; afterwards the rows the step wrote (events, close-date changes, history)
are moved back to that day (stakeholders and engagements too, and the plan: criteria, the
library, agreements, submitted versions, recorded signatures and their scans, the timebox and the
scope: milestones, extensions, exit decisions, scope changes, commitments; the run: readings,
evidence, series imports, log entries; its governance: cadence, meetings, action items; its
end: results, retrospective, cost entries). A signature's own `signed_at` is never moved: it is
sealed, so the stories pass the day to the service instead.
`settle_object_times` then aligns the objects' own created/updated/status-changed times with
their timelines.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone

from pocdesk.accounts.models import Account
from pocdesk.agreements.models import Agreement, AgreementTemplate
from pocdesk.core.models import Event, StoredFile
from pocdesk.criteria.models import Criterion, CriterionTemplate
from pocdesk.execution.models import Evidence, LogEntry, Measurement, SeriesImport
from pocdesk.governance.models import ActionItem, Cadence, Meeting
from pocdesk.opportunities.models import CloseDatePush, Opportunity
from pocdesk.pocs.models import POC
from pocdesk.results.models import CostEntry, PocResult, Retrospective
from pocdesk.scope.models import Commitment, ScopeChange
from pocdesk.signoffs.models import PlanVersion, Signature
from pocdesk.stakeholders.models import Engagement, Stakeholder
from pocdesk.timebox.models import ExitDecision, Extension, Milestone


@cache
def _stamped_models() -> tuple[tuple[type, str], ...]:
    return (
        (Event, "created_at"),
        (CloseDatePush, "pushed_at"),
        (Account.history.model, "history_date"),
        (Opportunity.history.model, "history_date"),
        (POC.history.model, "history_date"),
        (Stakeholder, "created_at"),
        (Stakeholder, "updated_at"),
        (Stakeholder.history.model, "history_date"),
        (Engagement, "recorded_at"),
        (Criterion, "created_at"),
        (CriterionTemplate, "created_at"),
        (Agreement, "created_at"),
        (Agreement, "updated_at"),
        (AgreementTemplate, "updated_at"),
        (PlanVersion, "submitted_at"),
        (Signature, "recorded_at"),
        (StoredFile, "uploaded_at"),
        (Milestone, "created_at"),
        (Milestone, "updated_at"),
        (Extension, "requested_at"),
        (Extension, "decided_at"),
        (ExitDecision, "decided_at"),
        (ScopeChange, "created_at"),
        (ScopeChange, "decided_at"),
        (Commitment, "created_at"),
        (Commitment, "resolved_at"),
        (Measurement, "recorded_at"),
        (Evidence, "created_at"),
        (SeriesImport, "created_at"),
        (SeriesImport, "started_at"),
        (SeriesImport, "finished_at"),
        (LogEntry, "created_at"),
        (LogEntry, "updated_at"),
        (Cadence, "updated_at"),
        (Meeting, "created_at"),
        (Meeting, "updated_at"),
        (ActionItem, "created_at"),
        (ActionItem, "updated_at"),
        (PocResult, "created_at"),
        (PocResult, "updated_at"),
        (Retrospective, "created_at"),
        (Retrospective, "updated_at"),
        (Retrospective, "submitted_at"),
        (CostEntry, "created_at"),
    )


class StoryClock:
    def __init__(self) -> None:
        self.now = timezone.now()
        self._steps: dict[int, int] = {}

    def moment(self, days_ago: int, hour: int = 9) -> datetime.datetime:
        """A time on that day; successive steps on one day keep their order (a minute apart,
        counted per day: one count for the whole demo would push late steps past midnight)."""
        step = self._steps[days_ago] = self._steps.get(days_ago, 0) + 1
        day = self.now - datetime.timedelta(days=days_ago)
        moment = day.replace(hour=hour, minute=0, second=0, microsecond=0)
        moment += datetime.timedelta(minutes=step)
        return min(moment, self.now)

    @contextmanager
    def on(self, days_ago: int, hour: int = 9) -> Iterator[datetime.datetime]:
        """Rows the block writes are stamped with the wall clock, so no earlier row (already
        moved back, or written before the demo) carries a time from this block onwards."""
        moment = self.moment(days_ago, hour)
        began = timezone.now()
        # Readings run to tens of thousands of rows and their time has no index: only the rows
        # added by the block (keys above the highest one before it) are looked at.
        last_reading = Measurement.objects.order_by("-pk").values_list("pk", flat=True).first()
        yield moment
        ops = connection.ops
        stamp, since = (ops.adapt_datetimefield_value(moment),
                        ops.adapt_datetimefield_value(began))
        updates = [(sql, [since, stamp] * columns + [since] * columns
                    + ([last_reading or 0] if bounded else []))
                   for sql, columns, bounded in _stamp_updates()]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One round trip for every table (data-modifying CTEs): run one by one, their
                # latency was a third of a PostgreSQL seeding.
                cursor.execute(_stamp_statement_postgresql(),
                               [param for _, params in updates for param in params])
            else:
                for sql, params in updates:
                    cursor.execute(sql, params)


@cache
def _stamp_updates() -> tuple[tuple[str, int, bool], ...]:
    """One UPDATE per stamped table, written once: built by the ORM, the forty stamped times
    would be compiled again in each of the hundreds of blocks, which cost more than running them.
    A table's stamped columns are set by one UPDATE (PostgreSQL applies only one update to a row
    per statement), each column moved only when it falls in the block: `SET c = CASE WHEN c >=
    since THEN stamp ELSE c END ... WHERE c1 >= since OR c2 >= since`; readings only above the
    highest key before the block. With each: its number of stamped columns, and whether it is
    bounded by that key."""
    quote = connection.ops.quote_name
    tables: dict[type, list[str]] = {}
    for model, name in _stamped_models():
        tables.setdefault(model, []).append(quote(model._meta.get_field(name).column))
    updates = []
    for model, columns in tables.items():
        sets = ", ".join(f"{column} = CASE WHEN {column} >= %s THEN %s ELSE {column} END"
                         for column in columns)
        where = " OR ".join(f"{column} >= %s" for column in columns)
        bounded = model is Measurement
        if bounded:
            where = f"({where}) AND {quote(model._meta.pk.column)} > %s"
        table = quote(model._meta.db_table)
        updates.append((f"UPDATE {table} SET {sets} WHERE {where}", len(columns),  # noqa: S608
                        bounded))
    return tuple(updates)


@cache
def _stamp_statement_postgresql() -> str:
    """The tables' updates as one statement, one data-modifying CTE each."""
    parts = [f"s{number} AS ({sql} RETURNING 1)"
             for number, (sql, _, _) in enumerate(_stamp_updates())]
    return "WITH " + ", ".join(parts) + " SELECT 1"


def settle_object_times(*, team_ids: list[int]) -> None:
    """Created = first event, updated = last event, status changed = last transition."""
    for model, target_type in ((Account, "account"), (Opportunity, "opportunity"),
                               (POC, "poc")):
        ids = [str(pk) for pk in model.objects.filter(team_id__in=team_ids).values_list("pk", flat=True)]
        spans = (
            Event.objects.filter(target_type=target_type, target_id__in=ids)
            .values("target_id").annotate(first=Min("created_at"), last=Max("created_at"))
        )
        for span in spans:
            model.objects.filter(pk=int(span["target_id"])).update(
                created_at=span["first"], updated_at=span["last"])
    transitions = (
        Event.objects.filter(verb="poc.transitioned", poc__team_id__in=team_ids)
        .values("poc_id").annotate(last=Max("created_at"))
    )
    changed = {row["poc_id"]: row["last"] for row in transitions}
    for poc in POC.objects.filter(team_id__in=team_ids).only("pk", "created_at"):
        POC.objects.filter(pk=poc.pk).update(status_changed_at=changed.get(poc.pk, poc.created_at))
