"""One chat request of the LLM chain: pacing, the HTTP client of an event loop, retries.

`LoopState` holds what is bound to one event loop (the concurrency limit, the rate
limiter, the HTTP client and the structured-output runnables); `LoopState.request` sends
one prompt through them, counts its tokens and turns any failure into `ChunkFailed`
with a reason that never contains the API key.

`RunState` holds what a whole run learns about its server, across event loops: the
response method that works (OpenAI `json_schema` first; a server that refuses it gets
function calling, then its own schema-constrained JSON form, each switch logged once),
whether its chat template needs the system prompt folded into the user turn, and the
circuit breaker that stops every further call after repeated timeouts, so one stuck
local server does not cost each remaining article its full timeout and retries.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import openai
from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable, RunnableParallel
from pydantic import SecretStr

from factcheck.config import Settings
from factcheck.extract.llm.client import (
    Failure,
    MalformedResponse,
    RateLimiter,
    classify,
    error_text,
    from_completion,
    maskable,
    refuses_method,
    refuses_system_role,
    require_json,
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
    dropped: int = 0


def redact(message: str, api_key: str | None) -> str:
    """`message` with the API key blanked out, for logs and error messages."""
    secret = maskable(api_key)
    return message.replace(secret, "***") if secret else message


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


Method = str  # one of METHODS, or json_mode when forced

# The order a run tries structured-output methods in when none is forced.
METHODS: tuple[str, ...] = ("json_schema", "function_calling", "json_object_schema")
_SWITCHES = len(METHODS) + 2  # method switches and a system fold, at most, per request


class CircuitOpen(Exception):
    """The run's circuit breaker is open: no more LLM calls."""


class MethodRefused(Exception):
    """The server refuses the response method and no other may be tried."""


class RunState:
    """What one run (one extractor) has learnt about its server; thread-safe."""

    def __init__(self, settings: Settings) -> None:
        self._lock = threading.Lock()
        forced = settings.llm_method != "auto"
        self.methods: tuple[str, ...] = (settings.llm_method,) if forced else METHODS
        self.index = 0
        self.forced = forced
        self.fold = settings.llm_system_role == "fold"
        self.fold_allowed = settings.llm_system_role == "auto"
        self.breaker_limit = settings.llm_breaker_timeouts
        self.consecutive_timeouts = 0
        self.open_reason: str | None = None

    @property
    def method(self) -> str:
        return self.methods[self.index]

    def fall_back(self, refused: str, why: str) -> bool:
        """Move past `refused` (if it is still the current method); False when none is left."""
        with self._lock:
            if self.method != refused:
                return True  # another request already switched
            if self.index + 1 >= len(self.methods):
                return False
            self.index += 1
            log.warning(
                "the LLM server refused response method %s (%s): using %s for the rest "
                "of this run (set FACTCHECK_LLM_METHOD to choose one)",
                refused,
                why,
                self.method,
            )
            return True

    def fold_system(self, why: str) -> bool:
        with self._lock:
            if self.fold:
                return True
            if not self.fold_allowed:
                return False
            self.fold = True
            log.warning(
                "the LLM server's chat template refuses a system message (%s): sending "
                "the instructions in the user turn for the rest of this run",
                why,
            )
            return True

    def timed_out(self) -> None:
        with self._lock:
            self.consecutive_timeouts += 1
            if self.open_reason is None and self.consecutive_timeouts >= self.breaker_limit:
                self.open_reason = (
                    f"LLM calls stopped after {self.consecutive_timeouts} consecutive "
                    "timeouts (circuit breaker): the server is overloaded or stuck"
                )
                log.error("%s; the run's remaining LLM calls are skipped", self.open_reason)

    def answered(self) -> None:
        with self._lock:
            self.consecutive_timeouts = 0


