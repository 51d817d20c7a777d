"""Find the article body inside scraped text: paragraphs without noise, bylines or datelines.

Nothing is removed from the text itself: the result is a list of (start, end) spans into
the original string, so every offset computed later still indexes what was read.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

# Whole lines that are page furniture, not journalism.
_NOISE_LINE = re.compile(
    r"""^\W*(?:
        \[ad_?\d*\] | source\ link | advertisement | advertising | sponsored(?:\ content)? |
        read\ (?:more|the\ rest|full\ story|the\ full\ article)\b.* |
        share\ (?:this|on)\b.* | click\ here\b.* | follow\ us\b.* | sign\ up\b.* |
        related(?:\ articles?|\ stories|\ coverage)?:?.* | subscribe\b.* |
        follow\ .{1,60}\ on\ (?:twitter|facebook|instagram|x)\b.* |
        (?:©|\(c\)|copyright)\ .* | all\ rights\ reserved.* |
        photo:.* | image:.* | video:.* | watch:.* | listen:.* |
        (?:getty|ap|afp|reuters)\ images?.* |
        tags?:.* | print | email | comments? | \d+\ comments? | loading\W* | skip\ to\ .*
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
_TAG = re.compile(r"<\/?[A-Za-z][\w-]*(?:\s[^<>]*)?\/?>")
# Lines made only of punctuation ("." separators in some exports, "***", "---").
_EMPTY_LINE = re.compile(r"^[\W_]*$")
_BYLINE = re.compile(
    r"^(?i:by|written by|reporting by|editing by|story by)\s+"
    r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|,))*\s*(?:[|,–—-].*)?$",
)
# "MOSCOW | TASS |", "MOSCOW, June 27 (Reuters) -", "WASHINGTON (AP) —", "(Reuters) -",
# "LONDON —", "MOSCOW, July 5. /TASS/."
_DATELINE = re.compile(
    r"""\s*(?:
        [A-Z][A-Z.'’ -]{1,40}
            (?:,\s*[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*)?)?
            (?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?
            \s*(?:\|\s*[A-Z][\w-]{1,20}\s*\|?|\([A-Za-z][\w .-]{1,30}\)\s*[-–—:]|[-–—])\s*
      | \((?:Reuters|AP|AFP|UPI|TASS|Xinhua|Bloomberg|CNN|dpa|ANI|IANS|PTI)\)\s*[-–—:]\s*
      | [A-Z][A-Z.'’ -]{1,40},\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}\.\s*/[A-Za-z][\w .-]{1,20}/\.?\s*
    )""",
    re.VERBOSE,
)


def _norm(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().lower()


def paragraphs(text: str) -> list[Span]:
    """The spans of the body paragraphs, in order: one per non-empty, non-noise line.

    A line repeating an earlier one (the headline scraped twice) is dropped; bylines
    are dropped; a leading dateline is cut off the span of its paragraph.
    """
    spans: list[Span] = []
    seen: set[str] = set()
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped or _EMPTY_LINE.match(stripped) or _NOISE_LINE.match(stripped):
            continue
        if _TAG.search(stripped) and _EMPTY_LINE.match(_TAG.sub("", stripped)):
            continue  # an embed ("<tweet tweet-id=…><tweet/>") and nothing else
        if _BYLINE.match(stripped) and len(stripped) < 120:
            continue
        key = _norm(stripped)
        if key in seen and len(key) > 3:
            continue
        seen.add(key)
        start += len(line) - len(line.lstrip())
        end -= len(line) - len(line.rstrip())
        m = _DATELINE.match(text, start, end)
        if m and m.end() < end and _looks_like_dateline(m.group(0)):
            start = m.end()
        if end > start:
            spans.append((start, end))
    return spans


def _looks_like_dateline(prefix: str) -> bool:
    # An all-caps run that is really the first words of a sentence ("NATO SAYS -") is rare;
    # a speaker label in a transcript ("PENCE: well") ends in a colon and never matches.
    letters = [c for c in prefix if c.isalpha()]
    return bool(letters) and len(prefix.strip()) <= 70
