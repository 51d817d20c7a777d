"""The review queue: listing by priority, atomic leases, release and lease expiry.

Several fact-checkers call `lease_next` at once; each gets the highest-priority free
claim and no two ever get the same one:

- PostgreSQL: ``UPDATE ... WHERE id = (SELECT ... LIMIT 1 FOR UPDATE SKIP LOCKED)
  RETURNING id``, one round trip; a row another reviewer is taking is skipped, not
  waited for.
- SQLite: the transaction is opened with ``BEGIN IMMEDIATE`` (it holds the write lock
  from the start, so nobody can slip in between reading and writing) and the lease is
  one ``UPDATE ... WHERE id = (SELECT ... LIMIT 1) RETURNING id`` statement.

Leases, releases and expiries are status changes like any other: each goes through the
state machine's one guarded UPDATE (factcheck.workflow.review.guarded_update), which
checks the transition table and writes the Event in the same transaction.

A lease lasts `lease_minutes`; an expired lease counts as free: the next `lease_next`
(or `expire_leases`) returns the claim to ``new`` with an ``expire`` event first. Each
group of matched claims is offered once (its canonical claim), reference claims
(imported fact-checks) never. Every lease and release writes an Event.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from factcheck.db.lists import ClaimQuery, claim_conditions, load_claims
from factcheck.db.models import Claim, ClaimSource
from factcheck.errors import TransitionError, UsageError
from factcheck.public import OPEN_STATUSES, STATUSES, ClaimStatus
from factcheck.workflow.review import CLAIMS, get_claim, guarded_update, now_utc, transition

__all__ = ["OPEN_STATUSES", "QueueFilters", "expire_leases", "lease_next", "list_queue", "release"]


@dataclass(frozen=True)
class QueueFilters:
    """What part of the queue to look at. Empty tuples mean "any"."""

    statuses: tuple[str, ...] = tuple(OPEN_STATUSES)
    source_types: tuple[str, ...] = ()
    article_ids: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()
    assigned_to: str | None = None

    def as_query(self) -> ClaimQuery:
        """The same filter as a claim list's query, seen as the queue sees claims."""
        return ClaimQuery(
            statuses=self.statuses,
            source_types=self.source_types,
            article_ids=self.article_ids,
            kinds=self.kinds,
            assigned_to=self.assigned_to,
            queue_view=True,
        )

    def validated(self) -> QueueFilters:
        self.as_query().validated()
        return self


def statuses_from(text: str | None) -> tuple[str, ...]:
    """The statuses a filter names: "open" (the default) or "all", or statuses separated
    by commas; the CLI, the queue page and the API read the same words."""
    if text is None or text.strip() in ("", "open"):
        return tuple(OPEN_STATUSES)
    if text.strip() == "all":
        return tuple(STATUSES)
    return tuple(s.strip() for s in text.split(",") if s.strip())


def _conditions(
    session: Session, filters: QueueFilters, *, statuses: Sequence[str]
) -> list[ColumnElement[bool]]:
    return claim_conditions(session, filters.as_query(), statuses)


def _ordered(stmt: Select[Any]) -> Select[Any]:
    # Both columns descending so that ix_claims_queue (status, priority, id) is walked
    # backwards with no sort; among equal priorities the newer claim comes first.
    return stmt.order_by(Claim.priority.desc(), Claim.id.desc())


