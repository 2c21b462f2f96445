"""Scope changes and commitments in a real browser: requests recorded and decided while the
scope-creep gauge moves, paid scope left to the manager, an overdue promise impossible to miss;
on a laptop, on a phone and in French."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pocdesk.people.models import Profile, Role
from pocdesk.scope.models import Commitment, ScopeChange
from pocdesk.scope.services import commitment_create
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


@pytest.fixture
def scope_setup(transactional_db, live_server):
    team = TeamFactory(name="Heritage lighting", slug="heritage", reporting_currency="EUR")
    engineer = UserFactory(username="claire", password=PASSWORD)
    Profile.objects.filter(user=engineer).update(display_name="Claire Martin",
                                                 time_zone="Europe/Paris")
    MembershipFactory(team=team, user=engineer, role=Role.PRESALES_ENGINEER)
    manager = UserFactory(username="marc", password=PASSWORD)
    Profile.objects.filter(user=manager).update(display_name="Marc Dubois",
                                                time_zone="Europe/Paris")
    MembershipFactory(team=team, user=manager, role=Role.MANAGER)
    account = AccountFactory(team=team, name="Musée des Arts", industry="Museums")
    opportunity = OpportunityFactory(account=account, owner=engineer, name="Gallery retrofit")
    poc = POCFactory(opportunity=opportunity, owner=engineer, title="LED retrofit of gallery 3",
                     status="running", planned_effort_hours=Decimal("100"))
    sponsor = Stakeholder.objects.create(
        team=team, account=account, opportunity=opportunity, name="Dana Sponsor",
        title="Head of conservation", side="customer", role="executive_sponsor")
    Stakeholder.objects.create(team=team, account=account, opportunity=opportunity,
                               name="Luc Technicien", title="Facilities", side="customer",
                               role="technical_evaluator")
    return {"poc": poc, "engineer": engineer, "manager": manager, "sponsor": sponsor,
            "base": live_server.url, "scope": f"{live_server.url}/pocs/{poc.pk}/scope/"}


def _record(page, *, text, requester, hours, change_class):
    record = page.locator("[data-testid=change-record]")
    if record.get_attribute("open") is None:
        record.locator("summary").click()
    page.fill("#id_change_text", text)
    page.select_option("#id_change_requested_by", label=requester)
    page.fill("#id_change_effort_hours", hours)
    page.check(f"input[name=change_class][value={change_class}]")
    page.click("[data-testid=change-save]")
    page.wait_for_url(re.compile(r"/scope/#change-\d+$"))


def _decide_row(page, change):
    row = page.locator(f"#change-{change.pk}")
    decide = row.locator("xpath=following-sibling::tr[1]").locator("[data-testid=decide]")
    if decide.get_attribute("open") is None:
        decide.locator("summary").click()
    return decide


def test_scope_changes_are_decided_while_the_creep_gauge_moves_and_promises_are_followed(
        scope_setup, page, browser, screenshot):
    poc, base, scope_url = scope_setup["poc"], scope_setup["base"], scope_setup["scope"]
    # A promise from last week that nobody answered: due two days ago.
    now = timezone.now()
    overdue = commitment_create(
        actor=scope_setup["engineer"], poc=poc, text="Send the photometric files of the "
        "prototype luminaire", made_to=scope_setup["sponsor"], category="risky",
        preconditions="The photometry lab is free this week",
        made_at=now - datetime.timedelta(days=4), due_at=now - datetime.timedelta(days=2,
                                                                                  hours=1))
    log_in(page, base, "claire")

    # From the POC page's card to the scope page.
    page.goto(f"{base}/pocs/{poc.pk}/")
    card = page.locator("[data-testid=scope-card]")
    expect(card.locator("[data-testid=scope-card-overdue]")).to_contain_text("1 overdue")
    card.locator("[data-testid=scope-open]").click()
    page.wait_for_url(scope_url)
    gauge = page.locator("[data-testid=creep-card] [data-testid=scope-creep]")
    expect(gauge).to_have_attribute("data-share", "0")
    expect(page.locator("[data-testid=changes-empty]")).to_be_visible()
    expect(page.locator("[data-testid=change-form]")).to_be_visible()  # open when empty
    screenshot(page, "scope-00-record-form")

    # A small request, accepted inside the POC: 15 h of the 100 h planned.
    _record(page, text="Add a warm-dim curve to the DALI drivers", requester="Dana Sponsor · "
            "Head of conservation", hours="15", change_class="minor_adjustment")
    change = ScopeChange.objects.get(poc=poc)
    expect(page.locator(f"#change-{change.pk}")).to_have_attribute("data-decision", "pending")
    decide = _decide_row(page, change)
    decide.locator("select[name=decision]").select_option("accepted")
    decide.locator("[data-testid=decide-save]").click()
    page.wait_for_url(re.compile(rf"/scope/#change-{change.pk}$"))
    expect(page.locator(f"#change-{change.pk}")).to_have_attribute("data-decision", "accepted")
    expect(gauge).to_have_attribute("data-share", "15")
    expect(gauge.locator("[data-testid=creep-hours]")).to_contain_text(
        "15 h accepted of 100 h planned")

    # A custom connector is paid scope: the engineer cannot accept it, only quote it…
    _record(page, text="Connector to the museum's own ticketing system",
            requester="Luc Technicien · Facilities", hours="12",
            change_class="specific_development")
    paid = ScopeChange.objects.get(poc=poc, change_class="specific_development")
    decide = _decide_row(page, paid)
    expect(decide.locator("option[value=accepted]")).to_be_disabled()
    expect(decide).to_contain_text("Only a manager accepts a specific development")
    decide.locator("select[name=decision]").select_option("quoted")
    decide.locator("[data-testid=decide-save]").click()
    decide = _decide_row(page, paid)
    expect(page.locator(f"#id_change{paid.pk}_quote_amount_errors")).to_contain_text(
        "needs the quoted amount")
    screenshot(page, "scope-01-quote-needs-amount")
    decide.locator("input[name=quote_amount]").fill("9600")
    decide.locator("[data-testid=decide-save]").click()
    page.wait_for_url(re.compile(rf"/scope/#change-{paid.pk}$"))
    expect(page.locator(f"#change-{paid.pk}")).to_contain_text("9,600.00")
    expect(gauge).to_have_attribute("data-share", "15")  # quoted is not accepted yet

    # An evolution goes to the post-signature roadmap, not into the POC.
    _record(page, text="Visitor-counting heat map for the curators",
            requester="Dana Sponsor · Head of conservation", hours="60",
            change_class="evolution")
    expect(page.locator("[data-testid=roadmap-item]")).to_have_count(1)
    expect(page.locator("[data-testid=roadmap-list]")).to_contain_text("heat map")
    expect(gauge).to_have_attribute("data-share", "15")

    # The manager accepts the quoted development: 27 % is above the team's 20 % threshold.
    manager_context = browser.new_context(viewport={"width": 1280, "height": 800},
                                          locale="en-GB", reduced_motion="reduce")
    manager = manager_context.new_page()
    log_in(manager, base, "marc")
    manager.goto(scope_url)
    decide = _decide_row(manager, paid)
    expect(decide.locator("input[name=override]")).to_be_visible()
    decide.locator("select[name=decision]").select_option("accepted")
    decide.locator("textarea[name=note]").fill("Quote accepted by the museum's procurement")
    decide.locator("[data-testid=decide-save]").click()
    manager.wait_for_url(re.compile(rf"/scope/#change-{paid.pk}$"))
    manager_gauge = manager.locator("[data-testid=creep-card] [data-testid=scope-creep]")
    expect(manager_gauge).to_have_attribute("data-share", "27")
    expect(manager_gauge.locator("[data-testid=creep-warning]")).to_be_visible()

    # Weekend support without any budget: refused, unless the manager overrides with a reason.
    _record(manager, text="On-site support during the weekend opening",
            requester="Dana Sponsor · Head of conservation", hours="3",
            change_class="specific_development")
    weekend = ScopeChange.objects.get(poc=poc, text__startswith="On-site support")
    decide = _decide_row(manager, weekend)
    decide.locator("select[name=decision]").select_option("accepted")
    decide.locator("[data-testid=decide-save]").click()
    expect(manager.locator(f"#id_change{weekend.pk}_quote_amount_errors")).to_contain_text(
        "needs a quoted budget")
    decide = _decide_row(manager, weekend)
    decide.locator("input[name=override]").check()
    decide.locator("textarea[name=note]").fill("Opening night for the press: goodwill")
    decide.locator("[data-testid=decide-save]").click()
    manager.wait_for_url(re.compile(rf"/scope/#change-{weekend.pk}$"))
    expect(manager.locator(f"#change-{weekend.pk} [data-testid=override-badge]")).to_be_visible()
    expect(manager_gauge).to_have_attribute("data-share", "30")
    screenshot(manager, "scope-02-manager-override")
    manager_context.close()

    page.goto(scope_url)
    expect(gauge).to_have_attribute("data-over", "true")
    expect(page.locator("[data-testid=tab-changes] .bi-exclamation-triangle-fill")).to_be_visible()
    screenshot(page, "scope-03-changes")

    # Commitments: the overdue one is red and says by how long.
    page.click("[data-testid=tab-commitments]")
    row = page.locator(f"#commitment-{overdue.pk}")
    expect(row).to_have_class(re.compile(r"\boverdue\b"))
    expect(row.locator("[data-testid=overdue-by]")).to_contain_text("overdue by 2 days")
    expect(page.locator("[data-testid=overdue-alert]")).to_be_visible()

    # A risky promise without its preconditions is refused, then registered.
    page.locator("[data-testid=commitment-record] summary").click()
    form = page.locator("[data-testid=commitment-form]")
    expect(form.locator("[data-field-row=preconditions]")).to_be_hidden()
    form.locator("#id_commitment_text").fill(
        "Dimming down to 1 % without flicker on the old circuits")
    form.locator("#id_commitment_made_to").select_option(label="Luc Technicien · Facilities")
    form.locator("input[name=category][value=risky]").check()
    expect(form.locator("[data-field-row=preconditions]")).to_be_visible()
    form.locator("[data-testid=commitment-save]").click()
    expect(page.locator("#id_commitment_preconditions_errors")).to_contain_text(
        "states its preconditions")
    assert Commitment.objects.filter(poc=poc).count() == 1
    page.fill("#id_commitment_preconditions", "Neutral wire present in every junction box")
    page.click("[data-testid=commitment-save]")
    page.wait_for_url(re.compile(r"/scope/\?tab=commitments#commitment-\d+$"))
    risky = Commitment.objects.get(poc=poc, category="risky", status="open",
                                   text__startswith="Dimming")
    expect(page.locator(f"#commitment-{risky.pk}")).to_have_attribute("data-overdue", "false")

    # An uncertain promise: due 24 hours later by default.
    page.locator("[data-testid=commitment-record] summary").click()
    page.fill("#id_commitment_text", "Tell whether the drivers support DALI-2")
    page.select_option("#id_commitment_made_to", label="Dana Sponsor · Head of conservation")
    page.click("[data-testid=commitment-save]")
    page.wait_for_url(re.compile(r"/scope/\?tab=commitments#commitment-\d+$"))
    uncertain = Commitment.objects.get(poc=poc, category="uncertain")
    assert datetime.timedelta(hours=23, minutes=58) < uncertain.due_at - uncertain.made_at \
        <= datetime.timedelta(hours=24)
    screenshot(page, "scope-04-commitments")

    # The overdue one was kept after all.
    resolve = page.locator(f"#commitment-{overdue.pk}").locator(
        "xpath=following-sibling::tr[1]").locator("[data-testid=resolve]")
    resolve.locator("summary").click()
    resolve.locator("textarea[name=note]").fill("Sent on Friday evening")
    resolve.locator("[data-testid=resolve-kept]").click()
    page.wait_for_url(re.compile(rf"/scope/\?tab=commitments#commitment-{overdue.pk}$"))
    expect(page.locator(f"#commitment-{overdue.pk}")).to_have_attribute("data-status", "kept")
    expect(page.locator("[data-testid=overdue-alert]")).to_have_count(0)

    # Back on the POC page: the card shows the creep above the threshold.
    page.goto(f"{base}/pocs/{poc.pk}/")
    card = page.locator("[data-testid=scope-card]")
    expect(card.locator("[data-testid=creep-warning]")).to_be_visible()
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(SCREENSHOTS / "scope-05-poc-card.png"))

    # On a phone, with a promise unanswered for 30 hours.
    commitment_create(actor=scope_setup["engineer"], poc=poc,
                      text="Confirm the colour rendering index of the new modules",
                      made_to=scope_setup["sponsor"], category="uncertain",
                      made_at=timezone.now() - datetime.timedelta(hours=30))
    phone = browser.new_context(viewport=PHONE, locale="en-GB", reduced_motion="reduce",
                                is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    log_in(mobile, base, "claire")
    mobile.goto(scope_url)
    expect(mobile.locator("[data-testid=changes-table]")).to_be_visible()
    screenshot(mobile, "scope-06-phone-changes")
    assert_no_horizontal_overflow(mobile)
    mobile.goto(f"{scope_url}?tab=commitments")
    expect(mobile.locator("[data-testid=tab-overdue]")).to_be_in_viewport()
    expect(mobile.locator("[data-testid=overdue-by]")).to_contain_text("overdue by 6 hours")
    mobile.locator("[data-testid=commitment-record] summary").click()
    screenshot(mobile, "scope-07-phone-commitments")
    assert_no_horizontal_overflow(mobile)
    phone.close()

    # In French.
    page.goto(scope_url)
    page.click("[data-testid=language-menu]")
    page.click("button[name=language][value=fr]")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    screenshot(page, "scope-08-fr")
    page.goto(f"{scope_url}?tab=commitments")
    expect(page.locator("[data-testid=commitments-table] .overdue")).to_have_count(1)
    screenshot(page, "scope-09-fr-commitments")
