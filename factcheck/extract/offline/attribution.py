"""Attribution frames: who (a noun phrase), the cue, and the span of what they assert.

Handles reporting verbs before, after or inside the content ("X said that …", "…, X
said", "…, said X", "…, X said, …"), "according to X", relays ("citing X", "X quoted Y
as saying", "…, according to TASS"), colon introductions and headline attribution
("… – Iran").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factcheck.extract.offline import lexicon as lx
from factcheck.extract.offline.tokens import NP, QUOTE_CHARS, Tok, np_after, np_before

Span = tuple[int, int]

_END_PUNCT = frozenset(".!?;:,")


@dataclass(slots=True)
class Frame:
    np: NP
    cue: str
    cue_span: Span
    contents: list[Span]
    relays: list[NP] = field(default_factory=list)
    # "X called the talks a good start": the claim reads best with its subject.
    with_subject: bool = False


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
            or (len(words) <= 4 and any(w.low in lx.TIME_WORDS for w in words))
        )
        if not intro:
            return lo
        lo = comma + 1
        while lo < len(toks) and toks[lo].text in QUOTE_CHARS:
            lo += 1
    return lo


def _cue_at(toks: list[Tok], k: int) -> int | None:
    """Index of the last token of a cue starting at toks[k], or None."""
    t = toks[k]
    if not t.word or (t.cap and k > 0 and t.text not in lx.TITLE_CUES):
        return None
    low = t.low
    nxt = toks[k + 1].low if k + 1 < len(toks) else ""
    prev = toks[k - 1].low if k > 0 else ""
    if low in lx.PHRASAL_CUES and nxt in lx.PHRASAL_CUES[low]:
        return k + 1
    if low not in lx.ALL_CUES:
        return None
    if low.endswith("s") and k > 0 and prev.endswith(("'s", "’s")):
        return None  # "the Kremlin's hopes for a deal": a noun
    if nxt == "to" and low in lx.NO_TO_CUES:
        return None
    nxt_lower = k + 1 < len(toks) and toks[k + 1].word and not toks[k + 1].cap
    if low in lx.THAT_ONLY_CUES and nxt != "that" and (nxt_lower or prev in lx.DETERMINERS):
        return None  # "battleground states could decide", "the ruling would leave"
    if low in lx.REPLY_CUES and nxt not in ("that", ":", ",", "by", "in", "on", "to"):
        return None  # "San Jose replied 17 seconds later" is hockey, not speech
    if nxt in ("with", "on", "upon") and low in lx.NO_WITH_CUES:
        return None
    if low in lx.OBJECT_NOT_SPEECH and (
        nxt in ("up", "off", "out", "back", "a", "an")
        or (low[:3] != "cal" and (nxt in lx.DETERMINERS or nxt.isdigit() or nxt == "more"))
    ):
        return None  # "Hamilton added a goal", "got called up", "denied a request"
    if prev in ("got", "get", "gets", "be", "been", "being", "was", "were") and low in (
        "called",
        "told",
        "asked",
    ):
        return None  # passive: "was told to leave"

    if low in ("said", "believed", "thought", "reported", "alleged", "expected") and prev in (
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
    if low in lx.EVIDENCE_CUES and _evidence_index(toks, k) is None:
        # "a poll shows", "the study released Monday found", "the judge found that", but
        # not "police found a body"
        if not (low in ("found", "finds") and nxt == "that" and k > 0 and toks[k - 1].word):
            return None
    return k


def _evidence_index(toks: list[Tok], k: int) -> int | None:
    """Index of the poll, study or document whose finding the cue at toks[k] reports."""
    for x in range(k - 1, max(-1, k - 13), -1):
        t = toks[x]
        if t.text in ",;:" or t.text in QUOTE_CHARS or t.low in lx.CLAUSE_BOUNDARY:
            return None
        if t.low in lx.EVIDENCE_NOUNS:
            return x
    return None


def _skip_tail(toks: list[Tok], m: int, n: int) -> int:
    """Skip adverbials after a cue: "on Monday", "in a statement", "to reporters"."""
    for _ in range(3):
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


def _end(toks: list[Tok], a: int, b: int) -> Span | None:
    """Span of toks[a..b] with edge punctuation trimmed; None when too short."""
    while a <= b and (toks[a].text in ",:;—–-" or toks[a].low == "that"):
        a += 1
    while b >= a and toks[b].text in _END_PUNCT | {"—", "–", "-"}:
        b -= 1
    if b < a or sum(1 for t in toks[a : b + 1] if t.word) < 2:
        return None
    return (toks[a].start, toks[b].end)


def _is_short_intro(toks: list[Tok], a: int, b: int) -> bool:
    return b - a < 5 or toks[a].low in lx.INTRO_WORDS


def find_frames(toks: list[Tok], *, first_in_paragraph: bool, headline: bool) -> list[Frame]:
    """Attribution frames of one sentence's tokens, outermost only, left to right."""
    n = len(toks)
    if n == 0:
        return []
    inq = quote_mask(toks)
    lo = intro_end(toks, 0)
    frames: list[Frame] = []
    last = n - 1
    end_frame = _end_frame(toks, lo, inq)
    if end_frame is not None:
        return [end_frame]
    k = lo
    while k < n:
        t = toks[k]
        if inq[k] or not t.word:
            k += 1
            continue
        if t.low == "according" and k + 1 < n and toks[k + 1].low == "to":
            fr, k = _according(toks, k, lo, n)
            if fr is not None:
                frames.append(fr)
            continue
        if t.low in ("citing", "quoting") and frames:
            np = np_after(toks, k + 1, n)
            if np is not None:
                frames[-1].relays.insert(0, frames[-1].np)
                frames[-1].np = np
                k = np.j + 1
                continue
        ce = _cue_at(toks, k)
        if ce is None:
            k += 1
            continue
        cue_span = (t.start, toks[ce].end)
        cue = " ".join(x.text for x in toks[k : ce + 1])
        np = np_before(toks, k - 1, lo)
        ev = _evidence_index(toks, k) if t.low in lx.EVIDENCE_CUES else None
        if ev is not None and ev >= lo and ev < k - 1:
            # "A study that appeared in the journal found": the study, not the journal.
            np = np_before(toks, ev, lo) or np
        if k - 1 > lo and toks[k - 1].text in ",)—–-" and (np is None or np.i > lo):
            fronted = _fronted_subject(toks, k, lo)
            if fronted is not None:
                np = fronted
        if np is None and t.low in lx.PARTICIPLES and k > 0 and toks[k - 1].text == ",":
            # "…, adding that …": the same speaker goes on; with no frame yet, the subject.
            np = frames[-1].np if frames else _subject(toks, lo, n)
            if np is None or (not frames and np.kind not in ("name", "pronoun")):
                k += 1
                continue
            m = _after_cue(toks, ce + 1, n, t.low)
            span = _end(toks, m, last)
            if span:
                frames.append(Frame(np, cue, cue_span, [span]))
                k = last + 1
                continue
        if np is not None:
            before = np.i - 1
            sep = toks[before].text if before >= 0 else ""
            m = _after_cue(toks, ce + 1, n, t.low)
            rest_empty = m >= last or all(not x.word for x in toks[m:n])
            if before < lo or all(not x.word for x in toks[lo : np.i]):
                # "X said (that) …" at the start of the sentence.
                if m < n and toks[m].text == ",":
                    m += 1
                span = _end(toks, m, _participle_cut(toks, m, n, inq))
                if span:
                    frames.append(_frame(np, cue, cue_span, [span], t.low, toks, m, n))
                    k = _participle_cut(toks, m, n, inq) + 1
                    continue
            elif sep in {",", "—", "–"} | QUOTE_CHARS or toks[before].low in lx.CLAUSE_BOUNDARY:
                pre = _end(toks, lo, before - (1 if toks[before].text in QUOTE_CHARS else 0))
                if rest_empty or _only_relay_tail(toks, m, n):
                    # "…, X said." — the content is what came before.
                    if pre and sep not in lx.CLAUSE_BOUNDARY:
                        fr = Frame(np, cue, cue_span, [pre])
                        _relay_tail(toks, m, n, fr)
                        frames.append(fr)
                        k = n
                        continue
                elif toks[m].text == "," and sep == ",":
                    # "…, X said, …": a parenthetical frame inside the content.
                    spans = []
                    if pre and not _is_short_intro(toks, lo, before - 1):
                        spans.append(pre)
                    post = _end(toks, m + 1, last)
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
                span = _end(toks, m, _participle_cut(toks, m, n, inq))
                if span:
                    frames.append(_frame(np, cue, cue_span, [span], t.low, toks, m, n))
                    k = n
                    continue
        elif k - 1 > lo and toks[k - 1].low == "and" and not frames:
            # "Pompeo praised China's support and said he did not think …": the subject.
            subj = np_after(toks, lo, n)
            if subj is not None and subj.kind in ("name", "pronoun"):
                m = _after_cue(toks, ce + 1, n, t.low)
                span = _end(toks, m, _participle_cut(toks, m, n, inq))
                if span:
                    frames.append(Frame(subj, cue, cue_span, [span]))
                    k = n
                    continue
        elif k - 1 >= lo and (toks[k - 1].text in {","} | QUOTE_CHARS):
            # Inverted: "…, said Kirill Semyonov, an expert at …"
            np2 = np_after(toks, ce + 1, n)
            if np2 is not None:
                pre = _end(toks, lo, k - 1)
                tail = np2.j + 1
                if pre:
                    fr = Frame(np2, cue, cue_span, [pre])
                    _relay_tail(toks, tail, n, fr)
                    frames.append(fr)
                    k = n
                    continue
        k += 1
    if not frames:
        fr = _colon_or_dash(toks, first_in_paragraph=first_in_paragraph, headline=headline)
        if fr is not None:
            frames.append(fr)
    return frames


