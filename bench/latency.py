"""Latency and query count of the main POC pages against the current development database.

Fill the database first (see bench/README.md), then:

    .venv/bin/python bench/latency.py [--requests 50] [--user manager]

Requests go through Django's test Client in this process (no network, no server), signed in as
a demo user, so the numbers are the application's own cost: views, selectors, templates, SQL.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocdesk.settings.dev")
os.environ.setdefault("POCDESK_API_THROTTLE", "1000000/m")  # measure the API, not its throttle

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from pocdesk.core.models import Event  # noqa: E402
from pocdesk.people.services import api_token_create, api_token_revoke  # noqa: E402
from pocdesk.pocs.selectors import poc_list  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure(client: Client, path: str, requests: int) -> dict:
    with CaptureQueriesContext(connection) as captured:  # also warms caches and templates
        first = client.get(path)
    queries = len(captured)  # now: every request resets the connection's query log
    if first.status_code != 200:
        return {"status": first.status_code, "queries": queries}
    timings = []
    for _number in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            return {"status": response.status_code, "queries": queries}
    return {"status": 200, "queries": queries, "median": statistics.median(timings),
            "p95": percentile(timings, 0.95), "bytes": len(first.content)}


def url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def busiest_poc(user):
    """The visible POC with the longest timeline: the detail page's worst case."""
    visible = poc_list(user=user).order_by().values("pk")
    row = (Event.objects.filter(poc_id__in=visible).values("poc_id")
           .annotate(events=Count("pk")).order_by("-events").first())
    return (row["poc_id"], row["events"]) if row else (None, 0)


def richest_plan_poc(user):
    """The visible POC with the most signed-off plan versions and criteria: the plan's worst case."""
    from pocdesk.signoffs.models import PlanVersion

    visible = poc_list(user=user).order_by().values("pk")
    row = (PlanVersion.objects.filter(poc_id__in=visible).values("poc_id")
           .annotate(versions=Count("pk")).order_by("-versions").first())
    return row["poc_id"] if row else None


def most_drifting_poc(user):
    """The visible POC with the most milestones, extensions and scope changes: the timebox's
    worst case."""
    from django.db.models import Count as C

    visible = poc_list(user=user).order_by()
    row = (visible.annotate(rows=C("milestones", distinct=True) + C("extensions", distinct=True)
                            + C("scope_changes", distinct=True))
           .order_by("-rows").values("pk", "rows").first())
    return row["pk"] if row and row["rows"] else None


def most_measured_poc(user):
    """The visible POC with the most readings: the execution pages' worst case."""
    from django.db.models import Count as C

    from pocdesk.execution.models import Measurement

    visible = poc_list(user=user).order_by().values("pk")
    row = (Measurement.objects.filter(poc_id__in=visible).values("poc_id")
           .annotate(readings=C("pk")).order_by("-readings").first())
    return (row["poc_id"], row["readings"]) if row else (None, 0)


def most_governed_poc(user):
    """The visible POC with the most meetings and action items."""
    from django.db.models import Count as C

    visible = poc_list(user=user).order_by()
    row = (visible.annotate(rows=C("meetings", distinct=True) + C("action_items", distinct=True))
           .order_by("-rows").values("pk", "rows").first())
    return row["pk"] if row and row["rows"] else None


