"""The timebox in a real browser: a proposed milestone plan edited and saved, an extension
requested by the engineer and approved by the manager, the drift visible on the POC page and
the POC list; on a laptop, on a phone and in Chinese."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pocdesk.agreements.models import Agreement
from pocdesk.people.models import Profile, Role
from pocdesk.pocs.models import POC
from pocdesk.stakeholders.models import Stakeholder
from pocdesk.timebox.models import Extension, Milestone

from ..factories import (
    AccountFactory,
    MembershipFactory,
    OpportunityFactory,
    POCFactory,
    TeamFactory,
    UserFactory,
    make_agreement,
)
from .conftest import LAPTOP, PASSWORD, PHONE, SCREENSHOTS, assert_no_horizontal_overflow, log_in

pytestmark = pytest.mark.e2e

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6364f8cf500f0002870180eb47ba920000000049454e44ae426082")


def _row_of_kind(page, kind: str):
    """The editor's row whose kind is `kind` (the first one)."""
    rows = page.locator("[data-testid=milestone-row]:visible")
    kinds = rows.evaluate_all("rows => rows.map(r => r.querySelector('select[name$=-kind]').value)")
    return rows.nth(kinds.index(kind))


@pytest.fixture
def timebox_setup(transactional_db, live_server):
    team = TeamFactory(name="Heritage lighting", slug="heritage", reporting_currency="EUR")
    engineer = UserFactory(username="claire", password=PASSWORD)
    Profile.objects.filter(user=engineer).update(display_name="Claire Martin")
    MembershipFactory(team=team, user=engineer, role=Role.PRESALES_ENGINEER)
    manager = UserFactory(username="marc", password=PASSWORD)
    Profile.objects.filter(user=manager).update(display_name="Marc Dubois")
    MembershipFactory(team=team, user=manager, role=Role.MANAGER)
    account = AccountFactory(team=team, name="Musée des Arts", industry="Museums")
    opportunity = OpportunityFactory(account=account, owner=engineer, name="Gallery retrofit")
    start = timezone.localdate() - datetime.timedelta(days=30)
    poc = POCFactory(opportunity=opportunity, owner=engineer, title="LED retrofit of gallery 3",
                     status="running", start_date=start,
                     end_date=start + datetime.timedelta(days=84))
    Stakeholder.objects.create(team=team, account=account, opportunity=opportunity,
                               name="Dana Sponsor", title="Head of conservation",
                               side="customer", role="executive_sponsor")
    base = live_server.url
    return {"poc": poc, "base": base, "timebox": f"{base}/pocs/{poc.pk}/timebox/"}


