"""Throughput of `factcheck check`: articles/s, claims/s and peak memory, SQLite and PostgreSQL.

Builds the corpus (bench/make_corpus.py, under /tmp) when missing, then runs
`factcheck check CORPUS --jobs N` as a user would, into a fresh SQLite file and a fresh
PostgreSQL database, and once more to time a rerun where everything is skipped.
Peak memory is sampled from /proc over the whole process tree (the writer plus its
extraction workers).

    python bench/bench_batch.py                 # 1,000 articles, --jobs 2, both backends
    python bench/bench_batch.py --backends sqlite --jobs 1
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from make_corpus import DEFAULT_OUT, SHARED, build  # noqa: E402

WORK = Path("/tmp/factcheck-bench")
PG_ADMIN = os.environ.get(
    "FACTCHECK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> tuple[int, int]:
    """(sum, max) resident bytes of `root` and all its descendants."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    tree = {root}
    changed = True
    while changed:
        changed = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                changed = True
    sizes = [rss.get(pid, 0) for pid in tree]
    return sum(sizes), max(sizes, default=0)


def run_check(corpus: Path, url: str, jobs: int, *extra: str) -> dict[str, float]:
    env = {**os.environ, "FACTCHECK_DATABASE_URL": url}
    cmd = [str(REPO / ".venv" / "bin" / "factcheck"), "check", str(corpus), "--jobs", str(jobs),
           "--format", "json", "--no-progress", *extra]  # fmt: skip
    peak = {"sum": 0, "max": 0}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        while proc.poll() is None:
            total, largest = _tree_rss(proc.pid)
            peak["sum"] = max(peak["sum"], total)
            peak["max"] = max(peak["max"], largest)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"factcheck check failed ({proc.returncode}): {err.strip()[-2000:]}")
    summary = json.loads(out)
    a = summary["articles"]
    return {
        "wall_s": wall,
        "batch_s": summary["seconds"],
        "articles": a["total"],
        "new": a["new"],
        "skipped": a["skipped"],
        "failed": a["failed"],
        "claims": summary["claims"],
        "articles_per_s": a["total"] / wall,
        "claims_per_s": summary["claims"] / wall,
        "peak_rss_mb": peak["sum"] / 2**20,
        "peak_process_mb": peak["max"] / 2**20,
        "cpu_s": cpu,
        "load": load,
    }


def pg_database() -> tuple[str, str] | None:
    try:
        import psycopg
    except ImportError:
        return None
    name = f"fc_bench_{uuid.uuid4().hex[:8]}"
    admin = PG_ADMIN.replace("+psycopg", "")
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        print(f"PostgreSQL not reachable ({exc}); skipping it")
        return None
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", name


def drop_pg(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(label: str, r: dict[str, float]) -> None:
    print(
        f"{label:<22} {r['articles']:>5.0f} articles ({r['new']:.0f} new, {r['skipped']:.0f} "
        f"skipped, {r['failed']:.0f} failed), {r['claims']:>6.0f} claims in {r['wall_s']:6.1f} s: "
        f"{r['articles_per_s']:6.1f} articles/s, {r['claims_per_s']:7.1f} claims/s, "
        f"peak {r['peak_rss_mb']:.0f} MB (largest process {r['peak_process_mb']:.0f} MB); "
        f"CPU {r['cpu_s']:.1f} s ({r['articles'] / max(r['cpu_s'], 1e-9):.1f} articles per CPU-s), "
        f"load {r['load']:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--rebuild", action="store_true", help="make the corpus again")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--no-match", action="store_true", help="measure without claim matching (check --no-match)"
    )
    args = parser.parse_args()
    extra = ("--no-match",) if args.no_match else ()

    if args.rebuild or not args.corpus.is_dir():
        counts = build(args.corpus, articles=args.articles, shared=SHARED, seed=7)
        print(f"corpus: {args.corpus} ({counts})")
    print(f"factcheck check {args.corpus} --jobs {args.jobs}  (cores: {os.cpu_count()})")
    for backend in args.backends.split(","):
        if backend == "sqlite":
            db = WORK / f"bench-{uuid.uuid4().hex[:6]}.db"
            url = f"sqlite:///{db}"
            try:
                report("sqlite first run", run_check(args.corpus, url, args.jobs, *extra))
                report("sqlite rerun", run_check(args.corpus, url, args.jobs, *extra))
            finally:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
        elif backend == "postgresql":
            created = pg_database()
            if created is None:
                continue
            url, name = created
            try:
                report("postgresql first run", run_check(args.corpus, url, args.jobs, *extra))
                report("postgresql rerun", run_check(args.corpus, url, args.jobs, *extra))
            finally:
                drop_pg(name)


if __name__ == "__main__":
    main()
