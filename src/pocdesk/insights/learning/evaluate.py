"""Held-out evaluation: repeated stratified cross-validation against two baselines.

Every outer fold trains the whole choice (estimators, internal folds, recalibration) on its
training part only, so the figures are what a team would see on deals the model never saw.
Exact duplicates of a deal's features stay in one fold: a copy on each side would flatter
every model. The baselines are the training part's win rate and a plain one-hot logistic
regression (scikit-learn's defaults, as an analyst would first try).
"""

from __future__ import annotations

from collections import Counter

from .choose import train
from .data import CATEGORICAL, Dataset, category_value, number_value

RELIABILITY_BINS = 10


def evaluate(dataset: Dataset, *, folds: int = 5, repeats: int = 3, seed: int = 0,
             progress=None) -> dict:
    import numpy as np
    from sklearn.model_selection import StratifiedGroupKFold

    outcomes = np.asarray(dataset.outcomes, dtype=int)
    closed, won = len(outcomes), int(outcomes.sum())
    folds = max(2, min(folds, int(min(won, closed - won))))
    groups = _duplicate_groups(dataset)
    metrics = {name: [] for name in ("model", "baseline", "base_rate")}
    pooled = {name: ([], []) for name in ("model", "baseline")}
    chosen: Counter[str] = Counter()
    steps, step = folds * repeats, 0
    for repeat in range(repeats):
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed + repeat)
        for train_rows, test_rows in splitter.split(np.zeros(closed), outcomes, groups):
            train_part, test_part = dataset.subset(train_rows), dataset.subset(test_rows)
            truth = outcomes[test_rows]
            model = train(train_part, seed=seed)
            chosen[model.key] += 1
            predictions = {
                "model": model.predict(test_part),
                "baseline": _one_hot_baseline(train_part, test_part),
                "base_rate": np.full(len(test_rows), outcomes[train_rows].mean()),
            }
            for name, predicted in predictions.items():
                metrics[name].append(_scores(truth, predicted))
                if name in pooled:
                    pooled[name][0].extend(truth.tolist())
                    pooled[name][1].extend(np.asarray(predicted).tolist())
            step += 1
            if progress:
                progress(step, steps)
    final = train(dataset, seed=seed)
    summary = {name: _mean(rows) for name, rows in metrics.items()}
    return {
        "n": closed, "won": won, "folds": folds, "repeats": repeats,
        "auc": summary["model"]["auc"], "brier": summary["model"]["brier"],
        "log_loss": summary["model"]["log_loss"],
        "auc_std": summary["model"]["auc_std"], "brier_std": summary["model"]["brier_std"],
        "baseline_auc": summary["baseline"]["auc"],
        "baseline_brier": summary["baseline"]["brier"],
        "baseline_log_loss": summary["baseline"]["log_loss"],
        "base_rate_brier": summary["base_rate"]["brier"],
        "base_rate_log_loss": summary["base_rate"]["log_loss"],
        "estimator": final.key,
        "estimator_per_fold": dict(chosen),
        "candidates": final.scores,
        "data_sufficiency": final.data_sufficiency,
        "reliability": {name: reliability(*pooled[name]) for name in pooled},
    }


def reliability(truth, predicted, bins: int = RELIABILITY_BINS) -> list[dict]:
    """Equal-width bins of predicted probability: mean predicted vs share won, with counts."""
    import numpy as np

    truth, predicted = np.asarray(truth, dtype=float), np.asarray(predicted, dtype=float)
    index = np.minimum((predicted * bins).astype(int), bins - 1)
    rows = []
    for bin_number in range(bins):
        members = index == bin_number
        count = int(members.sum())
        if count:
            rows.append({"low": bin_number / bins, "high": (bin_number + 1) / bins,
                         "predicted": round(float(predicted[members].mean()), 4),
                         "observed": round(float(truth[members].mean()), 4), "count": count})
    return rows


def _scores(truth, predicted) -> dict:
    import numpy as np
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

    predicted = np.clip(np.asarray(predicted, dtype=float), 1e-6, 1 - 1e-6)
    both = len(set(truth.tolist())) == 2
    return {"auc": float(roc_auc_score(truth, predicted)) if both else float("nan"),
            "brier": float(brier_score_loss(truth, predicted)),
            "log_loss": float(log_loss(truth, predicted, labels=[0, 1]))}


def _mean(rows: list[dict]) -> dict:
    import numpy as np

    summary = {}
    for key in ("auc", "brier", "log_loss"):
        values = np.array([row[key] for row in rows])
        summary[key] = round(float(np.nanmean(values)), 4)
        summary[f"{key}_std"] = round(float(np.nanstd(values)), 4)
    return summary


def _duplicate_groups(dataset: Dataset) -> list[int]:
    names = [feature.name for feature in dataset.features]
    seen: dict[tuple, int] = {}
    return [seen.setdefault(tuple(str(row.get(name)) for name in names), len(seen))
            for row in dataset.rows]


def _one_hot_baseline(train_part: Dataset, test_part: Dataset):
    """scikit-learn's LogisticRegression (C=1) on one-hot levels and standardised numbers."""
    import numpy as np
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    categorical = [f.name for f in train_part.features if f.kind == CATEGORICAL]
    numeric = [f.name for f in train_part.features if f.kind != CATEGORICAL]

    def frame(part: Dataset):
        columns = [[category_value(row.get(name)) or "" for name in categorical] for row in part.rows]
        values = [[number_value(row.get(name)) for name in numeric] for row in part.rows]
        return np.array(columns, dtype=object).reshape(len(part), len(categorical)), \
            np.array(values, dtype=float).reshape(len(part), len(numeric))

    def stacked(part: Dataset):
        columns, values = frame(part)
        return np.hstack([columns, values.astype(object)])

    transformers = []
    if categorical:
        transformers.append(("levels", OneHotEncoder(handle_unknown="ignore"),
                             list(range(len(categorical)))))
    if numeric:
        transformers.append(("numbers", make_pipeline(SimpleImputer(strategy="median"),
                                                      StandardScaler()),
                             list(range(len(categorical), len(categorical) + len(numeric)))))
    pipeline = make_pipeline(ColumnTransformer(transformers),
                             LogisticRegression(max_iter=2000))
    pipeline.fit(stacked(train_part), np.asarray(train_part.outcomes))
    return pipeline.predict_proba(stacked(test_part))[:, 1]

