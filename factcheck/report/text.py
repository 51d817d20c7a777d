"""Pure text helpers of the renderers: escaping, safe links, claim highlighting, numbers.

Article text, quotes, source names, notes and evidence links are untrusted: an article
can contain markup or a `javascript:` link, and a report must show it, never run it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, urlsplit

from factcheck.report.model import UNREVIEWED, ClaimRow

# Characters that format, link or open HTML anywhere in a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# A value can follow "> " in a template, where these would open a heading or a list.
_MD_LEADING = re.compile(r"^([#+-])")
_SAFE_SCHEMES = ("http", "https")


def md(value: object) -> str:
    """Inline Markdown text: punctuation that would format, link or open HTML is escaped."""
    if value is None:
        return ""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
    return _MD_LEADING.sub(r"\\\1", text)


def safe_url(value: str | None) -> str | None:
    """The link if it is a plain web address, else None (shown as text, never as href)."""
    if not value:
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc:
        return None
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    return url


def md_link(text: object, url: str | None) -> str:
    """A Markdown link, or the escaped text (and the escaped address) when it is not safe."""
    target = safe_url(url)
    label = md(text) or md(url)
    if target is None:
        return f"{label} ({md(url)})" if url and md(url) != label else label
    # <...> destinations allow any character but <, > and newlines; encode those.
    return f"[{label}](<{quote(target, safe=':/?#[]@!$&()*+,;=%~.-_')}>)"


def fmt_date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def fmt_datetime(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def fmt_share(value: float | None) -> str:
    return "n/a" if value is None else f"{round(value * 100)}%"


def verdict_class(claim: ClaimRow) -> str:
    """CSS class of a claim's verdict colour: by rating, so a replaced scale still colours."""
    if not claim.reviewed:
        return "v-" + UNREVIEWED
    if claim.verdict_false:
        return "v-r1" if claim.rating in (None, 1) else f"v-r{claim.rating}"
    return f"v-r{claim.rating}" if claim.rating is not None else "v-none"


@dataclass(slots=True)
class Segment:
    """A stretch of article text and the claims whose quotes cover it."""

    text: str
    claims: list[ClaimRow] = field(default_factory=list)
    #: Claims whose quote starts here (the target of "show in article" links).
    starts: list[int] = field(default_factory=list)


def grounded(text: str, claim: ClaimRow) -> bool:
    s, e = claim.start, claim.end
    return s is not None and e is not None and 0 <= s < e <= len(text)


def segments(text: str, claims: list[ClaimRow]) -> list[Segment]:
    """The article split at every claim boundary, overlapping quotes included."""
    spans = [c for c in claims if grounded(text, c)]
    cuts = {0, len(text)}
    for c in spans:
        cuts.update((c.start or 0, c.end or 0))
    points = sorted(cuts)
    out: list[Segment] = []
    for a, b in zip(points, points[1:], strict=False):
        covering = [c for c in spans if (c.start or 0) <= a and b <= (c.end or 0)]
        covering.sort(key=lambda c: ((c.end or 0) - (c.start or 0), c.id))
        out.append(
            Segment(
                text=text[a:b],
                claims=covering,
                starts=[c.id for c in spans if c.start == a],
            )
        )
    return out
