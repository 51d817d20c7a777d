"""Claims from content spans: atomic pieces, kind, hedging, and a standalone sentence."""

from __future__ import annotations

import re

from factcheck.extract.offline import lexicon as lx

Span = tuple[int, int]

_LEAD = re.compile(
    r"(?:(?:and|but|so|yet|therefore|thus|however|moreover|furthermore|meanwhile|also|still|"
    r"besides|indeed|instead|in addition|in this regard|in turn|in total|at the same time|"
    r"of course|first|second|finally|then|now|well|look|that said|as a result|in fact|"
    r"as expected|as usual|as always|as planned|"
    r"on the other hand|to a certain extent|in other words|nevertheless|nonetheless|"
    # a short leading adverbial ("In a statement on Monday,"), never "at least 12 people …,"
    r"(?:during|in|at|on|after|before|since|amid|under|over|despite)(?! (?:least|most)\b)"
    r"(?: [^,;:\"“”\s]+){1,8})"
    r"\s*,\s*|(?:and|but|so|yet|that|because|as|while)\s+)",
    re.IGNORECASE,
)
# Where one sentence joins independent assertions.
_SPLIT = re.compile(
    r"\s*;\s+|,\s+(?:but|while|whereas|and yet)\s+|\s+but\s+(?=(?:the|a|an|he|she|they|it|we|"
    r"[A-Z]\w+)\s)|,\s+and\s+(?=(?:the|a|an|he|she|they|it|we|this|that|[A-Z]\w+)\s+\w+\s)|"
    r":\s+(?=[a-z])|,\s+(?=(?:allegedly|reportedly|purportedly|supposedly)\b)",
)
_PLEASANTRY = re.compile(
    r"^\W*(?:thank(?:s| you)|good (?:morning|afternoon|evening|night)|hello|hi|congratulations|"
    r"happy \w+|welcome|goodbye|bye|cheers|you're welcome|my pleasure|yes|no|okay|ok|right)\b",
    re.IGNORECASE,
)
_DATE_NUMBER = re.compile(
    r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}|"
    r"\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|(?:19|20)\d\d|"
    r"\d{1,2}(?::\d\d)? ?(?:a\.m\.|p\.m\.|am|pm)|\d{1,2}(?:st|nd|rd|th))\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[A-Za-z0-9]+(?:['’][a-z]+)?")
_ALPHA_WORD = re.compile(r"[A-Za-z]{2,}")
_TRIM_END = " \t\n,;:.!?—–-"
_TRIM_START = " \t\n,;:—–-"


def trim(text: str, s: int, e: int) -> Span:
    """The span without edge punctuation or unbalanced edge quote marks."""
    while s < e and text[s] in _TRIM_START:
        s += 1
    while e > s and text[e - 1] in _TRIM_END:
        e -= 1
    for _ in range(2):
        if s < e and text[s] in "\"“«„'‘" and not _has_close(text[s + 1 : e], text[s]):
            s += 1
        if e > s and text[e - 1] in "\"”»'’" and not _has_open(text[s : e - 1], text[e - 1]):
            e -= 1
        while s < e and text[s] in _TRIM_START:
            s += 1
        while e > s and text[e - 1] in _TRIM_END:
            e -= 1
    return s, e


def _has_close(inner: str, opener: str) -> bool:
    closer = {"“": "”", "«": "»", "„": "“", "‘": "’"}.get(opener, opener)
    return closer in inner


def _has_open(inner: str, closer: str) -> bool:
    opener = {"”": "“", "»": "«", "’": "‘"}.get(closer, closer)
    return opener in inner


# Speech runs clauses together with ';' and ', and'; only an explicit ', but' turns to a
# second point a checker would take separately.
_QUOTED_SPLIT = re.compile(r",\s+but\s+")


def atomic(text: str, s: int, e: int, *, quoted: bool = False) -> list[Span]:
    """Pieces of text[s:e] that each assert one thing (split at ';', ', but', …).

    `quoted`: the words are a speaker's, split only at ', but'."""
    s, e = trim(text, s, e)
    pieces: list[Span] = []
    cur = s
    for m in (_QUOTED_SPLIT if quoted else _SPLIT).finditer(text, s, e):
        if _words(text[cur : m.start()]) >= 4 and _words(text[m.end() : e]) >= 3:
            pieces.append((cur, m.start()))
            cur = m.end()
    pieces.append((cur, e))
    out: list[Span] = []
    for a, b in pieces:
        for _ in range(3):
            lead = _LEAD.match(text, a, b)
            if not lead or _words(text[lead.end() : b]) < 3:
                break
            a = lead.end()
        a, b = trim(text, a, b)
        if b > a and _words(text[a:b]) >= 3:
            out.append((a, b))
    return out


def _words(text: str) -> int:
    return len(_WORDS.findall(text))


def is_claim(quote: str) -> bool:
    """Questions, greetings and fragments are not claims."""
    q = quote.strip()
    if q.startswith("(") and q.rstrip(".").endswith(")"):
        return False  # a photo credit or an aside
    if q.endswith("?") or _PLEASANTRY.match(q) and _words(q) < 8:
        return False
    return _words(q) >= 3 and len(_ALPHA_WORD.findall(q)) >= 2


def kind(quote: str, cue: str | None, source_type: str | None) -> str:
    low_cue = (cue or "").lower().split()[0] if cue else ""
    stripped = _DATE_NUMBER.sub(" ", quote)
    if lx.PREDICTION_WORDS.search(quote) or (
        low_cue in lx.PREDICTION_CUES
        and re.search(r"\b(?:will|would|could|may|might|to be)\b", quote)
    ):
        return "prediction"
    if lx.NUMBER.search(stripped) and re.search(
        r"\d|percent|per cent|half|third|quarter", stripped
    ):
        return "statistic"
    if low_cue in lx.OPINION_CUES or lx.OPINION_WORDS.search(quote):
        return "opinion"
    return "fact"


def hedged(quote: str, context: str = "") -> bool:
    return bool(lx.HEDGES.search(quote) or (context and lx.HEDGES.search(context)))


_PRONOUN_START = re.compile(r"^(?:he|she|they)\b", re.IGNORECASE)


def standalone(quote: str, speaker: str | None, speaker_is_person: bool) -> str:
    """The claim as one sentence: capitalised, a leading pronoun replaced by its referent."""
    text = " ".join(quote.split())
    text = text.strip('"“”«»„ ')
    if speaker and speaker_is_person:
        m = _PRONOUN_START.match(text)
        if m and m.group(0).lower() in ("he", "she"):
            text = speaker + text[m.end() :]
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and text[-1] not in ".!?":
        text += "."
    return text
