"""Frame shapes beyond "X said": "according to X", an outlet that "quoted X as saying",
the outlet a source "told", and colon or dash introductions ("PENCE: …", a headline's
"… – Iran")."""

from __future__ import annotations

from factcheck.extract.offline import lexicon as lx
from factcheck.extract.offline.cues import (
    Frame,
    Span,
    content_span,
    cue_at,
    is_short_intro,
)
from factcheck.extract.offline.sources import source_type
from factcheck.extract.offline.tokens import NP, QUOTE_CHARS, Tok, np_after, np_before


def according(toks: list[Tok], k: int, lo: int, n: int) -> tuple[Frame | None, int]:
    """The frame of "according to X" at toks[k] (content before, after or around it) and
    the index where scanning goes on."""
    np = np_after(toks, k + 2, n)
    if np is None and k + 2 < n and toks[k + 2].low in ("him", "her", "them"):
        p = toks[k + 2]  # "According to her, …": the speaker of the paragraph before
        np = NP(k + 2, k + 2, p.start, p.end, "pronoun")
    if np is None:
        return None, k + 2
    cue_span = (toks[k].start, toks[k + 1].end)
    after = np.j + 1
    relay = None
    if after + 2 < n and toks[after].low in ("cited", "quoted") and toks[after + 1].low == "by":
        # "according to Western intelligence sources cited by Reuters": Reuters relays them
        relay = np_after(toks, after + 2, n)
        if relay is not None:
            after = relay.j + 1
    if np.role_span is not None:
        while after < n and toks[after].start < np.role_span[1]:
            after += 1
    last = n - 1
    spans: list[Span] = []
    if k <= lo:
        if after >= n - 1 and np.role_span is not None:
            # "According to the press service, the presidents discussed trade.": what the
            # noun-phrase scan read as an apposition is the content.
            np.role, np.role_span = None, None
            after = np.j + 1
        # "According to the schedule published Thursday, …": the source's own tail
        comma = next((x for x in range(after, min(n, after + 10)) if toks[x].text == ","), None)
        if comma is not None and _plain_tail(toks, after, comma):
            after = comma
        if after < n and toks[after].text == ",":
            span = content_span(toks, after + 1, last)
            if span:
                spans.append(span)
    elif toks[k - 1].text in ",—–(" or (
        toks[k - 1].text in QUOTE_CHARS and k - 2 > lo and toks[k - 2].text == ","
    ):
        pre_end = k - 2
        if after >= last or toks[after].text in ".;)(" or _plain_tail(toks, after, n):
            span = content_span(toks, lo, pre_end)
            if span:
                spans.append(span)
        elif toks[after].text in ",—–":
            if not is_short_intro(toks, lo, pre_end):
                span = content_span(toks, lo, pre_end)
                if span:
                    spans.append(span)
            span = content_span(toks, after + 1, last)
            if span:
                spans.append(span)
    if not spans:
        return None, after
    fr = Frame(np, "according to", cue_span, spans)
    if relay is not None:
        fr.relays.append(relay)
        fr.relay_cue = f"{toks[np.j + 1].text} by"
    return fr, n


def quoted_as(toks: list[Tok], k: int, lo: int, n: int) -> Frame | None:
    """ "Interfax quoted Ryabkov as saying (that) …" and "…, Interfax quoted Ryabkov as
    saying.": the speaker first, the outlet that quoted them as the relay."""
    outlet = np_before(toks, k - 1, lo)
    if outlet is None:
        return None
    as_at = next(
        (x for x in range(k + 2, min(n - 1, k + 16)) if toks[x].low == "as"),
        None,
    )
    if as_at is None or toks[as_at + 1].low not in lx.PARTICIPLES:
        return None
    speaker = np_after(toks, k + 1, as_at)
    if speaker is None:
        return None
    cue_span = (toks[as_at].start, toks[as_at + 1].end)
    cue = f"as {toks[as_at + 1].text}"
    m = as_at + 2
    if m < n and toks[m].low == "that":
        m += 1
    if m < n and toks[m].text in ",:":
        m += 1
    span = content_span(toks, m, n - 1)
    if span is None and outlet.i - 1 > lo and toks[outlet.i - 1].text in {","} | QUOTE_CHARS:
        span = content_span(toks, lo, outlet.i - 2)
    if span is None:
        return None
    return Frame(speaker, cue, cue_span, [span], relays=[outlet], relay_cue=toks[k].text)


