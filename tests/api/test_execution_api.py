"""The run of a POC through the API (§8.1, §8.2): readings one by one and in bulk, each
criterion's live status and chart, the execution log and evidence files."""

import datetime
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pocdesk.core.models import Event, StoredFile
from pocdesk.execution.models import Evidence, LogEntry, Measurement
from pocdesk.pocs.models import POC, Status
from tests.factories import (
    POCFactory,
    make_criterion,
    make_customer,
    make_log_entry,
    make_measurement,
    make_milestone,
)

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def at(hours_ago: float) -> datetime.datetime:
    return NOW - datetime.timedelta(hours=hours_ago)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


@pytest.fixture
def running_poc(poc):
    POC.objects.filter(pk=poc.pk).update(status=Status.RUNNING)
    poc.refresh_from_db()
    return poc


@pytest.fixture
def throughput(running_poc):
    """A numeric must-have: mean throughput ≥ 120 t/h."""
    return make_criterion(running_poc)


@pytest.fixture
def no_crash(running_poc):
    """A pass/fail test judged on its latest result."""
    return make_criterion(running_poc, title="No crash", metric="", unit="",
                          comparator="pass_fail", target_value=None,
                          pass_condition="No failure in 72 h", aggregation="latest",
                          must_have=False)


@pytest.fixture
def customer(running_poc):
    return make_customer(running_poc, name="Dana Sponsor", role="executive_sponsor")


def execution_state():
    """What a refused call must leave untouched."""
    return (list(Measurement.objects.order_by("pk").values_list()),
            list(LogEntry.objects.order_by("pk").values_list()),
            list(Evidence.objects.order_by("pk").values_list()),
            StoredFile.objects.count(),
            Event.objects.exclude(verb__startswith="token.").count())


def user_ref(user) -> dict:
    return {"id": user.pk, "username": user.username, "name": user.username.title()}


def png_bytes(width: int = 1200, height: int = 800) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(output, format="PNG")
    return output.getvalue()


def make_evidence(poc, *, name: str = "run.log", **values) -> Evidence:
    """A text file stored and recorded as evidence of the POC, through the models."""
    key = default_storage.save(f"evidence/{name}", ContentFile(b"ok\n"))
    stored = StoredFile.objects.create(team=poc.team, storage_key=key, original_name=name,
                                       content_type="text/plain", size=3, sha256="0" * 64)
    return Evidence.objects.create(poc=poc, file=stored, **values)


# --- readings --------------------------------------------------------------------------------

def test_a_reading_is_recorded_read_and_listed(running_poc, throughput, engineer, api_as):
    evidence = make_evidence(running_poc, caption="Weighbridge ticket")
    api = api_as(engineer)

    response = api.post(f"/pocs/{running_poc.pk}/measurements", {
        "criterion": throughput.pk, "measured_at": "2026-03-02T08:30:00+01:00",
        "value": "130.50", "conditions": "Line 2 at full load", "note": "Wet ore",
        "evidence_ids": [evidence.pk]})

    assert response.status_code == 201, response.content
    measurement = Measurement.objects.get()
    assert response.json() == {
        "id": measurement.pk, "criterion_id": throughput.pk,
        "measured_at": "2026-03-02T07:30:00Z", "value": "130.5", "passed": None,
        "conditions": "Line 2 at full load", "note": "Wet ore", "series_id": None,
        "evidence": [{"id": evidence.pk, "name": "run.log", "caption": "Weighbridge ticket"}],
        "recorded_by": user_ref(engineer), "recorded_at": "2026-03-02T08:00:00Z"}
    assert measurement.value == Decimal("130.5")
    path = f"/pocs/{running_poc.pk}/measurements"
    assert api.get(f"{path}/{measurement.pk}").json() == response.json()
    assert api.get(path).json() == {"items": [response.json()], "count": 1}
    assert Event.objects.get(verb="measurement.recorded").data["value"] == "130.5"


