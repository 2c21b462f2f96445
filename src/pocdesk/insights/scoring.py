"""Scoring open deals (§10): train on closed deals, judge on the team's, explain each score.

Two kinds of open deals, two models that never mix features they do not share:
- pocdesk's open opportunities: a model trained on every closed opportunity of the company,
  described by pocdesk's own features (`features.py`). Each deal carries its team, so the
  naive-Bayes model counts per team with fallback to all teams and the other estimators see the
  team as a feature; the estimator is chosen on the team's own deals
  (`learning.choose.train(focus=...)`). While the company has too few closed opportunities to
  learn from, the team's imported history gives the base rate.
- a history source's open deals: a model trained on that source's closed deals, with the
  attributes its mapping keeps.
Scores are stored with their factors as numbers: the words are written when they are read, in
the reader's language. A manual override survives every recomputation.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import clean_values
from pocdesk.opportunities.models import CLOSED_STAGES, Opportunity, Stage
from pocdesk.people.models import Team
from pocdesk.people.selectors import user_label

from .learning.choose import sufficiency
from .learning.data import CATEGORICAL, Dataset, Feature
from .learning.explain import factor_message
from .models import DealOutcome, HistoricalDeal, HistorySource, WinScore

logger = logging.getLogger(__name__)

TEAM = "team"
ESTIMATORS = {
    "naive_bayes": gettext_lazy("naive Bayes"),
    "logistic": gettext_lazy("logistic regression"),
    "boosting": gettext_lazy("gradient-boosted trees"),
    "base_rate": gettext_lazy("win rate only"),
}

register_event_verbs({
    "score.overridden": gettext_lazy("Win probability set by hand to %(probability)s %%"),
    "score.override_cleared": gettext_lazy("Win probability handed back to the model"),
})


def training_dataset() -> Dataset:
    """Every closed opportunity of the company, with the features known before the close."""
    from .features import OPPORTUNITY_FEATURES, opportunity_features

    closed = list(Opportunity.objects.filter(stage__in=CLOSED_STAGES)
                  .select_related("team").order_by("pk"))
    values = opportunity_features(closed)
    rows, outcomes, groups = [], [], []
    for opportunity in closed:
        rows.append(dict(values.get(opportunity.pk, {}), **{TEAM: opportunity.team.slug}))
        outcomes.append(int(opportunity.stage == Stage.CLOSED_WON))
        groups.append(opportunity.team.slug)
    features = list(OPPORTUNITY_FEATURES)
    if len(set(groups)) > 1:
        features.append(Feature(TEAM, CATEGORICAL, gettext_lazy("Team")))
    return Dataset(features, rows, outcomes, groups)


def _history_base_rate(model, team: Team, own_outcomes: list[int]) -> None:
    """Too few closed opportunities: the team's imported history gives the win rate."""
    from .learning.estimators import BaseRate

    counts = (HistoricalDeal.objects.filter(source__team=team)
              .exclude(outcome=DealOutcome.OPEN).values_list("outcome", flat=True))
    outcomes = [int(outcome == DealOutcome.WON) for outcome in counts]
    if outcomes:
        import numpy as np

        model.estimator = BaseRate().fit(None, np.array(outcomes + own_outcomes))
        model.closed += len(outcomes)


def scores_refresh(*, actor, opportunity: Opportunity) -> dict:
    """On demand: a member of the team recomputes its scores now."""
    require_perm(actor, "pocdesk.view_team_object", opportunity)
    if not opportunity.is_active:
        raise closed_refusal()
    return scores_recompute(team=opportunity.team)


