"""LLMExtractor: prompt -> ChatOpenAI.with_structured_output -> grounding, per chunk.

One call per chunk of an article (a repair call only when the answer was unusable or
quoted something the article does not say), answers cached by content, calls paced by
a shared concurrency limit and rate limiter, transient failures retried with backoff
(the requests themselves: `factcheck.extract.llm.calls`). An article that cannot be
extracted raises `LLMExtractionFailed` with the reason, the attempts and the tokens
spent. Standing in with another extractor for such an article is composed outside
(factcheck.extract.fallback), so this module knows no other extractor.

The API key goes to the HTTP client and nowhere else: not into results, logs, the cache
or error messages.
"""

from __future__ import annotations

import asyncio
import logging
import re
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from factcheck import __version__
from factcheck.config import Settings
from factcheck.errors import ConfigError, LLMError
from factcheck.extract.base import make_result
from factcheck.extract.llm.cache import ResponseCache, cache_key
from factcheck.extract.llm.calls import (
    CallConfig,
    ChunkFailed,
    LoopState,
    RunState,
    Tally,
    finish_reason,
)
from factcheck.extract.llm.chunking import Chunk, estimate_tokens, split_chunks, split_half
from factcheck.extract.llm.client import install_redaction, url_host
from factcheck.extract.llm.grounded import (
    AnswerError,
    answer_data,
    answer_text,
    dedup,
    ground_claims,
    validate_claims,
)
from factcheck.extract.llm.models import LLMClaim, method_schema
from factcheck.extract.llm.prompts import PromptSpec, defang, load_prompt, repair_request
from factcheck.ingest.document import ArticleInput
from factcheck.schema import Claim, ExtractionResult, ExtractorInfo, Usage

log = logging.getLogger("factcheck.llm")

# Output tokens per input token of article text, for cost estimates before a batch.
_OUTPUT_RATIO = 0.8
_MAX_TOKENS_FLOOR = 1024
_MAX_TOKENS_CAP = 8192


class LLMExtractionFailed(LLMError):
    """The model could not give a usable answer for an article.

    Carries what a batch records: the reason, the number of requests, the tokens that
    were spent anyway, and the start of the last answer (for debugging the prompt).
    """

    def __init__(
        self,
        reason: str,
        *,
        location: str | None = None,
        attempts: int = 0,
        usage: Usage | None = None,
        last_completion: str | None = None,
    ) -> None:
        super().__init__(reason, location=location)
        self.reason = reason
        self.attempts = attempts
        self.usage = usage or Usage()
        self.last_completion = last_completion