def test_a_pass_fail_result_is_recorded(running_poc, no_crash, sales, api_as):
    response = api_as(sales).post(f"/pocs/{running_poc.pk}/measurements", {
        "criterion": no_crash.pk, "measured_at": "2026-03-02T07:00:00Z", "passed": False})

    assert response.status_code == 201, response.content
    assert (response.json()["value"], response.json()["passed"]) == (None, False)
    assert Measurement.objects.get().passed is False


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"value": None}, ["value"]),
    ({"criterion": "no_crash"}, ["passed", "value"]),
    ({"passed": True}, ["passed"]),
    ({"criterion": "elsewhere"}, ["criterion"]),
    ({"criterion": 10**6}, ["criterion"]),
    ({"value": "NaN"}, ["value"]),
    ({"value": "1e15"}, ["value"]),
    ({"value": "twelve"}, ["value"]),
    ({"measured_at": "2026-03-02T09:00:00Z"}, ["measured_at"]),
    ({"measured_at": "2026-03-02T07:00:00"}, ["measured_at"]),
    ({"measured_at": None}, ["measured_at"]),
    ({"evidence_ids": ["elsewhere_evidence"]}, ["evidence_ids"]),
    ({"conditions": "x" * 301}, ["conditions"]),
    ({"recorded_by": 1}, ["recorded_by"]),
])
def test_a_bad_reading_is_named_and_recorded_nowhere(running_poc, throughput, no_crash, engineer,
                                                     api_as, body, bad_fields):
    elsewhere = POCFactory(opportunity=running_poc.opportunity, owner=engineer,
                           status=Status.RUNNING)
    references = {"no_crash": no_crash.pk, "elsewhere": make_criterion(elsewhere).pk,
                  "elsewhere_evidence": make_evidence(elsewhere).pk}
    body = {"criterion": throughput.pk, "measured_at": "2026-03-02T07:00:00Z", "value": "125",
            **{name: references.get(value, value) if isinstance(value, str) else value
               for name, value in body.items()}}
    body["evidence_ids"] = [references.get(value, value) for value in body.get(
        "evidence_ids", [])]
    before = execution_state()

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/measurements", body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert execution_state() == before


def test_the_missing_value_is_explained(running_poc, throughput, no_crash, engineer, api_as):
    api = api_as(engineer)
    path = f"/pocs/{running_poc.pk}/measurements"

    numeric = api.post(path, {"criterion": throughput.pk, "measured_at": "2026-03-02T07:00:00Z"})
    pass_fail = api.post(path, {"criterion": no_crash.pk, "measured_at": "2026-03-02T07:00:00Z"})

    assert numeric.json()["details"]["fields"] == {"value": ["Give the measured value."]}
    assert pass_fail.json()["details"]["fields"] == {
        "passed": ["Give the result of the test: passed or failed."]}


def test_a_reading_is_corrected_then_deleted(running_poc, throughput, no_crash, engineer,
                                             api_as):
    measurement = make_measurement(throughput, value="118", measured_at=at(3),
                                   recorded_by=engineer)
    api = api_as(engineer)
    path = f"/pocs/{running_poc.pk}/measurements/{measurement.pk}"

    corrected = api.patch(path, {"value": "121.25", "note": "Scale recalibrated"})

    assert corrected.status_code == 200, corrected.content
    assert (corrected.json()["value"], corrected.json()["note"],
            corrected.json()["measured_at"]) == ("121.25", "Scale recalibrated",
                                                 "2026-03-02T05:00:00Z")
    moved = api.patch(path, {"criterion": no_crash.pk})
    assert moved.status_code == 422
    assert list(moved.json()["details"]["fields"]) == ["passed"]
    moved = api.patch(path, {"criterion": no_crash.pk, "passed": True})
    assert moved.status_code == 200, moved.content
    assert (moved.json()["criterion_id"], moved.json()["value"], moved.json()["passed"]) == (
        no_crash.pk, None, True)

    deleted = api.delete(path)

    assert deleted.status_code == 204
    assert Measurement.objects.count() == 0
    assert api.get(path).status_code == 404
    assert list(Event.objects.filter(verb__startswith="measurement.").order_by("pk")
                .values_list("verb", flat=True)) == [
        "measurement.changed", "measurement.changed", "measurement.deleted"]


