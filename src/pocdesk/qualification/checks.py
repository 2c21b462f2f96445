"""The gate's checks and red flags (§4.1, §4.2), each explained in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pocdesk.opportunities.models import CompetitorPosition, PurchaseProcess
from pocdesk.stakeholders.models import StakeholderRole

from .gate import FAILED, PASSED, RedFlag, gate_check, red_flag

# --- mandatory by default -----------------------------------------------------------------


@gate_check("active_opportunity", weight=15)
def active_opportunity(context):
    opportunity = context.opportunity
    if not opportunity.is_active:
        return FAILED, _("The opportunity is closed: a POC needs an active sales opportunity."), "opportunity"
    if not opportunity.amount or opportunity.amount <= 0:
        return FAILED, _("The opportunity has no amount: enter the deal's value."), "opportunity"
    return PASSED, _("Active opportunity of %(amount)s %(currency)s, closing %(date)s.") % {
        "amount": f"{opportunity.amount:,.0f}", "currency": opportunity.currency,
        "date": opportunity.expected_close_date.isoformat()}, ""


@gate_check("purchase_process", weight=15)
def purchase_process(context):
    opportunity = context.opportunity
    if opportunity.purchase_process == PurchaseProcess.NONE:
        return FAILED, _("No documented purchasing process (RFP, RFQ, tender or written "
                         "purchase plan)."), "qualification"
    if not (opportunity.purchase_reference or opportunity.purchase_document_id):
        return FAILED, _("The purchasing process has no reference or document."), "qualification"
    return PASSED, _("Purchasing process documented: %(process)s %(reference)s.") % {
        "process": opportunity.get_purchase_process_display(),
        "reference": opportunity.purchase_reference}, ""


@gate_check("budget_confirmed", weight=20)
def budget_confirmed(context):
    opportunity = context.opportunity
    if not opportunity.budget_confirmed:
        return FAILED, _("The customer has not confirmed a budget."), "qualification"
    return PASSED, _("Budget confirmed by %(who)s.") % {
        "who": opportunity.budget_confirmed_by or _("the customer")}, ""


@gate_check("executive_sponsor", weight=20)
def executive_sponsor(context):
    sponsors = [s for s in context.customer_stakeholders
                if s.role == StakeholderRole.EXECUTIVE_SPONSOR]
    if not sponsors:
        return FAILED, _("No executive sponsor identified among the customer's stakeholders."), \
            "stakeholders"
    engaged = [s for s in sponsors if s.pk in context.engaged_ids]
    if not engaged:
        return FAILED, _("The executive sponsor (%(name)s) has not met or acknowledged the POC "
                         "yet.") % {"name": sponsors[0].name}, "engagement"
    return PASSED, _("Executive sponsor %(name)s is engaged.") % {"name": engaged[0].name}, ""


@gate_check("commitment_level", weight=10)
def commitment_level(context):
    level = context.poc.commitment_level
    if level < 1:
        return FAILED, _("No commitment from the customer: get at least a collaborative "
                         "agreement in writing."), "commitment"
    return PASSED, _("Commitment level %(label)s.") % {
        "label": context.poc.get_commitment_level_display()}, ""


# --- recommended by default ----------------------------------------------------------------


@gate_check("decision_date", weight=4)
def decision_date(context):
    if context.opportunity.decision_date is None:
        return FAILED, _("No decision date set."), "qualification"
    return PASSED, _("Decision expected on %(date)s.") % {
        "date": context.opportunity.decision_date.isoformat()}, ""


@gate_check("competitors_identified", weight=4)
def competitors_identified(context):
    if not context.competitors:
        return FAILED, _("No competitor identified."), "opportunity"
    return PASSED, _("Competitors identified: %(names)s.") % {
        "names": ", ".join(c.name for c in context.competitors)}, ""


@gate_check("nda_signed", weight=4)
def nda_signed(context):
    if not context.opportunity.nda_signed:
        return FAILED, _("No NDA signed."), "qualification"
    return PASSED, _("NDA signed."), ""


@gate_check("champion_identified", weight=4)
def champion_identified(context):
    champions = [s for s in context.customer_stakeholders if s.role == StakeholderRole.CHAMPION]
    if not champions:
        return FAILED, _("No champion identified at the customer."), "stakeholders"
    return PASSED, _("Champion: %(name)s.") % {"name": champions[0].name}, ""


@gate_check("multi_threaded", weight=4)
def multi_threaded(context):
    engaged = [s for s in context.customer_stakeholders if s.pk in context.engaged_ids]
    if len(engaged) < 2:
        return FAILED, _("Single-threaded: %(count)d customer contact engaged; engage more than "
                         "one.") % {"count": len(engaged)}, "engagement"
    return PASSED, _("%(count)d customer contacts engaged.") % {"count": len(engaged)}, ""


# --- red flags -------------------------------------------------------------------------------


@red_flag("no_budget")
def no_budget(context):
    if not context.opportunity.budget_confirmed:
        return RedFlag("no_budget", _("No confirmed budget."))
    return None


@red_flag("no_process")
def no_process(context):
    if context.opportunity.purchase_process == PurchaseProcess.NONE:
        return RedFlag("no_process", _("No documented purchasing process."))
    return None


@red_flag("no_executive_sponsor")
def no_executive_sponsor(context):
    if not any(s.role == StakeholderRole.EXECUTIVE_SPONSOR for s in context.customer_stakeholders):
        return RedFlag("no_executive_sponsor", _("No executive sponsor: nobody will carry the "
                                                 "decision."))
    return None


@red_flag("customer_evasive")
def customer_evasive(context):
    if context.opportunity.customer_evasive:
        return RedFlag("customer_evasive", _("The customer is evasive about budget or "
                                             "purchasing process."), penalty=15)
    return None


@red_flag("free_production_use")
def free_production_use(context):
    if context.opportunity.free_production_use:
        return RedFlag("free_production_use", _("The requested scope amounts to free production "
                                                "use."), penalty=15)
    return None


@red_flag("competitor_far_ahead")
def competitor_far_ahead(context):
    ahead = [c.name for c in context.competitors if c.position == CompetitorPosition.BEHIND]
    if ahead:
        return RedFlag("competitor_far_ahead", _("A competitor is ahead of us: %(names)s. We may "
                                                 "be POC fodder.") % {"names": ", ".join(ahead)},
                       penalty=10)
    return None


@red_flag("earlier_pocs_without_purchase")
def earlier_pocs_without_purchase(context):
    count = context.earlier_pocs_without_purchase
    if count >= context.policy.earlier_failed_pocs_limit:
        return RedFlag("earlier_pocs_without_purchase",
                       _("This account already ran %(count)d POC(s) with us that ended without a "
                         "purchase.") % {"count": count}, penalty=15)
    return None


@red_flag("evaluation_too_long")
def evaluation_too_long(context):
    days = context.open_days
    if days > context.policy.max_open_days:
        return RedFlag("evaluation_too_long",
                       _("The opportunity has been open for %(days)d days (team limit: %(limit)d).")
                       % {"days": days, "limit": context.policy.max_open_days}, penalty=10)
    return None


