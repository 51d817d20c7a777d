"""The extractor registry and the fallback composed from two extractors."""

from __future__ import annotations

import asyncio

import pytest

from factcheck.config import load_settings
from factcheck.errors import ConfigError, ExtractionError, UsageError
from factcheck.extract.base import make_result
from factcheck.extract.fallback import FallbackExtractor
from factcheck.extract.offline import OfflineExtractor
from factcheck.extract.registry import get_extractor
from factcheck.ingest.document import ArticleInput
from factcheck.schema import ExtractionResult, ExtractorInfo, Usage

TEXT = "“The budget is balanced,” Mayor Jan de Vries said on Monday."


class Failing:
    """A primary extractor that fails every article, having spent some tokens."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    @property
    def info(self) -> ExtractorInfo:
        return ExtractorInfo(name="llm", version="t", model="m")

    def extract(self, article: ArticleInput) -> ExtractionResult:
        self.calls += 1
        raise self.error


class Working(Failing):
    def extract(self, article: ArticleInput) -> ExtractionResult:
        self.calls += 1
        return make_result(article, self.info, [])


def _article() -> ArticleInput:
    return ArticleInput(text=TEXT, location="a.txt")


def test_the_fallback_stands_in_and_says_so() -> None:
    failure = ExtractionError("the model timed out")
    failure.usage = Usage(llm_calls=2, prompt_tokens=10)  # type: ignore[attr-defined]
    seen: list[str] = []
    wrapped = FallbackExtractor(
        Failing(failure),
        OfflineExtractor(load_settings()),
        on_fallback=lambda article, err: seen.append(f"{article.location}: {err.message}"),
    )
    assert wrapped.info.name == "llm"
    result = wrapped.extract(_article())
    assert result.extractor.name == "offline"
    assert result.claims and {c.extractor for c in result.claims} == {"offline"}
    assert result.usage is not None and result.usage.llm_calls == 2  # spent all the same
    assert seen == ["a.txt: the model timed out"]
    again = asyncio.run(wrapped.aextract(_article()))
    assert [c.quote for c in again.claims] == [c.quote for c in result.claims]


def test_a_working_primary_is_used_and_config_errors_are_not_masked() -> None:
    primary = Working(ExtractionError("unused"))
    fallback = Failing(ExtractionError("must not run"))
    assert FallbackExtractor(primary, fallback).extract(_article()).extractor.name == "llm"
    assert fallback.calls == 0
    broken = FallbackExtractor(Failing(ConfigError("no API key")), OfflineExtractor(None))
    with pytest.raises(ConfigError, match="no API key"):
        broken.extract(_article())


def test_the_registry_composes_only_what_makes_sense() -> None:
    settings = load_settings()
    assert isinstance(get_extractor("offline", settings), OfflineExtractor)
    with pytest.raises(UsageError, match="only offline can stand in"):
        get_extractor("offline", settings, fallback="offline")
    with pytest.raises(UsageError, match="unknown extractor 'regex'"):
        get_extractor("regex", settings)
    llm = get_extractor(
        "llm",
        settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9"}),
        fallback="offline",
    )
    assert isinstance(llm, FallbackExtractor) and llm.info.name == "llm"
    assert isinstance(llm.fallback, OfflineExtractor)
