"""Background jobs of the insights app: the CRM history import."""

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
