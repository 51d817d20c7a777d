"""Matching newly stored claims against everything already stored.

Conventions (shared with the queue and the review code):

- `Claim.group_id` is the id of the group's canonical claim. The canonical claim points
  to itself; a claim in no group has NULL. The queue shows only canonical or ungrouped
  claims (`group_id IS NULL OR group_id = id`), so a group is reviewed once.
- `ClaimMatch.claim_id` is the claim the match is *for* (the newer one, or the extracted
  one when the other is an imported fact-check); `matched_claim_id` is the stored claim
  it resembles.
- Above `match_high` with agreeing facts (numbers, dates, negation, names) a claim joins
  the group of an open claim automatically (`status='auto'`). Between `match_low` and
  `match_high`, or when one side is vaguer, it becomes a suggestion (`'suggested'`) that
  a reviewer accepts or rejects. A match with an already reviewed claim or an imported
  fact-check is always a suggestion ("already checked by X on DATE: False"): a human
  decides whether the verdict carries over.

The index of stored claims is kept per process and database and grows with each batch;
it is rebuilt only when the claims table changed behind its back (another process, a
rolled-back batch).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck.config import Settings
from factcheck.db.events import record_event
from factcheck.db.models import Claim, ClaimMatch
from factcheck.errors import ConfigError
from factcheck.matching.index import Candidate, LexicalIndex
from factcheck.matching.text import Verdict
from factcheck.public import OPEN_STATUSES, ClaimStatus
from factcheck.workflow.priority import refresh_priorities
from factcheck.workflow.review import now_utc

MATCHER_ACTOR = "matcher"
MAX_MATCHES_PER_CLAIM = 5
# A claim may still join a group while nobody has given it a verdict.
OPEN_FOR_GROUPING = (*OPEN_STATUSES, ClaimStatus.skipped)


class ClaimIndex(Protocol):
    """What the matcher needs of an index (the lexical one, or the embedding one)."""

    method: str

    def __len__(self) -> int: ...
    def __contains__(self, claim_id: object) -> bool: ...
    @property
    def max_id(self) -> int: ...
    def add(
        self, claim_id: int, text: str, *, article_id: int | None = ..., origin: str = ...
    ) -> None: ...
    def add_many(self, rows: Sequence[tuple[int, str, int | None, str]]) -> None: ...
    def query(
        self,
        text: str,
        *,
        limit: int = ...,
        min_score: float = ...,
        exclude_ids: frozenset[int] = ...,
        exclude_article: int | None = ...,
    ) -> list[Candidate]: ...


@dataclass
class MatchSummary:
    """What one call of `match_new_claims` did."""

    claims: int = 0
    auto: int = 0
    suggested: int = 0
    grouped_claims: list[int] = field(default_factory=list)
    groups: set[int] = field(default_factory=set)
    method: str = "lexical"
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "claims": self.claims,
            "auto": self.auto,
            "suggested": self.suggested,
            "grouped_claims": self.grouped_claims,
            "groups": sorted(self.groups),
            "method": self.method,
            "seconds": round(self.seconds, 3),
        }


def thresholds(settings: Settings) -> tuple[float, float]:
    """(low, high) from settings, refusing a low threshold above the high one."""
    if settings.match_low > settings.match_high:
        raise ConfigError(
            f"FACTCHECK_MATCH_LOW ({settings.match_low}) must not exceed "
            f"FACTCHECK_MATCH_HIGH ({settings.match_high})"
        )
    return settings.match_low, settings.match_high


# --- the per-process index ----------------------------------------------------------

_lock = threading.Lock()
_cache: dict[tuple[str, str], ClaimIndex] = {}


def _new_index(method: str) -> ClaimIndex:
    if method == "embedding":
        from factcheck.matching.embedding import EmbeddingIndex

        return EmbeddingIndex()
    return LexicalIndex()


def clear_cache() -> None:
    """Forget every cached index (tests, or after bulk edits of claim texts)."""
    with _lock:
        _cache.clear()


def claim_index(
    *, session: Session, method: str = "lexical", exclude: frozenset[int] = frozenset()
) -> ClaimIndex:
    """The index of stored claims for this database, brought up to date.

    Claims in `exclude` (the batch being matched) are left out; they are added one by
    one as they are matched so a batch can group its own repeats.
    """
    bind = session.get_bind()
    key = (bind.engine.url.render_as_string(hide_password=True), method)
    count, max_id = session.execute(select(func.count(Claim.id), func.max(Claim.id))).one()
    count, max_id = int(count or 0), int(max_id or 0)
    with _lock:
        index = _cache.get(key)
        # An id of this batch already indexed means an earlier batch was rolled back and
        # the id reused (SQLite does that): its indexed text may be another claim's.
        if index is None or index.max_id > max_id or any(c in index for c in exclude):
            index = _new_index(method)
        rows = session.execute(
            select(Claim.id, Claim.text, Claim.article_id, Claim.origin)
            .where(Claim.id > index.max_id)
            .order_by(Claim.id)
        ).all()
        index.add_many([(r[0], r[1], r[2], r[3]) for r in rows if r[0] not in exclude])
        expected = count - len(exclude)
        if len(index) != expected:
            # Claims were deleted or a rolled-back batch left ids behind: start over.
            index = _new_index(method)
            rows = session.execute(
                select(Claim.id, Claim.text, Claim.article_id, Claim.origin).order_by(Claim.id)
            ).all()
            index.add_many([(r[0], r[1], r[2], r[3]) for r in rows if r[0] not in exclude])
        _cache[key] = index
    return index


# --- matching -----------------------------------------------------------------------


def match_new_claims(
    *, session: Session, claim_ids: Sequence[int], settings: Settings
) -> MatchSummary:
    """Match freshly stored claims against stored ones and the imported fact-checks.

    Writes ClaimMatch rows, sets `group_id` for automatic matches, records an event per
    decision and refreshes the priority of groups that grew. Idempotent: a pair already
    matched (or rejected by a reviewer) is never written again.
    """
    started = time.perf_counter()
    low, high = thresholds(settings)
    method = settings.match_method
    summary = MatchSummary(method=method)
    ids = sorted(set(claim_ids))
    if not ids:
        return summary
    index = claim_index(session=session, method=method, exclude=frozenset(ids))
    claims = list(session.scalars(select(Claim).where(Claim.id.in_(ids)).order_by(Claim.id)))
    # Claims never match claims of their own article, so one article's claims are all
    # queried first and decided with the rows they need loaded in three queries, not
    # three per claim; the next article then sees them in the index.
    for _, batch in groupby(claims, key=lambda c: c.article_id or -c.id):
        article_claims = list(batch)
        found: list[tuple[Claim, list[Candidate]]] = []
        for claim in article_claims:
            summary.claims += 1
            candidates = index.query(
                claim.text,
                limit=MAX_MATCHES_PER_CLAIM,
                min_score=low,
                exclude_ids=frozenset({claim.id}),
                exclude_article=claim.article_id,
            )
            if candidates:
                found.append((claim, candidates))
        if found:
            rows = _DecisionRows.load(session, found)
            for claim, candidates in found:
                _decide(session, claim, candidates, rows, high=high, method=method,
                        summary=summary)  # fmt: skip
            session.flush()
        for claim in article_claims:
            index.add(claim.id, claim.text, article_id=claim.article_id, origin=claim.origin)
    if summary.groups:
        refresh_priorities(session=session, claim_ids=sorted(summary.groups))
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass
class _DecisionRows:
    """The stored claims and pairs that deciding one article's matches reads."""

    others: dict[int, Claim]
    canonicals: dict[int, Claim]
    existing: set[tuple[int, int]]

    @classmethod
    def load(cls, session: Session, found: list[tuple[Claim, list[Candidate]]]) -> _DecisionRows:
        other_ids = {cand.claim_id for _, cands in found for cand in cands}
        others = {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(other_ids)))}
        canonical_ids = {o.group_id for o in others.values() if o.group_id is not None}
        canonicals = {
            c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(canonical_ids)))
        }
        claim_ids = [claim.id for claim, _ in found]
        pairs = session.execute(
            select(ClaimMatch.claim_id, ClaimMatch.matched_claim_id).where(
                (ClaimMatch.claim_id.in_(claim_ids) & ClaimMatch.matched_claim_id.in_(other_ids))
                | (ClaimMatch.matched_claim_id.in_(claim_ids) & ClaimMatch.claim_id.in_(other_ids))
            )
        ).all()
        return cls(others, canonicals, {(int(a), int(b)) for a, b in pairs})


