"""The scope page (§7 scope changes, §8.4 commitments) and the POC page's scope card."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pocdesk.core.events import event_record
from pocdesk.people.models import Profile
from pocdesk.pocs.models import POC
from pocdesk.scope.models import Commitment, ScopeChange
from pocdesk.scope.services import (
    commitment_create,
    commitment_resolve,
    scope_change_create,
    scope_change_decide,
)
from pocdesk.stakeholders.models import Stakeholder

UTC = datetime.UTC
# 09:00 in Paris (UTC+1 in winter), the middle of a working day.
MONDAY = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def customer(poc):
    return Stakeholder.objects.create(
        team=poc.team, account=poc.opportunity.account, opportunity=poc.opportunity,
        name="Dana Sponsor", title="COO", side="customer", role="executive_sponsor")


@pytest.fixture
def vendor_person(poc):
    return Stakeholder.objects.create(
        team=poc.team, account=poc.opportunity.account, opportunity=poc.opportunity,
        name="Val Vendor", title="Partner", side="vendor", role="influencer")


@pytest.fixture
def planned(poc):
    POC.objects.filter(pk=poc.pk).update(planned_effort_hours=Decimal("100"))
    poc.refresh_from_db()
    return poc


def _scope(client, poc, tab=""):
    return client.get(reverse("web:poc_scope", args=[poc.pk]) + (f"?tab={tab}" if tab else ""))


def _section(page: str, testid: str) -> str:
    """The HTML from the element with `data-testid=testid` to the end of its table or list."""
    start = page.index(f'data-testid="{testid}"')
    ends = [page.find(end, start) for end in ("</table>", "</ul>", "</section>")]
    return page[start:min(end for end in ends if end != -1)]


def _change(poc, actor, customer, *, text="Add a DALI dimming curve", hours="8",
            change_class="minor_adjustment"):
    return scope_change_create(actor=actor, poc=poc, text=text, requested_by=customer,
                               effort_hours=Decimal(hours), change_class=change_class)


def _record(client, poc, **changes):
    data = {"text": "Export the readings to the customer's historian",
            "requested_on": timezone.localdate().isoformat(), "effort_hours": "12",
            "change_class": "minor_adjustment"}
    data.update(changes)
    return client.post(reverse("web:poc_scope_change_create", args=[poc.pk]), data)


def _decide(client, poc, change, **data):
    return client.post(reverse("web:poc_scope_change_decide", args=[poc.pk, change.pk]), data)


def _register(client, poc, **changes):
    data = {"text": "Confirm whether the gateway supports BACnet/SC", "category": "uncertain",
            "due_at": "", "preconditions": "", "scope_change": "", "feasibility": ""}
    data.update(changes)
    return client.post(reverse("web:poc_scope_commitment_create", args=[poc.pk]), data)


def _resolve(client, poc, commitment, **data):
    return client.post(reverse("web:poc_scope_commitment_resolve",
                               args=[poc.pk, commitment.pk]), data)


def _snapshot(poc):
    return {
        "changes": list(ScopeChange.objects.filter(poc=poc).values_list(
            "text", "decision", "quote_amount", "override", "decision_note")),
        "commitments": list(Commitment.objects.filter(poc=poc).values_list(
            "text", "status", "due_at")),
    }


# --- the page and who sees it ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["engineer", "sales", "manager", "admin"])
def test_every_role_of_the_team_sees_the_page_with_its_forms(client, actors, poc, customer,
                                                             role):
    client.force_login(actors[role])

    response = _scope(client, poc)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="change-form"' in page
    assert 'data-testid="commitment-form"' in page
    assert 'data-testid="creep-no-plan"' in page
    assert "Dana Sponsor · COO" in page  # the customer can be picked as the requester


def test_an_outsider_gets_a_404_and_cannot_post(client, outsider, poc, customer, engineer):
    change = _change(poc, engineer, customer)
    client.force_login(outsider)
    before = _snapshot(poc)

    assert _scope(client, poc).status_code == 404
    assert _record(client, poc, requested_by=customer.pk).status_code == 404
    assert _decide(client, poc, change, decision="accepted").status_code == 404
    assert _register(client, poc, made_to=customer.pk, made_by=outsider.pk).status_code == 404
    assert _snapshot(poc) == before


def test_anonymous_users_are_sent_to_log_in(client, poc):
    response = _scope(client, poc)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_closed_poc_shows_its_history_without_forms(client, engineer, poc, customer):
    _change(poc, engineer, customer)
    POC.objects.filter(pk=poc.pk).update(status="closed")
    client.force_login(engineer)

    page = _scope(client, poc).content.decode()

    assert "This POC is over" in page
    assert 'data-testid="change-form"' not in page
    assert 'data-testid="decide-form"' not in page
    assert 'data-testid="commitment-form"' not in page
    assert "Add a DALI dimming curve" in page


def test_every_id_on_the_page_is_unique(client, manager, poc, customer, engineer):
    for change_class in ("minor_adjustment", "specific_development"):
        _change(poc, engineer, customer, change_class=change_class)
    commitment_create(actor=engineer, poc=poc, text="Answer on BACnet/SC", made_to=customer,
                      category="uncertain")
    client.force_login(manager)

    page = _scope(client, poc).content.decode()

    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) > 50
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_the_requester_is_chosen_among_the_customer_people_of_the_deal(client, engineer, poc,
                                                                      customer, vendor_person):
    client.force_login(engineer)

    page = _scope(client, poc).content.decode()

    form = page[page.index('data-testid="change-form"'):page.index("</form>",
                                                                  page.index("change-form"))]
    assert "Dana Sponsor" in form
    assert "Val Vendor" not in form


# --- recording a request ---------------------------------------------------------------------


def test_a_request_is_recorded_and_awaits_a_decision(client, engineer, poc, customer):
    client.force_login(engineer)

    response = _record(client, poc, requested_by=customer.pk, effort_hours="12.5",
                       change_class="evolution")

    change = ScopeChange.objects.get(poc=poc)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:poc_scope", args=[poc.pk]) + \
        f"#change-{change.pk}"
    assert (change.text, change.requested_by, change.effort_hours, change.change_class,
            change.decision, change.recorded_by) == (
        "Export the readings to the customer's historian", customer, Decimal("12.5"),
        "evolution", "pending", engineer)
    page = _scope(client, poc).content.decode()
    row = page[page.index(f'id="change-{change.pk}"'):]
    assert "12.5 h" in row[:3000]
    assert 'data-decision="pending"' in row[:400]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"effort_hours": "-3"}, "effort_hours", "greater than or equal to 0"),
    ({"text": ""}, "text", "This field is required."),
    ({"change_class": ""}, "change_class", "This field is required."),
    ({"requested_on": "2099-01-01"}, "requested_on", "cannot be dated in the future"),
    ({"requested_by": "vendor"}, "requested_by", "Select a valid choice"),
])
def test_a_bad_request_is_refused_under_the_field_at_fault(client, engineer, poc, customer,
                                                           vendor_person, changes, field,
                                                           message):
    client.force_login(engineer)
    data = {"requested_by": customer.pk, **changes}
    if data["requested_by"] == "vendor":
        data["requested_by"] = vendor_person.pk

    response = _record(client, poc, **data)

    page = response.content.decode()
    assert response.status_code == 400
    errors = page[page.index(f'id="id_change_{field}_errors"'):]
    assert message in errors[:300]
    assert 'open data-testid="change-record"' in page
    assert not ScopeChange.objects.filter(poc=poc).exists()


# --- deciding --------------------------------------------------------------------------------


def test_a_quote_needs_its_amount(client, engineer, poc, customer):
    change = _change(poc, engineer, customer, change_class="specific_development")
    client.force_login(engineer)

    response = _decide(client, poc, change, decision="quoted", quote_amount="",
                       quote_currency="EUR", note="")

    page = response.content.decode()
    assert response.status_code == 400
    errors = page[page.index(f'id="id_change{change.pk}_quote_amount_errors"'):]
    assert "A quoted request needs the quoted amount." in errors[:300]
    change.refresh_from_db()
    assert change.decision == "pending"


def test_a_quote_is_recorded_with_its_amount_and_shown(client, engineer, poc, customer):
    change = _change(poc, engineer, customer, change_class="specific_development", hours="40")
    client.force_login(engineer)

    response = _decide(client, poc, change, decision="quoted", quote_amount="12000",
                       quote_currency="eur", note="Sent to procurement")

    assert response.status_code == 302
    change.refresh_from_db()
    assert (change.decision, change.quote_amount, change.quote_currency, change.decided_by) == (
        "quoted", Decimal("12000.00"), "EUR", engineer)
    row = _section(_scope(client, poc).content.decode(), "changes-table")
    assert "12,000.00&nbsp;<span class=\"currency\">EUR</span>" in row
    assert "Engineer" in row  # who decided


def test_a_manager_cannot_accept_a_specific_development_without_a_budget_or_override(
        client, manager, poc, customer, engineer):
    change = _change(poc, engineer, customer, change_class="specific_development", hours="30")
    client.force_login(manager)

    response = _decide(client, poc, change, decision="accepted", note="")

    page = response.content.decode()
    assert response.status_code == 400
    errors = page[page.index(f'id="id_change{change.pk}_quote_amount_errors"'):]
    assert "needs a quoted budget before it is accepted" in errors[:400]
    assert f'id="id_change{change.pk}_override"' in page  # the override is offered
    change.refresh_from_db()
    assert (change.decision, change.override) == ("pending", False)


def test_an_override_needs_a_reason(client, manager, poc, customer, engineer):
    change = _change(poc, engineer, customer, change_class="specific_development")
    client.force_login(manager)

    response = _decide(client, poc, change, decision="accepted", override="on", note="")

    page = response.content.decode()
    assert response.status_code == 400
    errors = page[page.index(f'id="id_change{change.pk}_note_errors"'):]
    assert "Say why it is accepted without a budget." in errors[:300]
    change.refresh_from_db()
    assert change.decision == "pending"


def test_a_manager_accepts_a_specific_development_without_budget_by_override(
        client, manager, planned, customer, engineer):
    change = _change(planned, engineer, customer, change_class="specific_development",
                     hours="30")
    client.force_login(manager)

    response = _decide(client, planned, change, decision="accepted", override="on",
                       note="Strategic account: the CEO asked")

    assert response.status_code == 302
    change.refresh_from_db()
    assert (change.decision, change.override, change.decided_by, change.decision_note) == (
        "accepted", True, manager, "Strategic account: the CEO asked")
    page = _scope(client, planned).content.decode()
    row = page[page.index(f'id="change-{change.pk}"'):]
    assert "table-danger" in row[:200]
    assert "Accepted without a budget — manager's override" in row[:4000]
    assert 'data-share="30"' in page  # 30 h of the 100 h planned
    assert 'data-testid="creep-warning"' in page  # above the default 20 % threshold


def test_an_engineer_cannot_accept_a_specific_development(client, engineer, poc, customer):
    change = _change(poc, engineer, customer, change_class="specific_development")
    client.force_login(engineer)
    page = _scope(client, poc).content.decode()
    decide = page[page.index(f'id="id_change{change.pk}_decision"'):]
    assert '<option value="accepted" disabled>' in decide[:600]
    assert f'id="id_change{change.pk}_override"' not in page

    response = _decide(client, poc, change, decision="accepted", quote_amount="5000",
                       quote_currency="EUR", note="The customer insists")

    page = response.content.decode()
    assert response.status_code == 403
    form = page[page.index(f'action="{reverse("web:poc_scope_change_decide", args=[poc.pk, change.pk])}"'):]  # noqa: E501
    assert "Only a manager accepts a specific development: it is paid scope." in form[:1500]
    change.refresh_from_db()
    assert (change.decision, change.quote_amount) == ("pending", None)


def test_a_rejection_needs_a_reason(client, engineer, poc, customer):
    change = _change(poc, engineer, customer)
    client.force_login(engineer)

    response = _decide(client, poc, change, decision="rejected", note="")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Say why the request is rejected." in page
    change.refresh_from_db()
    assert change.decision == "pending"


def test_only_requests_still_awaiting_a_decision_have_a_decide_form(client, engineer, poc,
                                                                   customer):
    waiting = [_change(poc, engineer, customer, text=f"Open {n}") for n in range(3)]
    scope_change_decide(actor=engineer, change=waiting[1], decision="deferred")
    scope_change_decide(actor=engineer, change=waiting[2], decision="quoted",
                        quote_amount=Decimal("900"), quote_currency="EUR")
    for decision, note in (("accepted", ""), ("rejected", "Out of the POC")):
        scope_change_decide(actor=engineer, change=_change(poc, engineer, customer),
                            decision=decision, note=note)
    client.force_login(engineer)

    page = _scope(client, poc).content.decode()

    assert page.count('data-testid="decide-form"') == 3


# --- the roadmap and the creep indicator -----------------------------------------------------


def test_the_roadmap_lists_the_evolutions_nobody_rejected(client, engineer, poc, customer):
    _change(poc, engineer, customer, text="Occupancy heat map", change_class="evolution")
    deferred = _change(poc, engineer, customer, text="Mobile app for guards",
                       change_class="evolution")
    scope_change_decide(actor=engineer, change=deferred, decision="deferred")
    rejected = _change(poc, engineer, customer, text="Blockchain ledger",
                       change_class="evolution")
    scope_change_decide(actor=engineer, change=rejected, decision="rejected", note="No")
    _change(poc, engineer, customer, text="Rename a tag", change_class="minor_adjustment")
    client.force_login(engineer)

    roadmap = _section(_scope(client, poc).content.decode(), "roadmap-list")

    assert roadmap.count('data-testid="roadmap-item"') == 2
    assert "Occupancy heat map" in roadmap and "Mobile app for guards" in roadmap
    assert "Blockchain ledger" not in roadmap and "Rename a tag" not in roadmap


def test_the_creep_counts_accepted_in_poc_work_only(client, manager, planned, customer):
    # 100 h planned; accepted: 12 h minor + 6 h quoted development = 18 % (threshold 20 %).
    for text, hours, change_class, quote in (
            ("Extra report", "12", "minor_adjustment", None),
            ("Custom driver", "6", "specific_development", Decimal("3000")),
            ("Roadmap item", "50", "evolution", None)):
        change = _change(planned, manager, customer, text=text, hours=hours,
                         change_class=change_class)
        scope_change_decide(actor=manager, change=change, decision="accepted",
                            quote_amount=quote, quote_currency="EUR" if quote else "")
    _change(planned, manager, customer, text="Still pending", hours="40")
    client.force_login(manager)

    page = _scope(client, planned).content.decode()

    assert 'data-share="18"' in page and 'data-over="false"' in page
    assert "18 h accepted of 100 h planned" in page
    assert 'data-testid="creep-warning"' not in page
    assert 'style="left: 20%' in page  # the threshold's mark on a 0–100 % bar
    assert 'style="width: 18%"' in page
    assert "1 request awaits a decision" in page


def test_without_planned_effort_the_page_says_so_and_links_to_the_edit_form(
        client, engineer, poc, customer):
    client.force_login(engineer)

    page = _scope(client, poc).content.decode()

    block = _section(page, "creep-no-plan")
    assert "No planned effort is set for this POC" in block
    assert f'href="{reverse("web:poc_edit", args=[poc.pk])}#id_planned_effort_hours"' in block
    edit = client.get(reverse("web:poc_edit", args=[poc.pk])).content.decode()
    assert 'id="id_planned_effort_hours"' in edit


# --- commitments -----------------------------------------------------------------------------


def test_the_commitment_form_proposes_the_user_and_a_due_time_24_hours_ahead_in_their_zone(
        client, engineer, poc, customer):
    Profile.objects.filter(user=engineer).update(time_zone="Europe/Paris")
    client.force_login(engineer)

    with time_machine.travel(MONDAY, tick=False):
        page = _scope(client, poc, "commitments").content.decode()

    form = page[page.index('data-testid="commitment-form"'):]
    assert 'name="due_at" value="2026-03-03T09:00"' in form  # 08:00 UTC = 09:00 in Paris
    assert f'<option value="{engineer.pk}" selected>' in form
    assert "Times in Europe/Paris" in page


def test_an_uncertain_commitment_left_without_due_time_is_due_24_hours_later(
        client, engineer, poc, customer):
    client.force_login(engineer)

    with time_machine.travel(MONDAY, tick=False):
        response = _register(client, poc, made_to=customer.pk, made_by=engineer.pk)

    commitment = Commitment.objects.get(poc=poc)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?tab=commitments#commitment-{commitment.pk}")
    assert (commitment.made_at, commitment.due_at, commitment.made_by, commitment.made_to,
            commitment.category, commitment.status) == (
        MONDAY, MONDAY + datetime.timedelta(hours=24), engineer, customer, "uncertain", "open")


def test_a_due_time_is_read_in_the_users_time_zone(client, engineer, poc, customer):
    Profile.objects.filter(user=engineer).update(time_zone="Asia/Shanghai")
    client.force_login(engineer)

    with time_machine.travel(MONDAY, tick=False):
        _register(client, poc, made_to=customer.pk, made_by=engineer.pk, category="risky",
                  due_at="2026-03-05T18:00", preconditions="The customer opens port 47808")

    commitment = Commitment.objects.get(poc=poc)
    assert commitment.due_at == datetime.datetime(2026, 3, 5, 10, 0, tzinfo=UTC)


def test_a_risky_commitment_without_preconditions_is_refused(client, engineer, poc, customer):
    client.force_login(engineer)

    response = _register(client, poc, made_to=customer.pk, made_by=engineer.pk,
                         category="risky", due_at="2099-03-05T18:00")

    page = response.content.decode()
    assert response.status_code == 400
    errors = page[page.index('id="id_commitment_preconditions_errors"'):]
    assert "A risky commitment states its preconditions" in errors[:300]
    assert 'data-field-row="preconditions" data' not in page  # shown, not cloaked
    assert not Commitment.objects.exists()


def test_an_out_of_scope_commitment_needs_a_request_or_a_feasibility_assessment(
        client, engineer, poc, customer):
    change = _change(poc, engineer, customer, text="SAP connector",
                     change_class="specific_development")
    client.force_login(engineer)
    common = {"made_to": customer.pk, "made_by": engineer.pk, "category": "out_of_scope",
              "due_at": "2099-03-05T18:00"}

    refused = _register(client, poc, **common)

    page = refused.content.decode()
    assert refused.status_code == 400
    errors = page[page.index('id="id_commitment_scope_change_errors"'):]
    assert "links a scope-change request or a feasibility assessment" in errors[:300]
    assert not Commitment.objects.exists()

    assert _register(client, poc, **common, text="SAP connector by June",
                     scope_change=change.pk).status_code == 302
    assert _register(client, poc, **common, text="Modbus gateway",
                     feasibility="R&D confirmed: two weeks").status_code == 302
    linked, assessed = Commitment.objects.order_by("id")
    assert (linked.scope_change, assessed.feasibility) == (change, "R&D confirmed: two weeks")
    table = _section(_scope(client, poc, "commitments").content.decode(), "commitments-table")
    assert f'href="{reverse("web:poc_scope", args=[poc.pk])}#change-{change.pk}"' in table


def test_a_commitment_to_someone_outside_the_deal_is_refused(client, engineer, poc, customer,
                                                             vendor_person):
    client.force_login(engineer)

    response = _register(client, poc, made_to=vendor_person.pk, made_by=engineer.pk)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice" in page[page.index('id="id_commitment_made_to_errors"'):][:300]
    assert not Commitment.objects.exists()


def test_overdue_commitments_are_highlighted_with_how_late_they_are(client, engineer, poc,
                                                                    customer):
    with time_machine.travel(MONDAY, tick=False):
        late = commitment_create(actor=engineer, poc=poc, text="Answer on BACnet/SC",
                                 made_to=customer, category="uncertain")
        very_late = commitment_create(
            actor=engineer, poc=poc, text="Send the IES files", made_to=customer,
            category="risky", preconditions="Photometry lab free",
            made_at=MONDAY - datetime.timedelta(days=5),
            due_at=MONDAY - datetime.timedelta(days=2))
        kept = commitment_create(actor=engineer, poc=poc, text="Ship the demo kit",
                                 made_to=customer, category="uncertain")
        commitment_resolve(actor=engineer, commitment=kept, status="kept")
        on_time = commitment_create(actor=engineer, poc=poc, text="Training plan",
                                    made_to=customer, category="risky", preconditions="Room",
                                    due_at=MONDAY + datetime.timedelta(days=5))
    client.force_login(engineer)

    with time_machine.travel(MONDAY + datetime.timedelta(hours=30), tick=False):
        page = _scope(client, poc, "commitments").content.decode()

    table = _section(page, "commitments-table")
    rows = {commitment.pk: table[table.index(f'id="commitment-{commitment.pk}"'):][:1500]
            for commitment in (late, very_late, kept, on_time)}
    assert 'class="commitment-row table-danger overdue' in rows[late.pk]
    assert "overdue by 6 hours" in rows[late.pk]
    assert "overdue by 3 days" in rows[very_late.pk]  # due 2 days before MONDAY, +30 h
    for quiet in (kept, on_time):
        row = rows[quiet.pk].split("</tr>")[0]
        assert 'data-overdue="false"' in row and "table-danger" not in row
        assert "overdue by" not in row
    # Sorted by due time: the earliest first.
    assert table.index(f'id="commitment-{very_late.pk}"') < table.index(
        f'id="commitment-{late.pk}"') < table.index(f'id="commitment-{on_time.pk}"')
    assert "2 commitments are overdue." in page
    assert "2 overdue" in page[page.index('data-testid="tab-overdue"'):][:300]


def test_a_commitment_is_resolved_kept(client, engineer, poc, customer):
    commitment = commitment_create(actor=engineer, poc=poc, text="Answer on BACnet/SC",
                                   made_to=customer, category="uncertain")
    client.force_login(engineer)

    response = _resolve(client, poc, commitment, status="kept", note="")

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == "kept"
    page = _scope(client, poc, "commitments").content.decode()
    assert 'data-testid="resolve-form"' not in page


def test_a_broken_commitment_needs_a_note(client, engineer, poc, customer):
    commitment = commitment_create(actor=engineer, poc=poc, text="Answer on BACnet/SC",
                                   made_to=customer, category="uncertain")
    client.force_login(engineer)

    refused = _resolve(client, poc, commitment, status="broken", note="")

    page = refused.content.decode()
    assert refused.status_code == 400
    errors = page[page.index(f'id="id_commitment{commitment.pk}_note_errors"'):]
    assert "Say what happened." in errors[:200]
    assert 'open data-testid="resolve"' in page
    commitment.refresh_from_db()
    assert commitment.status == "open"

    accepted = _resolve(client, poc, commitment, status="broken",
                        note="The vendor's firmware team said no")

    assert accepted.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.resolution_note) == (
        "broken", "The vendor's firmware team said no")


def test_resolving_twice_is_refused_with_a_message(client, engineer, poc, customer):
    commitment = commitment_create(actor=engineer, poc=poc, text="Answer on BACnet/SC",
                                   made_to=customer, category="uncertain")
    commitment_resolve(actor=engineer, commitment=commitment, status="kept")
    client.force_login(engineer)

    response = _resolve(client, poc, commitment, status="withdrawn", note="Changed our mind")

    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "This commitment is already closed." in follow
    commitment.refresh_from_db()
    assert commitment.status == "kept"


# --- the POC page's card ---------------------------------------------------------------------


def test_the_poc_card_shows_creep_pending_overrides_and_overdue_commitments(
        client, manager, engineer, planned, customer):
    override = _change(planned, engineer, customer, change_class="specific_development",
                       hours="25")
    scope_change_decide(actor=manager, change=override, decision="accepted", override=True,
                        note="CEO's request")
    _change(planned, engineer, customer, text="Pending one")
    with time_machine.travel(MONDAY, tick=False):
        commitment_create(actor=engineer, poc=planned, text="Answer on BACnet/SC",
                          made_to=customer, category="uncertain")
    client.force_login(engineer)

    with time_machine.travel(MONDAY + datetime.timedelta(hours=27), tick=False):
        page = client.get(reverse("web:poc_detail", args=[planned.pk])).content.decode()

    card = page[page.index('data-testid="scope-card"'):]
    card = card[:card.index("</section>")]
    assert "border-danger" in page[page.index('data-testid="scope-card"') - 120:][:120]
    assert 'data-share="25"' in card and 'data-testid="creep-warning"' in card
    assert 'data-testid="scope-card-pending">1 pending' in card
    assert "1 manager's override" in card
    assert "1 overdue" in card
    overdue = _section(card, "scope-card-overdue-list")
    assert "Answer on BACnet/SC" in overdue and "overdue by 3 hours" in overdue
    assert f'href="{reverse("web:poc_scope", args=[planned.pk])}"' in card


# --- query counts ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _fill(poc, actor, customer, count: int) -> None:
    """`count` scope changes of every class and decision, and `count` commitments, some
    overdue, some resolved, some linked to a request."""
    classes = ["minor_adjustment", "evolution", "specific_development"]
    changes = []
    for number in range(count):
        change = _change(poc, actor, customer, text=f"Request {number}", hours=str(number + 1),
                         change_class=classes[number % 3])
        changes.append(change)
        if number % 4 == 1:
            scope_change_decide(actor=actor, change=change, decision="accepted",
                                override=True, note="Override")
        elif number % 4 == 2:
            scope_change_decide(actor=actor, change=change, decision="quoted",
                                quote_amount=Decimal("1000"), quote_currency="EUR")
    now = timezone.now()
    for number in range(count):
        commitment = commitment_create(
            actor=actor, poc=poc, text=f"Commitment {number}", made_to=customer,
            category="out_of_scope", scope_change=changes[number],
            due_at=now + datetime.timedelta(hours=number - count // 2),
            made_at=now - datetime.timedelta(days=1))
        if number % 5 == 0:
            commitment_resolve(actor=actor, commitment=commitment, status="kept")


@pytest.mark.parametrize(("name", "tab"), [("web:poc_scope", ""),
                                           ("web:poc_scope", "?tab=commitments"),
                                           ("web:poc_detail", "")])
def test_the_scope_and_poc_pages_cost_the_same_for_0_and_15_records(
        client, manager, opportunity, customer, name, tab):
    from ..factories import POCFactory

    client.force_login(manager)
    empty = POCFactory(opportunity=opportunity, owner=manager, title="Empty",
                       planned_effort_hours=Decimal("80"))
    full = POCFactory(opportunity=opportunity, owner=manager, title="Full",
                      planned_effort_hours=Decimal("80"))
    _fill(full, manager, customer, 15)
    # The timeline reads its page of events only when there is one.
    event_record(actor=manager, verb="generic.changed", target=empty, poc=empty, data={})
    _queries(client, reverse(name, args=[empty.pk]) + tab)  # warm the per-process caches

    assert _queries(client, reverse(name, args=[empty.pk]) + tab) == \
        _queries(client, reverse(name, args=[full.pk]) + tab)
