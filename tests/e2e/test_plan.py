"""The POC plan in a real browser: criteria written and refused, signed by both sides, changed,
compared and downloaded; on a laptop, on a phone and in Chinese."""

import re

import pytest
from playwright.sync_api import expect

from pocdesk.criteria.models import Criterion
from pocdesk.people.models import Profile, Role
from pocdesk.pocs.models import POC
from pocdesk.signoffs.models import PlanVersion
from pocdesk.stakeholders.models import Stakeholder

from ..factories import (
    AccountFactory,
    MembershipFactory,
    OpportunityFactory,
    POCFactory,
    TeamFactory,
    UserFactory,
)
from .conftest import PASSWORD, PHONE, SCREENSHOTS, log_in

pytestmark = pytest.mark.e2e

SCAN = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _add_criterion(page, plan_url, **values):
    page.goto(plan_url)
    page.click("[data-testid=criterion-add]")
    page.wait_for_url(re.compile(r"/plan/criteria/new/$"))
    _fill_criterion(page, **values)


def _fill_criterion(page, *, comparator, aggregation="latest", must_have=False, **fields):
    page.select_option("[name=comparator]", comparator)
    page.select_option("[name=aggregation]", aggregation)
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    if must_have:
        page.check("[name=must_have]")


@pytest.fixture
def plan_setup(transactional_db, live_server):
    team = TeamFactory(name="Heritage lighting", slug="heritage", reporting_currency="EUR")
    user = UserFactory(username="claire", password=PASSWORD)
    Profile.objects.filter(user=user).update(display_name="Claire Martin")
    MembershipFactory(team=team, user=user, role=Role.PRESALES_ENGINEER)
    account = AccountFactory(team=team, name="Musée des Arts", industry="Museums")
    opportunity = OpportunityFactory(account=account, owner=user, name="Gallery retrofit")
    poc = POCFactory(opportunity=opportunity, owner=user, title="LED retrofit of gallery 3",
                     status="qualified")
    Stakeholder.objects.create(team=team, account=account, name="Dana Sponsor",
                               title="Head of conservation", side="customer",
                               role="executive_sponsor")
    return {"poc": poc, "base": live_server.url, "plan": f"{live_server.url}/pocs/{poc.pk}/plan/"}


