"""One milestone at a time (§6): added, moved, completed with the customer's witness and its
evidence, removed unless done."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.timebox.models import Milestone
from pocdesk.timebox.selectors import milestone_get
from pocdesk.timebox.services import milestone_create, milestone_delete, milestone_update

from ..factories import make_milestone
from .conftest import with_dates

TODAY = datetime.date(2026, 3, 20)
DUE = datetime.date(2026, 3, 16)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 3, 20, 12, tzinfo=datetime.UTC),
                             tick=False):
        yield


@pytest.fixture
def milestone(running_poc):
    return make_milestone(running_poc, kind="installation", sequence=0, due_date=DUE,
                          customer_witness=True)


def test_adding_a_milestone_plans_it_with_its_baseline(running_poc, engineer):
    added = milestone_create(actor=engineer, poc=running_poc, kind="other",
                             title=" Crane on site ", due_date=DUE, owner=engineer.pk)

    assert (added.title, added.label, added.planned_date, added.owner) == (
        "Crane on site", "Crane on site", DUE, engineer)
    event = Event.objects.get(verb="milestone.added")
    assert (event.data, event.poc) == ({"due_date": "2026-03-16"}, running_poc)


def test_an_owner_from_another_team_is_refused(running_poc, engineer, outsider):
    with pytest.raises(ValidationFailed) as refusal:
        milestone_create(actor=engineer, poc=running_poc, kind="other", due_date=DUE,
                         owner=outsider)

    assert list(refusal.value.fields) == ["owner"]
    assert not Milestone.objects.exists()


def test_moving_a_milestone_keeps_its_planned_date(milestone, engineer):
    moved = milestone_update(actor=engineer, milestone=milestone,
                             due_date=datetime.date(2026, 3, 23))

    loaded = milestone_get(poc=milestone.poc, key=str(milestone.key))
    assert (moved.due_date, loaded.planned_date, loaded.slip_days) == (
        datetime.date(2026, 3, 23), DUE, 7)
    assert Event.objects.get(verb="milestone.changed").data == {
        "changes": {"due_date": ["2026-03-16", "2026-03-23"]}}


def test_done_without_a_date_is_done_today(milestone, engineer):
    done = milestone_update(actor=engineer, milestone=milestone, status="done")

    assert (done.status, done.completed_on, done.witnessed_by) == ("done", TODAY, None)
    assert Event.objects.get(verb="milestone.done").data == {"completed_on": "2026-03-20",
                                                             "witness": ""}


def test_a_witness_signs_a_done_milestone_with_its_evidence(milestone, engineer, customer):
    sheet = SimpleUploadedFile("sheet.pdf", b"%PDF-1.4\n% installation sheet\n%%EOF\n",
                               content_type="application/pdf")

    done = milestone_update(actor=engineer, milestone=milestone, evidence_upload=sheet,
                            status="done", completed_on=DUE, witnessed_by=customer.pk,
                            evidence_note="Signed by the plant manager.")

    assert (done.completed_on, done.witnessed_by, done.evidence_file.content_type) == (
        DUE, customer, "application/pdf")
    event = Event.objects.get(verb="milestone.witnessed")
    assert event.data == {"completed_on": "2026-03-16", "witness": str(customer)}


@pytest.mark.parametrize(("changes", "field"), [
    ({"witnessed_by": "customer"}, "witnessed_by"),
    ({"status": "done", "completed_on": datetime.date(2026, 3, 21)}, "completed_on"),
    ({"completed_on": DUE}, "completed_on"),
    ({"status": "finished"}, "status"),
    ({"planned_date": DUE}, "planned_date"),
])
def test_refused_changes_name_their_field_and_change_nothing(milestone, engineer, customer,
                                                             changes, field):
    changes = {name: customer if value == "customer" else value
               for name, value in changes.items()}

    with pytest.raises(ValidationFailed) as refusal:
        milestone_update(actor=engineer, milestone=milestone, **changes)

    assert field in refusal.value.fields
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on, milestone.witnessed_by) == (
        "planned", None, None)
    assert not Event.objects.exists()


def test_reopening_a_done_milestone_clears_its_completion_and_witness(milestone, engineer,
                                                                      customer):
    milestone_update(actor=engineer, milestone=milestone, status="done", witnessed_by=customer)

    reopened = milestone_update(actor=engineer, milestone=milestone, status="planned")

    assert (reopened.completed_on, reopened.witnessed_by) == (None, None)


def test_an_update_without_change_writes_no_event(milestone, engineer):
    milestone_update(actor=engineer, milestone=milestone, due_date=DUE)

    assert not Event.objects.exists()


def test_a_done_milestone_is_never_removed(milestone, engineer):
    milestone_update(actor=engineer, milestone=milestone, status="done")

    with pytest.raises(ApplicationError) as refusal:
        milestone_delete(actor=engineer, milestone=milestone)

    assert (refusal.value.code, refusal.value.status) == ("milestone_done", 409)
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_an_open_milestone_is_removed_with_an_event(milestone, engineer):
    milestone_delete(actor=engineer, milestone=milestone)

    assert not Milestone.objects.exists()
    assert Event.objects.get(verb="milestone.removed").data == {
        "label": "Installation complete"}


@pytest.mark.parametrize("actor_name", ["anonymous", "outsider"])
def test_outsiders_change_nothing(milestone, actors, actor_name):
    for attempt in (lambda actor: milestone_update(actor=actor, milestone=milestone,
                                                   status="done"),
                    lambda actor: milestone_delete(actor=actor, milestone=milestone),
                    lambda actor: milestone_create(actor=actor, poc=milestone.poc,
                                                   kind="other", due_date=DUE)):
        with pytest.raises(PermissionDenied):
            attempt(actors[actor_name])

    assert list(Milestone.objects.values_list("pk", "status")) == [(milestone.pk, "planned")]
    assert not Event.objects.exists()


def test_a_closed_poc_keeps_its_milestones(milestone, engineer):
    with_dates(milestone.poc, status="closed")

    with pytest.raises(ApplicationError) as refusal:
        milestone_update(actor=engineer, milestone=milestone, status="done")

    assert refusal.value.code == "poc_closed"
    milestone.refresh_from_db()
    assert milestone.status == "planned"


def test_a_milestone_is_found_by_key_or_id_within_its_poc_only(milestone, poc):
    from pocdesk.core.errors import NotFound

    from ..factories import POCFactory

    other = POCFactory(opportunity=poc.opportunity)

    assert milestone_get(poc=milestone.poc, key=milestone.key).pk == milestone.pk
    assert milestone_get(poc=milestone.poc, key=str(milestone.pk)).pk == milestone.pk
    for poc_, key in ((other, milestone.key), (milestone.poc, "nonsense"),
                      (milestone.poc, "0")):
        with pytest.raises(NotFound):
            milestone_get(poc=poc_, key=key)
