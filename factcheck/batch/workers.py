"""Extraction of one article, in the main process, a worker process or a coroutine.

An extractor failure never escapes as an exception: it comes back as an Outcome with
the message, because exceptions with keyword arguments (our FactcheckError) do not
survive the trip between processes intact.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from factcheck.config import Settings
from factcheck.errors import FactcheckError
from factcheck.extract.base import Extractor
from factcheck.extract.registry import get_extractor
from factcheck.ingest.document import ArticleInput
from factcheck.schema import ExtractionResult, Usage


@dataclass
class Outcome:
    """An extraction result, or the reason there is none; usage counts either way."""

    result: ExtractionResult | None
    error: str | None = None
    seconds: float = 0.0
    usage: Usage | None = None


def _failure(exc: BaseException, started: float) -> Outcome:
    if isinstance(exc, FactcheckError):
        message = exc.message
    else:  # an extractor bug: say what, so it can be reported
        message = f"extractor crashed: {type(exc).__name__}: {exc}"
    usage = getattr(exc, "usage", None)
    return Outcome(
        result=None,
        error=message,
        seconds=time.perf_counter() - started,
        usage=usage if isinstance(usage, Usage) else None,
    )


def extract_one(extractor: Extractor, article: ArticleInput) -> Outcome:
    started = time.perf_counter()
    try:
        result = extractor.extract(article)
    except Exception as exc:
        return _failure(exc, started)
    return Outcome(result=result, seconds=time.perf_counter() - started, usage=result.usage)


async def aextract_one(extractor: Any, article: ArticleInput) -> Outcome:
    """Await `extractor.aextract` when it has one, else run `extract` in a thread."""
    import asyncio

    started = time.perf_counter()
    try:
        if hasattr(extractor, "aextract"):
            result = await extractor.aextract(article)
        else:
            result = await asyncio.to_thread(extractor.extract, article)
    except Exception as exc:
        return _failure(exc, started)
    return Outcome(result=result, seconds=time.perf_counter() - started, usage=result.usage)


_worker_extractor: Extractor | None = None


def init_worker(name: str, settings: Settings, options: dict[str, Any], factory: Any) -> None:
    """Process-pool initializer: build the extractor once per worker process."""
    global _worker_extractor
    _worker_extractor = (
        factory() if factory is not None else get_extractor(name, settings, **options)
    )


def extract_in_worker(article: ArticleInput) -> Outcome:
    if _worker_extractor is None:  # pragma: no cover - the initializer always ran
        return Outcome(result=None, error="worker has no extractor")
    return extract_one(_worker_extractor, article)
