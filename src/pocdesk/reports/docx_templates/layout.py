"""Building blocks of the docxtpl templates: styles, tables, Jinja tag paragraphs and rows,
the page header and footer, the masthead and the sign-off block shared by both documents.

Only `build.py` uses this, to write the templates; the product renders the generated files.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from pocdesk.core.docx import apply_document_fonts, declare_east_asian_font

INK = RGBColor(0x1F, 0x29, 0x33)
DARK = RGBColor(0x10, 0x2A, 0x43)
ACCENT = RGBColor(0x24, 0x50, 0x7A)
MUTED = RGBColor(0x6B, 0x77, 0x85)
ALERT = RGBColor(0xB4, 0x23, 0x18)
CONTENT_WIDTH = Mm(174)


def _styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(9.5)
    normal.font.color.rgb = INK
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, color, before, after in (("Title", 20, DARK, 0, 2),
                                             ("Heading 1", 12, DARK, 14, 5),
                                             ("Heading 2", 10, RGBColor(0x33, 0x4E, 0x68), 8, 2)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = color
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
    _paragraph_border(styles["Heading 1"].element.get_or_add_pPr(), "bottom", "CFD6DE", 4)
    title_pPr = styles["Title"].element.get_or_add_pPr()
    for border in title_pPr.findall(qn("w:pBdr")):
        title_pPr.remove(border)
    table_text = styles.add_style("Table Text", 1)
    table_text.base_style = normal
    table_text.font.size = Pt(8.5)
    table_text.paragraph_format.space_after = Pt(1)
    table_text.paragraph_format.line_spacing = 1.1
    small = styles.add_style("Small Print", 1)
    small.base_style = normal
    small.font.size = Pt(8)
    small.font.color.rgb = MUTED


# Child order of the property elements (ECMA-376): Word refuses a file whose properties are
# out of order, so every element added here goes to its place.
ORDER = {
    "w:pPr": ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
              "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
              "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
              "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
              "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
              "w:sectPr", "w:pPrChange"),
    "w:tblPr": ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual",
                "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc",
                "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
                "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"),
    "w:trPr": ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore",
               "w:wAfter", "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing",
               "w:jc", "w:hidden"),
    "w:tcPr": ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders",
               "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
               "w:hideMark"),
}


def place(parent, element):
    """Insert `element` into a property element at its schema position."""
    sequence = ORDER[parent.tag.replace(qn("w:x")[:-1], "w:")]
    name = element.tag.replace(qn("w:x")[:-1], "w:")
    parent.insert_element_before(element, *sequence[sequence.index(name) + 1:])
    return element


def _paragraph_border(pPr, side: str, color: str, size: int) -> None:
    borders = pPr.find(qn("w:pBdr"))
    if borders is None:
        borders = place(pPr, OxmlElement("w:pBdr"))
    line = OxmlElement(f"w:{side}")
    for key, setting in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"),
                       ("w:color", color)):
        line.set(qn(key), setting)
    borders.append(line)


def _shade(element_pr, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    place(element_pr, shading)


def para(container, text: str = "", *, style: str | None = None, bold: bool = False,
         italic: bool = False, color: RGBColor | None = None, size: float | None = None,
         align=None, after: float | None = None, font: str | None = None):
    paragraph = container.add_paragraph(style=style)
    if text:
        run(paragraph, text, bold=bold, italic=italic, color=color, size=size, font=font)
    if align is not None:
        paragraph.alignment = align
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def run(paragraph, text: str, *, bold: bool = False, italic: bool = False,
        color: RGBColor | None = None, size: float | None = None, font: str | None = None):
    piece = paragraph.add_run(text)
    piece.bold = bold or None
    piece.italic = italic or None
    if color is not None:
        piece.font.color.rgb = color
    if size is not None:
        piece.font.size = Pt(size)
    if font is not None:
        piece.font.name = font
    return piece


def value(expression: str) -> str:
    return "{{ " + expression + " }}"


def label(name: str) -> str:
    return value("labels." + name)


def labelled(container, caption: str, content: str, *, style: str = "Table Text"):
    """“Label: value” with the label in grey."""
    paragraph = para(container, style=style)
    run(paragraph, caption + "{{ labels.colon }} ", color=MUTED)
    run(paragraph, content)
    return paragraph


def tag(container, text: str):
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}); it disappears on render."""
    return para(container, text)


