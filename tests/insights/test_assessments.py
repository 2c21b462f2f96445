"""Win assessments: recording (checks per field, who may), deleting (author's window, managers),
the history's order and the chart's data."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.formats import date_format

from pocdesk.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from pocdesk.core.events import describe_event
from pocdesk.core.models import Event
from pocdesk.insights.assessments import (
    assessment_chart,
    assessment_delete,
    assessment_get,
    assessment_history,
    assessment_record,
)
from pocdesk.insights.models import Assessment
from pocdesk.opportunities.models import Opportunity
from tests.factories import OpportunityFactory, POCFactory

from .assessment_factories import make_assessment, make_history


def _record(opportunity, actor, **overrides):
    values = {"activity": "workshop", "activity_date": timezone.localdate(), "probability": 65,
              "confidence": "high", "rationale": "The champion booked the budget meeting."}
    values.update(overrides)
    return assessment_record(actor=actor, opportunity=opportunity, **values)


# -- recording --------------------------------------------------------------------------------

def test_an_engineer_records_an_assessment(opportunity, poc, engineer):
    assessment = _record(opportunity, engineer, poc=poc, probability="70",
                         rationale="  Line one\r\nline two\x07  ")

    assessment.refresh_from_db()
    assert (assessment.opportunity, assessment.poc, assessment.assessed_by) == (
        opportunity, poc, engineer)
    assert (assessment.activity, assessment.probability, assessment.confidence) == (
        "workshop", 70, "high")
    assert assessment.rationale == "Line one\nline two"
    event = Event.objects.get()
    assert (event.verb, event.actor, event.team, event.poc) == (
        "assessment.recorded", engineer, opportunity.team, poc)
    assert event.data == {"opportunity": opportunity.pk, "probability": 70, "confidence": "high",
                          "activity": "workshop",
                          "activity_date": timezone.localdate().isoformat()}
    assert describe_event(event) == "Win probability assessed at 70% after: Workshop"


def test_the_poc_may_be_given_by_its_id(opportunity, poc, engineer):
    assert _record(opportunity, engineer, poc=str(poc.pk)).poc == poc


@pytest.mark.parametrize(("probability", "expected"), [
    (0, 0), (100, 100), ("0", 0), (" 100 ", 100), (55.0, 55), (Decimal("42"), 42)])
def test_probability_bounds_are_accepted(opportunity, engineer, probability, expected):
    assessment = _record(opportunity, engineer, probability=probability)

    assessment.refresh_from_db()
    assert assessment.probability == expected


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"probability": None}, "probability", "This field is required."),
    ({"probability": ""}, "probability", "This field is required."),
    ({"probability": -1}, "probability", "Enter a whole number from 0 to 100."),
    ({"probability": 101}, "probability", "Enter a whole number from 0 to 100."),
    ({"probability": 62.5}, "probability", "Enter a whole number from 0 to 100."),
    ({"probability": "62.5"}, "probability", "Enter a whole number from 0 to 100."),
    ({"probability": "lots"}, "probability", "Enter a whole number from 0 to 100."),
    ({"probability": True}, "probability", "Enter a whole number from 0 to 100."),
    ({"probability": float("nan")}, "probability", "Enter a whole number from 0 to 100."),
    ({"activity": "golf"}, "activity",
     "Choose one of: Meeting, Demo, Workshop, POC checkpoint, Other activity."),
    ({"activity": ""}, "activity", "This field cannot be blank."),
    ({"confidence": "certain"}, "confidence", "Choose one of: Low, Medium, High."),
    ({"activity_date": None}, "activity_date", "Give the date."),
    ({"activity_date": "05/12/2026"}, "activity_date", "Enter a valid date (YYYY-MM-DD)."),
    ({"activity_date": "tomorrow"}, "activity_date", "Enter a valid date (YYYY-MM-DD)."),
    ({"rationale": ""}, "rationale", "Say why: the rationale is required."),
    ({"rationale": " \n\t "}, "rationale", "Say why: the rationale is required."),
    ({"rationale": "x" * 4001}, "rationale", "At most 4000 characters."),
    ({"poc": 999_999}, "poc", "Choose a POC of this opportunity."),
    ({"poc": "not a number"}, "poc", "Choose a POC of this opportunity."),
])
def test_bad_input_names_the_field_and_writes_nothing(opportunity, engineer, overrides, field,
                                                      message):
    with pytest.raises(ValidationFailed) as refusal:
        _record(opportunity, engineer, **overrides)

    assert refusal.value.fields == {field: [message]}
    assert refusal.value.status == 422
    assert not Assessment.objects.exists()
    assert not Event.objects.exists()


def test_a_future_date_is_refused(opportunity, engineer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationFailed) as refusal:
        _record(opportunity, engineer, activity_date=tomorrow)

    assert refusal.value.fields == {
        "activity_date": ["The activity date cannot be in the future."]}
    assert not Assessment.objects.exists()


def test_the_longest_rationale_is_accepted(opportunity, engineer):
    assert len(_record(opportunity, engineer, rationale="é" * 4000).rationale) == 4000


def test_every_bad_field_is_named_at_once(opportunity, engineer):
    with pytest.raises(ValidationFailed) as refusal:
        _record(opportunity, engineer, probability=300, activity="golf", rationale="")

    assert sorted(refusal.value.fields) == ["activity", "probability", "rationale"]


def test_a_poc_of_another_deal_is_refused(opportunity, engineer, account):
    other_poc = POCFactory(opportunity=OpportunityFactory(account=account))

    with pytest.raises(ValidationFailed) as refusal:
        _record(opportunity, engineer, poc=other_poc)

    assert refusal.value.fields == {"poc": ["Choose a POC of this opportunity."]}
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("stage", ["closed_won", "closed_lost"])
def test_a_closed_opportunity_is_not_assessed(opportunity, engineer, stage):
    Opportunity.objects.filter(pk=opportunity.pk).update(stage=stage)

    with pytest.raises(ApplicationError) as refusal:
        _record(opportunity, engineer)

    assert (refusal.value.code, refusal.value.status) == ("opportunity_closed", 409)
    assert "closed" in refusal.value.message
    assert not Assessment.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize(("actor_name", "allowed"), [
    ("guest", False), ("anonymous", False), ("outsider", False), ("engineer", True),
    ("sales", True), ("manager", True), ("admin", True)])
def test_who_may_record(opportunity, actors, actor_name, allowed):
    actor = AnonymousUser() if actor_name == "guest" else actors[actor_name]

    if allowed:
        assessment = _record(opportunity, actor)
        assert assessment.assessed_by == actor
        assert Event.objects.filter(verb="assessment.recorded").count() == 1
    else:
        with pytest.raises(PermissionDenied):
            _record(opportunity, actor)
        assert not Assessment.objects.exists()
        assert not Event.objects.exists()


# -- deleting ---------------------------------------------------------------------------------

def test_the_author_deletes_within_a_day(opportunity, engineer):
    assessment = _record(opportunity, engineer, probability=35)

    assessment_delete(actor=engineer, assessment=assessment)

    assert not Assessment.objects.exists()
    event = Event.objects.get(verb="assessment.deleted")
    assert (event.actor, event.data["probability"], event.data["assessed_by"]) == (
        engineer, 35, engineer.pk)
    assert describe_event(event) == "Win assessment of 35% deleted (Workshop)"


def test_the_author_may_not_delete_after_a_day(opportunity, engineer):
    assessment = make_assessment(opportunity, assessed_by=engineer,
                                 created_at=timezone.now() - datetime.timedelta(hours=24,
                                                                                minutes=1))

    with pytest.raises(ApplicationError) as refusal:
        assessment_delete(actor=engineer, assessment=assessment)

    assert (refusal.value.code, refusal.value.status) == ("delete_window_passed", 409)
    assert Assessment.objects.count() == 1
    assert not Event.objects.exists()


def test_the_author_may_delete_just_before_the_day_ends(opportunity, engineer):
    assessment = make_assessment(opportunity, assessed_by=engineer,
                                 created_at=timezone.now() - datetime.timedelta(hours=23,
                                                                                minutes=59))

    assessment_delete(actor=engineer, assessment=assessment)

    assert not Assessment.objects.exists()


@pytest.mark.parametrize(("actor_name", "allowed"), [
    ("guest", False), ("anonymous", False), ("outsider", False), ("engineer", False),
    ("sales", False), ("manager", True), ("admin", True)])
def test_who_may_delete_another_persons_old_assessment(opportunity, actors, actor_name,
                                                       allowed, team):
    from tests.factories import MembershipFactory, UserFactory

    author = UserFactory(username="author")
    MembershipFactory(team=team, user=author)
    assessment = make_assessment(opportunity, assessed_by=author,
                                 created_at=timezone.now() - datetime.timedelta(days=30))
    actor = AnonymousUser() if actor_name == "guest" else actors[actor_name]

    if allowed:
        assessment_delete(actor=actor, assessment=assessment)
        assert not Assessment.objects.exists()
        assert Event.objects.filter(verb="assessment.deleted").count() == 1
    else:
        with pytest.raises(PermissionDenied):
            assessment_delete(actor=actor, assessment=assessment)
        assert Assessment.objects.get() == assessment
        assert not Event.objects.exists()


def test_deleting_an_assessment_already_gone_is_not_found(opportunity, engineer):
    assessment = _record(opportunity, engineer)
    Assessment.objects.all().delete()

    with pytest.raises(NotFound):
        assessment_delete(actor=engineer, assessment=assessment)


def test_a_manager_may_delete_on_a_closed_deal(opportunity, engineer, manager):
    assessment = _record(opportunity, engineer)
    Opportunity.objects.filter(pk=opportunity.pk).update(stage="closed_lost")

    assessment_delete(actor=manager, assessment=assessment)

    assert not Assessment.objects.exists()


# -- reading ----------------------------------------------------------------------------------

def test_history_is_newest_activity_first(opportunity, engineer, manager):
    today = timezone.localdate()
    older = make_assessment(opportunity, assessed_by=engineer,
                            activity_date=today - datetime.timedelta(days=9))
    first_today = make_assessment(opportunity, assessed_by=engineer, activity_date=today,
                                  created_at=timezone.now() - datetime.timedelta(hours=2))
    second_today = make_assessment(opportunity, assessed_by=manager, activity_date=today)
    # Recorded last, about an earlier activity: it stays in the activity's place.
    late_entry = make_assessment(opportunity, assessed_by=engineer,
                                 activity_date=today - datetime.timedelta(days=3))
    make_assessment(OpportunityFactory(account=opportunity.account), assessed_by=engineer)

    assert assessment_history(opportunity=opportunity) == [
        second_today, first_today, late_entry, older]


def test_an_assessment_of_another_deal_is_not_found(opportunity, engineer, account):
    elsewhere = make_assessment(OpportunityFactory(account=account), assessed_by=engineer)

    with pytest.raises(NotFound):
        assessment_get(opportunity=opportunity, assessment_id=elsewhere.pk)


def test_chart_is_oldest_first_with_each_points_details(opportunity, engineer, manager, poc):
    today = timezone.localdate()
    make_assessment(opportunity, assessed_by=manager, activity_date=today, probability=80,
                    confidence="high", activity="poc_checkpoint", rationale="Targets met.")
    make_assessment(opportunity, assessed_by=engineer,
                    activity_date=today - datetime.timedelta(days=7), probability=40,
                    confidence="low", activity="meeting", rationale="word " * 60)

    chart = assessment_chart(opportunity=opportunity)

    yesterweek = today - datetime.timedelta(days=7)
    assert chart["labels"] == [date_format(yesterweek, "SHORT_DATE_FORMAT"),
                               date_format(today, "SHORT_DATE_FORMAT")]
    assert chart["probabilities"] == [40, 80]
    first, last = chart["points"]
    assert {key: first[key] for key in ("probability", "confidence", "confidence_label",
                                        "activity", "activity_label", "author")} == {
        "probability": 40, "confidence": "low", "confidence_label": "Low",
        "activity": "meeting", "activity_label": "Meeting", "author": "Engineer"}
    assert len(first["rationale"]) == 140 and first["rationale"].endswith("…")
    assert (last["author"], last["activity_label"], last["rationale"]) == (
        "Manager", "POC checkpoint", "Targets met.")
    assert sorted(chart) == ["labels", "points", "probabilities", "series_label"]
    assert sorted(first) == ["activity", "activity_label", "author", "confidence",
                             "confidence_label", "probability", "rationale"]


def test_chart_of_no_assessment_is_empty(opportunity):
    chart = assessment_chart(opportunity=opportunity)

    assert (chart["labels"], chart["probabilities"], chart["points"]) == ([], [], [])


@pytest.mark.parametrize("count", [1, 30])
def test_chart_and_history_cost_one_query_each(opportunity, engineer, count,
                                               django_assert_num_queries):
    make_history(opportunity, assessed_by=engineer, count=count)

    with django_assert_num_queries(1):
        history = assessment_history(opportunity=opportunity)
        assert [assessment.assessed_by.profile.display_name for assessment in history] == [
            "Engineer"] * count
    with django_assert_num_queries(1):
        assert len(assessment_chart(opportunity=opportunity)["points"]) == count
    with django_assert_num_queries(0):
        assessment_chart(opportunity=opportunity, assessments=history)
