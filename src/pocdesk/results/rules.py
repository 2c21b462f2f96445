"""What may be written on a POC's results, retrospective and costs, by status.

Results and the retrospective are written while the POC runs, is paused or is being
evaluated, and freeze when it closes. Cost lines stay open after closing (the last invoices
arrive then), except for a POC walked away from, which never ran. The ROI sheet is part of the
final report sent to the customer: it may be written until the POC is over, then it freezes. The services refuse
on these rules; pages and the API ask the same question before offering a change.
"""

from __future__ import annotations

from pocdesk.pocs.lifecycle import is_open
from pocdesk.pocs.models import Status

RESULT_STATUSES = (Status.RUNNING, Status.PAUSED, Status.EVALUATING)


def results_editable(poc) -> bool:
    """The results and the retrospective may be written (running, paused or evaluating)."""
    return poc.status in RESULT_STATUSES


def costs_editable(poc) -> bool:
    """Cost lines may be written: any status but walked away."""
    return poc.status != Status.WALKED_AWAY


def roi_editable(poc) -> bool:
    """The ROI sheet's risks may be written: until the POC is closed or walked away from."""
    return is_open(poc)
