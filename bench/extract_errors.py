"""Show where the offline extractor disagrees with PolNeAR or GGT gold (tuning aid).

    .venv/bin/python bench/extract_errors.py polnear --split dev --limit 20
    .venv/bin/python bench/extract_errors.py ggt --limit 20

Reads ../shared/eval at run time only; prints missed gold attributions (with the
predicted claim that overlapped, if any) and attributed predictions that matched nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from factcheck.extract.offline import extract_claims

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset", choices=["polnear", "ggt"])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int, default=10)
    ap.add_argument("--skip", type=int, default=0)
    a = ap.parse_args()
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    sys.modules["score"] = score
    spec.loader.exec_module(score)
    if a.dataset == "polnear":
        docs = score.load_polnear(a.split, EVAL / "polnear")
    else:
        docs = score.load_ggt(EVAL / "ggt")
    out = sys.stdout
    for d in docs[a.skip : a.skip + a.limit]:
        claims = [c.model_dump() for c in extract_claims(d.text)]
        pairs = score.match_doc(d, claims)
        by_gold = {j: (i, ident) for i, j, ident, _ in pairs}
        used = {i for i, *_ in pairs}
        out.write(f"===== {d.id}\n")
        for j, g in enumerate(d.claims):
            i, ident = by_gold.get(j, (None, False))
            if ident:
                continue
            gs = g.spans[0]
            src = g.sources[0]
            out.write(f"MISS [{src.name}] {d.text[gs[0] : gs[1]][:110]!r}\n")
            if i is not None:
                c = claims[i]
                ps = [(s["name"], s["mention"]) for s in c["sources"]]
                out.write(f"     got {ps} {c['quote'][:80]!r}\n")
        for i, c in enumerate(claims):
            if i not in used and c["sources"]:
                fps = [(s["name"], s["mention"], s["cue"]) for s in c["sources"]]
                out.write(f"FP   {fps} {c['quote'][:100]!r}\n")


if __name__ == "__main__":
    main()
