"""Speed and quality of the offline extractor, as the issues measure them.

    .venv/bin/python bench/bench_extract.py            # speed: PolNeAR test as one batch
    .venv/bin/python bench/bench_extract.py --quality  # plus every score.py figure
    .venv/bin/python bench/bench_extract.py --compare REV   # speed ratio to a revision

Speed is `factcheck extract --format jsonl` over all PolNeAR test articles in one
process, timed from outside: start-up and model load included; peak memory is that
process's maximum resident set. `--compare REV` runs the same batch with the extractor
of git revision REV (checked out to a temporary worktree, run on this virtualenv) in the
same run, and prints the ratio. Words are counted as score.py counts them
(whitespace-separated). The data is read from ../shared/eval at run time only; nothing
from it is stored in the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
CLI = str(ROOT / ".venv" / "bin" / "factcheck")
CMD = f"{CLI} extract --format jsonl {{files}}"
# CPU seconds (user + system) of each extract process run, in order.
_CPU: list[float] = []


def _polnear_docs(split: str) -> list[tuple[str, str]]:
    docs: dict[str, str] = {}
    with (EVAL / "polnear" / f"polnear_{split}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            docs.setdefault(row["doc_id"], row["text"])
    return list(docs.items())


def _write_docs(docs: list[tuple[str, str]], tmp: Path) -> list[str]:
    paths = []
    for doc_id, text in docs:
        path = tmp / (re.sub(r"[^A-Za-z0-9._-]", "_", doc_id) + ".txt")
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def _run(
    cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None
) -> tuple[float, int, float]:
    """(seconds, claims, peak MB) of one extract process; its CPU seconds go to _CPU."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_maxrss
    cpu0 = usage.ru_utime + usage.ru_stime
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    elapsed = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    _CPU.append(usage.ru_utime + usage.ru_stime - cpu0)
    if proc.returncode != 0:
        sys.exit(f"extract failed ({proc.returncode}): {proc.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    claims = sum(len(json.loads(line)["claims"]) for line in proc.stdout.splitlines())
    # ru_maxrss is the largest child so far (KiB on Linux): meaningful for the first run
    # or a larger one, so the comparison run goes second.
    return elapsed, claims, max(peak, before) / 1024


def speed(split: str = "test", compare: str | None = None) -> None:
    docs = _polnear_docs(split)
    tmp = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    try:
        paths = _write_docs(docs, tmp)
        words = sum(len(text.split()) for _, text in docs)
        elapsed, claims, peak = _run([CLI, "extract", "--format", "jsonl", *paths])
        print(
            f"speed: PolNeAR {split}, {len(docs)} articles, {words} words, {claims} claims, "
            f"{elapsed:.2f} s (start-up and model load included) -> {words / elapsed:,.0f} "
            f"words/s, peak memory {peak:.0f} MB; CPU {_CPU[-1]:.2f} s -> "
            f"{words / _CPU[-1]:,.0f} words per CPU second (far less dependent on the "
            f"machine's load)"
        )
        if compare:
            old = tmp / "old"
            subprocess.run(["git", "worktree", "add", "-q", "--detach", str(old), compare],
                           cwd=ROOT, check=True)  # fmt: skip
            try:
                env = {**os.environ, "PYTHONPATH": str(old)}
                code = "from factcheck.cli.main import main; main()"
                cmd = [sys.executable, "-c", code, "extract", "--format", "jsonl", *paths]
                # `python -c` puts the working directory first on sys.path: run from the
                # old worktree, or this checkout's package is the one imported.
                then, then_claims, _ = _run(cmd, env, cwd=str(old))
                print(
                    f"speed of {compare}: {then:.2f} s -> {words / then:,.0f} words/s "
                    f"({then_claims} claims), CPU {_CPU[-1]:.2f} s; this one is "
                    f"{then / elapsed:.2f}x its speed ({_CPU[-1] / _CPU[0]:.2f}x in CPU)"
                )
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def quality() -> None:
    runs = [
        ("seed", ["gold-dir", "--gold", str(EVAL / "gold"), "--articles", str(ROOT / "seeds")]),
        (
            "dev (tuning)",
            [
                "gold-dir",
                "--gold",
                str(EVAL / "dev" / "gold"),
                "--articles",
                str(EVAL / "dev" / "articles"),
            ],
        ),  # fmt: skip
        ("polnear dev", ["polnear", "--split", "dev"]),
        ("polnear test", ["polnear", "--split", "test"]),
        ("ggt", ["ggt"]),
    ]
    keys = ["attributed_p", "attributed_r", "attributed_f1", "typed_f1", "claim_p", "claim_r"]
    keys += ["claim_f1"]
    keys += ["grounded_rate", "kind_acc", "hedged_f1"]
    for label, args in runs:
        cmd = [sys.executable, str(EVAL / "score.py"), *args, "--cmd", CMD, "--json"]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        res = json.loads(proc.stdout)
        figures = "  ".join(f"{k} {res[k]:.3f}" for k in keys if res.get(k) is not None)
        print(f"{label:13s} docs {res['docs']:4d}  {figures}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", help="PolNeAR split for the speed run")
    ap.add_argument("--quality", action="store_true", help="also print every score.py figure")
    ap.add_argument("--compare", metavar="REV", help="also time the extractor of git revision REV")
    a = ap.parse_args()
    if not EVAL.exists():
        sys.exit(f"{EVAL} is not present: the benchmark needs ../shared/eval")
    speed(a.split, a.compare)
    if a.quality:
        quality()


if __name__ == "__main__":
    main()