def test_readings_are_filtered_and_ordered_by_criterion_then_time(running_poc, throughput,
                                                                  no_crash, engineer, api_as):
    late = make_measurement(throughput, value="130", measured_at=at(1))
    early = make_measurement(throughput, value="110", measured_at=at(5))
    test = make_measurement(no_crash, passed=True, measured_at=at(3))
    api = api_as(engineer)
    path = f"/pocs/{running_poc.pk}/measurements"

    def ids(params=None):
        return [item["id"] for item in api.get(path, params).json()["items"]]

    assert ids() == [early.pk, late.pk, test.pk]
    assert ids({"criterion": no_crash.pk}) == [test.pk]
    assert ids({"since": "2026-03-02T04:00:00Z"}) == [late.pk, test.pk]
    assert ids({"until": "2026-03-02T05:00:00Z", "criterion": throughput.pk}) == [early.pk]
    assert ids({"series": 999}) == []
    assert ids({"since": "2026-03-02T03:00:00+01:00"}) == [early.pk, late.pk, test.pk]
    assert ids({"until": "2026-03-02T03:00:00"}) == [early.pk]  # the server's time (UTC)
    for bad in ({"since": "yesterday"}, {"until": "0001-01-01T00:00:00+05:00"}):
        response = api.get(path, bad)
        assert (response.status_code, list(response.json()["details"]["fields"])) == (
            422, list(bad))


# --- bulk ------------------------------------------------------------------------------------

def readings(criterion, count: int) -> list[dict]:
    return [{"criterion": criterion.pk, "value": f"{120 + number % 7}.{number % 10}",
             "measured_at": (NOW - datetime.timedelta(seconds=count - number)).isoformat()}
            for number in range(count)]


def test_ten_thousand_readings_are_recorded_in_one_request(running_poc, throughput, engineer,
                                                           api_as):
    body = {"items": readings(throughput, 10_000)}
    assert len(json.dumps(body)) < django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/measurements/bulk", body)

    assert response.status_code == 201, response.content[:500]
    assert response.json() == {"created": 10_000}
    assert Measurement.objects.filter(criterion=throughput, recorded_by=engineer).count() == (
        10_000)
    event = Event.objects.get(verb="measurement.bulk_recorded")
    assert event.data == {"count": 10_000, "criteria": ["Throughput"]}


def test_more_than_ten_thousand_readings_are_refused(running_poc, throughput, engineer, api_as):
    before = execution_state()

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/measurements/bulk",
                                     {"items": readings(throughput, 10_001)})

    assert response.status_code == 422, response.content[:500]
    assert response.json()["details"]["fields"] == {"items": [
        "At most 10,000 readings per request (this one has 10,001): split them, or import "
        "the file as a series."]}
    assert execution_state() == before


def test_a_body_over_the_size_limit_is_refused(running_poc, throughput, engineer, api_as):
    items = [{**item, "note": "n" * 400} for item in readings(throughput, 7_000)]

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/measurements/bulk",
                                     {"items": items})

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize(("bad_items", "bad_fields"), [
    ({2: {"value": None}}, ["items.2.value"]),
    ({0: {"criterion": "no_crash"}, 4: {"value": "1e20"}},
     ["items.0.passed", "items.0.value", "items.4.value"]),
    ({3: {"measured_at": "2026-03-03T08:00:00Z"}}, ["items.3.measured_at"]),
    ({1: {"measured_at": "not a time"}, 2: {"value": "abc"}},
     ["items.1.measured_at", "items.2.value"]),
    ({4: {"evidence_ids": [1]}}, ["items.4.evidence_ids"]),
    ({3: {"criterion": "elsewhere"}}, ["items.3.criterion"]),
])
def test_one_bad_reading_and_none_is_recorded(running_poc, throughput, no_crash, engineer,
                                              api_as, bad_items, bad_fields):
    elsewhere = make_criterion(POCFactory(opportunity=running_poc.opportunity, owner=engineer))
    references = {"no_crash": no_crash.pk, "elsewhere": elsewhere.pk}
    items = readings(throughput, 5)
    for index, changes in bad_items.items():
        items[index].update({name: references.get(value, value) if isinstance(value, str)
                             else value for name, value in changes.items()})
    before = execution_state()

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/measurements/bulk",
                                     {"items": items})

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert execution_state() == before


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"items": []}, ["items"]), ({}, ["items"]), ({"items": {}}, ["items"]),
    ({"items": [], "extra": 1}, ["extra"]),
])
def test_a_bulk_body_must_hold_readings(running_poc, engineer, api_as, body, bad_fields):
    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/measurements/bulk", body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields


