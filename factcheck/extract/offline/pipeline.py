"""From article text to grounded claims: document → parse → frames → clauses → sources.

Each stage is a module with typed data between them (Document, Parsed, Frame, Unit,
SourceRef); this function only runs them in order and keeps the article-wide state that
crosses paragraphs: the source registry and a quotation left open at a paragraph's end.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from factcheck.extract.offline import document, parse, rules
from factcheck.extract.offline.assemble import build_claim
from factcheck.extract.offline.clauses import units
from factcheck.extract.offline.frame import Frame
from factcheck.extract.offline.frames import find_frames
from factcheck.extract.offline.mentions import is_document
from factcheck.extract.offline.parse import ParsedParagraph
from factcheck.extract.offline.quotations import quote_frames
from factcheck.extract.offline.speakers import FIRST_PERSON, Registry
from factcheck.schema import Claim, SourceRef


def extract_claims(text: str, *, whole_quotes: bool = False) -> list[Claim]:
    """Every claim of the article with its sources; offsets index `text` exactly.

    `whole_quotes`: what a source says is one claim, a quotation of several sentences
    included, rather than one per proposition (for desks that check quotations as said,
    and for corpora annotated so: PolNeAR, GGT).
    """
    parsed = parse.parse(document.read(text))
    registry = Registry()
    registry.scan(parsed.paragraphs)
    claims: list[Claim] = []
    seen: set[tuple[int, int]] = set()
    carried: Frame | None = None
    # A quotation's speaker may have been named a paragraph before: its tokens live in
    # that paragraph's parse, and their offsets need that paragraph's start.
    by_doc = {id(p.doc): p for p in parsed.paragraphs}
    # Claims per quotation, keyed by its paragraph and span: a frame's id() is reused once
    # its paragraph is done, which merged quotations of different paragraphs at random.
    quoted: dict[tuple[int, tuple[int, int]], list[int]] = {}
    before: Span | None = None  # the previous paragraph's last sentence
    for para in parsed.paragraphs:
        frames = find_frames(para.doc)
        extra, carried = quote_frames(para.doc, frames, carried, before)
        before = None if para.paragraph.headline else list(para.doc.sents)[-1]
        frames = frames + extra
        reporting: Frame | None = None
        previous: Frame | None = None
        for sent in para.doc.sents:
            own = [f for f in frames if sent.start <= f.cue.i < sent.end and f.cue.doc is para.doc]
            found = units(sent, frames, whole=whole_quotes)
            if not own and reporting is None and previous is not None and _links(sent):
                reporting = previous
            if (
                not own
                and reporting is not None
                and not _about_document(sent)
                and not _directive(sent)
            ):
                # "According to the embassy, A. B.": a paragraph opened by a report goes
                # on reporting until another attribution comes (GUIDELINE §4 carry-over).
                found = [u if u.frame is not None else replace(u, frame=reporting) for u in found]
            elif own:
                reporting = next((f for f in own if _opens_report(f, sent)), None)
            attributed = [u.frame for u in found if u.frame is not None]
            previous = attributed[-1] if attributed else None
            for unit in found:
                sources = _sources(para, by_doc, registry, unit.frame, frames)
                claim = build_claim(para, unit, sources)
                if (claim.start, claim.end) in seen or not claim.quote.strip():
                    continue
                seen.add((claim.start, claim.end))
                region = _quotation_of(unit.first.i, frames) if whole_quotes else None
                if region is not None and unit.frame is not None:
                    quoted.setdefault((para.index, region.content), []).append(len(claims))
                claims.append(claim)
            _introduce(registry, para, sent, frames)
    if whole_quotes:
        claims = _whole(text, claims, quoted)
    return claims


def _introduce(registry: Registry, para: ParsedParagraph, sent: Span, frames: list[Frame]) -> None:
    """Meet the sentence's named subjects, after its own sources are resolved (in "The
    president says Assad is the main obstacle", a "he" later in the sentence is the
    president, not Assad), those of the article's own clauses last: a "he" in the next
    sentence is more likely the main clause's subject than one inside what was reported.
    A name opening the sentence is its subject whatever the parser made of it."""
    named = [
        t
        for t in sent
        if t.pos_ == "PROPN" and (t.dep_ in ("nsubj", "nsubj:pass", "appos") or t.i == sent.start)
    ]
    reported = [t for t in named if any(f.content[0] <= t.i < f.content[1] for f in frames)]
    for token in reported + [t for t in named if t not in reported]:
        registry.introduce(para, token)


def _links(sent: Span) -> bool:
    """Whether the sentence opens with a phrase that carries the last account on."""
    opening = sent[:4].text.lower()
    return any(
        opening.startswith(w + ",") or opening.startswith(w + " ") for w in rules.words("linking")
    )


def _about_document(sent: Span) -> bool:
    """A sentence whose subject is a report or statement ("The report comes after …")
    is the article speaking about the report, not the report going on."""
    return any(
        t.dep_ in ("nsubj", "nsubj:pass") and t.head.dep_ == "ROOT" and is_document(t) for t in sent
    )


def _directive(sent: Span) -> bool:
    """ "Salmond also called for remembrance.": what an actor did is the article's to
    report, even inside an account carried on (GUIDELINE §4, directive verbs)."""
    return any(t.dep_ == "ROOT" and rules.lemma(t.text) in rules.words("directive") for t in sent)


def _opens_report(frame: Frame, sent: Span) -> bool:
    """An "according to X" at the head of a sentence (after at most a time phrase)."""
    return (
        frame.kind == "according"
        and frame.cue.lower_ == "according"
        and (frame.cue.i - sent.start <= 6)
    )  # ("Per the regulation, …" speaks for its own sentence only)


def _whole(
    text: str, claims: list[Claim], quoted: dict[tuple[int, tuple[int, int]], list[int]]
) -> list[Claim]:
    """One claim per quotation: its propositions joined into the span they cover."""
    drop: set[int] = set()
    merged: dict[int, Claim] = {}
    for members in quoted.values():
        if len(members) < 2:
            continue
        first, last = claims[members[0]], claims[members[-1]]
        start, end = first.start, max(claims[i].end for i in members)
        merged[members[0]] = first.model_copy(
            update={"quote": text[start:end], "start": start, "end": end,
                    "text": " ".join(claims[i].text for i in members)}
        )  # fmt: skip
        drop.update(members[1:])
        del last
    return [merged.get(i, c) for i, c in enumerate(claims) if i not in drop]


def _sources(
    para: ParsedParagraph,
    by_doc: dict[int, ParsedParagraph],
    registry: Registry,
    frame: Frame | None,
    frames: list[Frame],
) -> list[SourceRef]:
    if frame is None:
        return []
    chain: list[SourceRef] = []
    outer = _outer(frame, frames, para)
    source = frame.source
    if source is not None and source.lower_ in FIRST_PERSON and outer is not None:
        # "I think …" inside a quotation: the "I" is the quotation's speaker.
        source, outer = outer.source, None
    if source is not None:
        home = by_doc.get(id(source.doc), para)
        chain.append(registry.resolve(home, source, frame.cue_text))
    else:
        chain.append(SourceRef(name="unnamed reports", cue=frame.cue_text))
    for relay in frame.relays:
        chain.append(registry.resolve(by_doc.get(id(relay.doc), para), relay, frame.cue_text))
    # A frame inside another frame's content: the outer source relays the inner one.
    if outer is not None and outer.source is not None:
        home = by_doc.get(id(outer.source.doc), para)
        chain.append(registry.resolve(home, outer.source, outer.cue_text))
    return chain


def _quotation_of(i: int, frames: list[Frame]) -> Frame | None:
    """The quotation (a frame of quotations.py) a token lies in."""
    return next(
        (f for f in frames if f.name.startswith("quotation") and f.content[0] <= i < f.content[1]),
        None,
    )


def _same(a: Token | None, b: Token | None) -> bool:
    return a is not None and b is not None and a.doc is b.doc and a.i == b.i


def _outer(frame: Frame, frames: list[Frame], para: ParsedParagraph) -> Frame | None:
    """The innermost other frame whose content holds this frame's cue."""
    if frame.cue.doc is not para.doc:
        return None
    best: Frame | None = None
    for other in frames:
        if other is frame or _same(other.source, frame.source):
            continue
        i, j = other.content
        if i <= frame.cue.i < j and (best is None or j - i < best.content[1] - best.content[0]):
            best = other
    return best
