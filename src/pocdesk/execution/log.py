"""Writes on the execution log (§8.2): observations, issues, technical risks and key events.

Issues and risks carry a severity and an open/resolved status (the technical-risk memo); a key
event says which one it is (installation complete, first run, target reached) and may be
witnessed by a customer stakeholder of the deal, which is what makes it count with the customer.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import jsonable
from pocdesk.stakeholders.resolve import DealPeople

from .attachments import attachments, evidence_ids_of, open_for_recording, uploads_check
from .models import KeyEvent, LogEntry, LogKind, LogStatus, Severity
from .readings import moment

TITLE_LENGTH = 200
TRACKED_KINDS = {LogKind.ISSUE, LogKind.RISK}  # with a severity, a status and a mitigation
LOG_FIELDS = ("kind", "key_event", "milestone", "title", "body", "occurred_at", "severity",
              "status", "mitigation", "witnessed_by", "witnessed_at")


def _kind_label(kind: str) -> str:
    return str(LogKind(kind).label) if kind in LogKind.values else kind


register_event_verbs({
    "log.recorded": lambda event: _("%(kind)s recorded in the log: %(target)s") % {
        "kind": _kind_label((event.data or {}).get("kind", "")), "target": event.target_label},
    "log.changed": gettext_lazy("Log entry “%(target)s” changed: %(changes)s"),
    "log.witnessed": lambda event: _("“%(target)s” witnessed by %(witness)s") % {
        "target": event.target_label, "witness": (event.data or {}).get("witness", "")},
})


def _milestone(poc, value, errors: dict):
    if value in (None, ""):
        return None
    from pocdesk.timebox.models import Milestone

    try:
        key = int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        key = None
    found = Milestone.objects.filter(poc=poc, pk=key).first() if key is not None else None
    if found is None:
        errors["milestone"] = [_("Choose a milestone of this POC.")]
    return found


def _choice(value, choices, field: str, errors: dict) -> str:
    value = str(value or "").strip()
    if value and value not in choices.values:
        errors[field] = [_("Choose one of: %(choices)s.") % {
            "choices": ", ".join(str(label) for label in choices.labels)}]
    return value


def _log_values(poc, values: dict[str, Any], *, errors: dict) -> dict[str, Any]:
    """The checked fields of a log entry, from all of them (new or merged with the stored)."""
    now = timezone.now()
    kind = str(values.get("kind") or "").strip()
    if kind not in LogKind.values:
        errors["kind"] = [_("Choose observation, issue, technical risk or key event.")]
    tracked = kind in TRACKED_KINDS
    checked: dict[str, Any] = {
        "kind": kind,
        "title": str(values.get("title") or "").strip(),
        "body": str(values.get("body") or "").strip(),
        "mitigation": str(values.get("mitigation") or "").strip(),
        "key_event": _choice(values.get("key_event"), KeyEvent, "key_event", errors),
        "severity": _choice(values.get("severity"), Severity, "severity", errors),
        "status": _choice(values.get("status"), LogStatus, "status", errors),
        "milestone": _milestone(poc, values.get("milestone"), errors),
    }
    if not checked["title"]:
        errors["title"] = [_("Give the entry a title.")]
    elif len(checked["title"]) > TITLE_LENGTH:
        errors["title"] = [_("At most %(count)d characters.") % {"count": TITLE_LENGTH}]
    if kind == LogKind.KEY_EVENT and not checked["key_event"] and "key_event" not in errors:
        errors["key_event"] = [_("Say which key event this is.")]
    elif kind != LogKind.KEY_EVENT and checked["key_event"]:
        errors["key_event"] = [_("Only a key event says which key event it is.")]
    if not tracked:
        for name in ("severity", "status", "mitigation"):
            if checked[name] and name not in errors:
                errors[name] = [_("Only issues and technical risks have a severity, a status "
                                  "and a mitigation.")]
    elif not checked["status"]:
        checked["status"] = LogStatus.OPEN
    checked["occurred_at"] = moment(values.get("occurred_at"), "occurred_at", errors, now=now,
                                    required=False) or now
    witness = DealPeople(poc).customer(values.get("witnessed_by"), "witnessed_by", errors)
    checked["witnessed_by"] = witness
    witnessed_at = moment(values.get("witnessed_at"), "witnessed_at", errors, now=now,
                          required=False)
    if witness is None and witnessed_at is not None and "witnessed_by" not in errors:
        errors["witnessed_by"] = [_("Say who witnessed it.")]
    if witness is not None and witnessed_at is None and "witnessed_at" not in errors:
        witnessed_at = now
    if (witness is not None and witnessed_at is not None and "occurred_at" not in errors
            and witnessed_at < checked["occurred_at"]):
        errors["witnessed_at"] = [_("It cannot be witnessed before it happened.")]
    checked["witnessed_at"] = witnessed_at if witness is not None else None
    return checked


@transaction.atomic
def log_entry_create(*, actor, poc, kind: str, title: str, body: str = "", occurred_at=None,
                     key_event: str = "", milestone=None, severity: str = "", status: str = "",
                     mitigation: str = "", witnessed_by=None, witnessed_at=None,
                     evidence_files=(), evidence_ids=()) -> LogEntry:
    """Add a dated entry to the POC's execution log, with its attachments."""
    require_perm(actor, "pocdesk.edit_poc", poc)
    poc = open_for_recording(poc)
    errors: dict[str, list[str]] = {}
    values = _log_values(poc, {
        "kind": kind, "title": title, "body": body, "occurred_at": occurred_at,
        "key_event": key_event, "milestone": milestone, "severity": severity, "status": status,
        "mitigation": mitigation, "witnessed_by": witnessed_by, "witnessed_at": witnessed_at,
    }, errors=errors)
    if errors:  # report the attachments' problems too; nothing is stored
        evidence_ids_of(poc, evidence_ids, errors)
        uploads_check(evidence_files, errors)
        raise ValidationFailed(errors)
    evidence = attachments(actor=actor, poc=poc, files=evidence_files, ids=evidence_ids,
                           errors=errors)
    if errors:
        raise ValidationFailed(errors)
    entry = LogEntry.objects.create(poc=poc, recorded_by=actor, **values)
    if evidence:
        entry.evidence.add(*evidence)
    event_record(actor=actor, verb="log.recorded", target=entry, poc=poc, team=poc.team,
                 data={"kind": entry.kind, "key_event": entry.key_event,
                       "severity": entry.severity, "evidence": len(evidence)})
    if entry.witnessed_by_id:
        _witness_event(actor, entry, poc)
    return entry


