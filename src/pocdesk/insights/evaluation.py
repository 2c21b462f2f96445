"""Evaluating the win model on a source's closed deals (§10): services, the job, selectors.

The figures come from `learning.evaluate`: repeated stratified cross-validation, the model
against the win rate and a one-hot logistic regression. A run takes seconds to a minute, so
the page queues it and follows its progress; the command line runs it in-process.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import ApplicationError, NotFound, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm

from .history_selectors import WAITING
from .learning.data import Dataset, Feature
from .models import DealOutcome, HistoricalDeal, HistorySource, ImportStatus, ModelEvaluation
from .tasks import enqueue_model_evaluation

logger = logging.getLogger(__name__)

register_event_verbs({
    "model.evaluation_started": gettext_lazy("Win model evaluation started on %(source)s"),
})

STALE_AFTER = datetime.timedelta(minutes=30)
FOLDS = (2, 10)
REPEATS = (1, 10)


def features_of(mapping: dict) -> list[Feature]:
    """The model's features from a source's saved mapping (the leaked columns are not in it)."""
    features = mapping.get("features") or []
    return [Feature(item["name"], item["kind"]) for item in features]


def dataset_from_records(records, features: list[Feature], *, closed: bool = True) -> Dataset:
    """Closed deals (or the open ones) of a read file or of the database as a Dataset."""
    chosen = [record for record in records
              if (record.outcome != DealOutcome.OPEN) == closed]
    return Dataset(features, [record.attributes for record in chosen],
                   [int(record.outcome == DealOutcome.WON) for record in chosen] if closed
                   else None)


def source_dataset(source: HistorySource, *, closed: bool = True) -> Dataset:
    """One query: the source's closed (or open) deals with their attributes."""
    deals = HistoricalDeal.objects.filter(source=source)
    deals = (deals.exclude(outcome=DealOutcome.OPEN) if closed
             else deals.filter(outcome=DealOutcome.OPEN))
    return dataset_from_records(deals.order_by("row_number").only("outcome", "attributes"),
                                features_of(source.mapping), closed=closed)


def check_evaluable(dataset: Dataset, *, folds: int, repeats: int) -> None:
    errors = {}
    if not FOLDS[0] <= folds <= FOLDS[1]:
        errors["folds"] = [_("Choose between %(low)s and %(high)s folds.")
                           % {"low": FOLDS[0], "high": FOLDS[1]}]
    if not REPEATS[0] <= repeats <= REPEATS[1]:
        errors["repeats"] = [_("Choose between %(low)s and %(high)s repeats.")
                             % {"low": REPEATS[0], "high": REPEATS[1]}]
    if errors:
        raise ValidationFailed(errors)
    if not dataset.features:
        raise ApplicationError("no_features", _(
            "The mapping keeps no column as a feature: there is nothing to learn from."))
    won = sum(dataset.outcomes or [])
    lost = len(dataset) - won
    if min(won, lost) < folds:
        raise ApplicationError("not_enough_deals", _(
            "Evaluating with %(folds)s folds needs at least %(folds)s won and %(folds)s lost "
            "deals; there are %(won)s won and %(lost)s lost.")
            % {"folds": folds, "won": won, "lost": lost})


def evaluate_dataset(dataset: Dataset, *, folds: int = 5, repeats: int = 3,
                     progress=None) -> dict:
    from .learning.evaluate import evaluate

    check_evaluable(dataset, folds=folds, repeats=repeats)
    return evaluate(dataset, folds=folds, repeats=repeats, progress=progress)


def model_evaluation_start(*, actor, source: HistorySource, folds: int = 5,
                           repeats: int = 3) -> ModelEvaluation:
    require_perm(actor, "pocdesk.view_team_object", source)
    check_evaluable(source_dataset(source), folds=folds, repeats=repeats)
    if in_progress(latest_evaluation(source)):
        raise ApplicationError("evaluation_running", _(
            "An evaluation of this source is already running: wait for its figures."),
            status=409)
    with transaction.atomic():
        evaluation = ModelEvaluation.objects.create(
            source=source, folds=folds, repeats=repeats, created_by=actor,
            steps_total=folds * repeats)
        event_record(actor=actor, verb="model.evaluation_started", target=evaluation,
                     team=source.team, data={"source": source.name})
        transaction.on_commit(lambda: enqueue_model_evaluation(evaluation.pk))
    return evaluation


def model_evaluation_run(evaluation_id: int) -> ModelEvaluation | None:
    """The job: runs a queued evaluation once (a second delivery finds it claimed)."""
    claimed = ModelEvaluation.objects.filter(pk=evaluation_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING)
    evaluation = (ModelEvaluation.objects.filter(pk=evaluation_id)
                  .select_related("source", "created_by__profile").first())
    if not claimed or evaluation is None:
        return evaluation

    def progress(done: int, total: int) -> None:
        ModelEvaluation.objects.filter(pk=evaluation_id).update(steps_done=done,
                                                                steps_total=total)

    profile = getattr(evaluation.created_by, "profile", None)
    with translation.override(getattr(profile, "language", None) or translation.get_language()):
        try:
            result = evaluate_dataset(source_dataset(evaluation.source), folds=evaluation.folds,
                                      repeats=evaluation.repeats, progress=progress)
        except ApplicationError as error:
            evaluation.status, evaluation.message = ImportStatus.REJECTED, error.message
        except Exception:
            logger.exception("Model evaluation %s failed", evaluation_id)
            evaluation.status = ImportStatus.REJECTED
            evaluation.message = _("The evaluation stopped on an unexpected error. Try again.")
        else:
            evaluation.status, evaluation.result = ImportStatus.DONE, result
            evaluation.steps_done = evaluation.steps_total
    evaluation.finished_at = timezone.now()
    evaluation.save(update_fields=["status", "result", "message", "steps_done", "finished_at"])
    return evaluation


def latest_evaluation(source: HistorySource) -> ModelEvaluation | None:
    return source.evaluations.first()


def in_progress(evaluation: ModelEvaluation | None) -> bool:
    """Queued or running, and recently: a run whose worker died does not block the next one."""
    return (evaluation is not None and evaluation.status in WAITING
            and evaluation.created_at > timezone.now() - STALE_AFTER)


def evaluation_get(*, source: HistorySource, evaluation_id: int) -> ModelEvaluation:
    evaluation = source.evaluations.filter(pk=evaluation_id).first()
    if evaluation is None:
        raise NotFound()
    return evaluation

