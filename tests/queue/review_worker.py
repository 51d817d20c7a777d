"""A reviewer process for the review-concurrency test and bench/bench_hardening.py.

Each one leases the next claim and records a verdict on it, `calls` times, as
`factcheck queue next` then `factcheck claims review` would (two transactions). With
`direct=True` every other verdict goes to a random open claim without a lease (a
reviewer working from a link), so verdicts on claims of the same sources interleave.
"""

from __future__ import annotations

import random
import time
from typing import Any

from sqlalchemy import select

from factcheck.db.models import Claim
from factcheck.db.session import Database, make_engine
from factcheck.errors import ConflictError, TransitionError
from factcheck.verdicts import DEFAULT_SCALE
from factcheck.workflow import retry
from factcheck.workflow.queue import lease_next
from factcheck.workflow.review import review_claim


def review_claims(
    url: str, reviewer: str, calls: int, barrier: Any, results: Any, direct: bool = False
) -> None:
    rnd = random.Random(reviewer)
    keys = list(DEFAULT_SCALE.keys)
    reviewed: list[int] = []
    leased: list[int] = []
    conflicts: list[str] = []
    error: str | None = None
    db = Database(make_engine(url))
    started = time.perf_counter()
    try:
        barrier.wait(timeout=60)
        started = time.perf_counter()
        for i in range(calls):
            version: int | None
            if direct and i % 2:
                with db.session() as session:
                    ids = session.scalars(
                        select(Claim.id).where(Claim.status == "new").limit(50)
                    ).all()
                if not ids:
                    continue
                claim_id, version = rnd.choice(ids), None
            else:
                with db.session() as session:
                    claim = lease_next(session=session, reviewer=reviewer, lease_minutes=30)
                    if claim is None:
                        continue
                    claim_id, version = claim.id, claim.version
                    leased.append(claim_id)
            try:
                with db.session() as session:
                    review_claim(
                        session=session,
                        claim_id=claim_id,
                        actor=reviewer,
                        verdict=rnd.choice(keys),
                        note=f"{reviewer} #{i}",
                        expected_version=version,
                    )
                reviewed.append(claim_id)
            except (ConflictError, TransitionError) as exc:
                # Without a lease two reviewers may pick the same claim: one is first,
                # the other is told so. With a lease this must never happen.
                conflicts.append(f"{'direct' if version is None else 'leased'}: {exc}")
    except Exception as exc:  # reported to the caller, which fails with the message
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        db.dispose()
        elapsed = time.perf_counter() - started
        results.put((reviewer, reviewed, leased, conflicts, error, elapsed, retry.retried[0]))
