"""What the plan pages show of a POC's plan documents: states, versions, seals and diffs.

Everything here works on data already loaded by the selectors (versions with their
signatures, the live drafts), so the pages cost the same number of queries however many
criteria, versions or signatures there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from pocdesk.agreements.selectors import agreement_exit_status
from pocdesk.reports.documents import PLAN_KINDS
from pocdesk.signoffs.models import DocumentKind, PlanVersion, Signature, VersionStatus
from pocdesk.signoffs.registry import plan_document
from pocdesk.signoffs.selectors import (
    DRAFT,
    DocumentState,
    Verification,
    content_diff,
    plan_state,
    plan_versions,
    version_verify,
)
from pocdesk.timebox.selectors import exit_decision_for

KINDS = (DocumentKind.CRITERIA, DocumentKind.AGREEMENT)
# The document rendered from each signed kind ("criteria" → "objective").
DOCUMENT_OF_KIND = {kind: document for document, kind in PLAN_KINDS.items()}


@dataclass
class VersionView:
    version: PlanVersion
    verification: Verification
    vendor: Signature | None
    customer: Signature | None
    is_latest: bool

    @property
    def awaiting(self) -> bool:
        return self.version.status == VersionStatus.AWAITING

    @property
    def signed(self) -> bool:
        return self.version.status == VersionStatus.SIGNED

    @property
    def signatures(self) -> list[tuple[str, str, Signature | None]]:
        return [("vendor", _("Vendor"), self.vendor), ("customer", _("Customer"), self.customer)]


@dataclass
class DocumentView:
    kind: str
    label: str
    state: DocumentState
    versions: list[VersionView]
    diff_old: str = ""
    diff_new: str = ""
    diff_groups: list[dict[str, Any]] = field(default_factory=list)

    @property
    def latest(self) -> VersionView | None:
        return self.versions[0] if self.versions else None

    @property
    def document(self) -> str:
        return DOCUMENT_OF_KIND[self.kind]

    @property
    def diff_choices(self) -> list[tuple[str, str]]:
        choices = [(DRAFT, _("Draft (not submitted)"))]
        choices += [(str(view.version.number), _("Version %(number)d") % {
            "number": view.version.number}) for view in self.versions]
        return choices

    @property
    def started(self) -> bool:
        """The draft has content to submit (the agreement exists, or a criterion is written)."""
        return not plan_document(self.kind).problems(self.state.draft_content)


def _version_view(version: PlanVersion, *, state: DocumentState, is_latest: bool) -> VersionView:
    signatures = {signature.side: signature for signature in version.signatures.all()}
    verification = (state.verification if is_latest and state.verification is not None
                    else version_verify(version))
    return VersionView(version=version, verification=verification,
                       vendor=signatures.get("vendor"), customer=signatures.get("customer"),
                       is_latest=is_latest)


def diff_groups(rows: list[dict[str, Any]], *, kind: str) -> list[dict[str, Any]]:
    """Diff rows grouped by section and item, in order, for display."""
    general = _("Objective document") if kind == DocumentKind.CRITERIA else _("Clauses")
    groups: list[dict[str, Any]] = []
    for row in rows:
        section, item = row["section"] or general, row["item"]
        if not groups or (groups[-1]["section"], groups[-1]["item"]) != (section, item):
            groups.append({"section": section, "item": item, "change": row["change"],
                           "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def _default_diff(view: DocumentView) -> tuple[str, str] | None:
    if view.latest and view.state.draft_changed and view.started:
        return str(view.latest.version.number), DRAFT
    if len(view.versions) >= 2:
        return str(view.versions[1].version.number), str(view.versions[0].version.number)
    return None


def document_views(*, poc, versions: list[PlanVersion] | None = None
                   ) -> dict[str, DocumentView]:
    """Each plan document of the POC with its versions (newest first) and a default diff."""
    if versions is None:
        versions = list(plan_versions(poc=poc))
    states = plan_state(poc=poc, versions=versions)
    views: dict[str, DocumentView] = {}
    for kind in KINDS:
        state = states[kind]
        kind_versions = [v for v in versions if v.kind == kind]
        view = DocumentView(
            kind=kind, label=str(DocumentKind(kind).label), state=state,
            versions=[_version_view(v, state=state, is_latest=index == 0)
                      for index, v in enumerate(kind_versions)])
        pair = _default_diff(view)
        if pair:
            contents = {str(v.number): v.content for v in kind_versions}
            contents[DRAFT] = state.draft_content
            view.diff_old, view.diff_new = pair
            view.diff_groups = diff_groups(
                content_diff(kind, contents[pair[0]], contents[pair[1]]), kind=kind)
        views[kind] = view
    return views


def exit_context(*, poc, agreement) -> dict[str, Any]:
    """The exit clause as the plan shows it: its state and the decision recorded for it."""
    exit_status = agreement_exit_status(poc=poc, agreement=agreement)
    return {"exit": exit_status,
            "exit_decision": exit_decision_for(poc=poc, exit_status=exit_status)}


def plan_summary(*, poc) -> dict[str, Any]:
    """The POC page's plan card: criteria counts, both documents' states, the exit clause."""
    documents = document_views(poc=poc)
    criteria = documents[DocumentKind.CRITERIA].state.draft_content["lists"].get("criteria", [])
    agreement = documents[DocumentKind.AGREEMENT].state.source
    return {
        "documents": documents,
        "criteria_count": len(criteria),
        "must_have_count": sum(1 for item in criteria if item.get("must_have")),
        "agreement": agreement,
        **exit_context(poc=poc, agreement=agreement),
    }
