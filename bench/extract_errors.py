"""Show where the offline extractor disagrees with the gold (tuning aid).

    .venv/bin/python bench/extract_errors.py dev --summary       # the guideline's dev set
    .venv/bin/python bench/extract_errors.py dev --limit 5
    .venv/bin/python bench/extract_errors.py polnear --split dev --limit 20
    .venv/bin/python bench/extract_errors.py polnear --split train --summary
    .venv/bin/python bench/extract_errors.py ggt --limit 20

Reads ../shared/eval at run time only. The default prints missed gold attributions (with
the predicted claim that overlapped, if any) and attributed predictions that matched
nothing. `--summary` counts both by category over the whole split instead:

- missed gold claims: `article-voice` (we found the span but gave it no source),
  `wrong-source`, `nothing-there` (no predicted claim overlaps it), `taken` (the
  overlapping prediction was matched to another gold claim: nested or joined attributions);
- unmatched attributed predictions: `split-quotation` (a further sentence of a quotation
  the gold keeps whole), `no-gold` (nothing annotated there), `wrong-source`.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from factcheck.extract.offline import extract_claims

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def _load_score() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    sys.modules["score"] = score
    spec.loader.exec_module(score)
    return score


def _missed(score: ModuleType, d: Any, claims: list[dict[str, Any]], pairs: list[Any]) -> Any:
    by_gold = {j: (i, ident) for i, j, ident, _ in pairs}
    for j, g in enumerate(d.claims):
        i, ident = by_gold.get(j, (None, False))
        if ident:
            continue
        if i is not None:
            if not g.sources:
                yield "source-in-article-voice", g, claims[i]
            else:
                yield "wrong-source" if claims[i]["sources"] else "article-voice", g, claims[i]
            continue
        near = [c for c in claims if score.spans_match((c["start"], c["end"]), g.spans)]
        yield ("taken" if near else "nothing-there"), g, None


def _false(score: ModuleType, d: Any, claims: list[dict[str, Any]], pairs: list[Any]) -> Any:
    used = {i for i, *_ in pairs}
    right = {i for i, _, ident, _ in pairs if ident}
    for i, c in enumerate(claims):
        if not c["sources"] or i in right:
            continue
        if i in used:
            yield "wrong-source", c
            continue
        span = (c["start"], c["end"])
        taken = any(score.spans_match(span, g.spans) for g in d.claims)
        yield ("split-quotation" if taken else "no-gold"), c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset", choices=["dev", "polnear", "ggt"])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int, default=10)
    ap.add_argument("--skip", type=int, default=0)
    ap.add_argument("--summary", action="store_true", help="count error categories")
    a = ap.parse_args()
    score = _load_score()
    if a.dataset == "dev":
        docs = score.load_gold_dir(EVAL / "dev" / "gold", EVAL / "dev" / "articles")
    elif a.dataset == "polnear":
        docs = score.load_polnear(a.split, EVAL / "polnear")
    else:
        docs = score.load_ggt(EVAL / "ggt")
    if a.summary:
        missed: collections.Counter[str] = collections.Counter()
        false: collections.Counter[str] = collections.Counter()
        gold = 0
        for d in docs:
            claims = [c.model_dump() for c in extract_claims(d.text)]
            pairs = score.match_doc(d, claims)
            gold += len(d.claims)
            missed.update(kind for kind, *_ in _missed(score, d, claims, pairs))
            false.update(kind for kind, _ in _false(score, d, claims, pairs))
        print(f"{len(docs)} documents, {gold} gold attributions")
        print("missed:", ", ".join(f"{k} {n}" for k, n in missed.most_common()))
        print("unmatched predictions:", ", ".join(f"{k} {n}" for k, n in false.most_common()))
        return
    out = sys.stdout
    for d in docs[a.skip : a.skip + a.limit]:
        claims = [c.model_dump() for c in extract_claims(d.text)]
        pairs = score.match_doc(d, claims)
        out.write(f"===== {d.id}\n")
        for kind, g, c in _missed(score, d, claims, pairs):
            gs = g.spans[0]
            who = g.sources[0].name if g.sources else "article"
            out.write(f"MISS {kind} [{who}] {d.text[gs[0] : gs[1]][:110]!r}\n")
            if c is not None:
                ps = [(s["name"], s["mention"]) for s in c["sources"]]
                out.write(f"     got {ps} {c['quote'][:80]!r}\n")
        for kind, c in _false(score, d, claims, pairs):
            fps = [(s["name"], s["mention"], s["cue"]) for s in c["sources"]]
            out.write(f"FP {kind} {fps} {c['quote'][:100]!r}\n")


if __name__ == "__main__":
    main()