def _decide(
    session: Session,
    claim: Claim,
    candidates: list[Candidate],
    rows: _DecisionRows,
    *,
    high: float,
    method: str,
    summary: MatchSummary,
) -> None:
    others, canonicals, existing = rows.others, rows.canonicals, rows.existing
    now = now_utc()
    group: int | None = claim.group_id if claim.origin == "extracted" else None
    for cand in candidates:
        other = others.get(cand.claim_id)
        if other is None or (claim.origin == "reference" and other.origin == "reference"):
            continue
        if claim.origin == "reference":
            # A newly imported fact-check: suggest it to the open extracted claims it matches.
            if other.status == "reviewed" or (other.id, claim.id) in existing:
                continue
            _write(session, other, claim, cand, "suggested", method, now)
            summary.suggested += 1
            continue
        if (claim.id, other.id) in existing:
            continue
        canonical = canonicals.get(other.group_id) if other.group_id else other
        canonical = canonical or other
        eligible = (
            cand.score >= high
            and cand.verdict is Verdict.OK
            and other.origin == "extracted"
            and canonical.status in OPEN_FOR_GROUPING
        )
        if eligible and group is None:
            group = canonical.id
            if canonical.group_id is None:
                canonical.group_id = canonical.id
            claim.group_id = group
            summary.grouped_claims.append(claim.id)
            summary.groups.add(group)
        status = "auto" if eligible and canonical.id == group else "suggested"
        _write(session, claim, other, cand, status, method, now)
        if status == "auto":
            summary.auto += 1
        else:
            summary.suggested += 1


def _write(
    session: Session,
    claim: Claim,
    other: Claim,
    cand: Candidate,
    status: str,
    method: str,
    now: object,
) -> None:
    session.add(
        ClaimMatch(
            claim_id=claim.id,
            matched_claim_id=other.id,
            score=cand.score,
            method=method,
            status=status,
        )
    )
    data: dict[str, object] = {
        "matched_claim_id": other.id,
        "score": cand.score,
        "method": method,
        "status": status,
    }
    if cand.reason:
        data["why_not_auto"] = cand.reason
    if status == "auto":
        data["group_id"] = claim.group_id
    record_event(
        session=session,
        claim_id=claim.id,
        actor=MATCHER_ACTOR,
        action="match_auto" if status == "auto" else "match_suggested",
        note=_note(other, cand, status),
        data=data,
    )


def _note(other: Claim, cand: Candidate, status: str) -> str:
    if other.origin == "reference":
        return f"matches imported fact-check #{other.id} ({cand.score:.2f})"
    if status == "auto":
        return f"joined the group of claim #{other.group_id or other.id} ({cand.score:.2f})"
    return f"may repeat claim #{other.id} ({cand.score:.2f})"