def most_measured_closed_poc(user) -> int | None:
    """The closed POC with the most readings: the heaviest final report."""
    from pocdesk.execution.models import Measurement
    from pocdesk.pocs.models import Status

    closed = poc_list(user=user).filter(status=Status.CLOSED).order_by().values("pk")
    row = (Measurement.objects.filter(poc_id__in=closed).values("poc_id")
           .annotate(readings=Count("pk")).order_by("-readings").first())
    return row["poc_id"] if row else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--user", default="manager", help="demo username to sign in as")
    options = parser.parse_args()

    user = get_user_model().objects.filter(username=options.user).first()
    if user is None:
        print(f"No user “{options.user}”: run `.venv/bin/pocdesk demo --no-serve` first.")
        return 2
    visible = poc_list(user=user).count()
    poc_id, events = busiest_poc(user)
    print(f"Database: {settings.DATABASES['default']['NAME']}")
    print(f"Signed in as {user.username}, who sees {visible} POCs; "
          f"{options.requests} timed requests per page after one warm-up.\n")

    pages: list[tuple[str, str | None, Client]] = []
    browser = Client()
    browser.force_login(user)
    pages.append(("POC list", url_or_none("web:poc_list"), browser))
    detail = url_or_none("web:poc_detail", poc_id) if poc_id else None
    pages.append((f"POC detail ({events} events)", detail, browser))
    plan_poc = richest_plan_poc(user)
    token, key = api_token_create(actor=user, user=user, name="bench/latency.py")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    pages.append(("API POC list", "/api/v1/pocs", api))
    if plan_poc:
        pages.append(("POC plan page", url_or_none("web:poc_plan", plan_poc), browser))
        pages.append(("API criteria", f"/api/v1/pocs/{plan_poc}/criteria", api))
        pages.append(("API criteria versions", f"/api/v1/pocs/{plan_poc}/criteria/versions", api))
        pages.append(("API sign-offs", f"/api/v1/pocs/{plan_poc}/signoffs", api))
        pages.append(("Objective PDF", f"/api/v1/pocs/{plan_poc}/report?kind=objective&format=pdf",
                      api))
        pages.append(("Agreement DOCX",
                      f"/api/v1/pocs/{plan_poc}/report?kind=agreement&format=docx", api))

    drift_poc = most_drifting_poc(user)
    if drift_poc:
        pages.append(("POC timebox page", url_or_none("web:poc_timebox", drift_poc), browser))
        pages.append(("POC scope page", url_or_none("web:poc_scope", drift_poc), browser))
        pages.append(("POC detail (timebox)", url_or_none("web:poc_detail", drift_poc), browser))
        for label, tail in (("milestones", "milestones"), ("timebox", "timebox"),
                            ("extensions", "extensions"), ("scope changes", "scope-changes"),
                            ("commitments", "commitments")):
            pages.append((f"API {label}", f"/api/v1/pocs/{drift_poc}/{tail}", api))

    measured_poc, readings = most_measured_poc(user)
    if measured_poc:
        from pocdesk.criteria.models import Criterion

        pages.append((f"POC execution page ({readings} readings)",
                      url_or_none("web:poc_execution", measured_poc), browser))
        pages.append(("POC detail (execution)", url_or_none("web:poc_detail", measured_poc),
                      browser))
        busiest = (Criterion.objects.filter(poc_id=measured_poc)
                   .annotate(readings=Count("measurements")).order_by("-readings").first())
        pages.append(("Criterion chart JSON", url_or_none(
            "web:poc_criterion_chart", measured_poc, busiest.pk), browser))
        pages.append(("Weekly report page", url_or_none("web:poc_weekly", measured_poc), browser))
        pages.append(("Weekly report PDF", url_or_none("web:poc_weekly_pdf", measured_poc),
                      browser))
        pages.append(("API criterion status",
                      f"/api/v1/pocs/{measured_poc}/criteria/{busiest.pk}/status", api))
        for label, tail in (("measurements", "measurements"), ("execution", "execution"),
                            ("log", "log"), ("evidence", "evidence")):
            pages.append((f"API {label}", f"/api/v1/pocs/{measured_poc}/{tail}", api))
    governed_poc = most_governed_poc(user)
    if governed_poc:
        pages.append(("POC governance page", url_or_none("web:poc_governance", governed_poc),
                      browser))
        for label, tail in (("meetings", "meetings"), ("action items", "action-items"),
                            ("governance", "governance")):
            pages.append((f"API {label}", f"/api/v1/pocs/{governed_poc}/{tail}", api))

    pages.append(("Portfolio page", url_or_none("web:portfolio"), browser))
    pages.append(("Portfolio CSV export", (url_or_none("web:portfolio_export") or "") + "?format=csv",
                  browser))
    pages.append(("API portfolio", "/api/v1/portfolio", api))
    closed_poc = most_measured_closed_poc(user)
    if closed_poc:
        pages.append(("POC results page", url_or_none("web:poc_results", closed_poc), browser))
        pages.append(("Final report page", url_or_none("web:poc_final_report", closed_poc),
                      browser))
        for label, fmt in (("PDF", "pdf"), ("DOCX", "docx")):
            pages.append((f"Final report {label}",
                          f"/api/v1/pocs/{closed_poc}/report?kind=final&format={fmt}", api))
        for label, tail in (("results", "results"), ("retrospective", "retrospective"),
                            ("costs", "costs"), ("cost summary", "cost-summary")):
            pages.append((f"API {label}", f"/api/v1/pocs/{closed_poc}/{tail}", api))

    rows = [("page", "path", "status", "median ms", "p95 ms", "queries")]
    notes = []
    try:
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], DEBUG=False):
            for label, path, client in pages:
                if path is None:
                    notes.append(f"{label}: skipped, its URL is not defined yet.")
                    rows.append((label, "-", "skipped", "-", "-", "-"))
                    continue
                result = measure(client, path, options.requests)
                if result["status"] != 200:
                    notes.append(f"{label}: skipped, {path} answered HTTP {result['status']} "
                                 "(not built yet?).")
                    rows.append((label, path, str(result["status"]), "-", "-", "-"))
                    continue
                rows.append((label, path, "200", f"{result['median']:.1f}",
                             f"{result['p95']:.1f}", str(result["queries"])))
    finally:
        api_token_revoke(actor=user, token=token)

    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for number, row in enumerate(rows):
        print("  ".join(cell.rjust(width) if column >= 2 else cell.ljust(width)
                        for column, (cell, width) in enumerate(zip(row, widths, strict=True))))
        if number == 0:
            print("  ".join("-" * width for width in widths))
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
