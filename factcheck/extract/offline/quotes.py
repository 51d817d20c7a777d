"""Direct quotations: where they are, and the frame that names their speaker.

Quote marks are paired per paragraph: straight, curly and «guillemets». A quotation left
open at the end of a paragraph continues into the next paragraph when that one opens
with a quote mark (the news convention for long quotes); a closing mark with no opening
one closes a quotation that began after the last frame ("“A,” the expert said. – B.”").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extract.offline import lexicon as lx
from factcheck.extract.offline.attribution import find_frames
from factcheck.extract.offline.cues import cue_at
from factcheck.extract.offline.tokens import (
    NP,
    Tok,
    np_after,
    np_before,
    sentence_subject,
    tokenize,
)

Span = tuple[int, int]
_OPENERS = "“«„"
_CLOSERS = "”»"
_MARKS = frozenset('"“”«»„')
_NEXT_OPEN = re.compile(r"[“«„]|''|(?<=\s)\"")
_LABEL = re.compile(r"\s*([A-Z][A-Z.'’ -]{1,30}[A-Z]):\s+")


@dataclass(slots=True)
class Quote:
    start: int  # inner span, without the marks
    end: int
    para: int
    direct: bool
    open_end: bool = False  # runs to the end of its paragraph
    continues: bool = False  # begins a paragraph after an open-ended quotation
    same_as_previous: bool = False  # a closing mark with no opening one
    np: NP | None = None
    toks: list[Tok] | None = None
    cue: str | None = None
    close_len: int = 1


def _sentence_of(sents: list[Span], pos: int) -> Span:
    for s, e in sents:
        if s <= pos < e:
            return (s, e)
    return sents[-1] if sents else (pos, pos)


def find_quotes(text: str, para_index: int, para: Span, sents: list[Span]) -> list[Quote]:
    ps, pe = para
    out: list[Quote] = []
    open_at: int | None = None
    open_w = 1
    pos = ps - 1
    while pos + 1 < pe:
        pos += 1
        ch = text[pos]
        width = 1
        if ch == "'" and text.startswith("''", pos):
            ch, width = '"', 2
        elif ch not in _MARKS:
            continue
        if ch == '"':
            prev = text[pos - 1] if pos > ps else " "
            is_open = prev.isspace() or prev in "([{—–-/" or pos == ps
            if open_at is not None and not is_open:
                pass
            elif open_at is not None and is_open:
                is_open = False  # a straight mark while open closes
        else:
            is_open = ch in _OPENERS
        if is_open:
            if open_at is None:
                open_at = pos
                open_w = width
            pos += width - 1
            continue
        if open_at is not None:
            q = _make(text, para_index, para, sents, open_at + open_w, pos)
            q.close_len = width
            out.append(q)
            open_at = None
            pos += width - 1
        else:
            # "“A,” the expert said. – B.”": the quotation resumes after the frame sentence.
            start = ps
            if out:
                start = _sentence_of(sents, out[-1].end)[1]
            while start < pos and (text[start].isspace() or text[start] in "–—-"):
                start += 1
            if pos - start > 10:
                q = Quote(start, pos, para_index, direct=True, same_as_previous=bool(out))
                out.append(q)
    if open_at is not None and pe - open_at > 10:
        q = _make(text, para_index, para, sents, open_at + open_w, pe)
        q.open_end = True
        out.append(q)
    return out


def _make(text: str, pi: int, para: Span, sents: list[Span], start: int, end: int) -> Quote:
    ps = para[0]
    b = start - 1
    while b >= ps and text[b] in "\"“«„'":
        b -= 1
    while b >= ps and text[b] == " ":
        b -= 1
    prev = text[b] if b >= ps else ""
    sent_start = _sentence_of(sents, start - 1)[0]
    at_start = b < ps or prev in ":," or b < sent_start or prev in "–—"
    words = text[start:end].split()
    direct = at_start and len(words) >= 3
    return Quote(start, end, pi, direct=direct)


def speaker_frame(text: str, q: Quote, sents: list[Span], para: Span) -> None:
    """Find the frame naming q's speaker, after the closing mark or before the opening one."""
    if not q.direct:
        return
    # Transcripts: "PENCE: Well, look, …" inside the quotation names its speaker.
    label = _LABEL.match(text, q.start, q.end)
    if label:
        toks = tokenize(text, label.start(1), label.end(1))
        np = np_before(toks, len(toks) - 1, 0) if toks else None
        if np is not None:
            q.np, q.toks, q.cue = np, toks, ":"
            q.start = label.end()
            return
    # After: ",” the expert said." / ",” said Smith." / "," he added, "…"
    if q.end < para[1]:
        s_end = _sentence_of(sents, q.end)[1]
        m = _NEXT_OPEN.search(text, q.end + q.close_len, s_end)
        stop = m.start() if m else s_end
        toks = tokenize(text, q.end + q.close_len, stop)
        np, cue = _after(toks)
        if np is not None:
            q.np, q.toks, q.cue = np, toks, cue
            return
    # Before: "He said: “…" / "Semyonov told TASS, “…"
    s_start = _sentence_of(sents, q.start - 1)[0]
    if q.start - 1 > s_start:
        toks = tokenize(text, s_start, q.start - 1)
        np, cue = before_frame(toks)
        if np is None:
            np, cue = _framed_lead_in(toks)
        if np is not None:
            q.np, q.toks, q.cue = np, toks, cue


