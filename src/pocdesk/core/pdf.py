"""HTML → PDF with WeasyPrint, behind a fetcher that reads nothing but the package's own assets.

Documents carry user text (criteria, clauses, names). It is escaped before it reaches the HTML,
and the fetcher is the second wall: a stylesheet, an image or an attachment can only come from a
`data:` URL or from a file inside one of pocdesk's own `static/` folders. Every other `file://`
path, `http(s)://` and any other scheme is refused without touching the disk or the network, so
a document can never embed `/etc/passwd` or call out to an address chosen by a user.
"""

from __future__ import annotations

import html
import logging
import re
import urllib.parse
import urllib.request
from functools import cache
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Sans-serif stack for documents: Noto Sans CJK carries Latin, Chinese and the symbols the
# criteria use (≥ ≤ ± –); DejaVu Sans is the fallback where it is not installed.
DOCUMENT_FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "DejaVu Sans", sans-serif'

# Characters XML 1.0 and the PDF text layer cannot carry; line feeds and tabs are kept.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


class FetchRefused(ValueError):
    """A document asked for a resource the document fetcher does not serve."""


def plain_text(value) -> str:
    """User text as clean plain text: Unix line ends, no control characters, no trailing blanks."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_CHARACTERS.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def text_to_html(value, *, inline: bool = False) -> SafeString:
    """Plain user text as safe HTML: escaped, blank lines make paragraphs, line breaks stay.

    User text in pocdesk is plain text, never markup: `<img src=…>` in a criterion is shown as
    those characters, it is never an image. `inline` keeps it in the surrounding line, with
    `<br>` for its line breaks and no paragraphs.
    """
    text = plain_text(value)
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    if inline:
        escaped = "<br>".join(html.escape(line, quote=True) for line in text.split("\n"))
        return mark_safe(escaped)  # noqa: S308 - every line is escaped
    paragraphs = [block for block in re.split(r"\n\s*\n", text) if block.strip()]
    rendered = "".join(
        "<p>" + "<br>".join(html.escape(line, quote=True) for line in block.split("\n")) + "</p>"
        for block in paragraphs)
    return mark_safe(rendered)  # noqa: S308 - every piece of user text above is escaped


@cache
def asset_roots() -> tuple[Path, ...]:
    """The `static/` folders of pocdesk's own apps: the only files a document may read."""
    return tuple(sorted(path.resolve() for path in PACKAGE_DIR.glob("*/static") if path.is_dir()))


def asset_path(name: str) -> Path:
    """The file of a static asset of the package, e.g. "reports/document.css"."""
    for root in asset_roots():
        candidate = (root / name).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    raise FileNotFoundError(name)


def asset_url(name: str) -> str:
    """The `file://` URL of a package asset, for a `<link>` or an `<img>` in a document."""
    return asset_path(name).as_uri()


def _allowed_file(url: str) -> Path | None:
    parts = urllib.parse.urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    path = Path(urllib.request.url2pathname(urllib.parse.unquote(parts.path)))
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_file():
        return None
    if any(resolved.is_relative_to(root) for root in asset_roots()):
        return resolved
    return None


_CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
                  ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".woff2": "font/woff2",
                  ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf"}


def document_fetcher():
    """A WeasyPrint URL fetcher serving `data:` URLs and package assets, refusing all else.

    Built on first use so that WeasyPrint is imported only by the code that renders. The
    fetcher records what it refused (`fetcher.refused`) for the logs and the tests.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class DocumentFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols=("data", "file"),
                             allow_redirects=False, fail_on_errors=False)
            self.requested: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            self.requested.append(url)
            scheme = urllib.parse.urlsplit(url).scheme.lower()
            if scheme == "data":
                request = urllib.request.Request(url)  # noqa: S310 - the scheme is data:
                with urllib.request.DataHandler().data_open(request) as data:
                    body = data.read()
                    content_type = data.headers.get("Content-Type", "text/plain")
                return URLFetcherResponse(url, body, {"Content-Type": content_type})
            if scheme == "file":
                path = _allowed_file(url)
                if path is not None:
                    content_type = _CONTENT_TYPES.get(path.suffix.lower(),
                                                      "application/octet-stream")
                    return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                              {"Content-Type": content_type})
            self.refused.append(url)
            logger.warning("Document resource refused: %s", url[:200])
            raise FetchRefused(f"Documents may not load {url[:200]}")

        def open(self, url, data=None, timeout=None):
            target = url.full_url if isinstance(url, urllib.request.Request) else url
            return self.fetch(target)

        def __call__(self, url):
            return self.fetch(url)

    return DocumentFetcher()


def render_pdf(html_text: str, *, fetcher=None) -> bytes:
    """The PDF of an HTML document (A4 and fonts come from its stylesheet).

    There is no base URL: documents link their assets with `asset_url()`. Pass `fetcher` (from
    `document_fetcher()`) to inspect what the document asked for.
    """
    from weasyprint import HTML

    fetcher = fetcher or document_fetcher()
    document = HTML(string=html_text, base_url=None, url_fetcher=fetcher)
    return document.write_pdf()
