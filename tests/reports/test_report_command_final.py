"""The final report through the CLI (`pocdesk report POC --kind final`) and the API."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from pocdesk.people.services import api_token_create
from tests.api.conftest import ApiClient

from .final_poc import TITLES, make_report_poc


def run(*args) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("report", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def report_poc(poc):
    make_report_poc(poc, criteria=3)
    return poc


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_the_command_writes_each_format(report_poc, tmp_path, fmt):
    target = tmp_path / f"final.{fmt}"
    _stdout, stderr = run(str(report_poc.pk), "--kind", "final", "--format", fmt,
                          "-o", str(target))
    assert stderr.startswith(f"Wrote {target} (")
    if fmt == "pdf":
        text = "".join(page.extract_text() for page in PdfReader(target).pages)
    elif fmt == "docx":
        document = docx.Document(str(target))
        text = "\n".join(cell.text for table in document.tables for row in table.rows
                         for cell in row.cells)
    else:
        text = target.read_text(encoding="utf-8")
    for title in TITLES["en"][:3]:
        assert title in text


def api(user) -> ApiClient:
    _token, key = api_token_create(actor=user, user=user, name="tests")
    return ApiClient(key)


def test_the_api_serves_the_pdf(report_poc, engineer):
    response = api(engineer).get(f"/pocs/{report_poc.pk}/report",
                                 {"kind": "final", "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "final-report.pdf" in response["Content-Disposition"]


def test_the_api_serves_docx_and_html(report_poc, engineer):
    client = api(engineer)
    response = client.get(f"/pocs/{report_poc.pk}/report",
                          {"kind": "final", "format": "docx"})
    assert response.status_code == 200 and response.content.startswith(b"PK")
    response = client.get(f"/pocs/{report_poc.pk}/report",
                          {"kind": "final", "format": "html"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_the_api_refuses_an_unknown_format_and_an_outsider(report_poc, engineer, outsider):
    response = api(engineer).get(f"/pocs/{report_poc.pk}/report",
                                 {"kind": "final", "format": "odt"})
    assert response.status_code == 422
    response = api(outsider).get(f"/pocs/{report_poc.pk}/report",
                                 {"kind": "final", "format": "pdf"})
    assert response.status_code == 404
