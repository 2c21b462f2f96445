"""What the million-readings benchmarks share: a throwaway database, one POC, bulk readings and
the timing of a call.

Import it before anything from Django: importing it points Django at a fresh SQLite database in
a temporary directory (unless DATABASE_URL names one) and sets Django up. `run_script(main)` deletes
that directory when the script ends; `keep_database()` keeps it.
"""

from __future__ import annotations

import datetime
import os
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


def keep_database() -> str | None:
    """Leave the temporary database in place after the run; returns its folder (None with
    DATABASE_URL)."""
    global _TEMP_DIR
    kept, _TEMP_DIR = _TEMP_DIR, None
    return kept


def migrate() -> None:
    database = settings.DATABASES["default"]
    print(f"Database: {connection.vendor} {database['NAME']}")
    call_command("migrate", verbosity=0)


def make_poc(*, status: str, superuser: bool = False, **fields):
    """The team, its engineer, the account, the deal and its POC; returns (owner, poc).

    Refuses a database that already holds POCs, so a real one is never filled with readings.
    """
    from django.contrib.auth import get_user_model

    from pocdesk.accounts.models import Account
    from pocdesk.opportunities.models import Opportunity
    from pocdesk.people.models import Team
    from pocdesk.pocs.models import POC

    if POC.objects.exists():
        sys.exit("This database already holds POCs: give the benchmark a new, empty database.")
    team = Team.objects.create(name="Bench", slug="bench")
    owner = get_user_model().objects.create(username="bench-engineer", is_superuser=superuser)
    account = Account.objects.create(team=team, name="Bench mine")
    opportunity = Opportunity.objects.create(
        team=team, account=account, name="Crusher line 2", amount=Decimal("250000"),
        currency="EUR", exchange_rate=Decimal("1"), expected_close_date=datetime.date(2026, 6, 30),
        owner=owner)
    poc = POC.objects.create(team=team, opportunity=opportunity, owner=owner,
                             title="Adaptive crusher", status=status,
                             objective="Prove the throughput.", **fields)
    return owner, poc


def insert_readings(poc, criterion, count: int, *, reading) -> None:
    """Insert `count` readings, one every STEP from START, the fastest way the database offers.

    `reading()` gives each one's (value as a string, passed): one of the two is None.
    """
    adapt = connection.ops.adapt_datetimefield_value
    recorded = adapt(START)

    def rows():
        for number in range(count):
            value, passed = reading()
            yield (poc.pk, criterion.pk, adapt(START + STEP * number), value, passed, "", "",
                   recorded)

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
    """As autovacuum leaves a table after a bulk load: statistics and the visibility map
    (PostgreSQL answers counts from an index alone only for pages marked all-visible)."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name("execution_measurement")
        cursor.execute(f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql"
                       else "ANALYZE")


def timed(function, repeat: int) -> dict:
    """One warm-up call (its queries counted, its result kept), then `repeat` timed calls."""
    with CaptureQueriesContext(connection) as captured:
        result = function()
    timings = []
    for _number in range(repeat):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return {"median": statistics.median(timings), "best": min(timings),
            "queries": len(captured), "result": result}


def report(label: str, result: dict, *, width: int = 40) -> None:
    print(f"  {label:<{width}} {result['median']:8.1f} ms median {result['best']:8.1f} ms best "
          f"{result['queries']:3d} queries")


def run_script(main) -> None:
    """Exit with `main()`'s code, closing the connection and deleting a temporary database."""
    try:
        sys.exit(main())
    finally:
        connection.close()
        if _TEMP_DIR:
            shutil.rmtree(_TEMP_DIR, ignore_errors=True)
