"""The committed DOCX templates are the ones `docx_templates/build.py` writes."""

import zipfile

import pytest

from pocdesk.reports.docx_templates import build


@pytest.mark.parametrize("name", ["objective", "agreement"])
def test_the_committed_template_is_up_to_date_with_its_generator(tmp_path, name):
    getattr(build, f"build_{name}")(tmp_path)

    built = zipfile.ZipFile(tmp_path / f"{name}.docx")
    committed = zipfile.ZipFile(build.HERE / f"{name}.docx")
    assert built.namelist() == committed.namelist()
    stale = [part for part in built.namelist() if built.read(part) != committed.read(part)]
    assert stale == [], "run: python -m pocdesk.reports.docx_templates.build"