class LLMExtractor:
    """The LLM chain as an Extractor. Options (all keyword):

    - `cache`: where answers are kept (a `ResponseCache`; no cache without);
    - `use_cache`: False to bypass cached answers (`--no-cache`), refreshing them;
    - `prompt_version`, `max_concurrency`, `requests_per_second`, `repair`,
      `backoff_base` (seconds): override settings, mostly for tests and benchmarks.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        cache: ResponseCache | None = None,
        use_cache: bool | None = None,
        prompt_version: str | None = None,
        max_concurrency: int | None = None,
        requests_per_second: float | None = None,
        repair: bool = True,
        backoff_base: float = 0.5,
        **unknown: Any,
    ) -> None:
        if unknown:
            log.debug("LLM extractor ignores options: %s", ", ".join(sorted(unknown)))
        self.settings = settings
        secret = settings.llm_api_key.get_secret_value() if settings.llm_api_key else ""
        self._api_key = secret.strip() or None
        if not self._api_key and not settings.llm_base_url:
            raise ConfigError(
                "the LLM extractor needs an API key or a server: set OPENAI_API_KEY "
                "(or FACTCHECK_LLM_API_KEY) for OpenAI, or FACTCHECK_LLM_BASE_URL for an "
                "OpenAI-compatible server such as Ollama (http://localhost:11434/v1)"
            )
        if settings.llm_base_url and not re.match(r"^https?://[^/]", settings.llm_base_url):
            raise ConfigError(
                f"FACTCHECK_LLM_BASE_URL must start with http:// or https:// "
                f"(got a value for host {url_host(settings.llm_base_url)!r})"
            )
        install_redaction(self._api_key)
        self.model = settings.llm_model
        self.method = settings.llm_method
        self.run = RunState(settings)
        self.prompt: PromptSpec = load_prompt(prompt_version or settings.llm_prompt_version)
        self.max_concurrency = max_concurrency or settings.llm_max_concurrency
        self.requests_per_second = requests_per_second or settings.llm_requests_per_second
        self.repair = repair
        self.backoff_base = backoff_base
        self.use_cache = settings.llm_cache if use_cache is None else use_cache
        self.cache = cache
        self._schema = method_schema("json_schema" if self.method == "auto" else self.method)
        self._states: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopState] = (
            weakref.WeakKeyDictionary()
        )
        self._warned_price = False
        self._ssl: Any = None

    # --- public surface -----------------------------------------------------------

    def ssl_context(self) -> Any:
        """One TLS context for all event loops: loading CA certificates is slow."""
        if self._ssl is None:
            import httpx

            self._ssl = httpx.create_ssl_context()
        return self._ssl

    @property
    def info(self) -> ExtractorInfo:
        return ExtractorInfo(
            name="llm", version=__version__, model=self.model, prompt_version=self.prompt.version
        )

    @property
    def base_url_host(self) -> str | None:
        """The server's host for the run record (never the URL: it may carry secrets)."""
        return url_host(self.settings.llm_base_url) or "api.openai.com"

    def extract(self, article: ArticleInput) -> ExtractionResult:
        """Extract one article (blocking); see `aextract`."""

        async def run() -> ExtractionResult:
            try:
                return await self.aextract(article)
            finally:
                await self.aclose()

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(run())
        # Called from inside an event loop (a web handler): run on a private loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, run()).result()

    async def aextract(self, article: ArticleInput) -> ExtractionResult:
        """Extract one article; many may run at once on one loop, sharing the limits.

        Raises LLMExtractionFailed (an LLMError) when the article cannot be done.
        """
        return await self._aextract(article)

    async def aclose(self) -> None:
        """Close the HTTP client of the running loop (call when a batch is done)."""
        state = self._states.pop(asyncio.get_running_loop(), None)
        if state is not None:
            await state.aclose()

    def chunks(self, article: ArticleInput) -> list[Chunk]:
        return split_chunks(article.text, self.settings.llm_chunk_tokens)

    def price(self, prompt_tokens: int, completion_tokens: int) -> float:
        """USD for the tokens at the configured price of the model (0 when unknown)."""
        prices = self.settings.llm_prices.get(self.model)
        if prices is None:
            if not self._warned_price:
                log.warning(
                    "no price for model %s in FACTCHECK_LLM_PRICES: cost shown as 0", self.model
                )
                self._warned_price = True
            return 0.0
        return (prompt_tokens * prices[0] + completion_tokens * prices[1]) / 1_000_000

    def estimate_cost(self, article: ArticleInput) -> float:
        """Expected USD for extracting `article` now: cached chunks are free.

        Used by `--max-cost` to stop a batch before an article would overspend.
        """
        total = 0.0
        system_tokens = estimate_tokens(self.prompt.system)
        chunks = self.chunks(article)
        for chunk in chunks:
            messages = self._messages(article, chunk, len(chunks))
            if self._cached(self._key(messages)) is not None:
                continue
            prompt_tokens = system_tokens + estimate_tokens(messages[-1][1])
            total += self.price(prompt_tokens, int(estimate_tokens(chunk.text) * _OUTPUT_RATIO))
        return total

    # --- one article ----------------------------------------------------------------

    async def _aextract(self, article: ArticleInput) -> ExtractionResult:
        tally = Tally()
        chunks = self.chunks(article)
        results = await asyncio.gather(
            *(self._achunk(article, chunk, len(chunks), tally) for chunk in chunks),
            return_exceptions=True,
        )
        claims: list[Claim] = []
        failures: list[ChunkFailed] = []
        for outcome in results:
            if isinstance(outcome, ChunkFailed):
                failures.append(outcome)
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                claims.extend(outcome)
        usage = self._usage(tally)
        if failures:
            first = failures[0]
            parts = f" ({len(failures)} of {len(chunks)} parts failed)" if len(chunks) > 1 else ""
            raise LLMExtractionFailed(
                f"LLM extraction failed: {first.reason}{parts}",
                location=article.location,
                attempts=tally.llm_calls,
                usage=usage,
                last_completion=first.last_completion,
            )
        return make_result(article, self.info, dedup(claims), usage)

    def _usage(self, tally: Tally) -> Usage:
        return Usage(
            llm_calls=tally.llm_calls,
            cache_hits=tally.cache_hits,
            claims_dropped=tally.dropped,
            prompt_tokens=tally.prompt_tokens,
            completion_tokens=tally.completion_tokens,
            cost_usd=round(self.price(tally.prompt_tokens, tally.completion_tokens), 8),
        )

    def _messages(self, article: ArticleInput, chunk: Chunk, parts: int) -> list[tuple[str, str]]:
        published = article.published_at.date().isoformat() if article.published_at else ""
        return self.prompt.render(
            title=defang(article.title or "(none)"),
            published=published or "(unknown)",
            part=str(chunk.index + 1),
            parts=str(parts),
            context=defang(chunk.context),
            chunk=defang(chunk.text),
        )

    def _key(self, messages: list[tuple[str, str]]) -> str:
        return cache_key(
            model=self.model,
            method=self.method,
            prompt_version=self.prompt.version,
            prompt_hash=self.prompt.sha256,
            schema=self._schema,
            messages=messages,
        )

    def _cached(self, key: str) -> list[LLMClaim] | None:
        if self.cache is None or not self.use_cache:
            return None
        hit = self.cache.get(key)
        if hit is None:
            return None
        try:
            return [LLMClaim.model_validate(c) for c in hit.response.get("claims", [])]
        except ValueError:
            return None  # an entry from an older schema: ask again

    def max_tokens(self, chunk: Chunk) -> int:
        """The answer-length limit for `chunk`: configured, or sized to its text.

        A claim per sentence in JSON (its text, its quote, its sources) is about three
        times the text; the floor leaves room for a short part's JSON and the cap stays
        inside common output limits.
        """
        if self.settings.llm_max_tokens is not None:
            return self.settings.llm_max_tokens
        return min(_MAX_TOKENS_CAP, max(_MAX_TOKENS_FLOOR, 3 * estimate_tokens(chunk.text) + 512))

    async def _achunk(
        self, article: ArticleInput, chunk: Chunk, parts: int, tally: Tally
    ) -> list[Claim]:
        text = article.text
        context = " ".join(filter(None, [article.title, _date_words(article)]))
        messages = self._messages(article, chunk, parts)
        key = self._key(messages) if self.cache is not None else ""
        # No thread hop when there is no cache to read (or it is bypassed): at
        # concurrency 16 the hop costs more CPU than grounding a short answer.
        reads = self.cache is not None and self.use_cache
        cached = await asyncio.to_thread(self._cached, key) if reads else None
        if cached is not None:
            tally.cache_hits += 1
            return ground_claims(text, chunk, cached, extra_context=context).claims

        label = f"{article.location} part {chunk.index + 1}/{parts}"
        spent = Tally()
        limit = self.max_tokens(chunk)
        raw = await self._state().request(messages, tally, spent, label, max_tokens=limit)
        if _was_cut(raw, limit):
            return await self._split(article, chunk, parts, tally, raw, limit, label)
        try:
            good, problems = validate_claims(answer_data(raw))
            whole_failed = False
        except AnswerError as exc:
            good, problems, whole_failed = [], [str(exc)], True
        invalid = len(problems)
        grounded = ground_claims(text, chunk, good, extra_context=context)
        problems += grounded.problems
        accepted, claims = list(grounded.accepted), list(grounded.claims)
        dropped = invalid + len(grounded.rejected) if not whole_failed else 0
        complete = True
        first_whole_failed = whole_failed
        if problems and self.repair:
            log.info("LLM repair round for %s: %d problem(s)", label, len(problems))
            repair = [
                *messages,
                ("ai", answer_text(raw)[:20000] or "(empty)"),
                ("human", repair_request(problems, whole_failed)),
            ]
            try:
                raw = await self._state().request(
                    repair, tally, spent, label + " repair", max_tokens=limit
                )
                if _was_cut(raw, limit):
                    raise AnswerError(f"the repair answer was cut at {_out_tokens(raw)} tokens")
                good2, bad2 = validate_claims(answer_data(raw))
                whole_failed = False
            except AnswerError as exc:
                good2, bad2 = [], []
                problems.append(f"repair: {exc}")
                complete = not whole_failed
            except ChunkFailed:
                if whole_failed:
                    raise
                good2, bad2, complete = [], [], False  # keep what the first answer grounded
            second = ground_claims(text, chunk, good2, extra_context=context)
            accepted += second.accepted
            claims += second.claims
            if first_whole_failed:  # the repair was the whole answer: its rejects count
                dropped = len(bad2) + len(second.rejected)
            else:  # repaired claims replace rejected ones; the rest stays dropped
                dropped = max(0, dropped - len(second.accepted))
        if whole_failed:
            raise ChunkFailed(
                f"the model gave no usable answer ({problems[0]})", answer_text(raw)[:2000]
            )
        tally.dropped += dropped
        if dropped:
            log.info("%s: %d claim(s) dropped as unsupported by the article", label, dropped)
        # Only an answer the chain accepted is kept: an answer whose every claim failed
        # (or a half-repaired one) is asked again next time, not remembered as "no claims".
        if self.cache is not None and complete and (accepted or not problems):
            payload = {"claims": [c.model_dump(mode="json") for c in accepted]}
            await asyncio.to_thread(
                self.cache.put,
                key,
                model=self.model,
                prompt_version=self.prompt.version,
                response=payload,
                prompt_tokens=spent.prompt_tokens,
                completion_tokens=spent.completion_tokens,
                replace=not self.use_cache,
            )
        return claims

    async def _split(
        self,
        article: ArticleInput,
        chunk: Chunk,
        parts: int,
        tally: Tally,
        raw: Any,
        limit: int,
        label: str,
    ) -> list[Claim]:
        """The answer was cut at `limit` tokens: ask again for each half of the part."""
        halves = split_half(chunk)
        cut = _out_tokens(raw)
        if len(halves) < 2:
            raise ChunkFailed(
                f"the answer was cut at {cut or limit} tokens (max_tokens {limit}) and the "
                "part is too short to split: raise FACTCHECK_LLM_MAX_TOKENS",
                answer_text(raw)[:2000],
            )
        log.warning(
            "%s: the answer was cut at %d tokens (max_tokens %d): splitting the part in %d "
            "and asking again",
            label,
            cut or limit,
            limit,
            len(halves),
        )
        results = await asyncio.gather(
            *(self._achunk(article, half, parts, tally) for half in halves)
        )
        return [claim for claims in results for claim in claims]

    # --- requests (sent by factcheck.extract.llm.calls) ---------------------------------

    def _state(self) -> LoopState:
        loop = asyncio.get_running_loop()
        state = self._states.get(loop)
        if state is None:
            config = CallConfig(
                settings=self.settings,
                model=self.model,
                prompt_version=self.prompt.version,
                backoff_base=self.backoff_base,
                max_concurrency=self.max_concurrency,
                requests_per_second=self.requests_per_second,
                ssl_context=self.ssl_context(),
                run=self.run,
            )
            state = self._states[loop] = LoopState(config, api_key=self._api_key)
        return state


def _was_cut(raw: Any, limit: int) -> bool:
    """Whether the answer stopped at the token limit. llama-cpp-python reports a forced
    tool call cut at max_tokens as finish_reason "tool_calls", so the count decides too."""
    return finish_reason(raw) == "length" or _out_tokens(raw) >= limit


def _out_tokens(raw: Any) -> int:
    usage = getattr(raw, "usage_metadata", None)
    return int(usage["output_tokens"]) if usage else 0


def _date_words(article: ArticleInput) -> str:
    if article.published_at is None:
        return ""
    d = article.published_at
    # Month and weekday names too: a claim may say "in June 2023" from the date line.
    return f"{d.date().isoformat()} {d.day} {d.month} {d.year} {d:%B} {d:%A}"
