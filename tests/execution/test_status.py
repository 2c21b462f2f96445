"""The live status of a criterion (§8.1), computed in the database: every aggregation against
hand-computed figures and against `criteria.measure.evaluate`, the target boundaries, and a
constant number of queries."""

import datetime
import random
from decimal import Decimal

import pytest

from pocdesk.criteria.measure import evaluate
from pocdesk.execution.models import Measurement
from pocdesk.execution.status import (
    CriterionStatus,
    criterion_status,
    criterion_statuses,
    technical_outlook,
)

from ..factories import make_criterion, make_measurement

T0 = datetime.datetime(2026, 3, 10, 8, tzinfo=datetime.UTC)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


def series(criterion, values):
    """Readings one minute apart, in the given order."""
    for minute, value in enumerate(values):
        if isinstance(value, bool):
            make_measurement(criterion, passed=value, measured_at=at(minute))
        else:
            make_measurement(criterion, value=value, measured_at=at(minute))


def python_result(criterion):
    """What `criteria.measure.evaluate` says on the stored readings in time order."""
    readings = Measurement.objects.filter(criterion=criterion).order_by("measured_at", "id")
    values = [r.passed if r.passed is not None else r.value for r in readings]
    return evaluate(criterion, values)


FIVE = ["10", "30", "20", "50", "40"]


@pytest.mark.parametrize(("aggregation", "extra", "expected", "status"), [
    ("latest", {}, Decimal("40"), "passing"),
    ("min", {}, Decimal("10"), "failing"),
    ("max", {}, Decimal("50"), "passing"),
    ("mean", {}, Decimal("30"), "passing"),
    # sorted 10 20 30 40 50; rank 0.95 × 4 = 3.8: 40 + 0.8 × (50 − 40)
    ("p95", {}, Decimal("48"), "passing"),
    # 30, 50 and 40 pass "≥ 30": 3 of 5
    ("share_passing", {"required_share": Decimal("60")}, Decimal("60"), "passing"),
    ("share_passing", {"required_share": Decimal("60.01")}, Decimal("60"), "failing"),
])
def test_each_aggregation_of_a_numeric_criterion(poc, aggregation, extra, expected, status):
    criterion = make_criterion(poc, target_value=Decimal("30"), aggregation=aggregation, **extra)
    series(criterion, FIVE)

    found = criterion_status(criterion)

    assert (found.result, found.status) == (expected, status)
    assert (found.result, found.status) == python_result(criterion)
    assert (found.count, found.passing_count, found.latest) == (5, 3, Decimal("40"))
    assert (found.first_at, found.last_at) == (at(0), at(4))
    assert (found.minimum, found.maximum) == (Decimal("10"), Decimal("50"))
    assert found.must_have is True


@pytest.mark.parametrize(("aggregation", "extra", "expected", "status"), [
    ("latest", {}, False, "failing"),
    ("share_passing", {"required_share": Decimal("75")}, Decimal("75"), "passing"),
    ("share_passing", {"required_share": Decimal("80")}, Decimal("75"), "failing"),
])
def test_a_pass_fail_test(poc, aggregation, extra, expected, status):
    criterion = make_criterion(poc, comparator="pass_fail", target_value=None, metric="",
                               unit="", pass_condition="No dust inside.",
                               aggregation=aggregation, **extra)
    series(criterion, [True, True, True, False])

    found = criterion_status(criterion)

    assert (found.result, found.status) == (expected, status)
    assert (found.result, found.status) == python_result(criterion)
    assert (found.count, found.passing_count, found.latest) == (4, 3, False)
    assert (found.minimum, found.maximum) == (None, None)


def test_a_criterion_without_readings_has_no_data(poc):
    criterion = make_criterion(poc)

    found = criterion_status(criterion)

    assert (found.count, found.result, found.status, found.latest) == (0, None, "no_data", None)
    assert (found.first_at, found.last_at, found.passing_count) == (None, None, 0)
    assert found.share_passing is None


def test_the_mean_is_exact_not_a_float(poc):
    criterion = make_criterion(poc, target_value=Decimal("0.3"), aggregation="mean")
    series(criterion, ["0.1", "0.2", "0.3", "0.1", "0.000001", "-0.000002"])

    found = criterion_status(criterion)

    assert found.result == Decimal("0.699999") / 6
    assert found.result == python_result(criterion)[0]


def test_the_latest_of_two_readings_at_the_same_time_is_the_last_recorded(poc):
    criterion = make_criterion(poc, aggregation="latest")
    make_measurement(criterion, value="121", measured_at=at(5))
    make_measurement(criterion, value="119", measured_at=at(5))
    make_measurement(criterion, value="130", measured_at=at(1))

    found = criterion_status(criterion)

    assert (found.result, found.status) == (Decimal("119"), "failing")
    assert (found.result, found.status) == python_result(criterion)


