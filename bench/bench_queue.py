"""Queue benchmark: `queue next` latency on 1,000,000 claims, leases/s with 8 reviewers.

Builds a throwaway database per backend (a SQLite file under /tmp; a PostgreSQL
database it creates and drops), fills it with bulk inserts (executemany / COPY), then:

- times `lease_next` (one transaction each, as `factcheck queue next` runs it, minus the
  process start) and `list_queue` (top 50): p50 / p95 / max in milliseconds;
- on PostgreSQL, runs 8 reviewer processes leasing concurrently: leases/s, and checks
  that no claim was leased twice;
- prints the query plans of the lease pick and the expiry sweep (index use).

    .venv/bin/python bench/bench_queue.py                    # both backends, 1M claims
    .venv/bin/python bench/bench_queue.py --backend sqlite --claims 200000
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from factcheck.db.models import Claim  # noqa: E402
from factcheck.db.session import Database, make_engine, upgrade  # noqa: E402
from factcheck.workflow.queue import QueueFilters, _conditions, _ordered, lease_next, list_queue  # noqa: E402

PG_ADMIN = os.environ.get(
    "FACTCHECK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SOURCE_TYPES = ("official", "expert", "media", "organization", "witness", "unknown")
KINDS = ("fact", "statistic", "opinion", "prediction")


def _rows(n: int, n_articles: int, seed: int = 7) -> Any:
    """Claims as tuples: 70% new, 15% reviewed, 5% in review (live leases, a few
    expired), 5% skipped, 5% needs_info; 10% are members of a matched group."""
    rnd = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    for i in range(1, n + 1):
        r = rnd.random()
        status = (
            "new"
            if r < 0.70
            else "reviewed"
            if r < 0.85
            else "in_review"
            if r < 0.90
            else "skipped"
            if r < 0.95
            else "needs_info"
        )
        lease = None
        assigned = None
        if status == "in_review":
            assigned = f"r{i % 20}"
            # 1 in 50 leases already ran out: the sweep must find them cheaply.
            lease = now + timedelta(minutes=-5 if i % 50 == 0 else 30)
        group = rnd.randint(1, i - 1) if i > 1 and rnd.random() < 0.10 else None
        yield (
            i,
            1 + i % n_articles,
            "extracted",
            f"Claim {i}: the ministry said {i % 977} people were hurt.",
            f"the ministry said {i % 977} people were hurt",
            KINDS[i % 4],
            rnd.random() < 0.2,
            round(rnd.random(), 4),
            round(rnd.random(), 6),
            status,
            "false" if status == "reviewed" and i % 3 == 0 else None,
            assigned,
            lease,
            group,
            1,
            now,
            now,
        )


CLAIM_COLS = (
    "id, article_id, origin, text, quote, kind, hedged, checkworthiness, priority, status, "
    "verdict, assigned_to, lease_expires_at, group_id, version, created_at, updated_at"
)


def _load_sqlite(path: Path, n: int) -> str:
    import sqlite3

    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    n_articles = max(n // 20, 1)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    conn.executemany(
        "INSERT INTO articles (id, text, content_hash, ingested_at, version) "
        "VALUES (?, ?, ?, ?, 1)",
        ((a, f"article {a}", f"sha256:{a}", now) for a in range(1, n_articles + 1)),
    )
    conn.executemany(
        "INSERT INTO sources (id, canonical_name, key, type, named, created_at, scope, version) "
        "VALUES (?, ?, ?, ?, ?, ?, 0, 1)",
        ((s, f"S{s}", f"s{s}", SOURCE_TYPES[s % 6], s % 3 != 0, now) for s in range(1, 2001)),
    )

    def fmt(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(v.isoformat(sep=" ") if isinstance(v, datetime) else v for v in row)

    conn.executemany(
        f"INSERT INTO claims ({CLAIM_COLS}) VALUES ({', '.join('?' * 17)})",
        (fmt(r) for r in _rows(n, n_articles)),
    )
    conn.executemany(
        "INSERT INTO claim_sources (claim_id, source_id, position) VALUES (?, ?, 0)",
        ((i, 1 + (i * 7919) % 2000) for i in range(1, n + 1)),
    )
    conn.commit()
    conn.close()
    return url


def _load_pg(url: str, n: int) -> None:
    import psycopg

    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    n_articles = max(n // 20, 1)
    with psycopg.connect(url.replace("+psycopg", "")) as conn, conn.cursor() as cur:
        now = datetime.now(UTC)
        with cur.copy(
            "COPY articles (id, text, content_hash, ingested_at, version) FROM STDIN"
        ) as cp:
            for a in range(1, n_articles + 1):
                cp.write_row((a, f"article {a}", f"sha256:{a}", now, 1))
        with cur.copy(
            "COPY sources (id, canonical_name, key, type, named, created_at, scope, version) "
            "FROM STDIN"
        ) as cp:
            for s in range(1, 2001):
                cp.write_row((s, f"S{s}", f"s{s}", SOURCE_TYPES[s % 6], s % 3 != 0, now, 0, 1))
        # Group members point at lower ids, so the deferred-free FK holds row by row.
        with cur.copy(f"COPY claims ({CLAIM_COLS}) FROM STDIN") as cp:
            for row in _rows(n, n_articles):
                cp.write_row(
                    tuple(v.replace(tzinfo=UTC) if isinstance(v, datetime) else v for v in row)
                )
        with cur.copy("COPY claim_sources (claim_id, source_id, position) FROM STDIN") as cp:
            for i in range(1, n + 1):
                cp.write_row((i, 1 + (i * 7919) % 2000, 0))
        for table in ("articles", "sources", "claims", "claim_sources"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        conn.commit()
        conn.autocommit = True
        cur.execute("VACUUM ANALYZE claims")
        cur.execute("VACUUM ANALYZE claim_sources")


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _latency(db: Database, calls: int, *, filters: QueueFilters | None = None) -> dict[str, float]:
    lease_ms, list_ms, cpu_ms = [], [], []
    for i in range(calls):
        t0, c0 = time.perf_counter(), time.process_time()
        with db.session() as s:
            claim = lease_next(session=s, reviewer=f"bench{i % 8}", filters=filters)
            assert claim is not None
        lease_ms.append((time.perf_counter() - t0) * 1000)
        cpu_ms.append((time.process_time() - c0) * 1000)
        if i % 5 == 0:
            t0 = time.perf_counter()
            with db.session() as s:
                list_queue(session=s, limit=50)
            list_ms.append((time.perf_counter() - t0) * 1000)
    return {
        "next_p50": statistics.median(lease_ms),
        "next_p95": _pct(lease_ms, 95),
        "next_max": max(lease_ms),
        "next_cpu_p50": statistics.median(cpu_ms),
        "list50_p50": statistics.median(list_ms),
        "list50_p95": _pct(list_ms, 95),
    }


def _print_latency(label: str, lat: dict[str, float], calls: int) -> None:
    print(
        f"{label}: queue next over {calls} calls: p50 {lat['next_p50']:.2f} ms, "
        f"p95 {lat['next_p95']:.2f} ms, max {lat['next_max']:.2f} ms "
        f"(client CPU p50 {lat['next_cpu_p50']:.2f} ms); "
        f"queue list (top 50): p50 {lat['list50_p50']:.2f} ms, p95 {lat['list50_p95']:.2f} ms"
    )


def _plans(db: Database) -> None:
    now = datetime.now(UTC)
    with db.session() as session:  # (the filter builder needs one only for text search)
        pick = _ordered(
            select(Claim.id).where(*_conditions(session, QueueFilters(), statuses=("new",)))
        )
        by_type = _ordered(
            select(Claim.id).where(
                *_conditions(session, QueueFilters(source_types=("official",)), statuses=("new",))
            )
        ).limit(1)
    pick = pick.limit(1)
    sweep = select(Claim.id).where(Claim.lease_expires_at < now).order_by(Claim.lease_expires_at)
    with db.engine.connect() as conn:
        dialect = conn.dialect
        for name, stmt in (
            ("lease pick", pick),
            ("lease pick --source-type official", by_type),
            ("expiry sweep", sweep),
        ):
            if dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True) if "pick" in name else stmt
            sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
            prefix = (
                "EXPLAIN QUERY PLAN "
                if dialect.name == "sqlite"
                else "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) "
            )
            rows = conn.exec_driver_sql(prefix + sql).all()
            print(f"  plan of the {name}:")
            for row in rows:
                print("    " + " | ".join(str(c) for c in row[-1:]))
        conn.rollback()


def _worker(url: str, name: str, calls: int, barrier: Any, out: Any) -> None:
    db = Database(make_engine(url))
    got = []
    barrier.wait(timeout=120)
    t0 = time.perf_counter()
    for _ in range(calls):
        with db.session() as s:
            claim = lease_next(session=s, reviewer=name)
            got.append(claim.id if claim else None)
    out.put((name, got, time.perf_counter() - t0))
    db.dispose()


def _concurrent(url: str, workers: int, calls: int) -> None:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(workers + 1)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(url, f"w{i}", calls, barrier, out))
        for i in range(workers)
    ]
    for p in procs:
        p.start()
    barrier.wait(timeout=120)
    t0 = time.perf_counter()
    results = [out.get(timeout=600) for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    leased = [c for _, got, _ in results for c in got]
    dupes = [c for c, k in Counter(leased).items() if k > 1]
    print(
        f"postgresql: {workers} concurrent reviewers x {calls} queue next: "
        f"{len(leased)} leases in {wall:.2f} s = {len(leased) / wall:.0f} leases/s; "
        f"claims leased twice: {len(dupes)}; empty answers: {leased.count(None)}"
    )


def bench_sqlite(n: int, calls: int) -> None:
    with tempfile.TemporaryDirectory(prefix="fc_bench_") as tmp:
        path = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        url = _load_sqlite(path, n)
        print(f"sqlite: loaded {n:,} claims in {time.perf_counter() - t0:.1f} s ({path})")
        db = Database(make_engine(url))
        _latency(db, 20)  # warm the page cache
        _print_latency("sqlite", _latency(db, calls), calls)
        lat = _latency(db, max(calls // 5, 20), filters=QueueFilters(source_types=("official",)))
        _print_latency("sqlite --source-type official", lat, max(calls // 5, 20))
        _plans(db)
        db.dispose()


def bench_pg(n: int, calls: int, workers: int, per_worker: int) -> None:
    name = f"fc_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    try:
        t0 = time.perf_counter()
        _load_pg(url, n)
        print(f"postgresql: loaded {n:,} claims in {time.perf_counter() - t0:.1f} s ({name})")
        db = Database(make_engine(url))
        _latency(db, 20)
        _print_latency("postgresql", _latency(db, calls), calls)
        lat = _latency(db, max(calls // 5, 20), filters=QueueFilters(source_types=("official",)))
        _print_latency("postgresql --source-type official", lat, max(calls // 5, 20))
        _plans(db)
        db.dispose()
        _concurrent(url, workers, per_worker)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=500, help="timed queue next calls")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--workers", type=int, default=8, help="concurrent PG reviewers")
    parser.add_argument("--per-worker", type=int, default=250, help="leases per PG reviewer")
    args = parser.parse_args()
    # Latency on a shared machine is mostly waiting for a CPU: say how busy it was.
    print(
        "load average at start: {:.1f} {:.1f} {:.1f} on {} CPUs".format(
            *os.getloadavg(), os.cpu_count()
        )
    )
    if args.backend in ("sqlite", "both"):
        bench_sqlite(args.claims, args.calls)
    if args.backend in ("postgresql", "both"):
        bench_pg(args.claims, args.calls, args.workers, args.per_worker)
    print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, line_buffering=True)
    main()
