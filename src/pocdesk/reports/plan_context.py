"""What the two plan documents say, as one context for the PDF and the DOCX templates.

Everything here is computed inside `translation.override(poc.language)`: labels are already
translated and values already formatted, so one template serves every language. The content
comes from a frozen version (or the live draft) — never from the live models — so a signed
version's document shows exactly what was signed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pocdesk.signoffs.models import SignatureMethod, SignatureSide, VersionStatus
from pocdesk.signoffs.registry import plan_document
from pocdesk.signoffs.selectors import version_verify

from .formatting import date_text, datetime_text, decimal_or_none, money_text, target_text

HASH_SHOWN = 8


def _choice(labels: dict, value: Any) -> str:
    return str(labels.get(value, value or ""))


def document_labels() -> dict[str, str]:
    """Every fixed word of both documents, in the current language."""
    return {
        # Translators: what follows a label, as in "Owner: Vendor" (":" in English, " :" in
        # French, "：" in Chinese).
        "colon": _(":"),
        "customer": _("Customer"),
        "opportunity": _("Opportunity"),
        "poc": _("POC"),
        "reference": _("Reference"),
        "version": _("Version"),
        "status": _("Status"),
        "generated": _("Generated"),
        "page": _("Page"),
        "not_specified": _("Not specified"),
        "objective": _("Objective"),
        "success_criteria": _("Success criteria"),
        "criterion": _("Criterion"),
        "question": _("Question"),
        "metric": _("Metric"),
        "target": _("Target"),
        "aggregation": _("Aggregation"),
        "frequency": _("Frequency"),
        "conditions": _("Test conditions"),
        "method": _("Measurement method"),
        "owner": _("Owner"),
        "importance": _("Importance"),
        "must_have": _("Must-have"),
        "must_have_note": _("Must-have criteria decide the outcome: if one fails, the POC "
                            "fails; if all pass, the customer proceeds to the purchase decision "
                            "as agreed."),
        "no_criteria": _("No success criterion has been written yet."),
        "yes": _("yes"),
        "no": _("no"),
        "scope": _("Scope"),
        "scope_included": _("Included"),
        "scope_excluded": _("Excluded"),
        "timeframe": _("Timeframe"),
        "start": _("Start"),
        "end": _("End"),
        "duration": _("Duration"),
        "checkpoints": _("Checkpoints"),
        "resources": _("Resources the customer provides"),
        "resource_kind": _("Kind"),
        "description": _("Description"),
        "due_date": _("Due date"),
        "no_resources": _("No customer resource is listed."),
        "cost_sharing": _("Cost sharing"),
        "category": _("Category"),
        "paid_by": _("Paid by"),
        "amount": _("Amount"),
        "total": _("Total"),
        "no_costs": _("No cost line is listed."),
        "ip": _("Intellectual property"),
        "confidentiality": _("Confidentiality"),
        "nda_reference": _("NDA reference"),
        "follow_on": _("Follow-on order"),
        "exit": _("Exit clause"),
        "data_handling": _("Data handling"),
        "signoff": _("Sign-off"),
        "vendor": _("Vendor"),
        "signatory": pgettext("signatory", "Name"),
        "signatory_title": pgettext("signatory", "Title"),
        "date": pgettext("signatory", "Date"),
        "signature_method": pgettext("signatory", "Method"),
        "signature": pgettext("signatory", "Signature"),
        "content_hash": _("SHA-256 of the content"),
        "warning": _("Warning"),
    }


def document_header(*, poc, kind: str, version, draft_number: int | None,
                    fields: dict[str, Any]) -> dict[str, Any]:
    """Who, for whom, which document and which version: the first lines of every page."""
    titles = {"objective": _("POC Objective Document"), "agreement": _("POC Agreement")}
    if version is None:
        version_text = _("Draft of version %(number)d") % {"number": draft_number}
        status_text = _("Draft — not signed")
    else:
        version_text = _("Version %(number)d") % {"number": version.number}
        status_text = str(VersionStatus(version.status).label)
    return {
        "document_title": titles[kind],
        "company": poc.team.name,
        "customer": poc.opportunity.account.name,
        "opportunity": poc.opportunity.name,
        "poc_title": fields.get("title") or poc.title,
        "reference": f"POC-{poc.pk}",
        "version_text": version_text,
        "status_text": status_text,
        "is_draft": version is None,
        "draft_mark": _("Draft — not signed"),
        "generated": date_text(timezone.localdate()),
    }


def signature_parties(poc) -> dict[SignatureSide, str]:
    """Who signs for each side, vendor first: the team and the customer's account."""
    return {SignatureSide.VENDOR: poc.team.name,
            SignatureSide.CUSTOMER: poc.opportunity.account.name}


