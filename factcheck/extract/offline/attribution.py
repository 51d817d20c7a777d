"""Attribution frames: who (a noun phrase), the cue, and the span of what they assert.

Handles reporting verbs before, after or inside the content ("X said that …", "…, X
said", "…, said X", "…, X said, …"), "according to X", relays ("citing X", "X quoted Y
as saying", "…, according to TASS"), colon introductions and headline attribution
("… – Iran").
"""

from __future__ import annotations

from factcheck.extract.offline import lexicon as lx
from factcheck.extract.offline.cues import (
    Frame,
    Span,
    content_span,
    cue_at,
    evidence_index,
    intro_end,
    is_short_intro,
    quote_mask,
    skip_tail,
    that_after_time,
    with_that,
)
from factcheck.extract.offline.forms import (
    according,
    as_noted,
    colon_or_dash,
    headline_tail,
    in_words,
    outlet_object,
    quoted_as,
)
from factcheck.extract.offline.subjects import (
    NOT_GERUNDS,
    SUBORDINATORS,
    coordinated,
    fronted_subject,
    inverted_speaker,
    participle_cut,
    source_head,
    stance_frame,
)
from factcheck.extract.offline.tokens import (
    NP,
    QUOTE_CHARS,
    Tok,
    np_after,
    np_before,
    sentence_subject,
)

__all__ = ["Frame", "find_frames"]


def find_frames(
    toks: list[Tok], *, first_in_paragraph: bool, headline: bool, start: int = 0
) -> list[Frame]:
    """Attribution frames of one sentence's tokens, left to right, from toks[start].

    A frame nested in "According to X, …" ("According to Yahoo News, spokesman Y said
    …") is the inner speaker's, with X as the relay; so is the outlet a source "told"."""
    frames = _find_frames(toks, first_in_paragraph, headline, start)
    _add_outlets(toks, frames, headline)
    return frames


def _add_outlets(toks: list[Tok], frames: list[Frame], headline: bool) -> None:
    """The outlet that carried the words relays them: "- IRNA" signing a headline, "told
    TASS"."""
    tail = headline_tail(toks) if headline and frames else None
    if tail is not None and frames[0].cue not in ("–", "—", "-"):
        np, d = tail
        for fr in frames:
            fr.contents = [(a, min(b, toks[d - 1].end)) for a, b in fr.contents]
            fr.relays.append(np)
            fr.relay_cue = toks[d].text
    for fr in frames:
        if fr.cue.lower() in ("told", "tells", "telling", "tell") and not fr.relays:
            after = next((x for x, t in enumerate(toks) if t.start >= fr.cue_span[1]), None)
            outlet = outlet_object(toks, after, len(toks)) if after is not None else None
            if outlet is not None and outlet.start != fr.np.start:
                fr.relays.append(outlet)


