"""Write the docxtpl templates of the plan documents: objective.docx and agreement.docx.

Run after changing the layout, and commit the generated files:

    .venv/bin/python -m pocdesk.reports.docx_templates.build

The templates hold Jinja tags only; every word comes translated from the context
(`reports.plan_context`), so one template serves English, Chinese and French. Tables are real
Word tables and paragraphs real paragraphs, so the rendered document stays editable.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from .layout import (
    ACCENT,
    DARK,
    MUTED,
    add_row,
    cell_text,
    label,
    labelled,
    masthead,
    new_document,
    para,
    run,
    signoff,
    table,
    tag,
    tag_row,
    text_or_empty,
    value,
)

HERE = Path(__file__).resolve().parent


# --- the two documents --------------------------------------------------------------------------


def build_objective(folder: Path = HERE) -> None:
    document = new_document()
    masthead(document)
    para(document, "1. {{ labels.objective }}", style="Heading 1")
    text_or_empty(document, "body.objective")

    para(document, "2. {{ labels.success_criteria }}", style="Heading 1")
    tag(document, "{%p if body.criteria %}")
    para(document, "{{ body.criteria_summary }}", color=MUTED)
    widths = [9, 57, 47, 61]
    criteria = table(document, widths, ["#", "{{ labels.criterion }}", "{{ labels.target }}",
                                        "{{ labels.conditions }} · {{ labels.method }}"])
    tag_row(criteria, widths, "{%tr for criterion in body.criteria %}")
    row = add_row(criteria, widths)
    cell_text(row.cells[0], "{{ criterion.number }}", color=MUTED)
    cell_text(row.cells[1], "{{ criterion.title }}", bold=True, color=DARK)
    tag(row.cells[1], "{%p if criterion.question %}")
    para(row.cells[1], "{{ criterion.question }}", style="Table Text", italic=True,
         color=RGBColor(0x48, 0x65, 0x81))
    tag(row.cells[1], "{%p endif %}")
    meta = para(row.cells[1], style="Table Text")
    run(meta, "{% if criterion.must_have %}■ {{ labels.must_have }}  ·  {% endif %}", bold=True,
        color=ACCENT)
    run(meta, "{{ labels.owner }}{{ labels.colon }} ", color=MUTED)
    run(meta, "{{ criterion.owner }}  ·  ")
    run(meta, "{{ labels.importance }}{{ labels.colon }} ", color=MUTED)
    run(meta, "{{ criterion.importance }} / 5")
    cell_text(row.cells[2], "{{ criterion.target }}", bold=True, color=DARK)
    tag(row.cells[2], "{%p if criterion.metric %}")
    labelled(row.cells[2], "{{ labels.metric }}", "{{ criterion.metric }}")
    tag(row.cells[2], "{%p endif %}")
    labelled(row.cells[2], "{{ labels.aggregation }}", "{{ criterion.aggregation }}")
    tag(row.cells[2], "{%p if criterion.frequency %}")
    labelled(row.cells[2], "{{ labels.frequency }}", "{{ criterion.frequency }}")
    tag(row.cells[2], "{%p endif %}")
    paragraph = row.cells[3].paragraphs[0]
    run(paragraph, "{{ labels.conditions }}{{ labels.colon }} ", color=MUTED)
    run(paragraph, "{{ criterion.conditions or labels.not_specified }}")
    labelled(row.cells[3], "{{ labels.method }}", "{{ criterion.method }}")
    tag_row(criteria, widths, "{%tr endfor %}")
    legend = para(document, style="Small Print")
    legend.paragraph_format.space_before = Pt(4)
    run(legend, "■ {{ labels.must_have }}{{ labels.colon }} ", bold=True, color=ACCENT)
    run(legend, "{{ labels.must_have_note }}")
    tag(document, "{%p else %}")
    para(document, "{{ labels.no_criteria }}", italic=True, color=MUTED)
    tag(document, "{%p endif %}")

    signoff(document)
    document.save(folder / "objective.docx")


def build_agreement(folder: Path = HERE) -> None:
    document = new_document()
    masthead(document)
    para(document, "1. {{ labels.scope }}", style="Heading 1")
    para(document, "{{ labels.scope_included }}", style="Heading 2")
    text_or_empty(document, "body.scope_included")
    para(document, "{{ labels.scope_excluded }}", style="Heading 2")
    text_or_empty(document, "body.scope_excluded")

    para(document, "2. {{ labels.timeframe }}", style="Heading 1")
    widths = [40, 134]
    facts = table(document, widths, grid=False)
    for name, expression in (("start", "body.start or '—'"), ("end", "body.end or '—'"),
                         ("duration", "body.duration or '—'"),
                         ("checkpoints", "body.cadence or '—'")):
        row = add_row(facts, widths)
        cell_text(row.cells[0], label(name), color=MUTED)
        cell_text(row.cells[1], value(expression))

    para(document, "3. {{ labels.resources }}", style="Heading 1")
    tag(document, "{%p if body.resources %}")
    widths = [8, 40, 86, 40]
    resources = table(document, widths, ["#", "{{ labels.resource_kind }}",
                                         "{{ labels.description }}", "{{ labels.due_date }}"])
    tag_row(resources, widths, "{%tr for resource in body.resources %}")
    row = add_row(resources, widths)
    for index, expression in enumerate(("loop.index", "resource.kind", "resource.description",
                                   "resource.due_date")):
        cell_text(row.cells[index], value(expression))
    tag_row(resources, widths, "{%tr endfor %}")
    tag(document, "{%p else %}")
    para(document, "{{ labels.no_resources }}", italic=True, color=MUTED)
    tag(document, "{%p endif %}")

    para(document, "4. {{ labels.cost_sharing }}", style="Heading 1")
    tag(document, "{%p if body.cost_lines %}")
    widths = [8, 28, 68, 28, 42]
    costs = table(document, widths, ["#", "{{ labels.category }}", "{{ labels.description }}",
                                     "{{ labels.paid_by }}", "{{ labels.amount }}"])
    costs.rows[0].cells[4].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    tag_row(costs, widths, "{%tr for line in body.cost_lines %}")
    row = add_row(costs, widths)
    for index, expression in enumerate(("loop.index", "line.category", "line.description",
                                   "line.paid_by", "line.amount")):
        cell_text(row.cells[index], value(expression))
    row.cells[4].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    tag_row(costs, widths, "{%tr endfor %}")
    tag_row(costs, widths, "{%tr for total in body.cost_totals %}")
    row = add_row(costs, widths)
    cell_text(row.cells[1], "{{ labels.total }} {{ total.currency }}", bold=True)
    cell_text(row.cells[2], "{{ total.split }}", color=MUTED, size=8)
    cell_text(row.cells[4], "{{ total.amount }}", bold=True).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    tag_row(costs, widths, "{%tr endfor %}")
    tag(document, "{%p else %}")
    para(document, "{{ labels.no_costs }}", italic=True, color=MUTED)
    tag(document, "{%p endif %}")

    para(document, "5. {{ labels.ip }}", style="Heading 1")
    text_or_empty(document, "body.ip_ownership")
    para(document, "6. {{ labels.confidentiality }}", style="Heading 1")
    text_or_empty(document, "body.confidentiality")
    reference = para(document)
    run(reference, "{{ labels.nda_reference }}{{ labels.colon }} ", color=MUTED)
    run(reference, "{{ body.nda_reference or labels.not_specified }}")
    para(document, "7. {{ labels.follow_on }}", style="Heading 1")
    para(document, "{{ body.follow_on_kind }}", bold=True)
    tag(document, "{%p if body.follow_on %}")
    para(document, "{{ body.follow_on }}")
    tag(document, "{%p endif %}")
    para(document, "8. {{ labels.exit }}", style="Heading 1")
    tag(document, "{%p if body.exit_trigger %}")
    para(document, "{{ body.exit_trigger }}", bold=True)
    tag(document, "{%p endif %}")
    text_or_empty(document, "body.exit_clause")
    para(document, "9. {{ labels.data_handling }}", style="Heading 1")
    text_or_empty(document, "body.data_handling")

    signoff(document)
    document.save(folder / "agreement.docx")


if __name__ == "__main__":
    build_objective()
    build_agreement()
