"""One chat request of the LLM chain: pacing, the HTTP client of an event loop, retries.

`LoopState` holds what is bound to one event loop (the concurrency limit, the rate
limiter, the HTTP client and the structured-output runnable); `LoopState.request` sends
one prompt through them, counts its tokens and turns any failure into `ChunkFailed`
with a reason that never contains the API key.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any, Literal

import openai
from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable, RunnableParallel
from pydantic import SecretStr

from factcheck.config import Settings
from factcheck.extract.llm.client import (
    Failure,
    RateLimiter,
    classify,
    from_completion,
    with_retries,
)
from factcheck.extract.llm.grounded import AnswerError
from factcheck.extract.llm.models import method_schema

log = logging.getLogger("factcheck.llm")


class ChunkFailed(Exception):
    """One chunk of an article got no usable answer (after retries and repair)."""

    def __init__(self, reason: str, last_completion: str | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.last_completion = last_completion


@dataclass
class Tally:
    llm_calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


def redact(message: str, api_key: str | None) -> str:
    """`message` with the API key blanked out, for logs and error messages."""
    return message.replace(api_key, "***") if api_key else message


def raw_model(structured: Runnable[Any, Any]) -> Runnable[Any, Any]:
    """The model as `with_structured_output` bound it (response format or forced tool),
    without the output parser behind it.

    With include_raw=True the chain is `RunnableMap(raw=model) | parser`. The extractor
    reads only the raw message: it parses and validates the answer itself, strictly
    and claim by claim (`grounded.answer_data`), so LangChain's parse of the same answer
    (and its runnable plumbing) was ~3 ms of CPU per call thrown away. Should a LangChain
    release change that shape, the whole chain is used as before.
    """
    first = getattr(structured, "first", None)
    steps = getattr(first, "steps__", None)
    if isinstance(first, RunnableParallel) and isinstance(steps, dict) and set(steps) == {"raw"}:
        model: Runnable[Any, Any] = steps["raw"]
        return model
    return structured


@dataclass(frozen=True)
class CallConfig:
    """What the requests of one extractor share: the model, the method and the limits."""

    settings: Settings
    model: str
    method: Literal["json_schema", "function_calling", "json_mode"]
    prompt_version: str
    backoff_base: float
    max_concurrency: int
    requests_per_second: float
    ssl_context: Any  # one TLS context for all event loops: loading CA certificates is slow


class LoopState:
    """Everything bound to one event loop: limits, the HTTP client, the runnable."""

    def __init__(self, config: CallConfig, *, api_key: str | None) -> None:
        import httpx
        from langchain_openai import ChatOpenAI

        self.settings = config.settings
        self.model = config.model
        self.prompt_version = config.prompt_version
        self.backoff_base = config.backoff_base
        self._api_key = api_key
        self.semaphore = asyncio.Semaphore(config.max_concurrency)
        self.limiter = RateLimiter(config.requests_per_second, burst=config.max_concurrency)
        limits = httpx.Limits(max_connections=config.max_concurrency + 2)
        self.http = httpx.AsyncClient(
            timeout=self.settings.llm_timeout, limits=limits, verify=config.ssl_context
        )
        chat = ChatOpenAI(
            model=self.model,
            base_url=self.settings.llm_base_url,
            # Local servers need no key; the client insists on one, so it gets a dummy.
            api_key=SecretStr(self._api_key or "not-needed"),
            temperature=self.settings.llm_temperature,
            timeout=self.settings.llm_timeout,
            max_retries=0,
            seed=0,
            http_async_client=self.http,
        )
        structured = chat.with_structured_output(
            method_schema(config.method),
            method=config.method,
            include_raw=True,
            strict=True if config.method == "json_schema" else None,
        )
        self.runnable = raw_model(structured)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def request(
        self, messages: list[tuple[str, str]], tally: Tally, spent: Tally, label: str
    ) -> AIMessage:
        """Send `messages` once (retrying transient failures), counting into both tallies.

        Raises ChunkFailed when no answer came back.
        """

        async def once() -> AIMessage:
            await self.limiter.acquire()
            async with self.semaphore:
                tally.llm_calls += 1
                spent.llm_calls += 1
                started = time.monotonic()
                try:
                    out = await asyncio.wait_for(
                        self.runnable.ainvoke(messages), self.settings.llm_timeout + 5
                    )
                    raw = out["raw"] if isinstance(out, dict) else out
                except openai.LengthFinishReasonError as exc:
                    raw = from_completion(exc.completion)
                if not isinstance(raw, AIMessage):
                    raise AnswerError("the server returned no message")
                usage = raw.usage_metadata
                p_tok = usage["input_tokens"] if usage else 0
                c_tok = usage["output_tokens"] if usage else 0
                for t in (tally, spent):
                    t.prompt_tokens += p_tok
                    t.completion_tokens += c_tok
                log.info(
                    "LLM call %s: model=%s prompt=%s tokens_in=%d tokens_out=%d duration=%.2fs",
                    label,
                    self.model,
                    self.prompt_version,
                    p_tok,
                    c_tok,
                    time.monotonic() - started,
                )
                return raw

        def on_failure(failure: Failure, attempt: int) -> None:
            log.warning(
                "LLM call %s failed (attempt %d): model=%s prompt=%s: %s",
                label,
                attempt,
                self.model,
                self.prompt_version,
                redact(failure.reason, self._api_key),
            )

        try:
            return await with_retries(
                once,
                max_retries=self.settings.llm_max_retries,
                base=self.backoff_base,
                on_failure=on_failure,
            )
        except ChunkFailed:
            raise
        except AnswerError as exc:
            raise ChunkFailed(str(exc), None) from None
        except Exception as exc:
            failure = classify(exc)
            reason = redact(failure.reason, self._api_key)
            if failure.retryable:
                reason += f" after {self.settings.llm_max_retries + 1} attempts"
            raise ChunkFailed(reason, None) from None
