"""Word tokens with their offsets, and the noun-phrase scans that find who speaks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extract.offline import lexicon as lx
from factcheck.extract.offline.sentences import _ABBREV

_TOKEN = re.compile(r"''|\w+(?:[-'’.&]\w+)*|[^\w\s\u200b\u200c\u200d\u00ad\ufeff]")
# Straight, curly and angle quotation marks; "''" is the doubled apostrophe some papers use.
QUOTE_CHARS = frozenset(['"', "“", "”", "«", "»", "„", "‟", "''"])
MAX_NP_TOKENS = 14


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    text: str
    low: str
    cap: bool
    word: bool


def tokenize(text: str, start: int, end: int) -> list[Tok]:
    out: list[Tok] = []
    for m in _TOKEN.finditer(text, start, end):
        t = m.group(0)
        w = t[0].isalnum()
        out.append(Tok(m.start(), m.end(), t, t.lower(), w and t[0].isupper(), w))
    return out


@dataclass(slots=True)
class NP:
    """A noun phrase that names a source: toks[i..j] (inclusive), with any apposition."""

    i: int
    j: int
    start: int
    end: int
    kind: str  # "pronoun", "relative", "name" (has a capitalised head), "desc"
    role: str | None = None
    role_span: tuple[int, int] | None = None
    antecedent: NP | None = None


def _noun_like(t: Tok) -> bool:
    if not t.word or t.low in lx.STOP_WORDS:
        return False
    if t.low in lx.ALL_CUES:
        # "fundraising reports show", "the United States": nouns; "Trump Says": a cue
        return t.low in lx.EVIDENCE_NOUNS or (t.cap and t.text not in lx.TITLE_CUES)
    if t.cap:
        return True
    low = t.low
    return low in _ING_NOUNS or not (
        (low.endswith("ly") and len(low) > 4 and low not in _LY_NOUNS)
        or (low.endswith("ing") and len(low) > 5)
        or low.isdigit()
    )


# Nouns in -ing that name a source ("one ranking says", "the briefing found").
_ING_NOUNS = frozenset(
    "ranking rankings briefing briefings filing filings ruling polling finding findings "
    "recording recordings listing".split()
)


def _is_abbrev_dot(toks: list[Tok], k: int) -> bool:
    """toks[k] is a '.' closing "Mr." / "J." / "Gov." rather than a sentence."""
    if k < 1 or toks[k].text != "." or not toks[k - 1].word:
        return False
    prev = toks[k - 1]
    if prev.end != toks[k].start:
        return False
    return (len(prev.text) == 1 and prev.cap) or prev.low in _ABBREV or "." in prev.text


# Determiners that never stand alone as a source ("some", "others", "both" can).
_NOT_HEADS = lx.POSSESSIVES | {"the", "a", "an", "this"}


def np_back(toks: list[Tok], j: int, lo: int) -> int | None:
    """Start index of the plain noun phrase (no commas) that ends at toks[j]."""
    if j < lo:
        return None
    if _is_abbrev_dot(toks, j):
        j -= 1
    head = toks[j]
    if not _noun_like(head) or head.low in _TIME_NAMES or head.low in _NOT_HEADS:
        return None
    i = j
    lower = 0 if head.cap else 1
    while i - 1 >= lo and j - i < MAX_NP_TOKENS:
        p = toks[i - 1]
        if p.text == "." and _is_abbrev_dot(toks, i - 1):
            i -= 2
            continue
        if p.word and p.cap and p.low not in lx.STOP_WORDS and p.low not in lx.ALL_CUES:
            i -= 1
            continue
        if p.text.isdigit() and i - 2 >= lo and toks[i - 2].cap and toks[i].cap:
            i -= 1  # "UFCW Local 832 president"
            continue
        if p.low in lx.DETERMINERS and p.word:
            i -= 1
            # "a spokesman for the ministry": a preposition joins two noun phrases.
            if i - 2 >= lo and toks[i - 1].low in lx.NP_PREPS and _noun_like(toks[i - 2]):
                i -= 1
                continue
            break
        if p.low in lx.NP_PREPS and i - 2 >= lo and _noun_like(toks[i - 2]) and toks[i].cap:
            i -= 1
            continue
        if p.word and not p.cap and _noun_like(p) and lower < 3:
            i -= 1
            lower += 1
            continue
        if (
            p.low.endswith("ing")
            and i == j
            and (head.low in lx.EVIDENCE_NOUNS or head.low in lx.SOURCE_NOUNS)
        ):
            i -= 1  # "fundraising reports", "the ruling party"
            lower += 1
            continue
        break
    while i < j and toks[i].low in lx.NP_PREPS:
        i += 1
    return i


_ROLE_MODIFIERS = frozenset(
    """senior former deputy top chief fellow political foreign policy research assistant
    associate acting executive general managing vice local regional national international
    state federal public press security military economic retired longtime veteran leading
    independent professor lecturer and s""".split()
)


def _role_like(toks: list[Tok], a: int, b: int) -> bool:
    """toks[a..b] reads as an apposition giving a role ("an expert at the Council")."""
    if a > b or b - a > 13 or toks[a].text.isdigit():
        return False
    first = toks[a]
    unknown = 0
    for t in toks[a : b + 1]:
        if t.low in lx.ALL_CUES and not t.cap:
            return False
        if t.word and not t.cap and t.low not in lx.SOURCE_NOUNS and t.low not in lx.DETERMINERS:
            if t.low not in lx.NP_PREPS and t.low not in _ROLE_MODIFIERS:
                unknown += 1
    if unknown > 2:
        return False
    return (
        first.low in lx.DETERMINERS
        or not first.cap
        or first.text in lx.TITLES
        or first.low in lx.SOURCE_NOUNS
        or any(t.low in lx.SOURCE_NOUNS or t.text in lx.TITLES for t in toks[a : min(b + 1, a + 4)])
    )


def np_before(toks: list[Tok], j: int, lo: int) -> NP | None:
    """The source phrase ending at toks[j] (just before a cue), with its apposition."""
    while j >= lo and (toks[j].low in lx.SKIP_BETWEEN or _adverb(toks[j])):
        j -= 1
    j = _skip_when(toks, j, lo)
    if j < lo:
        return None
    t = toks[j]
    if (t.low in ("percent", "%") or t.low.endswith("%")) and j - 1 >= lo:
        # "Another 19 percent said": the share of a poll's respondents speaks.
        i = j - 1 if toks[j - 1].text[0].isdigit() or t.low.endswith("%") else None
        if i is not None and i > lo and toks[i - 1].low in _SHARE_WORDS:
            i -= 1
        if i is not None:
            return NP(i, j, toks[i].start, t.end, "desc")
    if t.text == ")":
        k = j - 1
        while k >= lo and toks[k].text != "(":
            k -= 1
        if k <= lo or j - k > 8:
            return None
        # "Rep. Gwen Moore (D-Wis.) said", "the Joint Chiefs of Staff (JCS) said"
        before_paren = np_before(toks, k - 1, lo)
        if before_paren is not None and before_paren.role_span is None:
            before_paren.role_span = (toks[k].start, t.end)
        return before_paren
    if t.low in lx.PRONOUNS and t.low != "you":
        return NP(j, j, t.start, t.end, "pronoun")
    if t.low in ("who", "which") and j - 1 >= lo:
        ante = np_before(toks, j - 2 if toks[j - 1].text == "," else j - 1, lo)
        return NP(j, j, t.start, t.end, "relative", antecedent=ante)
    if t.text == ",":
        # "Kirill Semyonov, an expert at the Council, believes"
        k = j - 1
        while k > lo and toks[k].text != "," and j - k < 20:
            k -= 1
        if k <= lo or toks[k].text != ",":
            return None
        seg = toks[k + 1 : j]
        if len(seg) == 1 and seg[0].text.isdigit():
            # "Mr. King, 82, told me": an age, not a role.
            i = np_back(toks, k - 1, lo)
            return _make(toks, i, k - 1) if i is not None else None
        inner = np_back(toks, j - 1, k + 1)
        if inner == k + 1 and all(t.cap or t.text == "." for t in seg) and len(seg) <= 5:
            # "The state's campaign chairman, Phil Lovas, said": the name sits in the commas.
            np = _make(toks, k + 1, j - 1)
            desc = np_back(toks, k - 1, lo)
            if desc is not None and np.kind == "name":
                np.role = _strip_det_text(toks, desc, k - 1)
                np.role_span = (toks[desc].start, toks[k - 1].end)
                return np
        i = np_back(toks, k - 1, lo)
        relative = toks[k + 1].low in ("who", "which", "whose")
        if i is None or not (relative or _role_like(toks, k + 1, j - 1)):
            return None
        np = _make(toks, i, k - 1)
        if np.kind != "name":
            return None
        if not relative:  # ", who has two children in the school," is no role
            np.role = _strip_det_text(toks, k + 1, j - 1)
        np.role_span = (toks[k + 1].start, toks[j - 1].end)
        return np
    i = np_back(toks, j, lo)
    if i is None:
        return None
    subj = _relative_subject(toks, i, lo)
    if subj is not None:
        return subj
    return _make(toks, i, j)


# "Another source speaking to Fox News said": the participle's object is not the speaker.
_OPENING_PREPS = frozenset(
    "in at on for after before with from by as during since under over amid despite".split()
)
_ASIDE_PARTICIPLES = frozenset(
    """speaking writing talking appearing testifying interviewed polled surveyed contacted
    consulted quoted cited""".split()
)


def _relative_subject(toks: list[Tok], i: int, lo: int) -> NP | None:
    """ "officials who spoke with The Huffington Post said": the officials speak, not the
    phrase that ends their relative clause."""
    for w in range(i - 1, max(lo, i - 8) - 1, -1):
        t = toks[w]
        if not t.word or t.low in lx.CLAUSE_BOUNDARY:
            return None
        if (t.low in ("who", "that") or t.low in _ASIDE_PARTICIPLES) and w - 1 >= lo:
            a = np_back(toks, w - 1, lo)
            if a is None or toks[w - 1].low in lx.STOP_WORDS:
                return None
            return _make(toks, a, w - 1)
    return None


_WHEN_UNITS = frozenset("week month year weekend night morning evening afternoon".split())


_SHARE_WORDS = frozenset(
    "another only just the about nearly almost roughly around some over".split()
)
# Words ending in -ly that are nouns or names, not adverbs between a subject and its cue.
_LY_NOUNS = frozenset(
    "family rally ally supply assembly reply apply bully monopoly anomaly".split()
)


def _adverb(t: Tok) -> bool:
    """ "Clinton angrily said", "the senator bluntly told": a manner adverb."""
    return (
        t.word and not t.cap and t.low.endswith("ly") and len(t.low) > 4 and t.low not in _LY_NOUNS
    )


def _skip_when(toks: list[Tok], j: int, lo: int) -> int:
    """Step back over a time between a subject and its cue: "Sanders on Tuesday said",
    "Obama last week said", "Clinton earlier this month told"."""
    for _ in range(2):
        if (
            j - 1 >= lo
            and toks[j].low in _WHEN_UNITS
            and toks[j - 1].low
            in (
                "last",
                "this",
                "next",
            )
        ):
            j -= 2
        elif toks[j].low == "ago" and j - 2 >= lo:
            # "The State Department less than two weeks ago said"
            j -= 2
            # "two weeks ago", "a few weeks ago", "a couple of days ago"
            while j >= lo and (
                toks[j].text.isdigit()
                or toks[j].low in lx.INDEFINITE
                or toks[j].low in ("couple", "of")
            ):
                j -= 1
            while j >= lo and toks[j].low in ("than", "less", "more", "about", "nearly", "just"):
                j -= 1
        elif j > lo and toks[j].low in _TIME_NAMES and toks[j].low not in ("march", "may"):
            j -= 1
            if j >= lo and toks[j].low == "on":
                j -= 1
        else:
            break
        while j >= lo and toks[j].low in lx.SKIP_BETWEEN or toks[j].low == "earlier":
            j -= 1
    return j


def np_after(toks: list[Tok], i: int, hi: int) -> NP | None:
    """The source phrase starting at toks[i] ("said Kirill Semyonov, an expert at …")."""
    if i < hi and toks[i].low in _OPENING_PREPS:
        return None  # "In a speech, …": a preposition, however capitalised
    k = i + 1 if i + 1 < hi and toks[i].low == "early" else i  # "early returns"
    lower = 0
    while k < hi and k - i < MAX_NP_TOKENS:
        t = toks[k]
        if t.word and t.cap and t.low not in lx.STOP_WORDS:
            k += 1
        elif t.text == "." and _is_abbrev_dot(toks, k) and k + 1 < hi and toks[k + 1].cap:
            k += 1
        elif (
            t.text.isdigit()
            and k > i
            and (toks[k - 1].cap or toks[k - 1].low in lx.DETERMINERS)
            and k + 1 < hi
            and toks[k + 1].word
        ):
            k += 1  # "a 2014 Labor Department study"
        elif t.word and k > i and (t.low in lx.EVIDENCE_NOUNS or t.low == "early") and lower < 4:
            k += 1  # "its FEC reports", "early returns"
            lower += 1
        elif t.word and t.low in lx.DETERMINERS and (k == i or toks[k - 1].low in lx.NP_PREPS):
            k += 1
        elif (
            t.low in lx.NP_PREPS
            and k > i
            and k + 1 < hi
            and (toks[k + 1].cap or toks[k + 1].low in ("the", "a", "an"))
        ):
            k += 1
        elif t.word and not t.cap and _noun_like(t) and lower < 4:
            k += 1
            lower += 1
        else:
            break
    while k > i and (toks[k - 1].low in lx.NP_PREPS or toks[k - 1].low in lx.DETERMINERS):
        k -= 1
    if k == i:
        if i < hi and toks[i].low in lx.PRONOUNS and toks[i].low != "you":
            return NP(i, i, toks[i].start, toks[i].end, "pronoun")
        return None
    if k - i == 1 and toks[i].low.endswith(("ly", "ing")) and len(toks[i].low) > 5:
        return None  # "Recently, …", "Having said that": an adverb, not a name
    np = _make(toks, i, k - 1)
    # "Rep. Gwen Moore (D-Wis.) said": the party label is part of the mention's tail.
    if k < hi and toks[k].text == "(":
        close = next((m for m in range(k + 1, min(hi, k + 8)) if toks[m].text == ")"), None)
        if close is not None:
            np.role_span = (toks[k].start, toks[close].end)
            k = close + 1
    # "Mr. King, 82, told me": skip an age.
    if (
        k + 2 < hi
        and toks[k].text == ","
        and toks[k + 1].text.isdigit()
        and toks[k + 2].text == ","
    ):
        np.role_span = (toks[k].start, toks[k + 2].end)
        k += 2
    # Apposition after the name: ", an expert at the Russian Council on International Affairs"
    for _ in range(2):
        if not (k + 1 < hi and toks[k].text == "," and np.kind == "name"):
            break
        m = k + 1
        while m < hi and (
            toks[m].text not in {",", ";", ".", "(", ")"} | QUOTE_CHARS or _is_abbrev_dot(toks, m)
        ):
            m += 1
        if not (m - k - 1 <= 14 and _role_like(toks, k + 1, m - 1)):
            break
        if np.role is None:
            np.role = _strip_det_text(toks, k + 1, m - 1)
        np.role_span = (np.role_span or (toks[k + 1].start, 0))[0], toks[m - 1].end
        k = m
    return np


def sentence_subject(toks: list[Tok], lo: int, n: int) -> NP | None:
    """The sentence's subject: "Rubio" of "Rubio pushed back on the claims, saying …"."""
    np = np_after(toks, lo, n)
    if np is not None and not toks[np.j].cap:
        # "Clinton's lawyers looked through …": the phrase ends at the people it names
        head = next(
            (
                x
                for x in range(np.i, np.j + 1)
                if not toks[x].cap and toks[x].low in lx.SOURCE_NOUNS
            ),
            None,
        )
        if head is not None and head < np.j:
            np = _make(toks, np.i, head)
    if np is None or toks[np.j].cap or not toks[np.i].cap or toks[np.i].low in lx.DETERMINERS:
        return np
    j = np.i
    while j + 1 <= np.j and (toks[j + 1].cap or toks[j + 1].text == "."):
        j += 1
    if toks[j].low.endswith(("'s", "’s")):
        return np  # "Clinton's lawyers": the lawyers, not Clinton
    return NP(np.i, j, toks[np.i].start, toks[j].end, "name")


