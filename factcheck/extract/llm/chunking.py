"""Split a long article into parts the model reads in one call each.

Parts break at paragraph boundaries (then sentences, then words for a monster paragraph)
and stay under a token budget. Each part carries a little of the text before it, so the
model can resolve "he" or "the minister" without claiming anything from it. Offsets of
every part index the original text, so quotes found in a part map straight back.

Token counts are estimated (about 4.5 characters or 0.77 words per token for English
and other Latin-script news prose, 3 characters for other scripts), because an exact
tokenizer needs model files that an offline newsroom machine may not have. The budget is
soft: its job is to keep each answer well under the model's output limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)]*\s+")
_SPACE = re.compile(r"\s+")

CONTEXT_TOKENS = 80


def estimate_tokens(text: str) -> int:
    """An estimate of the tokens of `text`: the larger of a per-character and a per-word one."""
    if not text:
        return 0
    words = len(text.split())
    # Extra UTF-8 bytes approximate the share of non-Latin letters, at C speed.
    extra = 0 if text.isascii() else len(text.encode("utf-8")) - len(text)
    chars_per_token = 4.5 if extra < 0.3 * len(text) else 3.0
    return int(max(len(text) / chars_per_token, words * 1.3)) + 1


@dataclass(frozen=True, slots=True)
class Chunk:
    """One part of an article: `text == article[start:end]`, plus preceding context."""

    index: int
    start: int
    end: int
    text: str
    context: str


def _pieces(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        spans.append((pos, end))
    return spans


def _units(text: str, budget: int) -> list[tuple[int, int]]:
    """Spans no larger than `budget`, broken as high up as possible (paragraph > sentence)."""
    units: list[tuple[int, int]] = []
    for p_start, p_end in _pieces(text, 0, len(text), _PARAGRAPH_BREAK):
        if estimate_tokens(text[p_start:p_end]) <= budget:
            units.append((p_start, p_end))
            continue
        for s_start, s_end in _pieces(text, p_start, p_end, _SENTENCE_END):
            if estimate_tokens(text[s_start:s_end]) <= budget:
                units.append((s_start, s_end))
                continue
            # A "sentence" over budget (a table, a list with no full stops): cut on words.
            cur = s_start
            for w in _SPACE.finditer(text, s_start, s_end):
                if estimate_tokens(text[cur : w.start()]) > budget and w.start() > cur:
                    units.append((cur, w.start()))
                    cur = w.end()
            if cur < s_end:
                units.append((cur, s_end))
    return units


def _context_before(text: str, start: int, tokens: int) -> str:
    if start == 0 or tokens <= 0:
        return ""
    before = text[max(0, start - tokens * 4) : start]
    if start - tokens * 4 > 0:
        # Drop the first, probably cut word so the context starts cleanly.
        before = before.split(" ", 1)[-1] if " " in before else before
    return before.strip()


def split_chunks(text: str, budget: int, *, context_tokens: int = CONTEXT_TOKENS) -> list[Chunk]:
    """The article as parts under `budget` estimated tokens each (one part if it fits)."""
    if not text.strip():
        return []
    if estimate_tokens(text) <= budget:
        return [Chunk(0, 0, len(text), text, "")]
    groups: list[tuple[int, int]] = []
    cur_start: int | None = None
    cur_end = 0
    for u_start, u_end in _units(text, budget):
        if cur_start is None:
            cur_start, cur_end = u_start, u_end
        elif estimate_tokens(text[cur_start:u_end]) <= budget:
            cur_end = u_end
        else:
            groups.append((cur_start, cur_end))
            cur_start, cur_end = u_start, u_end
    if cur_start is not None:
        groups.append((cur_start, cur_end))
    return [
        Chunk(i, s, e, text[s:e], _context_before(text, s, context_tokens))
        for i, (s, e) in enumerate(groups)
    ]


def split_half(chunk: Chunk) -> list[Chunk]:
    """`chunk` in two (or a few) smaller parts at paragraph or sentence breaks, offsets
    still in the article; one part when it cannot be split (a single sentence)."""
    budget = max(20, estimate_tokens(chunk.text) // 2)
    pieces = split_chunks(chunk.text, budget, context_tokens=0)
    if len(pieces) < 2:
        return [chunk]
    out = []
    for piece in pieces:
        start = chunk.start + piece.start
        before = chunk.text[max(0, piece.start - CONTEXT_TOKENS * 4) : piece.start].strip()
        context = " ".join(filter(None, [chunk.context if piece.start == 0 else "", before]))
        out.append(Chunk(chunk.index, start, start + len(piece.text), piece.text, context))
    return out