def _find_frames(
    toks: list[Tok], first_in_paragraph: bool, headline: bool, start: int
) -> list[Frame]:
    n = len(toks)
    if n == 0:
        return []
    inq = quote_mask(toks)
    lo = intro_end(toks, start)
    frames: list[Frame] = []
    last = n - 1
    end_frame = _end_frame(toks, lo, inq)
    if end_frame is not None:
        outer = _leading_according(toks, lo, n)
        if outer is not None and outer.j < end_frame.np.i:
            end_frame.relays.append(outer)
            end_frame.relay_cue = "according to"
            end_frame.contents = [(max(a, toks[outer.j].end + 1), b) for a, b in end_frame.contents]
        return [end_frame]
    noted = as_noted(toks, start, n) or in_words(toks, start, n)  # before intro_end
    if noted is not None:
        return [noted]
    k = lo
    while k < n:
        t = toks[k]
        if inq[k] or not t.word:
            k += 1
            continue
        if t.low == "according" and k + 1 < n and toks[k + 1].low == "to":
            fr, k = according(toks, k, lo, n)
            if fr is not None:
                inner = _nested(toks, fr, lo, first_in_paragraph)
                frames.append(inner or fr)
            continue
        if t.low in ("quoted", "quotes") and not frames:
            fr = quoted_as(toks, k, lo, n)
            if fr is not None:
                frames.append(fr)
                break
        if t.low in ("citing", "quoting") and frames:
            np = np_after(toks, k + 1, n)
            if np is not None:
                frames[-1].relays.insert(0, frames[-1].np)
                frames[-1].np = np
                k = np.j + 1
                continue
        ce = cue_at(toks, k)
        if ce is None:
            fr = stance_frame(toks, k, lo, n, inq) if not frames else None
            if fr is not None:
                frames.append(fr)
                break
            k += 1
            continue
        cue_span = (t.start, toks[ce].end)
        cue = " ".join(x.text for x in toks[k : ce + 1])
        np = np_before(toks, k - 1, lo)
        np = _evidence_source(toks, k, lo) or np
        if k - 1 > lo and toks[k - 1].text in ",)—–-" and (np is None or np.i > lo):
            fronted = fronted_subject(toks, k, lo)
            if fronted is not None:
                np = fronted
        if t.low in lx.PARTICIPLES and k > 0 and toks[k - 1].text == ",":
            # "…, adding that …": the same speaker goes on; with no frame yet, the subject.
            np = frames[-1].np if frames else sentence_subject(toks, lo, n)
            if np is None or (not frames and np.kind not in ("name", "pronoun")):
                k += 1
                continue
            m = _after_cue(toks, ce + 1, n, t.low)
            span = content_span(toks, m, last)
            if span:
                frames.append(Frame(np, cue, cue_span, [span]))
                k = last + 1
                continue
        if np is not None:
            np = coordinated(toks, np, lo)
            before = np.i - 1
            sep = toks[before].text if before >= 0 else ""
            m = _after_cue(toks, ce + 1, n, t.low)
            rest_empty = m >= last or all(not x.word for x in toks[m:n])
            if m - 1 > ce and toks[m - 1].text == "," and before >= 0:
                if toks[before].low in SUBORDINATORS:
                    k += 1  # "after the interview concluded, Maher stated …": no frame
                    continue
            if before < lo or all(not x.word for x in toks[lo : np.i]):
                # "X said (that) …" at the start of the sentence.
                if m < n and toks[m].text == ",":
                    m += 1
                span = content_span(toks, m, participle_cut(toks, m, n, inq))
                if span:
                    frames.append(_frame(np, cue, cue_span, [span], t.low, toks, m, n))
                    k = participle_cut(toks, m, n, inq) + 1
                    continue
            elif sep in {",", "—", "–"} | QUOTE_CHARS or toks[before].low in lx.CLAUSE_BOUNDARY:
                pre = content_span(
                    toks, lo, before - (1 if toks[before].text in QUOTE_CHARS else 0)
                )
                if rest_empty or _only_relay_tail(toks, m, n) or _adverbial_tail(toks, m, n):
                    # "…, X said." — the content is what came before.
                    if pre and sep not in lx.CLAUSE_BOUNDARY:
                        fr = Frame(np, cue, cue_span, [pre])
                        _relay_tail(toks, m, n, fr)
                        frames.append(fr)
                        k = n
                        continue
                elif sep == "," and toks[m - 1].text == "," and m - 1 > k:
                    # "…, X said, …": a parenthetical frame inside the content.
                    spans = []
                    if pre and not is_short_intro(toks, lo, before - 1):
                        spans.append(pre)
                    post = content_span(toks, m, last)  # m is past the comma already
                    if post:
                        spans.append(post)
                    if spans:
                        frames.append(Frame(np, cue, cue_span, spans))
                        k = n
                        continue

            if not rest_empty and (np.kind != "desc" or source_head(toks[np.j])):
                # "After the shelter closed, Brooks says he drank": content follows the cue.
                if m < n and toks[m].text == ",":
                    m += 1
                span = content_span(toks, m, participle_cut(toks, m, n, inq))
                if span:
                    frames.append(_frame(np, cue, cue_span, [span], t.low, toks, m, n))
                    k = n
                    continue
        elif k - 1 > lo and toks[k - 1].low in ("and", "but") and not frames:
            # "Pompeo praised China's support and said he did not think …": the subject.
            subj = sentence_subject(toks, lo, n)
            if subj is not None and (subj.kind in ("name", "pronoun") or source_head(toks[subj.j])):
                m = _after_cue(toks, ce + 1, n, t.low)
                span = content_span(toks, m, participle_cut(toks, m, n, inq))
                if span:
                    frames.append(Frame(subj, cue, cue_span, [span]))
                    k = n
                    continue
        elif (
            k - 1 >= lo
            and toks[k - 1].text in {","} | QUOTE_CHARS
            and not t.low.endswith("ing")  # ", calling Obama a …": Obama is the object
        ):
            # Inverted: "…, said Kirill Semyonov, an expert at …"
            np2 = np_after(toks, ce + 1, n)
            if np2 is not None and inverted_speaker(toks, np2):
                pre = content_span(toks, lo, k - 1)
                tail = np2.j + 1
                if pre:
                    fr = Frame(np2, cue, cue_span, [pre])
                    _relay_tail(toks, tail, n, fr)
                    frames.append(fr)
                    k = n
                    continue
        k += 1
    if not frames:
        fr = colon_or_dash(toks, first_in_paragraph=first_in_paragraph, headline=headline)
        if fr is not None:
            frames.append(fr)
    return frames


