"""Claim text as the matcher sees it: normalised tokens plus the facts that must agree.

Two outlets rarely word a claim the same way, so similarity is measured on normalised
text. But similar wording is not the same claim: "260 killed" is not "26 killed", "Moscow
can learn from Tehran" is not "Moscow cannot learn from Tehran", and "Trump said X" is not
"Clinton said X". `features()` pulls those facts out (numbers, dates, negations, named
entities) and `guard()` compares them, so a high similarity score alone never groups two
different claims.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    said says say saying told tells according reported reports s t d ll m re ve y th st nd
    rd""".split()
)

# Counted, not just detected: "no one was hurt" and "someone was hurt" differ by one cue.
NEGATIONS = frozenset(
    """not no never none nobody nothing neither nor nowhere without cannot deny denies
    denied denying false untrue""".split()
)

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday".split()
)

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "mln": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}

_QUOTES = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"'})
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_NT = re.compile(r"n't\b")


class Verdict(IntEnum):
    """How two claims' facts compare: OK, SOFT (one side is vaguer) or CONFLICT."""

    OK = 0
    SOFT = 1
    CONFLICT = 2


@dataclass(frozen=True, slots=True)
class Features:
    """What the matcher keeps of one claim's text."""

    tokens: tuple[str, ...]  # stemmed content words and canonical numbers, in order
    numbers: frozenset[str]  # canonical quantities ("260", "1500000", "12.5")
    dates: frozenset[str]  # years ("y2016") and month-days ("m9d11") and months ("m9")
    negations: int  # how many negation cues
    entities: frozenset[str]  # lowercased capitalised names ("moscow", "tehran")
    words: frozenset[str]  # every lowercased surface word, to look entities up in
    quantities: tuple[str, ...] = ()  # numbers, years and days with repeats, sorted


