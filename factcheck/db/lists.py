"""Filtered, sorted, paged lists of claims, articles and sources, with totals.

The queue page, the search page and the JSON API's list endpoints all call these, so a
filter means the same thing everywhere. Text search comes from factcheck.db.search.

Each list runs a fixed number of queries whatever the page size: the page of ids, the
total, the rows (with article and sources) and, for claims, their badges (repeat count
and prior fact-checks) in two more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from factcheck.db.claims import claim_public
from factcheck.db.models import (
    CLAIM_KINDS,
    SOURCE_TYPES,
    Article,
    Claim,
    ClaimMatch,
    ClaimSource,
    Source,
)
from factcheck.db.search import text_hits
from factcheck.errors import UsageError
from factcheck.public import (
    OPEN_STATUSES,
    STATUSES,
    ClaimBadgesPublic,
    ClaimPagePublic,
    PriorCheckPublic,
    VerdictPublic,
)
from factcheck.verdicts import DEFAULT_SCALE, VerdictScale

TOTAL_CAP = 10_000  # totals are exact up to here, "10,000+" beyond
CLAIM_SORTS = ("priority", "relevance", "newest", "oldest", "published", "reviewed")


def day_start(value: date) -> datetime:
    return datetime.combine(value, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class ClaimQuery:
    """Which claims to list, and in what order. Empty tuples and None mean "any".

    `queue_view` shows what the queue shows: extracted claims, each group once (its
    canonical claim). Off (search), repeats and imported fact-checks are listed too.
    """

    q: str = ""
    statuses: tuple[str, ...] = tuple(OPEN_STATUSES)
    verdicts: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    source_ids: tuple[int, ...] = ()
    source_name: str = ""  # part of the name of any source in the relay chain
    source_types: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    published_from: date | None = None
    published_to: date | None = None  # inclusive
    article_ids: tuple[int, ...] = ()
    assigned_to: str | None = None  # holds the lease
    reviewer: str | None = None  # holds the lease or gave the verdict
    has_prior: bool | None = None  # matched to an imported fact-check (not rejected)
    queue_view: bool = True
    sort: str = ""  # "" = relevance when searching, priority otherwise

    @property
    def selective(self) -> bool:
        """Whether a filter keeps few claims: then filtering first and sorting the few
        beats walking the queue index in priority order past every claim it drops."""
        return bool(
            self.q.strip()
            or self.verdicts
            or self.source_ids
            or self.source_name.strip()
            or self.outlets
            or self.published_from
            or self.published_to
            or self.article_ids
            or self.assigned_to
            or self.reviewer
            or self.has_prior
        )

    def validated(self) -> ClaimQuery:
        for value, allowed, what in (
            (self.statuses, STATUSES, "status"),
            (self.source_types, SOURCE_TYPES, "source type"),
            (self.kinds, CLAIM_KINDS, "kind"),
        ):
            bad = [v for v in value if v not in allowed]
            if bad:
                raise UsageError(f"unknown {what} {bad[0]!r}; use one of: {', '.join(allowed)}")
        sort = self.sort or ("relevance" if self.q.strip() else "priority")
        if sort not in CLAIM_SORTS:
            raise UsageError(f"unknown sort {sort!r}; use one of: {', '.join(CLAIM_SORTS)}")
        if sort == "relevance" and not self.q.strip():
            sort = "priority"
        if self.published_from and self.published_to and self.published_from > self.published_to:
            raise UsageError("the date range ends before it starts")
        return replace(self, sort=sort)


def source_ids_or_name(text: str) -> tuple[tuple[int, ...], str]:
    """A source filter as typed: ``12`` / ``#12`` is an id, anything else part of a name."""
    value = text.strip()
    if re.fullmatch(r"#?\d+", value):
        return (int(value.lstrip("#")),), ""
    return (), value


