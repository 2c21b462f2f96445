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
import time
from decimal import Decimal

from throwaway_db import (
    analyze,
    insert_readings,
    keep_database,
    make_poc,
    migrate,
    report,
    run_script,
    timed,
)

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


def make_criteria(criteria: int):
    from pocdesk.criteria.models import Criterion

    owner, poc = make_poc(status="evaluating", superuser=True,
                          start_date=datetime.date(2026, 3, 1),
                          end_date=datetime.date(2026, 4, 30))
    made = []
    for index in range(criteria):
        fields, kind = KINDS[index % len(KINDS)]
        made.append((Criterion.objects.create(
            poc=poc, position=index + 1, title=f"Criterion {index + 1}",
            measurement_method="Instrument", **fields), kind))
    return owner, poc, made


def reading_of(criterion, kind: str):
    """Each kind's readings: pass/fail results, or values around the kind's mean."""
    randomness = random.Random(criterion.pk)
    if kind == "pass_fail":
        return lambda: (None, randomness.random() < 0.96)
    mean, spread = (3.5, 0.5) if kind == "lab" else (125, 6)
    return lambda: (str(round(randomness.gauss(mean, spread), 3)), None)


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
        print(f"Keeping {keep_database()}")

    from pocdesk.reports.documents import render_document
    from pocdesk.reports.final import final_report

    migrate()
    owner, poc, criteria = make_criteria(options.criteria)
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
        insert_readings(poc, criterion, count, reading=reading_of(criterion, kind))
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
    run_script(main)
