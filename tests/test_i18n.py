"""The zh_Hans and fr catalogues are complete, compiled, and cover every marked string."""

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

import pocdesk

PACKAGE_DIR = Path(pocdesk.__file__).resolve().parent
LANGUAGES = ["zh_Hans", "fr"]


def catalogue(language: str, root: Path = PACKAGE_DIR) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


def msgids(po: polib.POFile) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    po = catalogue(language)

    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]

    assert len(po) > 100
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    import re

    placeholder = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}")
    broken = [
        entry.msgid for entry in catalogue(language)
        if sorted(placeholder.findall(entry.msgid)) != sorted(placeholder.findall(entry.msgstr))
        and not entry.msgid_plural
    ]

    assert broken == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_source(language):
    po = catalogue(language)
    mo = polib.mofile(str(PACKAGE_DIR / "locale" / language / "LC_MESSAGES" / "django.mo"))

    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in mo if entry.msgid}
    source = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in po.translated_entries()
              if not entry.msgid_plural}

    assert {key: compiled.get(key) for key in source} == source


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_the_catalogues_cover_every_marked_string(tmp_path, settings, monkeypatch):
    copy = tmp_path / "pocdesk"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)

    call_command("makemessages", locale=LANGUAGES, no_obsolete=True, verbosity=0)

    for language in LANGUAGES:
        missing = msgids(catalogue(language, copy)) - msgids(catalogue(language))
        assert sorted(message for _context, message in missing) == [], language
