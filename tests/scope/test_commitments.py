"""The commitments register (§8.4): an uncertain promise is answered within 24 hours, a risky one
states its preconditions, an out-of-scope one links its request or a feasibility assessment;
overdue the second after it is due; closed once, kept, broken or withdrawn."""

import datetime

import pytest
import time_machine

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.pocs.models import POC
from pocdesk.scope.models import Commitment
from pocdesk.scope.selectors import annotate_scope, commitment_get, commitments_for_poc
from pocdesk.scope.services import commitment_create, commitment_resolve, commitment_update

from ..factories import POCFactory, make_commitment, make_customer, make_scope_change

MADE = datetime.datetime(2026, 3, 20, 9, 30, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 3, 25, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def promise(poc, actor, made_to, category="uncertain", **extra):
    return commitment_create(actor=actor, poc=poc, text="Confirm the data can stay on site.",
                             made_to=made_to, category=category, **extra)


def test_an_uncertain_promise_is_due_24_hours_after_it_was_made(running_poc, engineer,
                                                                customer):
    made = promise(running_poc, engineer, customer, made_at=MADE)

    assert (made.made_at, made.due_at) == (MADE, MADE + datetime.timedelta(hours=24))
    assert (made.made_by, made.recorded_by, made.status) == (engineer, engineer, "open")
    event = Event.objects.get(verb="commitment.made")
    assert event.data == {"made_to": str(customer), "category": "uncertain",
                          "due": "2026-03-21 09:30"}


def test_an_uncertain_promise_made_now_is_due_tomorrow_same_time(running_poc, engineer,
                                                                  customer):
    made = promise(running_poc, engineer, customer)

    assert (made.made_at, made.due_at) == (NOW, NOW + datetime.timedelta(hours=24))


def test_a_promise_may_be_made_by_a_teammate(running_poc, engineer, sales, customer):
    made = promise(running_poc, engineer, customer, made_by=sales.pk,
                   due_at=NOW + datetime.timedelta(hours=2))

    assert (made.made_by, made.recorded_by, made.due_at) == (
        sales, engineer, NOW + datetime.timedelta(hours=2))


@pytest.mark.parametrize(("category", "extra", "fields"), [
    ("risky", {"preconditions": "Data by Friday."}, ["due_at"]),
    ("risky", {"due_at": NOW + datetime.timedelta(days=7)}, ["preconditions"]),
    ("out_of_scope", {"due_at": NOW + datetime.timedelta(days=7)}, ["scope_change"]),
    ("uncertain", {"made_at": NOW + datetime.timedelta(minutes=1)}, ["made_at"]),
    ("uncertain", {"made_at": MADE, "due_at": MADE - datetime.timedelta(hours=1)}, ["due_at"]),
    ("eventual", {"due_at": NOW}, ["category"]),
    ("uncertain", {"colour": "red"}, ["colour"]),
])
def test_each_category_states_what_it_needs(running_poc, engineer, customer, category, extra,
                                            fields):
    with pytest.raises(ValidationFailed) as refusal:
        promise(running_poc, engineer, customer, category=category, **extra)

    assert sorted(refusal.value.fields) == fields
    assert not Commitment.objects.exists()
    assert not Event.objects.exists()


def test_a_risky_promise_with_its_preconditions(running_poc, engineer, customer):
    made = promise(running_poc, engineer, customer, category="risky",
                   due_at=NOW + datetime.timedelta(days=7),
                   preconditions="  The line runs at full load.  ")

    assert made.preconditions == "The line runs at full load."


def test_an_out_of_scope_promise_links_its_request_or_a_feasibility(running_poc, engineer,
                                                                    customer):
    change = make_scope_change(running_poc, recorded_by=engineer)
    due = NOW + datetime.timedelta(days=30)

    linked = promise(running_poc, engineer, customer, category="out_of_scope", due_at=due,
                     scope_change=change.pk)
    assessed = promise(running_poc, engineer, customer, category="out_of_scope", due_at=due,
                       feasibility="Three weeks for one developer.")

    assert (linked.scope_change, assessed.scope_change) == (change, None)
    assert assessed.feasibility == "Three weeks for one developer."


def test_the_linked_request_must_belong_to_the_poc(running_poc, engineer, customer):
    other = POCFactory(opportunity=running_poc.opportunity)
    foreign = make_scope_change(other, recorded_by=engineer)

    with pytest.raises(ValidationFailed) as refusal:
        promise(running_poc, engineer, customer, category="out_of_scope",
                due_at=NOW + datetime.timedelta(days=30), scope_change=foreign,
                feasibility="Easy.")

    assert list(refusal.value.fields) == ["scope_change"]
    assert not Commitment.objects.exists()


def test_made_to_the_customer_by_the_team(running_poc, engineer, outsider, customer):
    vendor = make_customer(running_poc, name="Our Engineer", side="vendor")

    with pytest.raises(ValidationFailed) as to_us:
        promise(running_poc, engineer, vendor)
    with pytest.raises(ValidationFailed) as by_outsider:
        promise(running_poc, engineer, customer, made_by=outsider)

    assert list(to_us.value.fields) == ["made_to"]
    assert list(by_outsider.value.fields) == ["made_by"]
    assert not Commitment.objects.exists()


def test_overdue_the_second_after_it_is_due(running_poc, engineer, customer):
    made = promise(running_poc, engineer, customer, made_at=MADE)
    due = made.due_at

    def seen_at(moment):
        with time_machine.travel(moment, tick=False):
            (listed,) = commitments_for_poc(poc=running_poc)
            annotated = annotate_scope(POC.objects.filter(pk=running_poc.pk)).get()
            return listed.overdue, annotated.commitments_overdue

    assert seen_at(due) == (False, 0)
    assert seen_at(due + datetime.timedelta(seconds=1)) == (True, 1)
    assert commitments_for_poc(poc=running_poc, now=due)[0].overdue is False
    assert commitment_get(poc=running_poc, pk=made.pk).overdue is True  # NOW is days later


def test_a_resolved_promise_is_never_overdue(running_poc, engineer, customer):
    made = promise(running_poc, engineer, customer, made_at=MADE)

    commitment_resolve(actor=engineer, commitment=made, status="kept")

    (listed,) = commitments_for_poc(poc=running_poc)
    assert (listed.status, listed.overdue, listed.resolved_at) == ("kept", False, NOW)
    assert annotate_scope(POC.objects.filter(pk=running_poc.pk)).get().commitments_overdue == 0


@pytest.mark.parametrize(("status", "note", "fields"), [
    ("broken", "", ["note"]), ("withdrawn", "  ", ["note"]), ("open", "", ["status"]),
    ("forgotten", "x", ["status"])])
def test_closing_a_promise_says_what_happened(running_poc, engineer, customer, status, note,
                                              fields):
    made = promise(running_poc, engineer, customer)

    with pytest.raises(ValidationFailed) as refusal:
        commitment_resolve(actor=engineer, commitment=made, status=status, note=note)

    assert sorted(refusal.value.fields) == fields
    made.refresh_from_db()
    assert (made.status, made.resolved_at) == ("open", None)


def test_a_promise_is_closed_once(running_poc, engineer, customer):
    made = promise(running_poc, engineer, customer)
    broken = commitment_resolve(actor=engineer, commitment=made, status="broken",
                                note="The data came a week late.")

    with pytest.raises(ApplicationError) as refusal:
        commitment_resolve(actor=engineer, commitment=made, status="kept")

    assert (refusal.value.code, refusal.value.status) == ("commitment_resolved", 409)
    assert (broken.status, broken.resolution_note) == ("broken", "The data came a week late.")
    assert Event.objects.get(verb="commitment.resolved").data == {
        "status": "broken", "note": "The data came a week late."}


def test_an_open_promise_is_corrected(running_poc, engineer, customer):
    made = promise(running_poc, engineer, customer, made_at=MADE)
    later = NOW + datetime.timedelta(days=2)

    changed = commitment_update(actor=engineer, commitment=made, due_at=later)

    assert changed.due_at == later
    assert Event.objects.get(verb="commitment.changed").data["changes"].keys() == {"due_at"}
    with pytest.raises(ValidationFailed) as refusal:
        commitment_update(actor=engineer, commitment=made, status="kept")
    assert list(refusal.value.fields) == ["status"]


def test_a_closed_promise_is_history_and_is_not_corrected(running_poc, engineer, customer):
    made = promise(running_poc, engineer, customer, made_at=MADE)
    Commitment.objects.filter(pk=made.pk).update(status="kept")

    with pytest.raises(ApplicationError) as refusal:
        commitment_update(actor=engineer, commitment=made, text="Rewritten afterwards.")

    assert (refusal.value.code, refusal.value.status) == ("commitment_closed", 409)
    made.refresh_from_db()
    assert made.text != "Rewritten afterwards."
    assert not Event.objects.filter(verb="commitment.changed").exists()


@pytest.mark.parametrize("actor_name", ["anonymous", "outsider"])
def test_outsiders_change_nothing(running_poc, engineer, customer, actors, actor_name):
    made = make_commitment(running_poc, made_by=engineer, made_to=customer)

    for attempt in (
        lambda actor: promise(running_poc, actor, customer),
        lambda actor: commitment_resolve(actor=actor, commitment=made, status="kept"),
        lambda actor: commitment_update(actor=actor, commitment=made, text="Changed."),
    ):
        with pytest.raises(PermissionDenied):
            attempt(actors[actor_name])

    assert list(Commitment.objects.values_list("status", "text")) == [
        ("open", "Confirm the data can stay on site.")]
    assert not Event.objects.exists()