def list_queue(
    *,
    session: Session,
    filters: QueueFilters | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Claim]:
    """Claims in priority order, with their article and sources loaded (three queries).

    Several statuses are read as one index walk per status, merged: a plain
    ``status IN (...) ORDER BY priority`` would sort every open claim (seconds at 1M).
    """
    filters = (filters or QueueFilters()).validated()
    statuses = filters.statuses or STATUSES
    if len(statuses) == 1:
        ids_stmt: Select[Any] = _ordered(
            select(Claim.id).where(*_conditions(session, filters, statuses=statuses))
        )
        ids_stmt = ids_stmt.limit(limit).offset(offset)
    else:
        branches = [
            _ordered(
                select(Claim.id, Claim.priority).where(
                    *_conditions(session, filters, statuses=(status,))
                )
            )
            .limit(limit + offset)
            .subquery()
            for status in statuses
        ]
        merged = union_all(*(select(b.c.id, b.c.priority) for b in branches)).subquery()
        ids_stmt = (
            select(merged.c.id)
            .order_by(merged.c.priority.desc(), merged.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
    return load_claims(session, list(session.scalars(ids_stmt).all()))


def _begin_immediate(session: Session) -> None:
    """Take SQLite's write lock now, not at the first write.

    pysqlite (default mode) opens a transaction only before a DML statement, so a session
    that has only read has no SQLite transaction yet and BEGIN IMMEDIATE can be issued on
    its connection; one that already wrote holds the write lock anyway.
    """
    conn = session.connection()
    dbapi = conn.connection.dbapi_connection
    if dbapi is not None and not getattr(dbapi, "in_transaction", True):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def expire_leases(*, session: Session, now: datetime | None = None) -> list[int]:
    """Return claims whose lease ran out to ``new``, each with an ``expire`` event."""
    now = now or now_utc()
    # Only in-review claims carry a lease, so the range on ix_claims_lease alone finds the
    # expired ones (a status condition would tempt planners into the much larger queue
    # index); the guarded UPDATE below re-checks the status.
    stmt = (
        select(Claim.id, Claim.assigned_to, Claim.lease_expires_at)
        .where(Claim.lease_expires_at < now)
        .order_by(Claim.lease_expires_at)
        .limit(500)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    expired = []
    for claim_id, holder, expires in session.execute(stmt).all():
        # Guarded: a claim another session already expired or re-leased matches nothing.
        changed = guarded_update(
            session=session,
            target=CLAIMS.c.id == claim_id,
            from_status=ClaimStatus.in_review,
            to_status=ClaimStatus.new,
            actor="system",
            action="expire",
            at=now,
            conditions=[CLAIMS.c.lease_expires_at < now],
            note=f"lease of {holder} expired",
            data={"reviewer": holder, "expired_at": expires.isoformat() if expires else None},
        )
        if changed is not None:
            expired.append(changed)
    return expired


# A lease that found only claims locked for a moment looks again, with a back-off
# (about 5, 10, 20 … ms; 1.3 s in all at the most).
_LEASE_RETRIES = 8
_LEASE_BACKOFF_S = 0.005


def _take(
    *,
    session: Session,
    pick: Select[Any],
    reviewer: str,
    now: datetime,
    expires: datetime,
    lease_minutes: int,
) -> int | None:
    """One attempt: lease the claim `pick` selects, in the guarded transition."""
    # correlate(None): the subquery reads claims itself, not the row being updated.
    return guarded_update(
        session=session,
        target=CLAIMS.c.id == pick.correlate(None).scalar_subquery(),
        from_status=ClaimStatus.new,
        to_status=ClaimStatus.in_review,
        actor=reviewer,
        action="lease",
        at=now,
        values={"assigned_to": reviewer, "lease_expires_at": expires},
        data={"lease_expires_at": expires.isoformat(), "lease_minutes": lease_minutes},
    )


def lease_next(
    *,
    session: Session,
    reviewer: str,
    lease_minutes: int = 30,
    filters: QueueFilters | None = None,
    now: datetime | None = None,
) -> Claim | None:
    """Lease the highest-priority free claim to `reviewer`; None when the queue is empty.

    Only ``new`` claims are leased (expired leases are returned to ``new`` first); the
    claim becomes ``in_review`` with `assigned_to` and `lease_expires_at` set, its version
    bumped and a ``lease`` event written, all in the caller's transaction. `filters`
    narrows by kind, article and source type; its statuses are ignored.
    """
    if not reviewer.strip():
        raise UsageError("a reviewer name is needed to take a claim from the queue")
    if lease_minutes < 1:
        raise UsageError("a lease lasts at least one minute")
    filters = (filters or QueueFilters()).validated()
    now = now or now_utc()
    expires = now + timedelta(minutes=lease_minutes)
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        _begin_immediate(session)
    expire_leases(session=session, now=now)
    pick = _ordered(
        select(Claim.id).where(*_conditions(session, filters, statuses=(ClaimStatus.new,)))
    ).limit(1)
    if dialect == "postgresql":
        # Rows another reviewer is taking right now are skipped, not waited for; a row
        # leased and committed meanwhile is re-checked by PostgreSQL and passed over.
        pick = pick.with_for_update(skip_locked=True)
    claim_id = _take(
        session=session,
        pick=pick,
        reviewer=reviewer,
        now=now,
        expires=expires,
        lease_minutes=lease_minutes,
    )
    if claim_id is None and dialect == "postgresql":
        # SKIP LOCKED also passes over claims a review is re-ranking at this instant (it
        # locks the source's other open claims for a moment): "empty" would be wrong
        # while free claims exist, so wait a little and look again, since each statement
        # sees what has been committed since.
        waiting = select(
            exists(
                select(Claim.id).where(*_conditions(session, filters, statuses=(ClaimStatus.new,)))
            )
        )
        for attempt in range(_LEASE_RETRIES):
            if not session.scalar(waiting):
                break
            time.sleep(_LEASE_BACKOFF_S * (2**attempt) * (0.5 + random.random()))
            claim_id = _take(
                session=session,
                pick=pick,
                reviewer=reviewer,
                now=now,
                expires=expires,
                lease_minutes=lease_minutes,
            )
            if claim_id is not None:
                break
    if claim_id is None:
        return None
    session.flush()
    return session.scalars(
        select(Claim)
        .where(Claim.id == claim_id)
        .options(
            joinedload(Claim.article),
            selectinload(Claim.sources).joinedload(ClaimSource.source),
        )
        .execution_options(populate_existing=True)
    ).one()


def release(
    *,
    session: Session,
    claim_id: int,
    actor: str,
    note: str | None = None,
    expected_version: int | None = None,
    force: bool = False,
) -> Claim:
    """Give a leased claim back to the queue (``in_review -> new``).

    Only the lease holder may release an active lease, unless `force` (an editor freeing
    a claim someone forgot); a claim that is not in review raises TransitionError.
    """
    claim = get_claim(session=session, claim_id=claim_id)
    if claim.status != ClaimStatus.in_review:
        raise TransitionError(f"claim #{claim_id} is not leased (it is {claim.status})")
    holder = claim.assigned_to
    return transition(
        session=session,
        claim_id=claim_id,
        to_status=ClaimStatus.new,
        actor=actor,
        action="release",
        note=note,
        data={"reviewer": holder} if holder else None,
        expected_version=expected_version,
        force=force,
    )


def leases_of(*, session: Session, reviewer: str, now: datetime | None = None) -> list[Claim]:
    """The claims `reviewer` holds a live lease on, soonest expiry first."""
    now = now or now_utc()
    return list(
        session.scalars(
            select(Claim)
            .where(
                Claim.status == ClaimStatus.in_review,
                Claim.assigned_to == reviewer,
                Claim.lease_expires_at >= now,
            )
            .order_by(Claim.lease_expires_at)
        ).all()
    )
