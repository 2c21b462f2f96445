"""poc_create / poc_update: validation, events and who may write."""

import datetime

import pytest

from pocdesk.core.errors import PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.opportunities.models import Stage
from pocdesk.pocs.models import POC
from pocdesk.pocs.services import poc_create, poc_update


def test_creating_a_poc_takes_the_opportunity_team_and_writes_an_event(opportunity, engineer):
    poc = poc_create(actor=engineer, opportunity=opportunity, title="  Quick-dry fabric  ",
                     objective="50 wash cycles keep 99 % antibacterial activity",
                     poc_type="lab_test", language="fr")

    assert (poc.title, poc.team_id, poc.owner, poc.status, poc.language) == (
        "Quick-dry fabric", opportunity.team_id, engineer, "draft", "fr")
    event = Event.objects.get(poc=poc)
    assert (event.verb, event.actor, event.target_type) == ("poc.created", engineer, "poc")


def test_the_poc_language_defaults_to_the_creator_language(opportunity, engineer):
    engineer.profile.language = "zh-hans"
    engineer.profile.save()

    poc = poc_create(actor=engineer, opportunity=opportunity, title="矿山破碎机", objective="连续运行30天")

    assert poc.language == "zh-hans"


@pytest.mark.parametrize(
    ("changes", "bad_field"),
    [({"title": ""}, "title"), ({"objective": "   "}, "objective"), ({"poc_type": "hackathon"}, "poc_type"),
     ({"language": "de"}, "language")],
)
def test_bad_input_names_the_field_and_creates_nothing(opportunity, engineer, changes, bad_field):
    arguments = {"title": "Pilot", "objective": "Prove it", **changes}

    with pytest.raises(ValidationFailed) as refusal:
        poc_create(actor=engineer, opportunity=opportunity, **arguments)

    assert bad_field in refusal.value.fields
    assert not POC.objects.exists()
    assert not Event.objects.exists()


def test_the_owner_must_belong_to_the_team(opportunity, engineer, outsider):
    with pytest.raises(ValidationFailed) as refusal:
        poc_create(actor=engineer, opportunity=opportunity, title="Pilot", objective="Prove it",
                   owner=outsider)

    assert list(refusal.value.fields) == ["owner"]
    assert not POC.objects.exists()


def test_no_poc_on_a_closed_opportunity(opportunity, engineer):
    opportunity.stage = Stage.CLOSED_LOST
    opportunity.save()

    with pytest.raises(ValidationFailed) as refusal:
        poc_create(actor=engineer, opportunity=opportunity, title="Pilot", objective="Prove it")

    assert list(refusal.value.fields) == ["opportunity"]


def test_the_end_date_cannot_precede_the_start_date(poc, engineer):
    with pytest.raises(ValidationFailed):
        poc_update(actor=engineer, poc=poc, start_date=datetime.date(2026, 5, 1),
                   end_date=datetime.date(2026, 4, 1))

    poc.refresh_from_db()
    assert (poc.start_date, poc.end_date) == (None, None)
    assert not Event.objects.exists()


def test_updating_records_what_changed(poc, engineer):
    poc_update(actor=engineer, poc=poc, title="Luminaires on the 1920s BMS",
               start_date=datetime.date(2026, 12, 1))

    event = Event.objects.get(poc=poc)
    assert event.verb == "poc.changed"
    assert event.data["changes"] == {
        "title": ["Luminaires on the BMS", "Luminaires on the 1920s BMS"],
        "start_date": [None, "2026-12-01"],
    }


def test_an_update_without_change_writes_no_event(poc, engineer):
    poc_update(actor=engineer, poc=poc, title=poc.title)

    assert not Event.objects.exists()


def test_status_is_not_editable_outside_the_lifecycle(poc, engineer):
    with pytest.raises(ValidationFailed) as refusal:
        poc_update(actor=engineer, poc=poc, status="running")

    assert list(refusal.value.fields) == ["status"]
    assert POC.objects.get(pk=poc.pk).status == "draft"


@pytest.mark.parametrize(
    ("actor_name", "allowed"),
    [("anonymous", False), ("outsider", False), ("engineer", True), ("sales", True),
     ("manager", True), ("admin", True)],
)
def test_who_may_create_and_edit_a_poc(opportunity, poc, actors, actor_name, allowed):
    actor = actors[actor_name]
    before = (POC.objects.count(), Event.objects.count())
    if allowed:
        poc_create(actor=actor, opportunity=opportunity, title="Second pilot", objective="Prove more",
                   owner=poc.owner)
        poc_update(actor=actor, poc=poc, title="Renamed")
        assert POC.objects.get(pk=poc.pk).title == "Renamed"
    else:
        with pytest.raises(PermissionDenied):
            poc_create(actor=actor, opportunity=opportunity, title="Second pilot", objective="x")
        with pytest.raises(PermissionDenied):
            poc_update(actor=actor, poc=poc, title="Renamed")
        assert (POC.objects.count(), Event.objects.count()) == before
        assert POC.objects.get(pk=poc.pk).title == "Luminaires on the BMS"
