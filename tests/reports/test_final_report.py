"""The final report (§9.1): its content, and the PDF, DOCX and HTML files in three languages."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.utils import translation
from pypdf import PdfReader

from pocdesk.core.errors import PermissionDenied, ValidationFailed
from pocdesk.criteria.measure import FAILING, NO_DATA, PASSING
from pocdesk.reports.documents import document_kinds, render_document
from pocdesk.reports.final import final_labels, final_report, status_word

from .final_poc import TITLES, make_report_poc

LANGUAGES = ("en", "zh-hans", "fr")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [paragraph.text for paragraph in cell.paragraphs]
    return "\n".join(parts)


def words(language: str) -> dict[str, str]:
    with translation.override(language):
        labels = final_labels()
        return {"figure": labels["figure"], "labels": labels,
                **{status: status_word(status) for status in (PASSING, FAILING, NO_DATA)}}


# --- content ----------------------------------------------------------------------------------

def test_the_content_compares_every_target_with_what_was_measured(poc):
    criteria = make_report_poc(poc)
    report = final_report(poc=poc)
    rows = {row["title"]: row for row in report["criteria"]}
    assert list(rows) == [criterion.title for criterion in criteria]
    throughput = rows["Throughput at peak load"]
    assert throughput["target"] == "≥ 120 t/h"
    assert throughput["measured"].endswith("t/h")
    assert throughput["measured"] == "123.7 t/h"  # the mean of 30 readings, 123.7333…
    assert throughput["status"] == PASSING and throughput["count"] == 30
    assert throughput["evidence_count"] == 1
    assert throughput["evidence"][0]["name"] == "weighbridge-export.csv"
    assert rows["Flicker (lab)"]["evidence"][0]["name"] == "lab-report.pdf"
    assert rows["Energy saving"]["status"] == FAILING
    assert rows["Noise level"]["status"] == NO_DATA and rows["Noise level"]["measured"] == "—"
    assert rows["Colour temperature"]["chart"]["bucketed"] is True
    assert rows["Flicker (lab)"]["chart"]["bucketed"] is False
    assert report["summary"]["criteria_met"] == 4 and report["summary"]["criteria_total"] == 6
    assert report["summary"]["must_have_met"] == 2 and report["summary"]["must_have_total"] == 2
    assert report["results"]["commercial"] == "won" and report["results"]["stated"]
    assert report["derivation"]["passing"] == 4 and report["derivation"]["failing"] == 1
    timeline = report["timeline"]
    assert timeline["planned_days"] == 30 and timeline["actual_days"] == 33
    assert timeline["drift_days"] == 3
    assert [m["label"] for m in timeline["milestones"]] == ["Kickoff", "Final review"]
    assert timeline["milestones"][0]["slip_days"] == 1
    assert report["narrative"]["next_step"] == "Order for the whole site by June."
    assert report["narrative"]["conditional_po"]["reference"] == "PO-2026-118"
    assert report["narrative"]["follow_on"].startswith("The customer orders")
    assert report["scope"]["excluded"] == "Outdoor lighting."
    assert report["costs"]["risks"][0]["description"] == "Colour drift in the first year"
    assert report["confirmation"]["confirmed"]
    assert [side["party"] for side in report["signatures"]] == [poc.team.name,
                                                                poc.opportunity.account.name]


def test_durations_drift_and_percentages_read_as_words(poc):
    make_report_poc(poc)
    report = final_report(poc=poc)
    timeline = report["timeline"]
    assert (timeline["planned_days_text"], timeline["actual_days_text"]) == ("30 days",
                                                                           "33 days")
    assert timeline["drift_text"] == "3 days late"
    assert [m["slip_text"] for m in timeline["milestones"]] == ["1 day late", ""]
    assert report["derivation"]["threshold_text"] == "80 %"
    assert report["costs"]["risks"][0]["probability_text"] == "30 %"


def test_the_signature_block_names_the_signing_sides_and_the_signatory_words(poc):
    from django.utils.translation import pgettext

    make_report_poc(poc, criteria=1)
    with translation.override("zh-hans"):
        report, labels = final_report(poc=poc), final_labels()
        expected = {"signatory": pgettext("signatory", "Name"),
                    "signatory_title": pgettext("signatory", "Title"),
                    "date": pgettext("signatory", "Date")}
    assert {key: labels[key] for key in expected} == expected
    assert labels["signatory_title"] == "职务"  # a job title, not a heading (标题)
    assert [(side["side"], side["party"]) for side in report["signatures"]] == [
        ("供应商方", poc.team.name), ("客户方", poc.opportunity.account.name)]


def test_a_poc_under_evaluation_says_its_results_are_not_stated_yet(poc):
    make_report_poc(poc, closed=False)
    report = final_report(poc=poc)
    assert not report["results"]["stated"] and not report["poc"]["closed"]
    assert report["results"]["technical_text"] == "not yet stated"
    assert report["results"]["derived"] == "partial"
    assert report["narrative"]["strengths"] == ""
    assert not report["confirmation"]["confirmed"]
    document = render_document(actor=poc.owner, poc=poc, kind="final", fmt="pdf")
    text = pdf_text(document.content)
    assert "not yet stated" in text
    assert "This POC is not closed yet" in text


def test_the_query_count_does_not_grow_with_criteria_or_readings(poc, opportunity, engineer,
                                                                django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import POCFactory

    make_report_poc(poc, criteria=2)
    other = POCFactory(opportunity=opportunity, owner=engineer, title="Bigger")
    make_report_poc(other, criteria=6, scale=3)

    def count(target, **options) -> int:
        fresh = type(target).objects.get(pk=target.pk)
        with CaptureQueriesContext(connection) as queries:
            final_report(poc=fresh, **options)
        return len(queries)

    small, big = count(poc, charts=False), count(other, charts=False)
    assert small == big
    assert small <= 25
    # The charts add at most two queries per criterion, whatever the readings.
    assert count(poc) - small <= 2 * 2
    assert count(other) - big <= 2 * 6
    # Exactly: two per criterion with readings, one for a criterion without (Noise level).
    for target, with_readings, without in ((poc, 2, 0), (other, 5, 1)):
        fresh = type(target).objects.get(pk=target.pk)
        with django_assert_num_queries(18):
            final_report(poc=fresh, charts=False)
        fresh = type(target).objects.get(pk=target.pk)
        with django_assert_num_queries(18 + 2 * with_readings + without):
            final_report(poc=fresh)


# --- documents ----------------------------------------------------------------------------------

@pytest.fixture(params=LANGUAGES)
def report_poc(request, poc):
    make_report_poc(poc, language=request.param)
    return poc


def test_the_pdf_shows_every_criterion_its_result_and_one_chart_each(report_poc, monkeypatch):
    import pocdesk.reports.final_document as final_document

    rendered: list[str] = []
    original = final_document.render_pdf
    monkeypatch.setattr(final_document, "render_pdf",
                        lambda html: rendered.append(html) or original(html))
    language = report_poc.language
    document = render_document(actor=report_poc.owner, poc=report_poc, kind="final", fmt="pdf")
    assert document.content.startswith(b"%PDF")
    assert document.content_type == "application/pdf"
    assert document.filename == f"POC-{report_poc.pk}-final-report.pdf"
    text = squeeze(pdf_text(document.content))
    vocabulary = words(language)
    for title in TITLES[language]:
        assert squeeze(title) in text
    for status in (PASSING, FAILING, NO_DATA):
        assert squeeze(vocabulary[status]) in text
    # One chart per criterion: a caption "Figure N" each, over one SVG drawing each...
    for number in range(1, 7):
        assert text.count(squeeze(vocabulary["figure"] % {"number": number})) == 1
    assert squeeze(vocabulary["figure"] % {"number": 7}) not in text
    assert rendered[0].count('class="chart-img" src="data:image/svg+xml;base64,') == 6
    # ...whose own words (axis labels with the unit, legends) are text in the PDF.
    labels = vocabulary["labels"]
    assert squeeze(f"{labels['value']} (t/h)") in text
    assert squeeze(f"{labels['value']} (K)") in text
    assert squeeze(labels["no_readings"]) in text


def test_the_docx_shows_every_criterion_its_result_and_one_chart_each(report_poc):
    language = report_poc.language
    document = render_document(actor=report_poc.owner, poc=report_poc, kind="final", fmt="docx")
    assert document.filename.endswith(".docx")
    text = docx_text(document.content)
    vocabulary = words(language)
    for title in TITLES[language]:
        assert title in text
    for status in (PASSING, FAILING, NO_DATA):
        assert vocabulary[status] in text
    for number in range(1, 7):
        assert vocabulary["figure"] % {"number": number} in text
    pictures = docx.Document(io.BytesIO(document.content)).inline_shapes
    assert len(pictures) == 6
    # The footer's version line says when the report was made, not who the customer is.
    footer = docx.Document(io.BytesIO(document.content)).sections[0].footer.paragraphs[0].text
    with translation.override(language):
        from pocdesk.reports.formatting import date_text

        generated = date_text(final_report(poc=report_poc, charts=False)["generated"])
        labels = final_labels()
    assert footer.startswith(f"POC-{report_poc.pk}  ·  {labels['generated']}{labels['colon']} "
                             f"{generated}  ·  ")
    assert report_poc.opportunity.account.name not in footer


def test_the_html_file_stands_alone_with_inline_svg_charts(report_poc):
    document = render_document(actor=report_poc.owner, poc=report_poc, kind="final", fmt="html")
    assert document.content_type.startswith("text/html")
    html = document.content.decode("utf-8")
    assert html.count("<svg") == 6
    assert "<link" not in html and "file://" not in html
    for title in TITLES[report_poc.language]:
        assert title.replace("'", "&#x27;") in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_chinese_text_renders_in_the_pdf(poc):
    make_report_poc(poc, language="zh-hans")
    document = render_document(actor=poc.owner, poc=poc, kind="final", fmt="pdf")
    reader = PdfReader(io.BytesIO(document.content))
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values()}
    assert any("CJK" in font for font in fonts)
    assert "高峰负荷吞吐量" in pdf_text(document.content)


def test_user_text_is_escaped_everywhere(poc):
    criteria = make_report_poc(poc, criteria=1)
    criteria[0].title = "<script>alert(1)</script> & <b>bold</b>"
    criteria[0].save()
    html = render_document(actor=poc.owner, poc=poc, kind="final", fmt="html").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    text = docx_text(render_document(actor=poc.owner, poc=poc, kind="final", fmt="docx").content)
    assert "<script>alert(1)</script> & <b>bold</b>" in text


def test_a_poc_without_criteria_or_agreement_still_renders(poc):
    labels = words("en")["labels"]
    for fmt in ("pdf", "docx", "html"):
        document = render_document(actor=poc.owner, poc=poc, kind="final", fmt=fmt)
        assert document.content
        text = {"pdf": lambda content: squeeze(pdf_text(content)),
                "docx": lambda content: squeeze(docx_text(content)),
                "html": lambda content: squeeze(content.decode("utf-8"))}[fmt](document.content)
        for name in ("no_criteria", "not_specified", "no_milestones", "no_costs", "no_risks",
                     "not_confirmed"):
            assert squeeze(labels[name]) in text, (fmt, name)


def test_format_version_and_permission_are_checked(poc, outsider):
    assert "final" in document_kinds()
    with pytest.raises(ValidationFailed) as error:
        render_document(actor=poc.owner, poc=poc, kind="final", fmt="odt")
    assert "format" in error.value.fields
    with pytest.raises(ValidationFailed):
        render_document(actor=poc.owner, poc=poc, kind="final", fmt="pdf", version=1)
    with pytest.raises(PermissionDenied):
        render_document(actor=outsider, poc=poc, kind="final", fmt="pdf")
