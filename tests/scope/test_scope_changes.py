"""Scope-change control (§7): every request recorded and classed; a quote names its amount, a
rejection its reason; paid scope is a manager's decision, accepted without a budget only on an
override with a note; decided requests are history; creep counts what is built inside the POC."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.pocs.models import POC
from pocdesk.scope.models import ScopeChange
from pocdesk.scope.selectors import (
    annotate_scope,
    creep_share,
    roadmap_items,
    scope_change_get,
    scope_changes_for_poc,
    scope_creep,
)
from pocdesk.scope.services import scope_change_create, scope_change_decide, scope_change_update
from pocdesk.timebox.services import timebox_policy_update

from ..factories import AccountFactory, POCFactory, make_customer, make_scope_change

DOCKS = "A docks module: loading-bay allocation and supplier slots."


def record(poc, actor, requester, *, change_class="minor_adjustment", hours="8", text=DOCKS,
           **extra):
    return scope_change_create(actor=actor, poc=poc, text=text, requested_by=requester,
                               effort_hours=Decimal(hours), change_class=change_class, **extra)


@pytest.fixture
def specific(running_poc, engineer, customer):
    return record(running_poc, engineer, customer, change_class="specific_development",
                  hours="320")


def test_a_request_is_recorded_with_its_requester_and_waits(running_poc, engineer, customer):
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, tzinfo=datetime.UTC),
                             tick=False):
        change = record(running_poc, engineer, customer.pk, text="  Add a night shift.  ")

    assert (change.text, change.requested_by, change.requested_on, change.decision,
            change.recorded_by) == ("Add a night shift.", customer, datetime.date(2026, 3, 20),
                                    "pending", engineer)
    event = Event.objects.get(verb="scope_change.recorded")
    assert event.data == {"requester": str(customer), "class": "minor_adjustment", "hours": "8"}


def test_bad_requests_name_their_fields_and_record_nothing(running_poc, engineer, customer):
    vendor = make_customer(running_poc, name="Our Engineer", side="vendor")
    elsewhere = make_customer(running_poc, name="Other Buyer", opportunity=None,
                              account=AccountFactory(team=running_poc.team))
    cases = [
        ({"requester": vendor}, "requested_by"),
        ({"requester": elsewhere.pk}, "requested_by"),
        ({"requester": None}, "requested_by"),
        ({"hours": "-1"}, "effort_hours"),
        ({"change_class": "wish"}, "change_class"),
        ({"text": "   "}, "text"),
        ({"requested_on": datetime.date(2099, 1, 1)}, "requested_on"),
    ]
    for change, field in cases:
        arguments = {"requester": customer, **change}
        with pytest.raises(ValidationFailed) as refusal:
            record(running_poc, engineer, **arguments)
        assert list(refusal.value.fields) == [field], change

    assert not ScopeChange.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize(("decision", "arguments", "fields"), [
    ("quoted", {}, ["quote_amount"]),
    ("quoted", {"quote_amount": "0", "quote_currency": "EUR"}, ["quote_amount"]),
    ("quoted", {"quote_amount": "lots", "quote_currency": "EUR"}, ["quote_amount"]),
    ("quoted", {"quote_amount": "38500"}, ["quote_currency"]),
    ("rejected", {"note": "  "}, ["note"]),
    ("pending", {}, ["decision"]),
    ("maybe", {}, ["decision"]),
])
def test_a_decision_states_what_it_needs(running_poc, engineer, customer, decision, arguments,
                                         fields):
    change = record(running_poc, engineer, customer)

    with pytest.raises(ValidationFailed) as refusal:
        scope_change_decide(actor=engineer, change=change, decision=decision, **arguments)

    assert sorted(refusal.value.fields) == fields
    change.refresh_from_db()
    assert (change.decision, change.decided_by, change.quote_amount) == ("pending", None, None)


def test_a_quote_keeps_its_amount_and_currency(running_poc, engineer, customer):
    change = record(running_poc, engineer, customer, change_class="specific_development")

    quoted = scope_change_decide(actor=engineer, change=change, decision="quoted",
                                 quote_amount="38500", quote_currency="eur",
                                 note="Quote TL-DEV-03 sent.")

    assert (quoted.decision, quoted.quote_amount, quoted.quote_currency, quoted.decided_by) == (
        "quoted", Decimal("38500"), "EUR", engineer)
    event = Event.objects.get(verb="scope_change.decided")
    assert (event.data["decision"], event.data["quote"]) == ("quoted", "38500 EUR")


def test_a_minor_adjustment_is_accepted_by_the_engineer(running_poc, engineer, customer):
    change = record(running_poc, engineer, customer)

    accepted = scope_change_decide(actor=engineer, change=change, decision="accepted")

    assert (accepted.decision, accepted.override, accepted.quote_amount) == (
        "accepted", False, None)


@pytest.mark.parametrize("actor_name", ["engineer", "sales"])
def test_only_a_manager_accepts_a_specific_development(specific, actors, actor_name):
    with pytest.raises(PermissionDenied) as refusal:
        scope_change_decide(actor=actors[actor_name], change=specific, decision="accepted",
                            override=True, note="The customer insists.")

    assert refusal.value.status == 403
    specific.refresh_from_db()
    assert (specific.decision, specific.override) == ("pending", False)
    assert not Event.objects.filter(verb__startswith="scope_change.d").exists()


def test_paid_scope_is_not_reclassed_past_the_manager(specific, engineer, manager):
    with pytest.raises(PermissionDenied):
        scope_change_update(actor=engineer, change=specific, change_class="minor_adjustment")
    specific.refresh_from_db()
    assert specific.change_class == "specific_development"

    scope_change_update(actor=manager, change=specific, change_class="evolution")
    specific.refresh_from_db()
    assert specific.change_class == "evolution"


@pytest.mark.parametrize("final", ["accepted", "rejected"])
def test_a_final_decision_is_not_taken_again(running_poc, engineer, customer, final):
    change = record(running_poc, engineer, customer)
    scope_change_decide(actor=engineer, change=change, decision=final, note="Decided")

    with pytest.raises(ApplicationError) as refusal:
        scope_change_decide(actor=engineer, change=change, decision="deferred", note="Again")

    assert (refusal.value.status, refusal.value.code) == (409, "scope_change_decided")
    change.refresh_from_db()
    assert (change.decision, change.decision_note) == (final, "Decided")


def test_without_a_quote_a_manager_must_override(specific, manager):
    with pytest.raises(ValidationFailed) as refusal:
        scope_change_decide(actor=manager, change=specific, decision="accepted")

    assert list(refusal.value.fields) == ["quote_amount"]
    specific.refresh_from_db()
    assert specific.decision == "pending"


def test_an_override_needs_its_reason(specific, manager):
    with pytest.raises(ValidationFailed) as refusal:
        scope_change_decide(actor=manager, change=specific, decision="accepted", override=True)

    assert list(refusal.value.fields) == ["note"]


def test_a_managers_override_accepts_it_without_budget_on_record(specific, manager):
    accepted = scope_change_decide(actor=manager, change=specific, decision="accepted",
                                   override=True, note="Keeps the pilot alive; billed later.")

    assert (accepted.decision, accepted.override, accepted.decided_by, accepted.decision_note,
            accepted.quote_amount) == ("accepted", True, manager,
                                       "Keeps the pilot alive; billed later.", None)
    event = Event.objects.get(verb="scope_change.overridden")
    assert (event.actor, event.data["note"], event.data["class"]) == (
        manager, "Keeps the pilot alive; billed later.", "specific_development")
    assert scope_creep(poc=specific.poc, changes=scope_changes_for_poc(
        poc=specific.poc)).overrides == 1


def test_a_quoted_specific_development_is_accepted_on_its_budget(specific, engineer, manager):
    scope_change_decide(actor=engineer, change=specific, decision="quoted",
                        quote_amount=Decimal("38500"), quote_currency="EUR")

    accepted = scope_change_decide(actor=manager, change=specific, decision="accepted")

    assert (accepted.override, accepted.quote_amount, accepted.quote_currency) == (
        False, Decimal("38500"), "EUR")
    assert Event.objects.filter(verb="scope_change.decided").count() == 2
    assert not Event.objects.filter(verb="scope_change.overridden").exists()


def test_a_quote_given_with_the_acceptance_counts_as_the_budget(specific, manager):
    accepted = scope_change_decide(actor=manager, change=specific, decision="accepted",
                                   quote_amount="12000", quote_currency="USD", override=True,
                                   note="")

    assert (accepted.override, accepted.quote_amount) == (False, Decimal("12000"))


@pytest.mark.parametrize(("decision", "extra", "editable"), [
    ("accepted", {}, False), ("rejected", {"note": "Out of scope."}, False),
    ("deferred", {}, True), ("quoted", {"quote_amount": "500", "quote_currency": "EUR"}, True)])
def test_decided_requests_are_history(running_poc, engineer, customer, decision, extra,
                                      editable):
    change = record(running_poc, engineer, customer)
    scope_change_decide(actor=engineer, change=change, decision=decision, **extra)

    if editable:
        updated = scope_change_update(actor=engineer, change=change, effort_hours=Decimal("12"))
        assert updated.effort_hours == Decimal("12")
        assert Event.objects.filter(verb="scope_change.changed").count() == 1
    else:
        with pytest.raises(ApplicationError) as refusal:
            scope_change_update(actor=engineer, change=change, effort_hours=Decimal("12"))
        assert (refusal.value.code, refusal.value.status) == ("scope_change_decided", 409)
        change.refresh_from_db()
        assert change.effort_hours == Decimal("8")


def test_an_open_request_is_corrected_field_by_field(running_poc, engineer, customer):
    change = record(running_poc, engineer, customer)
    other = make_customer(running_poc, name="Karim Benali")

    updated = scope_change_update(actor=engineer, change=change, requested_by=other.pk,
                                  change_class="evolution", text=" SSO. ")

    assert (updated.requested_by, updated.change_class, updated.text) == (other, "evolution",
                                                                          "SSO.")
    with pytest.raises(ValidationFailed) as refusal:
        scope_change_update(actor=engineer, change=change, requested_by=987654)
    assert list(refusal.value.fields) == ["requested_by"]


def test_scope_creep_counts_accepted_minor_and_specific_work_not_evolutions(running_poc,
                                                                            engineer, manager,
                                                                            customer):
    def decided(change_class, hours, decision, **extra):
        change = record(running_poc, engineer, customer, change_class=change_class,
                        hours=hours)
        actor = manager if change_class == "specific_development" else engineer
        return scope_change_decide(actor=actor, change=change, decision=decision, **extra)

    decided("minor_adjustment", "10", "accepted")
    decided("specific_development", "20", "accepted", override=True, note="Billed later.")
    decided("evolution", "50", "accepted")
    decided("minor_adjustment", "7", "rejected", note="No.")
    decided("specific_development", "90", "quoted", quote_amount="9000", quote_currency="EUR")
    record(running_poc, engineer, customer, hours="5")

    changes = scope_changes_for_poc(poc=running_poc)
    creep = scope_creep(poc=running_poc, changes=changes)
    listed = annotate_scope(POC.objects.filter(pk=running_poc.pk)).get()

    assert (creep.planned_hours, creep.accepted_hours) == (Decimal("100"), Decimal("30"))
    assert (creep.share, creep.threshold, creep.over) == (30, 20, True)
    assert (creep.pending, creep.overrides) == (1, 1)
    assert listed.accepted_hours == Decimal("30")
    assert creep_share(listed.accepted_hours, listed.planned_effort_hours) == 30


def test_the_threshold_is_the_teams(running_poc, engineer, manager, customer, team):
    change = record(running_poc, engineer, customer, hours="30")
    scope_change_decide(actor=engineer, change=change, decision="accepted")
    timebox_policy_update(actor=manager, team=team, scope_creep_threshold=30)

    creep = scope_creep(poc=running_poc, changes=scope_changes_for_poc(poc=running_poc))

    assert (creep.share, creep.threshold, creep.over) == (30, 30, False)


def test_without_a_planned_effort_there_is_no_share(poc, engineer, customer):
    change = record(poc, engineer, customer)
    scope_change_decide(actor=engineer, change=change, decision="accepted")

    creep = scope_creep(poc=poc, changes=scope_changes_for_poc(poc=poc))

    assert (creep.planned_hours, creep.accepted_hours, creep.share, creep.over) == (
        None, Decimal("8"), None, False)
    assert creep_share(Decimal("1"), Decimal("3")) == 33
    assert creep_share(None, Decimal("0")) is None


def test_the_roadmap_is_the_evolutions_nobody_rejected(running_poc, engineer, customer):
    def evolution(text, decision=None, **extra):
        change = record(running_poc, engineer, customer, change_class="evolution", text=text)
        if decision:
            scope_change_decide(actor=engineer, change=change, decision=decision, **extra)

    evolution("SSO")
    evolution("Mobile app", "deferred")
    evolution("CO2 dashboard", "accepted")
    evolution("Blockchain", "rejected", note="Not our product.")
    record(running_poc, engineer, customer, text="A report column")

    roadmap = roadmap_items(scope_changes_for_poc(poc=running_poc))

    assert [change.text for change in roadmap] == ["SSO", "Mobile app", "CO2 dashboard"]


@pytest.mark.parametrize("actor_name", ["anonymous", "outsider"])
def test_outsiders_change_nothing(running_poc, engineer, customer, actors, actor_name):
    change = record(running_poc, engineer, customer)
    events = Event.objects.count()

    for attempt in (
        lambda actor: record(running_poc, actor, customer),
        lambda actor: scope_change_decide(actor=actor, change=change, decision="accepted"),
        lambda actor: scope_change_update(actor=actor, change=change, text="More."),
    ):
        with pytest.raises(PermissionDenied):
            attempt(actors[actor_name])

    assert list(ScopeChange.objects.values_list("decision", "text")) == [("pending", DOCKS)]
    assert Event.objects.count() == events


def test_a_closed_poc_takes_no_more_requests(running_poc, engineer, customer):
    POC.objects.filter(pk=running_poc.pk).update(status="closed")

    with pytest.raises(ApplicationError) as refusal:
        record(running_poc, engineer, customer)

    assert refusal.value.code == "poc_closed"


def test_a_request_is_found_within_its_poc_only(running_poc, engineer):
    from pocdesk.core.errors import NotFound

    change = make_scope_change(running_poc, recorded_by=engineer)
    other = POCFactory(opportunity=running_poc.opportunity)

    assert scope_change_get(poc=running_poc, pk=str(change.pk)) == change
    for poc, pk in ((other, change.pk), (running_poc, "x")):
        with pytest.raises(NotFound):
            scope_change_get(poc=poc, pk=pk)
