"""The technical-result rule: the table of cases on statuses, then on real readings."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from pocdesk.results.derive import derive_from_statuses, derive_technical_result
from pocdesk.results.models import ResultsPolicy
from tests.factories import make_criterion, make_measurement


@dataclass
class FakeCriterion:
    pk: int
    importance: int = 1


@dataclass
class FakeStatus:
    criterion: FakeCriterion
    status: str
    must_have: bool = False


def statuses(*rows):
    """rows: (status, must_have, importance)."""
    return [FakeStatus(FakeCriterion(index + 1, importance), status, must_have)
            for index, (status, must_have, importance) in enumerate(rows)]


P, F, N = "passing", "failing", "no_data"


@pytest.mark.parametrize(("rows", "threshold", "expected"), [
    # a must-have failing fails the POC, whatever else passes
    ([(F, True, 1), (P, False, 5), (P, False, 5)], 10, "failed"),
    # every criterion passing
    ([(P, True, 1), (P, False, 1)], 80, "success"),
    # share exactly at the threshold: 4 of 5 equal weights passing = 80 percent
    ([(P, True, 1), (P, False, 1), (P, False, 1), (P, False, 1), (F, False, 1)], 80, "success"),
    # share just below: 79.99 percent needed 80
    ([(P, False, 7999), (F, False, 2001)], 80, "partial"),
    # the same, at the edge
    ([(P, False, 8000), (F, False, 2000)], 80, "success"),
    # a must-have without data: partial even when the share is enough
    ([(P, False, 5), (N, True, 1)], 50, "partial"),
    # no data at all: nothing passes
    ([(N, True, 1), (N, False, 1)], 80, "failed"),
    # nothing passes, nothing must-have
    ([(F, False, 1), (N, False, 1)], 80, "failed"),
    # importance weighs: a heavy one passing, a light one failing
    ([(P, False, 5), (F, False, 1)], 80, "success"),
    # and the other way round
    ([(P, False, 1), (F, False, 5)], 80, "partial"),
    # threshold zero: any pass with every must-have passing succeeds
    ([(P, False, 1), (F, False, 5)], 0, "success"),
])
def test_the_derivation_table(rows, threshold, expected):
    assert derive_from_statuses(statuses(*rows), threshold=Decimal(threshold)).result == expected


def test_the_threshold_is_met_on_the_exact_weights_not_the_rounded_share():
    # 2 of 3 equal weights pass: 66.666… percent, shown rounded as 66.67
    below = derive_from_statuses(statuses((P, False, 1), (P, False, 1), (F, False, 1)),
                                 threshold=Decimal("66.67"))
    at = derive_from_statuses(statuses((P, False, 1), (P, False, 1), (F, False, 1)),
                              threshold=Decimal("66.66"))

    assert below.weighted_share == Decimal("66.67")
    assert (below.meets_threshold, below.result) == (False, "partial")
    assert (at.meets_threshold, at.result) == (True, "success")


def test_no_criteria_gives_no_derived_result():
    derivation = derive_from_statuses([], threshold=Decimal(80))

    assert derivation.result == ""
    assert derivation.weighted_share is None


def test_the_derivation_counts_and_names_the_must_haves():
    rows = statuses((P, True, 3), (F, True, 1), (N, True, 1), (N, False, 5))

    derivation = derive_from_statuses(rows, threshold=Decimal(80))

    assert (derivation.passing, derivation.failing, derivation.no_data) == (1, 1, 2)
    assert [c.pk for c in derivation.must_have_failing] == [2]
    assert [c.pk for c in derivation.must_have_no_data] == [3]
    assert derivation.weighted_share == Decimal("30.00")
    assert derivation.threshold == Decimal(80)


def test_derive_technical_result_on_real_readings(poc):
    throughput = make_criterion(poc)  # must-have, mean ≥ 120
    uptime = make_criterion(poc, title="Uptime", metric="uptime", unit="%", must_have=False,
                            target_value=Decimal("99"), importance=1)
    make_measurement(throughput, value=130)
    make_measurement(throughput, value=126)
    make_measurement(uptime, value=95)

    derivation = derive_technical_result(poc)

    # weight 5 of 6 passing = 83.33 percent, above the default 80
    assert derivation.result == "success"
    assert derivation.weighted_share == Decimal("83.33")

    make_measurement(throughput, value=20)  # the mean falls to 92: the must-have fails
    assert derive_technical_result(poc).result == "failed"


def test_the_team_threshold_applies(poc, team):
    throughput = make_criterion(poc)
    uptime = make_criterion(poc, title="Uptime", metric="uptime", unit="%", must_have=False,
                            target_value=Decimal("99"), importance=1)
    make_measurement(throughput, value=130)
    make_measurement(uptime, value=95)
    ResultsPolicy.objects.create(team=team, success_threshold=Decimal("90"))
    team.refresh_from_db()
    poc.refresh_from_db()

    assert derive_technical_result(poc).result == "partial"


def test_a_must_have_without_readings_is_partial(poc):
    make_criterion(poc)
    other = make_criterion(poc, title="Uptime", metric="uptime", unit="%", must_have=False,
                           target_value=Decimal("99"), importance=5)
    make_measurement(other, value=99.5)

    derivation = derive_technical_result(poc)

    assert derivation.result == "partial"
    assert derivation.no_data == 1
