"""A reviewer process for the concurrency tests: take claims from the queue as fast as it can."""

from __future__ import annotations

from typing import Any

from factcheck.db.session import Database, make_engine
from factcheck.workflow.queue import lease_next


def take_claims(url: str, reviewer: str, calls: int, barrier: Any, results: Any) -> None:
    db = Database(make_engine(url))
    got: list[int | None] = []
    try:
        barrier.wait(timeout=60)
        for _ in range(calls):
            with db.session() as session:
                claim = lease_next(session=session, reviewer=reviewer, lease_minutes=30)
                got.append(None if claim is None else claim.id)
        results.put((reviewer, got, None))
    except Exception as exc:  # reported to the test, which fails with the message
        results.put((reviewer, got, f"{type(exc).__name__}: {exc}"))
    finally:
        db.dispose()