def _field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    paragraph._p.append(field)


def table(container, widths_mm: list[float], header: list[str] | None = None, *,
          grid: bool = True):
    """A fixed-layout table with only horizontal rules, its header row repeated on each page."""
    rows = 1 if header else 0
    new = container.add_table(rows=rows, cols=len(widths_mm))
    new.alignment = WD_TABLE_ALIGNMENT.LEFT
    new.autofit = False
    properties = new._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    place(properties, layout)
    borders = OxmlElement("w:tblBorders")
    rules = (("top", "9FB3C8"), ("bottom", "9FB3C8"), ("insideH", "D9E2EC")) if grid else ()
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        color = dict(rules).get(side)
        line.set(qn("w:val"), "single" if color else "nil")
        if color:
            line.set(qn("w:sz"), "4")
            line.set(qn("w:color"), color)
        borders.append(line)
    place(properties, borders)
    margins = OxmlElement("w:tblCellMar")
    for side, size in (("top", 60), ("left", 90), ("bottom", 60), ("right", 90)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(size))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    place(properties, margins)
    for index, width in enumerate(widths_mm):
        new.columns[index].width = Mm(width)
    if header:
        row = new.rows[0]
        header_properties = row._tr.get_or_add_trPr()
        place(header_properties, OxmlElement("w:tblHeader"))
        for index, text in enumerate(header):
            cell = row.cells[index]
            cell.width = Mm(widths_mm[index])
            _shade(cell._tc.get_or_add_tcPr(), "EEF2F6")
            cell.paragraphs[0].style = "Table Text"
            run(cell.paragraphs[0], text, bold=True, color=RGBColor(0x33, 0x4E, 0x68), size=8)
    return new


def add_row(new_table, widths_mm: list[float], *, keep: bool = True):
    row = new_table.add_row()
    if keep:
        place(row._tr.get_or_add_trPr(), OxmlElement("w:cantSplit"))
    for index, width in enumerate(widths_mm):
        row.cells[index].width = Mm(width)
        row.cells[index].paragraphs[0].style = "Table Text"
    return row


def tag_row(new_table, widths_mm: list[float], text: str) -> None:
    """A row holding a docxtpl row tag ({%tr … %}); the row disappears on render."""
    row = add_row(new_table, widths_mm, keep=False)
    row.cells[0].paragraphs[0].add_run(text)


def loop_rows(new_table, widths_mm: list[float], loop: str, expressions):
    """One row per item of `{%tr for <loop> %}`, a cell per expression (plain text)."""
    tag_row(new_table, widths_mm, "{%tr for " + loop + " %}")
    row = add_row(new_table, widths_mm)
    for index, expression in enumerate(expressions):
        cell_text(row.cells[index], value(expression))
    tag_row(new_table, widths_mm, "{%tr endfor %}")
    return row


def cell_text(cell, text: str, **formatting):
    """Write into the cell's first, empty paragraph."""
    paragraph = cell.paragraphs[0]
    run(paragraph, text, **formatting)
    return paragraph


# --- the page: header, footer, masthead, notices, sign-off --------------------------------------


