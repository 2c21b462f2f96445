"""The win-probability model without the database: counts, fallback, choice, factors, calibration."""

import math

import numpy as np
import pytest

from pocdesk.insights.learning.choose import (
    BOOSTING_FROM,
    LOGISTIC_FROM,
    MINIMUM_DEALS,
    _candidates,
    sufficiency,
    train,
)
from pocdesk.insights.learning.data import CATEGORICAL, NUMERIC, Dataset, Encoder, Feature
from pocdesk.insights.learning.estimators import NaiveBayes
from pocdesk.insights.learning.synthetic import synthetic_deals

INDUSTRY = Feature("industry", CATEGORICAL, "Industry")


def _deals(pairs, groups=None):
    """[(industry, won)] → Dataset."""
    return Dataset([INDUSTRY], [{"industry": value} for value, _won in pairs],
                   [int(won) for _value, won in pairs], groups)


def _naive_bayes(dataset):
    encoder = Encoder(dataset.features).fit(dataset)
    return encoder, NaiveBayes().fit(encoder.transform(dataset), dataset.outcomes)


def _logit_for(encoder, model, value, group=None):
    query = Dataset([INDUSTRY], [{"industry": value}], None, [group] if group else None)
    return float(model.logits(encoder.transform(query))[0])


def test_naive_bayes_counts_and_smoothing_match_the_hand_computation():
    # A: 3 won, 1 lost; B: 1 won, 3 lost. Levels: missing, other, A, B (k = 4), n = 8.
    # Overall P(A) = (4 + 1) / (8 + 4) = 5/12; P(A | won) = (3 + 4 · 5/12) / (4 + 4) = 7/12;
    # P(A | lost) = (1 + 4 · 5/12) / (4 + 4) = 1/3; the prior is (4 + 1) / (8 + 2) = 1/2.
    dataset = _deals([("A", 1)] * 3 + [("A", 0)] + [("B", 1)] + [("B", 0)] * 3)
    encoder, model = _naive_bayes(dataset)

    assert _logit_for(encoder, model, "A") == pytest.approx(math.log((7 / 12) / (1 / 3)))
    assert _logit_for(encoder, model, "B") == pytest.approx(math.log((1 / 3) / (7 / 12)))
    # An unseen value and a missing one carry no evidence either way: the prior, 1/2.
    assert _logit_for(encoder, model, "C") == pytest.approx(0.0)
    assert _logit_for(encoder, model, None) == pytest.approx(0.0)


def test_a_small_team_falls_back_to_all_teams_and_a_large_one_speaks_for_itself():
    # All teams: 60 deals, 30 won. Team "small": 2 deals, both won. Team "large": 40, 10 won.
    pairs = [("A", 1)] * 2 + [("A", 1)] * 10 + [("A", 0)] * 30 + [("A", 1)] * 18
    groups = ["small"] * 2 + ["large"] * 40 + ["other"] * 18
    encoder, model = _naive_bayes(_deals(pairs, groups))
    rate = (30 + 1) / (60 + 2)

    def prior(value, team):
        return 1 / (1 + math.exp(-_logit_for(encoder, model, value, team)))

    # A team's rate is shrunk toward all teams' by 20 pseudo-deals: (won + 20 · rate) / (n + 20).
    small, large = (2 + 20 * rate) / (2 + 20), (10 + 20 * rate) / (40 + 20)
    assert prior(None, "small") == pytest.approx(small, abs=1e-9)
    assert prior(None, "large") == pytest.approx(large, abs=1e-9)
    # A team the model has never seen gets all teams' rate.
    assert prior(None, "new team") == pytest.approx(rate, abs=1e-9)
    assert abs(prior(None, "small") - rate) < abs(prior(None, "large") - rate)


@pytest.mark.parametrize(("closed", "expected"), [
    (LOGISTIC_FROM - 1, ["naive_bayes"]),
    (LOGISTIC_FROM, ["naive_bayes", "logistic"]),
    (BOOSTING_FROM - 1, ["naive_bayes", "logistic"]),
    (BOOSTING_FROM, ["naive_bayes", "logistic", "boosting"]),
])
def test_the_estimators_that_compete_switch_at_their_thresholds(closed, expected):
    keys = []
    for make in _candidates(closed):
        if make().key not in keys:
            keys.append(make().key)
    assert keys == expected