def _subject(toks: list[Tok], lo: int, n: int) -> NP | None:
    """The sentence's subject: "Rubio" of "Rubio pushed back on the claims, saying …"."""
    np = np_after(toks, lo, n)
    if np is None or toks[np.j].cap or not toks[np.i].cap:
        return np
    j = np.i
    while j + 1 <= np.j and (toks[j + 1].cap or toks[j + 1].text == "."):
        j += 1
    return NP(np.i, j, toks[np.i].start, toks[j].end, "name")


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
    if m > k - 1 or toks[m].text not in ",(—–-":
        return None
    for x in range(m, k - 1):
        tx = toks[x]
        if tx.text in ";:" or tx.text in QUOTE_CHARS or tx.low in ("but", "while", "whereas"):
            return None
        if tx.word and _cue_at(toks, x) is not None:
            return None
    return np


def _source_head(t: Tok) -> bool:
    return t.low in lx.SOURCE_NOUNS or t.low.rstrip("s") in lx.SOURCE_NOUNS


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
        ce = _cue_at(toks, k)
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
                pre = _end(toks, lo, b)
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
            if np2 is not None:
                tail = np2.j + 1
                if np2.role_span is not None:
                    while tail < n and toks[tail].start < np2.role_span[1]:
                        tail += 1
                tail = _skip_tail(toks, tail, n)
                if (
                    tail >= last
                    or all(not x.word for x in toks[tail:n])
                    or _only_relay_tail(toks, tail, n)
                ):
                    b = k - 1
                    while b > lo and not toks[b].word:
                        b -= 1
                    pre = _end(toks, lo, b)
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
    if low in lx.ASSESS_CUES or low in lx.PHRASAL_CUES:
        fr.with_subject = True
    return fr


