"""The weekly status report in a real browser: this week's report of a running POC, the week
before, the PDF, sending it to the customer; on a laptop and on a phone."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from pocdesk.people.models import Profile, Role
from pocdesk.reports.weekly import week_bounds
from pocdesk.stakeholders.models import Stakeholder

from ..factories import (
    AccountFactory,
    MembershipFactory,
    OpportunityFactory,
    POCFactory,
    TeamFactory,
    UserFactory,
    make_action_item,
    make_criterion,
    make_log_entry,
    make_measurement,
    make_meeting,
    make_milestone,
)
from .conftest import PASSWORD, PHONE, assert_no_horizontal_overflow, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def weekly_setup(transactional_db, live_server):
    team = TeamFactory(name="Heritage lighting", slug="heritage", reporting_currency="EUR")
    engineer = UserFactory(username="claire", password=PASSWORD)
    Profile.objects.filter(user=engineer).update(display_name="Claire Martin")
    MembershipFactory(team=team, user=engineer, role=Role.PRESALES_ENGINEER)
    account = AccountFactory(team=team, name="Musée des Arts", industry="Museums")
    opportunity = OpportunityFactory(account=account, owner=engineer, name="Gallery retrofit")
    now = timezone.now()
    today = timezone.localdate()
    monday = week_bounds(today)[0]
    poc = POCFactory(opportunity=opportunity, owner=engineer, title="LED retrofit of gallery 3",
                     status="running", start_date=monday - datetime.timedelta(days=14),
                     end_date=monday + datetime.timedelta(days=30))
    sponsor = Stakeholder.objects.create(
        team=team, account=account, opportunity=opportunity, name="Dana Sponsor",
        title="Head of conservation", side="customer", role="executive_sponsor",
        email="dana@museum.example")
    technician = Stakeholder.objects.create(
        team=team, account=account, opportunity=opportunity, name="Luc Technicien",
        title="Facilities", side="customer", role="technical_evaluator")
    lux = make_criterion(poc, title="Illuminance on the paintings", metric="illuminance",
                         unit="lx", comparator="lte", target_value=Decimal("50"),
                         aggregation="latest")
    cri = make_criterion(poc, title="Colour rendering index", metric="CRI", unit="Ra",
                         target_value=Decimal("95"), aggregation="mean", must_have=False)
    make_criterion(poc, title="Dimming without flicker", metric="", unit="",
                   comparator="pass_fail", target_value=None,
                   pass_condition="No visible flicker at 1 percent", aggregation="latest")
    earlier = now - datetime.timedelta(days=9)
    make_measurement(lux, value="62", measured_at=earlier)
    make_measurement(cri, value="96.5", measured_at=earlier)
    this_week = max(timezone.make_aware(datetime.datetime.combine(monday, datetime.time(9))),
                    now - datetime.timedelta(hours=2))
    this_week = min(this_week, now)
    make_measurement(lux, value="48", measured_at=this_week)
    make_measurement(cri, value="97", measured_at=this_week)
    make_milestone(poc, kind="installation", due_date=today, status="done", completed_on=today)
    make_milestone(poc, kind="first_run", due_date=monday - datetime.timedelta(days=2))
    make_milestone(poc, kind="checkpoint", sequence=2, due_date=today + datetime.timedelta(days=7),
                   customer_owner=sponsor)
    make_meeting(poc, date=today, attendees=[sponsor, technician],
                 decisions="Keep the 50 lx limit for the oil paintings\nTest the night "
                           "setting on Thursday")
    make_log_entry(poc, kind="key_event", key_event="installation_complete",
                   title="Luminaires installed in gallery 3", occurred_at=this_week,
                   witnessed_by=technician, witnessed_at=this_week)
    make_log_entry(poc, kind="risk", title="Heat near the varnish of two paintings",
                   severity="medium", status="open",
                   mitigation="Measure the surface temperature every morning",
                   occurred_at=earlier)
    make_action_item(poc, text="Send the spectral data of the warm-white module",
                     owner=engineer, due_on=monday - datetime.timedelta(days=1),
                     created_at=earlier)
    make_action_item(poc, text="Open gallery 3 before visitors for the night test",
                     customer_owner=sponsor, due_on=today + datetime.timedelta(days=5),
                     created_at=earlier)
    return {"poc": poc, "sponsor": sponsor, "base": live_server.url, "monday": monday,
            "weekly": f"{live_server.url}/pocs/{poc.pk}/weekly/"}


def test_the_weekly_report_is_read_downloaded_and_sent(weekly_setup, page, browser,
                                                       screenshot):
    poc, base, url = weekly_setup["poc"], weekly_setup["base"], weekly_setup["weekly"]
    monday = weekly_setup["monday"]
    log_in(page, base, "claire")

    page.goto(url)
    expect(page.locator("h1")).to_have_text("Weekly status report")
    expect(page.locator("[data-testid=weekly-week]")).to_contain_text("This week")
    criteria = page.locator("[data-testid=weekly-criterion]")
    expect(criteria).to_have_count(3)
    expect(criteria.nth(0)).to_have_attribute("data-status", "passing")
    expect(criteria.nth(0)).to_contain_text("was Failing")
    expect(page.locator("[data-testid=weekly-outlook]")).to_have_attribute("data-outlook",
                                                                           "amber")
    expect(page.locator("[data-testid=weekly-decision]")).to_have_count(2)
    expect(page.locator("[data-testid=weekly-key-event]")).to_contain_text(
        "witnessed by Luc Technicien")
    expect(page.locator("[data-testid=weekly-risk]")).to_contain_text("surface temperature")
    expect(page.locator("[data-testid=weekly-milestone-overdue]")).to_contain_text("First run")
    expect(page.locator("[data-testid=weekly-action-open]").first).to_contain_text("Overdue")
    assert_no_horizontal_overflow(page)
    screenshot(page, "weekly-01-desktop")

    # The week before: the criterion was still failing, the decisions were not taken yet.
    page.click("[data-testid=weekly-previous]")
    page.wait_for_url(re.compile(r"\?week=\d{4}-\d{2}-\d{2}$"))
    previous = monday - datetime.timedelta(days=7)
    assert page.url.endswith(f"?week={previous.isoformat()}")
    expect(page.locator("[data-testid=weekly-criterion]").nth(0)).to_have_attribute(
        "data-status", "failing")
    expect(page.locator("[data-testid=weekly-decision]")).to_have_count(0)
    page.click("[data-testid=weekly-next]")
    page.wait_for_url(re.compile(rf"\?week={monday.isoformat()}$"))

    # The PDF of the week.
    with page.expect_download() as download:
        page.click("[data-testid=weekly-pdf]")
    assert download.value.suggested_filename == f"POC-{poc.pk}-weekly-{monday.isoformat()}.pdf"

    # Sending: nobody checked is refused under the field, then the sponsor gets it.
    page.click("[data-testid=weekly-send-open]")
    send = page.locator("[data-testid=weekly-send]")
    expect(send).to_be_visible()
    expect(send.locator("#weekly-customer-" + str(weekly_setup["sponsor"].pk))).to_be_enabled()
    expect(send).to_contain_text("No e-mail address")  # the technician has none
    send.locator("textarea[name=message]").fill("The luminaires are in: first readings pass.")
    send.locator("[data-testid=weekly-send-submit]").click()
    expect(page.locator("[data-testid=weekly-recipient-error]")).to_have_text(
        "Choose at least one recipient.")
    expect(send.locator("textarea[name=message]")).to_have_value(
        "The luminaires are in: first readings pass.")
    screenshot(page, "weekly-02-send-refused")
    send.locator(f"#weekly-customer-{weekly_setup['sponsor'].pk}").check()
    send.locator("[data-testid=weekly-send-submit]").click()
    page.wait_for_url(re.compile(rf"/weekly/\?week={monday.isoformat()}$"))
    expect(page.locator(".alert-success")).to_contain_text("Weekly report sent to Dana Sponsor")
    assert [message.to for message in mail.outbox] == [["Dana Sponsor <dana@museum.example>"]]
    assert mail.outbox[0].attachments[0][0] == f"POC-{poc.pk}-weekly-{monday.isoformat()}.pdf"

    # On a phone: one column, nothing wider than the screen.
    phone_context = browser.new_context(viewport=PHONE, locale="en-GB", reduced_motion="reduce")
    phone = phone_context.new_page()
    log_in(phone, base, "claire")
    phone.goto(url)
    expect(phone.locator("[data-testid=weekly-criterion]")).to_have_count(3)
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "weekly-03-phone")
    phone.click("[data-testid=weekly-send-open]")
    expect(phone.locator("[data-testid=weekly-send]")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "weekly-04-phone-send")
    phone_context.close()
