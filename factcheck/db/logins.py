"""Login throttling: exponential back-off per account and per address, and its audit trail.

Each failed login counts against two keys, ``account:<name>`` and ``address:<ip>``.
The first `free` failures of a key cost nothing (typos); each one after that locks the
key for twice as long as the last (1 s, 2 s, 4 s, ... up to `max_seconds`). While a key
is locked every attempt is refused *before* the password is checked, even the right
one, so guessing costs the server no Argon2 time and gains the guesser nothing. A
successful login clears its account's count; an address's count is forgotten after
`FORGET_AFTER` without failures. The state lives in the database (not in one process's
memory) so that it holds across server workers and restarts.

Why no library: `limits` (the well-kept rate-limit library) counts requests in fixed
or moving windows with memory, Redis, Memcached or MongoDB storage. What is needed here
is a back-off that doubles per failure and is shared through the SQL database the
product already has; that is these few statements, not a window counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.db.events import record_event
from factcheck.db.models import LoginThrottle

FORGET_AFTER = timedelta(hours=1)
BASE_SECONDS = 1.0


@dataclass(frozen=True)
class ThrottlePolicy:
    account_free: int = 5
    address_free: int = 20
    max_seconds: float = 900.0


def _keys(name: str, address: str) -> dict[str, str]:
    return {
        "account": f"account:{name.strip().lower()[:200]}",
        "address": f"address:{address[:200]}",
    }


def login_wait(*, session: Session, name: str, address: str, now: datetime | None = None) -> float:
    """Seconds until this account and address may try again (0: now)."""
    now = now or datetime.now(UTC)
    rows = session.scalars(
        select(LoginThrottle).where(LoginThrottle.key.in_(_keys(name, address).values()))
    ).all()
    waits = [(r.locked_until - now).total_seconds() for r in rows if r.locked_until is not None]
    return max([0.0, *waits])


def _lock_for(failures: int, free: int, max_seconds: float) -> float:
    excess = failures - free
    if excess <= 0:
        return 0.0
    return float(min(BASE_SECONDS * 2 ** min(excess - 1, 30), max_seconds))


def _ensure_row(session: Session, key: str) -> None:
    """Create the key's row unless it exists, without racing a parallel first failure."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(
            pg_insert(LoginThrottle)
            .values(key=key, failures=0)
            .on_conflict_do_nothing(index_elements=["key"])
        )
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(
            sqlite_insert(LoginThrottle)
            .values(key=key, failures=0)
            .on_conflict_do_nothing(index_elements=["key"])
        )


def record_failure(
    *,
    session: Session,
    name: str,
    address: str,
    reason: str,
    policy: ThrottlePolicy,
    now: datetime | None = None,
) -> float:
    """Count a failed (or refused) login against both keys; returns the new wait in seconds."""
    now = now or datetime.now(UTC)
    wait = 0.0
    for kind, key in _keys(name, address).items():
        free = policy.account_free if kind == "account" else policy.address_free
        _ensure_row(session, key)
        # Row lock: two parallel guesses both count (PostgreSQL; SQLite has one writer).
        row = session.scalars(
            select(LoginThrottle)
            .where(LoginThrottle.key == key)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        if row.last_failure_at is not None and now - row.last_failure_at > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        seconds = _lock_for(row.failures, free, policy.max_seconds)
        row.locked_until = now + timedelta(seconds=seconds) if seconds else None
        wait = max(wait, seconds)
    record_event(
        session=session,
        actor=(name.strip() or "?")[:128],
        action="login_failed",
        data={"address": address, "reason": reason, "locked_seconds": wait},
        at=now,
    )
    session.flush()
    return wait


def record_success(*, session: Session, name: str, address: str) -> None:
    """A successful login: the account's count starts again (failures are the audit events)."""
    row = session.get(LoginThrottle, _keys(name, address)["account"])
    if row is not None:
        session.delete(row)
        session.flush()


def record_logout(*, session: Session, name: str, why: str = "logout") -> None:
    record_event(session=session, actor=name[:128], action=why)
