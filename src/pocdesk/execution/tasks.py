"""Background jobs of the execution app: the series import.

With a broker, the job goes to a Celery worker. Without one (CELERY_TASK_ALWAYS_EAGER), it runs
inline, or, when POCDESK_THREADED_JOBS is set (the development server), in a thread of its own
so that the page can show its progress while it runs.
"""

from __future__ import annotations

import threading

from celery import shared_task
from django.conf import settings
from django.db import connections


@shared_task(name="pocdesk.execution.run_series_import", acks_late=True)
def run_series_import(import_id: int) -> None:
    from .series import series_import_run

    series_import_run(import_id)


def _run_in_thread(import_id: int) -> None:
    from .series import series_import_run

    try:
        series_import_run(import_id)
    finally:
        connections.close_all()  # the thread's own connections; nobody else will close them


def enqueue_series_import(import_id: int) -> None:
    """Run the import job for `import_id` (call it once the import's row is committed)."""
    if settings.CELERY_TASK_ALWAYS_EAGER and getattr(settings, "POCDESK_THREADED_JOBS", False):
        threading.Thread(target=_run_in_thread, args=(import_id,), daemon=True,
                         name=f"series-import-{import_id}").start()
    else:
        run_series_import.delay(import_id)
