"""Talking to an OpenAI-compatible server: pacing, retries, and what to log.

The openai client's own retries are off (max_retries=0): retries happen here, so they
are logged, counted in the extraction's usage, honour the server's Retry-After, use
exponential backoff with full jitter, and stop after `llm_max_retries`. Only transient
failures are retried (429, 408, 409, 5xx, timeouts, dropped connections); a wrong key,
an unknown model or a refused request fails at once with a message that says so.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import openai
from langchain_core.messages import AIMessage

T = TypeVar("T")

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0


class RateLimiter:
    """A token bucket: at most `rate` requests per second, bursts up to `burst`.

    Bound to one event loop (asyncio primitives are); the extractor keeps one per loop.
    """

    def __init__(self, rate: float, burst: int | None = None) -> None:
        self.rate = float(rate)
        self.capacity = float(burst if burst is not None else max(1, int(rate)))
        self._tokens = self.capacity
        self._stamp = time.monotonic()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await asyncio.sleep((1 - self._tokens) / self.rate)


@dataclass(frozen=True, slots=True)
class Failure:
    """A classified failure of one request."""

    reason: str
    retryable: bool
    retry_after: float | None = None


def _status(exc: BaseException) -> int | None:
    return exc.status_code if isinstance(exc, openai.APIStatusError) else None


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def classify(exc: BaseException) -> Failure:
    """Why a request failed, in words fit for a batch report, and whether to retry."""
    if isinstance(exc, openai.APITimeoutError | asyncio.TimeoutError | TimeoutError):
        return Failure("request timed out", True)
    if isinstance(exc, openai.APIConnectionError):
        return Failure("cannot connect to the LLM server", True)
    status = _status(exc)
    if status is not None:
        if status == 429:
            return Failure("rate limited by the LLM server (429)", True, _retry_after(exc))
        if status in RETRY_STATUSES or status >= 500:
            return Failure(f"LLM server error ({status})", True, _retry_after(exc))
        if status == 401:
            return Failure("the LLM server refused the API key (401)", False)
        if status == 403:
            return Failure("the API key may not use this model (403)", False)
        if status == 404:
            return Failure("model or endpoint not found on the LLM server (404)", False)
        if status == 400:
            return Failure(f"the LLM server rejected the request (400): {_short(exc)}", False)
        return Failure(f"LLM request failed ({status}): {_short(exc)}", False)
    return Failure(f"{type(exc).__name__}: {_short(exc)}", False)


def _short(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return " ".join(str(message).split())[:300]


def backoff_delay(attempt: int, *, base: float, cap: float, retry_after: float | None) -> float:
    """Seconds to wait before retry number `attempt` (1-based).

    Full jitter spreads many workers that hit a limit at once; the server's Retry-After,
    when given, is a floor (capped so a bogus header cannot stall a batch for hours).
    """
    delay = random.uniform(0, min(cap, base * 2 ** (attempt - 1)))
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


async def with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    max_retries: int,
    base: float = 0.5,
    cap: float = 20.0,
    on_failure: Callable[[Failure, int], None] | None = None,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> T:
    """`call()` until it succeeds, retrying transient failures up to `max_retries` times.

    Raises the last exception when retries run out or the failure is not transient.
    """
    attempt = 0
    while True:
        try:
            return await call()
        except Exception as exc:
            failure = classify(exc)
            attempt += 1
            if on_failure is not None:
                on_failure(failure, attempt)
            if not failure.retryable or attempt > max_retries:
                raise
            await sleep(backoff_delay(attempt, base=base, cap=cap, retry_after=failure.retry_after))


def url_host(url: str | None) -> str | None:
    """Host (and port) of a base URL, without any credentials, path or query."""
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{host}:{parts.port}" if parts.port else host or None


class _Redact(logging.Filter):
    """Masks the API key and URL credentials in records of the HTTP libraries and ours."""

    def __init__(self, secret: str | None) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = _USERINFO.sub("//***@", message)
        if self.secret:
            clean = clean.replace(self.secret, "***")
        if clean != message:
            record.msg, record.args = clean, None
        return True


_USERINFO = re.compile(r"//[^/@\s]+@")
_REDACTED_LOGGERS = ("factcheck.llm", "httpx", "openai._base_client", "langchain_openai")
_installed: set[str] = set()


def install_redaction(secret: str | None) -> None:
    token = secret or ""
    if token in _installed:
        return
    _installed.add(token)
    for name in _REDACTED_LOGGERS:
        logging.getLogger(name).addFilter(_Redact(secret))


def from_completion(completion: Any) -> AIMessage:
    """The truncated answer of a LengthFinishReasonError, with its token usage."""
    content = ""
    if completion.choices:
        content = completion.choices[0].message.content or ""
    usage = completion.usage
    meta = None
    if usage is not None:
        meta = {
            "input_tokens": usage.prompt_tokens,
            "output_tokens": usage.completion_tokens,
            "total_tokens": usage.total_tokens,
        }
    return AIMessage(content=content, usage_metadata=meta)
