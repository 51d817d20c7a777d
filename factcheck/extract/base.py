"""The Extractor protocol that the offline extractor and the LLM chain both implement."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from factcheck.config import Settings
from factcheck.errors import UsageError
from factcheck.ingest.document import ArticleInput
from factcheck.schema import ArticleInfo, Claim, ExtractionResult, ExtractorInfo, Usage

EXTRACTORS = ("offline", "llm")


@runtime_checkable
class Extractor(Protocol):
    """Turns one article into grounded claims with their sources.

    Implementations must return claims whose `quote` equals `article.text[start:end]`;
    `extract` raises ExtractionError (never anything else) for an article it cannot do.
    """

    @property
    def info(self) -> ExtractorInfo: ...

    def extract(self, article: ArticleInput) -> ExtractionResult: ...


def make_result(
    article: ArticleInput,
    info: ExtractorInfo,
    claims: list[Claim],
    usage: Usage | None = None,
) -> ExtractionResult:
    return ExtractionResult(
        article=ArticleInfo(
            title=article.title, chars=len(article.text), content_hash=article.content_hash
        ),
        extractor=info,
        claims=claims,
        usage=usage,
    )


def get_extractor(name: str, settings: Settings, **options: Any) -> Extractor:
    """The extractor called `name`, built lazily so the offline path never needs a key."""
    if name == "offline":
        from factcheck.extract.offline import OfflineExtractor

        return OfflineExtractor(settings, **options)
    if name == "llm":
        from factcheck.extract.llm import LLMExtractor

        return LLMExtractor(settings, **options)
    raise UsageError(f"unknown extractor {name!r}; choose one of: {', '.join(EXTRACTORS)}")
