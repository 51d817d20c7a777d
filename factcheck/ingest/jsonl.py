"""Feed and monitoring exports: JSONL (one article per line) and JSON (an array or one object).

A broken line does not stop the file: it becomes an InputError located at `file:line`
and the reader goes on with the next line. Field names are configurable because every
monitoring tool names them differently (FACTCHECK_JSONL_*_FIELD or `check --field`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from factcheck.config import Settings
from factcheck.errors import InputError, UsageError
from factcheck.ingest.document import ArticleInput
from factcheck.ingest.html import looks_like_html, parse_html
from factcheck.ingest.safe import display_path, safe_article
from factcheck.ingest.text import DEFAULT_MAX_BYTES, decode_unicode, megabytes, sniff_utf16

Item = ArticleInput | InputError

# Tried after the configured name, so common exports work without configuration.
_FALLBACKS: dict[str, tuple[str, ...]] = {
    "text": ("content", "body", "article", "full_text", "maintext"),
    "title": ("headline",),
    "url": ("link", "permalink"),
    "published": ("published_at", "date", "pubDate", "date_publish", "datetime"),
    "outlet": ("source", "publisher", "site", "source_domain"),
    "author": ("authors", "byline", "creator"),
}


@dataclass(frozen=True, slots=True)
class JsonFields:
    """Which key of a record holds each article field."""

    text: str = "text"
    title: str = "title"
    url: str = "url"
    published: str = "published"
    outlet: str = "outlet"
    author: str = "author"

    @classmethod
    def from_settings(cls, settings: Settings) -> JsonFields:
        return cls(
            text=settings.jsonl_text_field,
            title=settings.jsonl_title_field,
            url=settings.jsonl_url_field,
            published=settings.jsonl_published_field,
            outlet=settings.jsonl_outlet_field,
        )

    def with_overrides(self, pairs: Iterable[str]) -> JsonFields:
        """Apply `field=key` pairs from the command line; a bad pair is a usage error."""
        changes: dict[str, str] = {}
        for pair in pairs:
            name, sep, key = pair.partition("=")
            name, key = name.strip(), key.strip()
            if not sep or not key or name not in self.__dataclass_fields__:
                raise UsageError(
                    f"bad --field {pair!r}: use FIELD=KEY with FIELD one of "
                    + ", ".join(self.__dataclass_fields__)
                )
            changes[name] = key
        return replace(self, **changes)


def parse_published(value: Any) -> datetime | None:
    """A publication time from ISO 8601, RFC 2822 (RSS) or a Unix timestamp; None if unknown."""
    if value is None or value == "":
        return None
    parsed: datetime | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Milliseconds are common in JavaScript-made exports.
        try:
            seconds = value / 1000 if value > 1e11 else value
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _field(record: dict[str, Any], name: str, configured: str) -> Any:
    for key in (configured, *_FALLBACKS.get(name, ())):
        value = record.get(key)
        if value not in (None, "", []):
            return value
    return None


def _str_or_none(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if isinstance(v, str | int | float) and v)
    elif isinstance(value, dict):
        return None  # a nested object is not a name or a title
    text = str(value).strip()
    return text[:limit] or None


def record_to_article(
    record: Any, *, location: str, source_path: str | None, fields: JsonFields
) -> ArticleInput:
    """One export record as an article, or InputError saying what is missing."""
    if not isinstance(record, dict):
        raise InputError(
            f"expected a JSON object per article, got {type(record).__name__}", location=location
        )
    text = _field(record, "text", fields.text)
    if text is None:
        raise InputError(
            f"no article text: field {fields.text!r} is missing or empty "
            f"(keys: {', '.join(sorted(record)[:12]) or 'none'}); set it with --field text=KEY",
            location=location,
        )
    if not isinstance(text, str):
        raise InputError(
            f"field {fields.text!r} is {type(text).__name__}, not text", location=location
        )
    url = _str_or_none(_field(record, "url", fields.url), 2048)
    if looks_like_html(text.encode("utf-8", "replace")[:4096]):
        # Some crawlers export the raw page; its text is what gets stored and checked.
        article = parse_html(text, location=location, source_path=source_path, url=url)
    else:
        if not text.strip():
            raise InputError("article text is blank", location=location)
        article = ArticleInput(text=text, location=location, source_path=source_path, url=url)
    article.title = _str_or_none(_field(record, "title", fields.title), 1024) or article.title
    article.outlet = _str_or_none(_field(record, "outlet", fields.outlet), 256) or article.outlet
    article.author = _str_or_none(_field(record, "author", fields.author), 512) or article.author
    published = _field(record, "published", fields.published)
    if published is not None:
        article.published_at = parse_published(published) or article.published_at
    language = record.get("language") or record.get("lang")
    if isinstance(language, str) and language.strip():
        article.language = language.strip()[:16]
    return safe_article(article)


def json_error(exc: Exception) -> str:
    """A JSON parser's complaint as the rest of a one-line message (no traceback, no "at at")."""
    if isinstance(exc, json.JSONDecodeError):
        msg = exc.msg.removesuffix(" at").removesuffix(":")
        return f"bad JSON: {msg} at column {exc.colno}"
    if isinstance(exc, RecursionError):
        return "bad JSON: nested too deeply to read"
    text = str(exc)
    if "digits" in text:  # CPython's int-string limit (CVE-2020-10735)
        return "bad JSON: an integer with too many digits (over 4300)"
    return f"bad JSON: {text.splitlines()[0] if text else type(exc).__name__}"