def normalise(text: str) -> str:
    """NFKC, unified quote marks and whitespace: the text both outlets would agree on."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.split())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A deliberately light suffix stripper: killed/kills/killing -> kill, cities -> city."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    if word.endswith("ed") and len(word) > 4:
        return word[:-2]
    if word.endswith("es") and word[-3] in "sxz" and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _number_value(raw: str) -> float | None:
    raw = raw.rstrip("%")
    # "1,000" and "1,000,000" are thousands; a single comma with two digits ("3,5") is a
    # European decimal, rare enough in English news to read as thousands anyway.
    if "," in raw and "." not in raw:
        raw = raw.replace(",", "")
    elif "," in raw:
        raw = raw.replace(",", "")
    try:
        return float(raw)
    except ValueError:
        return None


def _canonical(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:.6g}"


def features(text: str) -> Features:
    """Tokens and the facts a match must respect, for one claim text."""
    clean = normalise(text)
    lowered = clean.lower().replace("can't", "can not").replace("won't", "will not")
    lowered = _NT.sub(" not", lowered)
    entities = _entities(clean)
    raw = _TOKEN.findall(lowered)

    tokens: list[str] = []
    numbers: list[str] = []
    dates: set[str] = set()
    negations = 0
    i = 0
    n = len(raw)
    while i < n:
        word = raw[i]
        if word not in _SPECIAL and not word[0].isdigit():
            # The common case, kept short: a plain word.
            if word not in STOPWORDS and word not in WEEKDAYS and len(word) > 1:
                tokens.append(stem(word.replace("'", "") if "'" in word else word))
            i += 1
            continue
        if word in NEGATIONS:
            negations += 1
            i += 1
            continue
        if word[0].isdigit():
            value = _number_value(word)
            nxt = raw[i + 1] if i + 1 < len(raw) else ""
            prev = raw[i - 1] if i else ""
            if value is None:
                i += 1
                continue
            if prev in MONTHS and value <= 31 and "." not in word:
                dates.add(f"m{MONTHS[prev]}d{int(value)}")
                i += 1
                continue
            if nxt in MONTHS and value <= 31 and "." not in word:
                dates.add(f"m{MONTHS[nxt]}d{int(value)}")
                i += 1
                continue
            if 1800 <= value <= 2100 and value == int(value) and "," not in word:
                dates.add(f"y{int(value)}")
                tokens.append(f"y{int(value)}")
                i += 1
                continue
            if nxt in _SCALES:
                value *= _SCALES[nxt]
                i += 1
            canon = _canonical(value)
            numbers.append(canon)
            tokens.append(canon)
            if word.endswith("%"):
                tokens.append("percent")
            i += 1
            continue
        if word in _UNITS or (word in _SCALES and word not in ("mln", "bn")):
            value_words, j = _word_number(raw, i)
            if value_words is not None:
                canon = _canonical(value_words)
                numbers.append(canon)
                tokens.append(canon)
                i = j
                continue
        if (
            word in MONTHS
            and word not in ("may", "mar")
            or word in ("may", "mar")
            and _is_date(raw, i)
        ):
            dates.add(f"m{MONTHS[word]}")
            tokens.append(f"m{MONTHS[word]}")
            i += 1
            continue
        if word in STOPWORDS or word in WEEKDAYS or len(word) == 1:
            i += 1
            continue
        tokens.append(stem(word.replace("'", "")))
        i += 1
    # A bare month is implied by any month-day date of the same month.
    dates -= {d.split("d")[0] for d in dates if "d" in d}
    return Features(
        tokens=tuple(tokens),
        numbers=frozenset(numbers),
        quantities=tuple(sorted(numbers + [d for d in dates if d.startswith("y") or "d" in d])),
        dates=frozenset(dates),
        negations=negations,
        entities=frozenset(entities),
        words=frozenset(raw) | {w.replace("'", "") for w in raw if "'" in w},
    )


def _is_date(raw: list[str], i: int) -> bool:
    # "May" the month sits next to a day or a year; "may" the verb does not.
    near = raw[max(0, i - 1) : i] + raw[i + 1 : i + 2]
    return any(w[0].isdigit() for w in near if w)


def _word_number(raw: list[str], i: int) -> tuple[float | None, int]:
    """Reads "twenty five", "three hundred", "2 million" style numbers starting at i."""
    total = 0.0
    current = 0.0
    seen = False
    j = i
    while j < len(raw):
        word = raw[j]
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred" and seen:
            current *= 100
        elif word in _SCALES and seen:
            total += current * _SCALES[word]
            current = 0
        elif word == "and" and seen and j + 1 < len(raw) and raw[j + 1] in _UNITS:
            pass
        else:
            break
        seen = True
        j += 1
    if not seen or (total == 0 and current == 0 and raw[i] != "zero"):
        # "hundreds", "thousands" or a bare "hundred": vague, not a number.
        return None, i + 1
    if raw[i] == "one" and j == i + 1:
        # "one of the", "no one": too often not a quantity to guard on.
        return None, i + 1
    return total + current, j


def _entities(clean: str) -> set[str]:
    """Capitalised words that are not just sentence-initial: a cheap named-entity proxy."""
    out: set[str] = set()
    sentence_start = True
    for chunk in clean.split():
        first = sentence_start
        sentence_start = chunk[-1] in _ENDERS or (len(chunk) > 1 and chunk[-2] in _ENDERS)
        word = chunk.strip(_STRIP)
        if not word or not word[0].isupper():
            continue
        parts = _PARTS.split(word) if ("-" in word or "'" in word) else (word,)
        for part in parts:
            if not part or not part[0].isupper() or not part.isalpha():
                continue
            low = part.lower()
            if low in _NOT_NAMES:
                continue
            if first and low in _COMMON_INITIAL and not part.isupper():
                continue
            out.add(low)
    return out


# Capitalised at the start of a sentence, these are ordinary words, not names.
_COMMON_INITIAL = frozenset(
    """officials police authorities experts sources residents people president minister
    government state police military army troops witnesses critics analysts according
    however meanwhile earlier later last next new many several some most both one two
    three four five six seven eight nine ten it its we they he she our their this that
    these those there here in on at by for from with after before during while as if
    when since although though despite because but and or so yet also still even only
    just more less all no not never nobody nothing none""".split()
)


_SPECIAL = NEGATIONS | set(MONTHS) | set(_UNITS) | set(_SCALES)
_ENDERS = frozenset('.!?:;"')
_STRIP = "\"'()[]{},.;:!?-"
_PARTS = re.compile(r"[-']")
_NOT_NAMES = STOPWORDS | NEGATIONS | set(MONTHS) | WEEKDAYS | set(_UNITS) | set(_SCALES)


def guard(a: Features, b: Features) -> tuple[Verdict, str | None]:
    """Whether the facts of two claims agree, and why not when they do not.

    Different numbers, dates or negation are a CONFLICT (never the same claim). A name
    on each side that the other lacks ("Trump" vs "Clinton") is a CONFLICT; a number,
    date or name on one side only is SOFT: the claims may be the same, one vaguer, so a
    reviewer should confirm.
    """
    if a.negations != b.negations:
        return Verdict.CONFLICT, "negation differs"
    # Numbers, years and days together, with repeats: "in 201" against "in 2016" and
    # "15 minutes, 1 day" against "1 minutes, 1 day" are changed numbers.
    qa, qb = Counter(a.quantities), Counter(b.quantities)
    extra_a, extra_b = set(qa - qb), set(qb - qa)
    if extra_a and extra_b:
        both = extra_a | extra_b
        what = "dates" if all(q[0] in "ym" for q in both) else "numbers"
        return Verdict.CONFLICT, f"{what} differ"
    only_a = {e for e in a.entities if e not in b.words and stem(e) not in b.tokens}
    only_b = {e for e in b.entities if e not in a.words and stem(e) not in a.tokens}
    if only_a and only_b:
        return Verdict.CONFLICT, "different names: " + ", ".join(sorted(only_a | only_b))
    if extra_a or extra_b:
        return Verdict.SOFT, "a number or date on one side only"
    if only_a or only_b:
        return Verdict.SOFT, "a name on one side only: " + ", ".join(sorted(only_a | only_b))
    return Verdict.OK, None
