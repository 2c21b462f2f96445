"""Queueing a background job: a Celery worker with a broker, a thread or inline without one.

Without a broker (CELERY_TASK_ALWAYS_EAGER) a job runs inline, or, when POCDESK_THREADED_JOBS is
set (the development server), in a thread of its own so that its page can show the progress.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections


def enqueue(task, run: Callable[[int], object], object_id: int, *, name: str) -> None:
    """Run `run(object_id)` through the Celery `task` (call it once the row is committed)."""
    if settings.CELERY_TASK_ALWAYS_EAGER and getattr(settings, "POCDESK_THREADED_JOBS", False):
        threading.Thread(target=_run_in_thread, args=(run, object_id), daemon=True,
                         name=f"{name}-{object_id}").start()
    else:
        task.delay(object_id)


def _run_in_thread(run: Callable[[int], object], object_id: int) -> None:
    try:
        run(object_id)
    finally:
        connections.close_all()  # the thread's own connections; nobody else will close them
