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
import random
import time
from decimal import Decimal
from functools import partial

import throwaway_db
from throwaway_db import (
    START,
    analyze,
    connection,
    insert_readings,
    keep_database,
    make_poc,
    migrate,
    run_script,
    timed,
)

report = partial(throwaway_db.report, width=46)


def make_criteria():
    from pocdesk.criteria.models import Criterion

    _owner, poc = make_poc(status="running")
    numeric = Criterion.objects.create(
        poc=poc, position=1, title="Throughput", metric="throughput", unit="t/h",
        comparator="gte", target_value=Decimal("120"), aggregation="mean", must_have=True,
        measurement_method="Weighbridge")
    pass_fail = Criterion.objects.create(
        poc=poc, position=2, title="Dust ingress", comparator="pass_fail",
        pass_condition="No dust inside", aggregation="share_passing",
        required_share=Decimal("95"), measurement_method="Inspection")
    return poc, numeric, pass_fail


def load_readings(poc, criterion, count: int, *, pass_fail: bool) -> float:
    """Insert `count` readings and analyse the table; returns seconds."""
    randomness = random.Random(6)
    started = time.perf_counter()
    if pass_fail:
        insert_readings(poc, criterion, count,
                        reading=lambda: (None, randomness.random() < 0.96))
    else:
        insert_readings(poc, criterion, count,
                        reading=lambda: (str(round(randomness.gauss(125, 6), 3)), None))
    analyze()
    return time.perf_counter() - started


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
        keep_database()

    from pocdesk.execution.selectors import execution_summary, recent_measurements
    from pocdesk.execution.status import criterion_chart, criterion_statuses

    migrate()
    poc, numeric, pass_fail = make_criteria()
    seconds = load_readings(poc, numeric, options.readings, pass_fail=False)
    print(f"Inserted {options.readings:,} numeric readings in {seconds:.1f} s")
    results = options.readings // 10
    seconds = load_readings(poc, pass_fail, results, pass_fail=True)
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
    run_script(main)
