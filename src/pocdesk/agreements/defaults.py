"""Built-in clause texts, used where a team has no template of its own in the POC's language."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import CLAUSE_FIELDS, AgreementTemplate, FollowOnKind

BUILT_IN_TEXTS = {
    "scope_included": _(
        "The POC covers only the use cases and modules listed in the success criteria, tested "
        "in the environment the customer provides."),
    "scope_excluded": _(
        "Anything not listed above, including custom development, integration with other "
        "systems and production use, is out of scope and handled as a change request."),
    "ip_ownership": _(
        "Each party keeps its pre-existing intellectual property. Configurations, scripts and "
        "results produced by the vendor during the POC remain the vendor's property; the "
        "customer's data and samples remain the customer's."),
    "confidentiality": _(
        "Both parties treat all information exchanged during the POC as confidential under the "
        "non-disclosure agreement referenced here."),
    "follow_on": _(
        "If the success criteria are met, the customer proceeds to purchase under the terms "
        "discussed, and gives the vendor priority in the purchasing process."),
    "exit_clause": _(
        "If an agreed deadline slips by more than the number of days stated here, either party "
        "may stop the POC, or both renegotiate its plan in writing."),
    "data_handling": _(
        "Customer data is used only for the POC, stored in the agreed environment, and deleted "
        "or returned within 30 days of the end of the POC."),
}


def default_clauses(*, team_id: int, language: str) -> dict[str, Any]:
    """The clause values a new agreement starts from: the team's template, else built-in."""
    template = AgreementTemplate.objects.filter(team_id=team_id, language=language).first()
    if template is not None:
        return {name: getattr(template, name) for name in CLAUSE_FIELDS}
    with translation.override(language):
        values: dict[str, Any] = {name: str(text) for name, text in BUILT_IN_TEXTS.items()}
    from pocdesk.timebox.policy import policy_for_team

    policy = policy_for_team(team_id)
    values.update({"follow_on_kind": FollowOnKind.PRIORITY,
                   "exit_slip_days": policy.exit_grace_days,
                   "checkpoint_cadence_days": policy.checkpoint_cadence_days})
    return values
