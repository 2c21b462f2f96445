"""Writes on a POC's draft criteria and on the team's library: create, update, delete, reorder,
save to and start from the library, copy from another POC — with permissions and refusals that
change nothing."""

from decimal import Decimal

import pytest

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.criteria.models import SPEC_FIELDS, Criterion, CriterionTemplate
from pocdesk.criteria.selectors import criteria_copy_sources, criterion_templates
from pocdesk.criteria.services import (
    criteria_add_from_templates,
    criteria_copy_from_poc,
    criteria_reorder,
    criterion_create,
    criterion_delete,
    criterion_move,
    criterion_template_create,
    criterion_template_delete,
    criterion_update,
)
from pocdesk.pocs.models import POC
from tests.factories import AccountFactory, POCFactory, make_criterion

COLOUR = {
    "title": "  Colour temperature on the brick sample ", "question": "Does it match the wall?",
    "metric": "correlated colour temperature", "unit": "K", "comparator": "eq",
    "target_value": Decimal("2700"), "tolerance": Decimal("100"),
    "test_conditions": "Luminaire at 100 % after 30 minutes",
    "measurement_method": "Spectroradiometer at 1 m", "frequency": "Weekly",
    "aggregation": "mean", "owner_side": "customer", "importance": 5, "must_have": True,
}


def spec_of(criterion):
    return {name: getattr(criterion, name) for name in SPEC_FIELDS}


@pytest.fixture
def other_poc(other_team, outsider):
    return POCFactory(opportunity__account=AccountFactory(team=other_team), owner=outsider,
                      title="Crusher trial")


# --- create, update, delete -------------------------------------------------------------------


def test_create_appends_a_criterion_and_records_it(poc, engineer):
    first = criterion_create(actor=engineer, poc=poc, **COLOUR)
    second = criterion_create(actor=engineer, poc=poc, title="Humidity endurance",
                              comparator="pass_fail", pass_condition="No failure in 720 h",
                              measurement_method="Stop log", aggregation="latest")

    assert (first.position, second.position) == (1, 2)
    assert first.title == "Colour temperature on the brick sample"
    assert first.key != second.key
    saved = Criterion.objects.get(pk=first.pk)
    assert (saved.tolerance, saved.must_have, saved.owner_side) == (Decimal("100"), True,
                                                                     "customer")
    events = Event.objects.filter(poc=poc, verb="criterion.created").order_by("id")
    assert events.count() == 2
    assert "Colour temperature on the brick sample" in events.first().description


@pytest.mark.parametrize(("changes", "fields"), [
    ({"target_value": None}, ["target_value"]),
    ({"unit": " ", "measurement_method": ""}, ["measurement_method", "unit"]),
    ({"comparator": "between"}, ["target_max", "target_min", "target_value", "tolerance"]),
    ({"comparator": "pass_fail"}, ["aggregation", "pass_condition", "target_value",
                                   "tolerance"]),
    ({"importance": 6}, ["importance"]),
    ({"title": ""}, ["title"]),
    ({"key": "mine"}, ["key"]),
])
def test_a_criterion_that_is_not_measurable_is_refused_and_nothing_is_written(poc, engineer,
                                                                              changes, fields):
    with pytest.raises(ValidationFailed) as refusal:
        criterion_create(actor=engineer, poc=poc, **{**COLOUR, **changes})

    assert sorted(refusal.value.fields) == fields
    assert refusal.value.status == 422
    assert not Criterion.objects.exists()
    assert not Event.objects.exists()


def test_the_refusal_says_how_to_make_it_measurable(poc, engineer):
    with pytest.raises(ValidationFailed) as refusal:
        criterion_create(actor=engineer, poc=poc, title="The system is fast",
                         comparator="gte", aggregation="latest")

    assert "Give a number to reach with its unit" in refusal.value.fields["target_value"][0]
    assert "Say how it is measured" in refusal.value.fields["measurement_method"][0]


