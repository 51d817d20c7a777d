"""Article storage: content-hash dedup and listing.

A plain-text article (a .txt file, stdin) has no title field; when its first line looks
like a headline ("Russia and Iran agree on police cooperation"), that line is stored as
the title, so the list, the web pages, the reports and the CSV all show the same one.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck.db.claims import article_claims, claim_public
from factcheck.db.models import Article, ArticleExtraction, Claim
from factcheck.errors import NotFoundError
from factcheck.ingest.document import ArticleInput
from factcheck.public import ArticlePublic, ArticleSummary
from factcheck.verdicts import VerdictScale

_HEADLINE_MAX_CHARS = 200
_HEADLINE_MAX_WORDS = 25
# A sentence of body text ends like one; a headline usually does not (a question may).
_SENTENCE_END = re.compile(r"[.,;:…]$")
_DATELINE = re.compile(r"^\W*(\d{1,4}[-/.]\d{1,2}|by\s|source:|\[)", re.IGNORECASE)


def headline_title(text: str) -> str | None:
    """The article's first line if it looks like a headline: short, a few words, not a
    sentence of body text, followed by more text; else None."""
    lines = text.lstrip().splitlines()
    if len(lines) < 2:
        return None
    first = " ".join(lines[0].split())
    words = first.split()
    if not 2 <= len(words) <= _HEADLINE_MAX_WORDS or len(first) > _HEADLINE_MAX_CHARS:
        return None
    if _SENTENCE_END.search(first) or _DATELINE.search(first):
        return None
    if not any(c.isalpha() and c.isupper() for c in first[:1] + first):
        return None
    return first


def _is_plain_text(article: ArticleInput) -> bool:
    where = (article.source_path or article.location or "").lower()
    return article.location == "<stdin>" or where.endswith(".txt")


def find_by_hash(*, session: Session, content_hash: str) -> Article | None:
    return session.scalars(select(Article).where(Article.content_hash == content_hash)).first()


def store_article(*, session: Session, article: ArticleInput) -> tuple[Article, bool]:
    """The stored article for this text, and whether it was new.

    Two saves of the same text (other line endings, another file name) are one article.
    """
    digest = article.content_hash
    existing = find_by_hash(session=session, content_hash=digest)
    if existing is not None:
        return existing, False
    title = article.title
    if title is None and _is_plain_text(article):
        title = headline_title(article.text)
    row = Article(
        source_path=article.source_path,
        url=article.url,
        title=title,
        outlet=article.outlet,
        author=article.author,
        published_at=article.published_at,
        language=article.language,
        text=article.text,
        content_hash=digest,
    )
    session.add(row)
    session.flush()
    return row, True


def get_article(*, session: Session, article_id: int) -> Article:
    row = session.get(Article, article_id)
    if row is None:
        raise NotFoundError(f"no article #{article_id}")
    return row


def count_articles(*, session: Session) -> int:
    return int(session.scalar(select(func.count(Article.id))) or 0)


def list_articles(*, session: Session, limit: int = 100, offset: int = 0) -> list[ArticleSummary]:
    """Articles newest first, each with its number of claims (one query)."""
    counts = (
        select(Claim.article_id, func.count(Claim.id).label("n"))
        .group_by(Claim.article_id)
        .subquery()
    )
    stmt = (
        select(Article, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.article_id == Article.id)
        .order_by(Article.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [
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
        for a, n in session.execute(stmt).all()
    ]


def article_public(
    *, session: Session, article_id: int, scale: VerdictScale | None = None
) -> ArticlePublic:
    """An article with every one of its claims, in text order (four queries)."""
    a = get_article(session=session, article_id=article_id)
    return ArticlePublic(
        id=a.id,
        title=a.title,
        url=a.url,
        outlet=a.outlet,
        author=a.author,
        published_at=a.published_at,
        ingested_at=a.ingested_at,
        content_hash=a.content_hash,
        text=a.text,
        version=a.version,
        done_by=a.done_by,
        done_at=a.done_at,
        claims=[
            claim_public(c, scale=scale)
            for c in article_claims(session=session, article_id=article_id)
        ],
    )


def claim_counts(*, session: Session, article_ids: list[int]) -> dict[int, int]:
    """How many claims each of these articles has (0 for none)."""
    counts = dict.fromkeys(article_ids, 0)
    if article_ids:
        for article_id, n in session.execute(
            select(Claim.article_id, func.count(Claim.id))
            .where(Claim.article_id.in_(article_ids))
            .group_by(Claim.article_id)
        ).all():
            counts[int(article_id)] = int(n)
    return counts


def run_article_ids(*, session: Session, run_id: int) -> set[int]:
    """The articles a batch run extracted (not those it found already done)."""
    return set(
        session.scalars(
            select(ArticleExtraction.article_id).where(ArticleExtraction.run_id == run_id)
        ).all()
    )
