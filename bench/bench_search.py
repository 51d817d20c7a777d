"""Search and list benchmark: the queue page's query (a page plus its total), a text
search, and the search page, on a large database (bench_queue's synthetic claims).

    .venv/bin/python bench/bench_search.py --backend sqlite --claims 200000
    .venv/bin/python bench/bench_search.py --backend postgresql --claims 200000

Prints p50 / p95 / max in milliseconds per query, one transaction per call.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_queue import _load_pg, _load_sqlite  # noqa: E402

from factcheck.db.lists import ClaimQuery, find_claims  # noqa: E402
from factcheck.db.session import Database, make_engine  # noqa: E402
from factcheck.public import STATUSES  # noqa: E402
from factcheck.workflow.search import search_everything  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _time(db: Database, calls: int, fn: Any) -> tuple[dict[str, float], Any]:
    out: list[float] = []
    result = None
    for _ in range(calls):
        t = time.perf_counter()
        with db.session() as s:
            result = fn(s)
        out.append((time.perf_counter() - t) * 1000)
    out.sort()
    return {
        "p50": statistics.median(out),
        "p95": out[int(0.95 * (len(out) - 1))],
        "max": out[-1],
    }, result


def run(db: Database, calls: int) -> None:
    cases = {
        "queue page (open, priority, total)": lambda s: (
            find_claims(session=s, query=ClaimQuery(), limit=50).total
        ),
        "queue page, verdict=false, all statuses": lambda s: (
            find_claims(
                session=s, query=ClaimQuery(statuses=tuple(STATUSES), verdicts=("false",)), limit=50
            ).total
        ),
        "text search 'hurt 977' (relevance)": lambda s: (
            find_claims(session=s, query=ClaimQuery(q="hurt 977"), limit=50).total
        ),
        "text search '\"people were hurt\" 12'": lambda s: (
            find_claims(session=s, query=ClaimQuery(q='"people were hurt" 12'), limit=50).total
        ),
        "search page (claims+articles+sources)": lambda s: (
            search_everything(session=s, q="ministry 12").claims.total
        ),
    }
    for label, fn in cases.items():
        lat, total = _time(db, calls, fn)
        print(
            f"  {label:42s} p50 {lat['p50']:8.1f}  p95 {lat['p95']:8.1f}  max {lat['max']:8.1f} ms"
            f"  (total {total})",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--claims", type=int, default=200_000)
    ap.add_argument("--calls", type=int, default=15)
    args = ap.parse_args()
    t = time.perf_counter()
    if args.backend == "sqlite":
        path = Path(tempfile.mkdtemp()) / "bench_search.db"
        url = _load_sqlite(path, args.claims)
        print(f"sqlite, {args.claims:,} claims, loaded in {time.perf_counter() - t:.0f}s")
        db = Database(make_engine(url))
        try:
            run(db, args.calls)
        finally:
            db.dispose()
        return
    name = f"fc_bench_search_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    try:
        _load_pg(url, args.claims)
        print(f"postgresql, {args.claims:,} claims, loaded in {time.perf_counter() - t:.0f}s")
        db = Database(make_engine(url))
        try:
            run(db, args.calls)
        finally:
            db.dispose()
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    main()