@pytest.mark.parametrize(("actor_name", "allowed"), [
    ("anonymous", False), ("outsider", False), ("sales", True), ("engineer", True),
    ("manager", True), ("admin", True)])
def test_who_may_write_criteria(poc, actors, actor_name, allowed):
    if allowed:
        criterion_create(actor=actors[actor_name], poc=poc, **COLOUR)
        assert Criterion.objects.filter(poc=poc).count() == 1
        return
    with pytest.raises(PermissionDenied):
        criterion_create(actor=actors[actor_name], poc=poc, **COLOUR)
    assert not Criterion.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize("status", ["closed", "walked_away"])
def test_a_finished_poc_keeps_its_criteria(poc, engineer, status):
    criterion = make_criterion(poc)
    POC.objects.filter(pk=poc.pk).update(status=status)
    poc.refresh_from_db()
    criterion.refresh_from_db()

    for write in (lambda: criterion_create(actor=engineer, poc=poc, **COLOUR),
                  lambda: criterion_update(actor=engineer, criterion=criterion, unit="kg"),
                  lambda: criterion_delete(actor=engineer, criterion=criterion)):
        with pytest.raises(ApplicationError) as refusal:
            write()
        assert (refusal.value.code, refusal.value.status) == ("poc_closed", 409)
    assert list(Criterion.objects.values_list("unit", flat=True)) == ["t/h"]
    assert not Event.objects.exists()


def test_update_changes_the_fields_and_records_what_changed(poc, engineer):
    criterion = make_criterion(poc)

    updated = criterion_update(actor=engineer, criterion=criterion, target_value=Decimal("130"),
                               frequency=" Hourly ")

    assert (updated.target_value, updated.frequency) == (Decimal("130"), "Hourly")
    event = Event.objects.get(verb="criterion.changed")
    assert event.data["changes"]["frequency"] == ["", "Hourly"]
    assert event.data["changes"]["target_value"][1] == "130"
    assert "frequency" in event.description


def test_an_update_that_changes_nothing_writes_no_event(poc, engineer):
    criterion = make_criterion(poc)

    criterion_update(actor=engineer, criterion=criterion, title="Throughput", unit="t/h")

    assert not Event.objects.exists()


def test_an_invalid_update_is_refused_and_the_criterion_unchanged(poc, engineer):
    criterion = make_criterion(poc)

    with pytest.raises(ValidationFailed) as refusal:
        criterion_update(actor=engineer, criterion=criterion, comparator="between",
                         target_value=None, target_min=Decimal("10"), target_max=Decimal("5"))

    assert list(refusal.value.fields) == ["target_max"]
    saved = Criterion.objects.get(pk=criterion.pk)
    assert (saved.comparator, saved.target_value, saved.target_min) == ("gte", Decimal("120"),
                                                                        None)
    assert not Event.objects.exists()


def test_an_outsider_cannot_update_or_delete(poc, outsider):
    criterion = make_criterion(poc)

    with pytest.raises(PermissionDenied):
        criterion_update(actor=outsider, criterion=criterion, unit="kg")
    with pytest.raises(PermissionDenied):
        criterion_delete(actor=outsider, criterion=criterion)

    assert Criterion.objects.get(pk=criterion.pk).unit == "t/h"
    assert not Event.objects.exists()


def test_delete_removes_the_criterion_and_records_it(poc, engineer):
    kept = make_criterion(poc, title="Availability")
    criterion = make_criterion(poc)

    criterion_delete(actor=engineer, criterion=criterion)

    assert list(Criterion.objects.all()) == [kept]
    assert Event.objects.get(verb="criterion.deleted").target_label == "Throughput"


def test_reorder_by_keys(poc, engineer):
    a, b, c = (make_criterion(poc, title=title) for title in "ABC")

    criteria_reorder(actor=engineer, poc=poc, keys=[str(c.key), str(a.key), str(b.key)])

    assert list(Criterion.objects.filter(poc=poc).values_list("title", flat=True)) == [
        "C", "A", "B"]


