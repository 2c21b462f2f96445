"""Readings of the criteria (§8.1): a number for a measured criterion, a result for a pass/fail
test, dated, not in the future, recorded only while the POC runs; a bulk upload is all or
nothing and is one event."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.execution import services
from pocdesk.execution.models import Evidence, Measurement
from pocdesk.execution.services import (
    BULK_LIMIT,
    measurement_create,
    measurement_delete,
    measurement_update,
    measurements_bulk_create,
)
from pocdesk.pocs.models import POC

from ..factories import POCFactory, make_criterion, make_measurement
from .conftest import upload

NOW = datetime.datetime(2026, 3, 25, 12, tzinfo=datetime.UTC)
AT = datetime.datetime(2026, 3, 24, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def record(poc, actor, criterion, **values):
    values.setdefault("measured_at", AT)
    return measurement_create(actor=actor, poc=poc, criterion=criterion, **values)


def test_a_numeric_reading_is_recorded_with_who_and_when(running_poc, engineer, throughput):
    reading = record(running_poc, engineer, throughput, value="121.5", conditions=" 40 °C ",
                     note="After the morning shift.")

    assert (reading.criterion, reading.measured_at, reading.value, reading.passed) == (
        throughput, AT, Decimal("121.5"), None)
    assert (reading.conditions, reading.note) == ("40 °C", "After the morning shift.")
    assert (reading.recorded_by, reading.recorded_at) == (engineer, NOW)
    event = Event.objects.get(verb="measurement.recorded")
    assert (event.poc, event.target_id) == (running_poc, str(reading.pk))
    assert event.data == {"criterion": "Throughput", "criterion_id": throughput.pk,
                          "measured_at": AT.isoformat(), "value": "121.5", "unit": "t/h",
                          "evidence": 0}


def test_the_event_reads_as_a_sentence(running_poc, engineer, throughput, dust_test):
    from pocdesk.core.events import describe_event

    record(running_poc, engineer, throughput, value=121.5)
    record(running_poc, engineer, dust_test.pk, passed=False)

    sentences = [describe_event(event) for event in Event.objects.order_by("id")]
    assert sentences == ["Reading of “Throughput” recorded: 121.5 t/h",
                         "Reading of “Dust ingress” recorded: failed"]


def test_a_pass_fail_test_takes_its_result_and_the_criterion_may_be_an_id(
        running_poc, engineer, dust_test):
    reading = record(running_poc, engineer, dust_test.pk, passed=True)

    assert (reading.criterion_id, reading.value, reading.passed) == (dust_test.pk, None, True)


@pytest.mark.parametrize(("values", "errors"), [
    ({}, {"value": ["Give the measured value."]}),
    ({"value": "12,5"}, {"value": ["Enter a number."]}),
    ({"value": "NaN"}, {"value": ["Enter a number."]}),
    ({"value": True}, {"value": ["Enter a number."]}),
    ({"value": "100000000000000"},
     {"value": ["Enter a number with at most 14 digits before the decimal point."]}),
    ({"value": 1, "passed": True},
     {"passed": ["This criterion is measured as a number: give the value, not a pass/fail "
                 "result."]}),
])
def test_a_numeric_criterion_refuses_a_missing_or_bad_value(running_poc, engineer, throughput,
                                                          values, errors):
    with pytest.raises(ValidationFailed) as refused:
        record(running_poc, engineer, throughput, **values)

    assert refused.value.fields == errors
    assert not Measurement.objects.exists()
    assert not Event.objects.exists()


def test_a_pass_fail_test_refuses_a_number(running_poc, engineer, dust_test):
    with pytest.raises(ValidationFailed) as refused:
        record(running_poc, engineer, dust_test, value="1")

    assert refused.value.fields == {
        "value": ["This criterion is a pass/fail test: give its result, not a number."],
        "passed": ["Give the result of the test: passed or failed."]}


def test_a_value_is_rounded_to_the_six_places_stored(running_poc, engineer, throughput):
    reading = record(running_poc, engineer, throughput, value="120.12345678")

    reading.refresh_from_db()
    assert reading.value == Decimal("120.123457")


def test_a_criterion_of_another_poc_is_refused(running_poc, engineer, throughput):
    elsewhere = make_criterion(POCFactory(opportunity=running_poc.opportunity))

    with pytest.raises(ValidationFailed) as refused:
        record(running_poc, engineer, elsewhere, value=1)

    assert refused.value.fields == {"criterion": ["Choose a criterion of this POC."]}
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(("measured_at", "error"), [
    (NOW + datetime.timedelta(minutes=5, seconds=1), "This time is in the future."),
    (datetime.datetime(2026, 3, 24, 9, 30), "Give the time with its time zone (e.g. +01:00 or Z)."),
    ("yesterday", "Enter a date and time, e.g. 2026-03-10T14:30:00+01:00."),
    (datetime.date(2026, 3, 24), "Give the time as well as the date."),
    (None, "Give the date and time."),
])
def test_the_time_is_aware_and_not_in_the_future(running_poc, engineer, throughput,
                                                 measured_at, error):
    with pytest.raises(ValidationFailed) as refused:
        record(running_poc, engineer, throughput, value=1, measured_at=measured_at)

    assert refused.value.fields == {"measured_at": [error]}


def test_a_clock_five_minutes_ahead_is_tolerated_and_iso_text_is_read(running_poc, engineer,
                                                                        throughput):
    ahead = record(running_poc, engineer, throughput, value=1,
                   measured_at=NOW + datetime.timedelta(minutes=5))
    text = record(running_poc, engineer, throughput, value=1,
                  measured_at="2026-03-24T10:30:00+01:00")

    assert ahead.measured_at == NOW + datetime.timedelta(minutes=5)
    assert text.measured_at == AT


@pytest.mark.parametrize("status", ["draft", "qualified", "agreed", "closed", "walked_away"])
def test_readings_are_recorded_only_while_the_poc_runs(running_poc, engineer, throughput,
                                                       status):
    POC.objects.filter(pk=running_poc.pk).update(status=status)

    with pytest.raises(ApplicationError) as refused:
        record(running_poc, engineer, throughput, value=1)

    assert (refused.value.code, refused.value.status) == (
        "poc_closed" if status in ("closed", "walked_away") else "not_running", 409)
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("status", ["paused", "evaluating"])
def test_a_paused_or_evaluated_poc_still_takes_readings(running_poc, engineer, throughput,
                                                        status):
    POC.objects.filter(pk=running_poc.pk).update(status=status)

    assert record(running_poc, engineer, throughput, value=1).pk


@pytest.mark.parametrize(("who", "allowed"), [
    ("anonymous", False), ("outsider", False), ("engineer", True), ("sales", True),
    ("manager", True), ("admin", True)])
def test_who_may_record_a_reading(running_poc, throughput, actors, who, allowed):
    if allowed:
        assert record(running_poc, actors[who], throughput, value=1).pk
        return
    with pytest.raises(PermissionDenied):
        record(running_poc, actors[who], throughput, value=1)
    assert not Measurement.objects.exists()
    assert not Event.objects.exists()


def test_evidence_files_and_existing_evidence_are_attached(running_poc, engineer, throughput):
    photo = record(running_poc, engineer, throughput, value=1,
                   evidence_files=[upload("weighbridge.png")]).evidence.get()
    reading = record(running_poc, engineer, throughput, value=2, evidence_ids=[photo.pk],
                     evidence_files=[upload("second.png")])

    assert photo.criterion == throughput
    assert photo.file.original_name == "weighbridge.png"
    assert sorted(e.file.original_name for e in reading.evidence.all()) == [
        "second.png", "weighbridge.png"]
    assert Event.objects.filter(verb="measurement.recorded").order_by("id").last().data["evidence"] == 2
    assert not Event.objects.filter(verb="evidence.uploaded").exists()


def test_evidence_of_another_poc_or_a_bad_file_is_refused_and_nothing_stored(
        running_poc, engineer, throughput):
    other = POCFactory(opportunity=running_poc.opportunity, status="running")
    foreign = services.evidence_upload(actor=engineer, poc=other, uploaded=upload())

    with pytest.raises(ValidationFailed) as refused:
        record(running_poc, engineer, throughput, value=1, evidence_ids=[foreign.pk],
               evidence_files=[upload("notes.png", b"MZ\x90\x00\x03binary", "image/png")])

    assert refused.value.fields == {
        "evidence_ids": ["Choose evidence files of this POC."],
        "evidence_files": ["notes.png: This type of file is not accepted as evidence. "
                           "Accepted: gif, jpg, mp4, pdf, png, txt, webp, xlsx."]}
    assert Evidence.objects.count() == 1
    assert not Measurement.objects.exists()


def test_bad_fields_and_bad_files_are_reported_together(running_poc, engineer, throughput):
    with pytest.raises(ValidationFailed) as refused:
        record(running_poc, engineer, throughput, value="x",
               evidence_files=[upload("empty.png", b"")])

    assert refused.value.fields == {"value": ["Enter a number."],
                                    "evidence_files": ["empty.png: The file is empty."]}
    assert not Evidence.objects.exists()


# -- correcting and deleting -------------------------------------------------------------------

def test_a_reading_is_corrected_and_the_change_recorded(running_poc, engineer, throughput):
    reading = make_measurement(throughput, value="119", measured_at=AT)

    measurement_update(actor=engineer, measurement=reading, value="121", note="Misread scale.")

    reading.refresh_from_db()
    assert (reading.value, reading.note) == (Decimal("121"), "Misread scale.")
    event = Event.objects.get(verb="measurement.changed")
    assert event.data["changes"] == {"value": ["119.000000", "121.000000"],
                                     "note": ["", "Misread scale."]}


def test_moving_a_reading_to_a_pass_fail_test_needs_its_result(running_poc, engineer,
                                                               throughput, dust_test):
    reading = make_measurement(throughput, value="119", measured_at=AT)

    with pytest.raises(ValidationFailed) as refused:
        measurement_update(actor=engineer, measurement=reading, criterion=dust_test)
    assert refused.value.fields == {"passed": ["Give the result of the test: passed or failed."]}

    measurement_update(actor=engineer, measurement=reading, criterion=dust_test, passed=True)
    reading.refresh_from_db()
    assert (reading.criterion, reading.value, reading.passed) == (dust_test, None, True)


def test_an_unknown_change_is_refused_and_nothing_changes(running_poc, engineer, throughput):
    reading = make_measurement(throughput, value="119", measured_at=AT)

    with pytest.raises(ValidationFailed) as refused:
        measurement_update(actor=engineer, measurement=reading, value="5", recorded_by=None)

    assert refused.value.fields == {"recorded_by": ["This field cannot be changed here."]}
    reading.refresh_from_db()
    assert reading.value == Decimal("119")


def test_an_unchanged_reading_records_no_event(running_poc, engineer, throughput):
    reading = make_measurement(throughput, value="119", measured_at=AT)

    measurement_update(actor=engineer, measurement=reading, value=Decimal("119"))

    assert not Event.objects.exists()


def test_a_reading_is_deleted_with_an_event(running_poc, engineer, throughput):
    reading = make_measurement(throughput, value="119", measured_at=AT)

    measurement_delete(actor=engineer, measurement=reading)

    assert not Measurement.objects.exists()
    event = Event.objects.get(verb="measurement.deleted")
    assert (event.target_id, event.data["value"]) == (str(reading.pk), "119")


def test_an_outsider_cannot_correct_or_delete_a_reading(running_poc, outsider, throughput):
    reading = make_measurement(throughput, value="119", measured_at=AT)

    with pytest.raises(PermissionDenied):
        measurement_update(actor=outsider, measurement=reading, value="1")
    with pytest.raises(PermissionDenied):
        measurement_delete(actor=outsider, measurement=reading)

    reading.refresh_from_db()
    assert reading.value == Decimal("119")


# -- bulk --------------------------------------------------------------------------------------

def readings(criterion, count, **extra):
    return [{"criterion": criterion.pk, "value": str(100 + number),
             "measured_at": AT + datetime.timedelta(minutes=number), **extra}
            for number in range(count)]


def test_a_bulk_upload_records_every_reading_as_one_event(running_poc, engineer, throughput,
                                                         dust_test):
    batch = [*readings(throughput, 3),
             {"criterion": dust_test, "passed": "pass", "measured_at": AT, "note": "Lab 2"}]

    created = measurements_bulk_create(actor=engineer, poc=running_poc, readings=batch)

    assert [m.pk is not None for m in created] == [True] * 4
    stored = list(Measurement.objects.order_by("id").values_list("value", "passed", "note"))
    assert stored == [(Decimal("100"), None, ""), (Decimal("101"), None, ""),
                      (Decimal("102"), None, ""), (None, True, "Lab 2")]
    event = Event.objects.get()
    assert (event.verb, event.data) == ("measurement.bulk_recorded",
                                        {"count": 4, "criteria": ["Dust ingress", "Throughput"]})


def test_one_bad_reading_refuses_the_whole_upload_naming_each_item(running_poc, engineer,
                                                                   throughput):
    batch = readings(throughput, 4)
    batch[1]["value"] = "abc"
    batch[3]["measured_at"] = NOW + datetime.timedelta(days=1)
    batch[3]["colour"] = "red"
    batch.append("not a reading")

    with pytest.raises(ValidationFailed) as refused:
        measurements_bulk_create(actor=engineer, poc=running_poc, readings=batch)

    assert refused.value.fields == {
        "items.1.value": ["Enter a number."],
        "items.3.colour": ["Unknown field."],
        "items.3.measured_at": ["This time is in the future."],
        "items.4": ["Each reading is an object with its criterion, time and value or result."]}
    assert not Measurement.objects.exists()
    assert not Event.objects.exists()


def test_more_than_the_limit_is_refused_as_a_whole(running_poc, engineer, throughput):
    batch = [{"criterion": throughput.pk, "value": 1, "measured_at": AT}] * (BULK_LIMIT + 1)

    with pytest.raises(ValidationFailed) as refused:
        measurements_bulk_create(actor=engineer, poc=running_poc, readings=batch)

    assert refused.value.fields == {"items": [
        "At most 10,000 readings per upload (this one has 10,001): split the file, or import "
        "it as a series."]}
    assert not Measurement.objects.exists()


def test_an_empty_upload_is_refused(running_poc, engineer):
    with pytest.raises(ValidationFailed) as refused:
        measurements_bulk_create(actor=engineer, poc=running_poc, readings=[])

    assert refused.value.fields == {"items": ["Give at least one reading."]}


def test_a_bulk_upload_reads_nothing_per_reading(running_poc, engineer, throughput):
    measurements_bulk_create(actor=engineer, poc=running_poc, readings=readings(throughput, 2))

    with CaptureQueriesContext(connection) as small:
        measurements_bulk_create(actor=engineer, poc=running_poc,
                                 readings=readings(throughput, 5))
    with CaptureQueriesContext(connection) as large:
        measurements_bulk_create(actor=engineer, poc=running_poc,
                                 readings=readings(throughput, 500))

    def split(captured):
        inserts = [q for q in captured
                   if q["sql"].startswith('INSERT INTO "execution_measurement"')]
        return len(captured) - len(inserts), len(inserts)

    # Only the inserts may grow, in batches (SQLite binds at most 999 parameters per statement;
    # PostgreSQL takes the batch of 1,000 at once).
    assert split(small) == (split(large)[0], 1)
    assert 1 <= split(large)[1] <= 6
    assert Measurement.objects.count() == 507


def test_an_outsider_cannot_upload_readings(running_poc, outsider, throughput):
    with pytest.raises(PermissionDenied):
        measurements_bulk_create(actor=outsider, poc=running_poc, readings=readings(throughput, 2))

    assert not Measurement.objects.exists()
