"""The batch: read inputs, skip what is done, extract in parallel, store each article once.

The main process is the only writer. Each article is stored in one transaction (the
article, its extraction record, claims, sources), so a batch killed at any moment
leaves only whole articles behind; running the same command again skips them (the
unique extraction record per article and extractor version says "done") and finishes
the rest. Failures of single inputs are recorded as RunError rows, each in its own
small transaction, and the batch goes on.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from factcheck.batch.progress import BatchProgress, NullProgress
from factcheck.batch.runs import db_message, host_only, owner_tag, stop_stale_runs
from factcheck.batch.stats import BatchStats
from factcheck.batch.summary import BatchSummary, build_summary
from factcheck.batch.workers import Outcome, extract_in_worker, extract_one, init_worker
from factcheck.config import Settings
from factcheck.db.articles import store_article
from factcheck.db.llm_cache import DatabaseResponseCache
from factcheck.db.models import ArticleExtraction, Claim, ExtractionRun, RunError
from factcheck.db.registry import SourceRegistry
from factcheck.db.session import Database
from factcheck.db.store import (
    StoredExtraction,
    extracted_article_id,
    find_extraction,
    supersede_extraction,
)
from factcheck.db.store import store_extraction as _store_extraction
from factcheck.errors import FactcheckError, InputError, UsageError
from factcheck.extract.base import Extractor
from factcheck.extract.checkworthiness import checkworthiness
from factcheck.extract.cost import CostCap
from factcheck.extract.registry import get_extractor
from factcheck.ingest.discover import Ignored, InputFile, estimate_articles, find_inputs, read_input
from factcheck.ingest.document import ArticleInput
from factcheck.ingest.jsonl import JsonFields
from factcheck.ingest.safe import safe_field
from factcheck.ingest.text import DEFAULT_MAX_BYTES
from factcheck.matching import match_new_claims
from factcheck.schema import ExtractorInfo
from factcheck.workflow.priority import refresh_priorities

ExtractorFactory = Callable[[], Extractor]
_FLUSH_EVERY = 2.0  # seconds between run-row counter updates
_MAX_FAILED_CHARS = 1_000_000  # a failed article longer than this is not stored


@dataclass
class BatchOptions:
    """What `factcheck check` was asked to do."""

    paths: list[str]
    extractor: str = "offline"
    jobs: int = 1
    since: datetime | None = None
    fields: JsonFields | None = None
    use_cache: bool = True
    max_cost: float | None = None
    fallback: str | None = None
    command: str | None = None
    # Tests and embedders may supply their own extractor; with jobs > 1 it must pickle.
    extractor_factory: ExtractorFactory | None = None
    extractor_options: dict[str, Any] = field(default_factory=dict)
    window: int | None = None  # articles in flight at once; default 4 per job
    match: bool = True  # group repeats of stored claims and match them to past verdicts
    # Articles already read (POST /api/articles), instead of `paths`: each is stored and
    # fails exactly as an article read from a file would.
    items: list[ArticleInput | InputError] | None = None
    # Extract articles again even when an extraction with the same key (extractor,
    # version, model, prompt version) exists; the old one is kept, superseded.
    force: bool = False


class BatchRunner:
    """One batch; `run()` returns its summary. Use `run_batch` unless embedding."""

    def __init__(
        self,
        *,
        db: Database,
        settings: Settings,
        options: BatchOptions,
        progress: BatchProgress | None = None,
    ) -> None:
        if options.jobs < 1:
            raise UsageError("--jobs must be at least 1")
        self.db = db
        self.settings = settings
        self.options = options
        self.progress = progress or NullProgress()
        self.stats = BatchStats()
        self.registry = SourceRegistry()
        self.notes: list[str] = []
        self.run_id = 0
        self._last_flush = 0.0
        self._seen_hashes: set[str] = set()
        self._unranked: list[int] = []  # stored claims whose queue priority is not refreshed
        self.extractor = self._build_extractor()
        self.info: ExtractorInfo = self.extractor.info

    # --- setup ---------------------------------------------------------------------

    def _extractor_options(self) -> dict[str, Any]:
        opts = dict(self.options.extractor_options)
        if self.options.extractor == "llm":
            if self.settings.llm_cache:
                opts.setdefault("cache", DatabaseResponseCache(self.db))
            opts.setdefault("use_cache", self.options.use_cache)
            if self.options.fallback:
                opts.setdefault("fallback", self.options.fallback)
        return opts

    def _build_extractor(self) -> Extractor:
        if self.options.extractor_factory is not None:
            return self.options.extractor_factory()
        return get_extractor(self.options.extractor, self.settings, **self._extractor_options())

    def _start_run(self) -> None:
        command = (self.options.command or "factcheck check")[:4000]
        host = getattr(self.extractor, "base_url_host", None)
        if host is None and self.options.extractor == "llm":
            host = host_only(self.settings.llm_base_url)
        with self.db.session() as session:
            run = ExtractionRun(
                command=f"{command} {owner_tag()}",
                extractor_name=self.info.name,
                extractor_version=self.info.version,
                model=self.info.model,
                base_url_host=host if isinstance(host, str) else None,
                prompt_version=self.info.prompt_version,
                status="running",
            )
            session.add(run)
            session.flush()
            self.run_id = run.id

    def _rank(self) -> None:
        """Refresh the queue priority of the claims stored since the last call.

        Done in batches, in its own transaction, because it costs a few queries per
        call whatever the number of claims; a crash leaves at most a few seconds of
        claims at priority = check-worthiness, and the next run refreshes those.
        """
        ids, self._unranked = self._unranked, []
        if not ids:
            return
        try:
            with self.db.session() as session:
                refresh_priorities(session=session, claim_ids=ids)
        except OperationalError:
            raise
        except Exception as exc:  # the claims are stored; a ranking bug must not lose them
            self.notes.append(f"queue priorities not refreshed ({type(exc).__name__}: {exc})")

    def _flush_run(self, *, status: str | None = None, error: str | None = None) -> None:
        self._rank()
        s = self.stats
        values: dict[str, Any] = {
            "articles_new": s.new,
            "articles_skipped": s.skipped,
            "articles_failed": s.failed,
            "claims_stored": s.claims,
            "llm_calls": s.usage.llm_calls,
            "cache_hits": s.usage.cache_hits,
            "prompt_tokens": s.usage.prompt_tokens,
            "completion_tokens": s.usage.completion_tokens,
            "cost_usd": s.usage.cost_usd,
        }
        if status is not None:
            values.update(status=status, finished_at=datetime.now(UTC), error=error)
            if status != "running":
                values["command"] = (self.options.command or "factcheck check")[:4000]
        with self.db.session() as session:
            session.execute(
                update(ExtractionRun).where(ExtractionRun.id == self.run_id).values(**values)
            )
        self._last_flush = time.monotonic()

    # --- inputs --------------------------------------------------------------------

    def _items(self, files: list[InputFile | InputError | Ignored]) -> Iterator[Any]:
        fields = self.options.fields or JsonFields.from_settings(self.settings)
        max_bytes = int(self.settings.max_file_mb * 1024 * 1024) or DEFAULT_MAX_BYTES
        for found in files:
            if isinstance(found, InputFile):
                yield from read_input(found, fields=fields, max_bytes=max_bytes)
            else:
                yield found

    def _pending_articles(self, items: Iterable[Any]) -> Iterator[ArticleInput]:
        """Articles that still need extracting; everything else is counted here."""
        for item in items:
            if isinstance(item, Ignored):
                self.stats.ignored += 1
                if len(self.stats.ignored_examples) < 5:
                    self.stats.ignored_examples.append(item.location)
                continue
            if isinstance(item, FactcheckError):
                self._record_error(item.location or "?", item.message)
                continue
            article: ArticleInput = item
            since = self.options.since
            if since is not None and article.published_at is not None:
                if article.published_at < since:
                    self.stats.skipped_since += 1
                    self._tick()
                    continue
            digest = article.content_hash
            if digest in self._seen_hashes:
                self.stats.skipped_duplicate += 1
                self._tick()
                continue
            self._seen_hashes.add(digest)
            with self.db.session() as session:
                done = extracted_article_id(
                    session=session,
                    content_hash=digest,
                    extractor_name=self.info.name,
                    extractor_version=self.info.version,
                    model=self.info.model,
                    prompt_version=self.info.prompt_version,
                )
            if done is not None and not self.options.force:
                self.stats.skipped_existing += 1
                self._tick()
                continue
            yield article

    # --- writing -------------------------------------------------------------------

    def _tick(self) -> None:
        self.progress.update(self.stats)
        if time.monotonic() - self._last_flush >= _FLUSH_EVERY:
            self._flush_run()

    def _record_error(
        self, location: str, message: str, *, article: ArticleInput | None = None
    ) -> None:
        """A RunError in its own transaction, with the failed article where it is storable.

        The article row lets reports link the error to its text; a rerun retries it
        either way (it has no extraction record). An article over `_MAX_FAILED_CHARS`
        is not stored for that (a refused 19 MB page would be one 19 MB row), and one
        the database refuses leaves the RunError alone rather than stopping the batch.
        """
        self.stats.failed += 1
        keep = article if article is not None and len(article.text) <= _MAX_FAILED_CHARS else None
        try:
            self._write_error(location, message, keep)
        except OperationalError:
            raise
        except SQLAlchemyError:
            if keep is None:
                raise
            self._write_error(location, message, None)
        self.progress.error(location, message)
        self._tick()

    def _write_error(self, location: str, message: str, article: ArticleInput | None) -> None:
        with self.db.session() as session:
            article_id = None
            if article is not None:
                row, _ = store_article(session=session, article=article)
                article_id = row.id
            session.add(
                RunError(
                    run_id=self.run_id,
                    location=(safe_field(location) or "?")[:2048],
                    article_id=article_id,
                    message=safe_field(message) or "failed",
                )
            )

    def _store(self, article: ArticleInput, outcome: Outcome) -> None:
        self.stats.add_usage(outcome.usage)
        if outcome.result is None:
            self._record_error(
                article.location, outcome.error or "extraction failed", article=article
            )
            return
        result = outcome.result
        try:
            with self.db.session() as session:
                row, _ = store_article(session=session, article=article)
                existing = find_extraction(
                    session=session,
                    article_id=row.id,
                    extractor_name=result.extractor.name,
                    extractor_version=result.extractor.version,
                    model=result.extractor.model,
                    prompt_version=result.extractor.prompt_version,
                )
                stored: StoredExtraction | None = None
                if existing is not None and self.options.force:
                    supersede_extraction(session=session, extraction=existing)
                    existing = None
                if existing is None:
                    stored = _store_extraction(
                        session=session,
                        article=row,
                        result=result,
                        # Scored here, where results are stored: the data layer only keeps it.
                        scores=[checkworthiness(c) for c in result.claims],
                        run_id=self.run_id,
                        registry=self.registry,
                        seconds=outcome.seconds,
                    )
                    if self.options.match and stored.claim_ids:
                        # Same transaction: an article's claims are never stored unmatched.
                        matched = match_new_claims(
                            session=session, claim_ids=stored.claim_ids, settings=self.settings
                        )
                        self.stats.matched_auto += matched.auto
                        self.stats.matched_suggested += matched.suggested
        except OperationalError:
            self.registry.discard()
            raise  # the database itself is gone: stop, a rerun resumes
        except (FactcheckError, SQLAlchemyError) as exc:
            self.registry.discard()
            message = exc.message if isinstance(exc, FactcheckError) else db_message(exc)
            self._record_error(article.location, message, article=article)
            return
        self.registry.committed()
        if stored is None:  # another batch finished this article meanwhile
            self.stats.skipped_existing += 1
        else:
            self.stats.new += 1
            self.stats.claims += len(stored.claim_ids)
            self.stats.kept_people += stored.kept
            self.stats.suppressed += stored.suppressed
            self.stats.replaced += stored.replaced
            self._unranked.extend(stored.claim_ids)
            self.stats.kinds.update(c.kind.value for c in result.claims)
            if result.extractor.name != self.info.name:
                self.stats.fallbacks += 1
        self._tick()

    # --- extraction strategies -----------------------------------------------------

    def _run_serial(self, articles: Iterable[ArticleInput]) -> None:
        for article in articles:
            self._store(article, extract_one(self.extractor, article))

    def _run_pool(self, articles: Iterable[ArticleInput]) -> None:
        import multiprocessing

        window = self.options.window or self.options.jobs * 4
        # forkserver: workers never inherit the writer's database connections or threads.
        context = multiprocessing.get_context("forkserver")
        factory = self.options.extractor_factory
        with ProcessPoolExecutor(
            max_workers=self.options.jobs,
            mp_context=context,
            initializer=init_worker,
            initargs=(
                self.options.extractor,
                self.settings,
                self._worker_options(),
                factory,
                os.getpid(),  # workers end themselves when this process is gone
            ),
        ) as pool:
            pending: dict[Future[Outcome], ArticleInput] = {}
            try:
                for article in articles:
                    pending[pool.submit(extract_in_worker, article)] = article
                    if len(pending) >= window:
                        self._drain(pending, until=window - 1)
                self._drain(pending, until=0)
            except BaseException:
                for future in pending:
                    future.cancel()
                raise

    def _worker_options(self) -> dict[str, Any]:
        return dict(self.options.extractor_options)

    def _drain(self, pending: dict[Future[Outcome], ArticleInput], *, until: int) -> None:
        while len(pending) > until:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in done:
                article = pending.pop(future)
                self._store(article, future.result())

    async def _run_async(self, articles: Iterable[ArticleInput]) -> None:
        from factcheck.batch.workers import aextract_one

        limit = self.options.window or max(2 * self.settings.llm_max_concurrency, 2)
        cap = CostCap.of(self.extractor, self.options.max_cost)
        reserved = 0.0
        pending: dict[asyncio.Task[Outcome], tuple[ArticleInput, float]] = {}

        async def drain(until: int) -> None:
            nonlocal reserved
            while len(pending) > until:
                done, _ = await asyncio.wait(list(pending), return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    article, cost = pending.pop(task)
                    reserved -= cost
                    self._store(article, task.result())

        iterator = iter(articles)
        for article in iterator:
            next_cost = cap.estimate(article)
            spent = self.stats.usage.cost_usd
            if not cap.fits(spent=spent, reserved=reserved, next_cost=next_cost):
                # Wait for in-flight articles: their real cost may leave room.
                await drain(0)
                if not cap.fits(spent=self.stats.usage.cost_usd, next_cost=next_cost):
                    self.stats.cost_limit_hit = True
                    self.stats.skipped_cost += 1
                    for _ in iterator:
                        self.stats.skipped_cost += 1
                        self._tick()
                    break
            reserved += next_cost
            task = asyncio.ensure_future(aextract_one(self.extractor, article))
            pending[task] = (article, next_cost)
            if len(pending) >= limit:
                await drain(limit - 1)
        try:
            await drain(0)
        finally:
            aclose = getattr(self.extractor, "aclose", None)
            if callable(aclose):
                await aclose()

    # --- the whole batch -----------------------------------------------------------

    def run(self) -> BatchSummary:
        stale = stop_stale_runs(db=self.db)
        if stale:
            with self.db.session() as session:
                self._unranked.extend(
                    session.scalars(
                        select(Claim.id)
                        .join(ArticleExtraction, ArticleExtraction.id == Claim.extraction_id)
                        .where(ArticleExtraction.run_id.in_(stale))
                    )
                )
            listed = ", ".join(f"#{r}" for r in stale)
            self.notes.append(f"earlier run(s) {listed} had been killed; marked stopped")
        self._start_run()
        if self.options.items is not None:
            items: Iterable[Any] = self.options.items
            self.stats.expected = len(self.options.items)
        else:
            files = list(find_inputs(self.options.paths))
            self.stats.expected = sum(
                estimate_articles(f) if isinstance(f, InputFile) else int(isinstance(f, Exception))
                for f in files
            )
            items = self._items(files)
        self.progress.start(self.stats.expected)
        articles = self._pending_articles(items)
        status, error = "failed", None
        try:
            if self.options.extractor == "llm" and self.options.extractor_factory is None:
                asyncio.run(self._run_async(articles))
            elif self.options.jobs > 1:
                self._run_pool(articles)
            else:
                self._run_serial(articles)
            status = "finished"
        except KeyboardInterrupt:
            status, error = "stopped", "interrupted by the user"
            raise
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            self.progress.stop(self.stats)
            try:
                self._flush_run(status=status, error=error)
            except SQLAlchemyError:
                pass  # the database is what failed; the next run marks this one stopped
        self._add_notes()
        with self.db.session() as session:
            return build_summary(
                session=session, run_id=self.run_id, stats=self.stats, notes=self.notes
            )

    def _add_notes(self) -> None:
        s = self.stats
        if s.cost_limit_hit:
            self.notes.append(
                f"stopped at --max-cost ${self.options.max_cost:.2f}: {s.skipped_cost} article(s) "
                "not extracted; run again with a higher limit to finish them"
            )
        if s.fallbacks:
            self.notes.append(f"{s.fallbacks} article(s) extracted by the fallback extractor")
        # Repeats are counted by the summary from the stored claims (distinct claims,
        # not the match pairs the matcher reports).
        if s.kept_people or s.replaced:
            self.notes.append(
                f"re-extraction kept {s.kept_people} claim(s) people edited, reviewed, added or "
                f"rejected as they are, suppressed {s.suppressed} new machine claim(s) "
                f"overlapping them, and replaced {s.replaced} untouched machine claim(s)"
            )
        if s.ignored:
            shown = ", ".join(s.ignored_examples)
            self.notes.append(f"{s.ignored} file(s) that are not articles were ignored: {shown}")
        if s.failed:
            self.notes.append(
                "failed articles are retried when the same command runs again "
                "(after fixing the file or the extractor)"
            )


def run_batch(
    *,
    db: Database,
    settings: Settings,
    options: BatchOptions,
    progress: BatchProgress | None = None,
) -> BatchSummary:
    """Run `factcheck check` over `options.paths` and return the summary."""
    return BatchRunner(db=db, settings=settings, options=options, progress=progress).run()