def scores_recompute(*, team: Team, dataset: Dataset | None = None) -> dict:
    """Train for `team` and score its open opportunities."""
    from .features import opportunity_features
    from .learning.choose import train

    dataset = dataset if dataset is not None else training_dataset()
    model = train(dataset, focus=team.slug)
    if model.key == "base_rate":
        _history_base_rate(model, team, list(dataset.outcomes or []))
    team_deals = sum(1 for group in (dataset.groups or []) if group == team.slug)
    open_opportunities = list(Opportunity.objects.filter(team=team)
                              .exclude(stage__in=CLOSED_STAGES).order_by("pk"))
    values = opportunity_features(open_opportunities)
    rows = [dict(values.get(opportunity.pk, {}), **{TEAM: team.slug})
            for opportunity in open_opportunities]
    scored = _score(model, Dataset(dataset.features, rows, None, [team.slug] * len(rows)))
    common = {"estimator": model.key, "data_sufficiency": sufficiency(team_deals),
              "trained_on": model.closed, "team_deals": team_deals,
              "computed_at": timezone.now()}
    # An upsert: a score computed meanwhile by another job is overwritten, not a conflict, and
    # the override fields are left as they are.
    WinScore.objects.bulk_create(
        [WinScore(opportunity=opportunity, probability=probability, factors=factors, **common)
         for opportunity, (probability, factors) in zip(open_opportunities, scored,
                                                        strict=True)],
        batch_size=1_000, update_conflicts=True, unique_fields=["opportunity"],
        update_fields=["probability", "factors", *common])
    return {"estimator": model.key, "opportunities": len(open_opportunities),
            "trained_on": model.closed, "team_deals": team_deals, "candidates": model.scores}


def _score(model, dataset: Dataset) -> list[tuple[float, list[dict]]]:
    """(probability, factors as numbers) of each deal."""
    probabilities, factors = model.score(dataset, words=False)
    return [(round(float(probability), 4), deal_factors)
            for probability, deal_factors in zip(probabilities, factors, strict=True)]


def source_scores_recompute(*, source: HistorySource) -> int:
    """Train on the source's closed deals and score its open ones; the number scored."""
    from .evaluation import source_dataset
    from .learning.choose import train

    closed = source_dataset(source)
    deals = list(HistoricalDeal.objects.filter(source=source, outcome=DealOutcome.OPEN)
                 .only("pk", "attributes").order_by("pk"))
    if not deals or not closed.features:
        return 0
    scored = _score(train(closed), Dataset(closed.features,
                                           [deal.attributes or {} for deal in deals]))
    for deal, (probability, factors) in zip(deals, scored, strict=True):
        deal.probability, deal.factors = probability, factors
    HistoricalDeal.objects.bulk_update(deals, ["probability", "factors"], batch_size=2_000)
    return len(deals)


def scores_recompute_all() -> dict[str, dict]:
    """Every team with an open opportunity or a source on one training set, and every
    source's open deals."""
    dataset = training_dataset()
    teams = Team.objects.filter(pk__in=Opportunity.objects.exclude(
        stage__in=CLOSED_STAGES).values("team")) | Team.objects.filter(
        pk__in=HistorySource.objects.values("team"))
    summary = {team.slug: scores_recompute(team=team, dataset=dataset)
               for team in teams.distinct().order_by("pk")}
    for source in HistorySource.objects.select_related("team").order_by("pk"):
        summary[source.team.slug]["deals"] = (summary[source.team.slug].get("deals", 0)
                                              + source_scores_recompute(source=source))
    return summary


def scores_job(team_id: int) -> None:
    """The background recomputation of a team's scores."""
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        return
    try:
        scores_recompute(team=team)
    except Exception:  # a failed recomputation leaves the previous scores in place
        logger.exception("Win scores of team %s could not be recomputed", team_id)


def source_scores_job(source_id: int) -> None:
    """After an import: the source's open deals, then its team (whose win rate it may give)."""
    source = HistorySource.objects.select_related("team").filter(pk=source_id).first()
    if source is None:
        return
    try:
        source_scores_recompute(source=source)
    except Exception:
        logger.exception("Win scores of source %s could not be recomputed", source_id)
    scores_job(source.team_id)


def enqueue_scores_recompute(team_id: int) -> None:
    """Recompute a team's scores in the background once the current transaction commits."""
    from .tasks import enqueue_scores_job

    transaction.on_commit(lambda: enqueue_scores_job(team_id))


def enqueue_source_scores(source_id: int) -> None:
    """Score a source's open deals (and its team's) once the current transaction commits."""
    from .tasks import enqueue_source_scores_job

    transaction.on_commit(lambda: enqueue_source_scores_job(source_id))


# Reading ------------------------------------------------------------------------------------

def feature_label(name: str) -> str:
    from .features import OPPORTUNITY_FEATURES

    labels = {feature.name: feature.title for feature in OPPORTUNITY_FEATURES}
    labels[TEAM] = _("Team")
    return str(labels.get(name, name))


