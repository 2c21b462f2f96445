"""The canonical form of a plan document and its hash.

Content is a plain dict: {"kind", "fields": {name: value}, "lists": {name: [{"key", ...}]}}.
Values are strings, integers, booleans or None (Decimals and dates are turned into strings by
`plain`), so the JSON form is stable across databases and Python versions.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings


def plain(value: Any) -> Any:
    """A JSON-stable value: Decimals normalised to plain strings, dates to ISO strings."""
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def canonical_json(content: dict[str, Any]) -> str:
    return json.dumps(plain(content), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def signature_seal(*, version_id: int, kind: str, number: int, digest: str, side: str,
                   method: str, signer_name: str, signer_title: str, signed_at) -> str:
    """An HMAC (keyed with SECRET_KEY) over the signature's facts: editing the signatory, the
    time or the hash of a stored signature breaks it."""
    message = canonical_json({
        "version": version_id, "kind": kind, "number": number, "hash": digest, "side": side,
        "method": method, "name": signer_name, "title": signer_title,
        "signed_at": signed_at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
    })
    key = f"pocdesk.signoffs:{settings.SECRET_KEY}".encode()
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()
