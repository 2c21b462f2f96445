"""The portfolio in a real browser: a manager opens it, sees the headline figures and the four
charts drawn, filters by owner, and the page fits a laptop and a phone."""

import pytest
from playwright.sync_api import expect

from pocdesk.people.models import Profile, Role

from ..factories import MembershipFactory, TeamFactory, UserFactory
from ..reports.test_portfolio import build_portfolio
from .conftest import PASSWORD, PHONE, assert_no_horizontal_overflow, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def portfolio_setup(transactional_db, live_server):
    from pocdesk.results.defaults import REASONS
    from pocdesk.results.models import LossReason

    for position, (code, english, chinese, french) in enumerate(REASONS):  # flushed by e2e
        LossReason.objects.get_or_create(code=code, defaults={
            "label_en": english, "label_zh_hans": chinese, "label_fr": french,
            "position": position})
    team = TeamFactory(name="Lighting", slug="lighting")
    other_team = TeamFactory(name="Mining", slug="mining")
    engineer = UserFactory(username="claire", password=PASSWORD)
    Profile.objects.filter(user=engineer).update(display_name="Claire Martin")
    MembershipFactory(team=team, user=engineer, role=Role.PRESALES_ENGINEER)
    manager = UserFactory(username="marc", password=PASSWORD)
    MembershipFactory(team=team, user=manager, role=Role.MANAGER)
    outsider = UserFactory(username="olga", password=PASSWORD)
    MembershipFactory(team=other_team, user=outsider, role=Role.MANAGER)
    build_portfolio(team=team, other_team=other_team, engineer=engineer, outsider=outsider)
    return {"engineer": engineer, "manager": manager}


def test_a_manager_opens_the_portfolio(page, live_server, portfolio_setup, screenshot):
    base = live_server.url
    log_in(page, base, "marc")

    page.get_by_role("link", name="Portfolio").click()
    page.wait_for_url(f"{base}/portfolio/")
    expect(page.get_by_test_id("kpi-open")).to_have_text("3")
    expect(page.get_by_test_id("kpi-conversion")).to_contain_text("33.3")
    expect(page.get_by_test_id("kpi-cost-warning")).to_be_visible()
    charts = page.get_by_test_id("portfolio-chart")
    expect(charts).to_have_count(4)
    page.wait_for_function("() => window.Chart && document.querySelectorAll("
                           "'[data-testid=portfolio-chart]').length === 4 && "
                           "[...document.querySelectorAll('[data-testid=portfolio-chart]')]"
                           ".every(c => window.Chart.getChart(c))")
    expect(page.get_by_test_id("portfolio-table-owner")).to_contain_text("Claire Martin")
    assert "Mining" not in page.content()
    assert_no_horizontal_overflow(page)
    screenshot(page, "portfolio-laptop")

    page.select_option("#id_owner", label="Claire Martin")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(f"{base}/portfolio/?*owner=*")
    expect(page.get_by_test_id("kpi-open")).to_have_text("3")
    with page.expect_download() as download:
        page.get_by_test_id("portfolio-export-csv").click()
    assert download.value.suggested_filename.startswith("portfolio-")

    page.set_viewport_size(PHONE)
    page.goto(f"{base}/portfolio/")
    expect(charts).to_have_count(4)
    assert_no_horizontal_overflow(page)
    screenshot(page, "portfolio-phone")
