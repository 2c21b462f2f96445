"""The qualification gate's success-criteria check (§4.1): no POC without written criteria."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from pocdesk.qualification.gate import FAILED, PASSED, gate_check


@gate_check("success_criteria", weight=10)
def success_criteria(context):
    counts = context.poc.criteria.aggregate(total=Count("id"), must=Count("id", filter=Q(
        must_have=True))) if context.poc.pk else {"total": 0, "must": 0}
    if not counts["total"]:
        return FAILED, _("No success criteria drafted: write the measurable criteria that will "
                         "decide the purchase."), "criteria"
    return PASSED, _("%(count)d success criteria drafted, %(must)d of them must-have.") % {
        "count": counts["total"], "must": counts["must"]}, ""
