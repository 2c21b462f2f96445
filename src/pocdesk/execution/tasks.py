"""Background jobs of the execution app: the series import."""

from __future__ import annotations

from celery import shared_task

from pocdesk.core.jobs import enqueue


@shared_task(name="pocdesk.execution.run_series_import", acks_late=True)
def run_series_import(import_id: int) -> None:
    from .series import series_import_run

    series_import_run(import_id)


def enqueue_series_import(import_id: int) -> None:
    """Run the import job for `import_id` (call it once the import's row is committed)."""
    from .series import series_import_run

    enqueue(run_series_import, series_import_run, import_id, name="series-import")
