"""Filtered, sorted, paged lists of articles and sources, with totals (the search page,
the article list and `GET /api/articles` / `GET /api/sources`). Claims: factcheck.db.lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from factcheck.db.lists import ClaimQuery, article_conditions
from factcheck.db.models import SOURCE_TYPES, Article, Claim, ClaimSource, Source
from factcheck.db.search import text_hits
from factcheck.errors import UsageError
from factcheck.public import ArticlePagePublic, ArticleSummary, SourceHitPublic, SourcePagePublic

ARTICLE_SORTS = ("newest", "relevance", "published", "claims")


def _page_meta(total: int, limit: int, offset: int, n: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "has_more": offset + n < total}


def find_articles(
    *,
    session: Session,
    q: str = "",
    outlets: Sequence[str] = (),
    published_from: date | None = None,
    published_to: date | None = None,
    sort: str = "",
    limit: int = 50,
    offset: int = 0,
) -> ArticlePagePublic:
    """Articles matching the text and filters, with their claim counts and the total."""
    sort = sort or ("relevance" if q.strip() else "newest")
    if sort not in ARTICLE_SORTS:
        raise UsageError(f"unknown sort {sort!r}; use one of: {', '.join(ARTICLE_SORTS)}")
    if sort == "relevance" and not q.strip():
        sort = "newest"
    conds = article_conditions(
        ClaimQuery(outlets=tuple(outlets), published_from=published_from, published_to=published_to)
    )
    counts = (
        select(Claim.article_id, func.count(Claim.id).label("n"))
        .group_by(Claim.article_id)
        .subquery()
    )
    stmt: Select[Any] = select(Article, func.coalesce(counts.c.n, 0)).outerjoin(
        counts, counts.c.article_id == Article.id
    )
    total_stmt = select(func.count()).select_from(Article)
    if q.strip():
        hits = text_hits(session=session, target="articles", query=q)
        stmt = stmt.join(hits, hits.c.id == Article.id)
        total_stmt = total_stmt.join(hits, hits.c.id == Article.id)
    stmt, total_stmt = stmt.where(*conds), total_stmt.where(*conds)
    order: list[Any] = [Article.id.desc()]
    if sort == "published":
        order = [Article.published_at.desc().nulls_last(), Article.id.desc()]
    elif sort == "claims":
        order = [func.coalesce(counts.c.n, 0).desc(), Article.id.desc()]
    elif sort == "relevance":
        order = [hits.c.score.desc(), Article.id.desc()]
    rows = session.execute(stmt.order_by(*order).limit(limit).offset(offset)).all()
    items = [
        ArticleSummary(
            id=a.id,
            title=a.title,
            outlet=a.outlet,
            url=a.url,
            source_path=a.source_path,
            published_at=a.published_at,
            ingested_at=a.ingested_at,
            chars=len(a.text),
            claims=int(n),
            content_hash=a.content_hash,
        )
        for a, n in rows
    ]
    total = int(session.scalar(total_stmt) or 0)
    return ArticlePagePublic(items=items, **_page_meta(total, limit, offset, len(items)))


def find_sources(
    *,
    session: Session,
    q: str,
    source_types: Sequence[str] = (),
    limit: int = 20,
    offset: int = 0,
) -> SourcePagePublic:
    """Sources (not merged away) whose name, role or an alias matches, best first."""
    bad = [t for t in source_types if t not in SOURCE_TYPES]
    if bad:
        raise UsageError(f"unknown source type {bad[0]!r}; use one of: {', '.join(SOURCE_TYPES)}")
    hits = text_hits(session=session, target="sources", query=q)
    conds: list[ColumnElement[bool]] = [Source.merged_into_id.is_(None)]
    if source_types:
        conds.append(Source.type.in_(source_types))
    base = select(Source, hits.c.score).join(hits, hits.c.id == Source.id).where(*conds)
    rows = session.execute(
        base.order_by(hits.c.score.desc(), Source.id).limit(limit).offset(offset)
    ).all()
    total = int(
        session.scalar(
            select(func.count())
            .select_from(Source)
            .join(hits, hits.c.id == Source.id)
            .where(*conds)
        )
        or 0
    )
    ids = [s.id for s, _ in rows]
    asserted: dict[int, int] = {}
    relayed: dict[int, int] = {}
    if ids:
        first = case((ClaimSource.position == 0, 1), else_=0)
        for source_id, n_first, n_all in session.execute(
            select(ClaimSource.source_id, func.sum(first), func.count())
            .where(ClaimSource.source_id.in_(ids))
            .group_by(ClaimSource.source_id)
        ).all():
            asserted[int(source_id)] = int(n_first or 0)
            relayed[int(source_id)] = int(n_all) - int(n_first or 0)
    items = [
        SourceHitPublic(
            id=s.id,
            name=s.canonical_name,
            type=s.type,
            named=s.named,
            role=s.role,
            claims=asserted.get(s.id, 0),
            relayed=relayed.get(s.id, 0),
        )
        for s, _ in rows
    ]
    return SourcePagePublic(items=items, **_page_meta(total, limit, offset, len(items)))


def known_outlets(*, session: Session, limit: int = 200) -> list[str]:
    """Outlets of stored articles, most articles first (the outlet filter's choices)."""
    rows = session.execute(
        select(Article.outlet, func.count())
        .where(Article.outlet.is_not(None), Article.outlet != "")
        .group_by(Article.outlet)
        .order_by(func.count().desc(), Article.outlet)
        .limit(limit)
    ).all()
    return [str(o) for o, _ in rows]