@pytest.mark.parametrize(("title", "direction", "order"), [
    ("B", "up", "BAC"), ("B", "down", "ACB"), ("A", "up", "ABC"), ("C", "down", "ABC")])
def test_move_swaps_with_the_neighbour_and_stops_at_the_ends(poc, engineer, title, direction,
                                                            order):
    criteria = {t: make_criterion(poc, title=t) for t in "ABC"}

    criterion_move(actor=engineer, criterion=criteria[title], direction=direction)

    assert "".join(Criterion.objects.filter(poc=poc).values_list("title", flat=True)) == order


def test_move_refuses_an_unknown_direction_and_an_outsider(poc, engineer, outsider):
    criterion = make_criterion(poc, title="A")
    make_criterion(poc, title="B")
    with pytest.raises(ValidationFailed):
        criterion_move(actor=engineer, criterion=criterion, direction="sideways")
    with pytest.raises(PermissionDenied):
        criterion_move(actor=outsider, criterion=criterion, direction="down")
    assert "".join(Criterion.objects.filter(poc=poc).values_list("title", flat=True)) == "AB"


@pytest.mark.parametrize("keys", [[], ["A", "B"], ["A", "B", "C", "C"], ["A", "B", "x"]])
def test_reorder_needs_every_key_exactly_once(poc, engineer, keys):
    criteria = {title: make_criterion(poc, title=title) for title in "ABC"}
    known = {title: str(c.key) for title, c in criteria.items()}

    with pytest.raises(ValidationFailed) as refusal:
        criteria_reorder(actor=engineer, poc=poc, keys=[known.get(k, k) for k in keys])

    assert list(refusal.value.fields) == ["keys"]
    assert list(Criterion.objects.filter(poc=poc).values_list("title", flat=True)) == [
        "A", "B", "C"]


# --- the library --------------------------------------------------------------------------------


def test_save_a_criterion_to_the_team_library(poc, engineer):
    criterion = criterion_create(actor=engineer, poc=poc, **COLOUR)

    template = criterion_template_create(actor=engineer, criterion=criterion,
                                         industry="  Museums ")

    assert spec_of(template) == spec_of(criterion)
    assert (template.team, template.created_by, template.industry) == (poc.team, engineer,
                                                                       "Museums")
    event = Event.objects.get(verb="criterion_template.created")
    assert (event.team, event.poc) == (poc.team, None)
    assert list(criterion_templates(user=engineer)) == [template]


def test_an_outsider_cannot_save_to_the_library_nor_see_it(poc, engineer, outsider):
    criterion = make_criterion(poc)
    with pytest.raises(PermissionDenied):
        criterion_template_create(actor=outsider, criterion=criterion)
    assert not CriterionTemplate.objects.exists()

    criterion_template_create(actor=engineer, criterion=criterion)
    assert not criterion_templates(user=outsider).exists()


def test_a_library_template_is_removed_by_its_author_or_a_manager(poc, engineer, sales,
                                                                  manager):
    template = criterion_template_create(actor=engineer, criterion=make_criterion(poc))

    with pytest.raises(PermissionDenied):
        criterion_template_delete(actor=sales, template=template)
    assert CriterionTemplate.objects.filter(pk=template.pk).exists()

    criterion_template_delete(actor=manager, template=template)
    assert not CriterionTemplate.objects.exists()
    assert Event.objects.filter(verb="criterion_template.deleted").count() == 1


