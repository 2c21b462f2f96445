"""Recording meetings (§8.3): customer attendees of the deal (who came, who did not), our
attendees from the team, decisions one per line, action items each with one owner; a held
meeting is not in the future; nothing is half recorded."""

import datetime

import pytest
import time_machine

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.events import describe_event
from pocdesk.core.models import Event
from pocdesk.governance.models import ActionItem, Attendance, Meeting
from pocdesk.governance.selectors import meeting_get, meetings_for_poc
from pocdesk.governance.services import meeting_create, meeting_delete, meeting_update
from pocdesk.pocs.models import POC

from ..factories import POCFactory, make_customer, make_meeting

D = datetime.date
TODAY = D(2026, 3, 20)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, 0, tzinfo=datetime.UTC),
                             tick=False):
        yield


def state():
    return (list(Meeting.objects.values_list()), list(Attendance.objects.values_list()),
            list(ActionItem.objects.values_list()), Event.objects.count())


def record(poc, actor, **values):
    arguments = {"meeting_type": "steering", "date": D(2026, 3, 17)}
    arguments.update(values)
    return meeting_create(actor=actor, poc=poc, **arguments)


def test_a_held_steering_meeting_with_attendees_decisions_and_action_items(
        running_poc, engineer, sales, sponsor, champion):
    meeting = record(
        running_poc, engineer, title="  March steering  ", agenda="Results so far",
        notes="Throughput above target.", decisions="Extend to line 3\n\n  Order the kit  \n",
        attendees=[champion.pk, sponsor], absent=[], vendor_attendees=[engineer.pk, sales],
        action_items=[{"text": "Send the report", "owner": engineer.pk,
                       "due_on": "2026-03-24"},
                      {"text": "Book the line", "customer_owner": champion.pk}])

    meeting = meeting_get(poc=running_poc, meeting_id=meeting.pk)
    assert (meeting.meeting_type, meeting.status, meeting.date, meeting.title,
            meeting.decisions, meeting.recorded_by) == (
        "steering", "held", D(2026, 3, 17), "March steering", "Extend to line 3\nOrder the kit",
        engineer)
    assert [(a.stakeholder, a.attended) for a in meeting.attendances.all()] == [
        (champion, True), (sponsor, True)]
    assert sorted(u.username for u in meeting.vendor_attendees.all()) == ["engineer", "sales"]
    assert [(i.text, i.owner, i.customer_owner, i.due_on, i.status, i.created_by)
            for i in ActionItem.objects.order_by("id")] == [
        ("Send the report", engineer, None, D(2026, 3, 24), "open", engineer),
        ("Book the line", None, champion, None, "open", engineer)]
    recorded = Event.objects.get(verb="meeting.recorded")
    assert recorded.data == {"type": "steering", "status": "held", "date": "2026-03-17",
                             "decisions": 2, "actions": 2, "attended": 2, "absent": 0}
    assert describe_event(recorded) == "Meeting “March steering” held on 2026-03-17"
    assert [describe_event(e) for e in Event.objects.filter(verb="action_item.created")
            .order_by("id")] == ["Action item “Send the report” for Engineer",
                                 "Action item “Book the line” for Chris Champion"]


def test_who_did_not_come_is_recorded_as_absent(running_poc, engineer, sponsor, champion):
    meeting = record(running_poc, engineer, attendees=[champion.pk, champion.pk],
                     absent=[sponsor.pk])

    assert sorted((a.stakeholder.name, a.attended) for a in meeting.attendances.all()) == [
        ("Chris Champion", True), ("Dana Sponsor", False)]


@pytest.mark.parametrize(("values", "errors"), [
    ({"attendees": [10**6]}, {"attendees": ["1000000 is not a customer stakeholder of this "
                                            "deal."]}),
    ({"attendees": ["vendor"]}, {"attendees": ["{vendor} is not a customer stakeholder of this "
                                               "deal."]}),
    ({"absent": ["elsewhere"]}, {"absent": ["{elsewhere} is not a customer stakeholder of "
                                            "this deal."]}),
    ({"attendees": ["champion"], "absent": ["champion"]},
     {"absent": ["Chris Champion cannot both attend and be absent."]}),
    ({"attendees": 5}, {"attendees": ["Send a list of ids."]}),
    ({"vendor_attendees": ["outsider"]}, {"vendor_attendees": [
        "{outsider} is not a member of the POC's team."]}),
    ({"meeting_type": "lunch"}, {"meeting_type": ["Choose weekly sync, steering or review."]}),
    ({"status": "done"}, {"status": ["Choose planned, held or cancelled."]}),
    ({"date": D(2026, 3, 21)}, {"date": [
        "A held meeting cannot be dated in the future: plan it instead."]}),
    ({"date": "21/03/2026"}, {"date": ["Enter a valid date (YYYY-MM-DD)."]}),
    ({"date": None}, {"date": ["Give the date."]}),
    ({"title": "x" * 201}, {"title": [
        "Ensure this value has at most 200 characters (it has 201)."]}),
])
def test_a_bad_meeting_is_named_and_recorded_nowhere(running_poc, engineer, outsider,
                                                     champion, values, errors):
    vendor = make_customer(running_poc, name="Val Vendor", side="vendor")
    elsewhere = make_customer(POCFactory(), name="Elsewhere")
    names = {"vendor": vendor.pk, "elsewhere": elsewhere.pk, "champion": champion.pk,
             "outsider": outsider.pk}
    values = {name: [names.get(v, v) for v in value] if isinstance(value, list) else value
              for name, value in values.items()}
    expected = {name: [message.format(**names) for message in messages]
                for name, messages in errors.items()}
    before = state()

    with pytest.raises(ValidationFailed) as refusal:
        record(running_poc, engineer, **values)

    assert refusal.value.fields == expected
    assert state() == before