# --- status ----------------------------------------------------------------------------------

def test_a_criterion_status_with_its_chart(running_poc, throughput, engineer, api_as):
    for hours_ago, value in [(3, "110"), (2, "130"), (1, "150")]:
        make_measurement(throughput, value=value, measured_at=at(hours_ago))
    api = api_as(engineer)
    path = f"/pocs/{running_poc.pk}/criteria/{throughput.pk}/status"

    response = api.get(path)

    assert response.status_code == 200, response.content
    assert response.json() == {
        "criterion_id": throughput.pk, "title": "Throughput", "target": "≥ 120 t/h",
        "aggregation": "mean", "must_have": True, "status": "passing", "result": "130",
        "count": 3, "passing_count": 2, "first_at": "2026-03-02T05:00:00Z",
        "last_at": "2026-03-02T07:00:00Z", "latest": "150",
        "chart": {
            "kind": "numeric", "unit": "t/h", "title": "Throughput", "aggregation": "mean",
            "target": {"comparator": "gte", "text": "≥ 120 t/h", "value": 120.0},
            "count": 3, "bucketed": False, "series": [
                {"t": "2026-03-02T05:00:00+00:00", "value": 110.0},
                {"t": "2026-03-02T06:00:00+00:00", "value": 130.0},
                {"t": "2026-03-02T07:00:00+00:00", "value": 150.0}]}}
    bucketed = api.get(path, {"points": 2}).json()["chart"]
    assert (bucketed["bucketed"], sum(bucket["count"] for bucket in bucketed["series"])) == (
        True, 3)
    window = api.get(path, {"since": "2026-03-02T05:30:00Z"}).json()
    assert (window["count"], window["chart"]["count"]) == (3, 2)
    assert api.get(path, {"points": 0}).status_code == 422


def test_a_criterion_without_readings_has_no_data(running_poc, no_crash, engineer, api_as):
    body = api_as(engineer).get(f"/pocs/{running_poc.pk}/criteria/{no_crash.pk}/status").json()

    assert (body["status"], body["result"], body["count"], body["latest"], body["first_at"],
            body["chart"]["kind"], body["chart"]["series"]) == (
        "no_data", None, 0, None, None, "pass_fail", [])


def test_another_poc_criterion_has_no_status_here(running_poc, engineer, api_as):
    elsewhere = make_criterion(POCFactory(opportunity=running_poc.opportunity, owner=engineer))

    response = api_as(engineer).get(f"/pocs/{running_poc.pk}/criteria/{elsewhere.pk}/status")

    assert response.status_code == 404


def test_the_execution_summary(running_poc, throughput, no_crash, engineer, customer, api_as):
    make_measurement(throughput, value="100", measured_at=at(2))
    make_measurement(no_crash, passed=True, measured_at=at(1))
    make_log_entry(running_poc, kind="issue", status="open", severity="high", title="Jam")
    make_log_entry(running_poc, kind="risk", status="resolved", severity="low", title="Dust")
    first_run = make_log_entry(running_poc, kind="key_event", key_event="first_run",
                               title="First run", occurred_at=at(4), witnessed_by=customer,
                               witnessed_at=at(3))
    make_evidence(running_poc)

    response = api_as(engineer).get(f"/pocs/{running_poc.pk}/execution")

    assert response.status_code == 200, response.content
    body = response.json()
    assert {name: body[name] for name in (
        "outlook", "passing", "failing", "no_data", "readings", "evidence", "open_issues",
        "open_risks", "last_reading_at")} == {
        "outlook": "red", "passing": 1, "failing": 1, "no_data": 0, "readings": 2,
        "evidence": 1, "open_issues": 1, "open_risks": 0,
        "last_reading_at": "2026-03-02T07:00:00Z"}
    assert [(item["criterion_id"], item["status"], item["result"]) for item in body[
        "criteria"]] == [(throughput.pk, "failing", "100"), (no_crash.pk, "passing", True)]
    assert body["key_events"] == [{
        "id": first_run.pk, "key_event": "first_run", "title": "First run",
        "occurred_at": "2026-03-02T04:00:00Z",
        "witnessed_by": {"id": customer.pk, "name": "Dana Sponsor"},
        "witnessed_at": "2026-03-02T05:00:00Z"}]


