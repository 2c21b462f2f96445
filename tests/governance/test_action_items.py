"""Action items (§8.3): one owner on either side, a due date, open → done (the day is kept) or
cancelled, reopened; listed open first by due date, each flagged when overdue."""

import datetime

import pytest
import time_machine

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.events import describe_event
from pocdesk.core.models import Event
from pocdesk.governance.models import ActionItem
from pocdesk.governance.selectors import action_item_get, action_items_for_poc
from pocdesk.governance.services import action_item_create, action_item_update
from pocdesk.pocs.models import POC

from ..factories import POCFactory, make_action_item, make_customer, make_meeting

D = datetime.date


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, 0, tzinfo=datetime.UTC),
                             tick=False):
        yield


def state():
    return list(ActionItem.objects.values_list()), Event.objects.count()


def test_an_action_item_from_a_meeting(running_poc, engineer, champion):
    meeting = make_meeting(running_poc)

    item = action_item_create(actor=engineer, poc=running_poc, text="  Ship the sensor  ",
                              customer_owner=champion.pk, due_on="2026-03-27",
                              meeting=meeting.pk)

    assert (item.text, item.owner, item.customer_owner, item.due_on, item.meeting,
            item.status, item.created_by) == ("Ship the sensor", None, champion,
                                              D(2026, 3, 27), meeting, "open", engineer)
    assert Event.objects.get().data == {"owner": "Chris Champion", "due": "2026-03-27",
                                        "meeting": meeting.pk}


@pytest.mark.parametrize(("values", "errors"), [
    ({}, {"owner": ["Say who owns this action item."]}),
    ({"owner": "engineer", "customer_owner": "champion"}, {"owner": [
        "Give one owner, on our side or the customer's, not both."]}),
    ({"owner": "engineer", "meeting": "elsewhere"}, {"meeting": [
        "Choose a meeting of this POC."]}),
    ({"owner": "engineer", "meeting": "x"}, {"meeting": ["Choose a meeting of this POC."]}),
    ({"owner": "engineer", "text": ""}, {"text": ["Say what is to be done."]}),
    ({"owner": "engineer", "due_on": datetime.datetime(2026, 3, 27, 9, 0)}, {"due_on": [
        "Enter a date without a time."]}),
])
def test_a_bad_action_item_is_named_and_created_nowhere(running_poc, engineer, champion,
                                                        values, errors):
    elsewhere = make_meeting(POCFactory(opportunity=running_poc.opportunity))
    names = {"engineer": engineer.pk, "champion": champion.pk, "elsewhere": elsewhere.pk}
    arguments = {"text": "Call back", **{k: names.get(v, v) for k, v in values.items()}}
    before = state()

    with pytest.raises(ValidationFailed) as refusal:
        action_item_create(actor=engineer, poc=running_poc, **arguments)

    assert refusal.value.fields == errors
    assert state() == before


def test_done_keeps_the_day_and_reopening_clears_it(running_poc, engineer, sales):
    item = make_action_item(running_poc, owner=sales, due_on=D(2026, 3, 18))

    action_item_update(actor=engineer, action_item=item, status="done")
    item.refresh_from_db()
    assert (item.status, item.done_on) == ("done", D(2026, 3, 20))

    action_item_update(actor=engineer, action_item=item, status="open")
    item.refresh_from_db()
    assert (item.status, item.done_on) == ("open", None)

    action_item_update(actor=engineer, action_item=item, status="cancelled")
    item.refresh_from_db()
    assert (item.status, item.done_on) == ("cancelled", None)
    assert [describe_event(e) for e in Event.objects.order_by("id")] == [
        "Action item “Send the dust-sensor calibration sheet.” done",
        "Action item “Send the dust-sensor calibration sheet.” reopened",
        "Action item “Send the dust-sensor calibration sheet.” cancelled"]


