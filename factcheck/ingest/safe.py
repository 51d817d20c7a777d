"""Text made safe for every database, in one place, before anything is stored or extracted.

PostgreSQL refuses a NUL character in `text` columns (SQLite stores it), and neither
driver can encode a lone UTF-16 surrogate (a JSON ``"\\ud800"`` escape, or a file name
that is not UTF-8 decoded with surrogate escapes). Cleaning here, once, means an article
is stored the same on both backends, and the claims' offsets index the cleaned text,
since extraction only ever sees what this module returns.

The rules, kept as data:

- NUL is removed (PostgreSQL refuses it); the other C0/C1 control characters are kept,
  since both databases store them and removing them would move every offset after them
  (mojibake such as a cp1252 quote read as U+0093 is common in scraped news, and
  `factcheck extract` promises offsets into the text exactly as read);
- a lone surrogate is replaced by U+FFFD, the replacement character, as a decoder
  with ``errors="replace"`` would have done;
- text that is more than `MAX_CONTROL_SHARE` control characters is binary data, not
  an article, and is refused with the count (tab, newline, carriage return and form
  feed are text and not counted).

File names are not cleaned but *escaped*, losslessly: `display_path` turns the
undecodable bytes of a name (surrogate escapes), control characters (a newline in a
name would break a one-line error) and backslashes into ``\\xNN``/``\\n``/``\\\\``
sequences; `path_from_display` turns them back into the exact bytes.
"""

from __future__ import annotations

import os
import re
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.errors import InputError

if TYPE_CHECKING:
    from factcheck.ingest.document import ArticleInput

# Removed from article text: NUL, which PostgreSQL refuses.
REMOVED = re.compile("\x00")
# Counted to tell binary data from text: control characters no article is made of.
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
SURROGATES = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
# More than this share of control characters: binary data (or UTF-16 read as UTF-8).
MAX_CONTROL_SHARE = 0.01


def safe_text(text: str, *, location: str | None = None, what: str = "text") -> str:
    """`text` with what no database stores removed or replaced (see the module doc)."""
    if not text.isascii() or CONTROL.search(text):
        controls = len(CONTROL.findall(text))
        if controls and controls > MAX_CONTROL_SHARE * len(text) and controls > 1:
            nuls = text.count("\x00")
            raise InputError(
                f"binary data, not an article: the {what} has {controls} control characters "
                f"({nuls} NUL) in {len(text)}",
                location=location,
            )
        text = REMOVED.sub("", text)
        text = SURROGATES.sub(REPLACEMENT, text)
    return text


def safe_field(value: str | None) -> str | None:
    """A metadata field (title, author...): cleaned the same way, never refused."""
    if value is None:
        return None
    return SURROGATES.sub(REPLACEMENT, REMOVED.sub("", value)) or None


_PATH_FIELDS = ("location", "source_path")


def safe_article(article: ArticleInput) -> ArticleInput:
    """The article with every string field safe to store (text may be refused as binary)."""
    # Readers pass names through display_name already; a raw name (surrogates, a
    # newline) from elsewhere is escaped here. Escaped names contain neither: idempotent.
    article.location = _escaped_if_raw(article.location)
    if article.source_path is not None:
        article.source_path = _escaped_if_raw(article.source_path)
    article.text = safe_text(article.text, location=article.location, what="article text")
    for f in fields(article):
        if f.name in ("text", *_PATH_FIELDS) or f.name.startswith("_"):
            continue
        value = getattr(article, f.name)
        if isinstance(value, str):
            setattr(article, f.name, safe_field(value))
    return article


# --- file names ------------------------------------------------------------------

_NAMED_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_ESCAPE = re.compile(r"\\(\\|n|r|t|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:  # any other lone surrogate (not from a file name)
        return "\\x3f"
    if code >= 0x80:  # C1 controls and line separators: characters, not bytes
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"


_RAW = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escaped_if_raw(name: str) -> str:
    return display_name(name) if _RAW.search(name) else name


def display_name(name: str) -> str:
    """A file name (or `file:line` location) readable on one line and storable anywhere.

    Undecodable bytes become ``\\xNN``, control characters ``\\n``/``\\xNN``, a backslash
    ``\\\\``; an ordinary name is returned unchanged. `path_from_display` inverts it.
    """
    if not _NEEDS_ESCAPE.search(name):
        return name
    return _NEEDS_ESCAPE.sub(_escape_char, name)


def display_path(path: Path | str) -> str:
    return display_name(os.fspath(path))


def path_from_display(name: str) -> Path:
    """The exact path `display_name` was given (its bytes, for a name that was not UTF-8)."""

    def unescape(match: re.Match[str]) -> str:
        token = match.group(1)
        if token == "\\":
            return "\\"
        if token in ("n", "r", "t"):
            return {"n": "\n", "r": "\r", "t": "\t"}[token]
        code = int(token[1:], 16)
        if token[0] == "u":
            return chr(code)
        return chr(0xDC00 + code) if code >= 0x80 else chr(code)

    return Path(_ESCAPE.sub(unescape, name))
