"""Uploaded documents: size- and content-checked, stored under generated names outside the
static root, and served only through permission-checked views."""

from __future__ import annotations

import codecs
import hashlib
import uuid
import zipfile

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from .errors import ValidationFailed

# Content signatures: what a file is, judged by its bytes, never by its name or its claimed type.
_SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
]
_OFFICE = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
DOCUMENT_TYPES = {"pdf", "png", "jpg", "gif", "docx", "xlsx", "pptx", "txt"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "POCDESK_MAX_UPLOAD_MB", 50)) * 1024 * 1024


def sniff(uploaded) -> tuple[str, str] | None:
    """(content type, extension) judged from the content, or None for an unaccepted type."""
    uploaded.seek(0)
    head = uploaded.read(4096)
    uploaded.seek(0)
    if head[4:8] == b"ftyp" and head[8:12] in {b"isom", b"mp41", b"mp42", b"M4V ", b"qt  "}:
        return "video/mp4", "mp4"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    for signature, content_type, extension in _SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        for prefix, (content_type, extension) in _OFFICE.items():
            if any(name.startswith(prefix) for name in names):
                return content_type, extension
        return None
    if b"\x00" not in head:
        try:
            # An incremental decoder: a character cut at the end of the head is not an error.
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            return None
        return "text/plain", "txt"
    return None


def check_upload_size(uploaded, *, field: str) -> None:
    """Refuse an empty file or one over the upload limit (a file object without `size` is
    measured)."""
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, 2)
        size = uploaded.tell()
        uploaded.seek(0)
    if size > max_upload_bytes():
        raise ValidationFailed({field: [
            _("The file is larger than %(limit)d MB.") % {"limit": max_upload_bytes() // 2**20}]})
    if size == 0:
        raise ValidationFailed({field: [_("The file is empty.")]})


def store_upload(uploaded, *, field: str, folder: str,
                 accepted: set[str] = DOCUMENT_TYPES) -> dict[str, str | int]:
    """Check and store an uploaded file; returns what a StoredFile row needs."""
    check_upload_size(uploaded, field=field)
    kind = sniff(uploaded)
    if kind is None or kind[1] not in accepted:
        raise ValidationFailed({field: [
            _("This type of file is not accepted. Accepted: %(types)s.")
            % {"types": ", ".join(sorted(accepted))}]})
    content_type, extension = kind
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    key = default_storage.save(f"{folder}/{uuid.uuid4().hex}.{extension}", uploaded)
    return {"storage_key": key, "original_name": (uploaded.name or "")[-200:],
            "content_type": content_type, "size": uploaded.size, "sha256": digest.hexdigest()}


def stored_file_create(*, actor, team, uploaded, field: str, folder: str,
                       accepted: set[str] = DOCUMENT_TYPES):
    """Check and store an upload and record it; call inside the caller's transaction."""
    from .models import StoredFile

    stored = store_upload(uploaded, field=field, folder=folder, accepted=accepted)
    return StoredFile.objects.create(team=team, uploaded_by=actor, **stored)
