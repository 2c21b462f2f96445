"""Series import in a real browser: an instrument export uploaded, its columns chosen on the
preview, the progress bar followed while the job reads it, the readings imported; and a file with
bad rows refused as a whole, its error table in front of the user.

The test database lives in memory, shared by the live server and the test: a job thread of its
own would lock it, so the test plays the worker (it runs the job itself, as a worker would)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pocdesk.execution.models import Measurement, SeriesImport
from pocdesk.execution.series import series_import_run
from pocdesk.people.models import Profile, Role

from ..factories import (
    AccountFactory,
    MembershipFactory,
    OpportunityFactory,
    POCFactory,
    TeamFactory,
    UserFactory,
    make_criterion,
)
from .conftest import PASSWORD, PHONE, assert_no_horizontal_overflow, log_in

pytestmark = pytest.mark.e2e


def _export(path, rows: int, *, bad_rows: dict[int, str] | None = None) -> None:
    """A semicolon export with decimal commas, as a French data logger writes it."""
    start = datetime.datetime(2026, 1, 5, 6, 0)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("N°;Horodatage;Débit (t/h);Température (°C)\n")
        for number in range(rows):
            moment = start + datetime.timedelta(seconds=10 * number)
            value = (bad_rows or {}).get(number + 2, f"{118 + number % 7},{number % 10}")
            handle.write(f"{number + 1};{moment:%d/%m/%Y %H:%M:%S};{value};21,5\n")


@pytest.fixture
def import_setup(transactional_db, live_server):
    team = TeamFactory(name="Bulk handling", slug="bulk")
    engineer = UserFactory(username="claire", password=PASSWORD)
    Profile.objects.filter(user=engineer).update(display_name="Claire Martin",
                                                 time_zone="Europe/Paris")
    MembershipFactory(team=team, user=engineer, role=Role.PRESALES_ENGINEER)
    account = AccountFactory(team=team, name="Port of Antwerp", industry="Logistics")
    opportunity = OpportunityFactory(account=account, owner=engineer, name="Conveyor retrofit")
    poc = POCFactory(opportunity=opportunity, owner=engineer, title="Grain conveyor at berth 4",
                     status="running")
    criterion = make_criterion(poc, title="Throughput at peak load")
    return {"poc": poc, "criterion": criterion, "base": live_server.url,
            "start": f"{live_server.url}/pocs/{poc.pk}/execution/import/"}


def test_an_export_is_mapped_followed_and_imported(import_setup, page, screenshot, tmp_path,
                                                   monkeypatch):
    setup = import_setup
    queued = []
    monkeypatch.setattr("pocdesk.execution.tasks.enqueue_series_import", queued.append)
    export = tmp_path / "logger-berth4.csv"
    _export(export, 60_000)
    log_in(page, setup["base"], "claire")

    page.goto(setup["start"] + f"?criterion={setup['criterion'].pk}")
    expect(page.locator("#id_criterion")).to_have_value(str(setup["criterion"].pk))
    screenshot(page, "series-import-00-upload")
    page.set_input_files("#id_file", str(export))
    page.click("[data-testid=import-upload]")
    page.wait_for_url(re.compile(r"/execution/import/\d+/$"))

    mapping = page.locator("[data-testid=import-mapping]")
    expect(page.locator("#id_time_column")).to_have_value("Horodatage")
    expect(page.locator("#id_value_column")).to_have_value("Débit (t/h)")
    expect(page.locator("#id_time_zone")).to_have_value("Europe/Paris")
    page.select_option("#id_value_column", "Température (°C)")
    expect(mapping.locator("td[data-column='Température (°C)']").first).to_have_class(
        re.compile("table-success"))
    page.select_option("#id_value_column", "Débit (t/h)")
    value_cells = mapping.locator("td[data-column='Débit (t/h)']")
    expect(value_cells.first).to_have_class(re.compile("table-success"))
    expect(mapping.locator("td[data-column='N°']").first).not_to_have_class(
        re.compile("table-success"))
    expect(mapping.locator("td[data-column='Horodatage']").first).to_have_class(
        re.compile("table-primary"))
    page.fill("#id_conditions", "Berth 4, wheat, peak shift")
    screenshot(page, "series-import-01-mapping")

    page.click("[data-testid=import-run]")
    progress = page.locator("[data-testid=import-progress]")
    expect(progress).to_have_attribute("data-status", "queued")
    expect(progress).to_contain_text("Waiting for the import to start")
    series_import = SeriesImport.objects.get()
    assert queued == [series_import.pk]
    # The worker reports a third of the rows read: the bar follows without a reload.
    SeriesImport.objects.filter(pk=series_import.pk).update(
        status="running", rows_done=20_000, rows_total=60_000, started_at=timezone.now())
    expect(progress).to_contain_text("20000 of about 60000 rows read")
    expect(progress.locator(".progress")).to_have_attribute("aria-valuenow", "33")
    screenshot(page, "series-import-02-progress")

    # The job runs in this thread: the page stops polling meanwhile, for the test database
    # (SQLite's shared in-memory cache) refuses a read while a write holds its table.
    import_url = page.url
    page.goto("about:blank")
    SeriesImport.objects.filter(pk=series_import.pk).update(status="queued")
    series_import_run(series_import.pk)
    page.goto(import_url)

    done = page.locator("[data-testid=import-done]")
    expect(done).to_be_visible(timeout=120_000)
    expect(done).to_contain_text("60000 readings of “Throughput at peak load” imported.")
    screenshot(page, "series-import-03-done")
    series_import.refresh_from_db()
    assert (series_import.status, series_import.rows_imported) == ("done", 60_000)
    first = Measurement.objects.filter(series=series_import).order_by("measured_at").first()
    assert first.measured_at == datetime.datetime(2026, 1, 5, 5, 0, tzinfo=datetime.UTC)
    assert first.conditions == "Berth 4, wheat, peak shift"

    page.click("[data-testid=import-see-readings]")
    page.wait_for_url(re.compile(rf"/execution/#criterion-{setup['criterion'].pk}$"))
    expect(page.locator(f"#criterion-{setup['criterion'].pk}")).to_be_visible()
    page.wait_for_load_state("networkidle")  # its charts load their readings: let them finish


def test_a_file_with_bad_rows_is_refused_with_its_error_table(import_setup, page, browser,
                                                              screenshot, tmp_path):
    setup = import_setup
    export = tmp_path / "logger-berth4-faulty.csv"
    _export(export, 2_000, bad_rows={17: "ERR", 944: "", 1_500: "---"})
    log_in(page, setup["base"], "claire")

    page.goto(setup["start"])
    page.set_input_files("#id_file", str(export))
    page.click("[data-testid=import-upload]")
    page.wait_for_url(re.compile(r"/execution/import/\d+/$"))
    page.click("[data-testid=import-run]")

    rejected = page.locator("[data-testid=import-rejected]")
    expect(rejected).to_be_visible(timeout=60_000)
    expect(rejected).to_contain_text("Nothing was imported.")
    expect(rejected).to_contain_text("3 rows cannot be read")
    errors = page.locator("[data-testid=import-error]")
    expect(errors).to_have_count(3)
    expect(errors.nth(0)).to_contain_text("17")
    expect(errors.nth(0)).to_contain_text("“ERR” is not a number.")
    expect(errors.nth(1)).to_contain_text("The value is missing.")
    screenshot(page, "series-import-04-rejected")
    assert Measurement.objects.count() == 0
    assert_no_horizontal_overflow(page)

    phone = browser.new_context(viewport=PHONE, locale="en-GB", reduced_motion="reduce")
    phone_page = phone.new_page()
    log_in(phone_page, setup["base"], "claire")
    phone_page.goto(page.url)
    expect(phone_page.locator("[data-testid=import-error]")).to_have_count(3)
    assert_no_horizontal_overflow(phone_page)
    screenshot(phone_page, "series-import-05-rejected-phone")
    phone.close()
