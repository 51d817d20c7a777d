"""Claim matching: speed at newsroom scale, and the lexical matcher's precision/recall.

    .venv/bin/python bench/bench_matching.py                 # lexical: quality, speed, DB
    .venv/bin/python bench/bench_matching.py --embedding     # also the embedding variant
    .venv/bin/python bench/bench_matching.py --quick         # 10k stored, 200 new

Speed: a batch of 1,000 new claims matched against 100,000 stored ones (goal: < 10 s
lexical), in memory and end to end through `match_new_claims` on SQLite (cold: the
index is loaded from the database first; warm: the index is cached in the process).
Stored claims are the sentences of ../shared (PolNeAR, GGT, UD EWT), topped up to the
wanted count with spliced sentences; the new claims are near-copies of stored ones
(reordered, one word dropped) and unseen sentences.

Quality: the labelled pairs of bench/matching_pairs.py, built from ../shared at run
time (never copied into the repo).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matching_pairs  # noqa: E402

from factcheck.matching.index import LexicalIndex  # noqa: E402
from factcheck.matching.text import Verdict, features, guard  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"


def corpus(shared: Path, stored: int, new: int, seed: int = 3) -> tuple[list[str], list[str], int]:
    """(stored texts, new texts, how many new ones are near-copies of stored ones)."""
    rng = random.Random(seed)
    sents = matching_pairs.sentences(shared)
    rng.shuffle(sents)
    unseen = sents[: new // 2]
    pool = sents[new // 2 :]
    base = pool[:stored]
    while len(base) < stored:
        a, b = rng.sample(pool, 2)
        wa, wb = a.split(), b.split()
        base.append(" ".join(wa[: len(wa) // 2] + wb[len(wb) // 2 :]))
    copies = []
    for text in rng.sample(base, new - len(unseen)):
        words = text.split()
        if len(words) > 8 and rng.random() < 0.5:
            del words[rng.randrange(1, len(words) - 1)]
        else:
            cut = rng.randrange(2, max(3, len(words) // 3))
            words = words[cut:] + words[:cut]
        copies.append(" ".join(words))
    return base, copies + unseen, len(copies)


def quality(index: LexicalIndex, low: float, high: float) -> None:
    pairs = matching_pairs.build_pairs(SHARED)
    kinds = Counter(p.kind for p in pairs)
    print(f"\n## Lexical matcher on {len(pairs)} labelled pairs from PolNeAR/GGT")
    print("pairs: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    scored = []
    for p in pairs:
        fa, fb = features(p.a), features(p.b)
        verdict, _ = guard(fa, fb)
        score = index.similarity(fa, fb)
        scored.append((p, verdict, score))

    def prf(pred: list[bool]) -> tuple[float, float, float, int, int]:
        tp = sum(1 for (p, _, _), y in zip(scored, pred, strict=True) if y and p.same)
        fp = sum(1 for (p, _, _), y in zip(scored, pred, strict=True) if y and not p.same)
        fn = sum(1 for (p, _, _), y in zip(scored, pred, strict=True) if not y and p.same)
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return prec, rec, f1, fp, fn

    print("\n| rule | precision | recall | F1 | false pos | missed |")
    print("|---|---|---|---|---|---|")
    for name, pred in (
        (f"matched (score >= low {low}, facts not in conflict)", [
            v is not Verdict.CONFLICT and s >= low for _, v, s in scored
        ]),
        (f"auto-grouped (score >= high {high}, facts agree)", [
            v is Verdict.OK and s >= high for _, v, s in scored
        ]),
        ("score >= low, without the guards", [s >= low for _, _, s in scored]),
    ):  # fmt: skip
        prec, rec, f1, fp, fn = prf(pred)
        print(f"| {name} | {prec:.3f} | {rec:.3f} | {f1:.3f} | {fp} | {fn} |")
    print("\nfalse matches (score >= low, not in conflict) by kind of negative:")
    for kind in sorted(k for k in kinds if k != "positive"):
        rows = [(v, s) for p, v, s in scored if p.kind == kind]
        bad = sum(1 for v, s in rows if v is not Verdict.CONFLICT and s >= low)
        print(f"  {kind:18s} {bad}/{len(rows)}")
    print("\nthreshold sweep (guards on): t, precision, recall")
    for t in (0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9):
        prec, rec, *_ = prf([v is not Verdict.CONFLICT and s >= t for _, v, s in scored])
        print(f"  {t:.2f}  {prec:.3f}  {rec:.3f}")
    misses = [(p, v, s) for p, v, s in scored if p.same and (v is Verdict.CONFLICT or s < low)]
    print(f"\nsome missed positives ({len(misses)}):")
    for p, v, s in misses[:5]:
        print(f"  {s:.2f} {v.name}: {p.a[:70]!r} / {p.b[:70]!r}")


def speed_memory(
    stored: list[str], new: list[str], copies: int, low: float
) -> tuple[LexicalIndex, float]:
    print(f"\n## Lexical speed: {len(new)} new claims against {len(stored)} stored (in memory)")
    t0, c0 = time.perf_counter(), time.process_time()
    index = LexicalIndex()
    for i, text in enumerate(stored, start=1):
        index.add(i, text)
    build, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    found = 0
    recovered = 0
    for j, text in enumerate(new):
        hits = index.query(text, limit=5, min_score=low)
        found += bool(hits)
        recovered += j < copies and bool(hits)
    took, took_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"index build: {build:.2f} s wall, {build_cpu:.2f} s CPU; once per process")
    print(
        f"match {len(new)} new claims: {took:.2f} s wall, {took_cpu:.2f} s CPU "
        f"({took_cpu / len(new) * 1000:.2f} ms CPU/claim); "
        f"{found} matched, near-copies found {recovered}/{copies}"
    )
    return index, took


def speed_db(stored: list[str], new: list[str]) -> None:
    from sqlalchemy import insert

    from factcheck.config import load_settings
    from factcheck.db.models import Claim
    from factcheck.db.session import Database, make_engine, upgrade
    from factcheck.matching import clear_cache, match_new_claims

    print(f"\n## End to end: match_new_claims on SQLite with {len(stored)} stored claims")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        engine = make_engine(url)
        upgrade(engine)
        db = Database(engine)
        with db.session() as s:
            for i in range(0, len(stored), 5000):
                s.execute(
                    insert(Claim),
                    [{"text": t, "quote": t, "origin": "extracted"} for t in stored[i : i + 5000]],
                )
        settings = load_settings(database_url=url)
        clear_cache()
        half = len(new) // 2
        for label, batch in (("cold (index loaded from the database)", new[:half]),
                             ("warm (index cached in the process)", new[half:])):  # fmt: skip
            with db.session() as s:
                rows = [{"text": t, "quote": t, "origin": "extracted"} for t in batch]
                ids = list(s.scalars(insert(Claim).returning(Claim.id), rows))
                t0, c0 = time.perf_counter(), time.process_time()
                summary = match_new_claims(session=s, claim_ids=ids, settings=settings)
                took, cpu = time.perf_counter() - t0, time.process_time() - c0
            print(
                f"{label}: {len(batch)} claims in {took:.2f} s wall, {cpu:.2f} s CPU "
                f"({summary.auto} auto, {summary.suggested} suggested)"
            )
        db.dispose()


def embedding(stored: list[str], new: list[str], copies: int, low: float) -> None:
    from factcheck.matching import embedding as emb

    if not emb.available():
        print("\n## Embedding: not installed (pip install 'factcheck[embeddings]')")
        return
    print(f"\n## Embedding variant: {len(new)} new claims against {len(stored)} stored")
    t0 = time.perf_counter()
    emb.load_model()
    print(f"model load: {time.perf_counter() - t0:.2f} s")
    index = emb.EmbeddingIndex()
    t0 = time.perf_counter()
    index.add_many([(i, t, None, "extracted") for i, t in enumerate(stored, start=1)])
    index._flush()
    build = time.perf_counter() - t0
    print(f"encode stored claims: {build:.1f} s ({len(stored) / build:,.0f} claims/s)")
    t0 = time.perf_counter()
    vectors = emb.encode(new)
    found = recovered = 0
    for j, (text, vec) in enumerate(zip(new, vectors, strict=True)):
        hits = index.query(text, limit=5, min_score=low, vector=vec)
        found += bool(hits)
        recovered += j < copies and bool(hits)
    took = time.perf_counter() - t0
    print(
        f"match {len(new)} new claims: {took:.2f} s (encoding included); {found} matched "
        f"at cosine >= {low}, near-copies found {recovered}/{copies}"
    )
    pairs = matching_pairs.build_pairs(SHARED)
    va = emb.encode([p.a for p in pairs])
    vb = emb.encode([p.b for p in pairs])
    print("pairs, embedding cosine + guards: t, precision, recall")
    for t in (0.6, 0.7, 0.8, 0.85, 0.9):
        pred = [
            float(a @ b) >= t and guard(features(p.a), features(p.b))[0] is not Verdict.CONFLICT
            for p, a, b in zip(pairs, va, vb, strict=True)
        ]
        tp = sum(1 for p, y in zip(pairs, pred, strict=True) if y and p.same)
        fp = sum(1 for p, y in zip(pairs, pred, strict=True) if y and not p.same)
        pos = sum(1 for p in pairs if p.same)
        print(f"  {t:.2f}  {tp / (tp + fp) if tp + fp else 1:.3f}  {tp / pos:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stored", type=int, default=100_000, help="stored claims")
    ap.add_argument("--new", type=int, default=1_000, help="new claims in the batch")
    ap.add_argument("--low", type=float, default=0.6, help="suggestion threshold")
    ap.add_argument("--high", type=float, default=0.85, help="auto-group threshold")
    ap.add_argument("--embedding", action="store_true", help="also measure the embedding index")
    ap.add_argument("--no-db", action="store_true", help="skip the end-to-end SQLite run")
    ap.add_argument("--quick", action="store_true", help="10,000 stored, 200 new")
    args = ap.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"needs {SHARED} (PolNeAR, GGT, UD EWT)")
    if args.quick:
        args.stored, args.new = 10_000, 200
    stored, new, copies = corpus(SHARED, args.stored, args.new)
    index, _ = speed_memory(stored, new, copies, args.low)
    quality(index, args.low, args.high)
    if not args.no_db:
        speed_db(stored, new)
    if args.embedding:
        embedding(stored, new, copies, args.low)


if __name__ == "__main__":
    main()
