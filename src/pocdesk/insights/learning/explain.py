"""Factors in words: each feature's effect on this deal's probability, strongest first."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .estimators import sigmoid

NEGLIGIBLE = 0.005  # half a percentage point


def factors(model, row: dict, logit: float, parts, *, top: int = 3,
            words: bool = True) -> list[dict]:
    """Top positive then top negative factors: {"feature", "value", "direction", "weight"},
    with "label" and "message" when `words`; `weight` is the change in probability (0.12 =
    12 points) this value brings compared with not knowing it. Stored factors leave the words
    out: they are written when read, in the reader's language."""
    probability = float(sigmoid(logit))
    features = model.encoder.categorical + model.encoder.numeric
    effects = []
    for feature, part in zip(features, parts, strict=True):
        weight = probability - float(sigmoid(logit - part))
        if abs(weight) >= NEGLIGIBLE:
            effects.append((weight, feature))
    positive = sorted((item for item in effects if item[0] > 0), key=lambda item: -item[0])
    negative = sorted((item for item in effects if item[0] < 0), key=lambda item: item[0])
    chosen = []
    for weight, feature in positive[:top] + negative[:top]:
        value = model.encoder.describe(feature, row)
        factor = {"feature": feature.name, "value": value,
                  "direction": "positive" if weight > 0 else "negative",
                  "weight": round(weight, 4)}
        if words:
            factor.update(label=str(feature.title),
                          message=factor_message(str(feature.title), value, weight))
        chosen.append(factor)
    return chosen


def factor_message(label: str, value: str | None, weight: float) -> str:
    """"Industry is “Utilities”: raises the chance by 12 points", in the active language."""
    values = {"feature": label, "value": value, "points": f"{abs(weight) * 100:.0f}"}
    if value is None:
        message = (_("%(feature)s is not known: raises the chance by %(points)s points")
                   if weight > 0 else
                   _("%(feature)s is not known: lowers the chance by %(points)s points"))
    elif weight > 0:
        message = _("%(feature)s is “%(value)s”: raises the chance by %(points)s points")
    else:
        message = _("%(feature)s is “%(value)s”: lowers the chance by %(points)s points")
    return message % values
