"""draft → qualified is guarded by the gate's mandatory checks, unless a manager overrode it."""

from pocdesk.pocs.lifecycle import transition_guard
from pocdesk.pocs.models import Status

from .models import QualificationOverride


@transition_guard(Status.DRAFT, Status.QUALIFIED)
def qualification_gate(*, poc, to, actor, reason):
    from .selectors import qualification_evaluate

    if QualificationOverride.objects.filter(poc=poc).exists():
        return []
    result = qualification_evaluate(poc=poc)
    return [{"code": check.code, "message": check.message} for check in result.unmet_mandatory]
