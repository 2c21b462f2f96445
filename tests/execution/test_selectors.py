"""Reads of the run's records: filters, visibility through the POC, and a constant number of
queries for lists and the POC card's summary."""

import datetime
from decimal import Decimal

import pytest

from pocdesk.core.errors import NotFound
from pocdesk.execution.models import SeriesImport
from pocdesk.execution.selectors import (
    evidence_for_poc,
    execution_summary,
    log_entry_get,
    log_for_poc,
    measurement_get,
    measurements_for_poc,
    open_risks,
    recent_measurements,
)
from pocdesk.execution.services import evidence_upload

from ..factories import POCFactory, make_criterion, make_log_entry, make_measurement
from .conftest import upload

T0 = datetime.datetime(2026, 3, 10, 8, tzinfo=datetime.UTC)


def at(hours):
    return T0 + datetime.timedelta(hours=hours)


def test_readings_are_filtered_by_criterion_time_and_series(running_poc, throughput,
                                                            dust_test, engineer):
    first = make_measurement(throughput, value="121", measured_at=at(0))
    second = make_measurement(throughput, value="119", measured_at=at(2))
    result = make_measurement(dust_test, passed=True, measured_at=at(1))
    series = SeriesImport.objects.create(
        poc=running_poc, criterion=throughput, status="done",
        file=evidence_upload(actor=engineer, poc=running_poc, uploaded=upload()).file)
    imported = make_measurement(throughput, value="120", measured_at=at(3), series=series)
    make_measurement(make_criterion(POCFactory(opportunity=running_poc.opportunity)))

    assert list(measurements_for_poc(poc=running_poc)) == [imported, second, result, first]
    assert list(measurements_for_poc(poc=running_poc, criterion_id=str(throughput.pk))) == [
        imported, second, first]
    assert list(measurements_for_poc(poc=running_poc, since=at(1), until=at(2))) == [
        second, result]
    assert list(measurements_for_poc(poc=running_poc, series_id=series.pk)) == [imported]


def test_a_list_of_readings_costs_three_queries_however_long(running_poc, throughput, engineer,
                                                             django_assert_num_queries):
    photo = evidence_upload(actor=engineer, poc=running_poc, uploaded=upload())
    for hour in range(30):
        make_measurement(throughput, value=hour, measured_at=at(hour)).evidence.add(photo)

    with django_assert_num_queries(3):  # readings, their evidence, the evidence's files
        rows = [(m.criterion.title, m.recorded_by, [e.file.original_name for e in m.evidence.all()])
                for m in measurements_for_poc(poc=running_poc)]

    assert len(rows) == 30
    assert rows[0] == ("Throughput", None, ["photo.png"])


def test_a_reading_or_an_entry_of_another_poc_is_not_found(running_poc, throughput):
    reading = make_measurement(throughput)
    entry = make_log_entry(running_poc)
    other = POCFactory(opportunity=running_poc.opportunity)

    assert measurement_get(poc=running_poc, measurement_id=str(reading.pk)) == reading
    assert log_entry_get(poc=running_poc, entry_id=entry.pk) == entry
    for missing in (reading.pk + 1000, "abc", None):
        with pytest.raises(NotFound):
            measurement_get(poc=running_poc, measurement_id=missing)
    with pytest.raises(NotFound):
        measurement_get(poc=other, measurement_id=reading.pk)
    with pytest.raises(NotFound):
        log_entry_get(poc=other, entry_id=entry.pk)


def test_evidence_and_log_are_filtered(running_poc, throughput, engineer):
    general = evidence_upload(actor=engineer, poc=running_poc, uploaded=upload("site.png"))
    linked = evidence_upload(actor=engineer, poc=running_poc, uploaded=upload("scale.png"),
                             criterion=throughput)
    issue = make_log_entry(running_poc, kind="issue", status="open", title="Jam",
                           occurred_at=at(1))
    observation = make_log_entry(running_poc, occurred_at=at(2))

    assert list(evidence_for_poc(poc=running_poc)) == [linked, general]
    assert list(evidence_for_poc(poc=running_poc, criterion_id=throughput.pk)) == [linked]
    assert list(log_for_poc(poc=running_poc)) == [observation, issue]
    assert list(log_for_poc(poc=running_poc, kind="issue")) == [issue]


