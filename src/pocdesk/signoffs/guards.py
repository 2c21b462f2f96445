"""qualified → agreed needs the latest criteria and agreement versions signed by both sides."""

from django.utils.translation import gettext as _

from pocdesk.pocs.lifecycle import transition_guard
from pocdesk.pocs.models import Status

from .models import DocumentKind
from .selectors import plan_state


@transition_guard(Status.QUALIFIED, Status.AGREED)
def plan_signed(*, poc, to, actor, reason):
    unmet = []
    for kind, state in plan_state(poc=poc).items():
        if state.signed:
            continue
        document = DocumentKind(kind).label if kind in DocumentKind.values else kind
        values = {"document": document}
        if state.latest is None:
            message = _("%(document)s: no version has been submitted for signature yet.")
        elif state.verification and not state.verification.valid:
            message = _("%(document)s: the signed version does not verify.")
        elif state.latest.status == "signed":
            message = _("%(document)s changed after version %(number)d was signed: submit the "
                        "new version and have both sides sign it.")
            values["number"] = state.latest.number
        else:
            message = _("%(document)s version %(number)d still awaits signatures (%(sides)s).")
            values["number"] = state.latest.number
            labels = {"vendor": _("vendor"), "customer": _("customer")}
            values["sides"] = ", ".join(labels.get(s, s) for s in state.awaiting_sides) or "—"
            if state.draft_changed:
                message = _("%(document)s: the draft changed after version %(number)d was "
                            "submitted: submit it again and have both sides sign it.")
        unmet.append({"code": f"{kind}_signed", "message": message % values})
    return unmet