@pytest.mark.parametrize(("spec", "value", "status"), [
    ({"comparator": "gte", "target_value": Decimal("120")}, "120", "passing"),
    ({"comparator": "gte", "target_value": Decimal("120")}, "119.999999", "failing"),
    ({"comparator": "lte", "target_value": Decimal("0.5")}, "0.5", "passing"),
    ({"comparator": "lte", "target_value": Decimal("0.5")}, "0.500001", "failing"),
    ({"comparator": "between", "target_value": None, "target_min": Decimal("2600"),
      "target_max": Decimal("2800")}, "2600", "passing"),
    ({"comparator": "between", "target_value": None, "target_min": Decimal("2600"),
      "target_max": Decimal("2800")}, "2800", "passing"),
    ({"comparator": "between", "target_value": None, "target_min": Decimal("2600"),
      "target_max": Decimal("2800")}, "2800.000001", "failing"),
    ({"comparator": "eq", "target_value": Decimal("1.1"), "tolerance": Decimal("0.2")},
     "0.9", "passing"),
    ({"comparator": "eq", "target_value": Decimal("1.1"), "tolerance": Decimal("0.2")},
     "1.3", "passing"),
    ({"comparator": "eq", "target_value": Decimal("1.1"), "tolerance": Decimal("0.2")},
     "1.300001", "failing"),
    ({"comparator": "eq", "target_value": Decimal("2700"), "tolerance": None}, "2700",
     "passing"),
])
@pytest.mark.parametrize("aggregation", ["latest", "share_passing"])
def test_the_target_boundary_passes(poc, spec, value, status, aggregation):
    share = {"required_share": Decimal("100")} if aggregation == "share_passing" else {}
    criterion = make_criterion(poc, aggregation=aggregation, **spec, **share)
    series(criterion, [value])

    found = criterion_status(criterion)

    assert found.status == status
    assert found.passing_count == (1 if status == "passing" else 0)
    assert (found.result, found.status) == python_result(criterion)


def test_a_share_exactly_at_the_required_share_passes(poc):
    criterion = make_criterion(poc, aggregation="share_passing",
                               required_share=Decimal("95"))
    series(criterion, ["121"] * 19 + ["100"])

    found = criterion_status(criterion)

    assert (found.result, found.status, found.share_passing) == (
        Decimal("95"), "passing", Decimal("95"))


@pytest.mark.parametrize("aggregation", ["latest", "min", "max", "mean", "p95",
                                         "share_passing"])
def test_many_random_readings_agree_with_the_python_rules(poc, aggregation):
    randomness = random.Random(aggregation)
    share = {"required_share": Decimal("50")} if aggregation == "share_passing" else {}
    criterion = make_criterion(poc, comparator="between", target_value=None,
                               target_min=Decimal("-1.5"), target_max=Decimal("2.25"),
                               aggregation=aggregation, **share)
    values = [Decimal(randomness.randint(-4_000_000, 4_000_000)).scaleb(-6)
              for _number in range(257)]
    Measurement.objects.bulk_create([
        Measurement(poc=poc, criterion=criterion, value=value,
                    measured_at=at(randomness.randint(0, 100))) for value in values])

    found = criterion_status(criterion)

    assert (found.result, found.status) == python_result(criterion)
    assert found.passing_count == sum(1 for v in values if Decimal("-1.5") <= v <= Decimal("2.25"))


@pytest.mark.parametrize("count", [1, 2, 3, 20, 21, 101])
def test_the_95th_percentile_of_small_series(poc, count):
    criterion = make_criterion(poc, aggregation="p95")
    series(criterion, [str(n * 7 % 13) + ".5" for n in range(count)])

    assert criterion_status(criterion).result == python_result(criterion)[0]


def test_several_criteria_cost_the_same_queries_as_one(poc, django_assert_num_queries):
    aggregations = ["latest", "min", "max", "mean", "p95", "share_passing"]
    criteria = []
    for number in range(10):
        how = aggregations[number % len(aggregations)]
        criterion = make_criterion(
            poc, title=f"C{number}", aggregation=how,
            required_share=Decimal("50") if how == "share_passing" else None)
        series(criterion, [str(100 + number + k) for k in range(number + 1)])
        criteria.append(criterion)
    p95 = criteria[4]

    with django_assert_num_queries(2):
        one = criterion_statuses(criteria=[p95])
    with django_assert_num_queries(2):
        ten = criterion_statuses(criteria=criteria)
    with django_assert_num_queries(3):  # the criteria themselves, from a queryset
        from_queryset = criterion_statuses(criteria=poc.criteria.all())
    with django_assert_num_queries(1):  # no 95th percentile to read
        criterion_statuses(criteria=criteria[:3])

    assert one[p95.pk] == ten[p95.pk]
    assert list(ten) == [c.pk for c in criteria]
    for criterion in criteria:
        assert (ten[criterion.pk].result, ten[criterion.pk].status) == python_result(criterion)
        assert from_queryset[criterion.pk].result == ten[criterion.pk].result
    assert criterion_statuses(criteria=[]) == {}


def status_of(status, must_have):
    return CriterionStatus(criterion=None, count=0, result=None, status=status, first_at=None,
                           last_at=None, latest=None, passing_count=0, must_have=must_have)


@pytest.mark.parametrize(("statuses", "outlook"), [
    ([], "none"),
    ([("passing", True), ("passing", False)], "green"),
    ([("passing", True), ("no_data", False)], "green"),
    ([("no_data", False)], "green"),
    ([("passing", True), ("no_data", True)], "amber"),
    ([("passing", True), ("failing", False)], "amber"),
    ([("failing", True), ("passing", False)], "red"),
    ([("failing", True), ("failing", False), ("no_data", True)], "red"),
])
def test_technical_outlook(statuses, outlook):
    assert technical_outlook(status_of(s, m) for s, m in statuses) == outlook


def test_a_criterion_without_a_usable_target_or_deleted_meanwhile_has_no_status(poc):
    draft = make_criterion(poc, target_value=None, aggregation="latest")
    series(draft, ["5"])
    gone = make_criterion(poc, title="Gone")
    gone_id = gone.pk
    gone.delete()
    gone.pk = gone_id

    found = criterion_statuses(criteria=[draft, gone])

    assert (found[draft.pk].count, found[draft.pk].result, found[draft.pk].status) == (
        1, Decimal("5"), "no_data")
    assert (found[gone_id].count, found[gone_id].status) == (0, "no_data")
