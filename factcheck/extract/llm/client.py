"""Talking to an OpenAI-compatible server: pacing, retries, and what to log.

The openai client's own retries are off (max_retries=0): retries happen here, so they
are logged, counted in the extraction's usage, honour the server's Retry-After, use
exponential backoff with full jitter, and stop after `llm_max_retries`. Only transient
failures are retried (429, 408, 409, 5xx, timeouts, dropped connections); a wrong key,
an unknown model or a refused request fails at once with a message that says so.
"""

from __future__ import annotations

import asyncio
import json
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
    timeout: bool = False


class NotJSONResponse(Exception):
    """The server answered 2xx with a body that is not JSON (a proxy's HTML page)."""


class MalformedResponse(Exception):
    """The server's JSON is not an OpenAI chat completion (no choices, wrong types)."""


async def require_json(response: Any) -> None:
    """httpx response hook: a 2xx answer must be JSON, or the request fails clearly.

    Without it the openai client hands LangChain the HTML as a string, which then fails
    with an AttributeError deep inside; this way it is a retryable, readable failure.
    """
    if not 200 <= response.status_code < 300:
        return
    content_type = response.headers.get("content-type", "")
    if "json" not in content_type.lower():
        await response.aread()
        start = " ".join(response.text[:80].split())
        raise NotJSONResponse(
            f"the LLM server answered {response.status_code} with "
            f"{content_type.split(';')[0] or 'no content type'}, not JSON ({start!r})"
        )


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
        return Failure("request timed out", True, timeout=True)
    cause = exc.__cause__ if isinstance(exc, openai.APIConnectionError) else exc
    if isinstance(cause, NotJSONResponse | MalformedResponse):
        return Failure(str(cause), True)
    if isinstance(exc, json.JSONDecodeError):
        return Failure(f"the LLM server's answer is not valid JSON ({exc.msg})", True)
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


def error_text(exc: BaseException) -> str:
    """The server's error message and body, lower-cased, for recognising refusals."""
    body = getattr(exc, "body", None)
    return f"{getattr(exc, 'message', '') or exc} {json.dumps(body, default=str)}".lower()


# Words a server's error uses when it refuses the structured-output method itself, as
# opposed to the request being too large or the server being down.
_METHOD_WORDS = (
    "response_format",
    "json_schema",
    "tool_choice",
    "tool choice",
    "tools",
    "grammar",
)
_SYSTEM_WORDS = (
    "system role",
    "system message",
    "system prompt",
    "role 'system'",
    'role "system"',
    "roles must alternate",
    "conversation roles",
)


def refuses_method(exc: BaseException) -> bool:
    """Whether `exc` is the server refusing the response method (4xx/5xx naming it)."""
    status = _status(exc)
    if status is None or status < 400 or status in (401, 403, 404, 408, 429):
        return False
    text = error_text(exc)
    return any(word in text for word in _METHOD_WORDS)


def refuses_system_role(exc: BaseException) -> bool:
    """Whether `exc` is a chat template refusing a system message."""
    status = _status(exc)
    if status is None or status < 400 or status in (401, 403, 404, 408, 429):
        return False
    text = error_text(exc)
    return any(word in text for word in _SYSTEM_WORDS)


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
    max_timeout_retries: int | None = None,
    base: float = 0.5,
    cap: float = 20.0,
    on_failure: Callable[[Failure, int], None] | None = None,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> T:
    """`call()` until it succeeds, retrying transient failures up to `max_retries` times.

    Raises the last exception when retries run out or the failure is not transient;
    timeouts have their own, usually smaller, budget (`max_timeout_retries`).
    """
    if max_timeout_retries is None:
        max_timeout_retries = max_retries
    attempt = timeouts = 0
    while True:
        try:
            return await call()
        except Exception as exc:
            failure = classify(exc)
            attempt += 1
            timeouts += failure.timeout
            if on_failure is not None:
                on_failure(failure, attempt)
            if not failure.retryable or attempt > max_retries:
                raise
            if failure.timeout and timeouts > max_timeout_retries:
                raise
            await sleep(backoff_delay(attempt, base=base, cap=cap, retry_after=failure.retry_after))


def url_host(url: str | None) -> str | None:
    """Host (and port) of a base URL, without any credentials, path or query."""
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{host}:{parts.port}" if parts.port else host or None


# A "key" shorter than this is no secret worth masking (a local server's "x" or "test"),
# and masking it would mangle every file name and word that contains it (".t***t").
MIN_SECRET_LENGTH = 8


def maskable(secret: str | None) -> str | None:
    """`secret` if it is long enough to be masked in logs and messages, else None."""
    return secret if secret and len(secret) >= MIN_SECRET_LENGTH else None


class _Redact(logging.Filter):
    """Masks the API key and URL credentials in records of the HTTP libraries and ours."""

    def __init__(self, secret: str | None) -> None:
        super().__init__()
        self.secret = maskable(secret)

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
    token = maskable(secret) or ""
    if token in _installed:
        return
    _installed.add(token)
    for name in _REDACTED_LOGGERS:
        logging.getLogger(name).addFilter(_Redact(secret))


def from_completion(completion: Any) -> AIMessage:
    """The truncated answer of a LengthFinishReasonError, with its token usage and its
    finish reason (`length`), so the chain can tell a cut answer from a bad one."""
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
    return AIMessage(
        content=content, usage_metadata=meta, response_metadata={"finish_reason": "length"}
    )
