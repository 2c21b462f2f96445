"""The estimators behind one interface: fit on a Table, give log-odds and each feature's part.

- `NaiveBayes`: smoothed frequency counts, per team shrunk toward all teams; usable from a
  handful of closed deals.
- `Logistic`: L2-regularised logistic regression on one-hot levels and scaled numbers.
- `Boosting`: scikit-learn's histogram gradient boosting, once there are thousands of deals.
- `BaseRate`: the smoothed win rate, when there is too little to learn anything else.

`logits` returns log-odds; the caller calibrates them (see `choose.py`). `contributions` gives,
for each deal and feature, the change in log-odds that the feature's value brings to this deal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .data import MISSING, Table

NB_SMOOTHING = 4.0  # pseudo-deals pulling each level's frequency toward the feature's overall one
TEAM_SMOOTHING = 20.0  # pseudo-deals pulling a team's counts toward all teams' counts
NUMERIC_BINS = 5
LOGISTIC_C = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
BACKGROUND_ROWS = 24  # reference deals against which a tree model's factors are measured
NUMBER_CLIP = 4.0  # standard deviations


def logit(probability):
    import numpy as np

    probability = np.clip(probability, 1e-6, 1 - 1e-6)
    return np.log(probability / (1 - probability))


def sigmoid(values):
    import numpy as np

    return 1.0 / (1.0 + np.exp(-values))


class BaseRate:
    key = "base_rate"

    def fit(self, table: Table, outcomes) -> BaseRate:
        import numpy as np

        # One won and one lost pseudo-deal: no certainty from two closed deals.
        self.rate = (float(np.sum(outcomes)) + 1.0) / (len(outcomes) + 2.0)
        return self

    def logits(self, table: Table):
        import numpy as np

        return np.full(len(table), float(logit(np.array(self.rate))))

    def contributions(self, table: Table):
        import numpy as np

        return np.zeros((len(table), table.codes.shape[1] + table.numbers.shape[1]))


@dataclass
class NaiveBayes:
    """log-odds = team prior + Σ log P(value | won) / P(value | lost), every term smoothed.

    All teams' ratios are m-estimates pulled toward the level's overall frequency; a team's
    own ratio is blended with them by how many of its deals had the level, and its prior by
    how many deals it closed, so a new team starts from all teams and grows into its own.
    """

    key: str = "naive_bayes"
    edges: list[Any] = field(default_factory=list)
    tables: list[Any] = field(default_factory=list)  # per feature: (groups + 1, levels) ratios
    priors: Any = None  # per group (0 = all teams) log prior odds

    def _levels(self, table: Table):
        import numpy as np

        columns = [table.codes[:, j] for j in range(table.codes.shape[1])]
        for j, edges in enumerate(self.edges):
            values = table.numbers[:, j]
            binned = np.searchsorted(edges, values, side="right") + 2
            columns.append(np.where(np.isnan(values), MISSING, binned))
        return columns

    def fit(self, table: Table, outcomes) -> NaiveBayes:
        import numpy as np

        outcomes = np.asarray(outcomes)
        self.edges = []
        for j in range(table.numbers.shape[1]):
            values = table.numbers[:, j]
            values = values[~np.isnan(values)]
            quantiles = np.linspace(0, 1, NUMERIC_BINS + 1)[1:-1]
            self.edges.append(np.unique(np.quantile(values, quantiles)) if len(values)
                              else np.array([]))
        groups = table.groups
        group_count = int(groups.max()) + 1 if len(groups) else 1
        won, total = outcomes == 1, len(outcomes)
        n_won = np.bincount(groups[won], minlength=group_count).astype(float)
        n_all = np.bincount(groups, minlength=group_count).astype(float)
        n_lost = n_all - n_won
        global_won, global_lost = float(won.sum()), float(total - won.sum())
        rate = (global_won + 1.0) / (total + 2.0)
        team_rate = (n_won + TEAM_SMOOTHING * rate) / (n_all + TEAM_SMOOTHING)
        self.priors = np.concatenate([[logit(np.array(rate))], logit(team_rate[1:])])
        self.tables = []
        widths = list(table.widths) + [len(edges) + 3 for edges in self.edges]
        for column, levels in zip(self._levels(table), widths, strict=True):
            won_counts = np.bincount(column[won], minlength=levels).astype(float)
            lost_counts = np.bincount(column[~won], minlength=levels).astype(float)
            overall = (won_counts + lost_counts + 1.0) / (total + levels)
            p_won = (won_counts + NB_SMOOTHING * overall) / (global_won + NB_SMOOTHING)
            p_lost = (lost_counts + NB_SMOOTHING * overall) / (global_lost + NB_SMOOTHING)
            ratios = np.empty((group_count, levels))
            # A level never seen says nothing, rather than echoing the won/lost imbalance.
            ratios[0] = np.where(won_counts + lost_counts > 0,
                                 np.log(p_won) - np.log(p_lost), 0.0)
            index = groups * levels + column
            team_won = np.bincount(index[won], minlength=group_count * levels).reshape(
                group_count, levels)
            team_lost = np.bincount(index[~won], minlength=group_count * levels).reshape(
                group_count, levels)
            for group in range(1, group_count):
                # The team's own ratio, trusted in proportion to how often it saw the level:
                # a level the team never saw falls back to all teams' ratio.
                seen = team_won[group] + team_lost[group]
                own = (np.log((team_won[group] + 0.5) / (n_won[group] + 0.5 * levels))
                       - np.log((team_lost[group] + 0.5) / (n_lost[group] + 0.5 * levels)))
                ratios[group] = (seen * own + TEAM_SMOOTHING * ratios[0]) / (
                    seen + TEAM_SMOOTHING)
            self.tables.append(ratios)
        return self

    def contributions(self, table: Table):
        import numpy as np

        groups = np.where(table.groups < len(self.priors), table.groups, 0)
        parts = np.zeros((len(table), len(self.tables)))
        for j, column in enumerate(self._levels(table)):
            ratios = self.tables[j]
            parts[:, j] = ratios[groups, column]
        return parts

    def logits(self, table: Table):
        import numpy as np

        groups = np.where(table.groups < len(self.priors), table.groups, 0)
        return self.priors[groups] + self.contributions(table).sum(axis=1)


@dataclass
class Logistic:
    """One-hot levels (missing and rare levels included) and scaled numbers, L2 penalty C."""

    C: float = 1.0
    key: str = "logistic"
    model: Any = None
    offsets: Any = None
    widths: list[int] = field(default_factory=list)
    medians: Any = None
    scales: Any = None
    centres: Any = None
    logged: Any = None
    baseline_parts: Any = None

    def _matrix(self, table: Table, *, fitting: bool = False):
        import numpy as np
        from scipy import sparse

        n, n_categorical = table.codes.shape
        if fitting:
            self.widths = list(table.widths)
            self.offsets = np.concatenate([[0], np.cumsum(self.widths)])[:-1].astype(np.int64)
        width = int(sum(self.widths))
        codes = table.codes
        columns = (codes + self.offsets).ravel()
        rows = np.repeat(np.arange(n), n_categorical)
        one_hot = sparse.csr_matrix((np.ones(len(columns)), (rows, columns)), shape=(n, width))
        numbers = table.numbers
        if fitting:
            self.logged = np.array([
                bool(np.nanmin(numbers[:, j]) >= 0 and np.nanquantile(numbers[:, j], 0.99)
                     > 50 * (np.nanmedian(numbers[:, j]) + 1e-9))
                if np.any(~np.isnan(numbers[:, j])) else False
                for j in range(numbers.shape[1])], dtype=bool)
        numbers = np.where(self.logged, np.log1p(np.abs(numbers)), numbers)
        missing = np.isnan(numbers)
        if fitting:
            self.medians = np.array([np.nanmedian(numbers[:, j]) if np.any(~missing[:, j])
                                     else 0.0 for j in range(numbers.shape[1])])
        filled = np.where(missing, self.medians, numbers)
        if fitting:
            self.centres = filled.mean(axis=0) if n else np.zeros(filled.shape[1])
            scales = filled.std(axis=0) if n else np.ones(filled.shape[1])
            self.scales = np.where(scales > 0, scales, 1.0)
        # A number far outside the training range must not carry the deal to 0 or 1.
        scaled = np.clip((filled - self.centres) / self.scales, -NUMBER_CLIP, NUMBER_CLIP)
        dense = np.hstack([scaled, missing.astype(float)])
        return sparse.hstack([one_hot, sparse.csr_matrix(dense)], format="csr")

    def fit(self, table: Table, outcomes) -> Logistic:
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        matrix = self._matrix(table, fitting=True)
        self.model = LogisticRegression(C=self.C, max_iter=1000, tol=1e-5)
        self.model.fit(matrix, np.asarray(outcomes))
        self.baseline_parts = self._parts(matrix).mean(axis=0)
        return self

    def _parts(self, matrix):
        import numpy as np

        coefficients = self.model.coef_[0]
        weighted = matrix.multiply(coefficients).tocsc()
        n_numeric = len(self.medians)
        parts = np.zeros((matrix.shape[0], len(self.widths) + n_numeric))
        for j, (offset, width) in enumerate(zip(self.offsets, self.widths, strict=True)):
            parts[:, j] = np.asarray(weighted[:, offset:offset + width].sum(axis=1)).ravel()
        start = int(sum(self.widths))
        for j in range(n_numeric):
            value = weighted[:, start + j].toarray().ravel()
            flag = weighted[:, start + n_numeric + j].toarray().ravel()
            parts[:, len(self.widths) + j] = value + flag
        return parts

    def logits(self, table: Table):
        return self.model.decision_function(self._matrix(table))

    def contributions(self, table: Table):
        return self._parts(self._matrix(table)) - self.baseline_parts


@dataclass
class Boosting:
    """Histogram gradient boosting with native categories; factors measured by substitution."""

    key: str = "boosting"
    model: Any = None
    background: Any = None
    n_categorical: int = 0

    def _matrix(self, table: Table):
        import numpy as np

        return np.hstack([table.codes.astype(float), table.numbers])

    def fit(self, table: Table, outcomes) -> Boosting:
        import numpy as np
        from sklearn.ensemble import HistGradientBoostingClassifier

        matrix = self._matrix(table)
        self.n_categorical = table.codes.shape[1]
        mask = [True] * self.n_categorical + [False] * table.numbers.shape[1]
        self.model = HistGradientBoostingClassifier(
            learning_rate=0.06, max_iter=300, max_leaf_nodes=15, min_samples_leaf=40,
            l2_regularization=1.0, categorical_features=mask if any(mask) else None,
            early_stopping=True, validation_fraction=0.15, n_iter_no_change=20,
            random_state=0)
        self.model.fit(matrix, np.asarray(outcomes))
        rows = np.random.default_rng(0).choice(len(matrix), size=min(BACKGROUND_ROWS,
                                                                    len(matrix)), replace=False)
        self.background = matrix[rows]
        return self

    def logits(self, table: Table):
        return self.model.decision_function(self._matrix(table))

    def contributions(self, table: Table):
        """Each feature's effect: this deal's log-odds minus its mean over reference values."""
        import numpy as np

        matrix = self._matrix(table)
        n, width = matrix.shape
        k = len(self.background)
        own = self.model.decision_function(matrix)
        # Every deal × feature × reference deal, in one prediction call.
        variants = np.repeat(matrix, width * k, axis=0).reshape(n, width, k, width)
        for j in range(width):
            variants[:, j, :, j] = self.background[:, j]
        substituted = self.model.decision_function(variants.reshape(-1, width))
        return own[:, None] - substituted.reshape(n, width, k).mean(axis=2)