def test_a_plan_is_proposed_edited_and_saved_then_an_extension_is_approved(
        timebox_setup, page, browser, screenshot):
    poc, base, url = timebox_setup["poc"], timebox_setup["base"], timebox_setup["timebox"]
    log_in(page, base, "claire")

    # The POC page's card leads to the timebox page.
    page.goto(f"{base}/pocs/{poc.pk}/")
    page.click("[data-testid=timebox-open]")
    page.wait_for_url(url)
    expect(page.locator("[data-testid=milestones-empty]")).to_be_visible()

    # The proposed plan arrives in the editor (htmx), nothing saved yet.
    page.click("[data-testid=milestone-propose]")
    editor = page.locator("[data-testid=milestone-editor]")
    expect(editor).to_be_visible()
    # 84 days, a checkpoint every 14: 7 fixed milestones and 4 checkpoints (days 14, 28, 56
    # and 70: day 42 is the mid-point review), and the spare row.
    expect(page.locator("[data-testid=milestone-row]:visible")).to_have_count(12)
    assert Milestone.objects.count() == 0
    screenshot(page, "timebox-01-proposal")

    # The installation moves two days, the first run goes without the customer, the last
    # checkpoint is removed and a training session is added.
    installation_due = poc.start_date + datetime.timedelta(days=17 + 2)
    _row_of_kind(page, "installation").locator("input[name$=-due_date]").fill(
        installation_due.isoformat())
    first_run = _row_of_kind(page, "first_run")
    expect(first_run.locator("input[name$=-customer_witness]")).to_be_checked()
    first_run.locator("input[name$=-customer_witness]").uncheck()
    checkpoints = page.locator("[data-testid=milestone-row]:visible").filter(
        has=page.locator("select[name$=-kind] option[value=checkpoint]:checked"))
    checkpoints.last.locator("[data-testid=milestone-remove]").click()
    expect(page.locator(".tbx-removed:visible")).to_have_count(1)
    page.click("[data-testid=milestone-add]")
    added = page.locator("[data-testid=milestone-row]").last
    added.locator("input[name$=-title]").fill("Training of the night staff")
    added.locator("input[name$=-due_date]").fill(
        (poc.start_date + datetime.timedelta(days=50)).isoformat())
    screenshot(page, "timebox-02-edited")
    page.click("[data-testid=milestone-plan-save]")
    page.wait_for_url(re.compile(r"/timebox/#milestones$"))
    expect(page.locator(".messages")).to_contain_text("Milestone plan saved: 11 milestones.")

    assert Milestone.objects.filter(poc=poc).count() == 11
    assert Milestone.objects.get(poc=poc, kind="installation").due_date == installation_due
    assert Milestone.objects.get(poc=poc, kind="first_run").customer_witness is False
    assert Milestone.objects.filter(poc=poc, kind="checkpoint").count() == 3
    assert Milestone.objects.filter(poc=poc, title="Training of the night staff").exists()
    expect(page.locator("[data-testid=milestone]")).to_have_count(11)
    expect(page.locator("[data-testid=timeline-row]")).to_have_count(11)
    screenshot(page, "timebox-03-plan")

    # The installation is done, witnessed by the customer, with a photo as evidence.
    installation = page.locator("[data-testid=milestone]").filter(has_text="Installation complete")
    installation.locator("[data-testid=milestone-done] summary").click()
    installation.locator("select[name$=-witnessed_by]").select_option(
        label="Dana Sponsor · Head of conservation")
    installation.locator("textarea[name$=-evidence_note]").fill("All 48 luminaires on the BMS")
    installation.locator("input[name$=-evidence_file]").set_input_files(files=[
        {"name": "gallery.png", "mimeType": "image/png", "buffer": PNG}])
    installation.scroll_into_view_if_needed()
    installation.screenshot(path=str(SCREENSHOTS / "timebox-03b-mark-done.png"))
    installation.locator("[data-testid=milestone-done-submit]").click()
    page.wait_for_url(re.compile(r"/timebox/#milestone-[0-9a-f-]+$"))
    done = page.locator("[data-testid=milestone][data-state=done]")
    expect(done).to_contain_text("witnessed by Dana Sponsor")
    expect(done).to_contain_text("gallery.png")

    # The engineer asks for two more weeks.
    new_end = poc.end_date + datetime.timedelta(days=14)
    page.fill("[name=extension-requested_end]", new_end.isoformat())
    page.fill("[name=extension-reason]", "The gallery was closed for an exhibition set-up")
    page.click("[data-testid=extension-request-submit]")
    page.wait_for_url(re.compile(r"/timebox/#extensions$"))
    expect(page.locator("[data-testid=extension-pending]")).to_contain_text("+14 days")
    expect(page.locator("[data-testid=extension-decision]")).to_have_count(0)
    assert Extension.objects.get(poc=poc).status == "requested"

    # The manager approves it.
    manager_context = browser.new_context(viewport=LAPTOP, locale="en-GB",
                                          reduced_motion="reduce")
    manager_page = manager_context.new_page()
    log_in(manager_page, base, "marc")
    manager_page.goto(url + "#extensions")
    manager_page.fill("[data-testid=extension-decision] textarea",
                      "The exhibition was planned by the museum")
    manager_page.locator("[data-testid=extensions-card]").screenshot(
        path=str(SCREENSHOTS / "timebox-04-manager-decides.png"))
    manager_page.click("[data-testid=extension-approve]")
    manager_page.wait_for_url(re.compile(r"/timebox/#extensions$"))
    expect(manager_page.locator("[data-testid=extension-count]")).to_have_text(
        "1 of max 2 extensions used, total drift 14 days")
    manager_context.close()
    poc.refresh_from_db()
    assert poc.end_date == new_end

    # The drift shows on the timebox page, the POC page and the POC list.
    page.goto(url)
    expect(page.locator("[data-testid=badge-drift]")).to_have_text("+14 days (1 extension)")
    expect(page.locator(".tbx-bar.tbx-extension")).to_have_count(1)
    screenshot(page, "timebox-05-after-extension")
    page.goto(f"{base}/pocs/{poc.pk}/")
    card = page.locator("[data-testid=timebox-card]")
    expect(card.locator("[data-testid=badge-drift]")).to_have_text("+14 days (1 extension)")
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(SCREENSHOTS / "timebox-06-poc-card.png"))
    page.goto(f"{base}/pocs/")
    drift = page.locator("[data-testid=drift]").first
    expect(drift).to_contain_text("+14 d")
    expect(drift).to_contain_text("1 extension")
    screenshot(page, "timebox-07-poc-list")

    # The POC's dates are locked once agreed: the form says where to go instead.
    page.goto(f"{base}/pocs/{poc.pk}/edit/")
    expect(page.locator("[name=end_date]")).to_have_attribute("readonly", "")
    expect(page.locator("[data-testid=dates-locked] a")).to_have_attribute(
        "href", f"/pocs/{poc.pk}/timebox/#extension-request")
    screenshot(page, "timebox-15-poc-form")

    # On a phone: the timeline scrolls sideways inside its card, the page does not.
    phone = browser.new_context(viewport=PHONE, locale="en-GB", reduced_motion="reduce",
                                is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    log_in(mobile, base, "claire")
    mobile.goto(url)
    expect(mobile.locator("[data-testid=timebox-timeline]")).to_be_visible()
    assert_no_horizontal_overflow(mobile)
    screenshot(mobile, "timebox-08-phone")
    mobile.goto(f"{base}/pocs/{poc.pk}/")
    mobile.locator("[data-testid=timebox-card]").scroll_into_view_if_needed()
    assert_no_horizontal_overflow(mobile)
    mobile.locator("[data-testid=timebox-card]").screenshot(
        path=str(SCREENSHOTS / "timebox-09-phone-card.png"))
    mobile.goto(f"{base}/pocs/")
    assert_no_horizontal_overflow(mobile)
    screenshot(mobile, "timebox-10-phone-list")
    phone.close()

    # In Chinese.
    page.goto(url)
    page.click("[data-testid=language-menu]")
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot(page, "timebox-11-zh")


def test_a_poc_past_its_exit_clause_asks_for_a_decision_everywhere(timebox_setup, page, browser,
                                                                   screenshot):
    poc, base = timebox_setup["poc"], timebox_setup["base"]
    make_agreement(poc, actor=poc.owner)
    end = timezone.localdate() - datetime.timedelta(days=40)
    Agreement.objects.filter(poc=poc).update(start_date=end - datetime.timedelta(days=60),
                                             end_date=end, exit_slip_days=30)
    POC.objects.filter(pk=poc.pk).update(start_date=end - datetime.timedelta(days=60),
                                               end_date=end)
    log_in(page, base, "claire")

    # The POC page: the plan card's alert offers the decision, the timebox card is red.
    page.goto(f"{base}/pocs/{poc.pk}/")
    expect(page.locator("[data-testid=plan-card] [data-testid=exit-decision-form]")).to_be_visible()
    expect(page.locator("[data-testid=timebox-exit]")).to_contain_text("Exit clause reached")
    expect(page.locator("[data-testid=timebox-exit]")).to_contain_text("40 days past the deadline")
    # The new end date is asked only when extending.
    expect(page.locator("#exit-requested_end")).to_be_hidden()
    page.check("#exit-decision-extend")
    expect(page.locator("#exit-requested_end")).to_be_visible()
    page.locator("[data-testid=plan-card]").scroll_into_view_if_needed()
    screenshot(page, "timebox-12-exit-poc-page")

    # Extending: the decision is recorded and files the extension request.
    new_end = timezone.localdate() + datetime.timedelta(days=21)
    page.fill("#exit-requested_end", new_end.isoformat())
    page.fill("#exit-note", "Three more weeks agreed with Dana at the steering meeting")
    page.click("[data-testid=exit-decision-submit]")
    page.wait_for_url(re.compile(r"/timebox/#exit$"))
    decision = page.locator("[data-testid=exit-alert] [data-testid=exit-decision]")
    expect(decision).to_contain_text("Extend, with a manager's approval")
    expect(page.locator("[data-testid=extension-pending]")).to_contain_text("Three more weeks")
    assert Extension.objects.get(poc=poc).requested_end == new_end
    screenshot(page, "timebox-13-exit-decided")

    phone = browser.new_context(viewport=PHONE, locale="en-GB", reduced_motion="reduce",
                                is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    log_in(mobile, base, "claire")
    mobile.goto(f"{base}/pocs/{poc.pk}/")
    assert_no_horizontal_overflow(mobile)
    mobile.locator("[data-testid=timebox-card]").screenshot(
        path=str(SCREENSHOTS / "timebox-14-phone-exit-card.png"))
    phone.close()
