"""The batch runner with a small deterministic extractor, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from factcheck.batch.runner import BatchOptions, run_batch, stop_stale_runs
from factcheck.batch.summary import BatchSummary
from factcheck.config import load_settings
from factcheck.db.models import (
    Article,
    ArticleExtraction,
    Claim,
    ClaimSource,
    ExtractionRun,
    RunError,
    Source,
)
from factcheck.db.session import Database
from tests.batch.fakes import make_fake, make_fake_v2, sentences

PAGE = (
    "<!doctype html><html><head><title>Blast</title></head><body><nav>Home | World</nav>"
    "<article><p>Minister Ivan Petrov said 12 people were hurt in the blast.</p>"
    "<p>The cause is unknown, according to Reuters.</p></article><footer>(c) Example</footer>"
    "</body></html>"
)


def _run(db_url: str, paths: list[Path | str], **kw: object) -> BatchSummary:
    settings = load_settings(database_url=db_url)
    db = Database_from(db_url)
    try:
        kw.setdefault("extractor_factory", make_fake)
        options = BatchOptions(paths=[str(p) for p in paths], **kw)  # type: ignore[arg-type]
        return run_batch(db=db, settings=settings, options=options)
    finally:
        db.dispose()


def Database_from(url: str) -> Database:  # noqa: N802 - reads like a constructor
    from factcheck.db.session import make_engine

    return Database(make_engine(url))


def _counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {
            name: int(s.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in (
                ("articles", Article), ("extractions", ArticleExtraction), ("claims", Claim),
                ("claim_sources", ClaimSource), ("sources", Source), ("errors", RunError),
            )
        }  # fmt: skip


def _inputs(root: Path) -> tuple[Path, int]:
    """A folder with every input kind; returns it and the number of claims it should give."""
    root.mkdir()
    texts = {
        "a.txt": "Anna Berg said the bridge will reopen. Repairs cost 4 million euros.",
        "sub/b.txt": "The council met on Monday. It approved the budget.",
    }
    for name, text in texts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "c.html").write_text(PAGE, encoding="utf-8")
    records = [
        {"text": "Exports grew by 7 percent. Analysts were surprised.", "title": "Trade",
         "published": "2024-05-02"},
        {"text": "Old news from 2019 about the port.", "published": "2019-01-01"},
    ]  # fmt: skip
    (root / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    (root / "one.json").write_text(json.dumps({"text": "A single record. It has two claims."}))
    expected = sum(len(sentences(t)) for t in texts.values())
    expected += 2 + 2 + 1 + 2  # html paragraphs, jsonl (2 + 1), json
    return root, expected


def test_every_input_kind_and_rerun_stores_nothing_new(
    database: Database, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, expected_claims = _inputs(tmp_path / "in")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Piped text said nothing new.")))
    summary = _run(db_url, [root, "-"])
    assert summary.articles["new"] == 7 and summary.failed == 0
    assert summary.claims == expected_claims + 1
    assert summary.status == "finished"
    counts = _counts(database)
    assert counts["articles"] == 7 and counts["extractions"] == 7
    assert counts["claims"] == expected_claims + 1
    with database.session() as s:
        html = s.scalars(select(Article).where(Article.source_path == str(root / "c.html"))).one()
        assert "Home" not in html.text and html.title == "Blast"
        # Offsets index the stored (extracted) text.
        for c in s.scalars(select(Claim).where(Claim.article_id == html.id)):
            assert html.text[c.start : c.end] == c.quote  # type: ignore[index]
        feed = s.scalars(select(Article).where(Article.title == "Trade")).one()
        assert feed.published_at == datetime(2024, 5, 2, tzinfo=UTC)
        petrov = s.scalars(
            select(Source).where(Source.canonical_name == "Minister Ivan Petrov")
        ).one()
        assert petrov.type == "official"
        run = s.scalars(select(ExtractionRun)).one()
        assert (run.status, run.articles_new, run.claims_stored) == ("finished", 7, summary.claims)
        assert run.finished_at is not None and run.extractor_name == "fake"
    assert summary.claims_by_kind == {"fact": 8, "statistic": 4}
    with database.session() as s:
        from factcheck.workflow.priority import explain_priority

        claim = s.scalars(select(Claim).order_by(Claim.id)).first()
        assert claim is not None
        # The queue's priority formula ran over the new claims (not just check-worthiness).
        expected = explain_priority(session=s, claim_id=claim.id).total
        assert claim.priority == pytest.approx(expected, abs=0.02)
    assert summary.claims_by_source_type["official"] == 2
    assert {s["name"] for s in summary.top_sources} >= {"Anna Berg", "Reuters"}
    assert len(summary.top_claims) == 10
    top = [c["priority"] for c in summary.top_claims]  # the queue's number and order
    assert top == sorted(top, reverse=True)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Piped text said nothing new.")))
    again = _run(db_url, [root, "-"])
    assert again.articles["new"] == 0 and again.articles["skipped_already_extracted"] == 7
    assert again.claims == 0
    assert _counts(database) == counts


def test_new_extractor_version_re_extracts_without_duplicating_articles(
    database: Database, db_url: str, tmp_path: Path
) -> None:
    root, expected = _inputs(tmp_path / "in")
    first = _run(db_url, [root])
    second = _run(db_url, [root], extractor_factory=make_fake_v2)
    assert first.articles["new"] == second.articles["new"] == 6
    counts = _counts(database)
    assert counts["articles"] == 6 and counts["extractions"] == 12
    # The new version's claims replace the untouched old ones (tests/corrections covers
    # the claims people worked on, which are kept).
    assert counts["claims"] == expected


def test_bad_inputs_are_recorded_and_the_batch_goes_on(
    database: Database, db_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.txt").write_text("Good article. It is fine.")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x00\x01PK\x03\x04")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "refused.txt").write_text("This article makes the extractor FAIL.")
    (root / "crash.txt").write_text("This one makes it CRASH.")
    lines = [json.dumps({"text": "Line one is fine."}), "{broken", json.dumps({"title": "x"})]
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n")
    summary = _run(db_url, [root, tmp_path / "missing.txt"])
    assert summary.articles["new"] == 2
    assert summary.failed == 7
    assert summary.articles["ignored_files"] == 1
    errors = {e["location"]: e["message"] for e in summary.errors}
    assert set(errors) == {
        str(root / "empty.txt"), str(root / "binary.txt"), str(root / "refused.txt"),
        str(root / "crash.txt"), f"{root / 'feed.jsonl'}:2", f"{root / 'feed.jsonl'}:3",
        str(tmp_path / "missing.txt"),
    }  # fmt: skip
    assert "refuses" in errors[str(root / "refused.txt")]
    assert "extractor crashed: RuntimeError: boom" in errors[str(root / "crash.txt")]
    assert "bad JSON" in errors[f"{root / 'feed.jsonl'}:2"]
    counts = _counts(database)
    # Articles that failed extraction are kept (without claims) so a rerun retries them.
    assert counts["articles"] == 4 and counts["extractions"] == 2 and counts["errors"] == 7
    with database.session() as s:
        failed_ids = set(
            s.scalars(select(RunError.article_id).where(RunError.article_id.is_not(None)))
        )
        assert len(failed_ids) == 2
    again = _run(db_url, [root])
    assert again.articles["new"] == 0 and again.failed == 6  # the same failures, retried
    assert again.articles["skipped_already_extracted"] == 2
    assert _counts(database)["articles"] == 4


def test_duplicates_and_since(database: Database, db_url: str, tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text("Same words.\nTwice saved.\n")
    (root / "b.txt").write_bytes(b"Same words.\r\nTwice saved.\r\n")
    records = [
        {"text": "Fresh story here.", "published": "2024-06-02T00:00:00Z"},
        {"text": "Stale story here.", "published": "2024-05-30T23:59:59Z"},
        {"text": "Undated story here."},
    ]
    (root / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    summary = _run(db_url, [root], since=datetime(2024, 6, 1, tzinfo=UTC))
    a = summary.articles
    assert (a["new"], a["skipped_duplicate"], a["skipped_before_since"]) == (3, 1, 1)
    assert _counts(database)["articles"] == 3


def test_parallel_processes_give_the_same_result(
    database: Database, db_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    total = 0
    for i in range(24):
        text = f"Official Number{chr(65 + i % 26)}x said {i} boats arrived. Item {i} is new."
        (root / f"{i:02}.txt").write_text(text)
        total += len(sentences(text))
    (root / "bad.txt").write_text("FAIL here.")
    summary = _run(db_url, [root], jobs=2, window=3)
    assert summary.articles["new"] == 24 and summary.failed == 1
    assert summary.claims == total
    counts = _counts(database)
    assert counts["claims"] == total and counts["extractions"] == 24


def test_stale_running_runs_are_marked_stopped(database: Database) -> None:
    host = socket.gethostname()
    with database.session() as s:
        dead = ExtractionRun(
            command=f"factcheck check x [pid 999999999 on {host}]",
            extractor_name="fake", extractor_version="1", status="running",
        )  # fmt: skip
        alive = ExtractionRun(
            command=f"factcheck check y [pid {os.getpid()} on {host}]",
            extractor_name="fake", extractor_version="1", status="running",
        )  # fmt: skip
        elsewhere = ExtractionRun(
            command="factcheck check z [pid 999999999 on another-host]",
            extractor_name="fake", extractor_version="1", status="running",
        )  # fmt: skip
        s.add_all([dead, alive, elsewhere])
    assert stop_stale_runs(db=database) == [dead.id]
    with database.session() as s:
        statuses = dict(s.execute(select(ExtractionRun.id, ExtractionRun.status)).tuples().all())
    assert statuses == {dead.id: "stopped", alive.id: "running", elsewhere.id: "running"}
