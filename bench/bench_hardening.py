"""Hardening benchmark: bad input, kill -9 mid-batch, concurrent reviewers (issue 17).

Three parts, on throwaway databases (a SQLite file under /tmp; PostgreSQL databases it
creates and drops on FACTCHECK_TEST_PG_URL's server):

1. corpus: ~40 kinds of bad input, each checked by its own batch process under a time
   limit (60 s) and an address-space limit (4 GiB). Every input must end as a stored
   article or one-line errors, with no traceback, no hang and the process exiting 0.
2. kill: a 2-job batch over 80 articles killed with SIGKILL 5 times at different
   points, then run to the end: 0 lost, 0 duplicated articles or claims, 0 processes
   (workers, forkserver, resource tracker) left after any kill.
3. reviewers (PostgreSQL): 8 reviewer processes x 50 lease+review cycles on claims that
   share 5 sources (every verdict re-ranks many claims): deadlocks surfaced, verdicts
   lost, double leases, retried transient failures, reviews/s.

    .venv/bin/python bench/bench_hardening.py                 # everything, both backends
    .venv/bin/python bench/bench_hardening.py --parts corpus --backends sqlite
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import func, select  # noqa: E402

from factcheck.db.models import Article, ArticleExtraction, Claim, Event, RunError  # noqa: E402
from factcheck.db.session import Database, make_engine, upgrade  # noqa: E402
from tests.batch.fakes import sentences  # noqa: E402
from tests.batch.test_kill import alive, descendants  # noqa: E402

PG_ADMIN = os.environ.get(
    "FACTCHECK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
GOOD = "The mayor said the bridge will reopen in May. Repairs cost 4 million euros."
TIME_LIMIT = 60.0
MEMORY_LIMIT = 4 * 1024**3
MAX_FILE_MB = 5


# --- databases ----------------------------------------------------------------------


class Backend:
    def __init__(self, kind: str, tmp: Path) -> None:
        self.kind = kind
        self._name: str | None = None
        if kind == "sqlite":
            self.url = f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.db'}"
        else:
            self._name = f"fc_bench_{uuid.uuid4().hex[:8]}"
            admin = make_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{self._name}"')
            admin.dispose()
            self.url = PG_ADMIN.rsplit("/", 1)[0] + f"/{self._name}"
        engine = make_engine(self.url)
        upgrade(engine)
        engine.dispose()

    def db(self) -> Database:
        return Database(make_engine(self.url))

    def drop(self) -> None:
        if self._name is None:
            return
        admin = make_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)')
        admin.dispose()


def _counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {
            "articles": int(s.scalar(select(func.count(Article.id))) or 0),
            "extractions": int(s.scalar(select(func.count(ArticleExtraction.id))) or 0),
            "claims": int(s.scalar(select(func.count(Claim.id))) or 0),
            "errors": int(s.scalar(select(func.count(RunError.id))) or 0),
        }


# --- 1. the bad-input corpus ----------------------------------------------------------


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    return path


def build_corpus(root: Path) -> dict[str, Path]:
    """name -> input path (a file or a folder), one per kind of bad input."""
    c: dict[str, Path] = {}

    def good(n: int) -> str:  # a distinct article per input: duplicates would be skipped
        return f"{GOOD} Case {n}: the council said {n} roads will close."

    j = json.dumps
    c["nul_in_jsonl"] = _write(root / "nul.jsonl", j({"text": "A\u0000B. " + good(1)}) + "\n")
    c["nul_after_64k_txt"] = _write(root / "late.txt", b"x" * 70_000 + b". \x00" + good(2).encode())
    c["binary_txt"] = _write(root / "bin.txt", b"\x00\x01\x02PK" * 500)
    c["lone_surrogate_jsonl"] = _write(
        root / "sur.jsonl", '{"text": "x \\ud800 y. ' + good(3) + '"}\n'
    )
    c["deep_json_file"] = _write(root / "deep.json", "[" * 200_000 + "]" * 200_000)
    c["deep_jsonl_line"] = _write(root / "deepl.jsonl", '{"text":' + "[" * 100_000 + "\n")
    c["huge_int_jsonl"] = _write(root / "int.jsonl", '{"text": "a", "n": ' + "9" * 5000 + "}\n")
    c["huge_int_json"] = _write(root / "int.json", '[{"text": "a", "n": ' + "7" * 9000 + "}]")
    c["huge_published"] = _write(
        root / "pub.jsonl", '{"text": "' + good(4) + '", "published": ' + "9" * 400 + "}\n"
    )
    c["utf16_bom_txt"] = _write(root / "u16.txt", good(5).encode("utf-16"))
    c["utf16be_nobom_txt"] = _write(root / "u16be.txt", good(6).encode("utf-16-be"))
    c["utf32_txt"] = _write(root / "u32.txt", good(7).encode("utf-32"))
    c["utf16_jsonl"] = _write(root / "u16.jsonl", (j({"text": good(8)}) + "\n").encode("utf-16"))
    c["broken_utf16"] = _write(root / "bu16.txt", b"\xff\xfea\x00b\x00\x00\xd8")
    c["latin1_txt"] = _write(root / "latin1.txt", "Caf\u00e9 said so.".encode("latin-1"))
    c["empty_txt"] = _write(root / "empty.txt", b"")
    c["blank_txt"] = _write(root / "blank.txt", b"  \n\t\n ")
    c["utf8_bom_crlf"] = _write(root / "bom.txt", b"\xef\xbb\xbf" + good(9).encode() + b"\r\n")
    c["control_chars_txt"] = _write(root / "ctl.txt", "\x01\x02\x03\x04" * 2000 + good(10))
    names = root / "names"
    names.mkdir()
    with open(os.path.join(os.fsencode(names), b"caf\xe9.txt"), "wb") as fh:
        fh.write(good(11).encode())
    c["non_utf8_name"] = names
    c["newline_in_name"] = _write(root / "nl" / "two\nlines.txt", good(12))
    cyc = root / "cycle"
    (cyc / "sub").mkdir(parents=True)
    _write(cyc / "sub" / "a.txt", good(13))
    (cyc / "sub" / "up").symlink_to(cyc)
    (cyc / "sub" / "up2").symlink_to(cyc / "sub")
    c["symlink_cycle"] = cyc
    fifo = root / "fifo" / "pipe.txt"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    c["fifo_in_folder"] = fifo.parent
    c["fifo_named"] = fifo
    (root / "zero.txt").symlink_to("/dev/zero")
    c["dev_zero_symlink"] = root / "zero.txt"
    (root / "urandom.jsonl").symlink_to("/dev/urandom")
    c["dev_urandom_jsonl"] = root / "urandom.jsonl"
    (root / "gone.txt").symlink_to(root / "missing")
    c["broken_symlink"] = root / "gone.txt"
    sock_dir = root / "sock"
    sock_dir.mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_dir / "s.txt"))
    sock.close()
    c["socket_file"] = sock_dir
    c["proc_file"] = Path("/proc/self/status")
    c["oversize_txt"] = _write(root / "big.txt", b"word " * (MAX_FILE_MB * 1024 * 1024 // 5 + 100))
    c["oversize_jsonl_line"] = _write(
        root / "bigl.jsonl", j({"text": "w " * (MAX_FILE_MB * 1024 * 1024 // 2 + 10)}) + "\n"
    )
    c["long_single_line"] = _write(root / "long.txt", ("word " * 800_000).strip() + ".")
    deep = "<html><body>" + "<div>" * 300 + f"<p>{good(14)}</p>" + "</div>" * 300 + "</body></html>"
    c["html_300_levels"] = _write(root / "deep.html", deep)
    c["html_100k_levels"] = _write(root / "deeper.html", "<html><body>" + "<div>" * 100_000)
    c["html_no_text"] = _write(root / "nav.html", "<html><body><nav>Home</nav></body></html>")
    latin1 = f'<html><head><meta charset="latin-1"></head><body><p>Caf\u00e9. {good(15)}</p>'
    c["html_latin1_declared"] = _write(root / "l1.html", latin1.encode("latin-1"))
    c["html_bad_charset"] = _write(
        root / "bc.html", b'<html><head><meta charset="nope-9"></head><body>\xff\xfe</body></html>'
    )
    c["html_nul"] = _write(root / "nul.html", f"<html><body><p>{good(16)}\x00</p></body></html>")
    c["zip_as_txt"] = _write(root / "z.txt", b"PK\x03\x04" + os.urandom(4000))
    c["png_as_html"] = _write(root / "p.html", b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    c["jsonl_mixed"] = _write(
        root / "mixed.jsonl",
        "\n".join(
            ["[1, 2]", '{"title": "no text"}', '{"text": 5}', '{"text": "trunc', "{bad json}",
             '{"text": "ctrl \x01 char"}', j({"text": good(17), "title": "T" * 100_000})]
        ) + "\n",
    )  # fmt: skip
    c["jsonl_many_lines"] = _write(
        root / "many.jsonl",
        "".join(j({"text": f"Line {i}: the mayor said {i} bridges will reopen."}) + "\n"
                for i in range(200)),
    )  # fmt: skip
    c["json_dict_of_articles"] = _write(
        root / "arts.json", j({"articles": [{"text": good(18)}, None, {"text": ""}]})
    )
    c["unknown_extension"] = _write(root / "x" / "data.bin", b"\x00" * 100)
    return c


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    os.setsid()


def run_corpus(backend: Backend, root: Path) -> dict[str, Any]:
    corpus = build_corpus(root)
    db = backend.db()
    env = {**os.environ, "FACTCHECK_MAX_FILE_MB": str(MAX_FILE_MB)}
    rows = []
    for name, path in corpus.items():
        before = _counts(db)
        started = time.perf_counter()
        cmd = [sys.executable, "-m", "tests.batch.kill_target", backend.url, str(path), "1", "fast"]
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            preexec_fn=_limit_child,
        )  # fmt: skip
        try:
            out, err = proc.communicate(timeout=TIME_LIMIT)
            hung = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            hung = True
        seconds = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        after = _counts(db)
        with db.session() as s:
            messages = list(
                s.scalars(select(RunError.message).order_by(RunError.id).offset(before["errors"]))
            )
        stored = after["articles"] - before["articles"]
        errors = after["errors"] - before["errors"]
        text = (out + err).decode("utf-8", "replace")
        rows.append(
            {
                "input": name,
                "stored": stored,
                "errors": errors,
                "traceback": "Traceback" in text,
                "hung": hung,
                "rc": proc.returncode,
                "seconds": round(seconds, 2),
                "multi_line_error": any("\n" in m for m in messages),
                "first_error": messages[0][:90] if messages else "",
            }
        )
    db.dispose()
    bad = [
        r for r in rows
        if r["traceback"] or r["hung"] or r["rc"] != 0 or r["multi_line_error"]
        or (r["stored"] == 0 and r["errors"] == 0 and r["input"] != "unknown_extension")
    ]  # fmt: skip
    return {
        "inputs": len(rows),
        "tracebacks": sum(r["traceback"] for r in rows),
        "hangs": sum(r["hung"] for r in rows),
        "nonzero_exit": sum(r["rc"] != 0 for r in rows),
        "unaccounted_or_bad": [r["input"] for r in bad],
        "max_seconds": max(r["seconds"] for r in rows),
        "peak_rss_mb_any_child": round(peak_kb / 1024, 1),
        "rows": rows,
    }


# --- 2. kill -9 mid-batch ---------------------------------------------------------------


def run_kills(backend: Backend, root: Path, kills: int = 5, n: int = 80) -> dict[str, Any]:
    root.mkdir()
    texts = [f"Article {i}: the mayor said {i} bridges will reopen. It cost {i} euros."
             for i in range(n)]  # fmt: skip
    for i, text in enumerate(texts):
        (root / f"a{i:03}.txt").write_text(text)
    expected_claims = sum(len(sentences(t)) for t in texts)
    cmd = [sys.executable, "-m", "tests.batch.kill_target", backend.url, str(root), "2"]
    db = backend.db()
    orphans = 0
    killed_at = []
    for k in range(kills):
        target = _counts(db)["extractions"] + 3 + k
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        tree: set[int] = set()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _counts(db)["extractions"] < target:
            if proc.poll() is not None:
                break
            tree |= descendants(proc.pid)
            time.sleep(0.1)
        tree |= descendants(proc.pid)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed_at.append(_counts(db)["extractions"])
        deadline = time.monotonic() + 30
        while alive(tree) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = alive(tree)
        orphans += len(left)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
    final = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    counts = _counts(db)
    with db.session() as s:
        per_article = Counter(s.scalars(select(ArticleExtraction.article_id)).all())
    db.dispose()
    return {
        "kills": kills,
        "extractions_when_killed": killed_at,
        "final_exit": final.returncode,
        "articles": counts["articles"],
        "expected_articles": n,
        "lost": n - counts["articles"],
        "duplicated": sum(c - 1 for c in per_article.values() if c > 1)
        + max(counts["claims"] - expected_claims, 0),
        "claims": counts["claims"],
        "expected_claims": expected_claims,
        "orphan_processes": orphans,
    }


# --- 3. concurrent reviewers -----------------------------------------------------------


def run_reviewers(backend: Backend, workers: int = 8, calls: int = 50) -> dict[str, Any]:
    from tests.queue.review_worker import review_claims
    from tests.queue.test_concurrency import _seed_shared_sources

    ids = _seed_shared_sources(backend.url, workers * calls, sources=5)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(workers)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=review_claims, args=(backend.url, f"r{i}", calls, barrier, results))
        for i in range(workers)
    ]
    for p in procs:
        p.start()
    out = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    reviewed = [c for r in out for c in r[1]]
    leased = [c for r in out for c in r[2]]
    conflicts = [c for r in out for c in r[3]]
    died = [r[4] for r in out if r[4]]
    db = backend.db()
    with db.session() as s:
        stored = set(s.scalars(select(Claim.id).where(Claim.status == "reviewed")).all())
        events = Counter(s.scalars(select(Event.claim_id).where(Event.action == "review")).all())
    db.dispose()
    wall = max(r[5] for r in out)
    return {
        "reviewers": workers,
        "reviews_attempted": workers * calls,
        "reviews_saved": len(reviewed),
        "deadlocks_or_conflicts_surfaced": len(conflicts) + len(died),
        "reviewers_died": died,
        "lost_verdicts": len(set(reviewed) - stored) + (len(stored) - len(set(reviewed))),
        "double_leases": len(leased) - len(set(leased)),
        "review_events_match": events == Counter(reviewed),
        "transient_failures_retried": sum(r[6] for r in out),
        "claims": len(ids),
        "seconds": round(wall, 2),
        "reviews_per_second": round(len(reviewed) / wall, 1) if wall else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="corpus,kill,reviewers")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    parts = args.parts.split(",")
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="fc-hardening-") as tmp_name:
        tmp = Path(tmp_name)
        for kind in args.backends.split(","):
            for part in parts:
                if part == "reviewers" and kind != "postgresql":
                    continue
                backend = Backend(kind, tmp)
                try:
                    started = time.perf_counter()
                    if part == "corpus":
                        result = run_corpus(backend, tmp / f"corpus-{kind}")
                    elif part == "kill":
                        result = run_kills(backend, tmp / f"kill-{kind}")
                    else:
                        result = run_reviewers(backend)
                    result["part_seconds"] = round(time.perf_counter() - started, 1)
                finally:
                    backend.drop()
                report[f"{part}/{kind}"] = result
                shown = {k: v for k, v in result.items() if k != "rows"}
                print(f"== {part} on {kind}: {json.dumps(shown)}", flush=True)
                if part == "corpus":
                    for row in result["rows"]:
                        print(
                            f"   {row['input']:<24} stored={row['stored']:<5} "
                            f"errors={row['errors']:<4} {row['seconds']:>6.2f}s "
                            f"rc={row['rc']} {row['first_error']}"
                        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
