"""From article text to grounded claims with their sources.

Two passes: the first finds paragraphs, sentences, quotations and the frames that name
speakers; the second walks the article in reading order, resolving every source mention
against what came before ("the expert", "he", "Semyonov"), and emits claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from factcheck.extract.offline import claims as cl
from factcheck.extract.offline import clean, sentences
from factcheck.extract.offline.attribution import Frame, find_frames
from factcheck.extract.offline.quotes import Quote, before_frame, find_quotes, speaker_frame
from factcheck.extract.offline.sources import Registry, Resolved
from factcheck.extract.offline.tokens import Tok
from factcheck.schema import Claim, ClaimKind, SourceRef, SourceType

Span = tuple[int, int]
# A quotation with no frame that opens a paragraph continues the last speaker this recently.
CARRY_PARAGRAPHS = 2


@dataclass(slots=True)
class _Para:
    span: Span
    sents: list[Span]
    quotes: list[Quote] = field(default_factory=list)


@dataclass(slots=True)
class _Speaker:
    sources: list[SourceRef]
    person: bool
    para: int
    # "According to X, …": a report whose next sentences in the paragraph go on reporting.
    report: bool = False


# A sentence that visibly continues the previous one's line of report.
_LINKED = re.compile(
    r"\W*(?:in this regard|in addition|also|moreover|furthermore|therefore|thus|hence|"
    r"during the (?:conversation|talks|meeting|call|visit)|in (?:this|that) (?:case|context))\b",
    re.IGNORECASE,
)


def extract_claims(text: str, *, inherit: bool = True, whole_quotes: bool = False) -> list[Claim]:
    """Every claim of the article with its sources; offsets index `text` exactly.

    `whole_quotes`: a quotation of several sentences is one claim rather than one per
    sentence (for desks that check quotations as said, and for corpora annotated so).
    `inherit`: sentences following an attributed one in the same paragraph, with no
    attribution of their own, keep reporting the same source (wire style: "According
    to the embassy, A. B.").
    """
    paras = [_Para(p, sentences.split(text, *p)) for p in clean.paragraphs(text)]
    if not paras:
        return []
    registry = Registry(text)
    registry.scan([s for p in paras for s in p.sents])
    for pi, p in enumerate(paras):
        p.quotes = find_quotes(text, pi, p.span, p.sents)
        for q in p.quotes:
            speaker_frame(text, q, p.sents, p.span)
    _link_chains(text, paras)
    walker = _Walker(text, paras, registry, inherit)
    walker.whole_quotes = whole_quotes
    return walker.run()


def _link_chains(text: str, paras: list[_Para]) -> list[list[Quote]]:
    """Group quotations running over paragraphs; share one frame across each group."""
    chains: list[list[Quote]] = []
    prev_open: Quote | None = None
    for p in paras:
        first = p.quotes[0] if p.quotes else None
        if (
            first is not None
            and prev_open is not None
            and first.direct
            and first.start - p.span[0] <= 2
        ):
            first.continues = True
            chains[-1].append(first)
        elif first is not None:
            chains.append([first])
        for q in p.quotes[1:]:
            chains.append([q])
        prev_open = p.quotes[-1] if p.quotes and p.quotes[-1].open_end else None
    for p in paras:
        # "“A,” X said. “B.”" and "“A.” “B,” X said.": one speaker for a paragraph's quotes.
        direct = [q for q in p.quotes if q.direct]
        for n, q in enumerate(direct):
            if q.np is None and not q.continues:
                donor = next((d for d in reversed(direct[:n]) if d.np is not None), None)
                donor = donor or next((d for d in direct[n + 1 :] if d.np is not None), None)
                if donor is not None:
                    q.np, q.toks, q.cue = donor.np, donor.toks, donor.cue
    for chain in chains:
        framed = next((q for q in chain if q.np is not None), None)
        if framed is None:
            continue
        for q in chain:
            if q.np is None:
                q.np, q.toks, q.cue = framed.np, framed.toks, framed.cue
    return chains


class _Walker:
    def __init__(self, text: str, paras: list[_Para], registry: Registry, inherit: bool) -> None:
        self.text = text
        self.paras = paras
        self.reg = registry
        self.inherit = inherit
        self.whole_quotes = False
        self.claims: list[Claim] = []
        self.seen: set[Span] = set()
        self.last: _Speaker | None = None
        self.pending: _Speaker | None = None  # announced by "X said:" for the next quotation
        self.cache: dict[int, tuple[list[SourceRef], bool]] = {}

    def run(self) -> list[Claim]:
        for pi, p in enumerate(self.paras):
            if self.pending is not None and self.pending.para < pi - 1:
                self.pending = None
            if self.pending is not None and not (p.quotes and p.quotes[0].start - p.span[0] <= 2):
                self.pending = None
            headline = (
                pi == 0 and len(self.paras) > 1 and len(self.text[slice(*p.span)].split()) <= 25
            )
            direct = [q for q in p.quotes if q.direct]
            items: list[tuple[int, object]] = [(q.start, q) for q in direct]
            for s in p.sents:
                if not any(_overlaps(s, (q.start - 1, q.end + 1)) for q in direct):
                    items.append((s[0], s))
            items.sort(key=lambda x: x[0])
            para_src: _Speaker | None = None
            for pos, item in items:
                if isinstance(item, Quote):
                    spk = self._quote(item, pi, pos)
                    if spk is not None:
                        para_src = spk
                else:
                    assert isinstance(item, tuple)
                    s, e = item
                    first = s == p.sents[0][0]
                    spk = self._sentence(s, e, pi, first, headline, para_src)
                    if spk is not None:
                        para_src = spk
        self.claims.sort(key=lambda c: (c.start, c.end))
        return self.claims

    # ---------------------------------------------------------------- quotations
    def _quote(self, q: Quote, pi: int, pos: int) -> _Speaker | None:
        sources: list[SourceRef] | None = None
        person = False
        if q.np is not None and q.toks is not None:
            key = id(q.np)
            if key not in self.cache:
                res = self.reg.resolve(q.toks, q.np, q.np.start)
                self.cache[key] = (
                    [_ref(self.text, res, q.cue)],
                    res.entity is not None and res.entity.person,
                )
            sources, person = self.cache[key]
        elif self.pending is not None and q.start - self.paras[pi].span[0] <= 2:
            sources, person = self.pending.sources, self.pending.person
        elif self.last is not None and (
            self.last.para == pi
            or pi - self.last.para <= CARRY_PARAGRAPHS
            and (q.same_as_previous or q.continues or q.start - self.paras[pi].span[0] <= 2)
        ):
            sources, person = self.last.sources, self.last.person
        if sources is None:
            # A quotation nobody is named for: keep the claims, claim no speaker.
            for s, e in sentences.split(self.text, q.start, q.end):
                self._emit(s, e, None, context="")
            return None
        spk = _Speaker(sources, person, pi)
        self.last = spk
        if q.open_end and self.pending is None:
            self.pending = spk
        if self.whole_quotes:
            self._emit(q.start, q.end, spk, context="", split=False)
        else:
            for s, e in _standalone_units(self.text, sentences.split(self.text, q.start, q.end)):
                self._emit(s, e, spk, context="", quoted=True)
        if q.np is not None:
            self._add_on(q, pi, spk)
        return spk

    def _add_on(self, q: Quote, pi: int, spk: _Speaker) -> None:
        """“…,” he said, adding that …: the speaker's next point, in the frame's sentence."""
        para = self.paras[pi]
        end = next((e for s, e in para.sents if s <= q.end < e), para.span[1])
        m = _ADD_ON.search(self.text, q.end, end)
        if m is None or any(
            d.direct and _overlaps((m.end(), end), (d.start, d.end)) for d in para.quotes
        ):
            return
        cue = m.group(1)
        refs = [r.model_copy(update={"cue": cue}) for r in spk.sources[:1]] + spk.sources[1:]
        self._emit(m.end(), end, _Speaker(refs, spk.person, pi), context="")

    # ---------------------------------------------------------------- sentences
    def _sentence(
        self, s: int, e: int, pi: int, first: bool, headline: bool, para_src: _Speaker | None
    ) -> _Speaker | None:
        toks = self.reg.toks(s, e)
        frames = find_frames(toks, first_in_paragraph=first, headline=headline)
        if frames and all(f.stance for f in frames) and para_src is not None and para_src.report:
            # "According to the Kremlin, … Putin congratulated …": the report goes on.
            frames = []
        if not frames and self.text[s:e].rstrip().endswith(":"):
            # "The New York Times reports:" introduces the quotation that follows.
            np, cue = before_frame(toks)
            if np is not None:
                self.pending = self._frame_speaker(toks, Frame(np, cue or ":", (s, s), []), pi)
                return None
        if not frames:
            if (
                self.inherit
                and para_src is not None
                and not headline
                and (para_src.report or _LINKED.match(self.text, s, e))
            ):
                self._emit(s, e, para_src, context="")
            else:
                self._emit(s, e, None, context="")
            return None
        spk: _Speaker | None = None
        for fr in frames:
            spk = self._frame_speaker(toks, fr, pi)
            frame_text = self.text[fr.np.start : fr.cue_span[1]]
            for cs, ce in fr.contents:
                if fr.with_subject:
                    cs = min(cs, fr.np.start)
                self._emit(cs, ce, spk, context=frame_text)
        return spk

    def _frame_speaker(self, toks: list[Tok], fr: Frame, pi: int) -> _Speaker:
        res = self.reg.resolve(toks, fr.np, fr.np.start)
        refs = [_ref(self.text, res, fr.cue)]
        for relay in fr.relays:
            res = self.reg.resolve(toks, relay, relay.start)
            refs.append(_ref(self.text, res, fr.relay_cue or fr.cue))
        spk = _Speaker(refs, res.entity is not None and res.entity.person, pi)
        spk.report = fr.cue == "according to"
        self.last = spk
        return spk

    # ---------------------------------------------------------------- output
    def _emit(
        self,
        s: int,
        e: int,
        spk: _Speaker | None,
        context: str,
        split: bool = True,
        quoted: bool = False,
    ) -> None:
        pieces = cl.atomic(self.text, s, e, quoted=quoted) if split else [cl.trim(self.text, s, e)]
        for a, b in pieces:
            quote = self.text[a:b]
            if (a, b) in self.seen or not cl.is_claim(self.text[a : min(len(self.text), b + 1)]):
                continue
            self.seen.add((a, b))
            sources = list(spk.sources) if spk else []
            first = sources[0] if sources else None
            self.claims.append(
                Claim(
                    text=cl.standalone(
                        quote, first.name if first else None, bool(spk and spk.person)
                    ),
                    quote=quote,
                    start=a,
                    end=b,
                    kind=ClaimKind(
                        cl.kind(quote, first.cue if first else None, first.type if first else None)
                    ),
                    hedged=cl.hedged(quote, context),
                    sources=sources,
                    extractor="offline",
                )
            )


def _ref(text: str, res: Resolved, cue: str | None) -> SourceRef:
    ms, me = res.mention
    return SourceRef(
        name=res.name,
        type=SourceType(res.type),
        named=res.named,
        role=res.role,
        cue=cue,
        mention=None if me <= ms else text[ms:me],
        mention_start=None if me <= ms else ms,
        mention_end=None if me <= ms else me,
    )


_ADD_ON = re.compile(
    r"(?<=\w),\s+(adding|saying|noting|arguing|explaining|insisting|stressing|warning|"
    r"claiming|suggesting|acknowledging|emphasi[sz]ing)\s+(?:that\s+)?"
)

# A quoted sentence opening with a pronoun or anaphor leans on the one before it.
_LEANS = re.compile(
    r"\W*(?:it|it's|it’s|that|that's|that’s|this|these|those|they|they're|they’re|he|she|"
    r"we|we're|we’re|i|i'm|i’m|you|there's|there’s|so|and|or|nor|yes|no|"
    # a connective, a first-person aside, an imperative or a rhetorical wh- opening
    r"but|because|if|perhaps|maybe|well|look|also|now|our|my|me|us|let's|let’s|let|"
    r"don't|don’t|what|why|how|who|even|yet|plus|still|then|which|here's|here’s|oh|"
    r"okay|ok|please|believe|remember|think|imagine)\b",
    re.IGNORECASE,
)
_ASKS = re.compile(r"[?!][\s\"'”’)]*$")


def _standalone_units(text: str, sents: list[Span]) -> list[Span]:
    """Quoted sentences, each joined to the one before when it cannot stand alone."""
    out: list[Span] = []
    for s, e in sents:
        short = len(text[s:e].split()) < 5
        # A question or exclamation is rhetoric around the point, not a point of its own.
        asks = bool(out) and bool(
            _ASKS.search(text, s, e) or _ASKS.search(text, out[-1][0], out[-1][1])
        )
        if out and (short or asks or _LEANS.match(text, s, e)):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]
