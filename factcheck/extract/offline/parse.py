"""Stage 2, parse: the shipped spaCy pipeline over each paragraph of the document.

The paragraphs are parsed together as one text (the CNN is several times faster on a
long input than on many short ones), every paragraph forced to open a sentence (a headline
never runs into the first sentence), and the parse is then cut back into paragraphs. Every
token keeps its offset into the article text exactly as read: `offset + token.idx`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import numpy
from spacy.tokens import Doc, Span, Token
from thinc.types import Ints2d

from factcheck.extract.offline import rules
from factcheck.extract.offline.document import Document, Paragraph
from factcheck.extract.offline.parse_model import load_pipeline, one_blas_thread

# Between paragraphs in the text the network reads; every paragraph opens a sentence.
SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class ParsedParagraph:
    """One paragraph's parse; `offset` turns its token offsets into article offsets."""

    index: int
    paragraph: Paragraph
    doc: Doc
    document_text: str

    @property
    def offset(self) -> int:
        return self.paragraph.start

    def start(self, token: Token) -> int:
        return self.paragraph.start + token.idx

    def end(self, token: Token) -> int:
        return self.paragraph.start + token.idx + len(token.text)

    def span_chars(self, first: Token, last: Token) -> tuple[int, int]:
        """Article offsets of the tokens first..last (inclusive)."""
        return self.start(first), self.end(last)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the article with the paragraph it belongs to."""

    para: ParsedParagraph
    span: Span
    index: int  # position in the article, counting every sentence

    @property
    def tokens(self) -> Span:
        return self.span

    @property
    def start(self) -> int:
        return self.para.start(self.span[0])

    @property
    def end(self) -> int:
        return self.para.end(self.span[-1])


@dataclass(frozen=True, slots=True)
class Parsed:
    document: Document
    paragraphs: list[ParsedParagraph]

    def sentences(self) -> Iterator[Sentence]:
        n = 0
        for para in self.paragraphs:
            for sent in para.doc.sents:
                if not sent.text.strip():
                    continue
                yield Sentence(para, sent, n)
                n += 1


def sentence_of(token: Token) -> Span:
    """The sentence a token is in. `token.sent` walks the parse on every call; the rules
    ask it thousands of times per article, so the bounds are computed once per doc."""
    doc = token.doc
    bounds = doc.user_data.get("factcheck_sentences")
    if bounds is None:
        bounds = [0] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                bounds[i] = sent.start
        doc.user_data["factcheck_sentences"] = bounds
        ends: dict[int, int] = {sent.start: sent.end for sent in doc.sents}
        doc.user_data["factcheck_sentence_ends"] = ends
    start = bounds[token.i]
    end = doc.user_data["factcheck_sentence_ends"][start]
    return doc[start:end]


# The tagger's fine tags and the morphologizer's coarse ones disagree on one token in
# thirty or so; for the rules, a proper noun or a verb should be one whatever asks.
_FROM_TAG = {"NNP": "PROPN", "NNPS": "PROPN", "NN": "NOUN", "NNS": "NOUN"}


def _agree(doc: Doc) -> None:
    for token in doc:
        tag = token.tag_
        wanted = _FROM_TAG.get(tag)
        if wanted is not None and token.pos_ not in (wanted, "PROPN", "NUM", "X"):
            token.pos_ = wanted
        elif tag.startswith("VB") and token.pos_ not in ("VERB", "AUX"):
            token.pos_ = "VERB"


# Tokens after which a new sentence may begin (besides a line break).
SENTENCE_ENDS = frozenset({".", "!", "?", "…", "...", '"', "”", "’", "'", ")"})


def _title_dot(token: Token) -> bool:
    """A title's abbreviation dot ("Lt.", "Col."): no sentence begins after it."""
    abbreviations = rules.words("title_abbreviations")
    return (
        token.text.endswith(".")
        and token.lower_.rstrip(".") in abbreviations
        or (token.text == "." and token.i > 0 and token.nbor(-1).lower_ in abbreviations)
    )


def _may_end(token: Token) -> bool:
    return token.is_space or token.text in SENTENCE_ENDS or token.text.endswith(".")


def parse(document: Document) -> Parsed:
    """Parse the document's paragraphs as one text (the network runs best on long
    inputs), each paragraph opening a sentence, then cut the parse into paragraphs."""
    if not document.paragraphs:
        return Parsed(document, [])
    nlp = load_pipeline()
    pieces = [document.text[p.start : p.end] for p in document.paragraphs]
    offsets: list[int] = []
    pos = 0
    for piece in pieces:
        offsets.append(pos)
        pos += len(piece) + len(SEPARATOR)
    doc = nlp.make_doc(SEPARATOR.join(pieces))
    starts = set(offsets)
    # SENT_START per token: 1 opens a sentence, -1 cannot, 0 leaves it to the parser. Set
    # as one array: the `is_sent_start` setter rescans the whole doc on every call.
    flags = numpy.zeros((len(doc), 1), dtype="int64")
    previous: Token | None = None
    for token in doc:
        if token.idx in starts:
            flags[token.i, 0] = 1
        elif previous is not None and previous.is_space and "\n" in previous.text:
            flags[token.i, 0] = 0 if token.is_space else 1
        elif previous is not None and (not _may_end(previous) or _title_dot(previous)):
            # The parser's own sentence breaks are its weakest output (F 0.75 on EWT):
            # "US president | Barack Obama said". A sentence only starts after a token
            # that can end one.
            flags[token.i, 0] = -1
        previous = token
    doc.from_array(["SENT_START"], cast(Ints2d, flags.astype("uint64")))
    with one_blas_thread():
        for _, proc in nlp.pipeline:
            doc = proc(doc)
    _agree(doc)
    paragraphs: list[ParsedParagraph] = []
    for i, (p, offset, piece) in enumerate(zip(document.paragraphs, offsets, pieces, strict=True)):
        span = doc.char_span(offset, offset + len(piece), alignment_mode="expand")
        if span is None or len(span) == 0:  # pragma: no cover - a paragraph is never empty
            continue
        paragraphs.append(ParsedParagraph(i, p, span.as_doc(), document.text))
    return Parsed(document, paragraphs)
