"""Scope-change requests (§7) and the commitments register (§8.4) through the API: who decides
paid scope, the scope-creep summary, the 24-hour answer of an uncertain commitment."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pocdesk.core.models import Event
from pocdesk.pocs.models import POC, Status
from pocdesk.scope.models import Commitment, ScopeChange
from pocdesk.stakeholders.models import Stakeholder
from pocdesk.timebox.models import TimeboxPolicy
from tests.factories import POCFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def customer(poc):
    return Stakeholder.objects.create(
        team=poc.team, account=poc.opportunity.account, opportunity=poc.opportunity,
        name="Dana Sponsor", title="COO", side="customer", role="executive_sponsor")


@pytest.fixture
def running_poc(poc):
    POC.objects.filter(pk=poc.pk).update(status=Status.RUNNING, planned_effort_hours=100)
    poc.refresh_from_db()
    return poc


def make_change(poc, customer, user, *, hours: str = "8", change_class: str = "minor_adjustment",
                **values) -> ScopeChange:
    values.setdefault("text", "Add a CSV export of the readings")
    return ScopeChange.objects.create(poc=poc, requested_by=customer, effort_hours=Decimal(hours),
                                      change_class=change_class, recorded_by=user, **values)


def make_commitment(poc, customer, user, **values) -> Commitment:
    values.setdefault("text", "Answer on SSO support")
    values.setdefault("category", "uncertain")
    values.setdefault("due_at", NOW + datetime.timedelta(hours=24))
    return Commitment.objects.create(poc=poc, made_by=user, made_to=customer, recorded_by=user,
                                     **values)


def scope_state():
    """What a refused call must leave untouched."""
    return (list(ScopeChange.objects.order_by("pk").values_list()),
            list(Commitment.objects.order_by("pk").values_list()),
            Event.objects.exclude(verb__startswith="token.").count())


def user_ref(user) -> dict:
    return {"id": user.pk, "username": user.username, "name": user.username.title()}


# --- scope changes -----------------------------------------------------------------------------

def test_a_scope_change_is_recorded_read_and_listed(running_poc, engineer, customer, api_as):
    api = api_as(engineer)

    response = api.post(f"/pocs/{running_poc.pk}/scope-changes", {
        "text": "Also drive the emergency lights", "requested_by": customer.pk,
        "effort_hours": "12.5", "change_class": "specific_development",
        "requested_on": "2026-02-27"})

    assert response.status_code == 201, response.content
    change = ScopeChange.objects.get()
    assert response.json() == {
        "id": change.pk, "text": "Also drive the emergency lights",
        "requested_by": {"id": customer.pk, "name": "Dana Sponsor"},
        "requested_on": "2026-02-27", "effort_hours": "12.5",
        "change_class": "specific_development", "decision": "pending", "decided_by": None,
        "decided_at": None, "decision_note": "", "quote_amount": None, "quote_currency": "",
        "override": False, "on_roadmap": False, "recorded_by": user_ref(engineer),
        "created_at": "2026-03-02T08:00:00Z"}
    assert api.get(f"/pocs/{running_poc.pk}/scope-changes/{change.pk}").json() == (
        response.json())
    assert api.get(f"/pocs/{running_poc.pk}/scope-changes").json() == {
        "items": [response.json()], "count": 1}
    event = Event.objects.get(verb="scope_change.recorded")
    assert event.data == {"requester": "Dana Sponsor (COO)", "class": "specific_development",
                          "hours": "12.5"}


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"requested_by": "vendor"}, ["requested_by"]),
    ({"requested_by": 10**6}, ["requested_by"]),
    ({"effort_hours": "-1"}, ["effort_hours"]),
    ({"effort_hours": "12345678.5"}, ["effort_hours"]),
    ({"effort_hours": "NaN"}, ["effort_hours"]),
    ({"change_class": "feature"}, ["change_class"]),
    ({"requested_on": "2026-03-03"}, ["requested_on"]),
    ({"text": " "}, ["text"]),
    ({"decision": "accepted"}, ["decision"]),
])
def test_a_bad_scope_change_is_named_and_recorded_nowhere(running_poc, engineer, customer, api_as,
                                                          body, bad_fields):
    vendor = Stakeholder.objects.create(team=running_poc.team,
                                        account=running_poc.opportunity.account,
                                        name="Val Vendor", side="vendor")
    valid = {"text": "Export", "requested_by": customer.pk, "effort_hours": "4",
             "change_class": "minor_adjustment"}
    body = {**valid, **{name: vendor.pk if value == "vendor" else value
                        for name, value in body.items()}}
    before = scope_state()

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/scope-changes", body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert scope_state() == before


def test_a_pending_request_is_corrected_but_not_a_decided_one(running_poc, engineer, customer,
                                                              api_as):
    change = make_change(running_poc, customer, engineer)
    api = api_as(engineer)
    path = f"/pocs/{running_poc.pk}/scope-changes/{change.pk}"

    corrected = api.patch(path, {"effort_hours": "16", "change_class": "evolution"})

    assert corrected.status_code == 200, corrected.content
    assert (corrected.json()["effort_hours"], corrected.json()["change_class"],
            corrected.json()["on_roadmap"]) == ("16.0", "evolution", True)
    ScopeChange.objects.filter(pk=change.pk).update(decision="rejected")
    before = scope_state()

    refused = api.patch(path, {"effort_hours": "2"})

    assert refused.status_code == 409
    assert refused.json() == {
        "code": "scope_change_decided",
        "message": "This request was rejected: record a new request rather than rewrite it.",
        "details": {}}
    assert scope_state() == before


def test_a_minor_adjustment_is_accepted_by_an_engineer(running_poc, engineer, customer, api_as):
    change = make_change(running_poc, customer, engineer)

    response = api_as(engineer).post(
        f"/pocs/{running_poc.pk}/scope-changes/{change.pk}/decision",
        {"decision": "accepted", "note": "Half a day"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["decision"], body["decided_by"], body["decided_at"], body["decision_note"],
            body["override"]) == ("accepted", user_ref(engineer), "2026-03-02T08:00:00Z",
                                  "Half a day", False)


@pytest.mark.parametrize("final", ["accepted", "rejected"])
def test_a_final_decision_is_not_taken_again(running_poc, engineer, customer, api_as, final):
    change = make_change(running_poc, customer, engineer)
    api = api_as(engineer)
    assert api.post(f"/pocs/{running_poc.pk}/scope-changes/{change.pk}/decision",
                    {"decision": final, "note": "Decided"}).status_code == 200
    before = scope_state()

    response = api.post(f"/pocs/{running_poc.pk}/scope-changes/{change.pk}/decision",
                        {"decision": "deferred", "note": "Again"})

    assert response.status_code == 409
    assert response.json()["code"] == "scope_change_decided"
    assert scope_state() == before


def test_a_deferred_request_is_decided_again(running_poc, engineer, customer, api_as):
    change = make_change(running_poc, customer, engineer)
    api = api_as(engineer)
    url = f"/pocs/{running_poc.pk}/scope-changes/{change.pk}/decision"
    assert api.post(url, {"decision": "deferred", "note": "Next sprint"}).status_code == 200

    response = api.post(url, {"decision": "accepted", "note": "Now"})

    assert response.status_code == 200
    assert response.json()["decision"] == "accepted"


@pytest.mark.parametrize(("actor_name", "expected"), [
    ("anonymous", 401), ("outsider", 404), ("engineer", 403), ("sales", 403),
    ("manager", 200), ("admin", 200)])
def test_only_a_manager_overrides_a_specific_development_without_budget(
        running_poc, engineer, customer, actors, api_as, anonymous_api, actor_name, expected):
    change = make_change(running_poc, customer, engineer, hours="40",
                         change_class="specific_development")
    actor = actors[actor_name]
    api = api_as(actor) if actor else anonymous_api
    before = scope_state()

    response = api.post(f"/pocs/{running_poc.pk}/scope-changes/{change.pk}/decision", {
        "decision": "accepted", "override": True, "note": "Strategic: the CEO decided"})

    assert response.status_code == expected, response.content
    if expected == 200:
        assert (response.json()["override"], response.json()["quote_amount"]) == (True, None)
        event = Event.objects.get(verb="scope_change.overridden")
        assert event.data["note"] == "Strategic: the CEO decided"
    else:
        assert scope_state() == before
    if expected == 403:
        assert response.json()["message"] == (
            "Only a manager accepts a specific development: it is paid scope.")


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"decision": "accepted"}, ["quote_amount"]),
    ({"decision": "accepted", "override": True}, ["note"]),
    ({"decision": "quoted"}, ["quote_amount"]),
    ({"decision": "quoted", "quote_amount": "0", "quote_currency": "EUR"}, ["quote_amount"]),
    ({"decision": "quoted", "quote_amount": "18000"}, ["quote_currency"]),
    ({"decision": "quoted", "quote_amount": "18000", "quote_currency": "EURO"},
     ["quote_currency"]),
    ({"decision": "rejected"}, ["note"]),
    ({"decision": "pending"}, ["decision"]),
])
def test_a_bad_decision_is_named_and_changes_nothing(running_poc, engineer, manager, customer,
                                                     api_as, body, bad_fields):
    change = make_change(running_poc, customer, engineer, hours="40",
                         change_class="specific_development")
    before = scope_state()

    response = api_as(manager).post(
        f"/pocs/{running_poc.pk}/scope-changes/{change.pk}/decision", body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert scope_state() == before


def test_a_quoted_development_is_then_accepted_without_override(running_poc, engineer, manager,
                                                                customer, api_as):
    change = make_change(running_poc, customer, engineer, hours="40",
                         change_class="specific_development")
    path = f"/pocs/{running_poc.pk}/scope-changes/{change.pk}/decision"

    quoted = api_as(engineer).post(path, {"decision": "quoted", "quote_amount": "18000",
                                          "quote_currency": "eur"})
    accepted = api_as(manager).post(path, {"decision": "accepted"})

    assert quoted.status_code == 200, quoted.content
    assert (quoted.json()["quote_amount"], quoted.json()["quote_currency"]) == (
        "18000.00", "EUR")
    assert accepted.status_code == 200, accepted.content
    assert (accepted.json()["decision"], accepted.json()["quote_amount"],
            accepted.json()["override"]) == ("accepted", "18000.00", False)


def test_the_scope_creep_summary(running_poc, engineer, customer, api_as):
    make_change(running_poc, customer, engineer, hours="12.5", decision="accepted")
    make_change(running_poc, customer, engineer, hours="9.2", decision="accepted",
                change_class="specific_development", quote_amount=Decimal("5000"),
                quote_currency="EUR")
    roadmap = make_change(running_poc, customer, engineer, hours="30", decision="accepted",
                          change_class="evolution")
    pending_evolution = make_change(running_poc, customer, engineer, hours="6",
                                    change_class="evolution")
    make_change(running_poc, customer, engineer, hours="3", change_class="evolution",
                decision="rejected")
    make_change(running_poc, customer, engineer, hours="5")

    response = api_as(engineer).get(f"/pocs/{running_poc.pk}/scope-changes/summary")

    assert response.status_code == 200, response.content
    # 12.5 + 9.2 h accepted inside the POC (evolutions go on the roadmap) = 21.7 % of 100 h.
    assert response.json() == {
        "planned_hours": "100.0", "accepted_hours": "21.7", "share": 22, "threshold": 20,
        "over": True, "pending": 2, "overrides": 0,
        "roadmap_ids": [roadmap.pk, pending_evolution.pk]}
    TimeboxPolicy.objects.create(team=running_poc.team, scope_creep_threshold=25)
    assert api_as(engineer).get(f"/pocs/{running_poc.pk}/scope-changes/summary").json()[
        "over"] is False


def test_without_planned_effort_no_share_is_computed(poc, engineer, customer, api_as):
    make_change(poc, customer, engineer, hours="12", decision="accepted")

    body = api_as(engineer).get(f"/pocs/{poc.pk}/scope-changes/summary").json()

    assert (body["planned_hours"], body["accepted_hours"], body["share"], body["over"]) == (
        None, "12.0", None, False)


# --- commitments -------------------------------------------------------------------------------

def test_an_uncertain_commitment_is_due_within_24_hours(running_poc, engineer, customer, api_as):
    api = api_as(engineer)

    response = api.post(f"/pocs/{running_poc.pk}/commitments", {
        "text": "Confirm SSO with Azure AD", "made_to": customer.pk, "category": "uncertain"})

    assert response.status_code == 201, response.content
    commitment = Commitment.objects.get()
    assert response.json() == {
        "id": commitment.pk, "text": "Confirm SSO with Azure AD", "made_by": user_ref(engineer),
        "made_to": {"id": customer.pk, "name": "Dana Sponsor"}, "category": "uncertain",
        "made_at": "2026-03-02T08:00:00Z", "due_at": "2026-03-03T08:00:00Z",
        "preconditions": "", "scope_change": None, "feasibility": "", "status": "open",
        "overdue": False, "resolved_at": None, "resolution_note": "",
        "created_at": "2026-03-02T08:00:00Z"}
    assert api.get(f"/pocs/{running_poc.pk}/commitments/{commitment.pk}").json() == (
        response.json())
    assert commitment.recorded_by == engineer


def test_the_24_hours_count_from_when_it_was_made(running_poc, engineer, sales, customer,
                                                  api_as):
    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/commitments", {
        "text": "Confirm SSO", "made_to": customer.pk, "category": "uncertain",
        "made_by": sales.pk, "made_at": "2026-03-01T17:30:00+01:00"})

    assert response.status_code == 201, response.content
    assert (response.json()["made_by"], response.json()["made_at"],
            response.json()["due_at"]) == (user_ref(sales), "2026-03-01T16:30:00Z",
                                           "2026-03-02T16:30:00Z")


def test_an_out_of_scope_commitment_links_its_scope_change(running_poc, engineer, customer,
                                                           api_as):
    change = make_change(running_poc, customer, engineer, change_class="specific_development")

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/commitments", {
        "text": "We will build the BACnet bridge", "made_to": customer.pk,
        "category": "out_of_scope", "scope_change": change.pk,
        "due_at": "2026-03-20T17:00:00"})

    assert response.status_code == 201, response.content
    assert (response.json()["scope_change"], response.json()["due_at"]) == (
        {"id": change.pk, "text": "Add a CSV export of the readings"}, "2026-03-20T17:00:00Z")


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"category": "risky", "due_at": "2026-03-10T12:00:00Z"}, ["preconditions"]),
    ({"category": "risky", "preconditions": "Their VPN works"}, ["due_at"]),
    ({"category": "out_of_scope", "due_at": "2026-03-10T12:00:00Z"}, ["scope_change"]),
    ({"category": "out_of_scope", "due_at": "2026-03-10T12:00:00Z",
      "scope_change": "elsewhere"}, ["scope_change"]),
    ({"made_at": "2026-03-03T08:00:00Z"}, ["made_at"]),
    ({"due_at": "2026-03-01T08:00:00Z"}, ["due_at"]),
    ({"due_at": "9999-12-31T23:59:59-05:00"}, ["due_at"]),
    ({"made_by": "outsider"}, ["made_by"]),
    ({"made_to": "vendor"}, ["made_to"]),
    ({"category": "promise"}, ["category"]),
    ({"status": "kept"}, ["status"]),
])
def test_a_bad_commitment_is_named_and_registered_nowhere(running_poc, engineer, outsider,
                                                          customer, api_as, body, bad_fields):
    elsewhere = POCFactory(opportunity=running_poc.opportunity, owner=engineer)
    references = {
        "elsewhere": make_change(elsewhere, customer, engineer).pk, "outsider": outsider.pk,
        "vendor": Stakeholder.objects.create(team=running_poc.team,
                                             account=running_poc.opportunity.account,
                                             name="Val Vendor", side="vendor").pk}
    body = {"text": "Promise", "made_to": customer.pk, "category": "uncertain",
            **{name: references.get(value, value) for name, value in body.items()}}
    before = scope_state()

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/commitments", body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert scope_state() == before


def test_overdue_commitments_are_flagged_and_filtered(running_poc, engineer, customer, api_as):
    late = make_commitment(running_poc, customer, engineer, text="Late answer")
    later = make_commitment(running_poc, customer, engineer, text="Later answer",
                            due_at=NOW + datetime.timedelta(days=3))
    kept = make_commitment(running_poc, customer, engineer, text="Kept", status="kept",
                           resolved_at=NOW)
    api = api_as(engineer)
    path = f"/pocs/{running_poc.pk}/commitments"

    with time_machine.travel(NOW + datetime.timedelta(hours=30), tick=False):
        everything = api.get(path).json()
        overdue = api.get(path, {"status": "open", "overdue": "true"}).json()
        on_time = api.get(path, {"overdue": "false"}).json()
        closed = api.get(path, {"status": "kept"}).json()

    assert [(item["id"], item["overdue"]) for item in everything["items"]] == [
        (late.pk, True), (kept.pk, False), (later.pk, False)]
    assert (overdue["count"], [item["id"] for item in overdue["items"]]) == (1, [late.pk])
    assert [item["id"] for item in on_time["items"]] == [kept.pk, later.pk]
    assert [item["id"] for item in closed["items"]] == [kept.pk]
    assert api.get(path, {"status": "late"}).status_code == 422


def test_a_commitment_is_corrected_then_resolved_once(running_poc, engineer, customer, api_as):
    commitment = make_commitment(running_poc, customer, engineer)
    api = api_as(engineer)
    path = f"/pocs/{running_poc.pk}/commitments/{commitment.pk}"

    moved = api.patch(path, {"due_at": "2026-03-04T12:00:00Z", "text": "Answer on SSO and SCIM"})
    silent = api.post(f"{path}/resolve", {"status": "broken"})
    kept = api.post(f"{path}/resolve", {"status": "kept", "note": "Answered by mail"})
    before = scope_state()
    again = api.post(f"{path}/resolve", {"status": "withdrawn", "note": "x"})

    assert moved.status_code == 200, moved.content
    assert (moved.json()["due_at"], moved.json()["text"]) == (
        "2026-03-04T12:00:00Z", "Answer on SSO and SCIM")
    assert silent.status_code == 422
    assert list(silent.json()["details"]["fields"]) == ["note"]
    assert kept.status_code == 200, kept.content
    assert (kept.json()["status"], kept.json()["resolved_at"], kept.json()["resolution_note"],
            kept.json()["overdue"]) == ("kept", "2026-03-02T08:00:00Z", "Answered by mail", False)
    assert again.status_code == 409
    assert again.json()["code"] == "commitment_resolved"
    assert scope_state() == before
    assert list(Event.objects.filter(poc=running_poc).order_by("id").values_list(
        "verb", flat=True)) == ["commitment.changed", "commitment.resolved"]


# --- permissions -----------------------------------------------------------------------------

def _writes(poc, customer, change, commitment):
    base = f"/pocs/{poc.pk}"
    made_by = poc.owner_id  # an admin is no member of the team: they name who promised
    return [
        ("post", f"{base}/scope-changes", {"text": "Export", "requested_by": customer.pk,
                                           "effort_hours": "4",
                                           "change_class": "minor_adjustment"}),
        ("patch", f"{base}/scope-changes/{change.pk}", {"effort_hours": "6"}),
        ("post", f"{base}/scope-changes/{change.pk}/decision", {"decision": "deferred"}),
        ("post", f"{base}/commitments", {"text": "Answer", "made_to": customer.pk,
                                         "category": "uncertain", "made_by": made_by}),
        ("patch", f"{base}/commitments/{commitment.pk}", {"text": "Answer soon"}),
        ("post", f"{base}/commitments/{commitment.pk}/resolve", {"status": "kept"}),
    ]


@pytest.mark.parametrize(("actor_name", "expected"), [
    ("anonymous", [401] * 6), ("outsider", [404] * 6),
    ("engineer", [201, 200, 200, 201, 200, 200]), ("sales", [201, 200, 200, 201, 200, 200]),
    ("manager", [201, 200, 200, 201, 200, 200]), ("admin", [201, 200, 200, 201, 200, 200])])
def test_who_writes_the_scope(running_poc, engineer, customer, actors, api_as, anonymous_api,
                              actor_name, expected):
    change = make_change(running_poc, customer, engineer)
    commitment = make_commitment(running_poc, customer, engineer)
    actor = actors[actor_name]
    api = api_as(actor) if actor else anonymous_api
    before = scope_state()

    statuses = [getattr(api, method)(path, body).status_code
                for method, path, body in _writes(running_poc, customer, change, commitment)]

    assert statuses == expected
    if expected[0] >= 400:
        assert scope_state() == before


@pytest.mark.parametrize(("actor_name", "expected"), [
    ("anonymous", 401), ("outsider", 404), ("engineer", 200), ("sales", 200),
    ("manager", 200), ("admin", 200)])
def test_who_reads_the_scope(running_poc, engineer, customer, actors, api_as, anonymous_api,
                             actor_name, expected):
    change = make_change(running_poc, customer, engineer)
    commitment = make_commitment(running_poc, customer, engineer)
    actor = actors[actor_name]
    api = api_as(actor) if actor else anonymous_api
    base = f"/pocs/{running_poc.pk}"
    reads = [f"{base}/scope-changes", f"{base}/scope-changes/summary",
             f"{base}/scope-changes/{change.pk}", f"{base}/commitments",
             f"{base}/commitments/{commitment.pk}"]

    assert [api.get(path).status_code for path in reads] == [expected] * 5


def test_a_closed_poc_takes_no_more_scope(running_poc, engineer, customer, api_as):
    change = make_change(running_poc, customer, engineer)
    commitment = make_commitment(running_poc, customer, engineer)
    POC.objects.filter(pk=running_poc.pk).update(status=Status.CLOSED)
    api = api_as(engineer)
    before = scope_state()

    responses = [getattr(api, method)(path, body)
                 for method, path, body in _writes(running_poc, customer, change, commitment)]

    assert [response.status_code for response in responses] == [409] * 6
    assert {response.json()["code"] for response in responses} == {"poc_closed"}
    assert scope_state() == before


def test_another_poc_records_are_not_found(running_poc, engineer, customer, api_as):
    elsewhere = POCFactory(opportunity=running_poc.opportunity, owner=engineer)
    change = make_change(elsewhere, customer, engineer)
    commitment = make_commitment(elsewhere, customer, engineer)
    api = api_as(engineer)
    before = scope_state()

    responses = [api.get(f"/pocs/{running_poc.pk}/scope-changes/{change.pk}"),
                 api.patch(f"/pocs/{running_poc.pk}/scope-changes/{change.pk}",
                           {"effort_hours": "1"}),
                 api.post(f"/pocs/{running_poc.pk}/commitments/{commitment.pk}/resolve",
                          {"status": "kept"})]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert scope_state() == before


# --- query counts ----------------------------------------------------------------------------

def queries_for(api, path: str) -> tuple[int, int]:
    api.get(path)  # the first call of the minute also stamps the token's last use
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, {"page_size": 200})
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def populate(poc, engineer, manager, customer, start: int, stop: int) -> None:
    """Decided requests and commitments linked to them, every link set."""
    for number in range(start, stop):
        change = make_change(poc, customer, engineer, text=f"Request {number}",
                             decision="accepted", decided_by=manager)
        make_commitment(poc, customer, engineer, text=f"Promise {number}", scope_change=change,
                        category="out_of_scope")


# Token, profile, the user's teams, the POC, the page (lists of rows: no COUNT query).
LIST_QUERIES = {"/scope-changes": 5, "/commitments": 5}


@pytest.mark.parametrize("path", sorted(LIST_QUERIES))
def test_the_scope_lists_cost_a_constant_number_of_queries(running_poc, engineer, manager,
                                                           customer, api_as, path):
    api = api_as(engineer)
    populate(running_poc, engineer, manager, customer, 0, 2)
    small = queries_for(api, f"/pocs/{running_poc.pk}{path}")
    populate(running_poc, engineer, manager, customer, 2, 20)
    large = queries_for(api, f"/pocs/{running_poc.pk}{path}")

    assert small == (LIST_QUERIES[path], 2)
    assert large == (LIST_QUERIES[path], 20)
