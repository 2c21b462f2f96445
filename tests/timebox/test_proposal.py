"""The proposed milestone plan of §6, from the dates alone: short, exact-cadence and long POCs,
month ends and leap years, and its properties over any dates and cadence."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pocdesk.timebox.proposal import propose_milestones

D = datetime.date
FIXED = ["kickoff", "resources_ready", "installation", "first_run", "midpoint_review",
         "target_reached", "final_review"]


def plan(start, end, cadence=14):
    return [(m.kind, m.sequence, m.due_date)
            for m in propose_milestones(start=start, end=end, cadence_days=cadence)]


def test_a_zero_day_poc_puts_everything_on_its_only_day():
    day = D(2026, 3, 2)

    assert plan(day, day) == [(kind, 0, day) for kind in FIXED]


def test_a_one_day_poc_splits_at_half_way():
    start = D(2026, 3, 2)
    end = D(2026, 3, 3)

    assert plan(start, end) == [
        ("kickoff", 0, start), ("resources_ready", 0, start), ("installation", 0, start),
        ("first_run", 0, start), ("midpoint_review", 0, end), ("target_reached", 0, end),
        ("final_review", 0, end)]


def test_a_three_day_poc_rounds_each_share_half_up():
    # shares of 3 days: 0.3 → 0, 0.6 → 1, 0.75 → 1, 1.5 → 2, 2.55 → 3
    assert plan(D(2026, 3, 2), D(2026, 3, 5)) == [
        ("kickoff", 0, D(2026, 3, 2)), ("resources_ready", 0, D(2026, 3, 2)),
        ("installation", 0, D(2026, 3, 3)), ("first_run", 0, D(2026, 3, 3)),
        ("midpoint_review", 0, D(2026, 3, 4)), ("target_reached", 0, D(2026, 3, 5)),
        ("final_review", 0, D(2026, 3, 5))]


def test_28_days_at_a_14_day_cadence_has_the_mid_point_as_its_only_checkpoint():
    start = D(2026, 3, 2)

    items = plan(start, D(2026, 3, 30))

    assert [kind for kind, _sequence, _due in items] == FIXED
    assert [(kind, due) for kind, _sequence, due in items if due == D(2026, 3, 16)] == [
        ("midpoint_review", D(2026, 3, 16))]
    assert [due for _kind, _sequence, due in items] == [
        D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 8), D(2026, 3, 9), D(2026, 3, 16),
        D(2026, 3, 26), D(2026, 3, 30)]


def test_a_year_long_poc_has_26_checkpoints_every_14_days():
    start = D(2026, 1, 1)

    items = plan(start, D(2027, 1, 1))

    checkpoints = [(sequence, due) for kind, sequence, due in items if kind == "checkpoint"]
    assert len(items) == 33
    assert checkpoints == [(n, start + datetime.timedelta(days=14 * n)) for n in range(1, 27)]
    fixed = {kind: (due - start).days for kind, _sequence, due in items if kind != "checkpoint"}
    assert fixed == {"kickoff": 0, "resources_ready": 37, "installation": 73, "first_run": 91,
                     "midpoint_review": 183, "target_reached": 310, "final_review": 365}


def test_a_checkpoint_sorts_after_the_start_milestones_and_before_the_target_of_its_day():
    start, end = D(2026, 3, 2), D(2026, 5, 11)  # 70 days

    weekly = plan(start, end, cadence=7)
    every_ten = plan(start, end, cadence=10)

    def on(items, day):
        return [(kind, sequence) for kind, sequence, due in items if due == day]

    assert on(weekly, D(2026, 3, 9)) == [("resources_ready", 0), ("checkpoint", 1)]
    assert on(weekly, D(2026, 3, 16)) == [("installation", 0), ("checkpoint", 2)]
    # day 35 is the mid-point review, not a checkpoint: 8 checkpoints in 70 days
    assert [sequence for kind, sequence, _due in weekly if kind == "checkpoint"] == list(
        range(1, 9))
    assert on(every_ten, D(2026, 5, 1)) == [("checkpoint", 6), ("target_reached", 0)]


def test_a_poc_starting_on_29_february_counts_days_not_months():
    items = plan(D(2024, 2, 29), D(2024, 3, 31))

    assert items == [
        ("kickoff", 0, D(2024, 2, 29)), ("resources_ready", 0, D(2024, 3, 3)),
        ("installation", 0, D(2024, 3, 6)), ("first_run", 0, D(2024, 3, 8)),
        ("checkpoint", 1, D(2024, 3, 14)), ("midpoint_review", 0, D(2024, 3, 16)),
        ("target_reached", 0, D(2024, 3, 26)), ("checkpoint", 2, D(2024, 3, 28)),
        ("final_review", 0, D(2024, 3, 31))]


@pytest.mark.parametrize(("start", "end", "midpoint", "target"), [
    (D(2024, 1, 31), D(2024, 3, 1), D(2024, 2, 15), D(2024, 2, 26)),  # leap year: 30 days
    (D(2025, 1, 31), D(2025, 3, 1), D(2025, 2, 15), D(2025, 2, 25)),  # 29 days
])
def test_across_february_the_shares_follow_the_length_in_days(start, end, midpoint, target):
    items = {(kind, sequence): due for kind, sequence, due in plan(start, end)}

    assert items[("midpoint_review", 0)] == midpoint
    assert items[("target_reached", 0)] == target
    assert items[("checkpoint", 1)] == start.replace(month=2, day=14)
    assert items[("checkpoint", 2)] == start.replace(month=2, day=28)
    assert items[("final_review", 0)] == end


def test_a_month_end_start_adds_days_without_clamping_to_month_ends():
    items = plan(D(2026, 1, 31), D(2026, 4, 30), cadence=30)

    assert [due for kind, _sequence, due in items if kind == "checkpoint"] == [
        D(2026, 3, 2), D(2026, 4, 1)]


@pytest.mark.parametrize(("start", "end", "cadence"), [
    (D(2026, 3, 2), D(2026, 3, 1), 14),
    (D(2026, 3, 2), D(2026, 4, 1), 0),
])
def test_impossible_dates_or_cadence_are_refused(start, end, cadence):
    with pytest.raises(ValueError):
        propose_milestones(start=start, end=end, cadence_days=cadence)


@settings(max_examples=300, deadline=None)
@given(start=st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)),
       length=st.integers(min_value=0, max_value=800),
       cadence=st.integers(min_value=1, max_value=90))
def test_the_plan_properties_hold_for_any_dates_and_cadence(start, length, cadence):
    end = start + datetime.timedelta(days=length)

    items = propose_milestones(start=start, end=end, cadence_days=cadence)

    dues = [item.due_date for item in items]
    assert dues == sorted(dues)
    assert all(start <= due <= end for due in dues)
    kinds = [item.kind for item in items]
    assert sorted(kind for kind in kinds if kind != "checkpoint") == sorted(FIXED)
    by_kind = {item.kind: item.due_date for item in items if item.kind != "checkpoint"}
    assert by_kind["kickoff"] == start and by_kind["final_review"] == end
    midpoint = (length + 1) // 2  # half-way, rounded half up
    assert (by_kind["midpoint_review"] - start).days == midpoint
    expected = [offset for offset in range(cadence, length, cadence) if offset != midpoint]
    checkpoints = [item for item in items if item.kind == "checkpoint"]
    assert [(c.due_date - start).days for c in checkpoints] == expected
    assert [c.sequence for c in checkpoints] == list(range(1, len(expected) + 1))
    assert len(items) == 7 + len(expected)
    assert all(later.due_date - earlier.due_date >= datetime.timedelta(days=cadence)
               for earlier, later in zip(checkpoints, checkpoints[1:], strict=False))
    assert {item.kind for item in items if item.customer_witness} == {
        "installation", "first_run", "target_reached"}
    assert {item.kind for item in items if item.customer_owned} == {
        "resources_ready", "midpoint_review"}
