"""Stage 1, document: the article's body paragraphs as spans of the text exactly as read.

Scraping noise, bylines and datelines are left out (factcheck.extract.offline.clean);
nothing is removed from the text itself, so every later offset still indexes it. A short
first line without final punctuation is the headline: it is claimed like any sentence
(a headline states what the article asserts), but it never runs into the body.
"""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.extract.offline import clean

# A line this long is a paragraph, whatever its punctuation.
HEADLINE_MAX_WORDS = 30


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int
    headline: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    paragraphs: list[Paragraph]


def read(text: str) -> Document:
    spans = clean.paragraphs(text)
    paragraphs = [Paragraph(s, e) for s, e in spans]
    if len(paragraphs) > 1:
        first = paragraphs[0]
        line = text[first.start : first.end].rstrip()
        if len(line.split()) <= HEADLINE_MAX_WORDS and not line.endswith((".", ":", ";")):
            paragraphs[0] = Paragraph(first.start, first.end, headline=True)
    return Document(text, paragraphs)