# --- execution log ---------------------------------------------------------------------------

def test_an_issue_is_logged_resolved_and_listed(running_poc, engineer, api_as):
    milestone = make_milestone(running_poc)
    evidence = make_evidence(running_poc, name="jam.txt")
    api = api_as(engineer)

    response = api.post(f"/pocs/{running_poc.pk}/log", {
        "kind": "issue", "title": "Feeder jams at peak load", "body": "Twice in an hour.",
        "occurred_at": "2026-03-02T07:15:00Z", "severity": "high",
        "milestone": str(milestone.key), "evidence_ids": [evidence.pk]})

    assert response.status_code == 201, response.content
    entry = LogEntry.objects.get()
    assert response.json() == {
        "id": entry.pk, "kind": "issue", "key_event": "",
        "milestone": {"key": str(milestone.key), "label": "Checkpoint 1"},
        "title": "Feeder jams at peak load", "body": "Twice in an hour.",
        "occurred_at": "2026-03-02T07:15:00Z", "severity": "high", "status": "open",
        "mitigation": "", "witnessed_by": None, "witnessed_at": None,
        "evidence": [{"id": evidence.pk, "name": "jam.txt", "caption": ""}],
        "recorded_by": user_ref(engineer), "created_at": "2026-03-02T08:00:00Z",
        "updated_at": "2026-03-02T08:00:00Z"}
    path = f"/pocs/{running_poc.pk}/log/{entry.pk}"

    resolved = api.patch(path, {"status": "resolved", "mitigation": "Slower belt at peak",
                                "evidence_ids": [], "milestone": None})

    assert resolved.status_code == 200, resolved.content
    assert (resolved.json()["status"], resolved.json()["mitigation"],
            resolved.json()["evidence"], resolved.json()["milestone"]) == (
        "resolved", "Slower belt at peak", [], None)
    assert api.get(path).json() == resolved.json()
    observation = make_log_entry(running_poc, title="Dust", occurred_at=at(1))
    listing = api.get(f"/pocs/{running_poc.pk}/log").json()
    assert [item["id"] for item in listing["items"]] == [entry.pk, observation.pk]
    issues = api.get(f"/pocs/{running_poc.pk}/log", {"kind": "issue"}).json()
    assert [item["id"] for item in issues["items"]] == [entry.pk]
    assert api.get(f"/pocs/{running_poc.pk}/log", {"kind": "rumour"}).status_code == 422


def test_a_key_event_is_witnessed_by_a_customer(running_poc, engineer, customer, api_as):
    api = api_as(engineer)
    created = api.post(f"/pocs/{running_poc.pk}/log", {
        "kind": "key_event", "key_event": "first_run", "title": "First run on line 2",
        "occurred_at": "2026-03-02T06:00:00Z"})
    assert created.status_code == 201, created.content
    path = f"/pocs/{running_poc.pk}/log/{created.json()['id']}/witness"

    witnessed = api.post(path, {"witnessed_by": customer.pk,
                                "witnessed_at": "2026-03-02T06:30:00Z"})

    assert witnessed.status_code == 200, witnessed.content
    assert (witnessed.json()["witnessed_by"], witnessed.json()["witnessed_at"]) == (
        {"id": customer.pk, "name": "Dana Sponsor"}, "2026-03-02T06:30:00Z")
    assert Event.objects.get(verb="log.witnessed").data == {
        "witness": str(customer), "witnessed_at": "2026-03-02T06:30:00+00:00"}


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"kind": "key_event"}, ["key_event"]),
    ({"kind": "rumour"}, ["kind"]),
    ({"title": " "}, ["title"]),
    ({"severity": "high"}, ["severity"]),
    ({"milestone": "elsewhere"}, ["milestone"]),
    ({"milestone": "not-a-key"}, ["milestone"]),
    ({"witnessed_by": "vendor"}, ["witnessed_by"]),
    ({"occurred_at": "2026-03-03T08:00:00Z"}, ["occurred_at"]),
    ({"evidence_ids": [10**6]}, ["evidence_ids"]),
])
def test_a_bad_log_entry_is_named_and_recorded_nowhere(running_poc, engineer, customer, api_as,
                                                       body, bad_fields):
    elsewhere = POCFactory(opportunity=running_poc.opportunity, owner=engineer)
    references = {"elsewhere": str(make_milestone(elsewhere).key),
                  "vendor": make_customer(running_poc, name="Val Vendor", side="vendor").pk}
    body = {"kind": "observation", "title": "Dust near the feeder",
            **{name: references.get(value, value) if isinstance(value, str) else value
               for name, value in body.items()}}
    before = execution_state()

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/log", body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert execution_state() == before


