"""`pocdesk report POC_ID --kind … --format … -o FILE [--version N] [--user USERNAME]`."""

import io
import subprocess
import sys

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from tests.factories import make_plan_signed


def run(*args) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("report", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def signed_poc(poc, engineer):
    make_plan_signed(poc, actor=engineer)
    return poc


def test_writes_the_pdf_as_the_poc_owner(signed_poc, tmp_path):
    target = tmp_path / "objective.pdf"

    _stdout, stderr = run(str(signed_poc.pk), "--kind", "objective", "--format", "pdf",
                          "-o", str(target))

    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Throughput" in text and "Dana Sponsor" in text
    assert stderr.startswith(f"Wrote {target} (")


def test_writes_a_given_version_as_docx_for_another_user(signed_poc, manager, tmp_path):
    target = tmp_path / "agreement.docx"

    run(str(signed_poc.pk), "--kind", "agreement", "--format", "docx", "--version", "1",
        "--user", "manager", "-o", str(target))

    document = docx.Document(str(target))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Two site visits" in cells and "Access to line 2" in cells


def test_without_output_it_writes_the_document_file_name(signed_poc, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    run(str(signed_poc.pk), "--kind", "objective", "--format", "docx")

    assert [path.name for path in tmp_path.iterdir()] == [f"POC-{signed_poc.pk}-objective-v1.docx"]


@pytest.mark.parametrize(("args", "message"), [
    (["999999", "--kind", "objective", "--format", "pdf"], "No POC has the id 999999."),
    (["{poc}", "--kind", "final-report", "--format", "pdf"], "--kind: Choose one of:"),
    (["{poc}", "--kind", "objective", "--format", "odt"], "--format: Choose one of: pdf, docx."),
    (["{poc}", "--kind", "objective", "--format", "pdf", "--version", "9"],
     "This version does not exist."),
    (["{poc}", "--kind", "objective", "--format", "pdf", "--user", "nobody"],
     "Unknown or inactive user “nobody”."),
    (["{poc}", "--kind", "objective", "--format", "pdf", "--user", "outsider"],
     "You do not have permission to do this."),
])
def test_refusals_are_one_line_with_exit_code_2(signed_poc, outsider, tmp_path, args, message):
    target = tmp_path / "out.pdf"
    args = [arg.format(poc=signed_poc.pk) for arg in args]

    with pytest.raises(CommandError) as refusal:
        run(*args, "-o", str(target))

    assert refusal.value.returncode == 2
    assert str(refusal.value).startswith(message)
    assert "\n" not in str(refusal.value)
    assert not target.exists()


def test_an_unwritable_output_is_a_clean_error(signed_poc, tmp_path):
    with pytest.raises(CommandError) as refusal:
        run(str(signed_poc.pk), "--kind", "objective", "--format", "pdf",
            "-o", str(tmp_path / "missing" / "out.pdf"))

    assert refusal.value.returncode == 2
    assert str(refusal.value).startswith("Cannot write ")


def test_the_console_script_exits_2_with_one_line_for_an_unknown_poc(tmp_path):
    """Through the real `pocdesk` entry point, on an empty database of its own."""
    environment = {"POCDESK_VAR_DIR": str(tmp_path),
                   "DJANGO_SETTINGS_MODULE": "pocdesk.settings.test", "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "pocdesk.cli"]
    subprocess.run([*command, "migrate", "--noinput"], env=environment, check=True,
                   capture_output=True, timeout=120)

    result = subprocess.run([*command, "report", "42", "--kind", "objective", "--format", "pdf",
                             "-o", str(tmp_path / "out.pdf")],
                            env=environment, capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == ["CommandError: No POC has the id 42."]
    assert not (tmp_path / "out.pdf").exists()


def test_dash_writes_the_document_to_stdout(signed_poc, capsysbinary):
    call_command("report", str(signed_poc.pk), "--kind", "agreement", "--format", "pdf",
                 "-o", "-")

    output = capsysbinary.readouterr().out
    assert output.startswith(b"%PDF") and output.rstrip().endswith(b"%%EOF")
