"""Search everything at once: the best claims, articles and sources for one query.

Used by the search page and `GET /api/search`, so both show the same hits and totals.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from factcheck.db.finders import find_articles, find_sources
from factcheck.db.lists import ClaimQuery, find_claims
from factcheck.public import STATUSES, SearchPublic
from factcheck.verdicts import VerdictScale


def search_everything(
    *, session: Session, q: str, scale: VerdictScale | None = None, limit: int = 10
) -> SearchPublic:
    """Claims in every status (repeats and imported fact-checks included), articles and
    sources matching `q`, `limit` of each, with totals. UsageError for an empty query."""
    claims = find_claims(
        session=session,
        query=ClaimQuery(q=q, statuses=tuple(STATUSES), queue_view=False),
        limit=limit,
        scale=scale,
    )
    return SearchPublic(
        q=q,
        claims=claims.public(scale=scale),
        articles=find_articles(session=session, q=q, limit=limit),
        sources=find_sources(session=session, q=q, limit=limit),
    )