def signoff_block(*, poc, version) -> dict[str, Any]:
    """Both signatories, the content hash and whether it still verifies.

    A draft, or a side that has not signed yet, gets empty lines to sign on paper.
    """
    parties = signature_parties(poc)
    methods = {SignatureMethod.IN_APP: _("signed in pocdesk"),
               SignatureMethod.SCAN: _("signed scan on file")}
    signatures = {s.side: s for s in version.signatures.all()} if version else {}
    sides = []
    for side in (SignatureSide.VENDOR, SignatureSide.CUSTOMER):
        signature = signatures.get(side)
        sides.append({
            "side": str(side.label), "party": parties[side], "signed": signature is not None,
            "name": signature.signer_name if signature else "",
            "title": signature.signer_title if signature else "",
            "date": datetime_text(signature.signed_at) if signature else "",
            "method": methods.get(signature.method, signature.method) if signature else "",
        })
    block: dict[str, Any] = {"sides": sides, "hash": "", "verified": None, "summary": "",
                             "problems": [], "warning": ""}
    if version is None:
        block["summary"] = _("This draft has not been submitted for signature. Only a submitted "
                             "version can be signed: its content is then frozen and hashed.")
        return block
    verification = version_verify(version)
    short = version.content_hash[:HASH_SHOWN] + "…"
    block.update(hash=version.content_hash, verified=verification.valid,
                 problems=verification.problems)
    if not verification.valid:
        block["warning"] = _("This document does not verify: what is shown is not what was "
                             "submitted or signed. Do not rely on it; ask the POC owner for the "
                             "signed original.")
        block["summary"] = _("Hash %(hash)s does not verify.") % {"hash": short}
    elif version.status == VersionStatus.SIGNED:
        block["summary"] = _("Signed by both sides, hash %(hash)s (verified).") % {"hash": short}
    elif version.status == VersionStatus.SUPERSEDED:
        block["summary"] = _("Superseded by a newer version before both sides signed; hash "
                             "%(hash)s (verified).") % {"hash": short}
    else:
        waiting = [side["side"].lower() for side in sides if not side["signed"]]
        block["summary"] = ngettext(
            "Awaiting the %(sides)s signature; hash %(hash)s (verified).",
            "Awaiting the %(sides)s signatures; hash %(hash)s (verified).",
            len(waiting)) % {"sides": _(" and ").join(waiting), "hash": short}
    return block


def objective_body(content: dict[str, Any]) -> dict[str, Any]:
    fields = content.get("fields", {})
    value_labels = plan_document("criteria").value_labels()
    criteria = []
    for number, item in enumerate(content.get("lists", {}).get("criteria", []), start=1):
        criteria.append({
            "number": number,
            "title": item.get("title") or "",
            "question": item.get("question") or "",
            "metric": item.get("metric") or "",
            "target": target_text(item),
            "numeric": item.get("comparator") != "pass_fail",
            "aggregation": _choice(value_labels["aggregation"], item.get("aggregation")),
            "frequency": item.get("frequency") or "",
            "conditions": item.get("test_conditions") or "",
            "method": item.get("measurement_method") or "",
            "owner": _choice(value_labels["owner_side"], item.get("owner_side")),
            "importance": str(item.get("importance") or ""),
            "must_have": bool(item.get("must_have")),
            "must_have_text": _("yes") if item.get("must_have") else _("no"),
        })
    must_have = sum(1 for criterion in criteria if criterion["must_have"])
    return {
        "signoff_number": 3,
        "objective": fields.get("objective") or "",
        "criteria": criteria,
        "criteria_summary": ngettext(
            "%(count)d criterion, %(must)d of them must-have.",
            "%(count)d criteria, %(must)d of them must-have.", len(criteria))
        % {"count": len(criteria), "must": must_have},
    }


def _cost_totals(cost_lines: list[dict[str, Any]], payers: dict) -> list[dict[str, str]]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    by_payer: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for line in cost_lines:
        amount = decimal_or_none(line.get("amount")) or Decimal(0)
        currency = line.get("currency") or ""
        totals[currency] += amount
        by_payer[currency][line.get("paid_by") or ""] += amount
    rows = []
    for currency in sorted(totals):
        split = [f"{_choice(payers, payer)} {money_text(amount, currency)}"
                 for payer, amount in by_payer[currency].items()]
        rows.append({"currency": currency, "amount": money_text(totals[currency], currency),
                     "split": " · ".join(split) if len(split) > 1 else ""})
    return rows


def agreement_body(content: dict[str, Any]) -> dict[str, Any]:
    fields = content.get("fields", {})
    lists = content.get("lists", {})
    value_labels = plan_document("agreement").value_labels()
    start, end = fields.get("start_date"), fields.get("end_date")
    duration = ""
    if start and end:
        days = (datetime.date.fromisoformat(end[:10]) - datetime.date.fromisoformat(start[:10])).days
        duration = ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
    cadence = int(fields.get("checkpoint_cadence_days") or 0)
    slip = int(fields.get("exit_slip_days") or 0)
    resources = [{"kind": _choice(value_labels["kind"], item.get("kind")),
                  "description": item.get("description") or "",
                  "due_date": date_text(item.get("due_date"))}
                 for item in lists.get("resources", [])]
    cost_items = lists.get("cost_lines", [])
    cost_lines = [{"category": _choice(value_labels["category"], item.get("category")),
                   "description": item.get("description") or "",
                   "paid_by": _choice(value_labels["paid_by"], item.get("paid_by")),
                   "amount": money_text(item.get("amount"), item.get("currency") or "")}
                  for item in cost_items]
    return {
        "signoff_number": 10,
        "scope_included": fields.get("scope_included") or "",
        "scope_excluded": fields.get("scope_excluded") or "",
        "start": date_text(start), "end": date_text(end), "duration": duration,
        "cadence": ngettext("A joint checkpoint every day.",
                            "A joint checkpoint every %(days)d days.", cadence)
        % {"days": cadence} if cadence else "",
        "resources": resources,
        "cost_lines": cost_lines,
        "cost_totals": _cost_totals(cost_items, value_labels["paid_by"]),
        "ip_ownership": fields.get("ip_ownership") or "",
        "confidentiality": fields.get("confidentiality") or "",
        "nda_reference": fields.get("nda_reference") or "",
        "follow_on_kind": _choice(value_labels["follow_on_kind"], fields.get("follow_on_kind")),
        "follow_on": fields.get("follow_on") or "",
        "exit_trigger": ngettext(
            "Applies when an agreed deadline slips by more than %(days)d day.",
            "Applies when an agreed deadline slips by more than %(days)d days.", slip)
        % {"days": slip} if slip else "",
        "exit_clause": fields.get("exit_clause") or "",
        "data_handling": fields.get("data_handling") or "",
    }
