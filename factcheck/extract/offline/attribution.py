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
            fr = _stance(toks, k, lo, n, inq) if not frames else None
            if fr is not None:
                frames.append(fr)
                break
            k += 1
            continue
        cue_span = (t.start, toks[ce].end)
        cue = " ".join(x.text for x in toks[k : ce + 1])
        np = np_before(toks, k - 1, lo)
        ev = evidence_index(toks, k) if t.low in lx.EVIDENCE_CUES else None
        if ev is not None and ev >= lo and ev < k - 1:
            # "A study that appeared in the journal found": the study, not the journal.
            np = np_before(toks, ev, lo) or np
        if k - 1 > lo and toks[k - 1].text in ",)—–-" and (np is None or np.i > lo):
            fronted = _fronted_subject(toks, k, lo)
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
            np = _coordinated(toks, np, lo)
            before = np.i - 1
            sep = toks[before].text if before >= 0 else ""
            m = _after_cue(toks, ce + 1, n, t.low)
            rest_empty = m >= last or all(not x.word for x in toks[m:n])
            if m - 1 > ce and toks[m - 1].text == "," and before >= 0:
                if toks[before].low in _SUBORDINATORS:
                    k += 1  # "after the interview concluded, Maher stated …": no frame
                    continue
            if before < lo or all(not x.word for x in toks[lo : np.i]):
                # "X said (that) …" at the start of the sentence.
                if m < n and toks[m].text == ",":
                    m += 1
                span = content_span(toks, m, _participle_cut(toks, m, n, inq))
                if span:
                    frames.append(_frame(np, cue, cue_span, [span], t.low, toks, m, n))
                    k = _participle_cut(toks, m, n, inq) + 1
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

            if not rest_empty and (np.kind != "desc" or _source_head(toks[np.j])):
                # "After the shelter closed, Brooks says he drank": content follows the cue.
                if m < n and toks[m].text == ",":
                    m += 1
                span = content_span(toks, m, _participle_cut(toks, m, n, inq))
                if span:
                    frames.append(_frame(np, cue, cue_span, [span], t.low, toks, m, n))
                    k = n
                    continue
        elif k - 1 > lo and toks[k - 1].low in ("and", "but") and not frames:
            # "Pompeo praised China's support and said he did not think …": the subject.
            subj = sentence_subject(toks, lo, n)
            if subj is not None and (
                subj.kind in ("name", "pronoun") or _source_head(toks[subj.j])
            ):
                m = _after_cue(toks, ce + 1, n, t.low)
                span = content_span(toks, m, _participle_cut(toks, m, n, inq))
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
            if np2 is not None and _inverted_speaker(toks, np2):
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


def _stance(toks: list[Tok], k: int, lo: int, n: int, inq: list[bool]) -> Frame | None:
    """ "Sanders wants to raise the minimum wage": the subject opening the sentence holds
    the stance; the claim keeps the subject."""
    t = toks[k]
    if t.cap or k == lo:
        return None
    prev = toks[k - 1].low
    if prev in lx.BE_FORMS or prev in lx.DETERMINERS or prev.endswith(("'s", "’s")):
        return None  # "was favored to win", "Rubio's attack": no stance verb
    if t.low in lx.STANCE_PARTICIPLES and toks[k - 1].text == ",":
        np = sentence_subject(toks, lo, n)
        if np is None or np.kind not in ("name", "pronoun") or np.j >= k:
            return None
        if not (toks[np.j].cap or np.kind == "pronoun"):
            return None  # "The event with Obama comes …, urging": no speaker
    elif t.low in lx.STANCE_CUES or t.low in lx.ASSESS_CUES:
        np = np_before(toks, k - 1, lo)
        np = _coordinated(toks, np, lo) if np is not None else None
    else:
        return None
    if np is None or np.i > lo and any(x.word for x in toks[lo : np.i]):
        return None
    if np.kind == "desc" and not _source_head(toks[np.j]):
        return None
    head = toks[np.j]
    if not (head.cap or np.kind in ("pronoun", "relative") or _source_head(head)):
        return None  # "Mrs. Clinton drew deep support": the scan ran into the verb
    m = k + 1
    if m < n and toks[m].low == "to":
        m += 1
    span = content_span(toks, m, _participle_cut(toks, m, n, inq))
    if span is None:
        return None
    fr = Frame(np, t.text, (t.start, t.end), [span])
    fr.with_subject = fr.stance = True
    return fr


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
        and not (_source_head(toks[inner[0].np.j]))
    ):
        return None
    inner[0].relays.append(outer.np)
    inner[0].relay_cue = outer.cue
    return inner[0]