def _strip_det_text(toks: list[Tok], a: int, b: int) -> str:
    if toks[a].low in ("a", "an", "the") and a < b:
        a += 1
    text = " ".join(t.text for t in toks[a : b + 1])
    return re.sub(r" ([,.'’])", r"\1", text).replace("- ", "-").replace(" -", "-")


# Days and months that end a noun phrase ("Trump said in Florida Friday"); "may" is left
# out, it is far more often the verb.
_TIME_NAMES = (lx.DAY_WORDS - {"overnight"}) | frozenset(
    "january february march april june july august september october november december".split()
)


def _make(toks: list[Tok], i: int, j: int) -> NP:
    # "Trump said in Florida Friday": a trailing day is when, not who.
    while j > i and (toks[j].low in _TIME_NAMES or toks[j].low in lx.NP_PREPS):
        j -= 1  # "RIA Novosti on Monday": when, not who
    head = toks[j]
    kind = "name" if any(t.cap for t in toks[i : j + 1]) and head.cap else "desc"
    if kind == "desc" and any(t.cap and t.low not in lx.DETERMINERS for t in toks[i + 1 : j + 1]):
        # "the Kremlin press service", "the press service of the Kremlin": a named body.
        kind = "name"
    return NP(i, j, toks[i].start, head.end, kind)
