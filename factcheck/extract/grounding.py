"""Find a quoted passage in the article text and return its exact span.

Extractors (and especially language models) hand back quotes, never trusted offsets.
`locate` finds where a quote really is, in three passes of decreasing strictness:

1. exact: the quote occurs verbatim;
2. tolerant: equal once whitespace runs, typographic quote marks, dashes, ellipses and
   letter case are normalised, and once stray surrounding punctuation is trimmed;
3. fuzzy: the closest word-aligned window scores at least `min_ratio` in a character
   alignment (difflib), which absorbs a dropped word or a model's small paraphrase.

The span returned always indexes the *original* text, so `text[start:end]` is what the
article says, whatever the quote looked like. `None` means the quote is not in the
article: callers drop or repair that claim, they never store it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

__all__ = ["Match", "locate", "locate_match", "normalise_quote"]

Method = Literal["exact", "tolerant", "fuzzy"]

_CHAR_MAP: dict[str, str] = {}
for _c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u301d\u301e\uff02":
    _CHAR_MAP[_c] = '"'
for _c in "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4\u2039\u203a":
    _CHAR_MAP[_c] = "'"
for _c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d":
    _CHAR_MAP[_c] = "-"
_CHAR_MAP["\u2026"] = "..."
_CHAR_MAP["\u00ad"] = ""  # soft hyphen: invisible in the article, never typed by a model
_CHAR_MAP["\u200b"] = ""

_TRIM = " \t\n\r\"'.,;:!?()[]"
_WORD = re.compile(r"\w+", re.UNICODE)
_MIN_FUZZY_WORDS = 3


@dataclass(frozen=True, slots=True)
class Match:
    """Where a quote was found: `text[start:end]` and how strictly it matched."""

    start: int
    end: int
    method: Method
    score: float = 1.0


def _normalise(text: str, lower: bool) -> tuple[str, list[int]]:
    """`text` normalised, with the index in `text` that each output character came from."""
    out: list[str] = []
    origin: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                origin.append(i)
            in_space = True
            continue
        in_space = False
        mapped = _CHAR_MAP.get(ch, ch)
        for m in mapped:
            if lower:
                low = m.lower()
                # Some letters lower-case to two characters; keep them as they are so
                # the index map stays one-to-one.
                m = low if len(low) == 1 else m
            out.append(m)
            origin.append(i)
    return "".join(out), origin


def normalise_quote(quote: str) -> str:
    """The comparison form of a quote (whitespace, quote marks, dashes, case)."""
    return _normalise(quote, lower=True)[0].strip()


def _span(origin: list[int], a: int, b: int, offset: int) -> tuple[int, int]:
    return offset + origin[a], offset + origin[b - 1] + 1


def _tolerant(window: str, quote: str, offset: int) -> Match | None:
    for lower in (False, True):
        norm_text, origin = _normalise(window, lower)
        norm_quote = _normalise(quote, lower)[0]
        for candidate in (norm_quote.strip(), norm_quote.strip(_TRIM)):
            if not candidate:
                continue
            idx = norm_text.find(candidate)
            if idx >= 0:
                start, end = _span(origin, idx, idx + len(candidate), offset)
                return Match(start, end, "tolerant")
    return None


def _fuzzy(window: str, quote: str, offset: int, min_ratio: float) -> Match | None:
    norm_text, origin = _normalise(window, lower=True)
    norm_quote = _normalise(quote, lower=True)[0].strip(_TRIM)
    q_words = _WORD.findall(norm_quote)
    n = len(q_words)
    if n < _MIN_FUZZY_WORDS:
        return None  # a two-word "quote" fuzzily matches almost anywhere
    t_words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(norm_text)]
    if not t_words:
        return None
    wanted = Counter(q_words)
    # Slide a window of n words and count shared words: a cheap filter that leaves only
    # a few places worth an exact alignment.
    have: Counter[str] = Counter()
    overlap = 0
    scores: list[tuple[int, int]] = []
    for i, (word, _, _) in enumerate(t_words):
        have[word] += 1
        if have[word] <= wanted[word]:
            overlap += 1
        if i >= n:
            old = t_words[i - n][0]
            if have[old] <= wanted[old]:
                overlap -= 1
            have[old] -= 1
        if i >= n - 1 or i == len(t_words) - 1:
            scores.append((overlap, max(0, i - n + 1)))
    threshold = max(1, int(n * 0.5))
    candidates = sorted((s for s in scores if s[0] >= threshold), reverse=True)[:5]
    best: tuple[float, int, int] | None = None
    for _, first in candidates:
        for s in range(max(0, first - 2), min(len(t_words), first + 3)):
            for length in range(max(1, n - 3), n + 4):
                e = s + length - 1
                if e >= len(t_words):
                    break
                a, b = t_words[s][1], t_words[e][2]
                ratio = SequenceMatcher(None, norm_quote, norm_text[a:b], autojunk=False).ratio()
                if best is None or ratio > best[0]:
                    best = (ratio, a, b)
    if best is None or best[0] < min_ratio:
        return None
    start, end = _span(origin, best[1], best[2], offset)
    return Match(start, end, "fuzzy", round(best[0], 4))


def locate_match(
    text: str,
    quote: str,
    *,
    start: int = 0,
    end: int | None = None,
    fuzzy: bool = True,
    min_ratio: float = 0.85,
) -> Match | None:
    """Where `quote` occurs in `text[start:end]`, or None; see the module docstring.

    The first occurrence in the window wins, so callers pass a narrow window (the chunk,
    the claim's sentence) when a phrase may repeat.
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if not quote or not quote.strip() or start >= end:
        return None
    idx = text.find(quote, start, end)
    if idx >= 0:
        return Match(idx, idx + len(quote), "exact")
    stripped = quote.strip()
    idx = text.find(stripped, start, end)
    if stripped and idx >= 0:
        return Match(idx, idx + len(stripped), "exact")
    window = text[start:end]
    found = _tolerant(window, quote, start)
    if found is None and fuzzy:
        found = _fuzzy(window, quote, start, min_ratio)
    if found is None or found.end <= found.start:
        return None
    return found


def locate(
    text: str,
    quote: str,
    *,
    start: int = 0,
    end: int | None = None,
    fuzzy: bool = True,
    min_ratio: float = 0.85,
) -> tuple[int, int] | None:
    """The `(start, end)` span of `quote` in `text` (exact, tolerant, then fuzzy), or None."""
    found = locate_match(text, quote, start=start, end=end, fuzzy=fuzzy, min_ratio=min_ratio)
    return None if found is None else (found.start, found.end)
