"""Saved web pages: the article text, title, date and author, without the page chrome.

trafilatura strips navigation, footers, comments and ads. The text it finds becomes the
article text that is stored, so every claim offset indexes that extracted text, never
the HTML. Paragraphs are separated by a blank line, like the plain-text articles.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from factcheck.errors import InputError
from factcheck.ingest.document import ArticleInput
from factcheck.ingest.text import DEFAULT_MAX_BYTES, read_bytes

_HTML_SNIFF = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|article|p|div)\b",
    re.IGNORECASE | re.DOTALL,
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def looks_like_html(data: bytes) -> bool:
    """True when the bytes start like a web page (used for stdin and unknown extensions)."""
    return bool(_HTML_SNIFF.match(data[:4096]))


def decode_html(data: bytes, *, location: str) -> str:
    """The page as text: UTF-8, else the charset the page declares, else a clear error."""
    if not data.strip():
        raise InputError("empty file: no page to read", location=location)
    if b"\x00" in data[:65536]:
        raise InputError("binary file, not an HTML page (contains NUL bytes)", location=location)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:8192])
    if declared:
        encoding = declared.group(1).decode("ascii", "replace")
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(
                f"page declares charset {encoding!r} but does not decode with it",
                location=location,
            ) from exc
    raise InputError(
        "HTML page is not UTF-8 and declares no charset; re-save it as UTF-8",
        location=location,
    )


def _paragraphs(text: str) -> str:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n\n".join(line for line in lines if line)


def _parse_date(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_html(
    html: str, *, location: str, source_path: str | None = None, url: str | None = None
) -> ArticleInput:
    """The article in one page, or InputError when the page holds no article text."""
    import trafilatura

    doc: Any = None
    text = ""
    # Precision first (no menus); a short page that yields nothing gets more lenient
    # passes rather than being refused.
    for mode in ("precision", "balanced", "recall"):
        try:
            doc = trafilatura.bare_extraction(
                html,
                url=url,
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                favor_precision=mode == "precision",
                favor_recall=mode == "recall",
            )
        except Exception as exc:  # lxml raises a zoo of parser errors on broken markup
            raise InputError(f"cannot parse the HTML page: {exc}", location=location) from exc
        text = _paragraphs(getattr(doc, "text", None) or "") if doc is not None else ""
        if text:
            break
    if not text:
        raise InputError("no article text found in the HTML page", location=location)
    assert doc is not None
    return ArticleInput(
        text=text,
        location=location,
        source_path=source_path,
        url=url or getattr(doc, "url", None),
        title=getattr(doc, "title", None) or None,
        outlet=getattr(doc, "sitename", None) or None,
        author=getattr(doc, "author", None) or None,
        published_at=_parse_date(getattr(doc, "date", None)),
        language=getattr(doc, "language", None) or None,
    )


def read_html_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ArticleInput:
    location = str(path)
    html = decode_html(read_bytes(path, max_bytes=max_bytes), location=location)
    return parse_html(html, location=location, source_path=location)