def article_conditions(query: ClaimQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if query.outlets:
        conds.append(func.lower(Article.outlet).in_([o.lower() for o in query.outlets]))
    if query.published_from:
        conds.append(Article.published_at >= day_start(query.published_from))
    if query.published_to:
        conds.append(Article.published_at < day_start(query.published_to + timedelta(days=1)))
    return conds


def _prior_exists() -> ColumnElement[bool]:
    """The claim is matched (either way round, not rejected) to an imported fact-check."""
    ref = aliased(Claim)
    return (
        exists()
        .where(ClaimMatch.status != "rejected")
        .where(
            or_(
                and_(ClaimMatch.claim_id == Claim.id, ClaimMatch.matched_claim_id == ref.id),
                and_(ClaimMatch.matched_claim_id == Claim.id, ClaimMatch.claim_id == ref.id),
            )
        )
        .where(ref.origin == "reference")
    )


def claim_conditions(
    session: Session, query: ClaimQuery, statuses: Sequence[str]
) -> list[ColumnElement[bool]]:
    """The WHERE of a claim list, the review queue's included (one builder for both, so
    a filter means the same on the list, the queue and its leases)."""
    conds: list[ColumnElement[bool]] = []
    if query.queue_view:
        conds += [
            Claim.origin == "extracted",
            or_(Claim.group_id.is_(None), Claim.group_id == Claim.id),
        ]
    if len(statuses) == 1:
        conds.append(Claim.status == statuses[0])
    elif statuses and set(statuses) != set(STATUSES):
        conds.append(Claim.status.in_(statuses))
    if query.verdicts:
        conds.append(Claim.verdict.in_(query.verdicts))
    if query.kinds:
        conds.append(Claim.kind.in_(query.kinds))
    if query.article_ids:
        conds.append(Claim.article_id.in_(query.article_ids))
    if query.assigned_to:
        conds.append(Claim.assigned_to == query.assigned_to)
    if query.reviewer:
        conds.append(or_(Claim.assigned_to == query.reviewer, Claim.reviewed_by == query.reviewer))
    article_conds = article_conditions(query)
    if article_conds:
        conds.append(Claim.article_id.in_(select(Article.id).where(*article_conds)))
    source_conds: list[ColumnElement[bool]] = []
    if query.source_types:
        source_conds.append(Source.type.in_(query.source_types))
    if query.source_ids:
        source_conds.append(
            or_(Source.id.in_(query.source_ids), Source.merged_into_id.in_(query.source_ids))
        )
    if query.source_name.strip():
        typed = query.source_name.strip().lower()
        # The reviewer's text is literal: LIKE's wildcards in it are escaped.
        typed = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = "%" + typed + "%"
        source_conds.append(func.lower(Source.canonical_name).like(like, escape="\\"))
    if source_conds:
        conds.append(
            exists()
            .where(ClaimSource.claim_id == Claim.id)
            .where(ClaimSource.source_id == Source.id)
            .where(*source_conds)
        )
    if query.has_prior is not None:
        conds.append(_prior_exists() if query.has_prior else ~_prior_exists())
    if query.q.strip():
        hits = text_hits(session=session, target="claims", query=query.q)
        conds.append(Claim.id.in_(select(hits.c.id)))
    return conds


def _claim_order(query: ClaimQuery) -> list[Any]:
    if query.sort == "newest":
        return [Claim.created_at.desc(), Claim.id.desc()]
    if query.sort == "oldest":
        return [Claim.created_at, Claim.id]
    if query.sort == "reviewed":
        return [Claim.reviewed_at.desc().nulls_last(), Claim.id.desc()]
    return [Claim.priority.desc(), Claim.id.desc()]


def _claim_ids(
    session: Session, query: ClaimQuery, statuses: Sequence[str], limit: int, offset: int
) -> list[int]:
    if query.sort == "relevance":
        hits = text_hits(session=session, target="claims", query=query.q, name="ranked")
        stmt: Select[Any] = (
            select(Claim.id)
            .join(hits, hits.c.id == Claim.id)
            .where(*claim_conditions(session, replace(query, q=""), statuses))
            .order_by(hits.c.score.desc(), Claim.id.desc())
        )
        return list(session.scalars(stmt.limit(limit).offset(offset)).all())
    if query.sort == "published":
        stmt = (
            select(Claim.id)
            .outerjoin(Article, Article.id == Claim.article_id)
            .where(*claim_conditions(session, query, statuses))
            .order_by(Article.published_at.desc().nulls_last(), Claim.id.desc())
        )
        return list(session.scalars(stmt.limit(limit).offset(offset)).all())
    if query.sort == "priority" and len(statuses) > 1 and not query.selective:
        # One walk of ix_claims_queue per status, merged: `status IN (...) ORDER BY
        # priority` would sort every open claim (seconds at a million claims).
        branches = [
            select(Claim.id, Claim.priority)
            .where(*claim_conditions(session, query, (status,)))
            .order_by(Claim.priority.desc(), Claim.id.desc())
            .limit(limit + offset)
            .subquery()
            for status in statuses
        ]
        merged = union_all(*(select(b.c.id, b.c.priority) for b in branches)).subquery()
        stmt = (
            select(merged.c.id)
            .order_by(merged.c.priority.desc(), merged.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(session.scalars(stmt).all())
    stmt = select(Claim.id).where(*claim_conditions(session, query, statuses))
    stmt = stmt.order_by(*_claim_order(query)).limit(limit).offset(offset)
    return list(session.scalars(stmt).all())


def count_claims(*, session: Session, query: ClaimQuery, cap: int | None = None) -> int:
    """How many claims `query` selects; with `cap`, counting stops at `cap` (so the
    answer `cap` means "at least that many")."""
    query = query.validated()
    statuses = query.statuses or STATUSES
    conds = claim_conditions(session, query, statuses)
    if cap is None:
        stmt = select(func.count()).select_from(Claim).where(*conds)
        return int(session.scalar(stmt) or 0)
    # Counting every open claim reads the whole queue (half a second at 200,000 claims
    # on SQLite); a page only needs "more than N".
    capped = select(Claim.id).where(*conds).limit(cap).subquery()
    return int(session.scalar(select(func.count()).select_from(capped)) or 0)


@dataclass
class ClaimPage:
    """A page of claims (article and sources loaded) and the total over all pages."""

    items: list[Claim]
    total: int
    limit: int
    offset: int
    badges: dict[int, ClaimBadges] = field(default_factory=dict)
    total_capped: bool = False  # there are more than `total`; the count stopped there

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total

    def public(self, *, scale: VerdictScale | None = None) -> ClaimPagePublic:
        return ClaimPagePublic(
            items=[claim_public(c, scale=scale) for c in self.items],
            badges={
                i: ClaimBadgesPublic(repeats=b.repeats, prior_checks=b.prior_checks)
                for i, b in self.badges.items()
                if b.repeats or b.prior_checks
            },
            total=self.total,
            limit=self.limit,
            offset=self.offset,
            has_more=self.has_more,
            total_capped=self.total_capped,
        )


@dataclass
class ClaimBadges:
    """What a list row flags: the claim's repeats and the fact-checks already published."""

    repeats: int = 0
    prior_checks: list[PriorCheckPublic] = field(default_factory=list)


def load_claims(session: Session, ids: Sequence[int]) -> list[Claim]:
    """The claims `ids` names, in that order, with their article and sources loaded."""
    if not ids:
        return []
    rows = session.scalars(
        select(Claim)
        .where(Claim.id.in_(ids))
        .options(
            joinedload(Claim.article),
            selectinload(Claim.sources).joinedload(ClaimSource.source),
        )
    ).unique()
    by_id = {c.id: c for c in rows}
    return [by_id[i] for i in ids if i in by_id]


def find_claims(
    *,
    session: Session,
    query: ClaimQuery,
    limit: int = 50,
    offset: int = 0,
    scale: VerdictScale | None = None,
) -> ClaimPage:
    """One page of the claims `query` selects, in its order, with the total and badges."""
    if limit < 1 or offset < 0:
        raise UsageError("limit must be at least 1 and offset not negative")
    query = query.validated()
    statuses = query.statuses or STATUSES
    ids = _claim_ids(session, query, statuses, limit, offset)
    # Exact up to TOTAL_CAP (and always past this page, so has_more stays right).
    cap = max(TOTAL_CAP, offset + limit + 1) + 1
    total = count_claims(session=session, query=query, cap=cap)
    capped = total == cap
    items = load_claims(session, ids)
    return ClaimPage(
        items=items,
        total=total - 1 if capped else total,
        total_capped=capped,
        limit=limit,
        offset=offset,
        badges=claim_badges(session=session, claim_ids=ids, scale=scale),
    )


def _mapped(key: str | None, scale: VerdictScale) -> VerdictPublic | None:
    if not key:
        return None
    try:
        v = scale.get(key)
        return VerdictPublic(key=v.key, label=v.label, rating=v.rating)
    except UsageError:
        return VerdictPublic(key=key, label=key, rating=None)


def claim_badges(
    *, session: Session, claim_ids: Iterable[int], scale: VerdictScale | None = None
) -> dict[int, ClaimBadges]:
    """Repeat counts and prior fact-checks of these claims, in two queries."""
    ids = sorted(set(claim_ids))
    if not ids:
        return {}
    scale = scale or DEFAULT_SCALE
    out = {i: ClaimBadges() for i in ids}
    counts = session.execute(
        select(Claim.group_id, func.count())
        .where(Claim.group_id.in_(ids), Claim.id != Claim.group_id)
        .group_by(Claim.group_id)
    ).all()
    for group_id, n in counts:
        out[int(group_id)].repeats = int(n)
    ref = aliased(Claim)
    rows = session.execute(
        select(ClaimMatch, ref)
        .join(
            ref,
            or_(
                and_(ClaimMatch.matched_claim_id == ref.id, ClaimMatch.claim_id.in_(ids)),
                and_(ClaimMatch.claim_id == ref.id, ClaimMatch.matched_claim_id.in_(ids)),
            ),
        )
        .where(ref.origin == "reference", ClaimMatch.status != "rejected")
        .order_by(ClaimMatch.score.desc(), ClaimMatch.id)
    ).all()
    for match, reference in rows:
        mine = match.claim_id if match.matched_claim_id == reference.id else match.matched_claim_id
        info = reference.reference or {}
        out[mine].prior_checks.append(
            PriorCheckPublic(
                claim_id=reference.id,
                match_id=match.id,
                match_status=match.status,
                score=match.score,
                publisher=_text(info.get("publisher")),
                rating=_text(info.get("rating_text")),
                url=_text(info.get("url")),
                date=_text(info.get("date")),
                verdict=_mapped(reference.verdict, scale),
            )
        )
    return out


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None
