"""Live criterion status and chart data at a million readings, in a throwaway database.

    .venv/bin/python bench/execution_status.py [--readings 1000000] [--repeat 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_exec .venv/bin/python \
        bench/execution_status.py

Without DATABASE_URL the script makes a fresh SQLite database in a temporary directory and
deletes it afterwards. With DATABASE_URL it migrates that database and refuses to touch one that
already holds POCs: give it a new, empty database (`createdb bench_exec`) and drop it after.

It creates one running POC with a numeric criterion of `--readings` readings (one every
3 seconds, about 35 days) and a pass/fail criterion of `--readings // 10` results, then times,
after one warm-up call each: `criterion_statuses` with the numeric criterion judged by each
aggregation (latest, min, max, mean, p95, share passing) and with all criteria at once,
`criterion_chart` (400 buckets, and a one-day window), `execution_summary` and
`recent_measurements`. Each line gives the median and the fastest of `--repeat` runs in
milliseconds, and the SQL queries of one run.
With `--compare-p95` it also times other ways of reading the 95th percentile in SQL.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time

_TEMP_DIR = None
if not os.environ.get("DATABASE_URL"):
    _TEMP_DIR = tempfile.mkdtemp(prefix="pocdesk-bench-")
    os.environ["POCDESK_VAR_DIR"] = _TEMP_DIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocdesk.settings.dev")
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from decimal import Decimal  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

START = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
STEP = datetime.timedelta(seconds=3)
COLUMNS = ("poc_id", "criterion_id", "measured_at", "value", "passed", "conditions", "note",
           "recorded_at")


def make_poc():
    from django.contrib.auth import get_user_model

    from pocdesk.accounts.models import Account
    from pocdesk.criteria.models import Criterion
    from pocdesk.opportunities.models import Opportunity
    from pocdesk.people.models import Team
    from pocdesk.pocs.models import POC

    if POC.objects.exists():
        sys.exit("This database already holds POCs: give the benchmark a new, empty database.")
    team = Team.objects.create(name="Bench", slug="bench")
    owner = get_user_model().objects.create(username="bench-engineer")
    account = Account.objects.create(team=team, name="Bench mine")
    opportunity = Opportunity.objects.create(
        team=team, account=account, name="Crusher line 2", amount=Decimal("250000"),
        currency="EUR", exchange_rate=Decimal("1"), expected_close_date=datetime.date(2026, 6, 30),
        owner=owner)
    poc = POC.objects.create(team=team, opportunity=opportunity, owner=owner,
                             title="Adaptive crusher", status="running",
                             objective="Prove the throughput.")
    numeric = Criterion.objects.create(
        poc=poc, position=1, title="Throughput", metric="throughput", unit="t/h",
        comparator="gte", target_value=Decimal("120"), aggregation="mean", must_have=True,
        measurement_method="Weighbridge")
    pass_fail = Criterion.objects.create(
        poc=poc, position=2, title="Dust ingress", comparator="pass_fail",
        pass_condition="No dust inside", aggregation="share_passing",
        required_share=Decimal("95"), measurement_method="Inspection")
    return poc, numeric, pass_fail


def insert_readings(poc, criterion, count: int, *, pass_fail: bool) -> float:
    """Insert `count` readings the fastest way the database offers; returns seconds."""
    randomness = random.Random(6)
    adapt = connection.ops.adapt_datetimefield_value
    recorded = adapt(START)
    started = time.perf_counter()

    def rows():
        for number in range(count):
            at = adapt(START + STEP * number)
            if pass_fail:
                yield (poc.pk, criterion.pk, at, None, randomness.random() < 0.96, "", "",
                       recorded)
            else:
                value = round(randomness.gauss(125, 6), 3)
                yield (poc.pk, criterion.pk, at, str(value), None, "", "", recorded)

    with transaction.atomic(), connection.cursor() as cursor:
        table = connection.ops.quote_name("execution_measurement")
        columns = ", ".join(connection.ops.quote_name(name) for name in COLUMNS)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy_in:
                for row in rows():
                    copy_in.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(COLUMNS))
            batch = []
            for row in rows():
                batch.append(row)
                if len(batch) == 50_000:
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
                    batch = []
            if batch:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
    with connection.cursor() as cursor:
        # As autovacuum leaves a table after a bulk load: statistics and the visibility map
        # (PostgreSQL answers counts from an index alone only for pages marked all-visible).
        cursor.execute(f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql"
                       else "ANALYZE")
    return time.perf_counter() - started


def timed(function, repeat: int) -> dict:
    with CaptureQueriesContext(connection) as captured:
        function()
    timings = []
    for _number in range(repeat):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return {"median": statistics.median(timings), "best": min(timings),
            "queries": len(captured)}


def report(label: str, result: dict) -> None:
    print(f"  {label:<46} {result['median']:8.1f} ms median {result['best']:8.1f} ms best "
          f"{result['queries']:3d} queries")


def compare_p95(criterion, count: int, repeat: int) -> None:
    """Other SQL for the 95th percentile, to compare with the index read used by status.py."""
    import math

    position = Decimal("0.95") * (count - 1)
    lower = math.floor(position)
    table = connection.ops.quote_name("execution_measurement")

    def run(sql, params):
        def query():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        return query

    variants = {
        "ORDER BY value ASC LIMIT 2 OFFSET lower": (
            f"SELECT value FROM {table} WHERE criterion_id = %s ORDER BY value LIMIT 2 OFFSET %s",
            [criterion.pk, lower]),
        "ORDER BY value DESC LIMIT 2 OFFSET n-2-lower": (
            f"SELECT value FROM {table} WHERE criterion_id = %s ORDER BY value DESC "
            "LIMIT 2 OFFSET %s", [criterion.pk, count - 2 - lower]),
        "window: row_number() over (order by value)": (
            f"SELECT value FROM (SELECT value, row_number() OVER (ORDER BY value) - 1 AS r "
            f"FROM {table} WHERE criterion_id = %s) AS ranked WHERE r IN (%s, %s)",
            [criterion.pk, lower, lower + 1]),
    }
    if connection.vendor == "postgresql":
        variants["percentile_cont(0.95) (float, inexact)"] = (
            f"SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY value) FROM {table} "
            "WHERE criterion_id = %s", [criterion.pk])
    print("\n95th percentile in SQL, other ways:")
    for label, (sql, params) in variants.items():
        report(label, timed(run(sql, params), repeat))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--compare-p95", action="store_true")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary SQLite database (its path is printed)")
    options = parser.parse_args()
    if options.keep:
        global _TEMP_DIR
        _TEMP_DIR = None

    from pocdesk.execution.selectors import execution_summary, recent_measurements
    from pocdesk.execution.status import criterion_chart, criterion_statuses

    database = settings.DATABASES["default"]
    print(f"Database: {connection.vendor} {database['NAME']}")
    call_command("migrate", verbosity=0)
    poc, numeric, pass_fail = make_poc()
    seconds = insert_readings(poc, numeric, options.readings, pass_fail=False)
    print(f"Inserted {options.readings:,} numeric readings in {seconds:.1f} s")
    results = options.readings // 10
    seconds = insert_readings(poc, pass_fail, results, pass_fail=True)
    print(f"Inserted {results:,} pass/fail results in {seconds:.1f} s\n")

    print(f"criterion_statuses, one criterion of {options.readings:,} readings:")
    for aggregation in ("latest", "min", "max", "mean", "p95", "share_passing"):
        judged = copy.copy(numeric)
        judged.aggregation = aggregation
        judged.required_share = Decimal("90") if aggregation == "share_passing" else None
        status = criterion_statuses(criteria=[judged])[numeric.pk]
        report(f"{aggregation} → {status.result:.6f} ({status.status})",
               timed(lambda judged=judged: criterion_statuses(criteria=[judged]), options.repeat))
    report("both criteria, from a queryset", timed(
        lambda: criterion_statuses(criteria=poc.criteria.all()), options.repeat))

    print("\ncriterion_chart:")
    chart = criterion_chart(criterion=numeric)
    report(f"numeric, 400 buckets ({len(chart['series'])} returned)",
           timed(lambda: criterion_chart(criterion=numeric), options.repeat))
    day = START + datetime.timedelta(days=10)
    report("numeric, one day (28,800 readings → 400 buckets)", timed(
        lambda: criterion_chart(criterion=numeric, since=day,
                                until=day + datetime.timedelta(days=1)), options.repeat))
    report("numeric, 20 minutes (400 raw readings)", timed(
        lambda: criterion_chart(criterion=numeric, since=day,
                                until=day + datetime.timedelta(seconds=3 * 399)),
        options.repeat))
    report(f"pass/fail, {results:,} results → 400 buckets",
           timed(lambda: criterion_chart(criterion=pass_fail), options.repeat))

    print("\nexecution_summary:")
    report("POC card summary", timed(lambda: execution_summary(poc=poc), options.repeat))
    report("recent_measurements, 5 per criterion",
           timed(lambda: recent_measurements(poc=poc), options.repeat))
    if options.compare_p95:
        compare_p95(numeric, options.readings, options.repeat)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        connection.close()
        if _TEMP_DIR:
            shutil.rmtree(_TEMP_DIR, ignore_errors=True)
