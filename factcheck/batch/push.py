"""Articles pushed by another system (a CMS, a monitoring feed): checked like `check`.

`POST /api/articles` hands the records here. Each becomes an article exactly as a JSONL
line would (same field names and fallbacks, HTML bodies read as pages), and the batch
runner extracts, grounds, stores, ranks and matches them: one transaction per article,
a bad record reported with its position and the others stored, the same article twice
stored once. The result says, record by record, what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from factcheck.batch.runner import BatchOptions, run_batch
from factcheck.batch.summary import BatchSummary
from factcheck.config import Settings
from factcheck.db.articles import claim_counts, find_by_hash, run_article_ids
from factcheck.db.session import Database
from factcheck.errors import InputError, UsageError
from factcheck.ingest.document import ArticleInput
from factcheck.ingest.jsonl import JsonFields, record_to_article

MAX_ARTICLES = 1000  # per request; a larger feed is pushed in several requests

Status = Literal["stored", "already_stored", "failed"]


@dataclass
class PushedArticle:
    """What became of one pushed record (`index` counts from 0, as in the request)."""

    index: int
    location: str
    status: Status
    article_id: int | None = None
    claims: int = 0
    error: str | None = None


def read_records(
    records: list[Any], *, fields: JsonFields, max_bytes: int, origin: str
) -> list[ArticleInput | InputError]:
    """Each record as an article, or the InputError that stops it (at `origin:N`)."""
    items: list[ArticleInput | InputError] = []
    for index, record in enumerate(records):
        location = f"{origin}:{index}"
        try:
            article = record_to_article(record, location=location, source_path=None, fields=fields)
            size = len(article.text.encode("utf-8"))
            if size > max_bytes:
                raise InputError(
                    f"article text is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB "
                    "limit (FACTCHECK_MAX_FILE_MB)",
                    location=location,
                )
            items.append(article)
        except InputError as err:
            items.append(err)
    return items


def push_articles(
    *,
    db: Database,
    settings: Settings,
    records: list[Any],
    actor: str,
    match: bool = True,
    origin: str = "request",
) -> tuple[BatchSummary, list[PushedArticle]]:
    """Check the pushed records as one batch run; the summary and one result per record."""
    if not records:
        raise UsageError("no articles in the request")
    if len(records) > MAX_ARTICLES:
        raise UsageError(f"{len(records)} articles in one request; send at most {MAX_ARTICLES}")
    items = read_records(
        records,
        fields=JsonFields.from_settings(settings),
        max_bytes=int(settings.max_file_mb * 1024 * 1024),
        origin=origin,
    )
    options = BatchOptions(
        paths=[],
        items=items,
        extractor=settings.extractor,
        use_cache=settings.llm_cache,
        match=match,
        command=f"POST /api/articles by {actor} ({len(records)} article(s))",
    )
    summary = run_batch(db=db, settings=settings, options=options)
    failed = {e["location"]: e["message"] for e in summary.errors}
    results: list[PushedArticle] = []
    with db.session() as session:
        for index, item in enumerate(items):
            location = f"{origin}:{index}"
            if isinstance(item, InputError):
                results.append(PushedArticle(index, location, "failed", error=item.message))
                continue
            row = find_by_hash(session=session, content_hash=item.content_hash)
            if location in failed or row is None:
                message = failed.get(location, "not stored")
                results.append(PushedArticle(index, location, "failed", error=message))
                continue
            results.append(PushedArticle(index, location, "stored", article_id=row.id))
        counts = claim_counts(
            session=session, article_ids=[r.article_id for r in results if r.article_id]
        )
        new_ids = run_article_ids(session=session, run_id=summary.run_id)
    for r in results:
        if r.article_id is not None:
            r.claims = counts.get(r.article_id, 0)
            if r.article_id not in new_ids:
                r.status = "already_stored"
    return summary, results
