"""Speed and quality of the offline extractor, as the issue measures them.

    .venv/bin/python bench/bench_extract.py            # speed: PolNeAR test as one batch
    .venv/bin/python bench/bench_extract.py --quality  # plus every score.py figure

Speed is `factcheck extract --format jsonl` over all PolNeAR test articles in one
process, timed from outside: start-up and loading included. Words are counted as
score.py counts them (whitespace-separated). The data is read from ../shared/eval at
run time only; nothing from it is stored in the repository.
"""

from __future__ import annotations

import argparse
import json
import re
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


def _polnear_docs(split: str) -> list[tuple[str, str]]:
    docs: dict[str, str] = {}
    with (EVAL / "polnear" / f"polnear_{split}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            docs.setdefault(row["doc_id"], row["text"])
    return list(docs.items())


def speed(split: str = "test") -> None:
    docs = _polnear_docs(split)
    tmp = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    try:
        paths = []
        for doc_id, text in docs:
            path = tmp / (re.sub(r"[^A-Za-z0-9._-]", "_", doc_id) + ".txt")
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        words = sum(len(text.split()) for _, text in docs)
        t0 = time.perf_counter()
        proc = subprocess.run(
            [CLI, "extract", "--format", "jsonl", *paths], capture_output=True, text=True
        )
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"extract failed ({proc.returncode}): {proc.stderr[-2000:]}")
        claims = sum(len(json.loads(line)["claims"]) for line in proc.stdout.splitlines())
        print(
            f"speed: PolNeAR {split}, {len(docs)} articles, {words} words, {claims} claims, "
            f"{elapsed:.2f} s (start-up included) -> {words / elapsed:,.0f} words/s"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def quality() -> None:
    runs = [
        ("seed", ["gold-dir", "--gold", str(EVAL / "gold"), "--articles", str(ROOT / "seeds")]),
        ("polnear dev", ["polnear", "--split", "dev"]),
        ("polnear test", ["polnear", "--split", "test"]),
        ("ggt", ["ggt"]),
    ]
    keys = ["attributed_p", "attributed_r", "attributed_f1", "typed_f1", "claim_f1"]
    keys += ["grounded_rate", "kind_acc", "hedged_f1"]
    for label, args in runs:
        cmd = [sys.executable, str(EVAL / "score.py"), *args, "--cmd", CMD, "--json"]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        res = json.loads(proc.stdout)
        figures = "  ".join(f"{k} {res[k]:.3f}" for k in keys if res.get(k) is not None)
        print(f"{label:13s} docs {res['docs']:4d}  {figures}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", help="PolNeAR split for the speed run")
    ap.add_argument("--quality", action="store_true", help="also print every score.py figure")
    a = ap.parse_args()
    if not EVAL.exists():
        sys.exit(f"{EVAL} is not present: the benchmark needs ../shared/eval")
    speed(a.split)
    if a.quality:
        quality()


if __name__ == "__main__":
    main()
