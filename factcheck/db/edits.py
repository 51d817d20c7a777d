"""Queries behind reviewers' corrections: versioned UPDATEs of claims, articles, sources.

Each write is one conditional UPDATE ``WHERE id = … AND version = <seen>`` that bumps the
version, so two reviewers editing the same row can never both win: the second matches
no row and gets a ConflictError naming what happened. The logic (what may change, the
grounding of spans, the audit events) is in factcheck.workflow.corrections.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from factcheck.db.models import Article, Claim, ClaimSource, Source, utcnow
from factcheck.errors import ConflictError, NotFoundError

CLAIMS: Table = Claim.__table__  # type: ignore[assignment]
ARTICLES: Table = Article.__table__  # type: ignore[assignment]
SOURCES: Table = Source.__table__  # type: ignore[assignment]

_WHAT = {"claims": "claim", "articles": "article", "sources": "source"}


def _stale(table: Table, row_id: int, expected: int, current: int) -> ConflictError:
    what = _WHAT.get(table.name, table.name)
    return ConflictError(
        f"{what} #{row_id} was changed by someone else (you saw version {expected}, it is "
        f"now {current}); reload it, check their change and try again"
    )


def check_version(table: Table, row_id: int, current: int, expected: int | None) -> None:
    """ConflictError when the reviewer saw another version than the stored one."""
    if expected is not None and expected != current:
        raise _stale(table, row_id, expected, current)


def versioned_update(
    *, session: Session, table: Table, row_id: int, seen_version: int, values: Mapping[str, Any]
) -> None:
    """Set `values` on the row if it is still at `seen_version`, bumping the version.

    Raises ConflictError when another session changed the row in between.
    """
    changes: dict[str, Any] = {**values, "version": table.c.version + 1}
    if "updated_at" in table.c:
        changes.setdefault("updated_at", utcnow())
    done = session.execute(
        update(table)
        .where(table.c.id == row_id, table.c.version == seen_version)
        .values(**changes)
        .returning(table.c.id)
    ).scalar()
    if done is None:
        current = session.execute(select(table.c.version).where(table.c.id == row_id)).scalar()
        if current is None:
            raise NotFoundError(f"no {_WHAT.get(table.name, table.name)} #{row_id}")
        raise _stale(table, row_id, seen_version, int(current))
    expire_rows(session, table, [row_id])


def expire_rows(session: Session, table: Table, ids: Iterable[int]) -> None:
    """Forget loaded copies of these rows: a Core UPDATE bypassed the identity map."""
    classes: dict[str, type[Claim] | type[Article] | type[Source]] = {
        "claims": Claim,
        "articles": Article,
        "sources": Source,
    }
    cls = classes[table.name]
    wanted = set(ids)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, cls) and obj.id in wanted:
            session.expire(obj)


def insert_claim(*, session: Session, values: Mapping[str, Any]) -> int:
    """A new claim row; returns its id."""
    now = utcnow()
    row = {"version": 1, "created_at": now, "updated_at": now, **values}
    claim_id: int = session.execute(insert(Claim).returning(Claim.id), [row]).scalar_one()
    return claim_id


def replace_chain(*, session: Session, claim_id: int, links: Sequence[Mapping[str, Any]]) -> None:
    """The claim's relay chain becomes `links` (position = order given)."""
    session.execute(delete(ClaimSource).where(ClaimSource.claim_id == claim_id))
    session.flush()
    if links:
        session.execute(
            insert(ClaimSource),
            [{**link, "claim_id": claim_id, "position": i} for i, link in enumerate(links)],
        )
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Claim) and obj.id == claim_id:
            session.expire(obj, ["sources"])


def chain_of(*, session: Session, claim_id: int) -> list[ClaimSource]:
    """The claim's relay chain, original asserter first, sources loaded."""
    return list(
        session.scalars(
            select(ClaimSource)
            .where(ClaimSource.claim_id == claim_id)
            .order_by(ClaimSource.position)
            .execution_options(populate_existing=True)
        ).all()
    )


def get_source_row(*, session: Session, source_id: int) -> Source:
    row = session.scalars(
        select(Source).where(Source.id == source_id).execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFoundError(f"no source #{source_id}")
    return row


def get_article_row(*, session: Session, article_id: int) -> Article:
    row = session.scalars(
        select(Article).where(Article.id == article_id).execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFoundError(f"no article #{article_id}")
    return row


def claims_of_article(*, session: Session, article_id: int) -> list[Claim]:
    """Every claim of the article in text order (for overlap checks and gold)."""
    return list(
        session.scalars(
            select(Claim).where(Claim.article_id == article_id).order_by(Claim.start, Claim.id)
        ).all()
    )
