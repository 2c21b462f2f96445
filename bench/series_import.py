"""Time to import a series of 200,000 readings from a CSV export, on SQLite and PostgreSQL.

    .venv/bin/python bench/series_import.py                  # SQLite, in a temporary file
    .venv/bin/python bench/series_import.py --postgres       # PostgreSQL on 127.0.0.1
    .venv/bin/python bench/series_import.py --rows 500000 --memory

Each run works in a database of its own, never the development or the test database: a
temporary SQLite file, or a PostgreSQL database `bench_series` created for the run and dropped
after it (`--postgres-url` names the server; its user must be allowed to create databases). The
export is generated in a temporary folder and the stored copy goes to a temporary storage.

It times the three steps a person goes through: upload (`series_import_start`: the file stored,
its encoding, delimiter and header read), mapping (`series_import_map`) and the job
(`series_import_run`: every row checked, then every reading written in one transaction), and
prints the readings per second. `--memory` also reports the job's peak Python memory
(tracemalloc, which slows the job down).
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BENCH_DATABASE = "bench_series"


def write_export(path: Path, rows: int) -> None:
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    step = datetime.timedelta(seconds=30)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("timestamp,throughput (t/h),operator\n")
        moment = start
        for number in range(rows):
            handle.write(f"{moment:%Y-%m-%d %H:%M:%S},{100 + number % 50}.{number % 1000:03d},"
                         f"shift {number % 3}\n")
            moment += step


def setup_django(database_url: str, media_root: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["POCDESK_MEDIA_ROOT"] = media_root
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocdesk.settings.dev")
    os.environ["DEBUG"] = "0"  # no query log growing with the rows
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fixtures():
    """A team, an engineer, and a running POC with one numeric criterion."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from pocdesk.accounts.models import Account
    from pocdesk.criteria.models import Criterion
    from pocdesk.opportunities.models import Opportunity
    from pocdesk.people.models import Membership, Profile, Role, Team
    from pocdesk.pocs.models import POC

    team = Team.objects.create(name="Bench", slug="bench", reporting_currency="EUR")
    engineer = get_user_model().objects.create_user("bench-engineer", password=None)
    Profile.objects.get_or_create(user=engineer)
    Membership.objects.create(team=team, user=engineer, role=Role.PRESALES_ENGINEER)
    account = Account.objects.create(team=team, name="Bench customer", country="FR",
                                     currency="EUR")
    opportunity = Opportunity.objects.create(
        team=team, account=account, name="Bench deal", amount=Decimal("100000"),
        currency="EUR", exchange_rate=Decimal("1"), owner=engineer,
        expected_close_date=datetime.date.today() + datetime.timedelta(days=90))
    poc = POC.objects.create(opportunity=opportunity, team=team, title="Bench POC",
                             owner=engineer, status="running")
    criterion = Criterion.objects.create(
        poc=poc, position=1, title="Throughput", metric="throughput", unit="t/h",
        comparator="gte", target_value=Decimal("120"), aggregation="mean",
        measurement_method="Weighbridge totals")
    return engineer, poc, criterion


def run(args) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-series-") as folder:
        folder = Path(folder)
        url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        setup_django(url, str(folder / "media"))
        from django.core.files import File
        from django.db import connection

        from pocdesk.execution import tasks
        from pocdesk.execution.models import Measurement
        from pocdesk.execution.series import (
            series_import_map,
            series_import_run,
            series_import_start,
        )

        export = folder / "export.csv"
        write_export(export, args.rows)
        engineer, poc, criterion = fixtures()
        queued: list[int] = []
        tasks.enqueue_series_import = queued.append  # the job is run and timed below

        started = time.perf_counter()
        with open(export, "rb") as handle:
            series_import = series_import_start(actor=engineer, poc=poc, criterion=criterion,
                                                uploaded=File(handle, name=export.name))
        uploaded = time.perf_counter()
        series_import_map(actor=engineer, series_import=series_import,
                          time_column="timestamp", value_column="throughput (t/h)",
                          time_zone="Europe/Paris")
        mapped = time.perf_counter()
        assert queued == [series_import.pk], queued
        if args.memory:
            tracemalloc.start()
        series_import = series_import_run(series_import.pk)
        finished = time.perf_counter()
        peak = tracemalloc.get_traced_memory()[1] if args.memory else None
        if args.memory:
            tracemalloc.stop()

        assert series_import.status == "done", (series_import.status, series_import.message)
        count = Measurement.objects.filter(series=series_import).count()
        assert count == args.rows, count
        job = finished - mapped
        if connection.vendor == "sqlite":
            version = connection.Database.sqlite_version
        else:
            version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
        print(f"database        {connection.vendor} {version}")
        print(f"rows            {args.rows:,} ({export.stat().st_size / 2**20:.1f} MB CSV)")
        print(f"upload (start)  {uploaded - started:7.2f} s")
        print(f"mapping         {mapped - uploaded:7.2f} s")
        print(f"job (run)       {job:7.2f} s   ({args.rows / job:,.0f} readings/s)")
        print(f"total           {finished - started:7.2f} s")
        if peak is not None:
            print(f"job peak memory {peak / 2**20:7.1f} MB (tracemalloc)")
        connection.close()


def with_postgres(args) -> int:
    """Create the bench database, run this script against it in a child process, drop it."""
    import psycopg

    server = args.postgres_url.rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')
        admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    try:
        command = [sys.executable, __file__, "--rows", str(args.rows),
                   "--database-url", f"{server}/{BENCH_DATABASE}"]
        if args.memory:
            command.append("--memory")
        return subprocess.run(command, check=False).returncode
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--memory", action="store_true", help="measure the peak memory too")
    parser.add_argument("--postgres", action="store_true",
                        help="run on PostgreSQL, in a database created for the run")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432",
                        help="the PostgreSQL server, without a database name")
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.postgres:
        return with_postgres(args)
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