def _after_cue(toks: list[Tok], m: int, n: int, low: str) -> int:
    """Where the content starts after a cue: past its object, adverbials and "that"."""
    if low in lx.OBJECT_CUES and m < n:
        obj = np_after(toks, m, n)
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
    m = _skip_tail(toks, m, n)
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
            and any(_cue_at(toks, x) is not None for x in range(q + 2, min(n, q + 6)))
        ):
            return q - 1  # ", but he said that …": the next frame starts here
        if toks[q].text == "," and toks[q + 1].low == "according":
            return q - 1
    return n - 1


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


def _according(toks: list[Tok], k: int, lo: int, n: int) -> tuple[Frame | None, int]:
    np = np_after(toks, k + 2, n)
    if np is None:
        return None, k + 2
    cue_span = (toks[k].start, toks[k + 1].end)
    after = np.j + 1
    if np.role_span is not None:
        while after < n and toks[after].start < np.role_span[1]:
            after += 1
    last = n - 1
    spans: list[Span] = []
    if k <= lo:
        if after < n and toks[after].text == ",":
            span = _end(toks, after + 1, last)
            if span:
                spans.append(span)
    elif toks[k - 1].text in ",—–(":
        pre_end = k - 2
        if after >= last or toks[after].text in ".;)" or _plain_tail(toks, after, n):
            span = _end(toks, lo, pre_end)
            if span:
                spans.append(span)
        elif toks[after].text in ",—–":
            if not _is_short_intro(toks, lo, pre_end):
                span = _end(toks, lo, pre_end)
                if span:
                    spans.append(span)
            span = _end(toks, after + 1, last)
            if span:
                spans.append(span)
    if not spans:
        return None, after
    return Frame(np, "according to", cue_span, spans), n


def _plain_tail(toks: list[Tok], m: int, n: int) -> bool:
    """toks[m:] only goes on describing the source: "…, according to a New York
    Times/CBS News poll released last week." """
    return n - m <= 15 and all(
        t.text not in ",;:—–" and t.text not in QUOTE_CHARS and _cue_at(toks, x) is None
        for x, t in enumerate(toks[m:n], start=m)
    )


def _colon_or_dash(toks: list[Tok], *, first_in_paragraph: bool, headline: bool) -> Frame | None:
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
                    span = _end(toks, c + 1, n - 1)
                    if np is not None and np.i == 0 and span:
                        return Frame(np, ":", (toks[c].start, toks[c].end), [span])
                break
    # Headline: "Moscow and Tehran will cooperate – Iran"
    if headline and n > 4:
        for d in range(n - 2, max(1, n - 7), -1):
            if toks[d].text in ("–", "—", "-") and toks[d - 1].end < toks[d].start:
                name_toks = toks[d + 1 :]
                if all(t.cap or not t.word for t in name_toks) and name_toks[0].cap:
                    j = n - 1
                    while j > d and not toks[j].word:
                        j -= 1
                    np = np_before(toks, j, d + 1)
                    span = _end(toks, 0, d - 1)
                    if np is not None and span:
                        return Frame(np, toks[d].text, (toks[d].start, toks[d].end), [span])
                break
    return None