@pytest.mark.parametrize(("items", "errors"), [
    ([{"text": "Call back"}], {"action_items.0.owner": ["Say who owns this action item."]}),
    ([{"text": "Call", "owner": "engineer"}, {"text": "Call", "owner": "engineer",
                                              "customer_owner": "champion"}],
     {"action_items.1.owner": ["Give one owner, on our side or the customer's, not both."]}),
    ([{"text": " ", "owner": "engineer"}], {"action_items.0.text": ["Say what is to be done."]}),
    ([{"text": "x" * 301, "owner": "engineer"}], {"action_items.0.text": [
        "At most 300 characters."]}),
    ([{"text": "Call", "owner": "outsider"}], {"action_items.0.owner": [
        "Choose a member of the POC's team."]}),
    ([{"text": "Call", "customer_owner": "vendor"}], {"action_items.0.customer_owner": [
        "Choose a customer stakeholder of this deal."]}),
    ([{"text": "Call", "owner": "engineer", "due_on": "soon"}], {"action_items.0.due_on": [
        "Enter a valid date (YYYY-MM-DD)."]}),
    ([{"text": "Call", "owner": "engineer", "priority": "high"}], {
        "action_items.0.priority": ["This field cannot be changed here."]}),
    (["Call"], {"action_items.0": ["Each action item is an object with a text."]}),
    ([{"text": "Call", "owner": "engineer"}] * 21, {"action_items": [
        "At most 20 action items per meeting."]}),
])
def test_bad_action_items_are_named_by_row(running_poc, engineer, outsider, champion, items,
                                           errors):
    vendor = make_customer(running_poc, name="Val Vendor", side="vendor")
    names = {"engineer": engineer.pk, "outsider": outsider.pk, "champion": champion.pk,
             "vendor": vendor.pk}
    items = [{k: names.get(v, v) for k, v in item.items()} if isinstance(item, dict) else item
             for item in items]
    before = state()

    with pytest.raises(ValidationFailed) as refusal:
        record(running_poc, engineer, action_items=items)

    assert refusal.value.fields == errors
    assert state() == before


def test_a_planned_meeting_may_be_dated_any_day(running_poc, engineer, champion):
    later = record(running_poc, engineer, status="planned", date=D(2026, 4, 14),
                   attendees=[champion])
    earlier = record(running_poc, engineer, status="cancelled", date=D(2026, 5, 1))

    assert (later.status, later.date, earlier.status) == ("planned", D(2026, 4, 14),
                                                          "cancelled")
    assert describe_event(Event.objects.filter(verb="meeting.recorded").order_by("id").first()) == (
        "Meeting “Steering (with the executive sponsor)” planned on 2026-04-14")


def test_today_is_not_the_future(running_poc, engineer):
    assert record(running_poc, engineer, date=TODAY).date == TODAY


def test_outsiders_record_nothing_and_closed_pocs_are_history(running_poc, engineer, outsider):
    before = state()
    with pytest.raises(PermissionDenied):
        record(running_poc, outsider)
    with pytest.raises(PermissionDenied):
        record(running_poc, None)
    POC.objects.filter(pk=running_poc.pk).update(status="closed")
    with pytest.raises(ApplicationError) as closed:
        record(running_poc, engineer)

    assert (closed.value.code, closed.value.status) == ("poc_closed", 409)
    assert state() == before


def test_a_qualified_poc_may_already_plan_its_meetings(poc, engineer):
    POC.objects.filter(pk=poc.pk).update(status="qualified")

    assert record(poc, engineer, status="planned", date=D(2026, 4, 1)).pk


# -- changes ----------------------------------------------------------------------------------

