"""The final report (§9.1) of a POC with 20 criteria and a million readings, in a throwaway
database.

    .venv/bin/python bench/final_report.py [--readings 1000000] [--criteria 20] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_final .venv/bin/python \
        bench/final_report.py

Without DATABASE_URL the script makes a fresh SQLite database in a temporary directory and
deletes it afterwards. With DATABASE_URL it migrates that database and refuses to touch one that
already holds POCs: give it a new, empty database (`createdb bench_final`) and drop it after.

It creates one evaluating POC with `--criteria` criteria of every kind — long numeric series
(the bulk of the readings, one every 3 seconds), pass/fail tests judged by the share passing,
and lab results of a few readings each — then times, after one warm-up call each:
`final_report` (the content, charts' data included), and `render_document` of the final report
as PDF, DOCX and HTML. Each line gives the median and the fastest of `--repeat` runs in
milliseconds, and the SQL queries of one run.
"""

from __future__ import annotations

import argparse
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

# (fields, kind of readings): series share the bulk; pass/fail get a tenth each; lab results few.
KINDS = [
    ({"unit": "t/h", "comparator": "gte", "target_value": Decimal("120"),
      "aggregation": "mean", "must_have": True}, "series"),
    ({"unit": "K", "comparator": "between", "target_min": Decimal("2600"),
      "target_max": Decimal("2800"), "aggregation": "p95"}, "series"),
    ({"comparator": "pass_fail", "pass_condition": "No dust inside",
      "aggregation": "share_passing", "required_share": Decimal("95"), "must_have": True},
     "pass_fail"),
    ({"unit": "%", "comparator": "lte", "target_value": Decimal("5"), "aggregation": "max"},
     "lab"),
]


def make_poc(criteria: int):
    from django.contrib.auth import get_user_model

    from pocdesk.accounts.models import Account
    from pocdesk.criteria.models import Criterion
    from pocdesk.opportunities.models import Opportunity
    from pocdesk.people.models import Team
    from pocdesk.pocs.models import POC

    if POC.objects.exists():
        sys.exit("This database already holds POCs: give the benchmark a new, empty database.")
    team = Team.objects.create(name="Bench", slug="bench")
    owner = get_user_model().objects.create(username="bench-engineer", is_superuser=True)
    account = Account.objects.create(team=team, name="Bench mine")
    opportunity = Opportunity.objects.create(
        team=team, account=account, name="Crusher line 2", amount=Decimal("250000"),
        currency="EUR", exchange_rate=Decimal("1"), expected_close_date=datetime.date(2026, 6, 30),
        owner=owner)
    poc = POC.objects.create(team=team, opportunity=opportunity, owner=owner,
                             title="Adaptive crusher", status="evaluating",
                             objective="Prove the throughput.",
                             start_date=datetime.date(2026, 3, 1),
                             end_date=datetime.date(2026, 4, 30))
    made = []
    for index in range(criteria):
        fields, kind = KINDS[index % len(KINDS)]
        made.append((Criterion.objects.create(
            poc=poc, position=index + 1, title=f"Criterion {index + 1}",
            measurement_method="Instrument", **fields), kind))
    return owner, poc, made


def insert_readings(poc, criterion, count: int, *, kind: str) -> None:
    randomness = random.Random(criterion.pk)
    adapt = connection.ops.adapt_datetimefield_value
    recorded = adapt(START)

    def rows():
        for number in range(count):
            at = adapt(START + STEP * number)
            if kind == "pass_fail":
                yield (poc.pk, criterion.pk, at, None, randomness.random() < 0.96, "", "",
                       recorded)
            else:
                value = round(randomness.gauss(125 if kind != "lab" else 3.5, 6 if kind !=
                                               "lab" else 0.5), 3)
                yield (poc.pk, criterion.pk, at, str(value), None, "", "", recorded)

    table = connection.ops.quote_name("execution_measurement")
    columns = ", ".join(connection.ops.quote_name(name) for name in COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
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


def analyze() -> None:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name("execution_measurement")
        cursor.execute(f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql"
                       else "ANALYZE")


def timed(function, repeat: int) -> dict:
    with CaptureQueriesContext(connection) as captured:
        result = function()
    timings = []
    for _number in range(repeat):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return {"median": statistics.median(timings), "best": min(timings),
            "queries": len(captured), "result": result}


def report(label: str, result: dict) -> None:
    print(f"  {label:<40} {result['median']:8.1f} ms median {result['best']:8.1f} ms best "
          f"{result['queries']:3d} queries")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--criteria", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary SQLite database (its path is printed)")
    parser.add_argument("--write", metavar="FOLDER",
                        help="also write the rendered PDF, DOCX and HTML to this folder")
    options = parser.parse_args()
    if options.keep:
        global _TEMP_DIR
        print(f"Keeping {_TEMP_DIR}")
        _TEMP_DIR = None

    from pocdesk.reports.documents import render_document
    from pocdesk.reports.final import final_report

    database = settings.DATABASES["default"]
    print(f"Database: {connection.vendor} {database['NAME']}")
    call_command("migrate", verbosity=0)
    owner, poc, criteria = make_poc(options.criteria)
    series = [criterion for criterion, kind in criteria if kind == "series"]
    tests = [criterion for criterion, kind in criteria if kind == "pass_fail"]
    labs = [criterion for criterion, kind in criteria if kind == "lab"]
    per_test = options.readings // 10 // max(1, len(tests)) if tests else 0
    per_lab = 5
    per_series = (options.readings - per_test * len(tests) - per_lab * len(labs)) \
        // max(1, len(series))
    started = time.perf_counter()
    for criterion, kind in criteria:
        count = {"series": per_series, "pass_fail": per_test, "lab": per_lab}[kind]
        insert_readings(poc, criterion, count, kind=kind)
    analyze()
    total = per_series * len(series) + per_test * len(tests) + per_lab * len(labs)
    print(f"Inserted {total:,} readings over {len(criteria)} criteria "
          f"({len(series)} series of {per_series:,}, {len(tests)} pass/fail of {per_test:,}, "
          f"{len(labs)} lab results of {per_lab}) in {time.perf_counter() - started:.1f} s\n")

    print("final report:")
    report("final_report (content + charts' data)",
           timed(lambda: final_report(poc=poc), options.repeat))
    report("final_report, no charts (web page)",
           timed(lambda: final_report(poc=poc, charts=False), options.repeat))
    for fmt in ("pdf", "docx", "html"):
        result = timed(lambda fmt=fmt: render_document(actor=owner, poc=poc, kind="final",
                                                       fmt=fmt), options.repeat)
        document = result["result"]
        report(f"render {fmt} ({len(document.content) / 1024:,.0f} KiB)", result)
        if options.write:
            path = os.path.join(options.write, document.filename)
            with open(path, "wb") as output:
                output.write(document.content)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        connection.close()
        if _TEMP_DIR:
            shutil.rmtree(_TEMP_DIR, ignore_errors=True)
