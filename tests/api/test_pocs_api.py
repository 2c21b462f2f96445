"""/api/v1/pocs: round trips with a real token, and every refusal changing nothing."""

import datetime

import pytest

from pocdesk.core.models import Event
from pocdesk.people.services import api_token_create, api_token_revoke
from pocdesk.pocs.models import POC, Status
from tests.factories import POCFactory

from .conftest import ApiClient


@pytest.fixture
def foreign_poc(other_team):
    return POCFactory(opportunity__account__team=other_team, title="Crusher in the mine")


def poc_snapshot(poc):
    """What a refused call must leave untouched."""
    poc = POC.objects.get(pk=poc.pk)
    return (poc.status, poc.title, poc.objective, poc.poc_type, poc.owner_id, poc.start_date,
            poc.end_date, Event.objects.filter(poc=poc).count())


def test_a_poc_is_created_read_and_moved_through_the_api(opportunity, engineer, api_as):
    api = api_as(engineer)

    created = api.post("/pocs", {
        "opportunity": opportunity.pk, "title": "Dimming on the BMS",
        "objective": "Prove 30% energy savings", "type": "lab_test",
        "start_date": "2027-01-04", "end_date": "2027-02-26",
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