def test_below_the_minimum_only_the_base_rate_is_given():
    dataset = _deals([("A", 1)] * 4 + [("B", 0)] * (MINIMUM_DEALS - 5))
    model = train(dataset)
    assert model.key == "base_rate"
    assert model.data_sufficiency == "none"
    assert model.predict(dataset)[0] == pytest.approx((4 + 1) / (MINIMUM_DEALS - 1 + 2))
    assert model.explain(dataset) == [[]] * len(dataset)


@pytest.mark.parametrize(("closed", "level"), [(0, "none"), (9, "none"), (10, "low"),
                                                (49, "low"), (50, "medium"), (299, "medium"),
                                                (300, "high")])
def test_data_sufficiency_levels(closed, level):
    assert sufficiency(closed) == level


def test_the_choice_goes_to_the_best_out_of_fold_brier_score():
    dataset, _truth = synthetic_deals(600, seed=3)
    model = train(dataset)
    assert set(model.scores) == {"naive_bayes", "logistic"}
    assert model.key == min(model.scores, key=model.scores.get)


def test_factors_name_the_values_that_move_this_deal_with_their_direction():
    rows = ([{"industry": "Utilities", "sponsor": "yes"}] * 40
            + [{"industry": "Utilities", "sponsor": "no"}] * 10
            + [{"industry": "Retail", "sponsor": "no"}] * 40
            + [{"industry": "Retail", "sponsor": "yes"}] * 10)
    outcomes = [1] * 35 + [0] * 5 + [1] * 3 + [0] * 7 + [0] * 36 + [1] * 4 + [1] * 5 + [0] * 5
    features = [INDUSTRY, Feature("sponsor", CATEGORICAL, "Executive sponsor")]
    model = train(Dataset(features, rows, outcomes))

    good, bad = model.explain(Dataset(features, [rows[0], rows[50]]))
    assert [factor["direction"] for factor in good] == ["positive"] * len(good)
    assert {factor["feature"] for factor in good} == {"industry", "sponsor"}
    assert [factor["direction"] for factor in bad] == ["negative"] * len(bad)
    assert good[0]["weight"] >= good[-1]["weight"] > 0
    assert bad[0]["weight"] <= bad[-1]["weight"] < 0
    sponsor = next(factor for factor in good if factor["feature"] == "sponsor")
    assert sponsor["value"] == "yes"
    assert sponsor["message"].startswith("Executive sponsor is “yes”: raises the chance by ")


def test_probabilities_are_calibrated_on_deals_with_a_known_probability():
    closed, _truth = synthetic_deals(8_000, seed=5)
    open_deals, truth = synthetic_deals(8_000, seed=6)
    predicted = train(closed).predict(open_deals)
    # Within every tenth of predicted probability with enough deals, the share that the true
    # model wins stays close to the prediction.
    bins = np.minimum((predicted * 10).astype(int), 9)
    for number in range(10):
        members = bins == number
        if members.sum() >= 200:
            assert abs(predicted[members].mean() - truth[members].mean()) < 0.04
    assert np.abs(predicted - truth).mean() < 0.08


def test_numbers_count_in_the_direction_they_push():
    # The synthetic world raises the chance with the logarithm of number_1 (the amount).
    closed, _truth = synthetic_deals(3_000, seed=7, categorical=0, numeric=3, strength=2.0)
    model = train(closed)
    amounts = [row["number_1"] or 0 for row in closed.rows]
    largest, smallest = (closed.rows[amounts.index(max(amounts))],
                         closed.rows[amounts.index(min(a for a in amounts if a))])

    def amount_factor(row):
        factors = model.explain(Dataset(closed.features, [row]), top=5)[0]
        return next(factor for factor in factors if factor["feature"] == "number_1")

    assert amount_factor(largest)["direction"] == "positive"
    assert amount_factor(smallest)["direction"] == "negative"
    assert all(feature.kind == NUMERIC for feature in closed.features)