def test_a_witness_must_be_a_customer_of_the_deal(running_poc, engineer, api_as):
    entry = make_log_entry(running_poc, kind="key_event", key_event="first_run",
                           occurred_at=at(2))
    vendor = make_customer(running_poc, name="Val Vendor", side="vendor")
    before = execution_state()

    response = api_as(engineer).post(f"/pocs/{running_poc.pk}/log/{entry.pk}/witness",
                                     {"witnessed_by": vendor.pk})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["witnessed_by"]
    assert execution_state() == before


# --- evidence --------------------------------------------------------------------------------

def test_a_photo_is_uploaded_with_a_thumbnail_and_downloaded(running_poc, throughput, engineer,
                                                             api_as, storage):
    api = api_as(engineer)
    content = png_bytes()

    response = api.post_form(f"/pocs/{running_poc.pk}/evidence", {
        "file": SimpleUploadedFile("line 2.png", content, content_type="image/png"),
        "caption": "Line 2 at full load", "criterion": throughput.pk,
        "taken_at": "2026-03-02T07:00:00Z"})

    assert response.status_code == 201, response.content
    evidence = Evidence.objects.select_related("file").get()
    body = response.json()
    assert body == {
        "id": evidence.pk, "name": "line 2.png", "content_type": "image/png",
        "size": len(content), "caption": "Line 2 at full load", "criterion_id": throughput.pk,
        "taken_at": "2026-03-02T07:00:00Z", "uploaded_by": user_ref(engineer),
        "created_at": "2026-03-02T08:00:00Z",
        "url": f"/api/v1/pocs/{running_poc.pk}/evidence/{evidence.pk}/file",
        "download_url": f"/evidence/{evidence.pk}/file/",
        "thumbnail_url": f"/evidence/{evidence.pk}/thumbnail/"}
    assert evidence.thumbnail_key
    with Image.open(storage / evidence.thumbnail_key) as thumbnail:
        assert max(thumbnail.size) == 480
    assert api.get(f"/pocs/{running_poc.pk}/evidence/{evidence.pk}").json() == body
    assert api.get(f"/pocs/{running_poc.pk}/evidence").json() == {"items": [body], "count": 1}
    assert api.get(f"/pocs/{running_poc.pk}/evidence",
                   {"criterion": throughput.pk + 1}).json()["count"] == 0
    downloaded = api.get(f"/pocs/{running_poc.pk}/evidence/{evidence.pk}/file")
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content) == content
    assert (downloaded["Content-Disposition"], downloaded["Content-Type"],
            downloaded["X-Content-Type-Options"]) == (
        'attachment; filename="line 2.png"', "image/png", "nosniff")
    assert Event.objects.get(verb="evidence.uploaded").data == {
        "name": "line 2.png", "content_type": "image/png"}


def test_the_evidence_links_to_the_web_pages(running_poc, engineer, api_as):
    photo = make_evidence(running_poc, thumbnail_key="evidence/thumbs/a.jpg")
    export = make_evidence(running_poc, name="run.csv")

    items = api_as(engineer).get(f"/pocs/{running_poc.pk}/evidence").json()["items"]

    assert [(item["id"], item["download_url"], item["thumbnail_url"]) for item in items] == [
        (export.pk, f"/evidence/{export.pk}/file/", None),
        (photo.pk, f"/evidence/{photo.pk}/file/", f"/evidence/{photo.pk}/thumbnail/")]


def test_an_evidence_file_is_deleted_with_its_stored_file(running_poc, engineer, outsider,
                                                          api_as,
                                                          django_capture_on_commit_callbacks):
    evidence = make_evidence(running_poc)
    key = evidence.file.storage_key
    path = f"/pocs/{running_poc.pk}/evidence/{evidence.pk}"

    refused = api_as(outsider).delete(path)
    assert refused.status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):  # files go once it is committed
        response = api_as(engineer).delete(path)

    assert response.status_code == 204
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not default_storage.exists(key)
    assert Event.objects.filter(verb="evidence.deleted").count() == 1


