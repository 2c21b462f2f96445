"""A list costs the same number of queries for 5 objects as for 50 (and a POC's criteria
and versions for 2 criteria as for 20, its readings, log and evidence for 1 as for 20)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pocdesk.core.models import StoredFile
from pocdesk.execution.models import Evidence, SeriesImport
from pocdesk.signoffs.services import plan_version_submit, signoff_record
from pocdesk.stakeholders.models import Stakeholder
from tests.factories import (
    AccountFactory,
    OpportunityFactory,
    POCFactory,
    make_criterion,
    make_customer,
    make_log_entry,
    make_measurement,
    make_milestone,
)

# Token lookup, the user's profile (language), the user's teams, COUNT, the page,
# plus one prefetch of the competitors for opportunities.
EXPECTED_QUERIES = {"/pocs": 5, "/opportunities": 6, "/accounts": 5, "/stakeholders": 5}


def populate(team, owner, start: int, stop: int) -> None:
    for number in range(start, stop):
        account = AccountFactory(team=team, name=f"Customer {number:03}")
        opportunity = OpportunityFactory(account=account, owner=owner)
        opportunity.competitors.create(name=f"Rival {number}", position="level")
        POCFactory(opportunity=opportunity, owner=owner)
        boss = Stakeholder.objects.create(team=team, account=account, name=f"Boss {number:03}",
                                          role="executive_sponsor")
        Stakeholder.objects.filter(pk=boss.pk).update(reports_to=boss)  # every link loaded
        Stakeholder.objects.filter(pk=boss.pk).update(opportunity=opportunity)


def queries_for(api, path: str) -> tuple[int, int]:
    api.get(path)  # the first call of the minute also stamps the token's last use
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, {"page_size": 200})
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("path", sorted(EXPECTED_QUERIES))
def test_a_list_costs_a_constant_number_of_queries(team, engineer, api_as, path):
    api = api_as(engineer)
    populate(team, engineer, 0, 5)
    small = queries_for(api, path)
    populate(team, engineer, 5, 50)
    large = queries_for(api, path)

    assert small == (EXPECTED_QUERIES[path], 5)
    assert large == (EXPECTED_QUERIES[path], 50)


# Token, profile, the user's teams, the POC, COUNT, the page, plus for versions the
# prefetches of the signatures, their scans and their stakeholders.
PLAN_QUERIES = {"/criteria": 6, "/criteria/versions": 9}


def populate_plan(poc, actor, start: int, stop: int) -> None:
    """Criteria `start`…`stop` in the draft, then a new version signed by both sides, the
    customer's with a scan and a stakeholder (every link loaded)."""
    for number in range(start, stop):
        make_criterion(poc, title=f"Criterion {number:03}")
    version = plan_version_submit(actor=actor, poc=poc, kind="criteria")
    signoff_record(actor=actor, version=version, side="vendor", method="in_app")
    sponsor = Stakeholder.objects.create(team=poc.team, account=poc.opportunity.account,
                                         name=f"Sponsor {start}", role="executive_sponsor")
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    signoff_record(actor=actor, version=version, side="customer", method="scan",
                   stakeholder=sponsor, scan=scan)


@pytest.mark.parametrize("path", sorted(PLAN_QUERIES))
def test_the_plan_lists_cost_a_constant_number_of_queries(poc, engineer, api_as, path):
    api = api_as(engineer)
    populate_plan(poc, engineer, 0, 2)
    small = queries_for(api, f"/pocs/{poc.pk}{path}")
    populate_plan(poc, engineer, 2, 20)
    large = queries_for(api, f"/pocs/{poc.pk}{path}")

    counts = {"/criteria": (2, 20), "/criteria/versions": (1, 2)}[path]
    assert small == (PLAN_QUERIES[path], counts[0])
    assert large == (PLAN_QUERIES[path], counts[1])


# Token, profile, the user's teams, the POC, COUNT, the page, plus the prefetches of the
# attached evidence and their files for readings and log entries.
EXECUTION_QUERIES = {"/measurements": 8, "/log": 8, "/evidence": 6}


def populate_run(poc, actor, start: int, stop: int) -> None:
    """Readings, log entries and evidence `start`…`stop` with every link set."""
    criterion = make_criterion(poc, title=f"Criterion {start}")
    witness = make_customer(poc, name=f"Witness {start}")
    milestone = make_milestone(poc, sequence=start + 1)
    for number in range(start, stop):
        stored = StoredFile.objects.create(
            team=poc.team, storage_key=f"evidence/{number}.txt", original_name=f"{number}.txt",
            content_type="text/plain", size=1, sha256="0" * 64)
        evidence = Evidence.objects.create(poc=poc, file=stored, criterion=criterion,
                                           uploaded_by=actor, thumbnail_key=f"thumbs/{number}")
        series = SeriesImport.objects.create(poc=poc, criterion=criterion, file=stored,
                                             created_by=actor)
        reading = make_measurement(criterion, value=number, recorded_by=actor, series=series,
                                   measured_at=timezone.now())
        reading.evidence.add(evidence)
        entry = make_log_entry(poc, recorded_by=actor, kind="key_event", key_event="first_run",
                               milestone=milestone, witnessed_by=witness,
                               witnessed_at=timezone.now())
        entry.evidence.add(evidence)


@pytest.mark.parametrize("path", sorted(EXECUTION_QUERIES))
def test_the_run_lists_cost_a_constant_number_of_queries(poc, engineer, api_as, path):
    api = api_as(engineer)
    populate_run(poc, engineer, 0, 1)
    small = queries_for(api, f"/pocs/{poc.pk}{path}")
    populate_run(poc, engineer, 1, 20)
    large = queries_for(api, f"/pocs/{poc.pk}{path}")

    assert small == (EXECUTION_QUERIES[path], 1)
    assert large == (EXECUTION_QUERIES[path], 20)


def test_the_run_summary_costs_the_same_for_2_or_20_criteria(poc, engineer, api_as):
    """Token, profile, teams, the POC, then the criteria, their figures, their 95th
    percentiles, the log's counts, the witnessed key events and the evidence count."""
    api = api_as(engineer)
    path = f"/pocs/{poc.pk}/execution"

    def queries() -> int:
        api.get(path)
        with CaptureQueriesContext(connection) as captured:
            assert api.get(path).status_code == 200
        return len(captured)

    populate_run(poc, engineer, 0, 3)
    make_measurement(make_criterion(poc, title="Tail latency", aggregation="p95"), value=130)
    small = queries()
    for number in range(18):
        make_measurement(make_criterion(poc, title=f"Extra {number}", aggregation="p95"),
                         value=number)
    large = queries()

    assert (small, large) == (10, 10)
