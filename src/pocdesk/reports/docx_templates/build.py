"""Write the docxtpl templates: objective.docx, agreement.docx and final.docx.

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
    ALERT,
    DARK,
    MUTED,
    add_row,
    cell_text,
    label,
    labelled,
    loop_rows,
    masthead,
    new_document,
    otherwise,
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
    otherwise(document, "labels.no_criteria")

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
    loop_rows(resources, widths, "resource in body.resources",
              ("loop.index", "resource.kind", "resource.description", "resource.due_date"))
    otherwise(document, "labels.no_resources")

    para(document, "4. {{ labels.cost_sharing }}", style="Heading 1")
    tag(document, "{%p if body.cost_lines %}")
    widths = [8, 28, 68, 28, 42]
    costs = table(document, widths, ["#", "{{ labels.category }}", "{{ labels.description }}",
                                     "{{ labels.paid_by }}", "{{ labels.amount }}"])
    costs.rows[0].cells[4].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    row = loop_rows(costs, widths, "line in body.cost_lines",
                    ("loop.index", "line.category", "line.description", "line.paid_by",
                     "line.amount"))
    row.cells[4].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    tag_row(costs, widths, "{%tr for total in body.cost_totals %}")
    row = add_row(costs, widths)
    cell_text(row.cells[1], "{{ labels.total }} {{ total.currency }}", bold=True)
    cell_text(row.cells[2], "{{ total.split }}", color=MUTED, size=8)
    cell_text(row.cells[4], "{{ total.amount }}", bold=True).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    tag_row(costs, widths, "{%tr endfor %}")
    otherwise(document, "labels.no_costs")

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


def _facts(document, rows: list[tuple[str, str]], widths=(52, 122)):
    facts = table(document, list(widths), grid=False)
    for caption, content in rows:
        row = add_row(facts, list(widths))
        cell_text(row.cells[0], caption, color=MUTED)
        cell_text(row.cells[1], content)
    return facts


def build_final(folder: Path = HERE) -> None:
    """The final report (§9.1): cover, results first, then the details and the signatures.

    The context is `reports.final_document`'s: `labels`, `header` and `report` (the content
    of `reports.final.final_report`), each criterion with its chart as `image`.
    """
    document = new_document()
    # --- cover
    para(document, "{{ report.poc.company }}", bold=True, color=ACCENT, size=10, after=60)
    para(document, "{{ labels.document_title }}", color=MUTED, size=13, after=4)
    para(document, "{{ report.poc.title }}", style="Title").paragraph_format.space_after = Pt(6)
    para(document, "{{ report.poc.customer }}", color=RGBColor(0x33, 0x4E, 0x68), size=14,
         after=30)
    widths = [56, 3, 56, 3, 56]
    results = table(document, widths, grid=False)
    row = add_row(results, widths)
    for index, (caption, figure) in enumerate((
            ("labels.technical_result", "report.results.technical_text"),
            ("labels.commercial_result", "report.results.commercial_text"),
            ("labels.criteria_met", "report.summary.criteria_met ~ ' / ' ~ "
                                    "report.summary.criteria_total"))):
        cell = row.cells[index * 2]
        cell_text(cell, value(caption), color=MUTED, size=8)
        para(cell, value(figure), style="Table Text", bold=True, size=15, color=DARK)
    para(document, after=20)
    _facts(document, [("{{ labels.customer }}", "{{ report.poc.customer }}"),
                      ("{{ labels.opportunity }}", "{{ report.poc.opportunity }}"),
                      ("{{ labels.vendor_team }}", "{{ report.poc.company }}{% if "
                       "report.poc.vendor_people %} — {{ report.poc.vendor_people|join(', ') }}"
                       "{% endif %}"),
                      ("{{ labels.reference }}", "{{ report.poc.reference }}"),
                      ("{{ labels.status }}", "{{ report.poc.status_text }}"),
                      ("{{ labels.generated }}", "{{ report.generated_text }}")], widths=(40, 134))
    tag(document, "{%p if not report.poc.closed %}")
    para(document, "{{ labels.not_closed }}", italic=True, color=ALERT).paragraph_format \
        .space_before = Pt(18)
    tag(document, "{%p endif %}")
    document.add_page_break()

    # --- 1. executive summary
    para(document, "1. {{ labels.executive_summary }}", style="Heading 1")
    widths = [43.5, 43.5, 43.5, 43.5]
    summary = table(document, widths, ["{{ labels.technical_result }}",
                                       "{{ labels.commercial_result }}",
                                       "{{ labels.criteria_met }}", "{{ labels.must_haves }}"])
    row = add_row(summary, widths)
    for index, (figure, detail) in enumerate((
            ("report.results.technical_text",
             "labels.derived ~ labels.colon ~ ' ' ~ report.results.derived_text"),
            ("report.results.commercial_text",
             "report.results.order_text or report.results.reason_text"),
            ("report.summary.criteria_met ~ ' / ' ~ report.summary.criteria_total",
             "report.summary.criteria_text"),
            ("report.summary.must_have_met ~ ' / ' ~ report.summary.must_have_total",
             "report.summary.must_have_text"))):
        cell_text(row.cells[index], value(figure), bold=True, size=12, color=DARK)
        para(row.cells[index], value(detail), style="Table Text", color=MUTED, size=8)
    para(document, after=2)
    tag(document, "{%p if report.results.overridden and report.results.override_reason %}")
    labelled(document, "{{ labels.override_reason }}", "{{ report.results.override_reason }}",
             style="Normal")
    tag(document, "{%p endif %}")
    tag(document, "{%p if report.results.reason_detail %}")
    labelled(document, "{{ labels.reason }}", "{{ report.results.reason_detail }}",
             style="Normal")
    tag(document, "{%p endif %}")
    tag(document, "{%p if report.summary.must_have_failing %}")
    failing = para(document)
    run(failing, "{{ labels.must_have_failing }}{{ labels.colon }} ", bold=True, color=ALERT)
    run(failing, "{{ report.summary.must_have_failing|join(', ') }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if report.summary.must_have_no_data %}")
    missing = para(document)
    run(missing, "{{ labels.must_have_no_data }}{{ labels.colon }} ", bold=True)
    run(missing, "{{ report.summary.must_have_no_data|join(', ') }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if report.criteria %}")
    widths = [9, 72, 37, 32, 24]
    overview = table(document, widths, ["#", "{{ labels.criterion }}", "{{ labels.target }}",
                                        "{{ labels.measured }}", "{{ labels.result }}"])
    tag_row(overview, widths, "{%tr for row in report.criteria %}")
    row = add_row(overview, widths)
    cell_text(row.cells[0], "{{ row.number }}", color=MUTED)
    cell_text(row.cells[1], "{{ row.title }}", bold=True, color=DARK)
    run(row.cells[1].paragraphs[0], "{% if row.must_have %}  ■ {{ labels.must_have }}"
        "{% endif %}", bold=True, color=ACCENT, size=7.5)
    cell_text(row.cells[2], "{{ row.target }}")
    cell_text(row.cells[3], "{{ row.measured }}", bold=True)
    cell_text(row.cells[4], "{{ row.status_text }}", bold=True)
    tag_row(overview, widths, "{%tr endfor %}")
    tag(document, "{%p endif %}")

    # --- 2. objective and scope
    para(document, "2. {{ labels.objective_scope }}", style="Heading 1")
    para(document, "{{ labels.objective }}", style="Heading 2")
    text_or_empty(document, "report.objective")
    para(document, "{{ labels.scope_included }}", style="Heading 2")
    text_or_empty(document, "report.scope.included")
    para(document, "{{ labels.scope_excluded }}", style="Heading 2")
    text_or_empty(document, "report.scope.excluded")

    # --- 3. timeline
    para(document, "3. {{ labels.timeline }}", style="Heading 1")
    widths = [40, 44, 44, 46]
    timeline = table(document, widths, ["", "{{ labels.start }}", "{{ labels.end }}",
                                        "{{ labels.duration }}"])
    for name, prefix in (("planned", "planned"), ("actual", "actual")):
        row = add_row(timeline, widths)
        cell_text(row.cells[0], label(name), color=MUTED)
        cell_text(row.cells[1], value(f"report.timeline.{prefix}_start_text or '—'"))
        cell_text(row.cells[2], value(f"report.timeline.{prefix}_end_text or '—'"))
        cell_text(row.cells[3], value(f"report.timeline.{prefix}_days_text or '—'")
                  + ("{% if report.timeline.drift_text %} ({{ report.timeline.drift_text }})"
                     "{% endif %}" if prefix == "actual" else ""))
    para(document, "{{ labels.milestones }}", style="Heading 2")
    tag(document, "{%p if report.timeline.milestones %}")
    widths = [74, 33, 33, 34]
    milestones = table(document, widths, ["{{ labels.milestone }}", "{{ labels.planned }}",
                                          "{{ labels.done }}", "{{ labels.drift }}"])
    loop_rows(milestones, widths, "milestone in report.timeline.milestones",
              ("milestone.label", "milestone.planned_text",
               "milestone.done_text or milestone.status_label", "milestone.slip_text or '—'"))
    otherwise(document, "labels.no_milestones")

    # --- 4. criteria
    para(document, "4. {{ labels.criteria }}", style="Heading 1")
    tag(document, "{%p if report.criteria %}")
    widths = [8, 52, 32, 27, 18, 15, 22]
    criteria = table(document, widths, ["#", "{{ labels.criterion }}", "{{ labels.target }}",
                                        "{{ labels.measured }}", "{{ labels.result }}",
                                        "{{ labels.readings }}", "{{ labels.evidence }}"])
    tag_row(criteria, widths, "{%tr for row in report.criteria %}")
    row = add_row(criteria, widths)
    cell_text(row.cells[0], "{{ row.number }}", color=MUTED)
    cell_text(row.cells[1], "{{ row.title }}", bold=True, color=DARK)
    tag(row.cells[1], "{%p if row.question %}")
    para(row.cells[1], "{{ row.question }}", style="Table Text", italic=True,
         color=RGBColor(0x48, 0x65, 0x81))
    tag(row.cells[1], "{%p endif %}")
    meta = para(row.cells[1], style="Table Text")
    run(meta, "{% if row.must_have %}■ {{ labels.must_have }}  ·  {% endif %}", bold=True,
        color=ACCENT)
    run(meta, "{{ row.aggregation_label }}{% if row.period_text %} · {{ row.period_text }}"
              "{% endif %}", color=MUTED, size=7.5)
    cell_text(row.cells[2], "{{ row.target }}")
    cell_text(row.cells[3], "{{ row.measured }}", bold=True)
    cell_text(row.cells[4], "{{ row.status_text }}", bold=True)
    cell_text(row.cells[5], "{{ row.count_text }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    cell_text(row.cells[6], "{% if row.evidence_count %}{{ row.evidence_count }} "
                            "{{ labels.files }}{% else %}{{ labels.no_evidence }}{% endif %}")
    tag(row.cells[6], "{%p if row.evidence_names %}")
    para(row.cells[6], "{{ row.evidence_names }}", style="Table Text", color=MUTED, size=7.5)
    tag(row.cells[6], "{%p endif %}")
    tag_row(criteria, widths, "{%tr endfor %}")

    # --- 5. charts
    para(document, "5. {{ labels.charts }}", style="Heading 1")
    tag(document, "{%p for row in report.criteria %}")
    caption = para(document, after=1)
    caption.paragraph_format.keep_with_next = True
    run(caption, "{{ row.figure }}", bold=True, color=ACCENT)
    run(caption, " — {{ row.title }}", bold=True, color=DARK)
    run(caption, "  ·  {{ labels.target }}{{ labels.colon }} {{ row.target }}  ·  "
                 "{{ labels.measured }}{{ labels.colon }} {{ row.measured }}  ·  "
                 "{{ row.status_text }}", color=MUTED, size=8)
    para(document, "{{ row.image }}", after=10)
    tag(document, "{%p endfor %}")
    otherwise(document, "labels.no_criteria")

    # --- 6. derivation
    para(document, "6. {{ labels.derivation }}", style="Heading 1")
    para(document, "{{ labels.derivation_rule }}")
    _facts(document, [
        ("{{ labels.weighted_share }}", "{{ report.derivation.weighted_share_text }} "
         "({{ labels.threshold }}{{ labels.colon }} {{ report.derivation.threshold_text }})"),
        ("{{ labels.criteria_count }}", "{{ report.derivation.passing }} {{ labels.passing }} · "
         "{{ report.derivation.failing }} {{ labels.failing }} · "
         "{{ report.derivation.no_data }} {{ labels.no_data }}"),
        ("{{ labels.must_have_failing }}",
         "{{ report.derivation.must_have_failing|join(', ') or '—' }}"),
        ("{{ labels.technical_result }}", "{{ report.derivation.result_text }}")])

    # --- 7. assessment, 8. next step
    para(document, "7. {{ labels.assessment }}", style="Heading 1")
    for name in ("strengths", "limitations", "improvements"):
        para(document, label(name), style="Heading 2")
        text_or_empty(document, f"report.narrative.{name}", empty="labels.not_stated")
    para(document, "8. {{ labels.next_step }}", style="Heading 1")
    tag(document, "{%p if report.narrative.next_step %}")
    para(document, "{{ report.narrative.next_step }}")
    tag(document, "{%p elif not report.narrative.follow_on and "
                  "not report.narrative.conditional_po %}")
    para(document, "{{ labels.not_stated }}", italic=True, color=MUTED)
    tag(document, "{%p endif %}")
    tag(document, "{%p if report.narrative.follow_on_kind_text or report.narrative.follow_on %}")
    para(document, "{{ labels.follow_on }}{% if report.narrative.follow_on_kind_text %}"
                   "{{ labels.colon }} {{ report.narrative.follow_on_kind_text }}{% endif %}",
         style="Heading 2")
    tag(document, "{%p if report.narrative.follow_on %}")
    para(document, "{{ report.narrative.follow_on }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if report.narrative.conditional_po %}")
    para(document, "{{ labels.conditional_po }}", style="Heading 2")
    _facts(document, [
        ("{{ labels.po_reference }}", "{{ report.narrative.conditional_po.reference or '—' }}"),
        ("{{ labels.po_value }}", "{{ report.narrative.conditional_po.value_text or '—' }}"),
        ("{{ labels.po_criteria }}", "{{ report.narrative.conditional_po.criteria or '—' }}")])
    tag(document, "{%p endif %}")

    # --- 9. cost and ROI
    para(document, "9. {{ labels.costs }}", style="Heading 1")
    _facts(document, [
        ("{{ labels.planned_cost }}", "{{ report.costs.planned_total_text }}"),
        ("{{ labels.actual_cost }}", "{{ report.costs.actual_total_text }}"),
        ("{{ labels.vendor_share }}", "{{ report.costs.vendor_total_text }}"),
        ("{{ labels.deal_amount }}", "{{ report.costs.deal_amount_text }}"),
        ("{{ labels.cost_ratio }}", "{{ report.costs.ratio_text }} ({{ labels.cost_basis }}"
         "{{ labels.colon }} {{ report.costs.basis_text }}){% if report.costs.above_text %} — "
         "{{ report.costs.above_text }}{% endif %}")])
    tag(document, "{%p if report.costs.lines %}")
    widths = [30, 82, 28, 34]
    costs = table(document, widths, ["{{ labels.category }}", "{{ labels.description }}",
                                     "{{ labels.paid_by }}", "{{ labels.amount }}"])
    costs.rows[0].cells[3].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    row = loop_rows(costs, widths, "line in report.costs.lines",
                    ("line.category", "line.description", "line.paid_by", "line.amount_text"))
    row.cells[3].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    otherwise(document, "labels.no_costs")
    para(document, "{{ labels.roi }}", style="Heading 2")
    tag(document, "{%p if report.costs.risks %}")
    widths = [74, 28, 36, 36]
    risks = table(document, widths, ["{{ labels.risk }}", "{{ labels.probability }}",
                                     "{{ labels.impact }}", "{{ labels.expected }}"])
    loop_rows(risks, widths, "risk in report.costs.risks",
              ("risk.description", "risk.probability_text", "risk.impact_text",
               "risk.expected_text"))
    para(document, after=2)
    _facts(document, [
        ("{{ labels.risk_total }}", "{{ report.costs.risk_total_text }}"),
        ("{{ labels.poc_cost }}", "{{ report.costs.poc_cost_text }}"),
        ("{{ labels.net }}", "{{ report.costs.net_text }} ({{ labels.multiple }}"
         "{{ labels.colon }} {{ report.costs.multiple_text }})")])
    otherwise(document, "labels.no_risks")

    # --- 10. confirmation and signatures
    para(document, "10. {{ labels.confirmation }}", style="Heading 1")
    tag(document, "{%p if report.confirmation.confirmed %}")
    confirmed = para(document)
    run(confirmed, "{{ labels.confirmed_by }}{{ labels.colon }} ", color=MUTED)
    run(confirmed, "{{ report.confirmation.by or '—' }}", bold=True)
    run(confirmed, "{% if report.confirmation.by_title %}, {{ report.confirmation.by_title }}"
                   "{% endif %} · {{ labels.confirmed_on }} {{ report.confirmation.on_text }}")
    tag(document, "{%p if report.confirmation.note %}")
    para(document, "{{ report.confirmation.note }}")
    tag(document, "{%p endif %}")
    otherwise(document, "labels.not_confirmed")
    para(document, "{{ labels.signatures }}", style="Heading 2")
    widths = [87, 87]
    signatures = table(document, widths, grid=False)
    row = add_row(signatures, widths)
    for index in range(2):
        cell = row.cells[index]
        side = f"report.signatures[{index}]"
        cell_text(cell, value(side + ".side"), bold=True, color=ACCENT, size=7.5)
        para(cell, value(side + ".party"), style="Table Text", bold=True, size=10, after=4)
        for name in ("signatory", "signatory_title", "date"):
            labelled(cell, label(name), "_" * 32).paragraph_format.space_after = Pt(7)
        signature_line = labelled(cell, "{{ labels.signature }}", "_" * 32)
        signature_line.paragraph_format.space_before = Pt(16)
    document.save(folder / "final.docx")


if __name__ == "__main__":
    build_objective()
    build_agreement()
    build_final()
