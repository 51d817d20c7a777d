"""Attribution cues and the pieces every frame shape uses: which words are cues here,
where a sentence's lead-in ends, and content spans trimmed of edge punctuation."""

from __future__ import annotations

from dataclasses import dataclass, field

from factcheck.extract.offline import lexicon as lx
from factcheck.extract.offline.tokens import NP, QUOTE_CHARS, Tok

Span = tuple[int, int]

_END_PUNCT = frozenset(".!?;:,")


@dataclass(slots=True)
class Frame:
    np: NP
    cue: str
    cue_span: Span
    contents: list[Span]
    relays: list[NP] = field(default_factory=list)
    relay_cue: str | None = None  # "according to" of an outer relay; else the frame's cue
    # "X called the talks a good start": the claim reads best with its subject.
    with_subject: bool = False
    # "Sanders wants to …": a stance, weaker than a paragraph's reported source
    stance: bool = False


def quote_mask(toks: list[Tok]) -> list[bool]:
    """True for tokens inside a quotation (straight or typographic) of this sentence."""
    inside = False
    out: list[bool] = []
    for t in toks:
        if t.text in QUOTE_CHARS:
            if t.text in ("“", "«", "„"):
                inside = True
            elif t.text in ("”", "»"):
                inside = False
            else:
                inside = not inside
            out.append(True)
            continue
        out.append(inside)
    return out


def intro_end(toks: list[Tok], lo: int) -> int:
    """Index after a leading adverbial ("At the same time,", "Speaking to reporters,")."""
    for _ in range(3):
        if lo >= len(toks):
            return lo
        first = toks[lo]
        reach = 15 if first.low in lx.INTRO_WORDS else 9
        comma = next(
            (k for k in range(lo + 1, min(len(toks), lo + reach)) if toks[k].text in ",—–"),
            None,
        )
        if comma is None:
            return lo
        words = toks[lo:comma]
        if any(w.low == "according" for w in words):
            return lo
        if first.low not in lx.PREP_INTROS and any(w.low in lx.ALL_CUES for w in words):
            return lo
        intro = (
            first.low in lx.INTRO_WORDS
            or (first.low.endswith("ing") and len(first.low) > 5)
            or (len(words) == 1 and _sentence_adverb(first.low))  # "Essentially, …"
            or (
                first.low.endswith("ed")
                and len(words) > 1
                and (words[1].low in lx.NP_PREPS or words[1].low == "by")
            )
            or (len(words) <= 4 and any(w.low in lx.TIME_WORDS for w in words))
        )
        if not intro:
            return lo
        lo = comma + 1
        while lo < len(toks) and toks[lo].text in QUOTE_CHARS:
            lo += 1
    return lo


_DENIALS = frozenset("denies denied deny rejects rejected disputes disputed".split())
_CHARGES = frozenset("charge charges accusation accusations allegation allegations claim".split())
_AUXILIARIES = frozenset("have has had is are was were will would could".split())
_AMOUNTS = frozenset("more half dozens hundreds thousands".split())


def _sentence_adverb(low: str) -> bool:
    """ "Essentially,", "Separately,", "Similarly," open a sentence; "Kelly," and "Emily,"
    are names."""
    return len(low) > 5 and low.endswith(_ADVERB_ENDINGS) and low not in ("sally", "wally")


_ADVERB_ENDINGS = ("ally", "ely", "tly", "ously", "ably", "ibly", "arly", "ntly")


def with_that(toks: list[Tok], m: int) -> int | None:
    """Index of the "that" after a short object ("agreed with Ivana Trump that …")."""
    for x in range(m, min(len(toks), m + 8)):
        if toks[x].low == "that":
            return x if x > m else None
        if not toks[x].word:
            return None
    return None


