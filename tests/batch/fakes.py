"""A small deterministic extractor for batch tests: one claim per sentence.

It is real enough to exercise storing (claims, kinds, sources, relay chains) and fails
on demand: a sentence with FAIL raises ExtractionError, one with CRASH raises a bug.
"""

from __future__ import annotations

import re
import time

from factcheck.errors import ExtractionError
from factcheck.extract.base import make_result
from factcheck.ingest.document import ArticleInput
from factcheck.schema import (
    Claim,
    ClaimKind,
    ExtractionResult,
    ExtractorInfo,
    SourceRef,
    SourceType,
)

SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
SAID = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)*) said\b")
RELAY = re.compile(r"according to ([A-Z][A-Za-z]+)")


def sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in SENTENCE.finditer(text):
        raw = m.group()
        start = m.start() + (len(raw) - len(raw.lstrip()))
        if m.end() > start:
            spans.append((start, m.end()))
    return spans


class FakeExtractor:
    """Claims = sentences; "X said" gives source X (official); "according to Y" relays via Y."""

    def __init__(self, version: str = "1", delay: float = 0.0) -> None:
        self.version = version
        self.delay = delay

    @property
    def info(self) -> ExtractorInfo:
        return ExtractorInfo(name="fake", version=self.version)

    def extract(self, article: ArticleInput) -> ExtractionResult:
        if self.delay:
            time.sleep(self.delay)
        if "CRASH" in article.text:
            raise RuntimeError("boom")
        if "FAIL" in article.text:
            raise ExtractionError("the fake extractor refuses this article")
        claims = []
        for start, end in sentences(article.text):
            quote = article.text[start:end]
            sources = []
            said = SAID.search(quote)
            if said:
                sources.append(
                    SourceRef(
                        name=said.group(1),
                        type=SourceType.official,
                        named=True,
                        cue="said",
                        mention=said.group(1),
                        mention_start=start + said.start(1),
                        mention_end=start + said.end(1),
                    )
                )
            relay = RELAY.search(quote)
            if relay:
                sources.append(SourceRef(name=relay.group(1), type=SourceType.media, named=True))
            kind = ClaimKind.statistic if re.search(r"\d", quote) else ClaimKind.fact
            claims.append(
                Claim(text=quote, quote=quote, start=start, end=end, kind=kind, sources=sources)
            )
        return make_result(article, self.info, claims)


def make_fake() -> FakeExtractor:
    return FakeExtractor()


def make_slow_fake() -> FakeExtractor:
    return FakeExtractor(delay=0.15)


def make_fake_v2() -> FakeExtractor:
    return FakeExtractor(version="2")
