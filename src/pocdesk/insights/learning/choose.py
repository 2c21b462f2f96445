"""Train: pick the estimator by cross-validated Brier score on the team's own closed deals.

Which estimators compete depends on how many closed deals there are; each is scored on
out-of-fold predictions, the best Brier score wins, and a two-parameter (Platt) recalibration
fitted on the winner's out-of-fold log-odds makes its probabilities honest. The scores of every
candidate are kept, so the page can show why this estimator was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .data import Dataset, Encoder, Feature
from .estimators import LOGISTIC_C, BaseRate, Boosting, Logistic, NaiveBayes, sigmoid

MINIMUM_DEALS = 10  # below this, or with fewer than 3 of either outcome, only the base rate
LOGISTIC_FROM = 30
BOOSTING_FROM = 2_000  # "thousands of closed deals"
CALIBRATE_ON_FOCUS_FROM = 100  # a team's own deals recalibrate its scores from this many
LARGE = 30_000
EXPLAIN_SLICE = 250  # deals explained at once  # above this, one held-out fifth replaces the folds (the estimates are stable)


def sufficiency(closed: int) -> str:
    """How far the data supports the score: none, low, medium, high."""
    if closed < MINIMUM_DEALS:
        return "none"
    if closed < 50:
        return "low"
    if closed < 300:
        return "medium"
    return "high"


@dataclass
class TrainedModel:
    features: list[Feature]
    encoder: Encoder
    estimator: Any
    slope: float = 1.0
    intercept: float = 0.0
    closed: int = 0
    won: int = 0
    scores: dict[str, float] = field(default_factory=dict)  # candidate → out-of-fold Brier

    @property
    def key(self) -> str:
        return self.estimator.key

    @property
    def data_sufficiency(self) -> str:
        return sufficiency(self.closed)

    def predict(self, dataset: Dataset):
        table = self.encoder.transform(dataset)
        return sigmoid(self.intercept + self.slope * self.estimator.logits(table))

    def explain(self, dataset: Dataset, *, top: int = 3, words: bool = True) -> list[list[dict]]:
        """Per deal, its strongest factors each way, in probability points (see `explain.py`)."""
        return self.score(dataset, top=top, words=words)[1]

    def score(self, dataset: Dataset, *, top: int = 3, words: bool = True):
        """(probabilities, factors) of the deals, read once and in slices: a tree model's
        factors cost deals × features × reference deals predictions."""
        import numpy as np

        from .explain import factors

        probabilities, explained = [], []
        for start in range(0, len(dataset), EXPLAIN_SLICE):
            part = dataset.subset(range(start, min(len(dataset), start + EXPLAIN_SLICE)))
            table = self.encoder.transform(part)
            logits = self.intercept + self.slope * self.estimator.logits(table)
            parts = self.slope * self.estimator.contributions(table)
            probabilities.append(sigmoid(logits))
            explained += [factors(self, part.rows[i], logits[i], parts[i], top=top,
                                  words=words) for i in range(len(part))]
        return (np.concatenate(probabilities) if probabilities else np.zeros(0)), explained


def train(dataset: Dataset, *, seed: int = 0, focus: str | None = None,
          progress=None) -> TrainedModel:
    """The best estimator for these deals; with `focus` (a team), the one whose out-of-fold
    Brier score is best on that team's own deals when it has enough of them."""
    import numpy as np

    outcomes = np.asarray(dataset.outcomes, dtype=int)
    closed, won = len(outcomes), int(outcomes.sum())
    encoder = Encoder(list(dataset.features)).fit(dataset)
    table = encoder.transform(dataset)
    model = TrainedModel(features=list(dataset.features), encoder=encoder, estimator=None,
                         closed=closed, won=won)
    if closed < MINIMUM_DEALS or min(won, closed - won) < 3:
        model.estimator = BaseRate().fit(table, outcomes)
        return model
    candidates = _candidates(closed)
    splits = _splits(outcomes, seed)
    judged = _focus_rows(dataset, outcomes, focus)
    best = None
    for index, make in enumerate(candidates):
        out_of_fold, scored = _out_of_fold(make, table, outcomes, splits)
        if judged.sum() >= CALIBRATE_ON_FOCUS_FROM:  # else a team's few deals would overfit
            scored &= judged
        own = scored & judged
        brier = float(np.mean((sigmoid(out_of_fold[own]) - outcomes[own]) ** 2))
        key = make().key
        if key not in model.scores or brier < model.scores[key]:
            model.scores[key] = round(brier, 6)
        if best is None or brier < best[0]:
            best = (brier, make, out_of_fold, scored)
        if progress:
            progress(index + 1, len(candidates))
    _brier, make, out_of_fold, scored = best
    model.slope, model.intercept = _recalibration(out_of_fold[scored], outcomes[scored])
    model.estimator = make().fit(table, outcomes)
    return model


def _focus_rows(dataset: Dataset, outcomes, focus: str | None):
    import numpy as np

    everyone = np.ones(len(outcomes), dtype=bool)
    if focus is None or not dataset.groups:
        return everyone
    own = np.array([group == focus for group in dataset.groups])
    if own.sum() < MINIMUM_DEALS or len(set(outcomes[own].tolist())) < 2:
        return everyone
    return own


def _candidates(closed: int) -> list:
    candidates = [NaiveBayes]
    if closed >= LOGISTIC_FROM:
        grid = LOGISTIC_C if closed <= LARGE else LOGISTIC_C[1::2]
        candidates += [lambda c=c: Logistic(C=c) for c in grid]
    if closed >= BOOSTING_FROM:
        candidates.append(Boosting)
    return candidates


def _splits(outcomes, seed: int) -> list:
    import numpy as np
    from sklearn.model_selection import StratifiedKFold, StratifiedShuffleSplit

    if len(outcomes) > LARGE:
        splitter = StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=seed)
    else:
        folds = 5 if len(outcomes) <= 5_000 else 3
        folds = min(folds, int(min(np.bincount(outcomes, minlength=2))))
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(outcomes)), outcomes))


def _out_of_fold(make, table, outcomes, splits):
    import numpy as np

    out_of_fold = np.zeros(len(outcomes))
    scored = np.zeros(len(outcomes), dtype=bool)
    for train_rows, test_rows in splits:
        estimator = make().fit(table.take(train_rows), outcomes[train_rows])
        out_of_fold[test_rows] = estimator.logits(table.take(test_rows))
        scored[test_rows] = True
    return out_of_fold, scored


def _recalibration(logits, outcomes) -> tuple[float, float]:
    """Platt scaling of out-of-fold log-odds; the identity when it would not be sensible."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    if np.ptp(logits) < 1e-9:
        return 1.0, 0.0
    platt = LogisticRegression(C=100.0).fit(logits.reshape(-1, 1), outcomes)
    slope, intercept = float(platt.coef_[0][0]), float(platt.intercept_[0])
    if slope <= 0:  # the scores rank worse than chance out of fold: trust only the base rate
        rate = (outcomes.sum() + 1.0) / (len(outcomes) + 2.0)
        return 0.0, float(np.log(rate / (1 - rate)))
    return slope, intercept