def _evidence_source(toks: list[Tok], k: int, lo: int) -> NP | None:
    """Who reports the finding of the cue at toks[k]: "A study that appeared in the journal
    found" is the study's, "a report by the National Audit Office has found" the Office's."""
    if toks[k].low not in lx.EVIDENCE_CUES:
        return None
    ev = evidence_index(toks, k)
    if ev is None or ev < lo or ev >= k - 1:
        return None
    doc = np_before(toks, ev, lo)
    if doc is not None and ev + 2 < k and toks[ev + 1].low == "by":
        author = np_after(toks, ev + 2, k)
        if author is not None:  # the whole "report by the National Audit Office"
            return NP(
                doc.i, author.j, doc.start, author.end, author.kind, role_span=author.role_span
            )
    return doc


def _leading_according(toks: list[Tok], lo: int, n: int) -> NP | None:
    """X of a sentence opening "According to X, …"."""
    if lo + 2 < n and toks[lo].low == "according" and toks[lo + 1].low == "to":
        return np_after(toks, lo + 2, n)
    return None


def _nested(toks: list[Tok], outer: Frame, lo: int, first: bool) -> Frame | None:
    """ "According to X, Y said …": Y's frame with X relaying it."""
    if toks[lo].low != "according" or not outer.contents:
        return None
    a = outer.contents[0][0]
    at = next((x for x in range(lo, len(toks)) if toks[x].start >= a), None)
    if at is None:
        return None
    inner = find_frames(toks, first_in_paragraph=first, headline=False, start=at)
    if (
        len(inner) != 1
        or inner[0].np.i < at
        or inner[0].np.kind == "desc"
        and not (source_head(toks[inner[0].np.j]))
    ):
        return None
    inner[0].relays.append(outer.np)
    inner[0].relay_cue = outer.cue
    return inner[0]


def _end_frame(toks: list[Tok], lo: int, inq: list[bool]) -> Frame | None:
    """The frame closing a sentence: "…, X said on Monday." or "…, said X, an expert." """
    n = len(toks)
    last = n - 1
    for k in range(n - 1, lo, -1):
        if n - k > 24:
            break
        t = toks[k]
        if inq[k] or not t.word:
            continue
        ce = cue_at(toks, k)
        if ce is None:
            continue
        cue_span = (t.start, toks[ce].end)
        cue = " ".join(x.text for x in toks[k : ce + 1])
        m = _after_cue(toks, ce + 1, n, t.low)
        rest_empty = m >= last or all(not x.word for x in toks[m:n])
        np = _evidence_source(toks, k, lo) or np_before(toks, k - 1, lo)
        if np is not None and np.i - 1 > lo and (rest_empty or _only_relay_tail(toks, m, n)):
            before = np.i - 1
            if toks[before].text in {",", "—", "–"} | QUOTE_CHARS:
                b = before
                while b > lo and not toks[b].word:
                    b -= 1
                pre = content_span(toks, lo, b)
                if pre is not None:
                    fr = Frame(np, cue, cue_span, [pre])
                    _relay_tail(toks, m, n, fr)
                    return fr
        if (
            np is None
            and k - 1 > lo
            and toks[k - 1].text in {","} | QUOTE_CHARS
            and t.low not in lx.PARTICIPLES  # ", telling reporters …" goes on, never inverts
        ):
            np2 = np_after(toks, ce + 1, n)
            if np2 is not None and inverted_speaker(toks, np2):
                tail = np2.j + 1
                if np2.role_span is not None:
                    while tail < n and toks[tail].start < np2.role_span[1]:
                        tail += 1
                tail = skip_tail(toks, tail, n)
                if (
                    tail >= last
                    or all(not x.word for x in toks[tail:n])
                    or _only_relay_tail(toks, tail, n)
                ):
                    b = k - 1
                    while b > lo and not toks[b].word:
                        b -= 1
                    pre = content_span(toks, lo, b)
                    if pre is not None:
                        fr = Frame(np2, cue, cue_span, [pre])
                        _relay_tail(toks, tail, n, fr)
                        return fr
        return None  # only the last cue of a sentence can close it
    return None


