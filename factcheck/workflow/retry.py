"""Concurrent reviews without deadlocks or lost verdicts (PostgreSQL; SQLite serialises).

A verdict changes the reviewed claim *and* the queue priority of the open claims of the
same sources (their source record just changed). Two reviewers of claims that share a
source used to lock those rows in different orders (each its own claim first) and
PostgreSQL killed one of them with a deadlock, losing the verdict. Now:

- a review first locks the claim it changes (`lock_claim`: the only lock it may wait
  for, taken while it holds no other), and takes the claims to re-rank only just before
  re-ranking them, with SKIP LOCKED (`lock_free_claims`), so it never waits while it
  holds a lock, and transactions that never wait holding a lock cannot wait on each
  other in a cycle. The re-ranked rows stay locked only for the UPDATE and the commit,
  so leasing (which skips locked rows) rarely finds them all taken. A claim to re-rank
  that another transaction is writing at that instant (being leased, reviewed or
  re-ranked by a parallel verdict) keeps its priority until the next re-ranking of its
  sources or `factcheck queue refresh`; the verdict never waits for it;
- `retry_transient` runs the review in a savepoint and, should PostgreSQL still report a
  deadlock or a serialisation failure (an unforeseen writer, another isolation level),
  rolls back to the savepoint and runs it again, with jittered exponential back-off;
- what still fails becomes one ConflictError: the CLI prints it on one line, the web
  shows it with the reviewer's form kept (409), the API answers it as JSON.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from factcheck.db.models import Claim
from factcheck.db.session import is_transient
from factcheck.errors import ConflictError

T = TypeVar("T")

ATTEMPTS = 5
BACKOFF_SECONDS = 0.02  # doubled per attempt, times a random factor in [0.5, 1.5)
# Transient failures retried in this process so far (bench/bench_hardening.py reports it).
retried = [0]


def lock_claim(session: Session, claim_id: int) -> None:
    """Lock the claim a review changes: the one lock a review may wait for, taken first."""
    session.scalars(select(Claim.id).where(Claim.id == claim_id).with_for_update()).all()


def lock_free_claims(session: Session, claim_ids: Iterable[int]) -> list[int]:
    """Lock whichever of these claims no other transaction holds (never waits)."""
    ids = sorted(set(claim_ids))
    if not ids:
        return []
    stmt = (
        select(Claim.id)
        .where(Claim.id.in_(ids))
        .order_by(Claim.id)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(stmt).all())


def retry_transient(
    session: Session,
    work: Callable[[], T],
    *,
    what: str,
    attempts: int = ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`work()` in a savepoint, run again when the database reports a transient conflict."""
    if session.get_bind().dialect.name != "postgresql":
        return work()
    for attempt in range(attempts):
        try:
            with session.begin_nested():
                return work()
        except DBAPIError as exc:
            if not is_transient(exc):
                raise
            retried[0] += 1
            if attempt + 1 < attempts:
                sleep(BACKOFF_SECONDS * 2**attempt * random.uniform(0.5, 1.5))
    raise ConflictError(
        f"{what}: other reviewers' changes to the same claims kept colliding with yours "
        f"({attempts} tries); nothing was saved. Send it again"
    )