def in_words(toks: list[Tok], lo: int, n: int) -> Frame | None:
    """ "In her words, the supplies only increase the number of victims.": the speaker of
    the paragraph before, as with "according to her"."""
    if not (
        lo + 4 < n
        and toks[lo].low == "in"
        and toks[lo + 1].low in ("his", "her", "their")
        and toks[lo + 2].low == "words"
        and toks[lo + 3].text == ","
    ):
        return None
    span = content_span(toks, lo + 4, n - 1)
    if span is None:
        return None
    p = toks[lo + 1]
    pron = NP(lo + 1, lo + 1, p.start, p.end, "pronoun")
    cue = " ".join(t.text for t in toks[lo : lo + 3])
    return Frame(pron, cue, (toks[lo].start, toks[lo + 2].end), [span])


def as_noted(toks: list[Tok], lo: int, n: int) -> Frame | None:
    """ "As many tax experts have pointed out, Mr. Trump is free to …": the source of
    the clause after the comma."""
    if lo >= n or toks[lo].low != "as":
        return None
    for comma in range(lo + 3, min(n - 2, lo + 24)):
        if toks[comma].text != ",":
            continue
        # the cue ends just before a comma: "have pointed out", "noted", "reported"
        c = next((x for x in range(comma - 1, comma - 4, -1) if cue_at(toks, x) == comma - 1), None)
        if c is not None and c > lo + 1:
            break
    else:
        return None
    # "As many tax experts, including Mr. Goldberg, have pointed out": the opening subject
    np = np_before(toks, c - 1, lo + 1) or np_after(toks, lo + 1, c)
    span = content_span(toks, comma + 1, n - 1)
    if np is None or span is None:
        return None
    cue = " ".join(t.text for t in toks[c:comma])
    return Frame(np, cue, (toks[c].start, toks[comma - 1].end), [span])


def outlet_object(toks: list[Tok], m: int, n: int) -> NP | None:
    """The named outlet a source spoke to ("told TASS", "told the Global Times"): a relay."""
    if m + 1 < n and toks[m].low == "the" and toks[m + 1].cap:
        m += 1
    j = m
    while j < n and toks[j].word and toks[j].cap:
        j += 1
    if j == m:
        return None
    text = " ".join(t.text for t in toks[m:j])
    if source_type(text) != "media":
        return None
    return NP(m, j - 1, toks[m].start, toks[j - 1].end, "name")


def _plain_tail(toks: list[Tok], m: int, n: int) -> bool:
    """toks[m:] only goes on describing the source: "…, according to a New York
    Times/CBS News poll released last week." """
    return n - m <= 15 and all(
        t.text not in ",;:—–" and t.text not in QUOTE_CHARS and cue_at(toks, x) is None
        for x, t in enumerate(toks[m:n], start=m)
    )


# Page furniture and interview markers before a colon, never a speaker's name.
_SECTION_LABELS = frozenset(
    """look watch read update updated email editor's note note photo photos video related
    more source sources q a short reads correction clarification disclosure full text
    abstract see also breaking exclusive opinion analysis live listen boom wow latest""".split()
) | {"short reads", "full text", "see also", "editor's note", "read more", "the latest"}


def colon_or_dash(toks: list[Tok], *, first_in_paragraph: bool, headline: bool) -> Frame | None:
    """A speaker named before a colon ("PENCE: …") or after a headline's dash."""
    n = len(toks)
    # "PENCE: Well, …" / "Pence: Gennifer Flowers won't be at debate"
    if first_in_paragraph:
        for c in range(1, min(n - 2, 6)):
            if toks[c].text == ":":
                head = toks[:c]
                if all(t.cap or t.text == "." for t in head) and (
                    headline or head[-1].text.isupper()
                ):
                    np = np_before(toks, c - 1, 0)
                    span = content_span(toks, c + 1, n - 1)
                    label = " ".join(t.low for t in head if t.word)
                    if np is not None and np.i == 0 and span and label not in _SECTION_LABELS:
                        return Frame(np, ":", (toks[c].start, toks[c].end), [span])
                break
    # Headline: "Moscow and Tehran will cooperate – Iran"
    tail = headline_tail(toks) if headline else None
    if tail is not None:
        np, d = tail
        span = content_span(toks, 0, d - 1)
        if span:
            return Frame(np, toks[d].text, (toks[d].start, toks[d].end), [span])
    return None


def headline_tail(toks: list[Tok]) -> tuple[NP, int] | None:
    """The name signing a headline after a dash ("… – Iran", "… - IRNA") and the dash."""
    n = len(toks)
    if n <= 4:
        return None
    for d in range(n - 2, max(1, n - 7), -1):
        if toks[d].text in ("–", "—", "-") and toks[d - 1].end < toks[d].start:
            name_toks = toks[d + 1 :]
            if all(t.cap or not t.word for t in name_toks) and name_toks[0].cap:
                j = n - 1
                while j > d and not toks[j].word:
                    j -= 1
                np = np_before(toks, j, d + 1)
                return (np, d) if np is not None else None
            return None
    return None
