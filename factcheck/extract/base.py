"""The Extractor protocol that the offline extractor and the LLM chain both implement.

Which extractor runs, and what stands in when it fails, is composed in
factcheck.extract.registry; the extractors themselves know only this module.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from factcheck.ingest.document import ArticleInput
from factcheck.schema import ArticleInfo, Claim, ExtractionResult, ExtractorInfo, Usage


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
