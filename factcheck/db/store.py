"""Storing one extraction: claims (status `new`), their relay chains, the extraction record.

The caller scores each claim's check-worthiness (factcheck.extract.checkworthiness, in
the batch) and passes the scores in: the data layer stores, it does not judge.
Everything happens inside the caller's transaction, so an article is either stored with
all its claims or not at all.

Re-extraction (a new extractor version) never overwrites people: claims a reviewer
edited, reviewed, added, rejected or otherwise touched (any audit event, any status but
`new`) are kept exactly as they are, and the new machine claims that overlap one of them
are suppressed; the earlier machine claims nobody touched are replaced by the new ones.
The batch then matches the returned claim ids against stored claims in that same
transaction (factcheck.matching).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, exists, insert, or_, select
from sqlalchemy.orm import Session

from factcheck.db.models import (
    Article,
    ArticleExtraction,
    Claim,
    ClaimSource,
    Event,
    extraction_key,
    utcnow,
)
from factcheck.db.registry import SourceRegistry
from factcheck.errors import ExtractionError
from factcheck.public import ClaimStatus
from factcheck.schema import Claim as SchemaClaim
from factcheck.schema import ExtractionResult, SourceRef


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two spans are the same claim when they share half of the shorter one (the rule of
    the shared scorer, ../shared/eval/score.py)."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared * 2 >= min(a[1] - a[0], b[1] - b[0])


def _earlier_claims(session: Session, article_id: int) -> tuple[list[tuple[int, int]], list[int]]:
    """(spans of the claims people worked on, ids of untouched machine claims)."""
    touched = or_(
        Claim.status != ClaimStatus.new.value,
        Claim.edited_by.is_not(None),
        exists().where(Event.claim_id == Claim.id),
    )
    rows = session.execute(
        select(Claim.id, Claim.start, Claim.end, touched.label("touched")).where(
            Claim.article_id == article_id
        )
    ).all()
    kept = [
        (r.start, r.end) for r in rows if r.touched and r.start is not None and r.end is not None
    ]
    untouched = [r.id for r in rows if not r.touched]
    return kept, untouched


@dataclass
class StoredExtraction:
    """What one store call wrote; `claim_ids` in the order of the result's claims."""

    article_id: int
    extraction_id: int
    claim_ids: list[int] = field(default_factory=list)
    source_ids: list[int] = field(default_factory=list)
    kept: int = 0  # earlier claims people worked on, left as they are
    suppressed: int = 0  # new machine claims overlapping one of those, not stored
    replaced: int = 0  # earlier untouched machine claims, replaced by the new ones


def find_extraction(
    *,
    session: Session,
    article_id: int,
    extractor_name: str,
    extractor_version: str,
    model: str | None = None,
    prompt_version: str | None = None,
) -> ArticleExtraction | None:
    key = extraction_key(extractor_name, extractor_version, model, prompt_version)
    return session.scalars(
        select(ArticleExtraction).where(
            ArticleExtraction.article_id == article_id, ArticleExtraction.key == key
        )
    ).first()


def extracted_article_id(
    *,
    session: Session,
    content_hash: str,
    extractor_name: str,
    extractor_version: str,
    model: str | None = None,
    prompt_version: str | None = None,
) -> int | None:
    """The id of the article with this text if an extraction with this key already did it."""
    key = extraction_key(extractor_name, extractor_version, model, prompt_version)
    return session.scalars(
        select(Article.id)
        .join(ArticleExtraction, ArticleExtraction.article_id == Article.id)
        .where(Article.content_hash == content_hash, ArticleExtraction.key == key)
    ).first()


def supersede_extraction(*, session: Session, extraction: ArticleExtraction) -> None:
    """Free an extraction's key for a forced re-extraction (`check --force`); the old row
    and its claims stay, as the history of what the machine said before."""
    extraction.key = f"{extraction.key}|superseded:{extraction.id}"[:512]
    session.flush()