def _loads(text: str) -> Any:
    return json.loads(text)


# What json.loads raises on hostile input besides JSONDecodeError: RecursionError for
# deep nesting, ValueError for an integer past the int-string limit.
JSON_FAILURES = (ValueError, RecursionError)


def _to_article(record: Any, *, location: str, source_path: str | None, fields: JsonFields) -> Item:
    try:
        return record_to_article(record, location=location, source_path=source_path, fields=fields)
    except InputError as err:
        return err
    except JSON_FAILURES as exc:  # str() of a deep structure or a huge number, say
        return InputError(json_error(exc), location=location)


def iter_jsonl_lines(
    lines: Iterable[bytes],
    *,
    name: str,
    source_path: str | None,
    fields: JsonFields,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Item]:
    """Articles from JSONL lines, one item per non-blank line, located `name:line`."""
    for number, raw in enumerate(lines, start=1):
        location = f"{name}:{number}"
        if not raw.strip():
            continue
        if len(raw) > max_bytes:
            yield InputError(f"line is over the {megabytes(max_bytes)} MB limit", location=location)
            continue
        try:
            record = _loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            yield InputError(f"not valid UTF-8 (byte offset {exc.start})", location=location)
            continue
        except JSON_FAILURES as exc:
            yield InputError(json_error(exc), location=location)
            continue
        yield _to_article(record, location=location, source_path=source_path, fields=fields)


def iter_json_document(
    data: bytes, *, name: str, source_path: str | None, fields: JsonFields
) -> Iterator[Item]:
    """Articles from a .json file: an array of records, one record, or JSONL after all."""
    codec = sniff_utf16(data)
    if codec is not None:
        try:
            data = decode_unicode(data, location=name, codec=codec).encode("utf-8", "replace")
        except InputError as err:
            yield err
            return
    if b"\x00" in data[:65536]:
        yield InputError("binary file, not JSON (contains NUL bytes)", location=name)
        return
    if not data.strip():
        yield InputError("empty file: no articles to read", location=name)
        return
    try:
        document = _loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        yield InputError(f"not valid UTF-8 (byte offset {exc.start})", location=name)
        return
    except RecursionError as exc:
        yield InputError(json_error(exc), location=f"{name}:1")
        return
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):  # an integer past the digit limit
            yield InputError(json_error(exc), location=f"{name}:1")
            return
        # Many tools write JSONL under a .json name; read it line by line.
        yield from iter_jsonl_lines(
            data.splitlines(), name=name, source_path=source_path, fields=fields
        )
        return
    if isinstance(document, dict) and isinstance(document.get("articles"), list):
        document = document["articles"]
    if isinstance(document, list):
        for index, record in enumerate(document):
            location = f"{name}[{index}]"
            yield _to_article(record, location=location, source_path=source_path, fields=fields)
        return
    yield _to_article(document, location=name, source_path=source_path, fields=fields)


def iter_jsonl_file(
    path: Path, *, fields: JsonFields, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Item]:
    """Stream a JSONL file without reading it whole into memory."""
    from factcheck.ingest.text import not_regular

    name = display_path(path)
    why = not_regular(path)
    if why is not None:
        yield InputError(why, location=name)
        return
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(f"cannot read: {exc.strerror or exc}", location=name)
        return
    with handle:
        head = handle.read(65536)
        if not head.strip():
            yield InputError("empty file: no articles to read", location=name)
            return
        codec = sniff_utf16(head)
        if codec is not None:
            # UTF-16 lines do not split on b"\n": decode it whole (within the size limit).
            handle.close()
            yield from iter_json_file(path, fields=fields, max_bytes=max_bytes)
            return
        if b"\x00" in head:
            yield InputError("binary file, not JSONL (contains NUL bytes)", location=name)
            return
        handle.seek(0)
        yield from iter_jsonl_lines(
            handle, name=name, source_path=name, fields=fields, max_bytes=max_bytes
        )


def iter_json_file(
    path: Path, *, fields: JsonFields, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Item]:
    from factcheck.ingest.text import read_bytes

    try:
        data = read_bytes(path, max_bytes=max_bytes)
    except InputError as err:
        yield err
        return
    name = display_path(path)
    yield from iter_json_document(data, name=name, source_path=name, fields=fields)
