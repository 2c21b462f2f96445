"""/api/v1/pocs: round trips with a real token, and every refusal changing nothing."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pocdesk.core.models import Event
from pocdesk.people.services import api_token_create, api_token_revoke
from pocdesk.pocs.models import POC, Status
from pocdesk.timebox.models import Extension, Milestone
from tests.factories import POCFactory

from .conftest import ApiClient


@pytest.fixture
def foreign_poc(other_team):
    return POCFactory(opportunity__account__team=other_team, title="Crusher in the mine")


TIMEBOX_FIELDS = ("planned_effort_hours", "approved_duration_days", "drift_days",
                  "extensions_approved", "milestones_at_risk", "milestones_stalled")


def poc_snapshot(poc):
    """What a refused call must leave untouched."""
    poc = POC.objects.get(pk=poc.pk)
    return (poc.status, poc.title, poc.objective, poc.poc_type, poc.owner_id, poc.start_date,
            poc.end_date, poc.planned_effort_hours, poc.approved_duration_days,
            poc.duration_approved_by_id, Event.objects.filter(poc=poc).count())


def test_a_poc_is_created_read_and_moved_through_the_api(opportunity, engineer, api_as):
    api = api_as(engineer)

    created = api.post("/pocs", {
        "opportunity": opportunity.pk, "title": "Dimming on the BMS",
        "objective": "Prove 30% energy savings", "type": "lab_test",
        "start_date": "2027-01-04", "end_date": "2027-02-26", "planned_effort_hours": "120",
    })

    assert created.status_code == 201
    body = created.json()
    poc = POC.objects.get()
    assert body["id"] == poc.pk
    assert (body["title"], body["objective"], body["type"], body["status"]) == (
        "Dimming on the BMS", "Prove 30% energy savings", "lab_test", "draft")
    assert body["allowed_transitions"] == ["qualified", "walked_away"]
    assert body["opportunity"] == {
        "id": opportunity.pk, "name": "Heritage lighting retrofit",
        "account": {"id": opportunity.account_id, "name": "Musée du Louvre"},
        "amount": "250000.00", "currency": "EUR"}
    assert body["team"] == {"id": opportunity.team_id, "name": "Lighting"}
    assert body["owner"] == {"id": engineer.pk, "username": "engineer", "name": "Engineer"}
    assert (body["start_date"], body["end_date"], body["language"]) == (
        "2027-01-04", "2027-02-26", "en")
    assert {name: body[name] for name in TIMEBOX_FIELDS} == {
        "planned_effort_hours": "120.0", "approved_duration_days": None, "drift_days": 0,
        "extensions_approved": 0, "milestones_at_risk": 0, "milestones_stalled": 0}
    assert "approve_duration" not in body

    read = api.get(f"/pocs/{poc.pk}")

    assert read.status_code == 200
    assert read.json() == body

    moved = api.post(f"/pocs/{poc.pk}/transition",
                     {"to": "walked_away", "reason": "No budget, no sponsor"})

    assert moved.status_code == 200
    assert (moved.json()["status"], moved.json()["allowed_transitions"]) == ("walked_away", [])
    poc.refresh_from_db()
    assert poc.status == Status.WALKED_AWAY
    assert list(Event.objects.filter(poc=poc).order_by("id").values_list("verb", flat=True)) == [
        "poc.created", "poc.transitioned"]


def test_the_events_list_the_transition(poc, engineer, api_as):
    api = api_as(engineer)
    api.post(f"/pocs/{poc.pk}/transition", {"to": "walked_away", "reason": "POC fodder"})

    response = api.get(f"/pocs/{poc.pk}/events")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    event = body["items"][0]
    assert event["verb"] == "poc.transitioned"
    assert event["description"] == "Status changed from Draft to Walked away: POC fodder"
    assert event["actor"] == {"id": engineer.pk, "username": "engineer", "name": "Engineer"}
    assert (event["data"]["from"], event["data"]["to"], event["data"]["reason"]) == (
        "draft", "walked_away", "POC fodder")
    assert (event["target_type"], event["target_id"]) == ("poc", str(poc.pk))
    created_at = Event.objects.get(poc=poc).created_at
    assert datetime.datetime.fromisoformat(event["time"]) == created_at.replace(
        microsecond=created_at.microsecond // 1000 * 1000)  # JSON times carry milliseconds


def test_the_list_is_paginated_filtered_and_limited_to_the_user_teams(
        poc, foreign_poc, opportunity, engineer, api_as):
    second = POCFactory(opportunity=opportunity, owner=engineer, title="Emergency lighting")
    POC.objects.filter(pk=second.pk).update(status=Status.QUALIFIED)
    api = api_as(engineer)

    everything = api.get("/pocs", {"ordering": "title"}).json()
    first_page = api.get("/pocs", {"ordering": "title", "page_size": 1}).json()
    second_page = api.get("/pocs", {"ordering": "title", "page_size": 1, "page": 2}).json()
    qualified = api.get("/pocs", {"status": "qualified"}).json()
    searched = api.get("/pocs", {"q": "luminaires"}).json()

    assert everything["count"] == 2
    assert [item["title"] for item in everything["items"]] == [
        "Emergency lighting", "Luminaires on the BMS"]
    assert (first_page["count"], [item["id"] for item in first_page["items"]]) == (2, [second.pk])
    assert (second_page["count"], [item["id"] for item in second_page["items"]]) == (2, [poc.pk])
    assert [item["id"] for item in qualified["items"]] == [second.pk]
    assert [item["id"] for item in searched["items"]] == [poc.pk]


def test_patch_changes_only_the_fields_sent(poc, engineer, api_as):
    before = POC.objects.get(pk=poc.pk)

    response = api_as(engineer).patch(f"/pocs/{poc.pk}", {"title": "Luminaires and sensors"})

    assert response.status_code == 200
    assert response.json()["title"] == "Luminaires and sensors"
    after = POC.objects.get(pk=poc.pk)
    assert after.title == "Luminaires and sensors"
    assert (after.objective, after.poc_type, after.owner_id, after.language) == (
        before.objective, before.poc_type, before.owner_id, before.language)
    event = Event.objects.get(poc=poc)
    assert (event.verb, event.data["changes"]) == (
        "poc.changed", {"title": ["Luminaires on the BMS", "Luminaires and sensors"]})


def test_patch_hands_the_poc_to_another_team_member(poc, engineer, manager, api_as):
    response = api_as(engineer).patch(f"/pocs/{poc.pk}", {"owner": manager.pk, "type": "prototype"})

    assert response.status_code == 200
    assert (response.json()["owner"]["username"], response.json()["type"]) == (
        "manager", "prototype")
    assert (POC.objects.get(pk=poc.pk).owner, POC.objects.get(pk=poc.pk).poc_type) == (
        manager, "prototype")


# --- 401 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("authorization", [
    None, "Bearer pd_not-a-real-token", "Bearer ", "Token pd_whatever", "Basic ZW5naW5lZXI6cHc=",
])
def test_without_a_valid_token_the_answer_is_401(poc, authorization):
    client = ApiClient()
    headers = {"Authorization": authorization} if authorization is not None else {}
    before = poc_snapshot(poc)

    reads = client.get(f"/pocs/{poc.pk}", **headers)
    writes = client.post(f"/pocs/{poc.pk}/transition", {"to": "walked_away", "reason": "x"},
                         **headers)

    for response in (reads, writes):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert response.json()["details"] == {}
    assert poc_snapshot(poc) == before


def test_a_revoked_token_is_refused(poc, engineer):
    token, key = api_token_create(actor=engineer, user=engineer, name="old laptop")
    api_token_revoke(actor=engineer, token=token)
    before = poc_snapshot(poc)

    response = ApiClient(key).post(f"/pocs/{poc.pk}/transition",
                                   {"to": "walked_away", "reason": "x"})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert poc_snapshot(poc) == before


def test_an_inactive_user_token_is_refused(poc, engineer):
    _token, key = api_token_create(actor=engineer, user=engineer)
    engineer.is_active = False
    engineer.save()

    assert ApiClient(key).get("/pocs").status_code == 401


# --- 403 -------------------------------------------------------------------------------------

def test_an_account_executive_may_not_move_a_poc(poc, sales, api_as):
    before = poc_snapshot(poc)

    response = api_as(sales).post(f"/pocs/{poc.pk}/transition",
                                  {"to": "walked_away", "reason": "No budget"})

    assert response.status_code == 403
    assert response.json() == {"code": "permission_denied",
                               "message": "You do not have permission to do this.",
                               "details": {}}
    assert poc_snapshot(poc) == before


# --- 404 -------------------------------------------------------------------------------------

def test_another_team_poc_is_not_found(foreign_poc, engineer, api_as):
    api = api_as(engineer)
    before = poc_snapshot(foreign_poc)

    responses = [
        api.get(f"/pocs/{foreign_poc.pk}"),
        api.get(f"/pocs/{foreign_poc.pk}/events"),
        api.patch(f"/pocs/{foreign_poc.pk}", {"title": "Mine now"}),
        api.post(f"/pocs/{foreign_poc.pk}/transition", {"to": "walked_away", "reason": "x"}),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    assert {response.json()["code"] for response in responses} == {"not_found"}
    assert poc_snapshot(foreign_poc) == before


def test_a_nonexistent_poc_is_not_found(poc, engineer, api_as):
    response = api_as(engineer).get(f"/pocs/{poc.pk + 1000}")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "details": {}}


@pytest.mark.parametrize("poc_id", ["abc", "0", "-1", "1.5", "99999999999999999999999"])
def test_an_id_that_cannot_exist_is_refused(engineer, api_as, poc_id):
    response = api_as(engineer).get(f"/pocs/{poc_id}")

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["poc_id"]


# --- 409 -------------------------------------------------------------------------------------

def test_a_qualified_poc_cannot_start_running(poc, engineer, api_as):
    POC.objects.filter(pk=poc.pk).update(status=Status.QUALIFIED)
    before = poc_snapshot(poc)

    response = api_as(engineer).post(f"/pocs/{poc.pk}/transition", {"to": "running"})

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_refused"
    assert body["details"]["unmet"] == ["transition_not_allowed"]
    assert (body["details"]["from"], body["details"]["to"]) == ("qualified", "running")
    assert body["message"] == ("The POC cannot move to “Running”: "
                               "A POC cannot go from “Qualified” to “Running”.")
    assert poc_snapshot(poc) == before


@pytest.mark.parametrize("body", [{"to": "walked_away"}, {"to": "walked_away", "reason": "  "}])
def test_walking_away_without_a_reason_is_refused(poc, engineer, api_as, body):
    before = poc_snapshot(poc)

    response = api_as(engineer).post(f"/pocs/{poc.pk}/transition", body)

    assert response.status_code == 409
    assert response.json()["details"]["unmet"] == ["reason_required"]
    assert response.json()["details"]["checks"] == [
        {"code": "reason_required", "message": "Say why you walk away from this POC."}]
    assert poc_snapshot(poc) == before


# --- 422 -------------------------------------------------------------------------------------

def test_a_poc_without_a_title_is_refused(opportunity, engineer, api_as):
    response = api_as(engineer).post("/pocs", {"opportunity": opportunity.pk,
                                               "objective": "Prove it"})

    assert response.status_code == 422
    assert response.json() == {
        "code": "validation_error", "message": "Some fields are not valid.",
        "details": {"fields": {"title": ["This field is required."]}}}
    assert POC.objects.count() == 0


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"title": "", "objective": "Prove it"}, ["title"]),
    ({"title": "x" * 201, "objective": "Prove it"}, ["title"]),
    ({"title": 42, "objective": "Prove it"}, ["title"]),
    ({"title": "T", "objective": "Prove it", "type": "hackathon"}, ["type"]),
    ({"title": "T", "objective": "Prove it", "start_date": "next monday"}, ["start_date"]),
    ({"title": "T", "objective": "Prove it", "start_date": "10000-01-01"}, ["start_date"]),
    ({"title": "T", "objective": "Prove it", "start_date": "2027-03-01",
      "end_date": "2027-02-01"}, ["non_field_errors"]),
    ({"title": "T", "objective": "Prove it", "colour": "red"}, ["colour"]),
    ({"title": "T\x00", "objective": "Prove it"}, ["title"]),
    ({"title": "T", "objective": "Prove it", "owner": "me"}, ["owner"]),
    ({"title": "T", "objective": "Prove it", "language": "de"}, ["language"]),
])
def test_bad_poc_fields_are_named(opportunity, engineer, api_as, body, bad_fields):
    response = api_as(engineer).post("/pocs", {"opportunity": opportunity.pk, **body})

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert list(response.json()["details"]["fields"]) == bad_fields
    assert POC.objects.count() == 0


def test_the_owner_must_belong_to_the_team(opportunity, engineer, outsider, api_as):
    response = api_as(engineer).post("/pocs", {"opportunity": opportunity.pk, "title": "T",
                                               "objective": "O", "owner": outsider.pk})

    assert response.status_code == 422
    assert response.json()["details"]["fields"] == {
        "owner": ["The owner must be a member of the team."]}
    assert POC.objects.count() == 0


def test_another_team_opportunity_cannot_receive_a_poc(foreign_poc, engineer, api_as):
    response = api_as(engineer).post("/pocs", {"opportunity": foreign_poc.opportunity_id,
                                               "title": "T", "objective": "O"})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["opportunity"]
    assert POC.objects.count() == 1


@pytest.mark.parametrize("to", ["finished", "", None, 3])
def test_an_unknown_status_is_refused(poc, engineer, api_as, to):
    before = poc_snapshot(poc)

    response = api_as(engineer).post(f"/pocs/{poc.pk}/transition", {"to": to, "reason": "r"})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["to"]
    assert poc_snapshot(poc) == before


@pytest.mark.parametrize("raw", ['{"to": "walked_away"', "not json", b"\xff\xfe"])
def test_a_body_that_is_not_json_is_a_bad_request(poc, engineer, api_as, raw):
    before = poc_snapshot(poc)

    response = api_as(engineer).post(f"/pocs/{poc.pk}/transition", raw=raw)

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert poc_snapshot(poc) == before


@pytest.mark.parametrize("raw", ["[]", '"walked_away"', "null", "17"])
def test_a_body_that_is_not_an_object_is_refused(poc, engineer, api_as, raw):
    response = api_as(engineer).post(f"/pocs/{poc.pk}/transition", raw=raw)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_patch_refuses_null_for_a_required_field(poc, engineer, api_as):
    before = poc_snapshot(poc)

    response = api_as(engineer).patch(f"/pocs/{poc.pk}", {"title": None, "owner": None})

    assert response.status_code == 422
    assert sorted(response.json()["details"]["fields"]) == ["owner", "title"]
    assert poc_snapshot(poc) == before


@pytest.mark.parametrize("params", [
    {"status": "finished"}, {"team": "lighting"}, {"page": "0"}, {"page_size": "1000"},
    {"ordering": "password"}, {"owner": "99999999999999999999999"}, {"q": "lamp\x00"},
])
def test_bad_list_parameters_are_refused(poc, engineer, api_as, params):
    response = api_as(engineer).get("/pocs", params)

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == list(params)


def test_a_missing_body_is_refused(poc, engineer, api_as):
    response = api_as(engineer).patch(f"/pocs/{poc.pk}", raw="")

    assert response.status_code == 422
    assert response.json()["details"]["fields"] == {"non_field_errors": ["Send a JSON object."]}


def test_a_huge_body_is_refused_as_json(poc, engineer, api_as):
    before = poc_snapshot(poc)

    response = api_as(engineer).post(f"/pocs/{poc.pk}/transition",
                                     raw='{"to": "walked_away", "reason": "' + "x" * 3_000_000 + '"}')

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert poc_snapshot(poc) == before


# --- the timebox on the POC ------------------------------------------------------------------

def test_patch_sets_and_clears_the_planned_effort(poc, engineer, api_as):
    api = api_as(engineer)

    set_ = api.patch(f"/pocs/{poc.pk}", {"planned_effort_hours": 80.5})
    cleared = api.patch(f"/pocs/{poc.pk}", {"planned_effort_hours": None})

    assert (set_.status_code, set_.json()["planned_effort_hours"]) == (200, "80.5")
    assert (cleared.status_code, cleared.json()["planned_effort_hours"]) == (200, None)
    assert POC.objects.get(pk=poc.pk).planned_effort_hours is None


@pytest.mark.parametrize("hours", ["-1", "12345678", "0.25", "NaN", "many"])
def test_a_bad_planned_effort_is_named(poc, engineer, api_as, hours):
    before = poc_snapshot(poc)

    response = api_as(engineer).patch(f"/pocs/{poc.pk}", {"planned_effort_hours": hours})

    assert response.status_code == 422, response.content
    assert list(response.json()["details"]["fields"]) == ["planned_effort_hours"]
    assert poc_snapshot(poc) == before


LONG = {"start_date": "2027-01-04", "end_date": "2027-05-04"}  # 120 days, the maximum is 90


@pytest.mark.parametrize(("actor_name", "approve", "expected", "bad_fields"), [
    ("engineer", False, 422, ["end_date"]),
    ("engineer", True, 422, ["approve_duration"]),
    ("sales", True, 422, ["approve_duration"]),
    ("manager", False, 422, ["end_date"]),
    ("manager", True, 201, None),
    ("admin", True, 201, None),
])
def test_only_a_manager_approves_a_longer_timebox(opportunity, actors, api_as, actor_name,
                                                  approve, expected, bad_fields):
    actor = actors[actor_name]

    response = api_as(actor).post("/pocs", {
        "opportunity": opportunity.pk, "title": "Long pilot", "objective": "Prove it",
        "owner": actors["engineer"].pk, "approve_duration": approve, **LONG})

    assert response.status_code == expected, response.content
    if bad_fields:
        assert list(response.json()["details"]["fields"]) == bad_fields
        assert POC.objects.count() == 0
    else:
        poc = POC.objects.get()
        assert (response.json()["approved_duration_days"], poc.duration_approved_by) == (
            120, actor)
        assert Event.objects.filter(poc=poc, verb="poc.duration_approved").count() == 1


def test_patching_dates_longer_than_the_maximum_needs_the_approval(poc, engineer, manager,
                                                                   api_as):
    before = poc_snapshot(poc)

    refused = api_as(engineer).patch(f"/pocs/{poc.pk}", {**LONG, "approve_duration": True})

    assert refused.status_code == 422
    assert refused.json()["details"]["fields"] == {"approve_duration": [
        "Only a manager of the team can approve a POC longer than 90 days."]}
    assert poc_snapshot(poc) == before

    approved = api_as(manager).patch(f"/pocs/{poc.pk}", {**LONG, "approve_duration": True})

    assert approved.status_code == 200, approved.content
    assert (approved.json()["end_date"], approved.json()["approved_duration_days"]) == (
        "2027-05-04", 120)


@pytest.mark.parametrize("status", [Status.AGREED, Status.RUNNING, Status.PAUSED])
def test_an_agreed_timebox_moves_only_through_an_extension(poc, engineer, manager, api_as,
                                                           status):
    POC.objects.filter(pk=poc.pk).update(status=status, start_date=datetime.date(2027, 1, 4),
                                         end_date=datetime.date(2027, 2, 26))
    before = poc_snapshot(poc)

    responses = [api_as(actor).patch(f"/pocs/{poc.pk}", body) for actor, body in (
        (engineer, {"end_date": "2027-03-26"}),
        (manager, {"start_date": "2027-01-11", "end_date": "2027-03-05",
                   "approve_duration": True}))]

    assert [response.status_code for response in responses] == [409, 409]
    assert responses[0].json() == {
        "code": "timebox_agreed",
        "message": "The timebox is agreed: request an extension to move the end date.",
        "details": {"fields": ["end_date"]}}
    assert responses[1].json()["details"] == {"fields": ["end_date", "start_date"]}
    assert poc_snapshot(poc) == before
    renamed = api_as(engineer).patch(f"/pocs/{poc.pk}", {"title": "Still editable",
                                                         "end_date": "2027-02-26"})
    assert (renamed.status_code, renamed.json()["title"]) == (200, "Still editable")


def _drifting(poc, engineer, *, days: int, late_by: tuple[int, ...]) -> None:
    """An approved extension of `days` days and open milestones `late_by` days overdue."""
    Extension.objects.create(poc=poc, reason="Late", previous_end=datetime.date(2026, 2, 1),
                             requested_end=datetime.date(2026, 2, 1)
                             + datetime.timedelta(days=days),
                             days=days, status="approved", requested_by=engineer)
    for late in late_by:
        due = datetime.date(2026, 3, 2) - datetime.timedelta(days=late)
        Milestone.objects.create(poc=poc, kind="checkpoint", due_date=due, planned_date=due)


@time_machine.travel(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC), tick=False)
def test_the_list_and_the_poc_show_the_drift(poc, opportunity, engineer, api_as):
    quiet = POCFactory(opportunity=opportunity, owner=engineer, title="Quiet")
    _drifting(poc, engineer, days=14, late_by=(0, 1, 6, 7, 30))
    _drifting(poc, engineer, days=7, late_by=())
    Extension.objects.create(poc=poc, reason="Refused", previous_end=datetime.date(2026, 2, 1),
                             requested_end=datetime.date(2026, 3, 1), days=28, status="refused",
                             requested_by=engineer)
    POC.objects.filter(pk=poc.pk).update(planned_effort_hours=Decimal("40"))
    api = api_as(engineer)

    listed = {item["id"]: item for item in api.get("/pocs").json()["items"]}
    read = api.get(f"/pocs/{poc.pk}").json()

    expected = {"planned_effort_hours": "40.0", "approved_duration_days": None,
                "drift_days": 21, "extensions_approved": 2, "milestones_at_risk": 2,
                "milestones_stalled": 2}
    assert {name: listed[poc.pk][name] for name in TIMEBOX_FIELDS} == expected
    assert {name: read[name] for name in TIMEBOX_FIELDS} == expected
    assert {name: listed[quiet.pk][name] for name in TIMEBOX_FIELDS} == {
        "planned_effort_hours": None, "approved_duration_days": None, "drift_days": 0,
        "extensions_approved": 0, "milestones_at_risk": 0, "milestones_stalled": 0}


def test_the_drift_costs_the_list_no_query(opportunity, engineer, api_as):
    def populate(count: int) -> None:
        for _number in range(count):
            drifting = POCFactory(opportunity=opportunity, owner=engineer)
            _drifting(drifting, engineer, days=3, late_by=(2, 9))

    def queries() -> tuple[int, int]:
        api.get("/pocs")
        with CaptureQueriesContext(connection) as captured:
            response = api.get("/pocs", {"page_size": 200})
        assert {item["drift_days"] for item in response.json()["items"]} == {3}
        return len(captured), response.json()["count"]

    api = api_as(engineer)
    populate(2)
    small = queries()
    populate(18)
    large = queries()

    # Token, profile, the user's teams, COUNT, the page.
    assert (small, large) == ((5, 2), (5, 20))
