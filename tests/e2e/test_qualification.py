"""The qualification gate in a real browser: refused, fixed item by item, then qualified."""

import re

import pytest
from playwright.sync_api import expect

from pocdesk.people.models import Profile, Role
from pocdesk.pocs.models import POC

from ..factories import (
    AccountFactory,
    MembershipFactory,
    OpportunityFactory,
    POCFactory,
    TeamFactory,
    UserFactory,
)
from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def _check(page, code):
    return page.locator(f"[data-testid=qualification-checks] [data-check={code}]")


def test_a_poc_refused_at_the_gate_is_fixed_through_the_pages_until_it_qualifies(
        transactional_db, live_server, page, screenshot):
    team = TeamFactory(name="East lighting", slug="east-lighting", reporting_currency="EUR")
    user = UserFactory(username="mei", password=PASSWORD)
    Profile.objects.filter(user=user).update(display_name="Mei Chen")
    MembershipFactory(team=team, user=user, role=Role.MANAGER)
    account = AccountFactory(team=team, name="Shanghai Metro")
    opportunity = OpportunityFactory(account=account, owner=user, name="Tunnel lighting")
    poc = POCFactory(opportunity=opportunity, owner=user, title="Platform lighting pilot")
    base = live_server.url
    poc_url = f"{base}/pocs/{poc.pk}/"
    log_in(page, base, "mei")

    # Refused: the page lists what the gate misses.
    page.goto(poc_url)
    page.click("[data-testid=transition-qualified]")
    refusal = page.locator("[data-testid=transition-refused]")
    expect(refusal).to_contain_text("No documented purchasing process")
    expect(refusal).to_contain_text("The customer has not confirmed a budget")
    expect(page.locator("[data-testid=qualification-verdict]")).to_be_visible()
    assert POC.objects.get(pk=poc.pk).status == "draft"
    screenshot(page, "q-01-refused")

    # Purchasing process, reference and who confirmed the budget: the opportunity's form.
    page.click("[data-testid=qualification-missing] a[data-fix=qualification] >> nth=0")
    page.wait_for_url(re.compile(r"/opportunities/\d+/edit/#qualification$"))
    page.select_option("[name=purchase_process]", "tender")
    page.fill("[name=purchase_reference]", "SHM-2031-017")
    page.check("[name=budget_confirmed]")
    page.fill("[name=budget_confirmed_by]", "Wang Li, CFO")
    screenshot(page, "q-02-qualification-form")
    page.click("form.form-card button[type=submit]")
    page.wait_for_url(re.compile(r"/opportunities/\d+/(#\w*)?$"))
    expect(page.locator("[data-testid=purchase-process]")).to_contain_text("SHM-2031-017")

    # An executive sponsor in the decision chain.
    page.goto(poc_url)
    expect(_check(page, "purchase_process")).to_have_attribute("data-status", "passed")
    expect(_check(page, "budget_confirmed")).to_have_attribute("data-status", "passed")
    page.click("[data-testid=qualification-missing] a[data-fix=stakeholders] >> nth=0")
    page.wait_for_url(re.compile(r"/stakeholders/new/\?opportunity=\d+$"))
    page.fill("[name=name]", "Zhang Wei")
    page.fill("[name=title]", "Chief operating officer")
    page.select_option("[name=role]", "executive_sponsor")
    page.select_option("[name=influence]", "high")
    page.select_option("[name=attitude]", "supporter")
    page.click("form.form-card button[type=submit]")
    page.wait_for_url(re.compile(r"/opportunities/\d+/(#\w*)?$"))
    sponsor_box = page.locator("[data-testid=chain-box]", has_text="Zhang Wei")
    expect(sponsor_box).to_have_attribute("data-attitude", "supporter")
    # …with a skeptical engineer reporting to the sponsor, to see the chain's branches.
    page.click("[data-testid=add-stakeholder]")
    page.fill("[name=name]", "Liu Yang")
    page.fill("[name=title]", "Head of maintenance")
    page.select_option("[name=role]", "technical_evaluator")
    page.select_option("[name=attitude]", "skeptic")
    page.select_option("[name=influence]", "high")
    page.select_option("[name=reports_to]", label="Zhang Wei · Chief operating officer")
    page.click("form.form-card button[type=submit]")
    page.wait_for_url(re.compile(r"/opportunities/\d+/(#\w*)?$"))
    expect(page.locator("[data-testid=decision-chain] .chain-children")).to_contain_text("Liu Yang")
    page.locator("[data-testid=decision-chain]").screenshot(path=str(_path("q-chain")))
    screenshot(page, "q-03-opportunity")

    # Their engagement in the POC.
    page.goto(poc_url)
    expect(_check(page, "executive_sponsor")).to_contain_text("has not met or acknowledged")
    page.select_option("#engagement [name=stakeholder]", label="Zhang Wei · Chief operating officer")
    page.select_option("#engagement [name=kind]", "meeting")
    page.fill("#engagement [name=note]", "Steering committee kick-off")
    page.click("[data-testid=engagement-submit]")
    page.wait_for_url(re.compile(r"/pocs/\d+/#engagement$"))
    expect(page.locator("[data-testid=engagements]")).to_contain_text("Zhang Wei")
    expect(_check(page, "executive_sponsor")).to_have_attribute("data-status", "passed")

    # Commitment level 1 with its reference: the level-3 fields stay hidden.
    page.click("[data-testid=commitment-edit]")
    page.select_option("[name=commitment_level]", "1")
    expect(page.locator("[name=commitment_reference]")).to_be_visible()
    expect(page.locator("[name=conditional_po_reference]")).to_be_hidden()
    page.fill("[name=commitment_reference]", "Collaboration letter CL-2031-04")
    page.click("[data-testid=commitment-submit]")
    page.wait_for_url(re.compile(r"/pocs/\d+/#commitment$"))
    expect(page.locator(".commitment-badge").first).to_have_attribute("data-level", "1")

    # The success criteria: the panel sends to the plan page, where the first one is written.
    expect(_check(page, "success_criteria")).to_have_attribute("data-status", "failed")
    page.click("[data-testid=qualification-missing] a[data-fix=criteria]")
    page.wait_for_url(re.compile(r"/pocs/\d+/plan/#criteria$"))
    page.click("[data-testid=criterion-add]")
    page.fill("[name=title]", "Platform illuminance")
    page.select_option("[name=comparator]", "gte")
    page.fill("[name=metric]", "average illuminance at floor level")
    page.fill("[name=unit]", "lx")
    page.fill("[name=target_value]", "300")
    page.fill("[name=measurement_method]", "Calibrated lux meter, 20-point grid per platform")
    page.check("[name=must_have]")
    page.click("[data-testid=criterion-save]")
    page.wait_for_url(re.compile(r"/pocs/\d+/plan/#criterion-\d+$"))
    expect(page.locator("[data-testid=criteria-table]")).to_contain_text("≥ 300 lx")
    page.goto(poc_url)
    expect(_check(page, "success_criteria")).to_have_attribute("data-status", "passed")
    expect(page.locator("[data-testid=qualification-panel] [data-status=failed]")
           .filter(has=page.locator(".text-bg-dark"))).to_have_count(0)
    page.locator("[data-testid=score-breakdown] summary").click()
    screenshot(page, "q-04-panel-en")

    # Qualified now.
    page.click("[data-testid=transition-qualified]")
    page.wait_for_url(poc_url)
    expect(page.locator(".status-badge").first).to_have_attribute("data-status", "qualified")
    assert POC.objects.get(pk=poc.pk).status == "qualified"

    # The same panel in Chinese.
    page.click("[data-testid=language-menu]")
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator("[data-testid=qualification-panel]").scroll_into_view_if_needed()
    screenshot(page, "q-05-panel-zh")
    page.goto(f"{base}/opportunities/{opportunity.pk}/")
    page.locator("[data-testid=decision-chain]").screenshot(path=str(_path("q-chain-zh")))
    page.emulate_media(media="print")
    screenshot(page, "q-06-chain-print")


def _path(name):
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
