"""Reads of plan versions: their state, verification of hashes and seals, and diffs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .canonical import content_hash, plain, signature_seal
from .models import PlanVersion, SignatureSide, VersionStatus
from .registry import plan_document, plan_kinds

DRAFT = "draft"


@dataclass
class Verification:
    valid: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class DocumentState:
    """Where one plan document of a POC stands: its latest version and the live draft."""

    kind: str
    latest: PlanVersion | None
    draft_content: dict[str, Any]
    draft_hash: str
    verification: Verification | None
    source: Any = None  # what the document was built from (e.g. the Agreement), if any

    @property
    def draft_changed(self) -> bool:
        """The live draft differs from the latest version (or nothing was ever submitted)."""
        return self.latest is None or self.latest.content_hash != self.draft_hash

    @property
    def signed(self) -> bool:
        """The latest version is signed by both sides, verifies, and nothing changed since."""
        return bool(self.latest and self.latest.status == VersionStatus.SIGNED
                    and self.verification and self.verification.valid
                    and not self.draft_changed)

    @property
    def awaiting_sides(self) -> list[str]:
        if not self.latest or self.latest.status != VersionStatus.AWAITING:
            return []
        done = {s.side for s in self.latest.signatures.all()}
        return [side for side in SignatureSide.values if side not in done]

    @property
    def draft_number(self) -> int:
        """The number the draft will get when submitted."""
        return (self.latest.number + 1) if self.latest else 1


def version_verify(version: PlanVersion) -> Verification:
    """Recompute the content hash and every signature's seal; list what does not match."""
    problems: list[str] = []
    digest = content_hash(version.content)
    if digest != version.content_hash:
        problems.append(_("The content of version %(number)d no longer matches its hash: it was "
                          "changed after it was submitted.") % {"number": version.number})
    for signature in version.signatures.all():
        if signature.content_hash != digest:
            problems.append(_("The %(side)s signature was given on other content than this "
                              "version's.") % {"side": signature.get_side_display().lower()})
        seal = signature_seal(
            version_id=version.pk, kind=version.kind, number=version.number,
            digest=signature.content_hash, side=signature.side, method=signature.method,
            signer_name=signature.signer_name, signer_title=signature.signer_title,
            signed_at=signature.signed_at)
        if seal != signature.seal:
            problems.append(_("The %(side)s signature's record was altered after signing.")
                            % {"side": signature.get_side_display().lower()})
    return Verification(valid=not problems, problems=problems)


def plan_versions(*, poc, kind: str | None = None):
    """Versions of a POC's plan documents, newest first, with their signatures (2 queries)."""
    versions = (PlanVersion.objects.filter(poc=poc)
                .select_related("submitted_by", "submitted_by__profile")
                .prefetch_related("signatures", "signatures__scan", "signatures__stakeholder")
                .order_by("kind", "-number"))
    if kind:
        versions = versions.filter(kind=kind)
    return versions


def plan_version_get(*, poc, kind: str, number: int) -> PlanVersion:
    from pocdesk.core.errors import NotFound

    version = plan_versions(poc=poc, kind=kind).filter(number=number).first()
    if version is None:
        raise NotFound(_("This version does not exist."))
    return version


def plan_state(*, poc, versions: list[PlanVersion] | None = None) -> dict[str, DocumentState]:
    """The state of every registered plan document of the POC, keyed by kind."""
    if versions is None:
        versions = list(plan_versions(poc=poc))
    states: dict[str, DocumentState] = {}
    for kind in plan_kinds():
        latest = next((v for v in versions if v.kind == kind), None)
        content, source = _draft(poc=poc, kind=kind)
        states[kind] = DocumentState(
            kind=kind, latest=latest, draft_content=content, draft_hash=content_hash(content),
            verification=version_verify(latest) if latest else None, source=source)
    return states


def draft_content(*, poc, kind: str) -> dict[str, Any]:
    return _draft(poc=poc, kind=kind)[0]


def _draft(*, poc, kind: str) -> tuple[dict[str, Any], Any]:
    """The live draft's canonical content and the object it was built from."""
    built = plan_document(kind).build(poc)
    content = plain({"kind": kind, "fields": built.get("fields", {}),
                     "lists": built.get("lists", {})})
    return content, built.get("source")


# --- diff -------------------------------------------------------------------------------------


def plan_diff(*, poc, kind: str, old: int | str, new: int | str) -> list[dict[str, Any]]:
    """What changed between two versions (numbers, or "draft" for the live draft), in words."""
    before = _content_of(poc=poc, kind=kind, which=old)
    after = _content_of(poc=poc, kind=kind, which=new)
    return content_diff(kind, before, after)


def _content_of(*, poc, kind: str, which: int | str) -> dict[str, Any]:
    if which == DRAFT:
        return draft_content(poc=poc, kind=kind)
    return plan_version_get(poc=poc, kind=kind, number=int(which)).content


def content_diff(kind: str, before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    document = plan_document(kind)
    field_labels = document.field_labels()
    value_labels = document.value_labels()
    rows: list[dict[str, Any]] = []

    def show(name: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        labels = value_labels.get(name, {})
        return str(labels.get(value, value))

    def compare(section: str, item: str, old: dict, new: dict, labels: dict[str, str]) -> None:
        for name in [n for n in labels if n in old or n in new] + sorted(
                n for n in set(old) | set(new) if n not in labels and n != "key"):
            if old.get(name) != new.get(name):
                rows.append({"change": "changed", "section": section, "item": item,
                             "field": name, "label": labels.get(name, name),
                             "old": show(name, old.get(name)), "new": show(name, new.get(name))})

    compare("", "", before.get("fields", {}), after.get("fields", {}), field_labels)
    list_labels = document.list_labels()
    for name in sorted(set(before.get("lists", {})) | set(after.get("lists", {}))):
        section, item_labels = list_labels.get(name, (name, {}))
        old_items = {i["key"]: i for i in before.get("lists", {}).get(name, [])}
        new_items = {i["key"]: i for i in after.get("lists", {}).get(name, [])}
        for key, item in new_items.items():
            title = document.item_title(name, item)
            if key not in old_items:
                rows.append({"change": "added", "section": str(section), "item": title,
                             "field": "", "label": "", "old": "", "new": ""})
            else:
                compare(str(section), title, old_items[key], item, item_labels)
        for key, item in old_items.items():
            if key not in new_items:
                rows.append({"change": "removed", "section": str(section),
                             "item": document.item_title(name, item),
                             "field": "", "label": "", "old": "", "new": ""})
    return rows
