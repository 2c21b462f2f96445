"""A POC's timebox through the API: milestones with their health, the proposed plan, the summary,
extensions decided by a manager and the decision taken at the exit clause (§6)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pocdesk.core.models import Event
from pocdesk.pocs.models import POC, Status
from pocdesk.stakeholders.models import Stakeholder
from pocdesk.timebox.models import ExitDecision, Extension, Milestone, TimeboxPolicy
from tests.factories import AccountFactory, POCFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TODAY = NOW.date()


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


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
    """Running since 2 February, due to end on 30 March (56 days)."""
    POC.objects.filter(pk=poc.pk).update(status=Status.RUNNING, start_date=day("2026-02-02"),
                                         end_date=day("2026-03-30"))
    poc.refresh_from_db()
    return poc


def make_milestone(poc, due: str, **values) -> Milestone:
    values.setdefault("kind", "checkpoint")
    return Milestone.objects.create(poc=poc, due_date=day(due), planned_date=day(due), **values)


def make_extension(poc, user, *, days: int, status: str = "approved", **values) -> Extension:
    previous = poc.end_date - datetime.timedelta(days=days)
    return Extension.objects.create(
        poc=poc, reason="Customer hardware late", previous_end=previous,
        requested_end=poc.end_date, days=days, status=status, requested_by=user, **values)


def timebox_state():
    """What a refused call must leave untouched."""
    return (list(POC.objects.order_by("pk").values_list()),
            list(Milestone.objects.order_by("pk").values_list()),
            list(Extension.objects.order_by("pk").values_list()),
            list(ExitDecision.objects.order_by("pk").values_list()),
            Event.objects.exclude(verb__startswith="token.").count())


def user_ref(user) -> dict:
    return {"id": user.pk, "username": user.username, "name": user.username.title()}


def milestone_body(milestone: Milestone, **values) -> dict:
    """The expected answer for a milestone, from its stored fields and the given overrides."""
    body = {
        "key": str(milestone.key), "kind": milestone.kind, "title": milestone.title,
        "label": values.pop("label"), "sequence": milestone.sequence,
        "due_date": milestone.due_date.isoformat(),
        "planned_date": milestone.planned_date.isoformat(), "slip_days": 0,
        "status": milestone.status, "health": "on_track", "days_overdue": 0, "owner": None,
        "customer_owner": None, "customer_witness": milestone.customer_witness,
        "witnessed_by": None, "completed_on": None, "evidence_note": milestone.evidence_note,
        "evidence_file": None,
    }
    body.update(values)
    return body


# --- milestones ------------------------------------------------------------------------------

def test_a_milestone_is_created_read_and_listed(running_poc, engineer, customer, api_as):
    api = api_as(engineer)

    response = api.post(f"/pocs/{running_poc.pk}/milestones", {
        "kind": "installation", "due_date": "2026-03-09", "owner": engineer.pk,
        "customer_owner": customer.pk, "customer_witness": True})

    assert response.status_code == 201, response.content
    milestone = Milestone.objects.get()
    assert response.json() == {
        "key": str(milestone.key), "kind": "installation", "title": "",
        "label": "Installation complete", "sequence": 0, "due_date": "2026-03-09",
        "planned_date": "2026-03-09", "slip_days": 0, "status": "planned",
        "health": "on_track", "days_overdue": 0,
        "owner": {"id": engineer.pk, "username": "engineer", "name": "Engineer"},
        "customer_owner": {"id": customer.pk, "name": "Dana Sponsor"},
        "customer_witness": True, "witnessed_by": None, "completed_on": None,
        "evidence_note": "", "evidence_file": None}
    assert api.get(f"/pocs/{running_poc.pk}/milestones/{milestone.key}").json() == (
        response.json())
    assert api.get(f"/pocs/{running_poc.pk}/milestones").json() == {
        "items": [response.json()], "count": 1}
    event = Event.objects.get(verb="milestone.added")
    assert (event.poc_id, event.data) == (running_poc.pk, {"due_date": "2026-03-09"})


@pytest.mark.parametrize(("days_late", "health"), [
    (0, "on_track"), (1, "at_risk"), (6, "at_risk"), (7, "stalled")])
def test_the_health_follows_the_days_overdue(running_poc, engineer, api_as, days_late, health):
    milestone = make_milestone(running_poc, "2026-03-02", kind="first_run")
    api = api_as(engineer)

    with time_machine.travel(NOW + datetime.timedelta(days=days_late), tick=False):
        listed = api.get(f"/pocs/{running_poc.pk}/milestones").json()
        summary = api.get(f"/pocs/{running_poc.pk}/timebox").json()

    assert listed["items"] == [milestone_body(
        milestone, label="First run", health=health, days_overdue=days_late,
        slip_days=0)]
    assert (summary["health"], summary["health_counts"]) == (
        health, {"on_track": 0, "at_risk": 0, "stalled": 0, health: 1})


def test_a_done_or_skipped_milestone_is_never_late(running_poc, engineer, api_as):
    make_milestone(running_poc, "2026-02-10", status="skipped")
    make_milestone(running_poc, "2026-02-11", status="done", completed_on=day("2026-02-20"))

    items = api_as(engineer).get(f"/pocs/{running_poc.pk}/milestones").json()["items"]

    assert [(item["health"], item["days_overdue"], item["slip_days"]) for item in items] == [
        ("on_track", 0, 0), ("on_track", 0, 9)]


def test_completing_a_milestone_records_its_witness_and_slip(running_poc, engineer, customer,
                                                             api_as):
    milestone = make_milestone(running_poc, "2026-02-25", kind="first_run",
                               customer_witness=True)

    response = api_as(engineer).patch(
        f"/pocs/{running_poc.pk}/milestones/{milestone.key}",
        {"status": "done", "witnessed_by": customer.pk, "evidence_note": "Ran 4 h at 120 t/h"})

    assert response.status_code == 200, response.content
    milestone.refresh_from_db()
    assert response.json() == milestone_body(
        milestone, label="First run", status="done", completed_on="2026-03-02", slip_days=5,
        witnessed_by={"id": customer.pk, "name": "Dana Sponsor"},
        evidence_note="Ran 4 h at 120 t/h")
    event = Event.objects.get(verb="milestone.witnessed")
    assert event.data == {"completed_on": "2026-03-02", "witness": "Dana Sponsor (COO)"}


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"witnessed_by": "customer"}, ["witnessed_by"]),
    ({"status": "done", "completed_on": "2026-03-03"}, ["completed_on"]),
    ({"completed_on": "2026-03-01"}, ["completed_on"]),
    ({"owner": "outsider"}, ["owner"]),
    ({"customer_owner": "vendor_person"}, ["customer_owner"]),
    ({"customer_owner": "outsider_stakeholder"}, ["customer_owner"]),
    ({"due_date": None}, ["due_date"]),
    ({"status": "finished"}, ["status"]),
    ({"title": "x" * 201}, ["title"]),
    ({"colour": "red"}, ["colour"]),
])
def test_a_bad_milestone_change_is_named_and_changes_nothing(
        running_poc, engineer, outsider, customer, other_team, api_as, body, bad_fields):
    milestone = make_milestone(running_poc, "2026-03-09")
    references = {
        "customer": customer.pk, "outsider": outsider.pk,
        "vendor_person": Stakeholder.objects.create(
            team=running_poc.team, account=running_poc.opportunity.account, name="Val Vendor",
            side="vendor").pk,
        "outsider_stakeholder": Stakeholder.objects.create(
            team=other_team, account=AccountFactory(team=other_team), name="Someone").pk}
    body = {name: references.get(value, value) if isinstance(value, str) else value
            for name, value in body.items()}
    before = timebox_state()

    response = api_as(engineer).patch(f"/pocs/{running_poc.pk}/milestones/{milestone.key}",
                                      body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert timebox_state() == before


def test_a_milestone_is_removed_unless_done(running_poc, engineer, api_as):
    planned = make_milestone(running_poc, "2026-03-09")
    done = make_milestone(running_poc, "2026-02-20", status="done",
                          completed_on=day("2026-02-20"))
    api = api_as(engineer)

    removed = api.delete(f"/pocs/{running_poc.pk}/milestones/{planned.key}")
    before = timebox_state()
    refused = api.delete(f"/pocs/{running_poc.pk}/milestones/{done.key}")

    assert removed.status_code == 204
    assert refused.status_code == 409
    assert refused.json() == {
        "code": "milestone_done",
        "message": "A done milestone stays in the plan: it is the POC's history.",
        "details": {}}
    assert timebox_state() == before
    assert list(Milestone.objects.values_list("pk", flat=True)) == [done.pk]
    assert api.get(f"/pocs/{running_poc.pk}/milestones/{planned.key}").status_code == 404


def test_putting_the_plan_keeps_moves_adds_and_removes(running_poc, engineer, customer, api_as):
    kept = make_milestone(running_poc, "2026-03-09", kind="installation")
    removed = make_milestone(running_poc, "2026-03-12")

    response = api_as(engineer).put(f"/pocs/{running_poc.pk}/milestones", {"milestones": [
        {"key": str(kept.key), "due_date": "2026-03-13", "owner": engineer.pk},
        {"kind": "checkpoint", "sequence": 1, "due_date": "2026-03-16",
         "customer_owner": customer.pk},
    ]})

    assert response.status_code == 200, response.content
    added = Milestone.objects.exclude(pk=kept.pk).get()
    kept.refresh_from_db()
    assert response.json() == [
        milestone_body(kept, label="Installation complete", due_date="2026-03-13",
                       planned_date="2026-03-09", slip_days=4, owner=user_ref(engineer)),
        milestone_body(added, label="Checkpoint 1", sequence=1,
                       customer_owner={"id": customer.pk, "name": "Dana Sponsor"}),
    ]
    assert not Milestone.objects.filter(pk=removed.pk).exists()
    event = Event.objects.get(verb="milestones.planned")
    assert event.data == {"count": 2, "added": 1, "removed": 1}


@pytest.mark.parametrize(("rows", "bad_fields"), [
    ([{"kind": "kickoff"}], ["milestones.1.due_date"]),
    ([{"due_date": "2026-03-09"}, {"due_date": "2026-03-10", "owner": 10**6}],
     ["milestones.2.owner"]),
    ([{"due_date": "2026-03-09", "completed_on": "2026-03-01"}], ["milestones.1.completed_on"]),
    ([{"due_date": "2026-03-09", "kind": "party"}], ["milestones"]),
    ([{"key": "not-a-key", "due_date": "2026-03-09"}], ["milestones"]),
])
def test_a_bad_plan_is_refused_whole(running_poc, engineer, api_as, rows, bad_fields):
    done = make_milestone(running_poc, "2026-02-20", status="done",
                          completed_on=day("2026-02-20"))
    before = timebox_state()

    response = api_as(engineer).put(f"/pocs/{running_poc.pk}/milestones", {
        "milestones": [{"key": str(done.key)}, *rows]})

    assert response.status_code == 422, response.content
    fields = response.json()["details"]["fields"]
    assert set(bad_fields) <= set(fields)
    # A new row without a due date also has no planned date (the baseline is the due date).
    assert set(fields) - set(bad_fields) <= {"milestones.1.planned_date"}
    assert timebox_state() == before


def test_a_done_milestone_cannot_be_left_out_of_the_plan(running_poc, engineer, api_as):
    make_milestone(running_poc, "2026-02-20", kind="kickoff", status="done",
                   completed_on=day("2026-02-20"))
    before = timebox_state()

    response = api_as(engineer).put(f"/pocs/{running_poc.pk}/milestones", {"milestones": []})

    assert response.status_code == 422, response.content
    assert response.json()["details"]["fields"] == {"milestones": [
        "A done milestone cannot be removed from the plan: Kickoff."]}
    assert timebox_state() == before


PROPOSED = [  # 2 February → 30 March: 56 days, a checkpoint every 14 days
    ("kickoff", 0, "Kickoff", "2026-02-02", "engineer", None, False),
    ("resources_ready", 0, "Customer resources ready", "2026-02-08", None, "sponsor", False),
    ("installation", 0, "Installation complete", "2026-02-13", "engineer", None, True),
    ("first_run", 0, "First run", "2026-02-16", "engineer", None, True),
    ("checkpoint", 1, "Checkpoint 1", "2026-02-16", "engineer", None, False),
    ("midpoint_review", 0, "Mid-point review with the sponsor", "2026-03-02", None, "sponsor",
     False),
    ("checkpoint", 2, "Checkpoint 2", "2026-03-16", "engineer", None, False),
    ("target_reached", 0, "Target reached", "2026-03-22", "engineer", None, True),
    ("final_review", 0, "Final review", "2026-03-30", "engineer", None, False),
]


def test_the_proposed_plan_is_answered_and_not_saved(running_poc, engineer, customer, api_as):
    make_milestone(running_poc, "2026-02-20")
    before = timebox_state()
    people = {"engineer": user_ref(engineer), "sponsor": {"id": customer.pk,
                                                          "name": "Dana Sponsor"}, None: None}

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/milestones/propose")

    assert response.status_code == 200, response.content
    assert response.json() == [
        {"kind": kind, "title": "", "label": label, "sequence": sequence, "due_date": due,
         "owner": people[owner], "customer_owner": people[customer_owner],
         "customer_witness": witness}
        for kind, sequence, label, due, owner, customer_owner, witness in PROPOSED]
    assert Milestone.objects.count() == 1
    assert timebox_state() == before


def test_the_proposal_takes_other_dates_and_cadence(running_poc, engineer, api_as):
    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/milestones/propose", {
        "start": "2026-04-01", "end": "2026-04-11", "cadence_days": 3})

    assert response.status_code == 200, response.content
    assert [(row["kind"], row["sequence"], row["due_date"]) for row in response.json()] == [
        ("kickoff", 0, "2026-04-01"), ("resources_ready", 0, "2026-04-02"),
        ("installation", 0, "2026-04-03"), ("first_run", 0, "2026-04-04"),
        ("checkpoint", 1, "2026-04-04"), ("midpoint_review", 0, "2026-04-06"),
        ("checkpoint", 2, "2026-04-07"), ("checkpoint", 3, "2026-04-10"),
        ("target_reached", 0, "2026-04-10"), ("final_review", 0, "2026-04-11")]
    assert Milestone.objects.count() == 0


@pytest.mark.parametrize(("dates", "body", "bad_fields"), [
    ((None, None), None, ["end", "start"]),
    (("2026-02-02", None), {}, ["end"]),
    ((None, None), {"start": "2026-02-02"}, ["end"]),
    (("2026-02-02", "2026-03-30"), {"end": "2026-02-01"}, ["end"]),
    (("2026-02-02", "2026-03-30"), {"start": "2026-04-01"}, ["end"]),
    (("2026-02-02", "2026-03-30"), {"end": "2036-03-30"}, ["end"]),
    (("2026-02-02", "2026-03-30"), {"cadence_days": 0}, ["cadence_days"]),
    (("2026-02-02", "2026-03-30"), {"begin": "2026-02-02"}, ["begin"]),
])
def test_a_proposal_without_valid_dates_names_the_field(poc, engineer, api_as, dates, body,
                                                        bad_fields):
    POC.objects.filter(pk=poc.pk).update(start_date=dates[0] and day(dates[0]),
                                         end_date=dates[1] and day(dates[1]))

    response = api_as(engineer).post(f"/pocs/{poc.pk}/milestones/propose", body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert Milestone.objects.count() == 0


def test_evidence_is_uploaded_and_downloaded(running_poc, engineer, api_as, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    milestone = make_milestone(running_poc, "2026-03-09")
    api = api_as(engineer)
    path = f"/pocs/{running_poc.pk}/milestones/{milestone.key}/evidence"

    missing = api.get(path)
    uploaded = api.post_form(path, {"evidence_file": SimpleUploadedFile(
        "run log.txt", b"12:00 start\n16:00 stop\n", content_type="text/plain")})

    assert missing.status_code == 404
    assert uploaded.status_code == 200, uploaded.content
    milestone.refresh_from_db()
    assert uploaded.json()["evidence_file"] == {
        "id": milestone.evidence_file_id, "name": "run log.txt", "url": "/api/v1" + path}
    downloaded = api.get(path)
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content) == b"12:00 start\n16:00 stop\n"
    assert downloaded["Content-Disposition"] == 'attachment; filename="run log.txt"'
    assert Event.objects.get(verb="milestone.changed").data["changes"] == {
        "evidence_file": [None, "run log.txt"]}
    before = timebox_state()
    empty = api.post_form(path, {"evidence_file": SimpleUploadedFile("empty.pdf", b"")})
    assert empty.status_code == 422
    assert list(empty.json()["details"]["fields"]) == ["evidence_file"]
    assert timebox_state() == before


# --- the summary -----------------------------------------------------------------------------

def test_the_timebox_summary(running_poc, engineer, manager, api_as):
    POC.objects.filter(pk=running_poc.pk).update(start_date=day("2026-01-05"),
                                                 end_date=day("2026-02-04"))
    running_poc.refresh_from_db()
    make_extension(running_poc, engineer, days=9, decided_by=manager)
    pending = Extension.objects.create(
        poc=running_poc, reason="More samples", previous_end=day("2026-02-04"),
        requested_end=day("2026-02-18"), days=14, requested_by=engineer)
    make_milestone(running_poc, "2026-01-05", kind="kickoff", status="done",
                   completed_on=day("2026-01-05"))
    stalled = make_milestone(running_poc, "2026-02-20", kind="installation", owner=engineer)
    make_milestone(running_poc, "2026-02-27", kind="first_run")
    make_milestone(running_poc, "2026-03-10", kind="target_reached")

    response = api_as(engineer).get(f"/pocs/{running_poc.pk}/timebox")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "start": "2026-01-05", "end": "2026-02-04", "baseline_end": "2026-01-26",
        "drift_days": 9, "duration_days": 30, "max_duration_days": 90,
        "approved_duration_days": None, "over_max_duration": False,
        "extensions_approved": 1, "max_extensions": 2, "extensions_left": 1,
        "pending_extension_id": pending.pk, "health": "stalled",
        "health_counts": {"on_track": 1, "at_risk": 1, "stalled": 1},
        "milestones_total": 4, "milestones_done": 1,
        "next_milestone": milestone_body(stalled, label="Installation complete",
                                         health="stalled", days_overdue=10, slip_days=0,
                                         owner=user_ref(engineer)),
        "elapsed_share": 100, "drifting": True,
        # No agreement: the end date and the team's 30 days of grace.
        "exit": {"deadline": "2026-02-04", "trigger_date": "2026-03-06", "days_late": 26,
                 "reached": False, "needs_decision": False, "decision": None},
    }


def test_a_poc_without_dates_has_no_exit(poc, engineer, api_as):
    body = api_as(engineer).get(f"/pocs/{poc.pk}/timebox").json()

    assert (body["start"], body["end"], body["duration_days"], body["exit"], body["health"],
            body["elapsed_share"], body["drifting"]) == (None, None, None, None, "on_track",
                                                         None, False)


# --- extensions ------------------------------------------------------------------------------

def test_an_extension_is_requested_then_approved(running_poc, engineer, manager, api_as):
    final = make_milestone(running_poc, "2026-03-30", kind="final_review")
    path = f"/pocs/{running_poc.pk}/extensions"

    requested = api_as(engineer).post(path, {"requested_end": "2026-04-13",
                                             "reason": "Customer hardware late"})
    second = api_as(engineer).post(path, {"requested_end": "2026-04-20", "reason": "More"})

    assert requested.status_code == 201, requested.content
    extension = Extension.objects.get()
    expected = {
        "id": extension.pk, "reason": "Customer hardware late", "previous_end": "2026-03-30",
        "requested_end": "2026-04-13", "days": 14, "status": "requested",
        "requested_by": user_ref(engineer), "requested_at": "2026-03-02T08:00:00Z",
        "decided_by": None, "decided_at": None, "decision_note": "", "beyond_policy": False}
    assert requested.json() == expected
    assert second.status_code == 409
    assert second.json()["code"] == "extension_pending"

    approved = api_as(manager).post(f"{path}/{extension.pk}/decision",
                                    {"approve": True, "note": "Fine"})

    assert approved.status_code == 200, approved.content
    assert approved.json() == {**expected, "status": "approved", "decided_by": user_ref(manager),
                               "decided_at": "2026-03-02T08:00:00Z", "decision_note": "Fine"}
    running_poc.refresh_from_db()
    final.refresh_from_db()
    assert (running_poc.end_date, final.due_date, final.planned_date) == (
        day("2026-04-13"), day("2026-04-13"), day("2026-03-30"))
    assert api_as(engineer).get(path).json() == {"items": [approved.json()], "count": 1}
    summary = api_as(engineer).get(f"/pocs/{running_poc.pk}/timebox").json()
    assert (summary["drift_days"], summary["baseline_end"], summary["extensions_approved"],
            summary["pending_extension_id"]) == (14, "2026-03-30", 1, None)


@pytest.mark.parametrize(("actor_name", "expected"), [
    ("anonymous", 401), ("outsider", 404), ("engineer", 403), ("sales", 403),
    ("manager", 200), ("admin", 200)])
def test_only_a_manager_decides_an_extension(running_poc, engineer, actors, api_as,
                                             anonymous_api, actor_name, expected):
    extension = make_extension(running_poc, engineer, days=7, status="requested")
    POC.objects.filter(pk=running_poc.pk).update(end_date=extension.previous_end)
    actor = actors[actor_name]
    api = api_as(actor) if actor else anonymous_api
    before = timebox_state()

    response = api.post(f"/pocs/{running_poc.pk}/extensions/{extension.pk}/decision",
                        {"approve": True})

    assert response.status_code == expected, response.content
    if expected == 200:
        assert POC.objects.get(pk=running_poc.pk).end_date == extension.requested_end
    else:
        assert timebox_state() == before


def test_approving_beyond_the_team_limit_needs_the_override_and_a_note(running_poc, engineer,
                                                                       manager, api_as):
    TimeboxPolicy.objects.create(team=running_poc.team, max_extensions=1)
    make_extension(running_poc, engineer, days=7, decided_by=manager)
    extension = Extension.objects.create(
        poc=running_poc, reason="Again", previous_end=day("2026-03-30"),
        requested_end=day("2026-04-06"), days=7, requested_by=engineer)
    api = api_as(manager)
    path = f"/pocs/{running_poc.pk}/extensions/{extension.pk}/decision"
    before = timebox_state()

    plain = api.post(path, {"approve": True, "note": "Needed"})
    silent = api.post(path, {"approve": True, "beyond_policy": True})

    assert (plain.status_code, silent.status_code) == (422, 422)
    assert plain.json()["details"]["fields"] == {"beyond_policy": [
        "Beyond the team's limits: it would be extension 2, and the team allows 1. Approve "
        "beyond the limits, with a note, to extend anyway."]}
    assert list(silent.json()["details"]["fields"]) == ["note"]
    assert timebox_state() == before

    approved = api.post(path, {"approve": True, "beyond_policy": True,
                               "note": "Sponsor asked the CEO"})

    assert approved.status_code == 200, approved.content
    assert (approved.json()["status"], approved.json()["beyond_policy"]) == ("approved", True)
    assert POC.objects.get(pk=running_poc.pk).end_date == day("2026-04-06")
    event = Event.objects.get(verb="extension.approved_beyond_policy")
    assert (event.data["number"], event.data["note"]) == (2, "Sponsor asked the CEO")


def test_refusing_needs_a_note_and_a_decision_is_final(running_poc, engineer, manager, api_as):
    extension = Extension.objects.create(
        poc=running_poc, reason="Late", previous_end=day("2026-03-30"),
        requested_end=day("2026-04-06"), days=7, requested_by=engineer)
    api = api_as(manager)
    path = f"/pocs/{running_poc.pk}/extensions/{extension.pk}/decision"
    before = timebox_state()

    silent = api.post(path, {"approve": False})
    assert silent.status_code == 422
    assert list(silent.json()["details"]["fields"]) == ["note"]
    assert timebox_state() == before

    refused = api.post(path, {"approve": False, "note": "Finish with what you have"})
    again = api.post(path, {"approve": True})

    assert (refused.status_code, refused.json()["status"]) == (200, "refused")
    assert again.status_code == 409
    assert again.json()["code"] == "already_decided"
    assert POC.objects.get(pk=running_poc.pk).end_date == day("2026-03-30")


@pytest.mark.parametrize(("status", "body", "code", "expected"), [
    (Status.DRAFT, {"requested_end": "2026-04-13", "reason": "Late"}, 409, "not_extensible"),
    (Status.RUNNING, {"requested_end": "2026-03-30", "reason": "Late"}, 422, ["requested_end"]),
    (Status.RUNNING, {"requested_end": "2026-04-13", "reason": "  "}, 422, ["reason"]),
    (Status.RUNNING, {"reason": "Late"}, 422, ["requested_end"]),
    (Status.CLOSED, {"requested_end": "2026-04-13", "reason": "Late"}, 409, "poc_closed"),
])
def test_a_refused_extension_request_changes_nothing(running_poc, engineer, api_as, status, body,
                                                     code, expected):
    POC.objects.filter(pk=running_poc.pk).update(status=status)
    before = timebox_state()

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/extensions", body)

    assert response.status_code == code, response.content
    answer = response.json()
    assert (answer["code"] if code == 409 else sorted(answer["details"]["fields"])) == expected
    assert timebox_state() == before


# --- exit clause -------------------------------------------------------------------------------

@pytest.fixture
def exit_reached(running_poc):
    """Ended on 20 January: with the team's 30 days of grace, the clause applied after
    19 February."""
    POC.objects.filter(pk=running_poc.pk).update(start_date=day("2025-12-01"),
                                                 end_date=day("2026-01-20"))
    running_poc.refresh_from_db()
    return running_poc


def test_stopping_at_the_exit_clause_moves_the_poc_to_evaluation(exit_reached, engineer,
                                                                 api_as):
    api = api_as(engineer)
    assert api.get(f"/pocs/{exit_reached.pk}/timebox").json()["exit"] == {
        "deadline": "2026-01-20", "trigger_date": "2026-02-19", "days_late": 41,
        "reached": True, "needs_decision": True, "decision": None}

    response = api.post(f"/pocs/{exit_reached.pk}/exit-decision",
                        {"decision": "stop", "note": "Agreed with the sponsor on the call"})

    assert response.status_code == 201, response.content
    record = ExitDecision.objects.get()
    expected = {"id": record.pk, "decision": "stop",
                "note": "Agreed with the sponsor on the call", "deadline": "2026-01-20",
                "trigger_date": "2026-02-19", "extension_id": None,
                "decided_by": user_ref(engineer), "decided_at": "2026-03-02T08:00:00Z"}
    assert response.json() == expected
    assert POC.objects.get(pk=exit_reached.pk).status == Status.EVALUATING
    # Evaluating: the clause is no longer watched.
    assert api.get(f"/pocs/{exit_reached.pk}/timebox").json()["exit"]["reached"] is False


def test_extending_at_the_exit_clause_files_an_extension(exit_reached, engineer, api_as):
    api = api_as(engineer)

    response = api.post(f"/pocs/{exit_reached.pk}/exit-decision", {
        "decision": "extend", "note": "Two more weeks, sponsor agrees",
        "requested_end": "2026-03-16"})

    assert response.status_code == 201, response.content
    extension = Extension.objects.get()
    assert (response.json()["extension_id"], extension.status, extension.days) == (
        extension.pk, "requested", 55)
    summary = api.get(f"/pocs/{exit_reached.pk}/timebox").json()
    assert summary["exit"]["needs_decision"] is False
    assert summary["exit"]["decision"]["decision"] == "extend"
    assert summary["pending_extension_id"] == extension.pk


@pytest.mark.parametrize(("actor_name", "body", "expected"), [
    ("anonymous", {"decision": "stop", "note": "n"}, 401),
    ("outsider", {"decision": "stop", "note": "n"}, 404),
    ("sales", {"decision": "stop", "note": "n"}, 403),
    ("engineer", {"decision": "stop", "note": " "}, 422),
    ("engineer", {"decision": "extend", "note": "n"}, 422),
    ("engineer", {"decision": "abandon", "note": "n"}, 422),
])
def test_a_refused_exit_decision_changes_nothing(exit_reached, actors, api_as, anonymous_api,
                                                 actor_name, body, expected):
    actor = actors[actor_name]
    api = api_as(actor) if actor else anonymous_api
    before = timebox_state()

    response = api.post(f"/pocs/{exit_reached.pk}/exit-decision", body)

    assert response.status_code == expected, response.content
    assert timebox_state() == before


def test_no_exit_decision_before_the_clause_is_reached(running_poc, engineer, api_as):
    before = timebox_state()

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/exit-decision",
                                     {"decision": "stop", "note": "Enough"})

    assert response.status_code == 409
    assert response.json() == {
        "code": "exit_not_reached",
        "message": "The exit clause is not reached: there is no exit decision to take.",
        "details": {}}
    assert timebox_state() == before


# --- permissions -----------------------------------------------------------------------------

def _milestone_writes(poc, milestone):
    base = f"/pocs/{poc.pk}/milestones"
    return [
        ("post", base, {"due_date": "2026-03-20", "title": "Demo to the board"}),
        ("patch", f"{base}/{milestone.key}", {"due_date": "2026-03-23"}),
        ("put", base, {"milestones": [{"key": str(milestone.key), "title": "Renamed"}]}),
        ("delete", f"{base}/{milestone.key}", None),
        ("post", f"/pocs/{poc.pk}/extensions", {"requested_end": "2026-04-13",
                                                "reason": "Late"}),
    ]


@pytest.mark.parametrize(("actor_name", "expected"), [
    ("anonymous", [401] * 5), ("outsider", [404] * 5),
    ("engineer", [201, 200, 200, 204, 201]), ("sales", [201, 200, 200, 204, 201]),
    ("manager", [201, 200, 200, 204, 201]), ("admin", [201, 200, 200, 204, 201])])
def test_who_writes_the_milestones(running_poc, actors, api_as, anonymous_api, actor_name,
                                   expected):
    milestone = make_milestone(running_poc, "2026-03-09")
    actor = actors[actor_name]
    api = api_as(actor) if actor else anonymous_api
    before = timebox_state()

    statuses = []
    for method, path, body in _milestone_writes(running_poc, milestone):
        call = getattr(api, method)
        statuses.append((call(path, body) if body is not None else call(path)).status_code)

    assert statuses == expected
    if expected[0] >= 400:
        assert timebox_state() == before


@pytest.mark.parametrize(("actor_name", "expected"), [
    ("anonymous", 401), ("outsider", 404), ("engineer", 200), ("sales", 200),
    ("manager", 200), ("admin", 200)])
def test_who_reads_the_timebox(running_poc, engineer, actors, api_as, anonymous_api,
                               actor_name, expected):
    milestone = make_milestone(running_poc, "2026-03-09")
    extension = make_extension(running_poc, engineer, days=3, status="requested")
    actor = actors[actor_name]
    api = api_as(actor) if actor else anonymous_api
    base = f"/pocs/{running_poc.pk}"
    reads = [f"{base}/timebox", f"{base}/milestones", f"{base}/milestones/{milestone.key}",
             f"{base}/extensions", f"{base}/extensions/{extension.pk}"]

    statuses = [api.get(path).status_code for path in reads]
    proposal = api.post(f"{base}/milestones/propose").status_code

    assert statuses + [proposal] == [expected] * 6


def test_a_closed_poc_keeps_its_milestones(running_poc, engineer, api_as):
    milestone = make_milestone(running_poc, "2026-03-09")
    POC.objects.filter(pk=running_poc.pk).update(status=Status.CLOSED)
    api = api_as(engineer)
    before = timebox_state()

    responses = [
        api.post(f"/pocs/{running_poc.pk}/milestones", {"due_date": "2026-03-20"}),
        api.patch(f"/pocs/{running_poc.pk}/milestones/{milestone.key}", {"status": "done"}),
        api.put(f"/pocs/{running_poc.pk}/milestones", {"milestones": []}),
    ]

    assert [response.status_code for response in responses] == [409, 409, 409]
    assert {response.json()["code"] for response in responses} == {"poc_closed"}
    assert timebox_state() == before


@pytest.mark.parametrize("key", ["not-a-key", "12"])
def test_a_milestone_key_must_be_a_uuid(running_poc, engineer, api_as, key):
    response = api_as(engineer).patch(f"/pocs/{running_poc.pk}/milestones/{key}",
                                      {"title": "x"})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["key"]


def test_another_poc_milestone_is_not_found(running_poc, engineer, api_as):
    elsewhere = POCFactory(opportunity=running_poc.opportunity, owner=engineer)
    milestone = make_milestone(elsewhere, "2026-03-09")
    before = timebox_state()

    responses = [api_as(engineer).patch(f"/pocs/{running_poc.pk}/milestones/{milestone.key}",
                                        {"title": "Mine"}),
                 api_as(engineer).delete(f"/pocs/{running_poc.pk}/milestones/{milestone.key}")]

    assert [response.status_code for response in responses] == [404, 404]
    assert timebox_state() == before


# --- query counts ----------------------------------------------------------------------------

def queries_for(api, path: str) -> tuple[int, int]:
    api.get(path)  # the first call of the minute also stamps the token's last use
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, {"page_size": 200})
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def populate(poc, engineer, customer, start: int, stop: int) -> None:
    """Milestones with every link set, and approved extensions decided by the engineer."""
    for number in range(start, stop):
        stored = None
        if number % 2:
            from pocdesk.core.models import StoredFile

            stored = StoredFile.objects.create(
                team=poc.team, storage_key=f"evidence-{number}", original_name="log.txt",
                content_type="text/plain", size=1, sha256="0" * 64)
        make_milestone(poc, f"2026-02-{number + 1:02}", owner=engineer, customer_owner=customer,
                       witnessed_by=customer, status="done",
                       completed_on=day(f"2026-02-{number + 1:02}"), evidence_file=stored)
        make_extension(poc, engineer, days=1, decided_by=engineer)


# Token, profile, the user's teams, the POC, the page (lists of rows: no COUNT query).
LIST_QUERIES = {"/milestones": 5, "/extensions": 5}


@pytest.mark.parametrize("path", sorted(LIST_QUERIES))
def test_the_timebox_lists_cost_a_constant_number_of_queries(running_poc, engineer, customer,
                                                             api_as, path):
    api = api_as(engineer)
    populate(running_poc, engineer, customer, 0, 2)
    small = queries_for(api, f"/pocs/{running_poc.pk}{path}")
    populate(running_poc, engineer, customer, 2, 20)
    large = queries_for(api, f"/pocs/{running_poc.pk}{path}")

    assert small == (LIST_QUERIES[path], 2)
    assert large == (LIST_QUERIES[path], 20)