def fold_system(messages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The messages with the system prompt moved into the first user turn."""
    system = "\n\n".join(text for role, text in messages if role == "system")
    rest = [(role, text) for role, text in messages if role != "system"]
    if not system:
        return rest
    for i, (role, text) in enumerate(rest):
        if role == "human":
            rest[i] = (role, f"{system}\n\n{text}")
            return rest
    return [("human", system), *rest]


def finish_reason(raw: AIMessage) -> str | None:
    reason = raw.response_metadata.get("finish_reason") if raw.response_metadata else None
    return str(reason) if reason else None


@dataclass(frozen=True)
class CallConfig:
    """What the requests of one extractor share: the model, the limits, the run state."""

    settings: Settings
    model: str
    prompt_version: str
    backoff_base: float
    max_concurrency: int
    requests_per_second: float
    ssl_context: Any  # one TLS context for all event loops: loading CA certificates is slow
    run: RunState


class LoopState:
    """Everything bound to one event loop: limits, the HTTP client, the runnables."""

    def __init__(self, config: CallConfig, *, api_key: str | None) -> None:
        import httpx
        import openai
        from langchain_openai import ChatOpenAI

        self.settings = config.settings
        self.model = config.model
        self.prompt_version = config.prompt_version
        self.backoff_base = config.backoff_base
        self.run = config.run
        self._api_key = api_key
        self.semaphore = asyncio.Semaphore(config.max_concurrency)
        self.limiter = RateLimiter(config.requests_per_second, burst=config.max_concurrency)
        limits = httpx.Limits(max_connections=config.max_concurrency + 2)
        timeout = httpx.Timeout(
            self.settings.llm_timeout, connect=self.settings.llm_connect_timeout
        )
        self.http = httpx.AsyncClient(
            timeout=timeout,
            limits=limits,
            verify=config.ssl_context,
            event_hooks={"response": [require_json]},
        )
        self.chat = ChatOpenAI(
            model=self.model,
            base_url=self.settings.llm_base_url,
            # Local servers need no key; the client insists on one, so it gets a dummy.
            api_key=SecretStr(self._api_key or "not-needed"),
            temperature=self.settings.llm_temperature,
            # The client's own Timeout type: openai 3.63 moved to httpx2 and refuses an
            # httpx.Timeout per request (it still takes an httpx client, timeout and all).
            timeout=openai.Timeout(
                self.settings.llm_timeout, connect=self.settings.llm_connect_timeout
            ),
            max_retries=0,
            seed=0,
            http_async_client=self.http,
        )
        self._runnables: dict[str, Runnable[Any, Any]] = {}

    def runnable(self, method: str) -> Runnable[Any, Any]:
        """The model bound to answer in `method`'s structured form (built once)."""
        found = self._runnables.get(method)
        if found is None:
            schema = method_schema(method)
            if method == "json_object_schema":
                # llama.cpp's and llama-cpp-python's own form: JSON constrained by a schema
                # grammar, which LangChain's json_mode does not send.
                response_format = {"type": "json_object", "schema": schema["schema"]}
                found = self.chat.bind(response_format=response_format)
            else:
                structured = self.chat.with_structured_output(
                    schema,
                    method=method,  # type: ignore[arg-type]
                    include_raw=True,
                    strict=True if method == "json_schema" else None,
                )
                found = raw_model(structured)
            self._runnables[method] = found
        return found

    def token_limit(self, max_tokens: int) -> dict[str, Any]:
        """The answer-length limit in the form the server reads.

        LangChain renames max_tokens to OpenAI's max_completion_tokens, which local
        servers (llama-cpp-python, older vLLM and Ollama) ignore and then generate
        until the context is full; they get the classic field in the request body.
        """
        if self.settings.llm_base_url:
            return {"extra_body": {"max_tokens": max_tokens}}
        return {"max_tokens": max_tokens}

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _send(self, messages: list[tuple[str, str]], max_tokens: int) -> AIMessage:
        """One HTTP request in the run's current method, switching method or folding the
        system prompt (and sending again) when the server refuses them."""
        for _ in range(_SWITCHES):
            if self.run.open_reason is not None:
                raise CircuitOpen(self.run.open_reason)
            method = self.run.method
            sent = fold_system(messages) if self.run.fold else messages
            try:
                out = await asyncio.wait_for(
                    self.runnable(method).ainvoke(sent, **self.token_limit(max_tokens)),
                    self.settings.llm_timeout + self.settings.llm_connect_timeout + 5,
                )
            except openai.LengthFinishReasonError as exc:
                return from_completion(exc.completion)
            except openai.APIStatusError as exc:
                why = " ".join(error_text(exc).split())[:160]
                why = redact(why, self._api_key)
                if not self.run.fold and refuses_system_role(exc):
                    if self.run.fold_system(why):
                        continue
                if refuses_method(exc):
                    if not self.run.forced and self.run.fall_back(method, why):
                        continue
                    # Not transient: asking again in the same form gets the same refusal.
                    raise MethodRefused(
                        f"the LLM server refused response method {method} ({why}); "
                        "set FACTCHECK_LLM_METHOD to one it supports"
                        + ("" if self.run.forced else " (every method was refused)")
                    ) from None
                raise
            except (AttributeError, KeyError, TypeError) as exc:
                # A 200 whose JSON is not a chat completion breaks deep in the client.
                raise MalformedResponse(
                    f"the LLM server's answer is not an OpenAI chat completion "
                    f"({type(exc).__name__})"
                ) from None
            raw = out["raw"] if isinstance(out, dict) else out
            if not isinstance(raw, AIMessage):
                raise AnswerError("the server returned no message")
            return raw
        raise AnswerError("the LLM server refused every response method")

    async def request(
        self,
        messages: list[tuple[str, str]],
        tally: Tally,
        spent: Tally,
        label: str,
        *,
        max_tokens: int,
    ) -> AIMessage:
        """Send `messages` once (retrying transient failures), counting into both tallies.

        Raises ChunkFailed when no answer came back.
        """

        attempts = 0

        async def once() -> AIMessage:
            nonlocal attempts
            await self.limiter.acquire()
            async with self.semaphore:
                if self.run.open_reason is not None:
                    raise CircuitOpen(self.run.open_reason)
                attempts += 1
                tally.llm_calls += 1
                spent.llm_calls += 1
                started = time.monotonic()
                raw = await self._send(messages, max_tokens)
                self.run.answered()
                usage = raw.usage_metadata
                p_tok = usage["input_tokens"] if usage else 0
                c_tok = usage["output_tokens"] if usage else 0
                for t in (tally, spent):
                    t.prompt_tokens += p_tok
                    t.completion_tokens += c_tok
                log.info(
                    "LLM call %s: model=%s method=%s prompt=%s tokens_in=%d tokens_out=%d "
                    "finish=%s duration=%.2fs",
                    label,
                    self.model,
                    self.run.method,
                    self.prompt_version,
                    p_tok,
                    c_tok,
                    finish_reason(raw),
                    time.monotonic() - started,
                )
                return raw

        def on_failure(failure: Failure, attempt: int) -> None:
            if failure.timeout:
                self.run.timed_out()
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
                max_timeout_retries=self.settings.llm_timeout_retries,
                base=self.backoff_base,
                on_failure=on_failure,
            )
        except ChunkFailed:
            raise
        except (CircuitOpen, MethodRefused) as exc:
            raise ChunkFailed(str(exc), None) from None
        except AnswerError as exc:
            raise ChunkFailed(str(exc), None) from None
        except Exception as exc:
            failure = classify(exc)
            reason = redact(failure.reason, self._api_key)
            if failure.retryable:
                reason += f" after {attempts} attempts" if attempts > 1 else ""
            raise ChunkFailed(reason, None) from None