def test_a_file_missing_from_the_storage_is_not_found(running_poc, engineer, api_as):
    evidence = make_evidence(running_poc)
    default_storage.delete(evidence.file.storage_key)

    response = api_as(engineer).get(f"/pocs/{running_poc.pk}/evidence/{evidence.pk}/file")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"not really an image" * 20,
     "This image cannot be read: the file is damaged or is not really an image."),
    ("photo.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 20,
     "This type of file is not accepted as evidence. Accepted: gif, jpg, mp4, pdf, png, txt, "
     "webp, xlsx."),
    ("slides.pptx", None,
     "This type of file is not accepted as evidence. Accepted: gif, jpg, mp4, pdf, png, txt, "
     "webp, xlsx."),
    ("empty.txt", b"", "The file is empty."),
])
def test_a_refused_file_is_named_and_stored_nowhere(running_poc, engineer, api_as, storage, name,
                                                    content, message):
    if content is None:  # an office file of a type not taken as evidence
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("ppt/presentation.xml", "<p/>")
        content = buffer.getvalue()
    before = execution_state()

    response = api_as(engineer).post_form(f"/pocs/{running_poc.pk}/evidence", {
        "file": SimpleUploadedFile(name, content, content_type="image/png")})

    assert response.status_code == 422, response.content
    assert response.json()["details"]["fields"] == {"file": [message]}
    assert execution_state() == before
    assert [path for path in storage.rglob("*") if path.is_file()] == []


def test_an_upload_needs_a_file_and_valid_details(running_poc, throughput, engineer, api_as):
    api = api_as(engineer)
    path = f"/pocs/{running_poc.pk}/evidence"
    before = execution_state()

    missing = api.post_form(path, {"caption": "No file"})
    elsewhere = make_criterion(POCFactory(opportunity=running_poc.opportunity, owner=engineer))
    foreign = api.post_form(path, {
        "file": SimpleUploadedFile("run.csv", b"t,v\n1,2\n"), "criterion": elsewhere.pk,
        "taken_at": "2026-03-03T08:00:00Z"})

    assert (missing.status_code, list(missing.json()["details"]["fields"])) == (422, ["file"])
    assert foreign.status_code == 422
    assert sorted(foreign.json()["details"]["fields"]) == ["criterion", "taken_at"]
    assert execution_state() == before


# --- who may, and when -----------------------------------------------------------------------

def every_call(poc, criterion, measurement, entry, evidence) -> list[tuple]:
    base = f"/pocs/{poc.pk}"
    reading = {"criterion": criterion.pk, "measured_at": "2026-03-02T07:00:00Z", "value": "125"}
    return [
        ("get", f"{base}/measurements", None),
        ("post", f"{base}/measurements", reading),
        ("post", f"{base}/measurements/bulk", {"items": [reading]}),
        ("get", f"{base}/measurements/{measurement.pk}", None),
        ("patch", f"{base}/measurements/{measurement.pk}", {"note": "Checked"}),
        ("get", f"{base}/criteria/{criterion.pk}/status", None),
        ("get", f"{base}/execution", None),
        ("get", f"{base}/log", None),
        ("post", f"{base}/log", {"kind": "observation", "title": "Noise"}),
        ("get", f"{base}/log/{entry.pk}", None),
        ("patch", f"{base}/log/{entry.pk}", {"body": "More"}),
        ("post", f"{base}/log/{entry.pk}/witness", {"witnessed_by": "customer"}),
        ("get", f"{base}/evidence", None),
        ("upload", f"{base}/evidence", None),
        ("get", f"{base}/evidence/{evidence.pk}", None),
        ("get", f"{base}/evidence/{evidence.pk}/file", None),
        ("delete", f"{base}/measurements/{measurement.pk}", None),
    ]


def call(api, method: str, path: str, body, customer):
    if method == "upload":
        return api.post_form(path, {"file": SimpleUploadedFile("run.csv", b"t,v\n1,2\n")})
    if body is not None:
        body = {name: customer.pk if value == "customer" else value
                for name, value in body.items()}
        return getattr(api, method)(path, body)
    return getattr(api, method)(path)