def test_criteria_are_written_signed_by_both_sides_changed_compared_and_downloaded(
        plan_setup, page, browser, screenshot):
    poc, base, plan_url = plan_setup["poc"], plan_setup["base"], plan_setup["plan"]
    log_in(page, base, "claire")
    page.goto(plan_url)
    expect(page.locator("[data-testid=criteria-empty]")).to_be_visible()

    # A numeric criterion: at least 120 t/h, the mean of the readings.
    _add_criterion(page, plan_url, comparator="gte", aggregation="mean", must_have=True,
                   title="Throughput at peak load", metric="throughput", unit="t/h",
                   target_value="120", measurement_method="Weighbridge totals per hour",
                   question="Does the line keep up with the evening peak?")
    expect(page.locator("[data-field-row=target_min]")).to_be_hidden()
    expect(page.locator("[data-field-row=tolerance]")).to_be_hidden()
    page.click("[data-testid=criterion-save]")
    page.wait_for_url(re.compile(r"/plan/#criterion-\d+$"))
    expect(page.locator("[data-testid=criteria-table]")).to_contain_text("≥ 120 t/h")

    # A vague one is refused, with how to make it measurable under its fields.
    _add_criterion(page, plan_url, comparator="gte", title="The visitors like the light")
    page.click("[data-testid=criterion-save]")
    expect(page.locator("[data-testid=criterion-form] .alert-danger")).to_be_visible()
    expect(page.locator("#id_target_value_errors")).to_contain_text("Give the target value")
    expect(page.locator("#id_measurement_method_errors")).to_contain_text("Say how it is measured")
    screenshot(page, "plan-01-vague-refused")
    assert Criterion.objects.filter(poc=poc).count() == 1

    # …made measurable as a pass/fail test: the numeric fields go away.
    page.select_option("[name=comparator]", "pass_fail")
    expect(page.locator("[data-field-row=target_value]")).to_be_hidden()
    expect(page.locator("[name=target_value]")).to_be_disabled()  # hidden fields are not sent
    expect(page.locator("[data-field-row=pass_condition]")).to_be_visible()
    page.fill("[name=pass_condition]", "At least 4 of 5 visitors surveyed rate the light good "
                                        "or better")
    page.fill("[name=measurement_method]", "Exit survey of 50 visitors")
    page.click("[data-testid=criterion-save]")
    page.wait_for_url(re.compile(r"/plan/#criterion-\d+$"))

    # A range, judged on the share of readings inside it.
    _add_criterion(page, plan_url, comparator="between", aggregation="share_passing",
                   title="Colour temperature", metric="correlated colour temperature",
                   unit="K", target_min="2600", target_max="2800", required_share="95",
                   measurement_method="Spectrometer at 12 points, weekly",
                   test_conditions="Gallery lights at 100 %, daylight blinds closed")
    expect(page.locator("[data-field-row=required_share]")).to_be_visible()
    screenshot(page, "plan-02-criterion-form")
    page.click("[data-testid=criterion-save]")
    page.wait_for_url(re.compile(r"/plan/#criterion-\d+$"))
    table = page.locator("[data-testid=criteria-table]")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table).to_contain_text("2600–2800 K in at least 95 % of readings")
    screenshot(page, "plan-03-criteria")

    # Submitted for signature, signed for the vendor, the customer's scan recorded.
    page.click("[data-testid=criteria-submit]")
    page.wait_for_url(re.compile(r"/plan/#criteria-versions$"))
    version = page.locator("[data-testid=criteria-version][data-number='1']")
    expect(version).to_have_attribute("data-status", "awaiting_signature")
    page.click("[data-testid=criteria-sign-vendor] summary")
    page.fill("#id_criteria_vendor_signer_title", "Presales lead")
    page.click("[data-testid=criteria-sign-vendor-submit]")
    page.wait_for_url(re.compile(r"/plan/#criteria-versions$"))
    expect(version.locator("[data-side=vendor]")).to_contain_text("Claire Martin")
    page.click("[data-testid=criteria-sign-customer] summary")
    page.select_option("#id_criteria_customer_stakeholder",
                       label="Dana Sponsor · Head of conservation")
    page.set_input_files("#id_criteria_customer_scan", files=[
        {"name": "criteria-v1-signed.pdf", "mimeType": "application/pdf", "buffer": SCAN}])
    page.click("[data-testid=criteria-sign-customer-submit]")
    page.wait_for_url(re.compile(r"/plan/#criteria-versions$"))
    signed = PlanVersion.objects.get(poc=poc, kind="criteria", number=1)
    assert signed.status == "signed"
    expect(version).to_have_attribute("data-status", "signed")
    verification = version.locator("[data-testid=verification]")
    expect(verification).to_contain_text("Signed by both")
    expect(verification).to_contain_text(f"hash {signed.content_hash[:12]}…")
    expect(verification.locator(".verified")).to_be_visible()
    expect(version.locator("[data-side=customer] a")).to_contain_text("criteria-v1-signed.pdf")
    expect(page.locator("[data-testid=criteria-draft-state]").first).to_contain_text(
        "no changes since v1")
    page.locator("[data-testid=criteria-versions]").screenshot(
        path=str(SCREENSHOTS / "plan-04-signed-by-both.png"))

    # A change after signing: draft v2, and the diff says what changed.
    page.locator("[data-testid=criteria-table] tbody tr").first.locator(
        "[data-testid=criterion-edit]").click()
    page.fill("[name=target_value]", "130")
    page.click("[data-testid=criterion-save]")
    page.wait_for_url(re.compile(r"/plan/#criterion-\d+$"))
    expect(page.locator("[data-testid=criteria-draft-state]").first).to_contain_text(
        "draft v2, changed since v1")
    diff = page.locator("#criteria-diff-result")
    expect(diff).to_contain_text("Throughput at peak load")
    expect(diff.locator("[data-field=target_value] .diff-old")).to_contain_text("120")
    expect(diff.locator("[data-field=target_value] .diff-new")).to_contain_text("130")
    # Comparing the version with itself (htmx swaps the result in place): no difference.
    page.select_option("#criteria-diff-new", "1")
    expect(diff.locator("[data-testid=diff-none]")).to_be_visible()
    page.select_option("#criteria-diff-new", "draft")
    expect(diff.locator("[data-field=target_value]")).to_be_visible()
    page.locator("#criteria-diff").scroll_into_view_if_needed()
    screenshot(page, "plan-05-diff")

    # The Objective Document of the signed version, as a PDF.
    with page.expect_download() as download_info:
        page.click("[data-testid=criteria-version][data-number='1'] [data-testid=version-pdf]")
    path = download_info.value.path()
    with open(path, "rb") as downloaded:
        assert downloaded.read(5) == b"%PDF-"
    assert download_info.value.suggested_filename.endswith(".pdf")

    # The first criterion goes to the team's library, which offers it to the next POC.
    first_row = page.locator("[data-testid=criteria-table] tbody tr").first
    first_row.locator("[data-testid=criterion-more]").click()
    first_row.locator("input[name=industry]").fill("Museums")
    first_row.locator("[data-testid=criterion-to-library]").click()
    expect(page.locator(".messages")).to_contain_text("is in the team's library now")
    page.click("[data-testid=criteria-library]")
    page.fill("[data-testid=library-search]", "humidity")
    expect(page.locator(".library-list li:visible")).to_have_count(0)
    page.fill("[data-testid=library-search]", "museums")
    expect(page.locator(".library-list li:visible")).to_have_count(1)
    screenshot(page, "plan-06-library")
    page.goto(plan_url)

    # The agreement tab: started from the template, one resource and one cost line.
    page.click("[data-testid=tab-agreement]")
    page.click("[data-testid=agreement-start]")
    page.wait_for_url(re.compile(r"/plan/\?tab=agreement#agreement$"))
    page.fill("[name=start_date]", "2026-01-05")
    page.fill("[name=end_date]", "2026-03-31")
    rows = page.locator("[data-testid=resource-form-row]:visible")
    rows.nth(0).locator("input[name$=description]").fill("Access to gallery 3 after hours")
    rows.nth(0).locator("input[name$=due_date]").fill("2026-01-02")
    costs = page.locator("[data-testid=cost-form-row]:visible")
    costs.nth(0).locator("select[name$=category]").select_option("materials")
    costs.nth(0).locator("input[name$=description]").fill("Luminaires for the trial")
    costs.nth(0).locator("input[name$=amount]").fill("-5")
    page.click("[data-testid=agreement-save]")
    expect(page.locator("[data-testid=cost-form-row] .invalid-feedback").first).to_be_visible()
    costs.nth(0).locator("input[name$=amount]").fill("12800")
    page.click("[data-testid=agreement-save]")
    page.wait_for_url(re.compile(r"/plan/\?tab=agreement#agreement$"))
    resource = page.locator("[data-testid=resource-row]").first
    resource.locator("select").select_option("ready")
    expect(page.locator("[data-testid=resource-row]").first).to_have_attribute(
        "data-status", "ready")
    # A qualified POC's timebox has not started: its exit clause is not watched yet.
    expect(page.locator("[data-testid=exit-alert]")).to_have_count(0)
    screenshot(page, "plan-07-agreement")

    # The POC page's plan card; once the POC runs, the slipped deadline shows on it.
    POC.objects.filter(pk=poc.pk).update(status="running")
    page.goto(f"{base}/pocs/{poc.pk}/")
    card = page.locator("[data-testid=plan-card]")
    expect(card).to_contain_text("3 criteria, 1 must-have")
    expect(card.locator("[data-testid=exit-alert]")).to_be_visible()
    card.screenshot(path=str(SCREENSHOTS / "plan-13-poc-card.png"))

    # On a phone.
    phone = browser.new_context(viewport=PHONE, locale="en-GB", reduced_motion="reduce",
                                is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    log_in(mobile, base, "claire")
    mobile.goto(plan_url)
    expect(mobile.locator("[data-testid=criteria-list]")).to_be_visible()
    screenshot(mobile, "plan-08-phone-criteria")
    assert_no_horizontal_overflow(mobile)
    mobile.goto(f"{plan_url}?tab=agreement")
    mobile.click("[data-testid=agreement-submit]")
    mobile.wait_for_url(re.compile(r"/plan/\?tab=agreement#agreement-versions$"))
    mobile.click("[data-testid=agreement-sign-customer] summary")
    screenshot(mobile, "plan-09-phone-agreement")
    assert_no_horizontal_overflow(mobile)
    mobile.goto(f"{base}/pocs/{poc.pk}/plan/criteria/new/")
    screenshot(mobile, "plan-10-phone-criterion-form")
    assert_no_horizontal_overflow(mobile)
    mobile.goto(f"{base}/pocs/{poc.pk}/")
    mobile.locator("[data-testid=plan-card]").scroll_into_view_if_needed()
    screenshot(mobile, "plan-11-phone-poc")
    phone.close()

    # In Chinese.
    page.goto(plan_url)
    page.click("[data-testid=language-menu]")
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot(page, "plan-12-zh")


def assert_no_horizontal_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"