def _fronted_subject(toks: list[Tok], k: int, lo: int) -> NP | None:
    """The subject opening the sentence when asides separate it from the cue at toks[k]:
    "Donna Sampson Rawlings, 59, of Ashton, Md., who watched the ceremony, said"."""
    if k - lo > 45:
        return None
    np = np_after(toks, lo, k)
    if np is None or not (np.kind == "name" or _source_head(toks[np.j])):
        return None
    m = np.j + 1
    if np.role_span is not None:
        while m < k and toks[m].start < np.role_span[1]:
            m += 1
    # the age's closing comma ("Jacob Shiansky, 24, who …") is inside the role span
    if m > k - 1 or (toks[m].text not in ",(—–-" and toks[m - 1].text != ","):
        return None
    for x in range(m, k - 1):
        tx = toks[x]
        if tx.text in ";:" or tx.text in QUOTE_CHARS or tx.low in ("but", "while", "whereas"):
            return None
        if tx.word and cue_at(toks, x) is not None:
            return None
    return np


def _coordinated(toks: list[Tok], np: NP, lo: int) -> NP:
    """ "The United States and its allies accuse …", "She and her defenders argue …": the
    whole coordinated subject when it opens the sentence."""
    if np.i - 2 < lo or toks[np.i - 1].low != "and":
        return np
    first = np_before(toks, np.i - 2, lo)
    if first is None or first.i != lo or first.kind == "relative":
        return np
    kind = "name" if first.kind == "name" or np.kind == "name" else "desc"
    return NP(lo, np.j, toks[lo].start, np.end, kind, role=np.role, role_span=np.role_span)


# -ing words that are no verb: "Officials said nothing had changed".
_NOT_GERUNDS = frozenset(
    "nothing something anything everything during morning evening according including".split()
)
_SUBORDINATORS = frozenset("after when before while since until once".split())


def _inverted_speaker(toks: list[Tok], np: NP) -> bool:
    """ "…, said Kirill Semyonov" yes; "…, noted the rule in the interview" and "…,
    pledged her vote" no: after an inverted cue comes a name, a pronoun or a source."""
    if toks[np.i].low in lx.POSSESSIVES:
        return False
    return np.kind in ("name", "pronoun") or _source_head(toks[np.j])


def _source_head(t: Tok) -> bool:
    low = t.low
    return low in lx.SOURCE_NOUNS or low.rstrip("s") in lx.SOURCE_NOUNS or low in _QUANTIFIERS


# "…, while another says …", "others argue": a quantifier stands for people already named.
_QUANTIFIERS = frozenset("another others some many most both one".split())


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
        np = np_before(toks, k - 1, lo)
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
            if np2 is not None and _inverted_speaker(toks, np2):
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
        and toks[m].low not in _NOT_GERUNDS
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


def _participle_cut(toks: list[Tok], m: int, n: int, inq: list[bool]) -> int:
    """Last content index before ", adding …" / ", citing …" (or the sentence end)."""
    for q in range(m + 1, n - 1):
        if toks[q].text == "," and not inq[q] and toks[q + 1].low in lx.PARTICIPLES:
            return q - 1
        if (
            toks[q].text == ","
            and not inq[q]
            and toks[q + 1].low in ("but", "and", "while")
            and any(cue_at(toks, x) is not None for x in range(q + 2, min(n, q + 6)))
        ):
            return q - 1  # ", but he said that …": the next frame starts here
        if toks[q].text == "," and toks[q + 1].low == "according":
            return q - 1
        if toks[q].text == "," and q + 2 < n and toks[q + 2].low in ("charge", "accusation"):
            return q - 1  # "…, a charge Iran denies": the denial is not the speaker's
    return n - 1


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