def _witness_event(actor, entry: LogEntry, poc) -> None:
    event_record(actor=actor, verb="log.witnessed", target=entry, poc=poc, team=poc.team,
                 data={"witness": str(entry.witnessed_by),
                       "witnessed_at": entry.witnessed_at.isoformat()})


def _stored_values(entry: LogEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in LOG_FIELDS}


@transaction.atomic
def log_entry_update(*, actor, entry: LogEntry, **changes: Any) -> LogEntry:
    """Correct an entry or resolve an issue. Changing the kind drops what no longer applies (a
    key event's type, an issue's severity and status) unless new values are given;
    `evidence_ids` replaces the attachments, `evidence_files` adds new ones."""
    require_perm(actor, "pocdesk.edit_poc", entry.poc)
    poc = open_for_recording(entry.poc)
    entry = LogEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    allowed = {*LOG_FIELDS, "evidence_ids", "evidence_files"}
    errors: dict[str, list[str]] = {name: [_("This field cannot be changed here.")]
                                    for name in sorted(set(changes) - allowed)}
    merged = _stored_values(entry)
    if "kind" in changes and changes["kind"] != entry.kind:
        dropped = ("key_event",) if entry.kind == LogKind.KEY_EVENT else (
            "severity", "status", "mitigation")
        merged.update(dict.fromkeys(dropped, ""))
    if "witnessed_by" in changes and changes["witnessed_by"] in (None, ""):
        merged["witnessed_at"] = None
    merged.update({name: value for name, value in changes.items() if name in LOG_FIELDS})
    values = _log_values(poc, merged, errors=errors)
    evidence = [] if errors else attachments(
        actor=actor, poc=poc, files=changes.get("evidence_files") or (),
        ids=changes.get("evidence_ids") or (), errors=errors)
    if errors:
        raise ValidationFailed(errors)
    was_witnessed = (entry.witnessed_by_id, entry.witnessed_at)
    diff = {}
    for name, new in values.items():
        old = getattr(entry, name)
        if old != new:
            diff[name] = [jsonable(old), jsonable(new)]
            setattr(entry, name, new)
    if diff:
        entry.save()
    before = set(entry.evidence.values_list("pk", flat=True))
    wanted = {item.pk for item in evidence} | (set() if "evidence_ids" in changes else before)
    if wanted != before:
        entry.evidence.set(wanted)
        diff["evidence"] = [len(before), len(wanted)]
    if diff:
        event_record(actor=actor, verb="log.changed", target=entry, poc=poc, team=poc.team,
                     data={"changes": diff})
        if entry.witnessed_by_id and (entry.witnessed_by_id, entry.witnessed_at) != was_witnessed:
            _witness_event(actor, entry, poc)
    return entry


@transaction.atomic
def log_entry_witness(*, actor, entry: LogEntry, witnessed_by, witnessed_at=None) -> LogEntry:
    """Record that a customer stakeholder of the deal witnessed the entry (e.g. the first run)."""
    require_perm(actor, "pocdesk.edit_poc", entry.poc)
    poc = open_for_recording(entry.poc)
    entry = LogEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    errors: dict[str, list[str]] = {}
    if witnessed_by in (None, ""):
        raise ValidationFailed({"witnessed_by": [_("Say who witnessed it.")]})
    merged = {**_stored_values(entry), "witnessed_by": witnessed_by,
              "witnessed_at": witnessed_at}
    values = _log_values(poc, merged, errors=errors)
    if errors:
        raise ValidationFailed(errors)
    entry.witnessed_by = values["witnessed_by"]
    entry.witnessed_at = values["witnessed_at"]
    entry.save(update_fields=["witnessed_by", "witnessed_at", "updated_at"])
    _witness_event(actor, entry, poc)
    return entry