def new_document():
    document = Document()
    _styles(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.left_margin = section.right_margin = Mm(18)
    section.header_distance = section.footer_distance = Mm(10)

    header = section.header.paragraphs[0]
    header.style = "Small Print"
    header.paragraph_format.tab_stops.add_tab_stop(CONTENT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    run(header, "{{ header.company }}")
    run(header, "{% if header.is_draft %}  ·  {{ header.draft_mark }}{% endif %}", bold=True,
        color=ALERT)
    run(header, "\t{{ header.document_title }}")

    footer = section.footer.paragraphs[0]
    footer.style = "Small Print"
    footer.paragraph_format.tab_stops.add_tab_stop(CONTENT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    run(footer, "{{ header.reference }}  ·  {{ header.version_text }}  ·  "
                "{{ header.status_text }}\t")
    _field(footer, "PAGE")
    run(footer, " / ")
    _field(footer, "NUMPAGES")

    apply_document_fonts(document)
    declare_east_asian_font(document)
    return document


def masthead(document) -> None:
    para(document, "{{ header.company }}", bold=True, color=ACCENT, size=8.5, after=2)
    para(document, "{{ header.document_title }}", style="Title")
    para(document, "{{ header.poc_title }}", color=RGBColor(0x33, 0x4E, 0x68), size=12, after=6)
    widths = [28, 59, 28, 59]
    meta = table(document, widths, grid=False)
    cells = [("customer", "header.customer", "reference", "header.reference"),
             ("opportunity", "header.opportunity", "version", "header.version_text"),
             ("generated", "header.generated", "status", "header.status_text")]
    for left_label, left_value, right_label, right_value in cells:
        row = add_row(meta, widths)
        cell_text(row.cells[0], label(left_label), color=MUTED)
        cell_text(row.cells[1], value(left_value))
        cell_text(row.cells[2], label(right_label), color=MUTED)
        cell_text(row.cells[3], value(right_value), bold=right_label == "status")
    rule = para(document, after=8)
    _paragraph_border(rule._p.get_or_add_pPr(), "bottom", "24507A", 12)

    tag(document, "{%p if header.is_draft %}")
    notice = para(document, after=8)
    _shade(notice._p.get_or_add_pPr(), "FDF2F1")
    run(notice, "{{ header.draft_mark }}. ", bold=True, color=ALERT)
    run(notice, "{{ signoff.summary }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if signoff.warning %}")
    warning = para(document, after=2)
    _shade(warning._p.get_or_add_pPr(), "FDF2F1")
    run(warning, "{{ labels.warning }}{{ labels.colon }} ", bold=True, color=ALERT)
    run(warning, "{{ signoff.warning }}")
    tag(document, "{%p for problem in signoff.problems %}")
    problem = para(document, "• {{ problem }}", after=2)
    _shade(problem._p.get_or_add_pPr(), "FDF2F1")
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")


def otherwise(document, empty: str) -> None:
    """Close a `{%p if … %}` block with its `{%p else %}`: the label `empty` as an italic grey
    placeholder."""
    tag(document, "{%p else %}")
    para(document, value(empty), italic=True, color=MUTED)
    tag(document, "{%p endif %}")


def text_or_empty(document, expression: str, *, empty: str = "labels.not_specified") -> None:
    """The user text of `expression` as paragraphs, or the placeholder `empty`."""
    tag(document, "{%p if " + expression + " %}")
    para(document, value(expression))
    otherwise(document, empty)


def signoff(document) -> None:
    para(document, "{{ body.signoff_number }}. {{ labels.signoff }}", style="Heading 1")
    widths = [87, 87]
    signatures = table(document, widths, grid=False)
    row = add_row(signatures, widths)
    for index in range(2):
        cell = row.cells[index]
        side = f"signoff.sides[{index}]"
        cell_text(cell, value(side + ".side"), bold=True, color=ACCENT, size=7.5)
        para(cell, value(side + ".party"), style="Table Text", bold=True, size=10, after=4)
        tag(cell, "{%p if " + side + ".signed %}")
        labelled(cell, "{{ labels.signatory }}", value(side + ".name"))
        labelled(cell, "{{ labels.signatory_title }}", value(side + ".title"))
        labelled(cell, "{{ labels.date }}", value(side + ".date"))
        labelled(cell, "{{ labels.signature_method }}", "✓ " + value(side + ".method"))
        tag(cell, "{%p else %}")
        for name in ("signatory", "signatory_title", "date"):
            labelled(cell, label(name), "_" * 32).paragraph_format.space_after = Pt(7)
        signature_line = labelled(cell, "{{ labels.signature }}", "_" * 32)
        signature_line.paragraph_format.space_before = Pt(16)
        tag(cell, "{%p endif %}")
    tag(document, "{%p if signoff.hash %}")
    summary = para(document, after=1)
    summary.paragraph_format.space_before = Pt(8)
    run(summary, "{% if signoff.verified %}✓{% else %}⚠{% endif %} {{ signoff.summary }}",
        bold=True)
    check = para(document, style="Small Print", after=1)
    run(check, "{{ labels.content_hash }}{{ labels.colon }} ")
    run(check, "{{ signoff.hash }}", font="Courier New")
    tag(document, "{%p endif %}")
