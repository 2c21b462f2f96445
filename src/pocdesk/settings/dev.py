"""Local development and the demo: SQLite in ./var/, console e-mail, jobs in a thread."""

import os

from .base import *  # noqa: F403
from .base import STATIC_ROOT, VAR_DIR

DEBUG = os.environ.get("DEBUG", "1") == "1"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
POCDESK_ALLOW_DEMO = True

VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Without a broker, long jobs (a series import) run in a thread so the page can show progress.
POCDESK_THREADED_JOBS = True