def that_after_time(toks: list[Tok], m: int) -> int | None:
    """Index of "that" after a time ("stated earlier this week that …"), or None."""
    for x in range(m, min(len(toks), m + 5)):
        t = toks[x]
        if t.low == "that":
            return x if x > m else None
        if not t.word or not (
            t.low in lx.TIME_WORDS
            or t.low in lx.TIME_UNITS
            or t.low in lx.DAY_WORDS
            or t.low in ("this", "last", "next", "on")
        ):
            return None
    return None


def cue_at(toks: list[Tok], k: int) -> int | None:
    """Index of the last token of a cue starting at toks[k], or None."""
    t = toks[k]
    if not t.word or (t.cap and k > 0 and t.text not in lx.TITLE_CUES):
        return None
    low = t.low
    nxt = toks[k + 1].low if k + 1 < len(toks) else ""
    prev = toks[k - 1].low if k > 0 else ""
    if low in ("make", "made", "makes") and nxt == "it" and k + 2 < len(toks):
        if toks[k + 2].low == "clear":
            return k + 2  # "Ham made it clear he had misgivings"
    if low in ("agree", "agrees", "agreed") and nxt == "with" and with_that(toks, k + 2):
        return k + 1  # "The judge agreed with Ivana Trump that …"
    if low in lx.PHRASAL_CUES and nxt in lx.PHRASAL_CUES[low]:
        after = toks[k + 2].low if k + 2 < len(toks) else ""
        if (
            low in ("go", "goes", "went")
            and after not in (",", "that", ":")
            and after not in QUOTE_CHARS
        ):
            third = toks[k + 3].low if k + 3 < len(toks) else ""
            if not (after == "to" and third in lx.SPEECH_CUES):
                return None  # "Clinton goes on phone spree", "went on to lose": no speech
        return k + 1
    if low not in lx.ALL_CUES:
        return None
    if low.endswith("s") and k > 0 and prev.endswith(("'s", "’s")):
        return None  # "the Kremlin's hopes for a deal": a noun
    if nxt == "to" and low in lx.NO_TO_CUES:
        return None
    nxt_lower = k + 1 < len(toks) and toks[k + 1].word and not toks[k + 1].cap
    if (
        low in lx.THAT_ONLY_CUES
        and nxt != "that"
        and (nxt_lower or prev in lx.DETERMINERS)
        and that_after_time(toks, k + 1) is None
    ):
        return None  # "battleground states could decide", "the ruling would leave"
    if low in lx.REPLY_CUES and nxt not in ("that", ":", ",", "by", "in", "on", "to"):
        return None  # "San Jose replied 17 seconds later" is hockey, not speech
    if nxt in ("with", "on", "upon") and low in lx.NO_WITH_CUES:
        return None
    if low in ("states", "ruling", "rules") and prev[:1].isalpha() and toks[k - 1].cap:
        return None  # "Rust Belt states that …", "a Supreme Court ruling that …": nouns
    if low in ("maintain", "maintains", "maintained") and nxt in lx.DETERMINERS:
        return None  # "Sanders maintained his lead"
    if k > 1 and toks[k - 1].low.endswith("ly") and toks[k - 2].low in lx.BE_FORMS:
        prev = toks[k - 2].low  # "was briefly considered": still a passive
    if prev in lx.BE_FORMS and low.endswith("ed") and low not in ("concerned", "convinced"):
        return None  # "the holiday is observed as …": a passive
    if low in _DENIALS and any(t.low in _CHARGES for t in toks[max(0, k - 4) : k]):
        return None  # "…, a charge Iran denies": the content is not Iran's
    if prev in ("worth", "most", "more", "less", "least", "very") or (
        low in ("know", "knows", "knew") and nxt == "of"
    ):
        return None  # "It's worth noting that …", "the best one I know of"
    if nxt in _AUXILIARIES and low.endswith("s") and k > 0:
        return None  # "Health worries have dogged her": a noun
    if nxt == "by" and low.endswith("ed") and low != "reported":
        return None  # "the country described by the president": a passive participle
    if low in ("accused", "charged") and nxt == "of":
        return None  # "the man accused of buying the guns": a passive, not an accusation
    if low in lx.OBJECT_NOT_SPEECH and (
        nxt in ("up", "off", "out", "back", "a", "an")
        or (
            low[:3] != "cal"
            and nxt != "that"  # "added that …" is speech; "added that goal" is rarer
            and (nxt in lx.DETERMINERS or nxt.isdigit() or nxt in _AMOUNTS)
        )
    ):
        return None  # "Hamilton added a goal", "got called up", "denied a request"
    if prev in ("got", "get", "gets", "be", "been", "being", "was", "were") and low in (
        "called",
        "told",
        "asked",
    ):
        return None  # passive: "was told to leave"

    if low in (
        "said",
        "believed",
        "thought",
        "reported",
        "alleged",
        "expected",
        "considered",
    ) and prev in (
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
    ):
        return None  # passive: "is said to", "was reported"
    if low in lx.ASSESS_CUES and low not in lx.ASSESS_OK:
        return None
    if low in lx.NOUN_CUES and (nxt == "of" or prev in lx.DETERMINERS or prev.endswith("al")):
        return None
    if low in lx.EVIDENCE_CUES and evidence_index(toks, k) is None and t.text not in lx.TITLE_CUES:
        # "a poll shows", "the study released Monday found", "the judge found that", but
        # not "police found a body"
        if not (low in ("found", "finds") and nxt == "that" and k > 0 and toks[k - 1].word):
            return None
    return k


