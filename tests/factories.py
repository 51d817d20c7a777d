"""Small builders for rows that tests need (articles, sources, claims), shared by all tests."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy.orm import Session

from factcheck.db.models import Article, Claim, ClaimSource, Source
from factcheck.ingest.document import content_hash

_seq = itertools.count(1)


def make_article(
    session: Session,
    text: str | None = None,
    *,
    title: str | None = "Test article",
    url: str | None = None,
    outlet: str | None = None,
    published_at: datetime | None = None,
) -> Article:
    n = next(_seq)
    text = text if text is not None else f"Article {n}. The minister said 12 people were hurt."
    row = Article(
        text=text,
        content_hash=content_hash(text + f"\x00{n}"),
        title=title,
        url=url or f"https://news.example/{n}",
        outlet=outlet,
        published_at=published_at,
        source_path=f"/tmp/article-{n}.txt",
    )
    session.add(row)
    session.flush()
    return row


def make_source(
    session: Session,
    name: str,
    type_: str = "official",
    *,
    named: bool = True,
    role: str | None = None,
) -> Source:
    row = Source(canonical_name=name, key=name.lower(), type=type_, named=named, role=role)
    session.add(row)
    session.flush()
    return row


def make_claim(
    session: Session,
    article: Article | None = None,
    text: str | None = None,
    *,
    sources: list[Source] | None = None,
    kind: str = "fact",
    hedged: bool = False,
    status: str = "new",
    checkworthiness: float = 0.5,
    priority: float | None = None,
    cue: str = "said",
) -> Claim:
    """A claim grounded in its article: its text is appended to the article when missing."""
    article = article or make_article(session)
    text = text or f"Claim number {next(_seq)} about 42 tonnes of grain."
    start = article.text.find(text)
    if start < 0:
        article.text = article.text + "\n\n" + text
        start = article.text.find(text)
    row = Claim(
        article_id=article.id,
        text=text,
        quote=text,
        start=start,
        end=start + len(text),
        kind=kind,
        hedged=hedged,
        status=status,
        checkworthiness=checkworthiness,
        priority=checkworthiness if priority is None else priority,
        extractor="test",
    )
    for pos, src in enumerate(sources or []):
        row.sources.append(ClaimSource(source_id=src.id, position=pos, cue=cue))
    session.add(row)
    session.flush()
    return row
