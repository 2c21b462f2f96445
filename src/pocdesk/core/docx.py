"""DOCX documents from docxtpl templates: escaped user text, fonts that show Chinese.

Templates are ordinary .docx files with Jinja tags, rendered with `autoescape=True` so that a
`<` or `&` typed by a user stays a character and cannot break or inject WordprocessingML. Every
string of the context is first cleaned to plain text; blank lines become paragraphs and single
line breaks stay line breaks.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .pdf import plain_text

# Word and LibreOffice pick the font of Chinese characters from w:eastAsia, not from the Latin
# font: without it they fall back to a font that may have no Chinese glyph. Word on Windows has
# no Noto font, so the font table names SimSun as its alternative.
LATIN_FONT = "Arial"
EAST_ASIAN_FONT = "Noto Sans CJK SC"
EAST_ASIAN_FALLBACK = "SimSun"

# w:lang: `val` is the language of Latin-script runs (spelling, hyphenation), `eastAsia` the
# language of Chinese runs. A Chinese document keeps English for its Latin words (product
# names, units): with zh-CN there, LibreOffice breaks Latin words anywhere.
WORD_LANGUAGES = {"en": "en-GB", "fr": "fr-FR", "zh-hans": "en-GB"}
DOCUMENT_LANGUAGES = {"en": "en-GB", "fr": "fr-FR", "zh-hans": "zh-CN"}

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_text(value: Any) -> str:
    """A user string as docxtpl writes it: `\\a` starts a new paragraph, `\\n` breaks a line."""
    text = plain_text(value)
    return "\a".join(block for block in re.split(r"\n\s*\n", text) if block.strip())


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return docx_text(value)
    if isinstance(value, Mapping):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def _qn(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _child(parent, tag: str, *, first: bool = False):
    element = parent.find(_qn(tag))
    if element is None:
        from lxml import etree

        element = etree.SubElement(parent, _qn(tag))
        if first:
            parent.remove(element)
            parent.insert(0, element)
    return element


def apply_document_fonts(document, *, language: str | None = None) -> None:
    """Set the Latin and East-Asian fonts (and the text language) on the document defaults.

    Styles that name their own Latin font keep it, and get the East-Asian font beside it.
    """
    styles = document.styles.element
    doc_defaults = _child(styles, "docDefaults", first=True)
    run_defaults = _child(_child(doc_defaults, "rPrDefault", first=True), "rPr")
    fonts = _child(run_defaults, "rFonts", first=True)
    for attribute in ("ascii", "hAnsi", "cs"):
        fonts.set(_qn(attribute), LATIN_FONT)
    lang = _child(run_defaults, "lang")
    lang.set(_qn("eastAsia"), "zh-CN")
    if language:
        lang.set(_qn("val"), WORD_LANGUAGES.get(language, language))
    # Theme fonts win over named ones in Word: styles name their fonts, never the theme's.
    for style_fonts in styles.iter(_qn("rFonts")):
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            style_fonts.attrib.pop(_qn(attribute), None)
        style_fonts.set(_qn("eastAsia"), EAST_ASIAN_FONT)


def declare_east_asian_font(document) -> None:
    """Name the East-Asian font in the font table, with SimSun as its alternative."""
    from lxml import etree

    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = etree.fromstring(part.blob)
        for font in root.findall(_qn("font")):
            if font.get(_qn("name")) == EAST_ASIAN_FONT:
                root.remove(font)
        font = etree.SubElement(root, _qn("font"))
        font.set(_qn("name"), EAST_ASIAN_FONT)
        etree.SubElement(font, _qn("altName")).set(_qn("val"), EAST_ASIAN_FALLBACK)
        etree.SubElement(font, _qn("charset")).set(_qn("val"), "86")
        etree.SubElement(font, _qn("family")).set(_qn("val"), "swiss")
        etree.SubElement(font, _qn("pitch")).set(_qn("val"), "variable")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)


def render_docx(template_path: str | Path, context: Mapping[str, Any], *,
                language: str | None = None, properties: Mapping[str, str] | None = None,
                prepare: Callable[[Any, dict[str, Any]], None] | None = None) -> bytes:
    """The .docx rendered from a docxtpl template with `context` (strings are plain text).

    `properties` sets the file's core properties (title, subject, author…) as plain values.
    `prepare(template, context)` may change the cleaned context in place before it is
    rendered, e.g. to add pictures (`docxtpl.InlineImage`, which needs the template).
    """
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(template_path))
    values = _clean(dict(context))
    if prepare is not None:
        prepare(template, values)
    template.render(values, autoescape=True)
    apply_document_fonts(template.docx, language=language)
    core = template.docx.core_properties
    for name, value in (properties or {}).items():
        setattr(core, name, plain_text(value)[:255])
    if language:
        core.language = DOCUMENT_LANGUAGES.get(language, language)
    output = io.BytesIO()
    template.save(output)
    return output.getvalue()
