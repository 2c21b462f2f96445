"""The execution page in a real browser: a reading recorded with a photo turns a criterion from
"no data" to passing and appears on its chart; a first run is logged with the customer as
witness; the evidence gallery; on a laptop and on a phone."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from pocdesk.execution.models import LogEntry, Measurement
from pocdesk.people.models import Profile, Role

from ..factories import (
    AccountFactory,
    MembershipFactory,
    OpportunityFactory,
    POCFactory,
    TeamFactory,
    UserFactory,
    make_criterion,
    make_customer,
    make_log_entry,
    make_measurement,
    make_milestone,
)
from .conftest import PASSWORD, PHONE, SCREENSHOTS, assert_no_horizontal_overflow, log_in

pytestmark = pytest.mark.e2e


def _photo(tmp_path, name, colour):
    path = tmp_path / name
    image = Image.new("RGB", (800, 600), colour)
    for x in range(0, 800, 40):
        for y in range(0, 600, 40):
            if (x + y) % 80 == 0:
                image.paste((240, 240, 240), (x, y, x + 40, y + 40))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    path.write_bytes(buffer.getvalue())
    return path


def _draw_every_chart(page, count):
    """Charts load as they scroll into view: scroll to each, then back to the top."""
    charts = page.locator("canvas[data-testid=criterion-chart]")
    expect(charts).to_have_count(count)
    for index in range(count):
        charts.nth(index).scroll_into_view_if_needed()
        expect(charts.nth(index)).to_have_attribute("data-drawn", "1")
    page.evaluate("window.scrollTo(0, 0)")


@pytest.fixture
def execution_setup(transactional_db, live_server):
    team = TeamFactory(name="Mining", slug="mining", reporting_currency="EUR")
    engineer = UserFactory(username="lea", password=PASSWORD)
    Profile.objects.filter(user=engineer).update(display_name="Léa Moreau",
                                                 time_zone="Europe/Paris")
    MembershipFactory(team=team, user=engineer, role=Role.PRESALES_ENGINEER)
    account = AccountFactory(team=team, name="Carrières du Nord", industry="Mining")
    opportunity = OpportunityFactory(account=account, owner=engineer, name="Crusher line 2")
    poc = POCFactory(opportunity=opportunity, owner=engineer, status="running",
                     title="Adaptive control of crusher line 2")
    throughput = make_criterion(poc, title="Throughput at peak load")  # mean ≥ 120 t/h
    now = timezone.now()
    # A band criterion with a week of readings, one out of range.
    product = make_criterion(poc, title="Product size (P80)", metric="P80", unit="mm",
                             comparator="between", target_value=None,
                             target_min=Decimal("38"), target_max=Decimal("45"),
                             aggregation="p95", must_have=False)
    for number in range(28):
        make_measurement(product, value=Decimal("40.5") + Decimal(number % 7) / 2
                         + (Decimal("5.2") if number == 19 else 0),
                         measured_at=now - datetime.timedelta(hours=6 * (28 - number)),
                         recorded_by=engineer, conditions="Ore from pit B")
    # A pass/fail test, and an instrument series long enough to be drawn as buckets.
    alarms = make_criterion(poc, title="No unplanned stop during a night shift", metric="",
                            unit="", comparator="pass_fail", target_value=None,
                            pass_condition="No unplanned stop from 22:00 to 06:00",
                            aggregation="share_passing", required_share=Decimal("80"),
                            must_have=False)
    for night in range(6):
        make_measurement(alarms, passed=night != 2,
                         measured_at=now - datetime.timedelta(days=6 - night, hours=2))
    power = make_criterion(poc, title="Specific energy", metric="kWh/t", unit="kWh/t",
                           comparator="lte", target_value=Decimal("1.9"), aggregation="mean",
                           must_have=False)
    Measurement.objects.bulk_create([
        Measurement(poc=poc, criterion=power, measured_at=now - datetime.timedelta(minutes=5 * n),
                    value=Decimal("1.75") + Decimal((n * 37) % 23) / 100)
        for n in range(1, 1500)])
    self_test = make_criterion(poc, title="Sensor self-test", metric="", unit="",
                               comparator="pass_fail", target_value=None,
                               pass_condition="Every sensor answers its self-test",
                               aggregation="share_passing", required_share=Decimal("95"),
                               must_have=False)
    Measurement.objects.bulk_create([
        Measurement(poc=poc, criterion=self_test, passed=(n * 7) % 31 != 0,
                    measured_at=now - datetime.timedelta(minutes=10 * n))
        for n in range(1, 900)])
    sponsor = make_customer(poc, name="Dana Sponsor", title="Plant manager")
    make_customer(poc, name="Luc Technicien", title="Maintenance lead",
                  role="technical_evaluator")
    milestone = make_milestone(poc, kind="first_run", title="", due_date=now.date())
    make_log_entry(poc, recorded_by=engineer, kind="risk", severity="high", status="open",
                   title="The client's IT team needs three people trained before go-live",
                   mitigation="Two-day training booked for week 12",
                   occurred_at=now - datetime.timedelta(days=2))
    make_log_entry(poc, recorded_by=engineer, kind="issue", severity="medium", status="open",
                   title="Weighbridge export drops the seconds",
                   occurred_at=now - datetime.timedelta(days=1))
    return {"poc": poc, "throughput": throughput, "sponsor": sponsor, "milestone": milestone,
            "base": live_server.url,
            "execution": f"{live_server.url}/pocs/{poc.pk}/execution/"}


def test_a_reading_with_a_photo_turns_a_criterion_green_and_a_witnessed_first_run_is_logged(
        execution_setup, page, browser, screenshot, tmp_path):
    poc, base, url = execution_setup["poc"], execution_setup["base"], execution_setup["execution"]
    throughput = execution_setup["throughput"]
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, base, "lea")

    # From the POC page's card: a must-have has no data yet, so the outlook is amber.
    page.goto(f"{base}/pocs/{poc.pk}/")
    card = page.locator("[data-testid=execution-card]")
    expect(card.locator("[data-testid=outlook-badge]")).to_have_attribute("data-outlook",
                                                                          "amber")
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(SCREENSHOTS / "execution-00-poc-card.png"))
    card.locator("[data-testid=execution-open]").click()
    page.wait_for_url(url)

    criterion = page.locator(f"#criterion-{throughput.pk}")
    expect(criterion).to_have_attribute("data-status", "no_data")
    expect(criterion.locator("[data-testid=criterion-chart-empty]")).to_be_visible()
    _draw_every_chart(page, 4)
    screenshot(page, "execution-01-criteria")

    # A reading with a photo, from the criterion's own card.
    criterion.locator("[data-testid=record-reading]").click()
    dialog = page.locator("#measurement-modal")
    expect(dialog).to_be_visible()
    expect(dialog.locator("select[name=criterion]")).to_have_value(str(throughput.pk))
    expect(dialog.locator("[data-testid=measurement-target]")).to_contain_text("≥ 120 t/h")
    expect(dialog.locator("[data-field-row=passed]")).to_be_hidden()
    dialog.locator("input[name=value]").fill("126.4")
    dialog.locator("input[name=conditions]").fill("Peak load, ore from pit B")
    dialog.locator("input[name=evidence_files]").set_input_files(
        [_photo(tmp_path, "weighbridge.jpg", (30, 90, 160))])
    page.screenshot(path=str(SCREENSHOTS / "execution-02-measurement-form.png"))
    dialog.locator("[data-testid=measurement-save]").click()
    page.wait_for_url(re.compile(rf"/execution/#criterion-{throughput.pk}$"))

    expect(criterion).to_have_attribute("data-status", "passing")
    expect(criterion.locator("[data-testid=criterion-result]")).to_have_text("126.4 t/h")
    chart = criterion.locator("canvas[data-testid=criterion-chart]")
    expect(chart).to_have_attribute("data-drawn", "1")
    expect(chart).to_have_attribute("data-points", "1")
    criterion.locator("[data-testid=recent-readings] summary").click()
    row = criterion.locator("[data-testid=reading-row]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("126.4 t/h")
    thumbnail = row.locator("[data-testid=evidence-thumb] img")
    expect(thumbnail).to_be_visible()
    page.wait_for_function("image => image.complete && image.naturalWidth > 0",
                           arg=thumbnail.element_handle())
    assert Measurement.objects.get(criterion=throughput).evidence.count() == 1
    _draw_every_chart(page, 5)
    screenshot(page, "execution-03-reading-recorded")

    # A pass/fail test shows the result buttons, not a number.
    page.locator("[data-testid=measurement-open]").click()
    dialog.locator("select[name=criterion]").select_option(
        label="No unplanned stop during a night shift")
    expect(dialog.locator("[data-field-row=value]")).to_be_hidden()
    expect(dialog.locator("[data-field-row=passed]")).to_be_visible()
    dialog.locator(".btn-close").click()
    expect(dialog).to_be_hidden()

    # The first run, witnessed by the customer's plant manager.
    page.click("[data-testid=tab-log]")
    expect(page.locator("[data-testid=risk-memo]")).to_contain_text("three people trained")
    page.locator("[data-testid=log-open]").click()
    log = page.locator("#log-modal")
    expect(log).to_be_visible()
    expect(log.locator("[data-field-row=key_event]")).to_be_hidden()
    log.locator("select[name=kind]").select_option("key_event")
    expect(log.locator("[data-field-row=key_event]")).to_be_visible()
    expect(log.locator("[data-field-row=severity]")).to_be_hidden()
    log.locator("select[name=key_event]").select_option("first_run")
    log.locator("input[name=title]").fill("First run at full speed")
    log.locator("textarea[name=body]").fill("Line 2 ran 45 minutes at 126 t/h without a stop.")
    log.locator("select[name=milestone]").select_option(label="First run")
    log.locator("select[name=witnessed_by]").select_option(label="Dana Sponsor · Plant manager")
    log.locator("input[name=evidence_files]").set_input_files(
        [_photo(tmp_path, "first-run.jpg", (160, 60, 30))])
    page.screenshot(path=str(SCREENSHOTS / "execution-04-log-form.png"))
    log.locator("[data-testid=log-save]").click()
    page.wait_for_url(re.compile(r"/execution/\?tab=log#entry-\d+$"))

    entry = LogEntry.objects.get(kind="key_event")
    assert (entry.key_event, entry.witnessed_by, entry.milestone) == (
        "first_run", execution_setup["sponsor"], execution_setup["milestone"])
    item = page.locator(f"#entry-{entry.pk}")
    expect(item.locator("[data-testid=witness]")).to_contain_text("Witnessed by Dana Sponsor on")
    expect(item.locator("[data-testid=evidence-thumb] img")).to_be_visible()
    screenshot(page, "execution-05-log")

    page.click("[data-testid=log-filter-risk]")
    page.wait_for_url(re.compile(r"kind=risk"))
    expect(page.locator("[data-testid=log-entry]")).to_have_count(1)

    # The gallery holds both photos.
    page.goto(f"{url}?tab=evidence")
    expect(page.locator("[data-testid=evidence-item]")).to_have_count(2)
    expect(page.locator("[data-testid=evidence-item] img").first).to_be_visible()
    screenshot(page, "execution-06-evidence")

    # On a phone.
    phone = browser.new_context(viewport=PHONE, locale="en-GB", reduced_motion="reduce",
                                is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    log_in(mobile, base, "lea")
    mobile.goto(url)
    _draw_every_chart(mobile, 5)
    mobile.locator(f"#criterion-{throughput.pk} [data-testid=recent-readings] summary").click()
    screenshot(mobile, "execution-07-phone-criteria")
    assert_no_horizontal_overflow(mobile)
    mobile.locator(f"#criterion-{throughput.pk} [data-testid=record-reading]").click()
    expect(mobile.locator("#measurement-modal")).to_be_visible()
    mobile.screenshot(path=str(SCREENSHOTS / "execution-08-phone-measurement-form.png"))
    mobile.locator("#measurement-modal .btn-close").click()
    mobile.goto(f"{url}?tab=log")
    screenshot(mobile, "execution-09-phone-log")
    assert_no_horizontal_overflow(mobile)
    mobile.goto(f"{url}?tab=evidence")
    screenshot(mobile, "execution-10-phone-evidence")
    assert_no_horizontal_overflow(mobile)
    phone.close()
    assert errors == []
