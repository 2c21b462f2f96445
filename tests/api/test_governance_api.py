"""Governance (§8.3) through the API: meetings with their attendees, decisions and action
items, the cadence, and the warnings summary."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pocdesk.core.models import Event
from pocdesk.governance.models import ActionItem, Attendance, Cadence, Meeting
from pocdesk.pocs.models import POC, Status
from pocdesk.stakeholders.models import Stakeholder
from tests.factories import POCFactory, make_action_item, make_meeting

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _customer(poc, name, role):
    return Stakeholder.objects.create(
        team=poc.team, account=poc.opportunity.account, opportunity=poc.opportunity,
        name=name, title="", side="customer", role=role)


@pytest.fixture
def sponsor(poc):
    return _customer(poc, "Dana Sponsor", "executive_sponsor")


@pytest.fixture
def champion(poc):
    return _customer(poc, "Chris Champion", "champion")


@pytest.fixture
def running_poc(poc):
    POC.objects.filter(pk=poc.pk).update(status=Status.RUNNING,
                                         start_date=datetime.date(2026, 3, 2),
                                         end_date=datetime.date(2026, 5, 29))
    poc.refresh_from_db()
    return poc


def governance_state():
    """What a refused call must leave untouched."""
    return (list(Meeting.objects.order_by("pk").values_list()),
            list(Attendance.objects.order_by("pk").values_list()),
            list(ActionItem.objects.order_by("pk").values_list()),
            list(Cadence.objects.order_by("pk").values_list()),
            Event.objects.exclude(verb__startswith="token.").count())


def user_ref(user) -> dict:
    return {"id": user.pk, "username": user.username, "name": user.username.title()}


# --- meetings ----------------------------------------------------------------------------------

def test_a_meeting_is_recorded_read_and_listed(running_poc, engineer, sponsor, champion,
                                               api_as):
    api = api_as(engineer)

    response = api.post(f"/pocs/{running_poc.pk}/meetings", {
        "meeting_type": "steering", "date": "2026-03-17", "title": "March steering",
        "agenda": "Results", "notes": "Above target", "decisions": ["Go on", "Add line 3"],
        "attendees": [champion.pk], "absent": [sponsor.pk], "vendor_attendees": [engineer.pk],
        "action_items": [{"text": "Send the report", "owner": engineer.pk,
                          "due_on": "2026-03-19"}]})

    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get()
    item = ActionItem.objects.get()
    assert response.json() == {
        "id": meeting.pk, "meeting_type": "steering", "status": "held", "date": "2026-03-17",
        "title": "March steering", "label": "March steering", "agenda": "Results",
        "notes": "Above target", "decisions": ["Go on", "Add line 3"],
        "attendees": [{"id": champion.pk, "name": "Chris Champion"}],
        "absent": [{"id": sponsor.pk, "name": "Dana Sponsor"}],
        "vendor_attendees": [user_ref(engineer)],
        "action_items": [{
            "id": item.pk, "text": "Send the report", "owner": user_ref(engineer),
            "customer_owner": None, "due_on": "2026-03-19", "status": "open", "done_on": None,
            "overdue": True, "meeting_id": meeting.pk, "created_by": user_ref(engineer),
            "created_at": "2026-03-20T09:00:00Z"}],
        "recorded_by": user_ref(engineer), "created_at": "2026-03-20T09:00:00Z",
        "updated_at": "2026-03-20T09:00:00Z"}
    assert meeting.decisions == "Go on\nAdd line 3"
    assert api.get(f"/pocs/{running_poc.pk}/meetings/{meeting.pk}").json() == response.json()
    assert api.get(f"/pocs/{running_poc.pk}/meetings").json() == {
        "items": [response.json()], "count": 1}


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"date": "2026-03-21"}, ["date"]),
    ({"meeting_type": "lunch"}, ["meeting_type"]),
    ({"status": "done"}, ["status"]),
    ({"attendees": ["vendor"]}, ["attendees"]),
    ({"attendees": ["champion"], "absent": ["champion"]}, ["absent"]),
    ({"absent": [10**6]}, ["absent"]),
    ({"vendor_attendees": ["outsider"]}, ["vendor_attendees"]),
    ({"action_items": [{"text": "Call"}]}, ["action_items.0.owner"]),
    ({"action_items": [{"text": "Call", "owner": "engineer"},
                       {"text": "Call", "owner": "outsider"}]}, ["action_items.1.owner"]),
    ({"action_items": [{"text": "Call", "owner": "abc"}]}, ["action_items"]),
    ({"title": "x" * 201}, ["title"]),
    ({"recorded_by": 1}, ["recorded_by"]),
])
def test_a_bad_meeting_is_named_and_recorded_nowhere(running_poc, engineer, outsider, champion,
                                                     api_as, body, bad_fields):
    vendor = Stakeholder.objects.create(team=running_poc.team,
                                        account=running_poc.opportunity.account,
                                        name="Val Vendor", side="vendor")
    names = {"vendor": vendor.pk, "champion": champion.pk, "outsider": outsider.pk,
             "engineer": engineer.pk}

    def swap(value):
        if isinstance(value, list):
            return [swap(v) for v in value]
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        return names.get(value, value) if isinstance(value, str) else value

    payload = {"meeting_type": "weekly_sync", "date": "2026-03-20", **swap(body)}
    before = governance_state()

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/meetings", payload)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert governance_state() == before


def test_a_wrong_attendee_is_named(running_poc, engineer, api_as):
    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/meetings", {
        "meeting_type": "review", "date": "2026-03-20", "attendees": [999999]})

    assert response.json()["details"]["fields"] == {
        "attendees": ["999999 is not a customer stakeholder of this deal."]}


def test_a_planned_meeting_is_then_recorded_as_held(running_poc, engineer, sponsor, champion,
                                                    api_as):
    api = api_as(engineer)
    planned = api.post(f"/pocs/{running_poc.pk}/meetings", {
        "meeting_type": "steering", "date": "2026-03-20", "status": "planned",
        "attendees": [sponsor.pk, champion.pk]}).json()
    path = f"/pocs/{running_poc.pk}/meetings/{planned['id']}"

    response = api.patch(path, {"status": "held", "attendees": [champion.pk],
                                "absent": [sponsor.pk], "decisions": "Extend by a week"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["decisions"], body["attendees"], body["absent"]) == (
        "held", ["Extend by a week"], [{"id": champion.pk, "name": "Chris Champion"}],
        [{"id": sponsor.pk, "name": "Dana Sponsor"}])
    refused = api.patch(path, {"date": "2026-03-27"})
    assert refused.status_code == 422
    assert refused.json()["details"]["fields"] == {"date": [
        "A held meeting cannot be dated in the future: plan it instead."]}


def test_meetings_are_filtered(running_poc, engineer, api_as):
    make_meeting(running_poc, date=datetime.date(2026, 3, 3))
    steering = make_meeting(running_poc, meeting_type="steering",
                            date=datetime.date(2026, 3, 10))
    planned = make_meeting(running_poc, date=datetime.date(2026, 3, 24), status="planned")
    api = api_as(engineer)
    path = f"/pocs/{running_poc.pk}/meetings"

    assert [m["id"] for m in api.get(path, {"meeting_type": "steering"}).json()["items"]] == [
        steering.pk]
    assert [m["id"] for m in api.get(path, {"status": "planned"}).json()["items"]] == [
        planned.pk]
    assert api.get(path, {"status": "late"}).status_code == 422


@pytest.mark.parametrize(("actor_name", "expected"), [
    ("anonymous", 401), ("outsider", 404), ("sales", 403), ("engineer", 204), ("manager", 204),
    ("admin", 204)])
def test_a_held_meeting_is_deleted_by_its_recorder_or_a_manager(running_poc, engineer, actors,
                                                                api_as, anonymous_api,
                                                                actor_name, expected):
    meeting = make_meeting(running_poc, recorded_by=engineer)
    item = make_action_item(running_poc, meeting=meeting, owner=engineer)
    actor = actors[actor_name]
    api = api_as(actor) if actor else anonymous_api
    before = governance_state()

    response = api.delete(f"/pocs/{running_poc.pk}/meetings/{meeting.pk}")

    assert response.status_code == expected, response.content
    if expected == 204:
        assert not Meeting.objects.exists()
        item.refresh_from_db()
        assert item.meeting is None
    else:
        assert governance_state() == before
    if expected == 403:
        assert response.json()["message"] == ("Only whoever recorded a held meeting, or a "
                                              "manager, deletes it.")


@pytest.mark.parametrize(("actor_name", "expected"), [
    ("anonymous", 401), ("outsider", 404), ("sales", 201), ("engineer", 201),
    ("admin", 201)])
def test_who_records_a_meeting(running_poc, actors, api_as, anonymous_api, actor_name,
                               expected):
    actor = actors[actor_name]
    api = api_as(actor) if actor else anonymous_api
    before = governance_state()

    response = api.post(f"/pocs/{running_poc.pk}/meetings",
                        {"meeting_type": "weekly_sync", "date": "2026-03-19"})

    assert response.status_code == expected, response.content
    if expected != 201:
        assert governance_state() == before


def test_a_closed_poc_is_history(running_poc, engineer, api_as):
    meeting = make_meeting(running_poc)
    POC.objects.filter(pk=running_poc.pk).update(status=Status.CLOSED)
    api = api_as(engineer)
    before = governance_state()

    responses = [
        api.post(f"/pocs/{running_poc.pk}/meetings", {"meeting_type": "review",
                                                      "date": "2026-03-19"}),
        api.patch(f"/pocs/{running_poc.pk}/meetings/{meeting.pk}", {"title": "Late"}),
        api.put(f"/pocs/{running_poc.pk}/cadence", {"weekly_sync_days": 3,
                                                    "steering_days": None, "grace_days": 0}),
    ]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [(409, "poc_closed")] * 3
    assert governance_state() == before
    assert api.get(f"/pocs/{running_poc.pk}/meetings/{meeting.pk}").status_code == 200


def test_another_pocs_meeting_is_not_found(running_poc, engineer, api_as):
    elsewhere = make_meeting(POCFactory(opportunity=running_poc.opportunity))

    response = api_as(engineer).get(f"/pocs/{running_poc.pk}/meetings/{elsewhere.pk}")

    assert response.status_code == 404


def test_the_meeting_list_costs_the_same_for_2_and_20_meetings(running_poc, engineer, sponsor,
                                                               champion, api_as):
    api = api_as(engineer)

    def cost():
        api.get(f"/pocs/{running_poc.pk}/meetings")  # the first call stamps the token's use
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/pocs/{running_poc.pk}/meetings", {"page_size": 50})
        assert response.status_code == 200
        return len(queries)

    def add(count):
        for index in range(count):
            meeting = make_meeting(running_poc, date=datetime.date(2026, 3, 1 + index % 19),
                                   attendees=[champion], absent=[sponsor])
            meeting.vendor_attendees.add(engineer)
            make_action_item(running_poc, meeting=meeting, owner=engineer)

    add(2)
    few = cost()
    add(18)
    # Token, profile, teams, POC, count, page, attendances, our attendees, action items.
    assert cost() == few == 9


# --- action items ------------------------------------------------------------------------------

def test_an_action_item_is_added_done_and_listed(running_poc, engineer, champion, api_as):
    api = api_as(engineer)
    meeting = make_meeting(running_poc)

    created = api.post(f"/pocs/{running_poc.pk}/action-items", {
        "text": "Book the test line", "customer_owner": champion.pk, "due_on": "2026-03-24",
        "meeting": meeting.pk})

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["customer_owner"], body["owner"], body["meeting_id"], body["overdue"]) == (
        {"id": champion.pk, "name": "Chris Champion"}, None, meeting.pk, False)
    done = api.patch(f"/pocs/{running_poc.pk}/action-items/{body['id']}", {"status": "done"})
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["done_on"]) == ("done", "2026-03-20")
    listed = api.get(f"/pocs/{running_poc.pk}/action-items", {"status": "done"}).json()
    assert (listed["count"], listed["items"][0]["id"]) == (1, body["id"])


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({}, ["owner"]),
    ({"owner": "engineer", "customer_owner": "champion"}, ["owner"]),
    ({"owner": "outsider"}, ["owner"]),
    ({"owner": "engineer", "meeting": "elsewhere"}, ["meeting"]),
    ({"owner": "engineer", "text": "x" * 301}, ["text"]),
    ({"owner": "engineer", "due_on": "soon"}, ["due_on"]),
    ({"owner": "engineer", "status": "done"}, ["status"]),
])
def test_a_bad_action_item_is_named_and_created_nowhere(running_poc, engineer, outsider,
                                                        champion, api_as, body, bad_fields):
    elsewhere = make_meeting(POCFactory(opportunity=running_poc.opportunity))
    names = {"engineer": engineer.pk, "outsider": outsider.pk, "champion": champion.pk,
             "elsewhere": elsewhere.pk}
    payload = {"text": "Call back", **{k: names.get(v, v) for k, v in body.items()}}
    before = governance_state()

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/action-items", payload)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert governance_state() == before


def test_overdue_action_items_are_filtered(running_poc, engineer, api_as):
    late = make_action_item(running_poc, owner=engineer, due_on=datetime.date(2026, 3, 19))
    make_action_item(running_poc, owner=engineer, due_on=datetime.date(2026, 3, 20))
    api = api_as(engineer)

    overdue = api.get(f"/pocs/{running_poc.pk}/action-items", {"overdue": "true"}).json()

    assert (overdue["count"], overdue["items"][0]["id"]) == (1, late.pk)


def test_an_outsider_changes_no_action_item(running_poc, engineer, outsider, api_as):
    item = make_action_item(running_poc, owner=engineer)
    before = governance_state()

    response = api_as(outsider).patch(f"/pocs/{running_poc.pk}/action-items/{item.pk}",
                                      {"status": "done"})

    assert response.status_code == 404
    assert governance_state() == before


def test_the_action_item_list_costs_the_same_for_1_and_16_items(running_poc, engineer, champion,
                                                           api_as):
    api = api_as(engineer)

    def cost():
        api.get(f"/pocs/{running_poc.pk}/action-items")  # the first call stamps the token's use
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/pocs/{running_poc.pk}/action-items").status_code == 200
        return len(queries)

    make_action_item(running_poc, owner=engineer)
    few = cost()
    for _index in range(15):
        make_action_item(running_poc, customer_owner=champion, meeting=make_meeting(running_poc))
    # Token, profile, teams, POC, count, page.
    assert cost() == few == 6


# --- cadence and summary -----------------------------------------------------------------------

def test_the_cadence_is_read_and_set(running_poc, engineer, api_as):
    api = api_as(engineer)
    path = f"/pocs/{running_poc.pk}/cadence"

    assert api.get(path).json() == {"weekly_sync_days": 7, "steering_days": 28, "grace_days": 2,
                                    "is_default": True, "updated_by": None, "updated_at": None}
    response = api.put(path, {"weekly_sync_days": 14, "steering_days": None, "grace_days": 1})

    assert response.status_code == 200, response.content
    assert response.json() == {"weekly_sync_days": 14, "steering_days": None, "grace_days": 1,
                               "is_default": False, "updated_by": user_ref(engineer),
                               "updated_at": "2026-03-20T09:00:00Z"}
    assert api.get(path).json() == response.json()


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"weekly_sync_days": 0, "steering_days": 28, "grace_days": 2}, ["weekly_sync_days"]),
    ({"weekly_sync_days": 7, "steering_days": 365, "grace_days": 2}, ["steering_days"]),
    ({"weekly_sync_days": 7, "steering_days": 28, "grace_days": 31}, ["grace_days"]),
    ({"weekly_sync_days": 7, "steering_days": 28}, ["grace_days"]),
    ({"weekly_sync_days": 7, "steering_days": 28, "grace_days": 2, "review_days": 3},
     ["review_days"]),
])
def test_a_bad_cadence_is_named_and_set_nowhere(running_poc, engineer, api_as, body,
                                                bad_fields):
    before = governance_state()

    response = api_as(engineer).put(f"/pocs/{running_poc.pk}/cadence", body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert governance_state() == before


def test_the_governance_summary_and_its_warnings(running_poc, engineer, sponsor, champion,
                                                 api_as):
    for day in (3, 17):
        make_meeting(running_poc, meeting_type="steering", date=datetime.date(2026, 3, day),
                     attendees=[champion], absent=[sponsor])
    make_meeting(running_poc, date=datetime.date(2026, 3, 24), status="planned")
    make_action_item(running_poc, owner=engineer, due_on=datetime.date(2026, 3, 18))

    response = api_as(engineer).get(f"/pocs/{running_poc.pk}/governance")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["types"] == [
        {"meeting_type": "weekly_sync", "every_days": 7, "last_held": None,
         "next_planned": "2026-03-24", "due_on": "2026-03-09", "held": 0, "planned": 1},
        {"meeting_type": "steering", "every_days": 28, "last_held": "2026-03-17",
         "next_planned": None, "due_on": "2026-04-14", "held": 2, "planned": 0},
        {"meeting_type": "review", "every_days": None, "last_held": None, "next_planned": None,
         "due_on": None, "held": 0, "planned": 0}]
    assert [(w["code"], w["severity"]) for w in body["warnings"]] == [
        ("sponsor_missed_steering", "danger"), ("weekly_sync_overdue", "warning"),
        ("single_customer_contact", "warning"), ("action_items_overdue", "warning")]
    assert body["warnings"][1] == {
        "code": "weekly_sync_overdue", "severity": "warning",
        "message": "No weekly sync yet: the POC started on March 2, 2026 and the first one was "
                   "due on March 9, 2026, 11 days ago. One is planned on March 24, 2026.",
        "details": {"meeting_type": "weekly_sync", "last_held": None, "due_on": "2026-03-09",
                    "days_overdue": 11, "next_planned": "2026-03-24"}}
    assert (body["open_action_items"], body["overdue_action_items"], body["meetings_held"],
            body["today"]) == (1, 1, 2, "2026-03-20")
    assert body["cadence"]["is_default"] is True


def test_the_summary_in_french(running_poc, engineer, api_as):
    response = api_as(engineer).get(f"/pocs/{running_poc.pk}/governance",
                                    **{"Accept-Language": "fr"})

    assert response.status_code == 200
    assert {w["code"] for w in response.json()["warnings"]} == {"weekly_sync_overdue",
                                                                 "no_executive_sponsor"}


def test_an_outsider_sees_no_governance(running_poc, outsider, api_as):
    api = api_as(outsider)

    assert [api.get(f"/pocs/{running_poc.pk}/{path}").status_code
            for path in ("governance", "cadence", "meetings", "action-items")] == [404] * 4