def _framed_lead_in(toks: list[Tok]) -> tuple[NP | None, str | None]:
    """ "Lehrich said Friday that if his candidate won, “she would sign it.”": the
    quotation finishes the content of a frame that opened the sentence."""
    frames = find_frames(toks, first_in_paragraph=False, headline=False)
    if len(frames) == 1 and frames[0].contents and not frames[0].stance:
        fr = frames[0]
        if fr.contents[-1][1] >= toks[-1].start and fr.np.kind in ("name", "pronoun"):
            return fr.np, fr.cue
    return None, None


def _after(toks: list[Tok]) -> tuple[NP | None, str | None]:
    a = 0
    while a < len(toks) and not toks[a].word:
        a += 1
    if a >= len(toks):
        return None, None
    # "“…” ― Sonya Herridge": a dash and a name sign the quotation.
    dash = next((t.text for t in toks[:a] if t.text in "―—–-"), None)
    if dash is not None and toks[a].cap:
        np = np_after(toks, a, len(toks))
        if np is not None and all(not t.word for t in toks[np.j + 1 :]):
            return np, dash
    ce = cue_at(toks, a)
    if ce is not None:
        np = np_after(toks, ce + 1, len(toks))
        if np is None:
            # "said 9/11 widow Terry Strada": a descriptor the scan cannot read, then a name.
            cap = next((x for x in range(ce + 2, min(len(toks), ce + 6)) if toks[x].cap), None)
            if cap is not None and all(t.text not in ",.;" for t in toks[ce + 1 : cap]):
                np = np_after(toks, cap, len(toks))
        if np is not None:
            return np, " ".join(t.text for t in toks[a : ce + 1])
        return None, None
    np = np_after(toks, a, len(toks))
    if np is None:
        return None, None
    c = np.j + 1
    if np.role_span is not None:
        while c < len(toks) and toks[c].start < np.role_span[1]:
            c += 1
        if c < len(toks) and toks[c].text == ",":
            c += 1
    while c < len(toks) and toks[c].low in lx.SKIP_BETWEEN:
        c += 1
    if c < len(toks):
        ce = cue_at(toks, c)
        if ce is not None:
            return np, " ".join(t.text for t in toks[c : ce + 1])
    return None, None


_LEADING = frozenset("and but then so yet also still meanwhile later".split())


def before_frame(toks: list[Tok]) -> tuple[NP | None, str | None]:
    j = len(toks) - 1
    colon = False
    while j >= 0 and not toks[j].word:
        colon = colon or toks[j].text == ":"
        j -= 1
    if j < 0:
        return None, None
    for c in range(j, max(-1, j - 6), -1):
        ce = cue_at(toks, c)
        if ce is not None:
            np = np_before(toks, c - 1, 0)
            if (
                np is None
                and c > 1
                and (
                    (toks[c - 1].text == "," and toks[c].low in lx.PARTICIPLES)
                    or toks[c - 1].low in ("and", "but")  # "… and said, “Her mind is shot!”"
                )
            ):
                # "Trump went fully on the attack, saying, “…”": the subject speaks
                a = 0
                while a < c and toks[a].low in _LEADING:
                    a += 1
                np = sentence_subject(toks, a, c)
                if np is not None and np.kind not in ("name", "pronoun"):
                    np = None
            if np is not None:
                return np, " ".join(t.text for t in toks[c : ce + 1])
            return None, None
    if colon:
        np = np_before(toks, j, 0)
        if np is not None and np.kind == "name" and np.i == 0:
            return np, ":"
    return None, None