def store_extraction(
    *,
    session: Session,
    article: Article,
    result: ExtractionResult,
    scores: Sequence[float],
    run_id: int | None = None,
    registry: SourceRegistry | None = None,
    seconds: float = 0.0,
) -> StoredExtraction:
    """Write `result` for `article`: one ArticleExtraction, its claims and claim sources.

    `scores` holds each claim's check-worthiness, in the order of `result.claims`; it is
    also the claim's first queue priority. Raises ExtractionError when a claim's span
    does not match the article text (an extractor bug must not put wrong offsets in
    front of a reviewer).
    """
    if len(scores) != len(result.claims):
        raise ValueError(f"{len(scores)} scores for {len(result.claims)} claims")
    problems = result.check_grounding(article.text)
    if problems:
        raise ExtractionError(
            f"extractor returned {len(problems)} ungrounded span(s): {problems[0]}"
        )
    kept_spans, untouched = _earlier_claims(session, article.id)
    if untouched:
        session.execute(delete(Claim).where(Claim.id.in_(untouched)))
    pairs: list[tuple[SchemaClaim, float]] = [
        (c, score)
        for c, score in zip(result.claims, scores, strict=True)
        if not any(overlaps((c.start, c.end), span) for span in kept_spans)
    ]
    suppressed = len(result.claims) - len(pairs)
    usage = result.usage
    # Its key (extractor, version, model, prompt version) is derived by the model.
    extraction = ArticleExtraction(
        article_id=article.id,
        run_id=run_id,
        extractor_name=result.extractor.name,
        extractor_version=result.extractor.version,
        model=result.extractor.model,
        prompt_version=result.extractor.prompt_version,
        claims_count=len(pairs),
        llm_calls=usage.llm_calls if usage else 0,
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
        cost_usd=usage.cost_usd if usage else 0.0,
        seconds=round(seconds, 4),
    )
    session.add(extraction)
    session.flush()

    refs: list[SourceRef] = [ref for claim, _ in pairs for ref in claim.sources]
    source_ids = (registry or SourceRegistry()).resolve_article(
        session=session, refs=refs, article_id=article.id
    )
    ids = iter(source_ids)
    now = utcnow()
    claim_rows: list[dict[str, Any]] = []
    chains: list[list[dict[str, Any]]] = []
    for claim, score in pairs:
        claim_rows.append(
            {
                "article_id": article.id,
                "extraction_id": extraction.id,
                "origin": "extracted",
                "extractor": (claim.extractor or result.extractor.name)[:64],
                "text": claim.text,
                "quote": claim.quote,
                "start": claim.start,
                "end": claim.end,
                "kind": claim.kind.value,
                "hedged": claim.hedged,
                "checkworthiness": score,
                "priority": score,
                "status": ClaimStatus.new.value,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        chains.append(
            [
                {
                    "source_id": next(ids),
                    "position": position,
                    "cue": ref.cue[:256] if ref.cue else None,
                    "role": ref.role[:1024] if ref.role else None,
                    "mention": ref.mention,
                    "mention_start": ref.mention_start,
                    "mention_end": ref.mention_end,
                }
                for position, ref in enumerate(claim.sources)
            ]
        )
    claim_ids: list[int] = []
    if claim_rows:
        # Set-based inserts: a batch stores tens of thousands of claims, and the unit of
        # work's per-object bookkeeping would make the single writer the bottleneck.
        claim_ids = list(
            session.scalars(
                insert(Claim).returning(Claim.id, sort_by_parameter_order=True), claim_rows
            )
        )
        links = [
            {**link, "claim_id": claim_id}
            for claim_id, chain in zip(claim_ids, chains, strict=True)
            for link in chain
        ]
        if links:
            session.execute(insert(ClaimSource), links)
    return StoredExtraction(
        article_id=article.id,
        extraction_id=extraction.id,
        claim_ids=claim_ids,
        source_ids=source_ids,
        kept=len(kept_spans),
        suppressed=suppressed,
        replaced=len(untouched),
    )
