"""The extractors by name, built lazily so the offline path never loads the LLM stack.

`get_extractor("llm", settings, fallback="offline")` composes the LLM chain with the
offline extractor standing in for the articles it fails on.
"""

from __future__ import annotations

from typing import Any

from factcheck.config import Settings
from factcheck.errors import UsageError
from factcheck.extract.base import Extractor
from factcheck.extract.fallback import FallbackExtractor, OnFallback

EXTRACTORS = ("offline", "llm")


def _build(name: str, settings: Settings, options: dict[str, Any]) -> Extractor:
    if name == "offline":
        from factcheck.extract.offline import OfflineExtractor

        return OfflineExtractor(settings, **options)
    if name == "llm":
        from factcheck.extract.llm import LLMExtractor

        return LLMExtractor(settings, **options)
    raise UsageError(f"unknown extractor {name!r}; choose one of: {', '.join(EXTRACTORS)}")


def get_extractor(
    name: str,
    settings: Settings,
    *,
    fallback: str | None = None,
    on_fallback: OnFallback | None = None,
    **options: Any,
) -> Extractor:
    """The extractor called `name`, with `options` for it; `fallback` names a second
    extractor for the articles the first one fails on (only offline stands in for llm)."""
    if fallback in (None, "", "none"):
        return _build(name, settings, options)
    if name != "llm" or fallback != "offline":
        raise UsageError(f"--fallback {fallback}: only offline can stand in, for --extractor llm")
    return FallbackExtractor(
        _build(name, settings, options), _build(fallback, settings, {}), on_fallback=on_fallback
    )