def test_a_planned_meeting_is_then_recorded_as_held(running_poc, engineer, sponsor, champion):
    meeting = record(running_poc, engineer, status="planned", date=D(2026, 3, 19),
                     attendees=[sponsor, champion])

    meeting_update(actor=engineer, meeting=meeting, status="held", absent=[sponsor.pk],
                   attendees=[champion.pk], decisions="Go on", vendor_attendees=[engineer])

    meeting = meeting_get(poc=running_poc, meeting_id=meeting.pk)
    assert (meeting.status, meeting.decisions) == ("held", "Go on")
    assert sorted((a.stakeholder.name, a.attended) for a in meeting.attendances.all()) == [
        ("Chris Champion", True), ("Dana Sponsor", False)]
    assert [u.username for u in meeting.vendor_attendees.all()] == ["engineer"]
    changed = Event.objects.get(verb="meeting.changed")
    assert changed.data["changes"] == {"status": ["planned", "held"],
                                       "decisions": ["", "Go on"], "attendances": [2, 1],
                                       "vendor_attendees": [0, 1]}
    assert describe_event(changed) == ("Meeting “Steering (with the executive sponsor)” "
                                       "changed: status, decisions, attendances, our attendees")


def test_a_group_not_sent_is_kept(running_poc, engineer, sponsor, champion):
    meeting = record(running_poc, engineer, attendees=[champion], absent=[sponsor])

    with pytest.raises(ValidationFailed) as refusal:
        meeting_update(actor=engineer, meeting=meeting, attendees=[champion, sponsor])
    meeting_update(actor=engineer, meeting=meeting, attendees=[sponsor.pk, champion.pk],
                   absent=[])

    assert refusal.value.fields == {"absent": [
        "Dana Sponsor cannot both attend and be absent."]}
    assert sorted(meeting.attendances.values_list("attended", flat=True)) == [True, True]


def test_an_unchanged_meeting_records_no_event(running_poc, engineer, champion):
    meeting = record(running_poc, engineer, attendees=[champion], title="Sync")
    events = Event.objects.count()

    meeting_update(actor=engineer, meeting=meeting, title=" Sync ", attendees=[champion.pk])

    assert Event.objects.count() == events


@pytest.mark.parametrize(("changes", "fields"), [
    ({"date": D(2026, 3, 25)}, ["date"]),
    ({"status": "held", "date": D(2026, 3, 25)}, ["date"]),
    ({"poc": 3}, ["poc"]),
    ({"recorded_by": 3}, ["recorded_by"]),
    ({"meeting_type": "retro"}, ["meeting_type"]),
])
def test_a_bad_change_changes_nothing(running_poc, engineer, changes, fields):
    meeting = record(running_poc, engineer)
    before = state()

    with pytest.raises(ValidationFailed) as refusal:
        meeting_update(actor=engineer, meeting=meeting, **changes)

    assert sorted(refusal.value.fields) == fields
    assert state() == before


# -- deleting ---------------------------------------------------------------------------------

def test_a_held_meeting_is_deleted_by_its_recorder_or_a_manager(running_poc, engineer, sales,
                                                                manager):
    mine = record(running_poc, engineer, action_items=[{"text": "Call", "owner": engineer}])
    theirs = record(running_poc, sales)
    planned = record(running_poc, sales, status="planned", date=D(2026, 4, 1))
    before = state()

    with pytest.raises(PermissionDenied) as refusal:
        meeting_delete(actor=engineer, meeting=theirs)
    assert state() == before
    assert refusal.value.message == ("Only whoever recorded a held meeting, or a manager, "
                                     "deletes it.")

    meeting_delete(actor=engineer, meeting=mine)
    meeting_delete(actor=manager, meeting=theirs)
    meeting_delete(actor=engineer, meeting=planned)

    assert not Meeting.objects.exists()
    assert ActionItem.objects.get().meeting is None  # the action item stays
    assert Event.objects.filter(verb="meeting.deleted").count() == 3
    assert describe_event(Event.objects.filter(verb="meeting.deleted").order_by("id").first()) == (
        "Meeting “Steering (with the executive sponsor)” of 2026-03-17 deleted")


def test_meetings_are_listed_newest_first_in_four_queries(running_poc, engineer, champion,
                                                          sponsor, django_assert_num_queries):
    for day in (3, 10, 17):
        meeting = make_meeting(running_poc, date=D(2026, 3, day), attendees=[champion],
                               absent=[sponsor])
        meeting.vendor_attendees.add(engineer)
        ActionItem.objects.create(poc=running_poc, meeting=meeting, text="Do", owner=engineer)

    with django_assert_num_queries(4):
        meetings = list(meetings_for_poc(poc=running_poc))
        shown = [(m.date.day, [a.attended for a in m.attendances.all()],
                  len(m.vendor_attendees.all()), len(m.action_items.all())) for m in meetings]

    assert shown == [(17, [True, False], 1, 1), (10, [True, False], 1, 1),
                     (3, [True, False], 1, 1)]
    assert [m.date.day for m in meetings_for_poc(poc=running_poc, meeting_type="steering")] == []
