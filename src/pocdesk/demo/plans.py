"""Helpers the stories use to write a POC's plan through the services (SPEC §5).

Success criteria are written before the POC is qualified (the gate's `success_criteria` check);
before qualified → agreed, the agreement is started from the team's template and filled in, and
both documents are submitted and signed: the story's engineer signs for the vendor in the app,
and the customer's executive sponsor signs a paper copy, which the engineer records with its
scan. Signatures carry the day of the story they belong to (`signed_at`), so their seals verify;
the version must have been submitted in an earlier `clock.on` block, since a signature cannot
be older than the version it signs.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pocdesk.agreements.models import Agreement
from pocdesk.agreements.services import agreement_save, customer_resource_status_set
from pocdesk.criteria.models import Criterion
from pocdesk.criteria.services import criterion_create
from pocdesk.pocs.models import POC
from pocdesk.signoffs.models import DocumentKind, PlanVersion
from pocdesk.signoffs.services import plan_version_submit, signoff_record
from pocdesk.stakeholders.models import Stakeholder

from .clock import StoryClock
from .story import day

BOTH_DOCUMENTS = (DocumentKind.CRITERIA, DocumentKind.AGREEMENT)


def measured(title: str, *, metric: str, unit: str, comparator: str, method: str,
             aggregation: str, target: str | None = None, tolerance: str | None = None,
             low: str | None = None, high: str | None = None, share: str | None = None,
             question: str = "", conditions: str = "", frequency: str = "",
             owner: str = "vendor", importance: int = 3, must_have: bool = False
             ) -> dict[str, Any]:
    """A criterion with a number to reach (≥, ≤, = ± tolerance, or between two bounds)."""
    return {
        "title": title, "question": question, "metric": metric, "unit": unit,
        "comparator": comparator, "target_value": _number(target),
        "tolerance": _number(tolerance), "target_min": _number(low), "target_max": _number(high),
        "required_share": _number(share), "test_conditions": conditions,
        "measurement_method": method, "frequency": frequency, "aggregation": aggregation,
        "owner_side": owner, "importance": importance, "must_have": must_have,
    }


def pass_fail(title: str, *, passes: str, method: str, aggregation: str = "latest",
              share: str | None = None, question: str = "", conditions: str = "",
              frequency: str = "", owner: str = "vendor", importance: int = 3,
              must_have: bool = False) -> dict[str, Any]:
    """A criterion judged by an explicit pass/fail test."""
    return {
        "title": title, "question": question, "comparator": "pass_fail",
        "pass_condition": passes, "required_share": _number(share),
        "test_conditions": conditions, "measurement_method": method, "frequency": frequency,
        "aggregation": aggregation, "owner_side": owner, "importance": importance,
        "must_have": must_have,
    }


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@dataclass(frozen=True)
class Resource:
    """Something the customer provides: due `due` days from today; `settled` = (status, days
    ago it was confirmed or waived), None while it is pending."""

    kind: str
    description: str
    due: int
    settled: tuple[str, int] | None = None


@dataclass(frozen=True)
class Cost:
    category: str
    description: str
    amount: str
    currency: str
    paid_by: str


@dataclass(frozen=True)
class AgreementPlan:
    """The agreement as the story's parties wrote it; dates are days from today."""

    start: int
    end: int
    clauses: dict[str, Any]
    resources: tuple[Resource, ...] = ()
    costs: tuple[Cost, ...] = field(default=())


def criteria_write(*, actor, poc: POC, specs: Iterable[dict[str, Any]]) -> list[Criterion]:
    return [criterion_create(actor=actor, poc=poc, **spec) for spec in specs]


def agreement_write(*, actor, poc: POC, plan: AgreementPlan) -> Agreement:
    """Start the agreement from the team's template and write the story's clauses and lists."""
    return agreement_save(
        actor=actor, poc=poc,
        clauses={**plan.clauses, "start_date": day(plan.start), "end_date": day(plan.end)},
        resources=[{"kind": r.kind, "description": r.description, "due_date": day(r.due)}
                   for r in plan.resources],
        cost_lines=[{"category": c.category, "description": c.description,
                     "amount": Decimal(c.amount), "currency": c.currency, "paid_by": c.paid_by}
                    for c in plan.costs])


def resources_settle(*, actor, poc: POC, plan: AgreementPlan, clock: StoryClock) -> None:
    """Mark the customer's resources ready or waived on the days they were (call it outside
    any `clock.on` block: each status change gets its own day)."""
    resources = list(Agreement.objects.get(poc=poc).resources.order_by("position"))
    for resource, planned in zip(resources, plan.resources, strict=True):
        if planned.settled is None:
            continue
        status, days_ago = planned.settled
        with clock.on(days_ago, hour=11):
            customer_resource_status_set(actor=actor, resource=resource, status=status)


def submit(*, actor, poc: POC, kinds: Sequence[str] = BOTH_DOCUMENTS) -> list[PlanVersion]:
    return [plan_version_submit(actor=actor, poc=poc, kind=kind) for kind in kinds]


def sign_for_vendor(*, actor, versions: Sequence[PlanVersion], title: str,
                    signed_at: datetime.datetime) -> None:
    """The engineer signs in the app."""
    for version in versions:
        signoff_record(actor=actor, version=version, side="vendor", method="in_app",
                       signer_title=title, signed_at=signed_at)


def sign_for_customer(*, actor, versions: Sequence[PlanVersion], signatory: Stakeholder,
                      signed_at: datetime.datetime) -> None:
    """The customer's signatory signed a paper copy; the engineer records its scan."""
    for version in versions:
        signoff_record(actor=actor, version=version, side="customer", method="scan",
                       stakeholder=signatory, scan=signed_scan(version, signed_at),
                       signed_at=signed_at)


def signed_scan(version: PlanVersion, signed_at: datetime.datetime) -> SimpleUploadedFile:
    """A one-page PDF standing for the scanned signature page of the paper copy."""
    poc = version.poc
    lines = [
        "POC plan - signature page",
        f"Document: {version.kind}, version {version.number}",
        f"POC #{poc.pk}: {_latin(poc.title) or '(title in the POC language)'}",
        f"Content SHA-256: {version.content_hash}",
        f"Signed for the customer on {signed_at.date().isoformat()}",
        "Signature and company stamp: ______________________",
    ]
    name = f"{version.kind}-v{version.number}-signed-scan.pdf"
    return SimpleUploadedFile(name, pdf_page(lines), content_type="application/pdf")


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii")


def _latin(text: str) -> str | None:
    """The text without its accents for the PDF's base font, or None for another script."""
    for typographic, plain in {"—": "-", "–": "-", "’": "'", "«": '"', "»": '"'}.items():
        text = text.replace(typographic, plain)
    decomposed = unicodedata.normalize("NFKD", text)
    if not all(ord(char) < 128 or unicodedata.combining(char) for char in decomposed):
        return None
    return decomposed.encode("ascii", "ignore").decode("ascii")


def pdf_page(lines: Sequence[str]) -> bytes:
    """A minimal valid PDF 1.4: one A4 page of Helvetica text lines (ASCII)."""

    def escape(text: str) -> str:
        return _ascii(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "BT /F1 11 Tf 56 780 Td 16 TL " + " ".join(
        f"({escape(line)}) Tj T*" for line in lines) + " ET"
    stream = text.encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)