def test_naming_one_owner_replaces_the_other(running_poc, engineer, champion):
    item = make_action_item(running_poc, owner=engineer)

    action_item_update(actor=engineer, action_item=item, customer_owner=champion.pk,
                       due_on=D(2026, 4, 1), text="Call the plant")
    item.refresh_from_db()
    assert (item.owner, item.customer_owner, item.due_on, item.text) == (
        None, champion, D(2026, 4, 1), "Call the plant")
    changed = Event.objects.get(verb="action_item.changed")
    assert changed.data["changes"] == {
        "text": ["Send the dust-sensor calibration sheet.", "Call the plant"],
        "owner": ["engineer", None], "customer_owner": [None, str(champion)],
        "due_on": [None, "2026-04-01"]}

    action_item_update(actor=engineer, action_item=item, owner=engineer)
    item.refresh_from_db()
    assert (item.owner, item.customer_owner) == (engineer, None)


@pytest.mark.parametrize(("changes", "errors"), [
    ({"owner": None}, {"owner": ["Say who owns this action item."]}),
    ({"owner": "outsider"}, {"owner": ["Choose a member of the POC's team."]}),
    ({"status": "late"}, {"status": ["Choose open, done or cancelled."]}),
    ({"meeting": 1}, {"meeting": ["This field cannot be changed here."]}),
    ({"due_on": "tomorrow"}, {"due_on": ["Enter a valid date (YYYY-MM-DD)."]}),
])
def test_a_bad_change_changes_nothing(running_poc, engineer, outsider, changes, errors):
    item = make_action_item(running_poc, owner=engineer)
    changes = {k: outsider.pk if v == "outsider" else v for k, v in changes.items()}
    before = state()

    with pytest.raises(ValidationFailed) as refusal:
        action_item_update(actor=engineer, action_item=item, **changes)

    assert refusal.value.fields == errors
    assert state() == before


def test_outsiders_and_closed_pocs(running_poc, engineer, outsider):
    item = make_action_item(running_poc, owner=engineer)
    before = state()
    with pytest.raises(PermissionDenied):
        action_item_update(actor=outsider, action_item=item, status="done")
    with pytest.raises(PermissionDenied):
        action_item_create(actor=outsider, poc=running_poc, text="Call", owner=outsider)
    POC.objects.filter(pk=running_poc.pk).update(status="walked_away")
    with pytest.raises(ApplicationError) as closed:
        action_item_update(actor=engineer, action_item=item, status="done")

    assert closed.value.code == "poc_closed"
    assert state() == before


def test_listed_open_first_by_due_date_each_flagged_when_overdue(running_poc, engineer,
                                                                 django_assert_num_queries):
    done = make_action_item(running_poc, owner=engineer, text="Done", status="done",
                            due_on=D(2026, 3, 1))
    later = make_action_item(running_poc, owner=engineer, text="Later", due_on=D(2026, 3, 25))
    undated = make_action_item(running_poc, owner=engineer, text="Undated")
    late = make_action_item(running_poc, owner=engineer, text="Late", due_on=D(2026, 3, 19))
    customer = make_customer(running_poc)
    today = make_action_item(running_poc, customer_owner=customer, text="Today",
                             due_on=D(2026, 3, 20))

    ActionItem.objects.filter(poc=running_poc).update(created_by=engineer)

    with django_assert_num_queries(1):  # owners and authors come with the items
        listed = [(item.pk, item.overdue, str(item.owner or item.customer_owner),
                   item.created_by.profile.display_name)
                  for item in action_items_for_poc(poc=running_poc)]

    assert [pk for pk, _overdue, _owner, _author in listed] == [late.pk, today.pk, later.pk, undated.pk,
                                                       done.pk]
    assert {pk for pk, overdue, _owner, _author in listed if overdue} == {late.pk}
    assert [i.pk for i in action_items_for_poc(poc=running_poc, overdue=True)] == [late.pk]
    assert [i.pk for i in action_items_for_poc(poc=running_poc, status="done")] == [done.pk]
    assert action_item_get(poc=running_poc, action_item_id=late.pk).overdue is True