READ_OK = [200, 201, 201, 200, 200, 200, 200, 200, 201, 200, 200, 200, 200, 201, 200, 200, 204]


@pytest.mark.parametrize(("actor_name", "expected"), [
    ("anonymous", [401] * 17), ("outsider", [404] * 17),
    ("engineer", READ_OK), ("sales", READ_OK), ("manager", READ_OK), ("admin", READ_OK)])
def test_who_reads_and_records_the_run(running_poc, throughput, customer, actors, api_as,
                                       anonymous_api, actor_name, expected):
    measurement = make_measurement(throughput, value="119", measured_at=at(2))
    entry = make_log_entry(running_poc, kind="key_event", key_event="first_run",
                           occurred_at=at(3))
    evidence = make_evidence(running_poc)
    actor = actors[actor_name]
    api = api_as(actor) if actor else anonymous_api
    before = execution_state()

    statuses = [call(api, method, path, body, customer).status_code
                for method, path, body in every_call(running_poc, throughput, measurement,
                                                     entry, evidence)]

    assert statuses == expected
    if expected[1] >= 400:
        assert execution_state() == before


@pytest.mark.parametrize("status", [Status.DRAFT, Status.AGREED])
def test_nothing_is_recorded_before_the_run(running_poc, throughput, customer, engineer, api_as,
                                            status):
    measurement = make_measurement(throughput, value="119", measured_at=at(2))
    entry = make_log_entry(running_poc, kind="key_event", key_event="first_run",
                           occurred_at=at(3))
    evidence = make_evidence(running_poc)
    POC.objects.filter(pk=running_poc.pk).update(status=status)
    api = api_as(engineer)
    before = execution_state()

    writes = [(method, path, body) for method, path, body in every_call(
        running_poc, throughput, measurement, entry, evidence) if method != "get"]
    responses = [call(api, method, path, body, customer) for method, path, body in writes]

    assert [response.status_code for response in responses] == [409] * 8
    assert {response.json()["code"] for response in responses} == {"not_running"}
    assert execution_state() == before


@pytest.mark.parametrize("status", [Status.CLOSED, Status.WALKED_AWAY])
def test_a_poc_that_is_over_keeps_its_records(running_poc, throughput, customer, engineer,
                                              api_as, status):
    """Its records are history, refused as every other change to a POC that is over."""
    measurement = make_measurement(throughput, value="119", measured_at=at(2))
    entry = make_log_entry(running_poc, kind="key_event", key_event="first_run",
                           occurred_at=at(3))
    evidence = make_evidence(running_poc)
    POC.objects.filter(pk=running_poc.pk).update(status=status)
    api = api_as(engineer)
    before = execution_state()

    calls = every_call(running_poc, throughput, measurement, entry, evidence)
    responses = [call(api, method, path, body, customer) for method, path, body in calls
                 if method != "get"]
    reads = [call(api, method, path, body, customer).status_code
             for method, path, body in calls if method == "get"]

    assert [response.status_code for response in responses] == [409] * 8
    assert {response.json()["code"] for response in responses} == {"poc_closed"}
    assert execution_state() == before
    assert reads == [200] * 9


def test_another_poc_records_are_not_found_here(running_poc, throughput, engineer, api_as):
    elsewhere = POCFactory(opportunity=running_poc.opportunity, owner=engineer,
                           status=Status.RUNNING)
    measurement = make_measurement(make_criterion(elsewhere), measured_at=at(1))
    entry = make_log_entry(elsewhere)
    evidence = make_evidence(elsewhere)
    api = api_as(engineer)
    base = f"/pocs/{running_poc.pk}"
    before = execution_state()

    statuses = [
        api.get(f"{base}/measurements/{measurement.pk}").status_code,
        api.patch(f"{base}/measurements/{measurement.pk}", {"note": "x"}).status_code,
        api.delete(f"{base}/measurements/{measurement.pk}").status_code,
        api.get(f"{base}/log/{entry.pk}").status_code,
        api.patch(f"{base}/log/{entry.pk}", {"body": "x"}).status_code,
        api.get(f"{base}/evidence/{evidence.pk}").status_code,
        api.get(f"{base}/evidence/{evidence.pk}/file").status_code,
    ]

    assert statuses == [404] * 7
    assert execution_state() == before