def factors_in_words(factors: list[dict]) -> list[dict]:
    """Stored factors with their label and sentence in the active language."""
    from .features import AMOUNT_FEATURES, deal_size_currency, describe_value

    currency = (deal_size_currency() if any(factor["feature"] in AMOUNT_FEATURES
                                            for factor in factors) else None)
    described = []
    for factor in factors:
        label = feature_label(factor["feature"])
        value = factor.get("value")
        text = None if value is None else str(describe_value(factor["feature"], value,
                                                             currency=currency))
        described.append(dict(factor, label=label, value_text=text,
                              message=factor_message(label, text, factor["weight"])))
    return described


def score_data(score: WinScore | None) -> dict | None:
    """What the API and the page show of a score."""
    if score is None:
        return None
    return {
        "probability": round(score.effective_probability, 4),
        "percent": round(score.effective_probability * 100),
        "model_probability": score.probability,
        "model_percent": round(score.probability * 100),
        "data_sufficiency_label": score.get_data_sufficiency_display(),
        "estimator_label": str(ESTIMATORS.get(score.estimator, score.estimator)),
        "estimator": score.estimator,
        "data_sufficiency": score.data_sufficiency,
        "trained_on": score.trained_on,
        "team_deals": score.team_deals,
        "computed_at": score.computed_at,
        "factors": factors_in_words(score.factors),
        "overridden": score.overridden,
        "override": {"probability": score.override_probability,
                     "reason": score.override_reason,
                     "by": user_label(score.overridden_by) if score.overridden_by else "",
                     "at": score.overridden_at} if score.overridden else None,
    }


def stored_score(*, opportunity: Opportunity) -> WinScore | None:
    return WinScore.objects.select_related("overridden_by__profile").filter(
        opportunity=opportunity).first()


def score_get(*, opportunity: Opportunity) -> WinScore | None:
    """The opportunity's score; a first request on an open deal computes its team's scores."""
    score = stored_score(opportunity=opportunity)
    if score is None and opportunity.is_active:
        scores_recompute(team=opportunity.team)
        score = stored_score(opportunity=opportunity)
    return score


def closed_refusal() -> ApplicationError:
    return ApplicationError("opportunity_closed", _(
        "This opportunity is closed: its outcome is known, there is nothing to score."),
        status=409)


# Overrides ----------------------------------------------------------------------------------

@transaction.atomic
def score_override(*, actor, opportunity: Opportunity, probability, reason: str) -> WinScore:
    """The engineer or manager knows better: the probability planning uses, with why."""
    require_perm(actor, "pocdesk.edit_poc", opportunity)
    errors: dict[str, list[str]] = {}
    values = clean_values(WinScore(), {"override_probability": probability,
                                       "override_reason": (reason or "").strip()}, errors)
    for name in ("override_probability", "override_reason"):
        if name not in errors and values.get(name) in (None, ""):
            errors[name] = [_("This field is required.")]
    if errors:
        raise ValidationFailed(errors)
    score = score_get(opportunity=opportunity)
    if score is None:
        raise closed_refusal()
    score = WinScore.objects.select_for_update().get(pk=score.pk)
    score.override_probability = values["override_probability"]
    score.override_reason = values["override_reason"]
    score.overridden_by, score.overridden_at = actor, timezone.now()
    score.save(update_fields=["override_probability", "override_reason", "overridden_by",
                              "overridden_at"])
    event_record(actor=actor, verb="score.overridden", target=opportunity,
                 team=opportunity.team,
                 data={"probability": score.override_probability,
                       "reason": score.override_reason,
                       "model_probability": round(score.probability * 100)})
    return score


@transaction.atomic
def score_override_clear(*, actor, opportunity: Opportunity) -> WinScore | None:
    require_perm(actor, "pocdesk.edit_poc", opportunity)
    score = WinScore.objects.select_for_update().filter(opportunity=opportunity).first()
    if score is None or not score.overridden:
        return score
    score.override_probability, score.override_reason = None, ""
    score.overridden_by = score.overridden_at = None
    score.save(update_fields=["override_probability", "override_reason", "overridden_by",
                              "overridden_at"])
    event_record(actor=actor, verb="score.override_cleared", target=opportunity,
                 team=opportunity.team)
    return score
