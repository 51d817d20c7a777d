"""Leases under real concurrency: many reviewers at once never get the same claim.

Processes (spawned, each with its own engine) on PostgreSQL and SQLite, threads on
SQLite. Every claim must be leased exactly once, with exactly one lease event.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from factcheck.db.models import Article, Claim, Event
from factcheck.db.session import Database, make_engine, upgrade
from factcheck.workflow.queue import lease_next
from tests.queue.lease_worker import take_claims


def _seed(url: str, n: int) -> list[int]:
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    with db.session() as s:
        article = Article(text="x", content_hash=f"sha256:{n}")
        s.add(article)
        s.flush()
        s.execute(
            insert(Claim),
            [
                {
                    "article_id": article.id,
                    "text": f"claim {i}",
                    "quote": f"claim {i}",
                    # Many equal priorities: ties must not make two reviewers collide.
                    "priority": (i % 7) / 7,
                    "checkworthiness": 0.5,
                }
                for i in range(n)
            ],
        )
        ids = list(s.scalars(select(Claim.id)).all())
    db.dispose()
    return ids


def _run_processes(url: str, workers: int, calls: int) -> dict[str, list[int | None]]:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(workers)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=take_claims, args=(url, f"r{i}", calls, barrier, results))
        for i in range(workers)
    ]
    for p in procs:
        p.start()
    out: dict[str, list[int | None]] = {}
    errors = []
    for _ in procs:
        reviewer, got, error = results.get(timeout=120)
        out[reviewer] = got
        if error:
            errors.append(f"{reviewer}: {error}")
    for p in procs:
        p.join(timeout=30)
    assert errors == []
    return out


def _check(url: str, ids: list[int], taken: dict[str, list[int | None]]) -> None:
    leased = [c for got in taken.values() for c in got]
    assert None not in leased, "a reviewer found the queue empty while claims were free"
    counts = Counter(leased)
    assert [c for c, n in counts.items() if n > 1] == []
    assert sorted(c for c in counts if c is not None) == sorted(ids)
    db = Database(make_engine(url))
    with db.session() as s:
        rows = s.execute(select(Claim.id, Claim.assigned_to, Claim.status, Claim.version)).all()
        owner = {c: r for r, got in taken.items() for c in got if c is not None}
        assert {(i, a, st, v) for i, a, st, v in rows} == {
            (i, owner[i], "in_review", 2) for i in ids
        }
        per_claim = Counter(s.scalars(select(Event.claim_id).where(Event.action == "lease")).all())
        assert per_claim == Counter(ids)
        # An empty queue now answers None to everyone.
        assert lease_next(session=s, reviewer="late") is None
    db.dispose()


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_8_processes_200_calls_each(pg_url: str) -> None:
    ids = _seed(pg_url, 8 * 200)
    taken = _run_processes(pg_url, workers=8, calls=200)
    assert all(len(got) == 200 for got in taken.values())
    _check(pg_url, ids, taken)


@pytest.mark.slow
def test_sqlite_4_processes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    ids = _seed(url, 4 * 100)
    taken = _run_processes(url, workers=4, calls=100)
    _check(url, ids, taken)


def test_sqlite_8_threads(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'threads.db'}"
    ids = _seed(url, 8 * 40)
    db = Database(make_engine(url))
    taken: dict[str, list[int | None]] = {}
    errors: list[str] = []
    barrier = threading.Barrier(8)

    def reviewer(name: str) -> None:
        got: list[int | None] = []
        try:
            barrier.wait(timeout=30)
            for _ in range(40):
                with db.session() as s:
                    claim = lease_next(session=s, reviewer=name)
                    got.append(None if claim is None else claim.id)
        except Exception as exc:
            errors.append(f"{name}: {exc}")
        taken[name] = got

    threads = [threading.Thread(target=reviewer, args=(f"t{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    db.dispose()
    assert errors == []
    _check(url, ids, taken)
    with Database(make_engine(url)).session() as s:
        assert s.scalar(select(func.count()).select_from(Claim)) == len(ids)


def _seed_shared_sources(url: str, n: int, sources: int) -> list[int]:
    """`n` claims, each attributed to two of a few sources: every verdict re-ranks many."""
    from factcheck.db.models import ClaimSource, Source

    ids = _seed(url, n)
    db = Database(make_engine(url))
    with db.session() as s:
        s.execute(
            insert(Source),
            [
                {"canonical_name": f"Source {i}", "key": f"source {i}", "type": "official"}
                for i in range(sources)
            ],
        )
        sids = list(s.scalars(select(Source.id).order_by(Source.id)).all())
        s.execute(
            insert(ClaimSource),
            [
                {"claim_id": c, "source_id": sids[(c * k) % sources], "position": p}
                for c in ids
                for p, k in enumerate((1, 3))
            ],
        )
    db.dispose()
    return ids


def _run_reviewers(url: str, workers: int, calls: int, direct: bool) -> list[tuple[Any, ...]]:
    from tests.queue.review_worker import review_claims

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(workers)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=review_claims, args=(url, f"r{i}", calls, barrier, results, direct))
        for i in range(workers)
    ]
    for p in procs:
        p.start()
    out = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    return out


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.parametrize("direct", [False, True], ids=["leased", "leased+direct"])
def test_postgres_8_reviewers_no_deadlock_no_lost_verdict(pg_url: str, direct: bool) -> None:
    ids = _seed_shared_sources(pg_url, 8 * 30, sources=5)
    out = _run_reviewers(pg_url, workers=8, calls=30, direct=direct)
    assert [r[4] for r in out if r[4]] == []  # no reviewer died (a deadlock did, before)
    leased_conflicts = [c for r in out for c in r[3] if c.startswith("leased")]
    assert leased_conflicts == []
    for r in out:  # an unleased loser is told another reviewer was first, on one line
        assert all("\n" not in c for c in r[3])
    reviewed = [c for r in out for c in r[1]]
    assert len(reviewed) == len(set(reviewed))
    leased = [c for r in out for c in r[2]]
    assert len(leased) == len(set(leased)), "a claim was leased twice"
    db = Database(make_engine(pg_url))
    with db.session() as s:
        stored = dict(
            s.execute(select(Claim.id, Claim.verdict).where(Claim.status == "reviewed")).all()
        )
        review_events = Counter(
            s.scalars(select(Event.claim_id).where(Event.action == "review")).all()
        )
    db.dispose()
    assert sorted(stored) == sorted(reviewed), "a verdict was lost (or appeared)"
    assert all(v is not None for v in stored.values())
    assert review_events == Counter(reviewed)
    assert set(stored) <= set(ids)
