"""Evidence files: checked before anything is stored, kept under generated names, and given a
small thumbnail when they are images.

Nothing of the uploaded name reaches a storage path: the key is generated and only a cleaned
base name is kept to show the user. Images are opened by Pillow with a pixel cap, so a small file
that decompresses into gigabytes (a "decompression bomb") is refused before it is decoded.
"""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
import warnings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pocdesk.core.errors import ValidationFailed
from pocdesk.core.files import max_upload_bytes, sniff, store_upload

from .rules import EVIDENCE_TYPES, IMAGE_TYPES

THUMBNAIL_SIZE = 480
# A 48-megapixel phone photo fits; a crafted image that would need gigabytes of memory does not.
MAX_IMAGE_PIXELS = 50_000_000
THUMBNAIL_FOLDER = "evidence/thumbs"
NAME_LENGTH = 200


def clean_file_name(name) -> str:
    """The base name of an uploaded file, fit to show: no folders, no control or invisible
    characters (e.g. a right-to-left override disguising “gnp.exe” as “exe.png”)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in {"C", "Z"} or ch == " ")
    name = name.strip().strip(".").strip()
    if not name:
        return pgettext("file name", "file")
    if len(name) > NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[:NAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:NAME_LENGTH]
    return name


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed({field: [message]})


def upload_check(uploaded, *, field: str) -> str:
    """Refuse a file that is too large, empty, of an unaccepted type or a broken or oversized
    image; return its extension judged from the content. Nothing is stored."""
    if uploaded is None:
        raise _refuse(field, _("Choose a file."))
    if uploaded.size > max_upload_bytes():
        raise _refuse(field, _("The file is larger than %(limit)d MB.")
                      % {"limit": max_upload_bytes() // 2**20})
    if not uploaded.size:
        raise _refuse(field, _("The file is empty."))
    kind = sniff(uploaded)
    if kind is None or kind[1] not in EVIDENCE_TYPES:
        raise _refuse(field, _("This type of file is not accepted as evidence. Accepted: "
                               "%(types)s.") % {"types": ", ".join(sorted(EVIDENCE_TYPES))})
    extension = kind[1]
    if extension in IMAGE_TYPES:
        _image_check(uploaded, field=field)
    return extension


def _open_image(uploaded):
    from PIL import Image

    uploaded.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(uploaded)


def _image_check(uploaded, *, field: str) -> None:
    from PIL import Image

    try:
        image = _open_image(uploaded)
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise _refuse(field, _("This image is too large: at most %(pixels)d megapixels.")
                          % {"pixels": MAX_IMAGE_PIXELS // 1_000_000})
        image.verify()
    except ValidationFailed:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(field, _("This image is too large: at most %(pixels)d megapixels.")
                      % {"pixels": MAX_IMAGE_PIXELS // 1_000_000}) from None
    except Exception:  # Pillow raises many kinds of errors on a damaged file
        raise _refuse(field, _("This image cannot be read: the file is damaged or is not "
                               "really an image.")) from None
    finally:
        uploaded.seek(0)


def thumbnail_bytes(uploaded) -> tuple[bytes, str]:
    """A thumbnail at most THUMBNAIL_SIZE pixels on its longest side: (content, extension).

    Raises ValueError (or a Pillow error) when the image cannot be decoded.
    """
    from PIL import ImageOps

    image = _open_image(uploaded)
    try:
        if image.format == "JPEG":
            image.draft("RGB", (THUMBNAIL_SIZE, THUMBNAIL_SIZE))  # decode at a reduced scale
        image.seek(0)
        image = ImageOps.exif_transpose(image)
        image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        transparent = image.mode in {"RGBA", "LA"} or (
            image.mode == "P" and "transparency" in image.info)
        output = io.BytesIO()
        if transparent:
            image.convert("RGBA").save(output, format="PNG", optimize=True)
            return output.getvalue(), "png"
        image.convert("RGB").save(output, format="JPEG", quality=82)
        return output.getvalue(), "jpg"
    finally:
        uploaded.seek(0)


def evidence_store(*, uploaded, field: str, folder: str) -> tuple[dict, str]:
    """Check, store and thumbnail an upload: (StoredFile values, thumbnail key or "")."""
    extension = upload_check(uploaded, field=field)
    thumbnail = b""
    thumbnail_extension = ""
    if extension in IMAGE_TYPES:
        try:
            thumbnail, thumbnail_extension = thumbnail_bytes(uploaded)
        except Exception:  # decoding fails on truncated or corrupt pixel data
            raise _refuse(field, _("This image cannot be read: the file is damaged or is not "
                                   "really an image.")) from None
    stored = store_upload(uploaded, field=field, folder=folder, accepted=EVIDENCE_TYPES)
    stored["original_name"] = clean_file_name(getattr(uploaded, "name", ""))
    thumbnail_key = ""
    if thumbnail:
        thumbnail_key = default_storage.save(
            f"{THUMBNAIL_FOLDER}/{uuid.uuid4().hex}.{thumbnail_extension}",
            ContentFile(thumbnail))
    return stored, thumbnail_key
