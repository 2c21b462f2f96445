"""The guard on evaluating → closed (§3): results recorded and complete, retrospective filled.

The checks live in `close_checks` so that the results page lists what is still missing with
the same words as the refusal.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from pocdesk.pocs.lifecycle import transition_guard
from pocdesk.pocs.models import Status

from .derive import derive_technical_result
from .models import CommercialResult, PocResult, Retrospective, TechnicalResult


def close_checks(poc, *, result: PocResult | None = None,
                 retrospective: Retrospective | None = None,
                 derived: str | None = None) -> list[dict[str, str]]:
    """Everything still missing before `poc` may close, as {"code", "message"} dicts.

    `result`, `retrospective` and `derived` may be passed when the caller has them already;
    otherwise they are read (at most six queries).
    """
    if result is None:
        result = PocResult.objects.filter(poc=poc).select_related("reason").first()
    if retrospective is None:
        retrospective = Retrospective.objects.filter(poc=poc).first()
    unmet: list[dict[str, str]] = []
    if derived is None:
        derived = derive_technical_result(poc).result
    if result is None or not result.technical_result:
        unmet.append({"code": "technical_result_required", "message": _(
            "Save the results to confirm the technical result (the criteria give “%(derived)s”)."
        ) % {"derived": _technical_label(derived)} if derived else _(
            "State the technical result.")})
    else:
        if (derived and result.technical_result != derived
                and not result.technical_override_reason.strip()):
            unmet.append({"code": "override_reason_required", "message": _(
                "The criteria give “%(derived)s”: say why the technical result differs.")
                % {"derived": _technical_label(derived)}})
        if not derived and not result.technical_override_reason.strip():
            unmet.append({"code": "override_reason_required", "message": _(
                "This POC has no success criteria: say on what the technical result rests.")})
    if result is None or not result.commercial_result:
        unmet.append({"code": "commercial_result_required",
                      "message": _("State the commercial result.")})
    else:
        if result.commercial_result != CommercialResult.WON and result.reason_id is None:
            unmet.append({"code": "result_reason_required",
                          "message": _("Choose the reason for this result.")})
        if result.commercial_result == CommercialResult.WON and result.order_value is None:
            unmet.append({"code": "order_value_required",
                          "message": _("Enter the value of the order won.")})
    if retrospective is None or retrospective.submitted_at is None:
        unmet.append({"code": "retrospective_required",
                      "message": _("Fill in and submit the retrospective.")})
    return unmet


def _technical_label(value: str) -> str:
    return str(TechnicalResult(value).label)


@transition_guard(Status.EVALUATING, Status.CLOSED)
def _results_and_retrospective(*, poc, to, actor, reason) -> list[dict[str, str]]:
    return close_checks(poc)
