"""Evidence files (§8.1): judged by their content, never by their name; stored under generated
keys; images get a thumbnail of at most 480 pixels; damaged or oversized images are refused."""

import datetime
import io
import re
import struct
import zlib

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from pocdesk.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event, StoredFile
from pocdesk.execution.models import Evidence
from pocdesk.execution.selectors import evidence_get
from pocdesk.execution.services import evidence_delete, evidence_upload
from pocdesk.pocs.models import POC

from ..factories import POCFactory, make_criterion
from .conftest import csv_upload, jpeg_bytes, png_bytes, upload

NOW = datetime.datetime(2026, 3, 25, 12, tzinfo=datetime.UTC)
NOT_READABLE = "This image cannot be read: the file is damaged or is not really an image."


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def stored_image(key):
    with default_storage.open(key, "rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


def refused_on_file(poc, actor, uploaded):
    with pytest.raises(ValidationFailed) as refused:
        evidence_upload(actor=actor, poc=poc, uploaded=uploaded)
    assert not Evidence.objects.exists()
    assert not StoredFile.objects.exists()
    return refused.value.fields


def test_a_photo_is_stored_under_a_generated_key_with_a_thumbnail(running_poc, engineer,
                                                                  throughput):
    evidence = evidence_upload(actor=engineer, poc=running_poc, uploaded=upload("line 2.png"),
                               caption=" Weighbridge display ", criterion=throughput.pk,
                               taken_at=NOW - datetime.timedelta(hours=1))

    stored = evidence.file
    assert re.fullmatch(rf"evidence/{running_poc.pk}/[0-9a-f]{{32}}\.png", stored.storage_key)
    assert (stored.original_name, stored.content_type, stored.team) == (
        "line 2.png", "image/png", running_poc.team)
    assert (evidence.caption, evidence.criterion, evidence.uploaded_by) == (
        "Weighbridge display", throughput, engineer)
    assert evidence.taken_at == NOW - datetime.timedelta(hours=1)
    assert re.fullmatch(r"evidence/thumbs/[0-9a-f]{32}\.jpg", evidence.thumbnail_key)
    thumbnail = stored_image(evidence.thumbnail_key)
    assert (thumbnail.format, thumbnail.size) == ("JPEG", (480, 240))
    event = Event.objects.get()
    assert (event.verb, event.data) == ("evidence.uploaded", {"name": "line 2.png",
                                                              "content_type": "image/png"})


def test_a_large_jpeg_and_a_transparent_png_get_fitting_thumbnails(running_poc, engineer):
    photo = evidence_upload(actor=engineer, poc=running_poc, uploaded=SimpleUploadedFile(
        "site.jpg", jpeg_bytes((1200, 900)), content_type="image/jpeg"))
    logo = evidence_upload(actor=engineer, poc=running_poc, uploaded=upload(
        "logo.png", png_bytes((300, 600), (0, 0, 0, 0), mode="RGBA")))

    assert stored_image(photo.thumbnail_key).size == (480, 360)
    small = stored_image(logo.thumbnail_key)
    assert (small.format, small.size, small.mode) == ("PNG", (240, 480), "RGBA")


def test_a_report_or_an_instrument_export_has_no_thumbnail(running_poc, engineer):
    report = evidence_upload(actor=engineer, poc=running_poc, uploaded=SimpleUploadedFile(
        "report.pdf", b"%PDF-1.4\n% lab report\n%%EOF\n", content_type="application/pdf"))
    export = evidence_upload(actor=engineer, poc=running_poc, uploaded=csv_upload())

    assert (report.file.content_type, report.thumbnail_key) == ("application/pdf", "")
    assert (export.file.content_type, export.file.original_name) == ("text/plain",
                                                                     "readings.csv")
    assert export.file.storage_key.endswith(".txt")


@override_settings(POCDESK_MAX_UPLOAD_MB=1)
def test_a_file_over_the_size_limit_is_refused(running_poc, engineer):
    too_large = upload("big.txt", b"x" * (1024 * 1024 + 1), "text/plain")

    assert refused_on_file(running_poc, engineer, too_large) == {
        "file": ["The file is larger than 1 MB."]}


def test_an_empty_file_is_refused(running_poc, engineer):
    assert refused_on_file(running_poc, engineer, upload("empty.png", b"")) == {
        "file": ["The file is empty."]}


def test_a_program_named_like_a_photo_is_refused(running_poc, engineer):
    program = upload("holiday.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 20,
                     "image/png")

    assert refused_on_file(running_poc, engineer, program) == {"file": [
        "This type of file is not accepted as evidence. Accepted: gif, jpg, mp4, pdf, png, "
        "txt, webp, xlsx."]}


def test_text_named_like_a_photo_is_kept_as_text_without_a_thumbnail(running_poc, engineer):
    evidence = evidence_upload(actor=engineer, poc=running_poc, uploaded=upload(
        "photo.png", b"<script>alert(1)</script>", "image/png"))

    assert evidence.file.content_type == "text/plain"
    assert evidence.file.storage_key.endswith(".txt")
    assert evidence.thumbnail_key == ""


def test_a_damaged_image_is_refused_on_the_file(running_poc, engineer):
    signature_only = upload("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50)
    whole = png_bytes((400, 400), (1, 2, 3))
    truncated = upload("cut.png", whole[:len(whole) // 2])

    assert refused_on_file(running_poc, engineer, signature_only) == {"file": [NOT_READABLE]}
    assert refused_on_file(running_poc, engineer, truncated) == {"file": [NOT_READABLE]}


def with_size(png: bytes, width: int, height: int) -> bytes:
    """The same PNG claiming another size in its header (with a valid checksum)."""
    header = b"IHDR" + struct.pack(">II", width, height) + png[24:29]
    return png[:12] + header + struct.pack(">I", zlib.crc32(header)) + png[33:]


def test_a_decompression_bomb_is_refused_before_it_is_decoded(running_poc, engineer):
    bomb = upload("bomb.png", with_size(png_bytes((8, 8)), 10_000, 6_000))

    assert refused_on_file(running_poc, engineer, bomb) == {
        "file": ["This image is too large: at most 50 megapixels."]}
    assert refused_on_file(running_poc, engineer, upload(
        "huge.png", with_size(png_bytes((8, 8)), 100_000, 100_000))) == {
        "file": ["This image is too large: at most 50 megapixels."]}


@pytest.mark.parametrize(("name", "kept"), [
    ("../../etc/passwd.png", "passwd.png"),
    ("..\\..\\windows\\system.ini.png", "system.ini.png"),
    ("evil\x00.png", "evil.png"),
    ("report\u202egnp.exe", "reportgnp.exe"),
    ("..", "file"),
    ("/", "file"),
    ("a" * 300 + ".png", "a" * 196 + ".png"),
])
def test_the_uploaded_name_never_reaches_the_storage_path(running_poc, engineer, name, kept):
    uploaded = upload()
    uploaded._name = name  # unsanitised, as another upload handler or the API might pass it

    evidence = evidence_upload(actor=engineer, poc=running_poc, uploaded=uploaded)

    assert evidence.file.original_name == kept
    assert re.fullmatch(rf"evidence/{running_poc.pk}/[0-9a-f]{{32}}\.png",
                        evidence.file.storage_key)


def test_bad_fields_are_reported_with_the_file(running_poc, engineer):
    elsewhere = make_criterion(POCFactory(opportunity=running_poc.opportunity))

    with pytest.raises(ValidationFailed) as refused:
        evidence_upload(actor=engineer, poc=running_poc, uploaded=upload("empty.png", b""),
                        caption="x" * 301, criterion=elsewhere,
                        taken_at=NOW + datetime.timedelta(hours=1))

    assert refused.value.fields == {
        "caption": ["At most 300 characters."],
        "criterion": ["Choose a criterion of this POC."],
        "taken_at": ["This time is in the future."],
        "file": ["The file is empty."]}
    assert not StoredFile.objects.exists()


def test_evidence_is_uploaded_only_while_the_poc_runs(running_poc, engineer):
    POC.objects.filter(pk=running_poc.pk).update(status="agreed")

    with pytest.raises(ApplicationError) as refused:
        evidence_upload(actor=engineer, poc=running_poc, uploaded=upload())

    assert (refused.value.code, refused.value.status) == ("not_running", 409)
    assert not StoredFile.objects.exists()


def test_an_outsider_may_neither_upload_nor_see_evidence(running_poc, engineer, outsider,
                                                         manager):
    evidence = evidence_upload(actor=engineer, poc=running_poc, uploaded=upload())

    with pytest.raises(PermissionDenied):
        evidence_upload(actor=outsider, poc=running_poc, uploaded=upload())
    with pytest.raises(NotFound):
        evidence_get(user=outsider, evidence_id=evidence.pk)
    with pytest.raises(NotFound):
        evidence_get(user=None, evidence_id=evidence.pk)
    with pytest.raises(NotFound):
        evidence_get(user=manager, evidence_id="1 OR 1=1")
    assert evidence_get(user=manager, evidence_id=str(evidence.pk)) == evidence
    assert Evidence.objects.count() == 1


def test_deleting_evidence_removes_its_files_once_committed(
        running_poc, engineer, outsider, django_capture_on_commit_callbacks):
    evidence = evidence_upload(actor=engineer, poc=running_poc, uploaded=upload())
    keys = [evidence.file.storage_key, evidence.thumbnail_key]

    with pytest.raises(PermissionDenied):
        evidence_delete(actor=outsider, evidence=evidence)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_delete(actor=engineer, evidence=evidence)

    assert not Evidence.objects.exists()
    assert not StoredFile.objects.exists()
    assert [default_storage.exists(key) for key in keys] == [False, False]
    assert Event.objects.filter(verb="evidence.deleted").get().data == {"name": "photo.png"}
