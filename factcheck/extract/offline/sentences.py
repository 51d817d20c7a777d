"""News-aware sentence segmentation over spans of the original text.

Splits after . ! ? (and any closing quotes or brackets) when the next word starts a
sentence, but not after abbreviations ("Gov.", "Sept."), initials ("J. Smith"), or
dotted acronyms followed by an ordinary word ("the U.S. embassy").
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_ABBREV = frozenset(
    """mr mrs ms dr prof gov sen rep reps sens gen lt col maj capt cmdr adm sgt cpl pvt
    st jr sr rev hon pres supt insp det ft mt ave blvd rd no nos vs v etc al approx dept
    est inc corp co ltd plc bros jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun fig p pp ch vol op ed eds
    ariz calif colo conn fla ga ill ind kan ky la md mass mich minn miss mo mont neb nev
    okla ore pa tenn tex va vt wash wis wyo""".split()
)
_STARTERS = frozenset(
    """the a an he she it they we i this that these those his her its their our but and
    in on at for however meanwhile there after before when while if as so yet also then
    according some many most one two both all no not still now last earlier later""".split()
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+(?:''|[\"'“‘«(\[–—-])?\s*[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def split(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans inside text[start:end], trimmed of surrounding whitespace."""
    spans: list[Span] = []
    cur = start
    for m in _BOUNDARY.finditer(text, start, end):
        stop = m.end()
        if text[m.start()] == "." and not _is_boundary(text, cur, m.start(), stop, end):
            continue
        spans.append((cur, stop))
        cur = stop
    spans.append((cur, end))
    out: list[Span] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _is_boundary(text: str, sent_start: int, dot: int, stop: int, end: int) -> bool:
    if stop != dot + 1 and text[dot + 1] in ".":
        return True  # an ellipsis ends the sentence
    m = _WORD_BEFORE.search(text, max(sent_start, dot - 20), dot + 1)
    if not m:
        return True
    word = m.group(1)
    low = word.lower().rstrip(".")
    nxt = re.match(r"\s+[\"'“‘«(\[]?\s*([A-Za-z0-9]+)", text[stop : min(end, stop + 40)])
    next_word = nxt.group(1).lower() if nxt else ""
    if "." in word.rstrip("."):  # U.S. / e.g. / a.m.
        return next_word in _STARTERS
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith"
        return False
    if low in _ABBREV:
        # "Gov. Pence said" never ends a sentence; "... in the U.K. The" can (above).
        return False
    return True
