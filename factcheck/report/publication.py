"""What publishing a reviewed claim needs beyond the report's own rows: the group of
repeats it belongs to, every article that group appears in, and the published
fact-check (an imported ClaimReview) its verdict was reused from.

Three queries per report, whatever its size; the loader calls `attach_publication`
last, and the renderers stay pure functions of the report.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from factcheck.db.models import Article, Claim, ClaimMatch
from factcheck.report.model import ArticleInfo, PriorCheck, ReportBase


def _article(row: Any) -> ArticleInfo:
    return ArticleInfo(
        id=row.id,
        title=row.title,
        outlet=row.outlet,
        author=row.author,
        url=row.url,
        published_at=row.published_at,
        source_path=row.source_path,
        language=row.language,
        content_hash=row.content_hash,
        ingested_at=row.ingested_at,
    )


def attach_publication(session: Session, report: ReportBase) -> None:
    """Fill each reviewed claim's group and prior check, and the report's appearances."""
    reviewed = [c for c in report.claims if c.reviewed]
    if not reviewed:
        return
    ids = [c.id for c in reviewed]
    groups = dict(
        session.execute(select(Claim.id, Claim.group_id).where(Claim.id.in_(ids))).tuples().all()
    )
    for claim in reviewed:
        claim.group_id = groups.get(claim.id)
    group_ids = sorted({g for g in groups.values() if g is not None})
    if group_ids:
        members = session.execute(
            select(Claim.group_id, Claim.article_id).where(
                Claim.group_id.in_(group_ids), Claim.article_id.is_not(None)
            )
        ).all()
        article_ids = {a for _, a in members}
        articles = {
            row.id: _article(row)
            for row in session.execute(
                select(
                    Article.id, Article.title, Article.outlet, Article.author, Article.url,
                    Article.published_at, Article.source_path, Article.language,
                    Article.content_hash, Article.ingested_at,
                ).where(Article.id.in_(article_ids))
            )
        }  # fmt: skip
        by_group: dict[int, list[ArticleInfo]] = defaultdict(list)
        for group_id, article_id in sorted(members, key=lambda m: (m[0], m[1])):
            found = articles.get(article_id)
            if found is not None and found not in by_group[group_id]:
                by_group[group_id].append(found)
        report.appearances.update(by_group)
    _attach_prior_checks(session, reviewed, group_ids)


def _attach_prior_checks(session: Session, reviewed: list[Any], group_ids: list[int]) -> None:
    """A claim (or its group's canonical claim) whose accepted match is an imported
    fact-check with the same verdict reuses that fact-check."""
    asking = sorted({c.id for c in reviewed} | set(group_ids))
    pairs = session.execute(
        select(ClaimMatch.claim_id, ClaimMatch.matched_claim_id).where(
            ClaimMatch.status == "accepted",
            or_(ClaimMatch.claim_id.in_(asking), ClaimMatch.matched_claim_id.in_(asking)),
        )
    ).all()
    others: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        others[a].add(b)
        others[b].add(a)
    candidates = {o for linked in others.values() for o in linked}
    if not candidates:
        return
    references = {
        row.id: row
        for row in session.execute(
            select(Claim.id, Claim.verdict, Claim.reference).where(
                Claim.id.in_(candidates), Claim.origin == "reference"
            )
        )
    }
    for claim in reviewed:
        for owner in (claim.id, claim.group_id):
            if owner is None:
                continue
            ref = next(
                (
                    references[o]
                    for o in sorted(others.get(owner, ()))
                    if o in references and references[o].verdict == claim.verdict
                ),
                None,
            )
            if ref is not None:
                data = ref.reference or {}
                claim.based_on = PriorCheck(
                    claim_id=ref.id,
                    publisher=data.get("publisher"),
                    publisher_url=data.get("publisher_url"),
                    url=data.get("url"),
                    date=data.get("date"),
                    rating_text=data.get("rating_text"),
                    title=data.get("title"),
                )
                break
