"""Batch report speed and query count at newsroom scale.

    .venv/bin/python bench/bench_report.py                      # 10,000 claims on SQLite
    .venv/bin/python bench/bench_report.py --claims 50000
    .venv/bin/python bench/bench_report.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

Builds one batch run of synthetic articles (20 claims each, half reviewed, relay chains
of one or two sources out of a few hundred, evidence on reviewed claims), then times
`load_batch_report` (counting the SQL statements it sends) and each renderer. Goal: the
whole batch report (load + render) under 3 s for 10,000 claims, with a query count that
does not grow with the number of claims. A PostgreSQL URL must name an empty database.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert

from factcheck.db.models import (
    Article,
    ArticleExtraction,
    Claim,
    ClaimSource,
    Evidence,
    ExtractionRun,
    Source,
)
from factcheck.db.session import Database, make_engine, upgrade
from factcheck.ingest.document import content_hash
from factcheck.report import Organisation, ReportFormat, load_batch_report, render
from factcheck.verdicts import DEFAULT_SCALE

TYPES = ("official", "expert", "media", "organization", "witness", "unknown")
KINDS = ("fact", "statistic", "opinion", "prediction")


def populate(db: Database, *, claims: int, per_article: int, sources: int, seed: int) -> int:
    """Insert the synthetic batch with bulk INSERTs; returns the run id."""
    rng = random.Random(seed)
    verdicts = [v.key for v in DEFAULT_SCALE.verdicts]
    articles = max(1, claims // per_article)
    base = datetime(2024, 6, 1, tzinfo=UTC)
    with db.session() as s:
        run = ExtractionRun(extractor_name="bench", extractor_version="1", status="finished")
        s.add(run)
        s.flush()
        run_id = run.id
        s.execute(
            insert(Source),
            [
                {
                    "canonical_name": f"Source {i}",
                    "key": f"source {i}",
                    "type": TYPES[i % len(TYPES)],
                    "named": i % 3 != 0,
                    "role": f"spokesperson {i}" if i % 2 else None,
                }
                for i in range(sources)
            ],
        )
        source_ids = list(s.scalars(Source.__table__.select().with_only_columns(Source.id)))
        sentence = "The ministry said {n} people were hurt in the {k} incident on day {d}. "
        article_rows = []
        for a in range(articles):
            text = "".join(
                sentence.format(n=a * 31 + c, k=KINDS[c % 4], d=c) for c in range(per_article)
            )
            article_rows.append(
                {
                    "title": f"Bench article {a}",
                    "outlet": f"Outlet {a % 17}",
                    "url": f"https://news.example/{a}",
                    "published_at": base + timedelta(hours=a),
                    "text": text,
                    "content_hash": content_hash(text),
                }
            )
        s.execute(insert(Article), article_rows)
        article_ids = sorted(s.scalars(Article.__table__.select().with_only_columns(Article.id)))
        s.execute(
            insert(ArticleExtraction),
            [
                {"article_id": aid, "run_id": run_id, "extractor_name": "bench",
                 "extractor_version": "1", "claims_count": per_article}
                for aid in article_ids
            ],
        )  # fmt: skip
        claim_rows: list[dict[str, Any]] = []
        for a, aid in enumerate(article_ids):
            offset = 0
            for c in range(per_article):
                quote = sentence.format(n=a * 31 + c, k=KINDS[c % 4], d=c).strip()
                reviewed = rng.random() < 0.5
                claim_rows.append(
                    {
                        "article_id": aid,
                        "text": quote,
                        "quote": quote,
                        "start": offset,
                        "end": offset + len(quote),
                        "kind": KINDS[c % 4],
                        "hedged": c % 5 == 0,
                        "checkworthiness": rng.random(),
                        "priority": rng.random(),
                        "status": "reviewed" if reviewed else rng.choice(("new", "in_review")),
                        "verdict": rng.choice(verdicts) if reviewed else None,
                        "reviewed_by": "bench" if reviewed else None,
                        "reviewed_at": base + timedelta(days=3) if reviewed else None,
                        "review_note": "Checked against the ministry's own figures."
                        if reviewed
                        else None,
                    }
                )
                offset += len(quote) + 1
        s.execute(insert(Claim), claim_rows)
        claim_info = s.execute(
            Claim.__table__.select().with_only_columns(Claim.id, Claim.status)
        ).all()
        links: list[dict[str, Any]] = []
        evidence: list[dict[str, Any]] = []
        for cid, status in claim_info:
            chain = rng.sample(source_ids, 2 if rng.random() < 0.3 else 1)
            for pos, sid in enumerate(chain):
                links.append({"claim_id": cid, "source_id": sid, "position": pos, "cue": "said"})
            if status == "reviewed":
                evidence.append(
                    {
                        "claim_id": cid,
                        "url": f"https://evidence.example/{cid}",
                        "title": "Official statistics",
                        "stance": rng.choice(("supports", "refutes", "context")),
                        "added_by": "bench",
                    }
                )
        s.execute(insert(ClaimSource), links)
        s.execute(insert(Evidence), evidence)
    return run_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--per-article", type=int, default=20)
    parser.add_argument("--sources", type=int, default=400)
    parser.add_argument("--database-url", help="empty database to fill (default: temp SQLite)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    t0 = time.perf_counter()
    run_id = populate(
        db, claims=args.claims, per_article=args.per_article, sources=args.sources, seed=args.seed
    )
    print(f"database: {engine.dialect.name}; populated in {time.perf_counter() - t0:.1f} s")

    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    org = Organisation("Bench Desk", "https://bench.example")
    t0 = time.perf_counter()
    with db.session() as s:
        report = load_batch_report(session=s, scale=DEFAULT_SCALE, organisation=org, run_id=run_id)
    load_s = time.perf_counter() - t0
    print(
        f"load: {len(report.claims)} claims, {len(report.articles)} articles, "
        f"{len(report.sources)} sources in {load_s:.2f} s, {len(statements)} queries"
    )
    for fmt in ReportFormat:
        t0 = time.perf_counter()
        text = render(report, fmt)
        took = time.perf_counter() - t0
        total = load_s + took
        verdict = "ok" if total < 3.0 else "OVER GOAL"
        print(
            f"  {fmt.value:<12} render {took:6.2f} s   load+render {total:5.2f} s  "
            f"({len(text) / 1e6:5.2f} MB)  goal < 3 s: {verdict}"
        )
    engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
