"""Presentation helpers shared by the pages: the article text cut into highlightable pieces.

The article is shown as plain text (autoescaped by the template); this module only
decides where each highlighted span begins and ends, from the offsets stored with the
claims and source mentions. Offsets are Python str indices, exactly as extracted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "current" (this claim), "other" (another claim), "mention" (a source)
    ref: int | None = None  # claim id for claims, source id for mentions
    title: str | None = None


@dataclass
class Segment:
    """A run of article text covered by the same set of spans."""

    text: str
    current: bool = False
    mention: bool = False
    others: list[int] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)

    @property
    def css(self) -> str:
        classes = []
        if self.current:
            classes.append("hl-current")
        if self.mention:
            classes.append("hl-mention")
        if self.others:
            classes.append("hl-other")
        return " ".join(classes)

    @property
    def link(self) -> int | None:
        """Another claim this piece belongs to (for a link), unless it is the current one."""
        return self.others[0] if self.others and not self.current else None


def _valid(span: Span, length: int) -> bool:
    return 0 <= span.start < span.end <= length


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """Cut `text` at every span boundary; each piece knows which spans cover it.

    Spans may overlap (two claims sharing a clause, a mention inside a claim); spans
    outside the text are ignored rather than trusted.
    """
    usable = [s for s in spans if _valid(s, len(text))]
    cuts = sorted({0, len(text), *(s.start for s in usable), *(s.end for s in usable)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in usable if s.start <= a and b <= s.end]
        seg = Segment(text=text[a:b])
        for s in covering:
            if s.kind == "current":
                seg.current = True
            elif s.kind == "mention":
                seg.mention = True
            elif s.ref is not None:
                seg.others.append(s.ref)
            if s.title:
                seg.titles.append(s.title)
        out.append(seg)
    return out


def page_numbers(*, page: int, total: int, per_page: int) -> tuple[int, int]:
    """(last page number, the current page clamped to 1..last)."""
    last = max(1, -(-total // per_page))
    return last, min(max(1, page), last)


def query_string(params: dict[str, object], **changes: object) -> str:
    """The current filters with some changed, for paging and sorting links."""
    from urllib.parse import urlencode

    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def relay_chain(names: Sequence[str]) -> str:
    """'Kremlin source → TASS': the original asserter first, then who relayed it."""
    return " → ".join(names)
