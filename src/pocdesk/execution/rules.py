"""When execution records may be written, and what counts as evidence (§8.1, §8.2)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from pocdesk.core.errors import ApplicationError
from pocdesk.pocs.models import Status

# Readings, evidence and log entries belong to the run itself: before it starts there is nothing
# to measure, and once it is closed the results are history.
RECORDING_STATUSES = frozenset({Status.RUNNING, Status.PAUSED, Status.EVALUATING})

# Photos, video, reports, instrument exports; CSV files and logs sniff as plain text.
EVIDENCE_TYPES = {"png", "jpg", "gif", "webp", "mp4", "pdf", "xlsx", "txt"}
IMAGE_TYPES = {"png", "jpg", "gif", "webp"}

# A clock a few minutes ahead on the instrument or the phone is not a reading from the future.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


def is_recording(poc) -> bool:
    return poc.status in RECORDING_STATUSES


def require_recording(poc) -> None:
    """Refuse a write on the run's records unless the POC is running, paused or evaluating."""
    if not is_recording(poc):
        raise ApplicationError("not_running", _(
            "Readings, evidence and log entries are recorded while the POC is running, paused "
            "or being evaluated (this POC is %(status)s).")
            % {"status": Status(poc.status).label.lower() if poc.status in Status.values
               else poc.status}, status=409)
