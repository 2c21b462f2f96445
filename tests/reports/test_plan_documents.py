"""The objective document and the agreement, as PDF and DOCX, in the POC's language (§5.3, §5.4)."""

import io
import re

import docx
import pytest
from pypdf import PdfReader

import pocdesk.core.pdf
from pocdesk.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from pocdesk.core.pdf import asset_url
from pocdesk.criteria.services import criterion_update
from pocdesk.reports import documents
from pocdesk.reports.documents import render_plan_document
from pocdesk.signoffs.models import PlanVersion, Signature
from pocdesk.signoffs.services import plan_version_submit
from tests.factories import make_criterion, make_plan_signed

from .plans import PLANS, make_plan_poc

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def squeeze(text: str) -> str:
    """Without whitespace: lines wrap differently in PDF text extraction and in Word."""
    return re.sub(r"\s+", "", text)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_fonts(content: bytes) -> set[str]:
    return {str(font.get_object()["/BaseFont"])
            for page in PdfReader(io.BytesIO(content)).pages
            for font in page["/Resources"]["/Font"].values()}


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        parts += [paragraph.text for paragraph in section.header.paragraphs]
        parts += [paragraph.text for paragraph in section.footer.paragraphs]
    return "\n".join(parts)


def text_of(document) -> str:
    return pdf_text(document.content) if document.filename.endswith(".pdf") \
        else docx_text(document.content)


@pytest.fixture
def signed_plan(poc, engineer):
    versions = make_plan_signed(poc, actor=engineer)
    return poc, versions


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("language", ["en", "fr", "zh-hans"])
def test_both_documents_show_every_criterion_and_clause_in_the_poc_language(
        team, engineer, language, fmt):
    plan = PLANS[language]
    poc = make_plan_poc(team=team, owner=engineer, language=language)
    make_plan_signed(poc, actor=engineer)

    objective = render_plan_document(actor=engineer, poc=poc, kind="objective", fmt=fmt)
    agreement = render_plan_document(actor=engineer, poc=poc, kind="agreement", fmt=fmt)

    assert objective.filename == f"POC-{poc.pk}-objective-v1.{fmt}"
    assert agreement.filename == f"POC-{poc.pk}-agreement-v1.{fmt}"
    assert objective.content_type == agreement.content_type == (
        "application/pdf" if fmt == "pdf" else DOCX_TYPE)
    text = squeeze(text_of(objective))
    for criterion, target in zip(plan["criteria"], plan["targets"], strict=True):
        assert squeeze(criterion["title"]) in text
        assert squeeze(criterion["measurement_method"]) in text
        assert squeeze(target) in text
    assert squeeze(plan["objective"]) in text
    assert squeeze(plan["account"]) in text and squeeze(plan["title"]) in text
    text = squeeze(text_of(agreement))
    for name in ("scope_included", "scope_excluded", "nda_reference"):
        assert squeeze(plan["clauses"][name]) in text
    for item in plan["resources"] + plan["costs"]:
        assert squeeze(item["description"]) in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_dates_and_amounts_are_written_the_french_way(team, engineer, fmt):
    poc = make_plan_poc(team=team, owner=engineer, language="fr")

    agreement = render_plan_document(actor=engineer, poc=poc, kind="agreement", fmt=fmt)

    text = text_of(agreement)
    assert "12 janvier 2026" in text and "9 janvier 2026" in text
    assert "18\xa0400,00" in text or "18 400,00" in text
    # Totals per currency: EUR lines add up, USD stays apart.
    assert squeeze("24\xa0650,00") in squeeze(text)
    assert squeeze("1\xa0200,00") in squeeze(text)


def test_the_chinese_pdf_embeds_a_cjk_font_and_its_text_extracts(team, engineer):
    poc = make_plan_poc(team=team, owner=engineer, language="zh-hans")

    document = render_plan_document(actor=engineer, poc=poc, kind="objective", fmt="pdf")

    assert any("CJK" in font for font in pdf_fonts(document.content)), pdf_fonts(document.content)
    text = pdf_text(document.content)
    assert "破碎机处理能力" in text and "远程监控告警" in text
    assert "2026年" in text  # dates in the Chinese form
    assert "江西铜业集团" in text