def evidence_index(toks: list[Tok], k: int) -> int | None:
    """Index of the poll, study or document whose finding the cue at toks[k] reports."""
    for x in range(k - 1, max(-1, k - 13), -1):
        t = toks[x]
        if t.text in ",;:" or t.text in QUOTE_CHARS or t.low in lx.CLAUSE_BOUNDARY:
            return None
        if t.low in lx.EVIDENCE_NOUNS and not (t.cap and x + 1 < k and toks[x + 1].cap):
            return x  # but "the National Audit Office" is a name, not an audit
    return None


def skip_tail(toks: list[Tok], m: int, n: int) -> int:
    """Skip adverbials after a cue: "on Monday", "in a statement", "to reporters"."""
    for _ in range(3):
        if m < n and toks[m].low in lx.DAY_WORDS:
            m += 1  # "…, Smith said Monday."
            continue
        if m + 1 < n and toks[m].low == "on" and toks[m + 1].low in lx.DAY_WORDS:
            m += 2  # "said on Sunday it had …"
            continue
        if (
            m + 1 < n
            and toks[m].low in ("this", "last", "next", "late", "early")
            and toks[m + 1].low not in lx.TIME_UNITS
        ):
            break  # "thought this Supreme Court term …" is content, "said this week" is not
        if m < n and toks[m].low in lx.TAIL_PREPS and m + 1 < n:
            q = m + 1
            while q < n and q - m <= 6 and toks[q].text not in ",.;:" and toks[q].low != "that":
                if toks[q].text in QUOTE_CHARS:
                    break
                q += 1
            # Only a short adverbial directly followed by "that", a comma or the end.
            if q >= n - 1 or toks[q].text in ",:" or toks[q].low == "that":
                m = q
                continue
            if toks[m].low in ("on", "in") and q - m <= 3 and toks[m + 1].cap:
                m = m + 2  # "on Monday", "in Moscow"
                continue
        break
    return m


def content_span(toks: list[Tok], a: int, b: int) -> Span | None:
    """Span of toks[a..b] with edge punctuation trimmed; None when too short."""
    while a <= b and (toks[a].text in ",:;—–-" or toks[a].low == "that"):
        a += 1
    while b >= a and toks[b].text in _END_PUNCT | {"—", "–", "-"}:
        b -= 1
    if b < a or sum(1 for t in toks[a : b + 1] if t.word) < 2:
        return None
    return (toks[a].start, toks[b].end)


def is_short_intro(toks: list[Tok], a: int, b: int) -> bool:
    return b - a < 5 or toks[a].low in lx.INTRO_WORDS
