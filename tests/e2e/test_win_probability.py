"""Win probability in a real browser: an engineer records an assessment after a demo, has the
deal scored and reads its factors, sets the probability by hand, then a manager opens the
priorities page with its charts; both pages fit a phone."""

import pytest
from playwright.sync_api import expect

from pocdesk.opportunities.models import Stage
from pocdesk.people.models import Profile, Role

from ..factories import (
    AccountFactory,
    MembershipFactory,
    OpportunityFactory,
    TeamFactory,
    UserFactory,
)
from .conftest import PASSWORD, PHONE, assert_no_horizontal_overflow, log_in

pytestmark = pytest.mark.e2e


def _settled(page):
    """The charts redraw at the new width a moment after the viewport changes."""
    page.wait_for_function("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def deals(transactional_db, live_server):
    team = TeamFactory(name="Mining", slug="mining")
    engineer = UserFactory(username="claire", password=PASSWORD)
    Profile.objects.filter(user=engineer).update(display_name="Claire Martin")
    MembershipFactory(team=team, user=engineer, role=Role.PRESALES_ENGINEER)
    manager = UserFactory(username="marc", password=PASSWORD)
    MembershipFactory(team=team, user=manager, role=Role.MANAGER)
    utilities = AccountFactory(team=team, name="Northern Grid", industry="Utilities")
    retail = AccountFactory(team=team, name="ShopCo", industry="Retail")
    for number in range(15):
        OpportunityFactory(team=team, account=utilities, owner=engineer,
                           stage=Stage.CLOSED_WON if number < 12 else Stage.CLOSED_LOST)
        OpportunityFactory(team=team, account=retail, owner=engineer,
                           stage=Stage.CLOSED_LOST if number < 12 else Stage.CLOSED_WON)
    good = OpportunityFactory(team=team, account=utilities, owner=engineer,
                              name="Substation monitoring", stage=Stage.EVALUATION)
    OpportunityFactory(team=team, account=retail, owner=engineer, name="Store lighting",
                       stage=Stage.PROPOSAL)
    return {"good": good}


def test_assess_score_override_and_prioritise(page, live_server, deals, screenshot):
    base = live_server.url
    log_in(page, base, "claire")
    page.goto(f"{base}/opportunities/{deals['good'].pk}/")

    form = page.get_by_test_id("assessment-form")
    form.locator("[name=activity]").select_option("demo")
    form.locator("[name=probability]").fill("65")
    form.locator("[name=rationale]").fill("The plant manager saw the demo and asked for a quote.")
    form.get_by_test_id("assessment-submit").click()
    expect(page.get_by_test_id("assessment-latest-probability")).to_contain_text("65")
    expect(page.get_by_test_id("assessment-row")).to_have_count(1)

    page.get_by_test_id("win-score-refresh").click()
    factors = page.get_by_test_id("win-score-factors")
    expect(factors).to_contain_text("Industry is “Utilities”: raises the chance by")
    expect(page.get_by_test_id("win-score-probability")).to_be_visible()
    page.get_by_test_id("win-score").scroll_into_view_if_needed()
    screenshot(page, "win-probability-01-scored")

    page.get_by_text("Set the probability by hand").click()
    override = page.get_by_test_id("win-score-override-form")
    override.locator("[name=override_probability]").fill("40")
    override.locator("[name=override_reason]").fill("Their budget was cut last week.")
    page.get_by_test_id("win-score-override").click()
    expect(page.get_by_test_id("win-score-overridden")).to_be_visible()
    expect(page.get_by_test_id("win-score-probability")).to_contain_text("40")
    expect(page.get_by_test_id("win-score-reason")).to_contain_text("budget was cut")
    screenshot(page, "win-probability-02-overridden")
    page.set_viewport_size(PHONE)
    page.reload()
    _settled(page)
    assert_no_horizontal_overflow(page)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, base, "marc")
    page.get_by_role("link", name="Priorities").click()
    page.wait_for_url(f"{base}/priorities/")
    rows = page.get_by_test_id("priority-row")
    expect(rows.first).to_contain_text("Substation monitoring")
    expect(page.get_by_test_id("badge-overridden")).to_be_visible()
    expect(page.get_by_test_id("badge-not-scored")).to_have_count(0)
    expect(page.get_by_test_id("priorities-chart").first).to_be_visible()
    screenshot(page, "win-probability-03-priorities")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/priorities/")
    _settled(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, "win-probability-04-priorities-phone")