def test_the_docx_names_an_east_asian_font(team, engineer):
    poc = make_plan_poc(team=team, owner=engineer, language="zh-hans")

    document = render_plan_document(actor=engineer, poc=poc, kind="agreement", fmt="docx")

    word = docx.Document(io.BytesIO(document.content))
    styles = word.styles.element.xml
    assert 'w:eastAsia="Noto Sans CJK SC"' in styles and 'w:eastAsia="zh-CN"' in styles
    assert "eastAsiaTheme" not in styles
    font_table = next(part.blob for part in word.part.package.iter_parts()
                      if str(part.partname) == "/word/fontTable.xml").decode()
    assert re.search(r'<w:font w:name="Noto Sans CJK SC"><w:altName w:val="SimSun"/>', font_table)
    assert word.core_properties.language == "zh-CN"
    assert word.core_properties.title == f"POC 协议 — {PLANS['zh-hans']['title']}"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_signed_version_shows_both_signatories_and_the_verified_hash(signed_plan, engineer,
                                                                        fmt):
    poc, versions = signed_plan

    document = render_plan_document(actor=engineer, poc=poc, kind="objective", fmt=fmt)

    text = text_of(document)
    assert "Engineer" in text and "Presales lead" in text
    assert "Dana Sponsor" in text and "COO" in text
    assert "signed in pocdesk" in text and "signed scan on file" in text
    digest = versions["criteria"].content_hash
    assert digest in squeeze(text)
    assert f"Signed by both sides, hash {digest[:8]}… (verified)." in text
    assert "does not verify" not in text and "Draft" not in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_tampered_version_carries_a_visible_warning(signed_plan, engineer, fmt):
    poc, versions = signed_plan
    version = versions["agreement"]
    content = version.content
    content["lists"]["cost_lines"][0]["amount"] = "42"
    PlanVersion.objects.filter(pk=version.pk).update(content=content)

    document = render_plan_document(actor=engineer, poc=poc, kind="agreement", fmt=fmt,
                                    version=1)

    text = text_of(document)
    assert "This document does not verify" in text
    assert f"Hash {version.content_hash[:8]}… does not verify." in text
    assert "no longer matches its hash" in text
    assert "(verified)" not in text


def test_an_altered_signature_is_reported_too(signed_plan, engineer):
    poc, versions = signed_plan
    Signature.objects.filter(version=versions["criteria"], side="customer").update(
        signer_name="Someone Else")

    text = pdf_text(render_plan_document(actor=engineer, poc=poc, kind="objective",
                                         fmt="pdf").content)

    assert "This document does not verify" in text
    assert "customer signature's record was altered" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_changed_draft_is_rendered_as_an_unsigned_draft(signed_plan, engineer, fmt):
    poc, _versions = signed_plan
    criterion_update(actor=engineer, criterion=poc.criteria.get(), target_value="135")

    draft = render_plan_document(actor=engineer, poc=poc, kind="objective", fmt=fmt)
    signed = render_plan_document(actor=engineer, poc=poc, kind="objective", fmt=fmt, version=1)

    assert draft.filename == f"POC-{poc.pk}-objective-v2-draft.{fmt}"
    text = text_of(draft)
    assert "Draft — not signed" in text and "Draft of version 2" in text
    assert "≥ 135 t/h" in text and "≥ 120 t/h" not in text
    assert "Dana Sponsor" not in text and "SHA-256" not in text
    text = text_of(signed)
    assert "≥ 120 t/h" in text and "Dana Sponsor" in text and "Draft" not in text


def test_a_version_awaiting_signatures_leaves_the_lines_blank(poc, engineer):
    make_criterion(poc)
    version = plan_version_submit(actor=engineer, poc=poc, kind="criteria")

    text = pdf_text(render_plan_document(actor=engineer, poc=poc, kind="objective",
                                         fmt="pdf").content)

    assert "Awaiting signatures" in text
    assert squeeze(f"Awaiting the vendor and customer signatures; hash "
                   f"{version.content_hash[:8]}… (verified).") in squeeze(text)
    assert "Engineer" not in text and "signed in pocdesk" not in text
    assert text.count("Signature") >= 2


def test_hostile_user_text_is_shown_as_text_and_loads_nothing(poc, engineer, monkeypatch):
    """Markup typed into a criterion or the objective is never markup in the PDF: the only
    resource the document asks for is its own stylesheet."""
    payloads = ['<link rel="stylesheet" href="file:///etc/passwd">',
                '<img src="file:///etc/passwd">',
                "<style>@import url(file:///etc/passwd);</style>",
                '<img src="http://127.0.0.1:9/pixel.png">']
    poc.objective = "\n".join(payloads)
    poc.save()
    make_criterion(poc, title=payloads[1], question=payloads[2],
                   measurement_method=payloads[3], test_conditions=payloads[0])
    fetchers = []
    real_fetcher = pocdesk.core.pdf.document_fetcher

    def recording_fetcher():
        fetchers.append(real_fetcher())
        return fetchers[-1]

    monkeypatch.setattr(pocdesk.core.pdf, "document_fetcher", recording_fetcher)

    pdf = render_plan_document(actor=engineer, poc=poc, kind="objective", fmt="pdf")
    word = render_plan_document(actor=engineer, poc=poc, kind="objective", fmt="docx")

    assert pdf.content.startswith(b"%PDF")
    assert [fetcher.requested for fetcher in fetchers] == [[asset_url("reports/document.css")]]
    assert fetchers[0].refused == []
    for text in (pdf_text(pdf.content), docx_text(word.content)):
        assert "root:x:0:0" not in text
        for payload in payloads:
            assert squeeze(payload) in squeeze(text)


def test_bad_kind_format_or_version(signed_plan, engineer):
    poc, _versions = signed_plan

    with pytest.raises(ValidationFailed) as refusal:
        render_plan_document(actor=engineer, poc=poc, kind="final-ish", fmt="pdf")
    assert set(refusal.value.fields) == {"kind"}
    with pytest.raises(ValidationFailed) as refusal:
        render_plan_document(actor=engineer, poc=poc, kind="objective", fmt="odt")
    assert set(refusal.value.fields) == {"format"}
    with pytest.raises(NotFound):
        render_plan_document(actor=engineer, poc=poc, kind="objective", fmt="pdf", version=7)


def test_an_agreement_not_started_is_refused(poc, engineer):
    with pytest.raises(ApplicationError) as refusal:
        render_plan_document(actor=engineer, poc=poc, kind="agreement", fmt="pdf")

    assert refusal.value.code == "document_empty"


@pytest.mark.parametrize(("who", "allowed"), [
    ("anonymous", False), ("outsider", False), ("engineer", True), ("sales", True),
    ("manager", True), ("admin", True)])
def test_only_those_who_see_the_poc_get_its_documents(signed_plan, actors, who, allowed,
                                                      monkeypatch):
    poc, _versions = signed_plan
    rendered = []
    monkeypatch.setattr(documents, "render_pdf", lambda html: rendered.append(html) or b"%PDF")
    monkeypatch.setattr(documents, "render_docx",
                        lambda *args, **kwargs: rendered.append(args) or b"PK")

    for fmt in ("pdf", "docx"):
        if allowed:
            assert render_plan_document(actor=actors[who], poc=poc, kind="agreement", fmt=fmt)
        else:
            with pytest.raises(PermissionDenied):
                render_plan_document(actor=actors[who], poc=poc, kind="agreement", fmt=fmt)

    assert len(rendered) == (2 if allowed else 0)
