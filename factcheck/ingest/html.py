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
from factcheck.ingest.safe import display_path, safe_article, safe_field
from factcheck.ingest.text import DEFAULT_MAX_BYTES, decode_unicode, read_bytes, sniff_utf16

# libxml2 stops building the tree at this depth unless told otherwise (huge_tree).
LIBXML_DEPTH = 255
# Deeper than this is an attack on the parser, not a page: refused with the depth.
MAX_DEPTH = 5000

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
    codec = sniff_utf16(data)
    if codec is not None:
        return decode_unicode(data, location=location, codec=codec)
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


def _deep_tree(html: str, *, location: str) -> Any | None:
    """The page parsed past libxml2's depth limit, when it is that deep; else None."""
    import lxml.html  # type: ignore[import-untyped]

    try:
        shallow = lxml.html.fromstring(html)
        if max((sum(1 for _ in e.iterancestors()) for e in shallow.iter()), default=0) < (
            LIBXML_DEPTH - 1
        ):
            return None
        tree = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except Exception:  # nothing to parse: the caller says no text was found
        return None
    depth = max((sum(1 for _ in e.iterancestors()) for e in tree.iter()), default=0)
    if depth > MAX_DEPTH:
        raise InputError(
            f"HTML nested {depth} levels deep (over {MAX_DEPTH}); not an article page",
            location=location,
        )
    return tree


def parse_html(
    html: str, *, location: str, source_path: str | None = None, url: str | None = None
) -> ArticleInput:
    """The article in one page, or InputError when the page holds no article text."""
    import trafilatura

    doc: Any = None
    text = ""
    # Precision first (no menus); a short page that yields nothing gets more lenient
    # passes rather than being refused. A page nested deeper than libxml2's default
    # limit gets one more pass over a tree parsed without that limit.
    # lxml refuses NUL and lone surrogates outright; they are never part of the text.
    html = safe_field(html) or ""
    attempts: list[tuple[str, Any]] = [(m, html) for m in ("precision", "balanced", "recall")]
    deep = nested = False
    while attempts:
        mode, content = attempts.pop(0)
        try:
            doc = trafilatura.bare_extraction(
                content,
                url=url,
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                favor_precision=mode == "precision",
                favor_recall=mode == "recall",
            )
        except RecursionError as exc:
            raise InputError("HTML nested too deeply to parse", location=location) from exc
        except Exception as exc:  # lxml raises a zoo of parser errors on broken markup
            message = " ".join(str(exc).split())[:200]
            raise InputError(f"cannot parse the HTML page: {message}", location=location) from exc
        text = _paragraphs(getattr(doc, "text", None) or "") if doc is not None else ""
        if text:
            break
        if not attempts and not deep:
            deep = True
            tree = _deep_tree(html, location=location)
            nested = tree is not None
            if tree is not None:
                attempts.append(("recall", tree))
    if not text:
        why = f" (markup nested over {LIBXML_DEPTH} levels deep)" if nested else ""
        raise InputError(f"no article text found in the HTML page{why}", location=location)
    assert doc is not None
    return safe_article(
        ArticleInput(
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
    )


def read_html_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ArticleInput:
    location = display_path(path)
    html = decode_html(read_bytes(path, max_bytes=max_bytes), location=location)
    return parse_html(html, location=location, source_path=location)
