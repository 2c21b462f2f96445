"""What makes a criterion measurable, and how readings are judged: every comparator and
aggregation at its boundaries, against hand-computed values."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pocdesk.criteria.measure import (
    FAILING,
    NO_DATA,
    PASSING,
    aggregate,
    evaluate,
    reading_passes,
    result_status,
    spec_errors,
    target_text,
)

D = Decimal
MEASURABLE = "Give a number to reach with its unit (e.g. ≥ 99 %), or choose a pass/fail test"


def spec(**fields):
    """A valid ≥ criterion, changed by `fields`."""
    values = {"title": "Throughput", "metric": "throughput", "unit": "t/h", "comparator": "gte",
              "target_value": D("120"), "tolerance": None, "target_min": None, "target_max": None,
              "pass_condition": "", "required_share": None,
              "measurement_method": "Belt-scale totaliser", "aggregation": "mean"}
    values.update(fields)
    return values


def pass_fail(**fields):
    return spec(**{"comparator": "pass_fail", "metric": "", "unit": "", "target_value": None,
                   "pass_condition": "No failure in 720 h", "aggregation": "latest", **fields})


def between(**fields):
    return spec(**{"comparator": "between", "target_value": None, "target_min": D("22"),
                   "target_max": D("28"), **fields})


# --- measurability --------------------------------------------------------------------------


@pytest.mark.parametrize("valid", [
    spec(), spec(comparator="lte"), spec(comparator="eq", tolerance=D("100")),
    spec(comparator="eq"), between(), pass_fail(),
    pass_fail(aggregation="share_passing", required_share=D("95")),
    spec(aggregation="share_passing", required_share=D("99")),
    spec(aggregation="p95"), spec(aggregation="min"), spec(aggregation="max"),
    spec(aggregation="latest"),
], ids=lambda s: f"{s['comparator']}-{s['aggregation']}")
def test_a_measurable_criterion_has_no_errors(valid):
    assert spec_errors(valid) == {}


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"metric": ""}, "metric", MEASURABLE),
    ({"metric": "   "}, "metric", "Name what is measured"),
    ({"unit": ""}, "unit", "Give the unit of the measurement"),
    ({"target_value": None}, "target_value", MEASURABLE),
    ({"measurement_method": ""}, "measurement_method", "Say how it is measured"),
    ({"target_min": D("1")}, "target_min", "Bounds are only used with “between”."),
    ({"target_max": D("1")}, "target_max", "Bounds are only used with “between”."),
    ({"tolerance": D("5")}, "tolerance", "A tolerance is only used with “equal to”."),
    ({"comparator": "about"}, "comparator", MEASURABLE),
    ({"comparator": ""}, "comparator", MEASURABLE),
    ({"aggregation": "share_passing"}, "required_share", "Give the share of readings"),
    ({"aggregation": "share_passing", "required_share": D("0")}, "required_share",
     "Give the share of readings"),
    ({"required_share": D("90")}, "required_share", "Only used when the aggregation is the share"),
])
def test_a_numeric_criterion_is_refused_per_field(fields, field, message):
    errors = spec_errors(spec(**fields))

    assert list(errors) == [field]
    assert message in errors[field][0]


@pytest.mark.parametrize(("fields", "errors"), [
    ({"target_min": None}, {"target_min": "Give the lower bound"}),
    ({"target_max": None}, {"target_max": "Give the upper bound"}),
    ({"target_min": None, "target_max": None},
     {"target_min": "Give the lower bound", "target_max": "Give the upper bound"}),
    ({"target_min": D("28")}, {"target_max": "The upper bound must be greater"}),
    ({"target_min": D("30")}, {"target_max": "The upper bound must be greater"}),
    ({"target_value": D("25")}, {"target_value": "A range uses the lower and upper bounds"}),
    ({"tolerance": D("1")}, {"tolerance": "A tolerance is only used"}),
])
def test_a_range_needs_two_ordered_bounds_and_nothing_else(fields, errors):
    found = spec_errors(between(**fields))

    assert sorted(found) == sorted(errors)
    for field, message in errors.items():
        assert message in found[field][0]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"pass_condition": ""}, "pass_condition", "Describe the observable result"),
    ({"pass_condition": "  "}, "pass_condition", "Describe the observable result"),
    ({"target_value": D("1")}, "target_value", "A pass/fail test has no numeric target."),
    ({"target_min": D("1")}, "target_min", "A pass/fail test has no numeric target."),
    ({"target_max": D("1")}, "target_max", "A pass/fail test has no numeric target."),
    ({"tolerance": D("1")}, "tolerance", "A pass/fail test has no numeric target."),
    ({"aggregation": "mean"}, "aggregation", "judged on its latest result or on the share"),
    ({"aggregation": "p95"}, "aggregation", "judged on its latest result or on the share"),
])
def test_a_pass_fail_test_is_refused_per_field(fields, field, message):
    errors = spec_errors(pass_fail(**fields))

    assert list(errors) == [field]
    assert message in errors[field][0]


def test_a_vague_criterion_gets_every_error_at_once():
    errors = spec_errors({"title": "The system is fast", "comparator": "gte",
                          "aggregation": "latest"})

    assert sorted(errors) == ["measurement_method", "metric", "target_value", "unit"]


def test_model_instances_are_judged_like_dicts():
    from pocdesk.criteria.models import CriterionTemplate

    template = CriterionTemplate(**between())
    assert spec_errors(template) == {}
    template.target_min = D("40")
    assert list(spec_errors(template)) == ["target_max"]


# --- one reading --------------------------------------------------------------------------


@pytest.mark.parametrize(("criterion", "value", "passes"), [
    (spec(), D("120"), True),
    (spec(), D("119.999"), False),
    (spec(), D("1000"), True),
    (spec(comparator="lte", target_value=D("25")), D("25"), True),
    (spec(comparator="lte", target_value=D("25")), D("25.001"), False),
    (spec(comparator="lte", target_value=D("25")), D("-3"), True),
    (spec(comparator="eq", target_value=D("2700"), tolerance=D("100")), D("2600"), True),
    (spec(comparator="eq", target_value=D("2700"), tolerance=D("100")), D("2800"), True),
    (spec(comparator="eq", target_value=D("2700"), tolerance=D("100")), D("2599.99"), False),
    (spec(comparator="eq", target_value=D("2700"), tolerance=D("100")), D("2800.01"), False),
    (spec(comparator="eq", target_value=D("2700")), D("2700"), True),
    (spec(comparator="eq", target_value=D("2700")), D("2700.001"), False),
    (between(), D("22"), True),
    (between(), D("28"), True),
    (between(), D("25"), True),
    (between(), D("21.999"), False),
    (between(), D("28.001"), False),
    (pass_fail(), True, True),
    (pass_fail(), False, False),
])
def test_reading_passes_at_the_boundaries(criterion, value, passes):
    assert reading_passes(criterion, value) is passes


def test_readings_may_be_given_as_numbers_or_strings():
    assert reading_passes(spec(), 120) is True
    assert reading_passes(spec(), "119") is False


def test_an_unknown_comparator_cannot_be_judged():
    with pytest.raises(ValueError, match="unknown comparator"):
        reading_passes(spec(comparator="about"), D("1"))


# --- aggregation ------------------------------------------------------------------------------

READINGS = [D("3"), D("1"), D("4"), D("1"), D("5"), D("9"), D("2"), D("6")]


@pytest.mark.parametrize(("aggregation", "expected"), [
    ("latest", D("6")),
    ("min", D("1")),
    ("max", D("9")),
    ("mean", D("3.875")),  # 31 / 8
    # sorted 1 1 2 3 4 5 6 9; rank 0.95 × 7 = 6.65 → 6 + 0.65 × (9 − 6)
    ("p95", D("7.95")),
])
def test_aggregate_against_hand_computed_values(aggregation, expected):
    assert aggregate(spec(aggregation=aggregation), READINGS) == expected


def test_p95_interpolates_linearly_like_postgresql_percentile_cont():
    # percentile_cont(0.95) over 1..20: rank 0.95 × 19 = 18.05 → 19 + 0.05 × (20 − 19)
    values = [D(n) for n in range(1, 21)]
    assert aggregate(spec(aggregation="p95"), values) == D("19.05")
    assert aggregate(spec(aggregation="p95"), list(reversed(values))) == D("19.05")
    # 10 20 30 40 50: rank 3.8 → 40 + 0.8 × 10
    assert aggregate(spec(aggregation="p95"), [D(n) for n in (50, 10, 40, 20, 30)]) == D("48")


def test_p95_of_one_or_two_readings():
    assert aggregate(spec(aggregation="p95"), [D("7")]) == D("7")
    assert aggregate(spec(aggregation="p95"), [D("0"), D("100")]) == D("95")


def test_share_passing_is_the_percentage_of_passing_readings():
    criterion = spec(target_value=D("3"), aggregation="share_passing", required_share=D("60"))
    # 3 4 5 9 6 pass, 1 1 2 fail: 5 of 8
    assert aggregate(criterion, READINGS) == D("62.5")
    ranged = between(aggregation="share_passing", required_share=D("95"))
    assert aggregate(ranged, [D("22"), D("28"), D("29"), D("21")]) == D("50")
    tests = pass_fail(aggregation="share_passing", required_share=D("75"))
    assert aggregate(tests, [True, False, True, True]) == D("75")


def test_the_latest_pass_fail_result_stays_a_boolean():
    assert aggregate(pass_fail(), [False, True]) is True
    assert aggregate(pass_fail(), [True, False]) is False


def test_no_readings_no_result():
    for aggregation in ("latest", "min", "max", "mean", "p95", "share_passing"):
        assert aggregate(spec(aggregation=aggregation, required_share=D("1")), []) is None


def test_an_unknown_aggregation_cannot_be_computed():
    with pytest.raises(ValueError, match="unknown aggregation"):
        aggregate(spec(aggregation="median"), [D("1")])


# --- status -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("criterion", "result", "status"), [
    (spec(), None, NO_DATA),
    (pass_fail(), None, NO_DATA),
    (spec(), D("120"), PASSING),
    (spec(), D("119.9"), FAILING),
    (spec(comparator="eq", target_value=D("2700"), tolerance=D("100")), D("2790"), PASSING),
    (spec(comparator="eq", target_value=D("2700"), tolerance=D("100")), D("2810"), FAILING),
    (between(), D("28"), PASSING),
    (between(), D("20"), FAILING),
    (pass_fail(), True, PASSING),
    (pass_fail(), False, FAILING),
    # share_passing compares the share with the required share, not with the target
    (spec(aggregation="share_passing", required_share=D("95")), D("95"), PASSING),
    (spec(aggregation="share_passing", required_share=D("95")), D("94.99"), FAILING),
    (spec(target_value=D("1000"), aggregation="share_passing", required_share=D("50")), D("50"),
     PASSING),
])
def test_result_status(criterion, result, status):
    assert result_status(criterion, result) == status


def test_evaluate_aggregates_then_judges():
    criterion = spec(comparator="lte", target_value=D("8"), aggregation="p95")
    assert evaluate(criterion, READINGS) == (D("7.95"), PASSING)
    assert evaluate(spec(comparator="lte", target_value=D("7.9"), aggregation="p95"),
                    READINGS) == (D("7.95"), FAILING)
    assert evaluate(criterion, []) == (None, NO_DATA)


@pytest.mark.parametrize(("criterion", "text"), [
    (spec(), "≥ 120 t/h"),
    (spec(comparator="lte", target_value=D("25.50"), unit="mm"), "≤ 25.5 mm"),
    (spec(comparator="eq", target_value=D("2700"), tolerance=D("100"), unit="K"), "2700 ± 100 K"),
    (spec(comparator="eq", target_value=D("0.7"), unit=""), "0.7"),
    (between(unit="mm"), "22–28 mm"),
    (pass_fail(), "pass: No failure in 720 h"),
    (spec(target_value=D("99"), unit="%", aggregation="share_passing", required_share=D("95")),
     "≥ 99 % in at least 95 % of readings"),
])
def test_target_text(criterion, text):
    assert target_text(criterion) == text


# --- properties -------------------------------------------------------------------------------

readings = st.lists(st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False,
                                allow_infinity=False), min_size=1, max_size=60)


@given(readings)
def test_p95_lies_between_min_and_max(values):
    low = aggregate(spec(aggregation="min"), values)
    high = aggregate(spec(aggregation="max"), values)

    assert low <= aggregate(spec(aggregation="p95"), values) <= high
    assert low <= aggregate(spec(aggregation="mean"), values) <= high


@given(readings, st.decimals(min_value=-10**6, max_value=10**6, places=3))
def test_the_share_passing_is_a_percentage_that_counts_the_passing_readings(values, target):
    criterion = spec(target_value=target, aggregation="share_passing", required_share=D("50"))
    share = aggregate(criterion, values)

    assert 0 <= share <= 100
    assert share == D(sum(1 for v in values if v >= target)) * 100 / D(len(values))
