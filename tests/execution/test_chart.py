"""Chart data of a criterion (§8.1): raw readings up to `points`, time buckets beyond, with the
target band and the unit."""

import datetime
from decimal import Decimal

import pytest

from pocdesk.execution.status import criterion_chart

from ..factories import make_criterion, make_measurement

T0 = datetime.datetime(2026, 3, 10, 8, tzinfo=datetime.UTC)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


@pytest.fixture
def numeric(poc):
    criterion = make_criterion(poc)
    for minute, value in enumerate(["118", "121.5", "125", "119", "130",
                                    "140", "110", "120", "122", "124"]):
        make_measurement(criterion, value=value, measured_at=at(minute))
    return criterion


def test_few_readings_are_sent_as_they_are(numeric, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        chart = criterion_chart(criterion=numeric, points=10)

    assert (chart["kind"], chart["unit"], chart["count"], chart["bucketed"]) == (
        "numeric", "t/h", 10, False)
    assert chart["target"] == {"comparator": "gte", "text": "≥ 120 t/h", "value": 120.0}
    assert chart["series"][:2] == [{"t": "2026-03-10T08:00:00+00:00", "value": 118.0},
                                   {"t": "2026-03-10T08:01:00+00:00", "value": 121.5}]
    assert len(chart["series"]) == 10


def test_more_readings_than_points_are_grouped_in_time_buckets(numeric,
                                                               django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        chart = criterion_chart(criterion=numeric, points=2)

    # 9 minutes in two buckets of 4.5 minutes: minutes 0–4, then 5–9 (the last one included).
    assert (chart["count"], chart["bucketed"]) == (10, True)
    assert chart["series"] == [
        {"t": "2026-03-10T08:00:00+00:00", "until": "2026-03-10T08:04:30+00:00", "count": 5,
         "min": 118.0, "max": 130.0, "mean": 122.7},
        {"t": "2026-03-10T08:04:30+00:00", "until": "2026-03-10T08:09:00+00:00", "count": 5,
         "min": 110.0, "max": 140.0, "mean": 123.2},
    ]


def test_a_time_window_keeps_its_readings_only(numeric):
    chart = criterion_chart(criterion=numeric, since=at(2), until=at(4))

    assert [point["value"] for point in chart["series"]] == [125.0, 119.0, 130.0]
    assert chart["count"] == 3


def test_a_pass_fail_test_is_drawn_as_ones_and_zeros_or_shares(poc):
    criterion = make_criterion(poc, comparator="pass_fail", target_value=None, metric="",
                               unit="", pass_condition="No dust inside.",
                               aggregation="share_passing", required_share=Decimal("75"))
    for minute, passed in enumerate([True, False, True, True, True, True, False, False]):
        make_measurement(criterion, passed=passed, measured_at=at(minute))

    raw = criterion_chart(criterion=criterion)
    grouped = criterion_chart(criterion=criterion, points=2)

    assert raw["kind"] == "pass_fail"
    assert raw["target"] == {"comparator": "pass_fail",
                             "text": "pass: No dust inside. in at least 75 % of readings",
                             "required_share": 75.0}
    assert [point["value"] for point in raw["series"]] == [1, 0, 1, 1, 1, 1, 0, 0]
    # minutes 0–3 and 4–7 (3.5-minute buckets)
    assert [(p["count"], p["passing"], p["share"], p["min"], p["max"])
            for p in grouped["series"]] == [(4, 3, 75.0, 0, 1), (4, 2, 50.0, 0, 1)]


def test_a_range_and_a_tolerance_are_drawn_as_a_band(poc):
    between = make_criterion(poc, comparator="between", target_value=None, unit="K",
                             target_min=Decimal("2600"), target_max=Decimal("2800"))
    equal = make_criterion(poc, comparator="eq", target_value=Decimal("2700"), unit="K",
                           tolerance=Decimal("100"))

    assert criterion_chart(criterion=between)["target"] == {
        "comparator": "between", "text": "2600–2800 K", "min": 2600.0, "max": 2800.0}
    assert criterion_chart(criterion=equal)["target"] == {
        "comparator": "eq", "text": "2700 ± 100 K", "value": 2700.0, "tolerance": 100.0,
        "min": 2600.0, "max": 2800.0}


def test_no_readings_gives_an_empty_chart(poc):
    chart = criterion_chart(criterion=make_criterion(poc))

    assert (chart["count"], chart["bucketed"], chart["series"]) == (0, False, [])


def test_readings_all_at_the_same_time_make_one_bucket(poc):
    criterion = make_criterion(poc)
    for value in ("1", "2", "6"):
        make_measurement(criterion, value=value, measured_at=T0)

    chart = criterion_chart(criterion=criterion, points=2)

    assert [(p["count"], p["min"], p["max"], p["mean"]) for p in chart["series"]] == [
        (3, 1.0, 6.0, 3.0)]