def _frame(
    np: NP, cue: str, cue_span: Span, spans: list[Span], low: str, toks: list[Tok], m: int, n: int
) -> Frame:
    fr = Frame(np, cue, cue_span, spans)
    gerund = (
        m < n
        and toks[m].low.endswith("ing")
        and len(toks[m].low) > 4
        and toks[m].low not in NOT_GERUNDS
    )
    prep = m < n and toks[m].low in ("of", "about", "against", "over")  # "warns of war"
    if low in lx.ASSESS_CUES or low in lx.PHRASAL_CUES or gerund or prep:
        fr.with_subject = True  # "Iran denies arming the group" reads whole
    return fr


def _after_cue(toks: list[Tok], m: int, n: int, low: str) -> int:
    """Where the content starts after a cue: past its object, adverbials and "that"."""
    if low in lx.OBJECT_CUES and m < n:
        obj = np_after(toks, m, n)
        that = next(
            (x for x in range(m, min(n, m + 10)) if toks[x].low == "that" or not toks[x].word),
            None,
        )
        if that is not None and toks[that].low == "that" and that > m:
            # "told a weekly press conference in Tehran that …": past the audience
            obj = None
            m = that
        if obj is not None:
            # "telling reporters the bill was dead": a determiner starts the content.
            m = next(
                (
                    x
                    for x in range(obj.i + 1, obj.j + 1)
                    if toks[x].low in lx.DETERMINERS and toks[x - 1].low not in lx.NP_PREPS
                ),
                obj.j + 1,
            )
    that = that_after_time(toks, m)
    if that is not None:
        m = that
    elif m > 0 and toks[m - 1].low == "with":
        # "agreed with Ivana Trump that …": past the object to its clause
        m = with_that(toks, m) or m
    m = skip_tail(toks, m, n)
    if m < n and toks[m].low == "that":
        m += 1
    if m < n and toks[m].text in ":,":
        m += 1
    return m


_ADVERBIAL_STARTS = lx.TAIL_PREPS | frozenset("while when as from earlier".split())


def _adverbial_tail(toks: list[Tok], m: int, n: int) -> bool:
    """ "…, X wrote in a memo to the inspector general.": only circumstances follow the cue,
    so the content is what came before it."""
    return (
        m < n
        and toks[m].low in _ADVERBIAL_STARTS
        and not any(t.low == "that" or t.text == ":" or t.text in QUOTE_CHARS for t in toks[m:n])
    )


def _only_relay_tail(toks: list[Tok], m: int, n: int) -> bool:
    if m < n and toks[m].text == ",":
        m += 1
    return m + 1 < n and (
        (toks[m].low == "according" and toks[m + 1].low == "to") or toks[m].low == "citing"
    )


def _relay_tail(toks: list[Tok], m: int, n: int, fr: Frame) -> None:
    """ ", according to TASS" / ", citing X" after a frame: the relay chain."""
    if m < n and toks[m].text == ",":
        m += 1
    if m + 1 < n and toks[m].low == "according" and toks[m + 1].low == "to":
        np = np_after(toks, m + 2, n)
        if np is not None:
            fr.relays.append(np)
    elif m < n and toks[m].low == "citing":
        np = np_after(toks, m + 1, n)
        if np is not None:
            fr.relays.insert(0, fr.np)
            fr.np = np
