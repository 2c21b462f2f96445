"""Governance in a real browser: the warnings of a POC whose sponsor skips the steering
meetings and whose weekly sync is late; a meeting recorded with its attendance and an action
item, and the warnings change; the action item closed in place; on a laptop and on a phone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pocdesk.governance.models import ActionItem, Meeting
from pocdesk.governance.services import meeting_create
from pocdesk.people.models import Profile, Role
from pocdesk.stakeholders.models import Stakeholder

from ..factories import (
    AccountFactory,
    MembershipFactory,
    OpportunityFactory,
    POCFactory,
    TeamFactory,
    UserFactory,
)
from .conftest import PASSWORD, PHONE, SCREENSHOTS, assert_no_horizontal_overflow, log_in

pytestmark = pytest.mark.e2e


def _codes(page):
    return page.locator("[data-testid=governance-warnings] [data-testid=warning]"
                        ).evaluate_all("nodes => nodes.map(n => n.dataset.code)")


@pytest.fixture
def governance_setup(transactional_db, live_server):
    today = timezone.localdate()
    team = TeamFactory(name="Heritage lighting", slug="heritage")
    engineer = UserFactory(username="claire", password=PASSWORD)
    Profile.objects.filter(user=engineer).update(display_name="Claire Martin")
    MembershipFactory(team=team, user=engineer, role=Role.PRESALES_ENGINEER)
    colleague = UserFactory(username="hugo")
    Profile.objects.filter(user=colleague).update(display_name="Hugo Lefèvre")
    MembershipFactory(team=team, user=colleague, role=Role.ACCOUNT_EXECUTIVE)
    account = AccountFactory(team=team, name="Musée des Arts", industry="Museums")
    opportunity = OpportunityFactory(account=account, owner=engineer, name="Gallery retrofit")
    poc = POCFactory(opportunity=opportunity, owner=engineer, title="LED retrofit of gallery 3",
                     status="running", start_date=today - datetime.timedelta(days=30),
                     end_date=today + datetime.timedelta(days=30))

    def person(name, title, role):
        return Stakeholder.objects.create(team=team, account=account, opportunity=opportunity,
                                          name=name, title=title, side="customer", role=role)

    sponsor = person("Dana Sponsor", "Director of collections", "executive_sponsor")
    champion = person("Luc Technicien", "Head of facilities", "champion")
    person("Inès Conservatrice", "Curator, gallery 3", "business_user")
    # Two steering meetings without the sponsor, and the last weekly sync 12 days ago.
    for days in (24, 3):
        meeting_create(actor=engineer, poc=poc, meeting_type="steering",
                       date=today - datetime.timedelta(days=days), attendees=[champion],
                       absent=[sponsor], vendor_attendees=[engineer],
                       decisions="Keep the current dimming curve\nTest gallery 3 at night")
    meeting_create(actor=engineer, poc=poc, meeting_type="weekly_sync",
                   date=today - datetime.timedelta(days=12), attendees=[champion])
    return {"poc": poc, "engineer": engineer, "sponsor": sponsor, "champion": champion,
            "today": today, "base": live_server.url,
            "url": f"{live_server.url}/pocs/{poc.pk}/governance/"}


def test_a_meeting_is_recorded_and_the_warnings_change(governance_setup, page, browser,
                                                       screenshot):
    setup = governance_setup
    poc, base, today = setup["poc"], setup["base"], setup["today"]
    log_in(page, base, "claire")

    # The POC page's card says what is wrong.
    page.goto(f"{base}/pocs/{poc.pk}/")
    card = page.locator("[data-testid=governance-card]")
    expect(card.locator("[data-code=sponsor_missed_steering]")).to_be_visible()
    expect(card.locator("[data-code=weekly_sync_overdue]")).to_be_visible()
    expect(card.locator("[data-testid=governance-card-weekly_sync]")).to_contain_text("days ago)")
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(SCREENSHOTS / "governance-00-poc-card.png"))
    card.locator("[data-testid=governance-open]").click()
    page.wait_for_url(setup["url"])
    assert _codes(page) == ["sponsor_missed_steering", "weekly_sync_overdue",
                            "single_customer_contact"]
    expect(page.locator("[data-code=sponsor_missed_steering]")).to_contain_text(
        "The executive sponsor (Dana Sponsor) missed the last two steering meetings")
    screenshot(page, "governance-01-warnings")

    # A weekly sync dated tomorrow cannot be recorded as held: the date field says so.
    page.click("[data-testid=record-meeting-jump]")
    form = page.locator("[data-testid=meeting-form]")
    expect(form).to_be_visible()
    form.locator("#id_meeting_date").fill((today + datetime.timedelta(days=1)).isoformat())
    form.locator("[data-testid=meeting-save]").click()
    expect(page.locator("#id_meeting_date_errors")).to_contain_text(
        "A held meeting cannot be dated in the future")
    assert Meeting.objects.filter(poc=poc).count() == 3
    screenshot(page, "governance-02-error")

    # Today's weekly sync: the technician and the curator came, the sponsor did not; one
    # action item for the curator, due yesterday already.
    form = page.locator("[data-testid=meeting-form]")
    form.locator("#id_meeting_date").fill(today.isoformat())
    form.locator("#id_meeting_title").fill("Night test debrief")
    rows = form.locator("[data-testid=attendance-row]")
    rows.filter(has_text="Luc Technicien").get_by_text("Attended").click()
    rows.filter(has_text="Inès Conservatrice").get_by_text("Attended").click()
    rows.filter(has_text="Dana Sponsor").get_by_text("Absent").click()
    form.get_by_label("Claire Martin").check()
    form.locator("#id_meeting_decisions").fill("Keep 2700 K\nOrder two spare drivers")
    form.locator("#id_meeting_action_0_text").fill("Send the night-test photos")
    form.locator("#id_meeting_action_0_owner").select_option(
        label="Inès Conservatrice · Curator, gallery 3")
    form.locator("#id_meeting_action_0_due_on").fill(
        (today - datetime.timedelta(days=1)).isoformat())
    form.locator("[data-testid=meeting-save]").click()
    page.wait_for_url(re.compile(r"/governance/#meeting-\d+$"))

    meeting = Meeting.objects.get(poc=poc, title="Night test debrief")
    article = page.locator(f"#meeting-{meeting.pk}")
    expect(article.locator("[data-testid=attended]")).to_have_count(2)
    expect(article.locator("[data-testid=absent]")).to_contain_text("Dana Sponsor")
    expect(article.locator("[data-testid=meeting-decisions] li")).to_have_count(2)
    # The sync is no longer late and two customers are engaged; the action item is overdue.
    assert _codes(page) == ["sponsor_missed_steering", "action_items_overdue"]
    item = ActionItem.objects.get(poc=poc)
    row = page.locator(f"#action-{item.pk}")
    expect(row).to_have_attribute("data-overdue", "true")
    screenshot(page, "governance-03-recorded")

    # The curator sent the photos: done, in place, and the warning goes.
    row.locator("[data-testid=action-done]").click()
    expect(page.locator(f"#action-{item.pk}")).to_have_attribute("data-status", "done")
    expect(page.locator("[data-code=action_items_overdue]")).to_have_count(0)
    expect(page.locator("[data-testid=action-counts]")).to_have_attribute("data-open", "0")
    expect(page.locator(f"#meeting-action-{item.pk} [data-testid=meeting-action-status]")
           ).to_have_text("Done")
    assert _codes(page) == ["sponsor_missed_steering"]
    item.refresh_from_db()
    assert item.status == "done"
    screenshot(page, "governance-04-action-done")

    # The next steering meeting is planned; once held with the sponsor, the danger is gone.
    planned = meeting_create(actor=setup["engineer"], poc=poc, meeting_type="steering",
                             status="planned", date=today, attendees=[setup["sponsor"]])
    page.goto(setup["url"])
    page.locator(f"#meeting-{planned.pk} [data-testid=meeting-edit]").click()
    edit = page.locator("[data-testid=meeting-edit-form]")
    edit.locator(f"#id_meeting{planned.pk}_status").select_option("held")
    edit.locator("[data-testid=attendance-row]").filter(has_text="Dana Sponsor").get_by_text(
        "Attended").click()
    screenshot(page, "governance-08-edit-planned")
    edit.locator("[data-testid=meeting-edit-save]").click()
    page.wait_for_url(re.compile(rf"/governance/#meeting-{planned.pk}$"))
    expect(page.locator("[data-testid=no-warnings]")).to_be_visible()
    assert _codes(page) == []

    # On a phone.
    phone = browser.new_context(viewport=PHONE, locale="en-GB", reduced_motion="reduce",
                                is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    log_in(mobile, base, "claire")
    mobile.goto(setup["url"])
    expect(mobile.locator("[data-testid=action-items-table]")).to_be_visible()
    screenshot(mobile, "governance-05-phone")
    assert_no_horizontal_overflow(mobile)
    mobile.click("[data-testid=record-meeting-jump]")
    expect(mobile.locator("[data-testid=meeting-form]")).to_be_visible()
    mobile.locator("[data-testid=meeting-record]").screenshot(
        path=str(SCREENSHOTS / "governance-06-phone-form.png"))
    assert_no_horizontal_overflow(mobile)
    mobile.goto(f"{base}/pocs/{poc.pk}/")
    mobile.locator("[data-testid=governance-card]").screenshot(
        path=str(SCREENSHOTS / "governance-07-phone-card.png"))
    phone.close()
