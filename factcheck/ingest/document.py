"""The article as a reader hands it on: text plus what the page or export says about it."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


def normalise_for_hash(text: str) -> str:
    """The text as it is compared for duplicates.

    The same article saved twice differs in line endings, Unicode composition and
    trailing whitespace, never in words; those differences must not make it new.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def content_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class ArticleInput:
    """One article ready to store and extract. `text` is exactly what offsets index."""

    text: str
    location: str
    source_path: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    _hash: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def content_hash(self) -> str:
        # Asked for by storage, dedup and every extraction result; normalising a long
        # article once is enough. Keyed by the text in case a caller replaces it.
        if self._hash is None or self._hash[0] is not self.text:
            self._hash = (self.text, content_hash(self.text))
        return self._hash[1]
