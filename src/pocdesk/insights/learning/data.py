"""Deals as arrays: categorical values as integer codes, numbers as floats with NaN for missing."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

CATEGORICAL = "categorical"
NUMERIC = "numeric"

MISSING = 0  # code of an empty cell
OTHER = 1  # code of a value unseen in training, or too rare to keep its own level
MAX_LEVELS = 200  # the most frequent values of a feature keep their own code
MIN_OBSERVED = 10  # deals on which a feature must be known to be used


@dataclass(frozen=True)
class Feature:
    name: str
    kind: str  # CATEGORICAL or NUMERIC
    label: str = ""  # how the explanations name it; the name when empty

    @property
    def title(self) -> str:
        return self.label or self.name


@dataclass
class Dataset:
    """Deals with their features; `outcomes` is 1 for won, 0 for lost (None when unknown)."""

    features: list[Feature]
    rows: list[dict[str, Any]]
    outcomes: list[int] | None = None
    groups: list[str] | None = None  # the team of each deal: the naive-Bayes model pools by it

    def __len__(self) -> int:
        return len(self.rows)

    def subset(self, indices) -> Dataset:
        return Dataset(
            features=self.features,
            rows=[self.rows[i] for i in indices],
            outcomes=None if self.outcomes is None else [self.outcomes[i] for i in indices],
            groups=None if self.groups is None else [self.groups[i] for i in indices])


@dataclass
class Table:
    """The encoded form every estimator reads."""

    codes: Any  # int32 array (n, categorical features)
    numbers: Any  # float64 array (n, numeric features), NaN when missing
    groups: Any  # int array (n,) of group codes, 0 = unknown group
    widths: list[int] = field(default_factory=list)  # codes per categorical feature

    def __len__(self) -> int:
        return self.codes.shape[0]

    def take(self, indices) -> Table:
        return Table(self.codes[indices], self.numbers[indices], self.groups[indices],
                     self.widths)


@dataclass
class Encoder:
    """Learns each feature's levels from the training deals and turns any deals into a Table."""

    features: list[Feature]
    levels: dict[str, dict[str, int]] = field(default_factory=dict)
    group_levels: dict[str, int] = field(default_factory=dict)

    @property
    def categorical(self) -> list[Feature]:
        return [feature for feature in self.features if feature.kind == CATEGORICAL]

    @property
    def numeric(self) -> list[Feature]:
        return [feature for feature in self.features if feature.kind == NUMERIC]

    def fit(self, dataset: Dataset) -> Encoder:
        # A feature known on only a few deals cannot be learnt: it would only memorise them.
        observed = {feature.name: sum(1 for row in dataset.rows
                                      if category_value(row.get(feature.name)) is not None)
                    for feature in self.features}
        self.features = [feature for feature in self.features
                         if observed[feature.name] >= min(MIN_OBSERVED, len(dataset))]
        for feature in self.categorical:
            counts = Counter(category_value(row.get(feature.name)) for row in dataset.rows)
            counts.pop(None, None)
            kept = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MAX_LEVELS]
            self.levels[feature.name] = {value: code for code, (value, _count)
                                         in enumerate(kept, start=OTHER + 1)}
        for group in sorted(set(dataset.groups or [])):
            self.group_levels[group] = len(self.group_levels) + 1
        return self

    def transform(self, dataset: Dataset) -> Table:
        import numpy as np

        rows = dataset.rows
        codes = np.zeros((len(rows), len(self.categorical)), dtype=np.int32)
        for column, feature in enumerate(self.categorical):
            levels, name = self.levels[feature.name], feature.name
            codes[:, column] = [_code(levels, row.get(name)) for row in rows]
        numbers = np.full((len(rows), len(self.numeric)), np.nan)
        for column, feature in enumerate(self.numeric):
            numbers[:, column] = [number_value(row.get(feature.name)) for row in rows]
        groups = np.array([self.group_levels.get(group, 0) for group in dataset.groups],
                          dtype=np.int32) if dataset.groups else np.zeros(len(rows), np.int32)
        widths = [len(self.levels[feature.name]) + OTHER + 1 for feature in self.categorical]
        return Table(codes, numbers, groups, widths)

    def describe(self, feature: Feature, row: dict[str, Any]) -> str | None:
        """The value a factor talks about, as the deal has it (None when missing)."""
        value = row.get(feature.name)
        if feature.kind == NUMERIC:
            number = number_value(value)
            return None if math.isnan(number) else f"{number:g}"
        return category_value(value)


def category_value(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _code(levels: dict[str, int], value: Any) -> int:
    text = category_value(value)
    if text is None:
        return MISSING
    return levels.get(text, OTHER)


def number_value(value: Any) -> float:
    if value is None or value == "":
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan
