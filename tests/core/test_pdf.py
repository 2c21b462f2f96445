"""The PDF renderer: its fetcher serves data: URLs and package assets only; CJK text renders."""

import base64
import io
import re
import socket
import struct
import zlib

import pytest
from pypdf import PdfReader

from pocdesk.core.pdf import (
    PACKAGE_DIR,
    FetchRefused,
    asset_url,
    document_fetcher,
    plain_text,
    render_pdf,
    text_to_html,
)


def _png_pixel() -> str:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
           + chunk(b"IDAT", zlib.compress(b"\x00\x24\x50\x7a")) + chunk(b"IEND", b""))
    return base64.b64encode(png).decode()


PNG_PIXEL = _png_pixel()


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_fonts(pdf: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "file:///etc/passwd?x=1#y",
    (PACKAGE_DIR / "settings" / "base.py").as_uri(),
    asset_url("reports/document.css") + "/../../../../settings/base.py",
    asset_url("reports/document.css").replace("document.css", "..%2F..%2F..%2Fsettings%2Fbase.py"),
    "http://127.0.0.1:9/x.png",
    "https://example.com/style.css",
    "ftp://example.com/file",
    "gopher://example.com/",
    "jar:file:///etc/passwd!/",
])
def test_the_fetcher_refuses_everything_but_data_and_package_assets(url, no_network):
    fetcher = document_fetcher()

    with pytest.raises(FetchRefused):
        fetcher.fetch(url)

    assert fetcher.refused == [url]


def test_the_fetcher_serves_data_urls_and_package_static_files(no_network):
    fetcher = document_fetcher()

    stylesheet = fetcher.fetch(asset_url("reports/document.css"))
    image = fetcher.fetch(f"data:image/png;base64,{PNG_PIXEL}")

    assert stylesheet.content_type == "text/css"
    assert b"@page" in stylesheet.read()
    assert image.content_type == "image/png"
    assert image.read().startswith(b"\x89PNG")
    assert fetcher.refused == []


def test_hostile_markup_renders_without_reading_files_or_the_network(no_network):
    fetcher = document_fetcher()
    html = (
        "<html><head>"
        '<link rel="stylesheet" href="file:///etc/passwd">'
        "<style>@import url(file:///etc/passwd); body { background: url(http://127.0.0.1:9/b.png) }"
        "</style>"
        '<link rel="attachment" href="file:///etc/passwd">'
        "</head><body><p>Visible text</p>"
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<object data="file:///etc/passwd"></object>'
        f'<img src="data:image/png;base64,{PNG_PIXEL}">'
        "</body></html>")

    pdf = render_pdf(html, fetcher=fetcher)

    assert pdf.startswith(b"%PDF")
    assert "Visible text" in pdf_text(pdf)
    assert b"root:x:0:0" not in pdf
    assert "root:x:0:0" not in pdf_text(pdf)
    assert set(fetcher.refused) == {"file:///etc/passwd", "http://127.0.0.1:9/x.png",
                                    "http://127.0.0.1:9/b.png"}
    assert f"data:image/png;base64,{PNG_PIXEL}" in fetcher.requested


def test_chinese_text_renders_with_an_embedded_cjk_font():
    html = ('<html lang="zh-Hans"><head><link rel="stylesheet" '
            f'href="{asset_url("reports/document.css")}"></head>'
            "<body><p>破碎机处理能力 ≥ 120 t/h，排料粒度 20–40 mm</p></body></html>")

    pdf = render_pdf(html)

    assert any("CJK" in font for font in pdf_fonts(pdf)), pdf_fonts(pdf)
    assert "破碎机处理能力 ≥ 120 t/h，排料粒度 20–40 mm" in pdf_text(pdf)


def test_text_to_html_escapes_and_keeps_paragraphs_and_line_breaks():
    text = 'First <img src="file:///etc/passwd"> & co\r\nsecond line\n\n\nNew paragraph\x00\x0c'

    assert text_to_html(text) == (
        "<p>First &lt;img src=&quot;file:///etc/passwd&quot;&gt; &amp; co<br>second line</p>"
        "<p>New paragraph</p>")
    assert text_to_html(text, inline=True) == (
        "First &lt;img src=&quot;file:///etc/passwd&quot;&gt; &amp; co<br>second line<br><br>"
        "<br>New paragraph")
    assert text_to_html(None) == "" and text_to_html("  \n ") == ""


def test_plain_text_drops_control_characters_but_keeps_tabs_and_newlines():
    assert plain_text("a\x07b\tc\r\nd\x1b \n") == "ab\tc\nd"
    assert re.fullmatch(r"[^\x00-\x08]*", plain_text("".join(map(chr, range(32)))))
