"""Fixtures of the execution tests: a running POC, its criteria, a customer of its deal, and
small upload files judged by their content."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pocdesk.pocs.models import POC

from ..factories import make_criterion, make_customer


@pytest.fixture
def running_poc(poc):
    POC.objects.filter(pk=poc.pk).update(
        status="running", start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 4, 30))
    poc.refresh_from_db()
    return poc


@pytest.fixture
def throughput(running_poc):
    """Numeric: mean throughput ≥ 120 t/h, a must-have."""
    return make_criterion(running_poc)


@pytest.fixture
def dust_test(running_poc):
    """Pass/fail: no dust ingress, judged on the latest test."""
    return make_criterion(running_poc, title="Dust ingress", metric="", unit="",
                          comparator="pass_fail", target_value=None,
                          pass_condition="No dust inside the enclosure after 72 h.",
                          aggregation="latest", must_have=False)


@pytest.fixture
def customer(running_poc):
    return make_customer(running_poc, name="Sandrine Faure")


def png_bytes(size=(640, 320), color=(200, 30, 30), mode="RGB") -> bytes:
    from PIL import Image

    output = io.BytesIO()
    Image.new(mode, size, color).save(output, format="PNG")
    return output.getvalue()


def jpeg_bytes(size=(1200, 900)) -> bytes:
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(output, format="JPEG")
    return output.getvalue()


def upload(name="photo.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, png_bytes() if content is None else content,
                              content_type=content_type)


def csv_upload(name="readings.csv"):
    return SimpleUploadedFile(name, b"time,value\n2026-03-10T10:00:00Z,121.5\n",
                              content_type="text/csv")


HUNDRED = Decimal("100")
