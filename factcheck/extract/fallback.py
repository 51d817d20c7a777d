"""An extractor that hands the articles its primary fails on to a second one.

`factcheck check --extractor llm --fallback offline`: an article the model cannot do
(timeouts, answers that never ground) is extracted by the offline rules instead, and
its claims say so (`Claim.extractor`). Neither extractor knows about the other; this
wrapper is composed by factcheck.extract.registry.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from factcheck.errors import ExtractionError
from factcheck.extract.base import Extractor
from factcheck.ingest.document import ArticleInput
from factcheck.schema import ExtractionResult, ExtractorInfo, Usage

log = logging.getLogger("factcheck.extract")

OnFallback = Callable[[ArticleInput, ExtractionError], None]


class FallbackExtractor:
    """`primary` for every article; `fallback` for those where `primary` raises
    ExtractionError. Configuration errors (a missing key) are not masked: they are
    UsageErrors, not ExtractionErrors, and stop the batch as before."""

    def __init__(
        self, primary: Extractor, fallback: Extractor, *, on_fallback: OnFallback | None = None
    ) -> None:
        self.primary = primary
        self.fallback = fallback
        self.on_fallback = on_fallback

    @property
    def info(self) -> ExtractorInfo:
        return self.primary.info

    @property
    def base_url_host(self) -> str | None:
        host = getattr(self.primary, "base_url_host", None)
        return host if isinstance(host, str) else None

    def estimate_cost(self, article: ArticleInput) -> float:
        estimate = getattr(self.primary, "estimate_cost", None)
        return float(estimate(article)) if callable(estimate) else 0.0

    def extract(self, article: ArticleInput) -> ExtractionResult:
        try:
            return self.primary.extract(article)
        except ExtractionError as exc:
            return self._stand_in(article, exc)

    async def aextract(self, article: ArticleInput) -> ExtractionResult:
        primary = getattr(self.primary, "aextract", None)
        try:
            if primary is not None:
                result: ExtractionResult = await primary(article)
                return result
            return await asyncio.to_thread(self.primary.extract, article)
        except ExtractionError as exc:
            return await asyncio.to_thread(self._stand_in, article, exc)

    async def aclose(self) -> None:
        close = getattr(self.primary, "aclose", None)
        if close is not None:
            await close()

    def _stand_in(self, article: ArticleInput, exc: ExtractionError) -> ExtractionResult:
        reason = getattr(exc, "reason", None) or exc.message
        name = self.fallback.info.name
        log.warning("%s: %s; using the %s extractor", article.location, reason, name)
        result = self.fallback.extract(article)
        claims = [c.model_copy(update={"extractor": name}) for c in result.claims]
        if self.on_fallback is not None:
            self.on_fallback(article, exc)
        # The tokens the failed attempt cost were spent all the same.
        spent = getattr(exc, "usage", None)
        usage = spent if isinstance(spent, Usage) else result.usage
        return result.model_copy(update={"claims": claims, "usage": usage})
