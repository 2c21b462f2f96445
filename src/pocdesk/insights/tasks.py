"""Background jobs of the insights app: the CRM history import, the win scores and the
model evaluation."""

from __future__ import annotations

from celery import shared_task

from pocdesk.core.jobs import enqueue


@shared_task(name="pocdesk.insights.run_history_import", acks_late=True)
def history_import_task(import_id: int) -> None:
    from .history import history_import_run

    history_import_run(import_id)


def enqueue_history_import(import_id: int) -> None:
    """Run the import job for `import_id` (call it once the import's row is committed)."""
    from .history import history_import_run

    enqueue(history_import_task, history_import_run, import_id, name="history-import")


@shared_task(name="pocdesk.insights.recompute_scores", acks_late=True)
def scores_task(team_id: int) -> None:
    from .scoring import scores_job

    scores_job(team_id)


def enqueue_scores_job(team_id: int) -> None:
    from .scoring import scores_job

    enqueue(scores_task, scores_job, team_id, name="win-scores")


@shared_task(name="pocdesk.insights.recompute_source_scores", acks_late=True)
def source_scores_task(source_id: int) -> None:
    from .scoring import source_scores_job

    source_scores_job(source_id)


def enqueue_source_scores_job(source_id: int) -> None:
    from .scoring import source_scores_job

    enqueue(source_scores_task, source_scores_job, source_id, name="source-scores")


@shared_task(name="pocdesk.insights.run_model_evaluation", acks_late=True)
def model_evaluation_task(evaluation_id: int) -> None:
    from .evaluation import model_evaluation_run

    model_evaluation_run(evaluation_id)


def enqueue_model_evaluation(evaluation_id: int) -> None:
    from .evaluation import model_evaluation_run

    enqueue(model_evaluation_task, model_evaluation_run, evaluation_id,
            name="model-evaluation")
