"""Properties of the score: always 0–100, and satisfying one more check never lowers it."""

from hypothesis import given
from hypothesis import strategies as st

from pocdesk.qualification.gate import (
    FAILED,
    NOT_APPLICABLE,
    PASSED,
    CheckResult,
    RedFlag,
    apportion,
    score_checks,
)

statuses = st.sampled_from([PASSED, FAILED, NOT_APPLICABLE])
check_lists = st.lists(st.tuples(statuses, st.integers(min_value=1, max_value=30), st.booleans()),
                       min_size=1, max_size=12)
penalties = st.lists(st.integers(min_value=0, max_value=30), max_size=6)


def build(specs):
    return [CheckResult(code=f"c{index}", status=status, mandatory=mandatory, message="",
                        weight=weight)
            for index, (status, weight, mandatory) in enumerate(specs)]


def red_flags(values):
    return [RedFlag(code=f"f{index}", message="", penalty=value) for index, value in enumerate(values)]


@given(check_lists, penalties)
def test_the_score_is_always_between_0_and_100(specs, flag_penalties):
    score, items = score_checks(build(specs), red_flags(flag_penalties))

    assert 0 <= score <= 100
    assert all(item["points"] <= item["of"] or item["of"] == 0 for item in items)


@given(check_lists, penalties, st.data())
def test_satisfying_one_more_check_never_lowers_the_score(specs, flag_penalties, data):
    failed = [index for index, (status, _w, _m) in enumerate(specs) if status == FAILED]
    if not failed:
        return
    index = data.draw(st.sampled_from(failed))
    improved = list(specs)
    improved[index] = (PASSED, specs[index][1], specs[index][2])

    before, _items = score_checks(build(specs), red_flags(flag_penalties))
    after, _items = score_checks(build(improved), red_flags(flag_penalties))

    assert after >= before


@given(st.dictionaries(st.text(min_size=1, max_size=4), st.integers(min_value=0, max_value=50),
                       max_size=15))
def test_apportioned_points_add_up_to_exactly_100(weights):
    points = apportion(weights)

    assert set(points) == set(weights)
    assert sum(points.values()) == (100 if sum(weights.values()) > 0 else 0)
