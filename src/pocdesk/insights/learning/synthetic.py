"""Deals drawn from a known logistic model: for calibration tests and the benchmark."""

from __future__ import annotations

from .data import CATEGORICAL, NUMERIC, Dataset, Feature


def synthetic_deals(count: int, *, seed: int = 0, categorical: int = 10, numeric: int = 5,
                    strength: float = 1.0):
    """(Dataset with outcomes drawn from the true probability, the true probabilities)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    effects = np.random.default_rng(12345)  # the same world for every seed
    features, columns, logit = [], {}, np.full(count, 0.3)
    for j in range(categorical):
        levels = int(effects.integers(3, 61))
        weights = effects.normal(0, 0.5 * strength, levels)
        popularity = effects.dirichlet(np.ones(levels))
        drawn = rng.choice(levels, size=count, p=popularity)
        logit += weights[drawn]
        name = f"attribute_{j + 1}"
        features.append(Feature(name, CATEGORICAL))
        columns[name] = [f"level {value}" for value in drawn]
    for j in range(numeric):
        name = f"number_{j + 1}"
        if j == 0:  # a deal amount: skewed, the effect on its logarithm
            values = rng.lognormal(11, 1.2, count)
            logit += 0.3 * strength * (np.log(values) - 11)
        else:
            values = rng.normal(0, 1, count)
            logit += effects.normal(0, 0.4 * strength) * values
        values = values.astype(object)
        values[rng.random(count) < 0.05] = None
        features.append(Feature(name, NUMERIC))
        columns[name] = values.tolist()
    probability = 1 / (1 + np.exp(-logit))
    outcomes = (rng.random(count) < probability).astype(int).tolist()
    names = list(columns)
    rows = [dict(zip(names, values, strict=True)) for values in zip(*columns.values(),
                                                                      strict=True)]
    return Dataset(features, rows, outcomes), probability
