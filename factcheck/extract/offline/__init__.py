"""The offline extractor: a parser shipped with the package, then attribution patterns
as data; no network, no key, no download.

Stages (one module each, typed data between them): document (body paragraphs, headline)
→ parse (spaCy pipeline trained on UD English EWT, model/) → frames (named dependency
patterns, rules/frames.json) and quotations → clauses (the propositions of a sentence) →
sources (a per-article registry of who is who) → claims, each grounded to its span.
"""

from __future__ import annotations

from typing import Any

from factcheck import __version__
from factcheck.config import Settings
from factcheck.errors import ConfigError, ExtractionError
from factcheck.extract.base import make_result
from factcheck.extract.offline.pipeline import extract_claims
from factcheck.ingest.document import ArticleInput
from factcheck.schema import ExtractionResult, ExtractorInfo

__all__ = ["OfflineExtractor", "extract_claims"]

# The extractor's own version, stored with every extraction: a new one re-extracts an
# article (the package version says nothing of what the rules do).
EXTRACTOR_VERSION = "2.1"

# A news article is rarely over 50,000 characters; a million is a book or a data dump,
# which would hold a batch up for a minute. The option `max_chars` lifts the guard.
DEFAULT_MAX_CHARS = 1_000_000


class OfflineExtractor:
    """Extractor protocol implementation that needs nothing but the text.

    Options: `max_chars` (articles longer than this raise ExtractionError; default one
    million), `quotes` ("sentences": one claim per quoted sentence, the default; "whole":
    one claim per quotation). `quotes` defaults to the settings' `offline_quotes`
    (FACTCHECK_OFFLINE_QUOTES, in the environment or a .env file).
    """

    def __init__(self, settings: Settings | None = None, **options: Any) -> None:
        self.settings = settings
        self.max_chars = int(options.pop("max_chars", DEFAULT_MAX_CHARS))
        quotes = options.pop("quotes", None) or (settings.offline_quotes if settings else None)
        if quotes not in (None, "sentences", "whole"):
            raise ConfigError(f"quotes must be 'sentences' or 'whole', not {quotes!r}")
        self.whole_quotes = quotes == "whole"
        if options:
            raise TypeError(f"unknown option(s) for the offline extractor: {', '.join(options)}")
        self._info = ExtractorInfo(
            name="offline", version=f"{__version__}+rules.{EXTRACTOR_VERSION}"
        )

    @property
    def info(self) -> ExtractorInfo:
        return self._info

    def extract(self, article: ArticleInput) -> ExtractionResult:
        text = article.text
        if len(text) > self.max_chars:
            raise ExtractionError(
                f"article has {len(text):,} characters, over the offline extractor's limit "
                f"of {self.max_chars:,}; split it into articles",
                location=article.location,
            )
        try:
            claims = extract_claims(text, whole_quotes=self.whole_quotes)
        except Exception as exc:  # a rule bug must cost one article, never the batch
            raise ExtractionError(
                f"the offline extractor failed on this article ({type(exc).__name__}: {exc})",
                location=article.location,
            ) from exc
        return make_result(article, self._info, claims)
