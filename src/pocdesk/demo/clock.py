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
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One round trip for every table (data-modifying CTEs): run one by one, their
                # latency was a third of a PostgreSQL seeding.
                sql, shapes = _stamp_statement_postgresql()
                params: list = []
                for columns, bounded in shapes:
                    params += [since, stamp] * columns + [since] * columns
                    params += [last_reading or 0] if bounded else []
                cursor.execute(sql, params)
                return
            for sql, bounded in _stamp_statements():
                cursor.execute(sql, [stamp, since, last_reading or 0] if bounded
                               else [stamp, since])


@cache
def _stamp_statement_postgresql() -> tuple[str, tuple[tuple[int, bool], ...]]:
    """The forty updates as one statement of one CTE per table. A table's stamped columns are
    set by one UPDATE (PostgreSQL applies only one update to a row per statement), each
    column moved only when it falls in the block: `SET c = CASE WHEN c >= since THEN stamp
    ELSE c END ... WHERE c1 >= since OR c2 >= since`."""
    quote = connection.ops.quote_name
    tables: dict[type, list[str]] = {}
    for model, name in _stamped_models():
        tables.setdefault(model, []).append(quote(model._meta.get_field(name).column))
    parts, shapes = [], []
    for number, (model, columns) in enumerate(tables.items()):
        sets = ", ".join(f"{column} = CASE WHEN {column} >= %s THEN %s ELSE {column} END"
                         for column in columns)
        where = " OR ".join(f"{column} >= %s" for column in columns)
        bounded = model is Measurement
        if bounded:
            where = f"({where}) AND {quote(model._meta.pk.column)} > %s"
        parts.append(f"s{number} AS (UPDATE {quote(model._meta.db_table)} SET {sets} "  # noqa: S608
                     f"WHERE {where} RETURNING 1)")
        shapes.append((len(columns), bounded))
    return "WITH " + ", ".join(parts) + " SELECT 1", tuple(shapes)


@cache
def _stamp_statements() -> tuple[tuple[str, bool], ...]:
    """One UPDATE per stamped time, written once: built by the ORM, the forty of them would be
    compiled again in each of the hundreds of blocks, which cost more than running them."""
    quote = connection.ops.quote_name
    statements = []
    for model, name in _stamped_models():
        table, column = quote(model._meta.db_table), quote(model._meta.get_field(name).column)
        where = f"{column} >= %s"
        bounded = model is Measurement
        if bounded:
            where += f" AND {quote(model._meta.pk.column)} > %s"
        statements.append((f"UPDATE {table} SET {column} = %s WHERE {where}",  # noqa: S608
                           bounded))
    return tuple(statements)


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