def test_start_the_criteria_from_library_templates(poc, engineer):
    source = POCFactory(opportunity=poc.opportunity, owner=engineer, title="Earlier trial")
    colour = criterion_template_create(
        actor=engineer, criterion=criterion_create(actor=engineer, poc=source, **COLOUR))
    humidity = criterion_template_create(actor=engineer, criterion=make_criterion(
        source, title="720 h at 95 % humidity", comparator="pass_fail", metric="", unit="",
        target_value=None, pass_condition="No failure", aggregation="latest"))
    make_criterion(poc, title="Already there")

    created = criteria_add_from_templates(actor=engineer, poc=poc, templates=[humidity, colour])

    assert [c.position for c in created] == [2, 3]
    criteria = list(Criterion.objects.filter(poc=poc).order_by("position"))
    assert [c.title for c in criteria] == ["Already there", "720 h at 95 % humidity",
                                           "Colour temperature on the brick sample"]
    assert spec_of(criteria[2]) == spec_of(colour)
    assert len({c.key for c in Criterion.objects.all()}) == Criterion.objects.count()
    event = Event.objects.get(poc=poc, verb="criteria.copied")
    assert event.data == {"count": 2, "source": "the criteria library"}


def test_starting_from_the_library_is_refused_without_templates_or_from_another_team(
        poc, engineer, other_poc, outsider):
    foreign = criterion_template_create(actor=outsider, criterion=make_criterion(other_poc))

    with pytest.raises(ValidationFailed) as empty:
        criteria_add_from_templates(actor=engineer, poc=poc, templates=[])
    with pytest.raises(ValidationFailed) as other_team:
        criteria_add_from_templates(actor=engineer, poc=poc, templates=[foreign])

    assert list(empty.value.fields) == list(other_team.value.fields) == ["templates"]
    assert not poc.criteria.exists()
    assert not Event.objects.filter(poc=poc).exists()


# --- copy from another POC --------------------------------------------------------------------


def test_copy_the_criteria_of_another_poc(poc, engineer):
    source = POCFactory(opportunity=poc.opportunity, owner=engineer, title="Earlier trial")
    originals = [criterion_create(actor=engineer, poc=source, **COLOUR),
                 make_criterion(source, title="Availability", unit="%",
                                target_value=Decimal("95"))]
    make_criterion(poc, title="Already there")

    copies = criteria_copy_from_poc(actor=engineer, poc=poc, source=source)

    assert [c.position for c in copies] == [2, 3]
    assert [spec_of(c) for c in copies] == [spec_of(o) for o in originals]
    assert not {c.key for c in copies} & {o.key for o in originals}
    assert Criterion.objects.filter(poc=source).count() == 2
    event = Event.objects.get(poc=poc, verb="criteria.copied")
    assert event.data == {"count": 2, "source": "Earlier trial"}
    assert list(criteria_copy_sources(user=engineer, exclude=poc)) == [source]


def test_copying_from_a_poc_of_another_team_is_refused_and_changes_nothing(poc, engineer,
                                                                           other_poc):
    make_criterion(other_poc)

    with pytest.raises(PermissionDenied):
        criteria_copy_from_poc(actor=engineer, poc=poc, source=other_poc)

    assert not poc.criteria.exists()
    assert not Event.objects.exists()
    assert other_poc not in criteria_copy_sources(user=engineer)


def test_an_outsider_cannot_copy_into_a_poc_they_cannot_edit(poc, outsider, other_poc):
    make_criterion(other_poc)

    with pytest.raises(PermissionDenied):
        criteria_copy_from_poc(actor=outsider, poc=poc, source=other_poc)

    assert not poc.criteria.exists()
    assert not Event.objects.exists()


def test_copying_needs_another_poc_with_criteria(poc, engineer):
    make_criterion(poc)
    empty = POCFactory(opportunity=poc.opportunity, owner=engineer)

    with pytest.raises(ValidationFailed) as itself:
        criteria_copy_from_poc(actor=engineer, poc=poc, source=poc)
    with pytest.raises(ValidationFailed) as nothing:
        criteria_copy_from_poc(actor=engineer, poc=poc, source=empty)

    assert "another POC" in itself.value.fields["source"][0]
    assert "no success criteria" in nothing.value.fields["source"][0]
    assert poc.criteria.count() == 1
    assert not Event.objects.exists()