def test_open_risks_come_most_severe_first(running_poc):
    def risk(title, severity, hours, status="open"):
        return make_log_entry(running_poc, kind="risk", title=title, severity=severity,
                              status=status, occurred_at=at(hours))

    low = risk("Spare parts", "low", 5)
    high_old = risk("Training", "high", 1)
    high_new = risk("Network", "high", 3)
    risk("Closed one", "high", 4, status="resolved")
    unrated = risk("Unrated", "", 6)
    make_log_entry(running_poc, kind="issue", severity="high", status="open")

    assert list(open_risks(poc=running_poc)) == [high_new, high_old, low, unrated]


def fill(poc, criteria, engineer, customer, size):
    for number in range(size):
        for criterion in criteria:
            if criterion.comparator == "pass_fail":
                make_measurement(criterion, passed=number % 2 == 0, measured_at=at(number))
            else:
                make_measurement(criterion, value=110 + number, measured_at=at(number))
        make_log_entry(poc, kind="issue", status="open", title=f"Issue {number}")
        make_log_entry(poc, kind="risk", status="resolved" if number else "open",
                       title=f"Risk {number}")
        make_log_entry(poc, kind="key_event", key_event="other", title=f"Event {number}",
                       witnessed_by=customer, witnessed_at=at(number), occurred_at=at(number))


def test_the_summary_of_the_poc_card(running_poc, throughput, dust_test, engineer, customer,
                                     django_assert_num_queries):
    share = make_criterion(running_poc, title="Uptime", must_have=False,
                           aggregation="share_passing", required_share=Decimal("50"))
    fill(running_poc, [throughput, dust_test], engineer, customer, 3)
    evidence_upload(actor=engineer, poc=running_poc, uploaded=upload())

    with django_assert_num_queries(5):
        summary = execution_summary(poc=running_poc)

    assert [s.criterion for s in summary["statuses"]] == [throughput, dust_test, share]
    # throughput readings 110, 111, 112: mean 111 < 120; dust test latest (hour 2) passed
    assert [(s.status, s.result) for s in summary["statuses"]] == [
        ("failing", Decimal("111")), ("passing", True), ("no_data", None)]
    assert summary["outlook"] == "red"
    assert {key: summary[key] for key in ("passing", "failing", "no_data", "readings",
                                          "evidence", "open_issues", "open_risks")} == {
        "passing": 1, "failing": 1, "no_data": 1, "readings": 6, "evidence": 1,
        "open_issues": 3, "open_risks": 1}
    assert summary["last_reading_at"] == at(2)
    assert [entry.title for entry in summary["key_events"]] == ["Event 2", "Event 1", "Event 0"]


def test_the_summary_costs_the_same_queries_with_more_data(running_poc, throughput, dust_test,
                                                           engineer, customer,
                                                           django_assert_num_queries):
    for number in range(8):
        make_criterion(running_poc, title=f"Extra {number}", aggregation="p95" if number % 2
                       else "max")
    fill(running_poc, list(running_poc.criteria.all()), engineer, customer, 12)

    with django_assert_num_queries(6):  # and one for the 95th percentiles
        summary = execution_summary(poc=running_poc)

    assert summary["readings"] == 120
    assert len(summary["key_events"]) == 12


def test_an_empty_poc_summary(running_poc):
    summary = execution_summary(poc=running_poc)

    assert (summary["statuses"], summary["outlook"], summary["readings"],
            summary["last_reading_at"], summary["key_events"]) == ([], "none", 0, None, [])


def test_the_newest_readings_of_each_criterion(running_poc, throughput, dust_test, engineer,
                                               django_assert_num_queries):
    numbers = [make_measurement(throughput, value=hour, measured_at=at(hour))
               for hour in range(8)]
    numbers[-1].evidence.add(evidence_upload(actor=engineer, poc=running_poc, uploaded=upload()))
    results = [make_measurement(dust_test, passed=True, measured_at=at(hour))
               for hour in range(2)]
    make_measurement(make_criterion(POCFactory(opportunity=running_poc.opportunity)))

    with django_assert_num_queries(4):  # criteria ids, readings, evidence, files
        recent = recent_measurements(poc=running_poc, per_criterion=3)
        files = [e.file.original_name for rows in recent.values() for reading in rows
                 for e in reading.evidence.all()]

    assert recent == {throughput.pk: numbers[:-4:-1], dust_test.pk: results[::-1]}
    assert files == ["photo.png"]
    assert recent_measurements(poc=running_poc, per_criterion=0) == {}
