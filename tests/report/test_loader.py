"""The loader: everything a report shows, in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from factcheck.db.models import Article, ArticleExtraction, Evidence, ExtractionRun
from factcheck.db.session import Database
from factcheck.errors import InputError, NotFoundError, UsageError
from factcheck.ingest.document import content_hash
from factcheck.report import (
    ArticleReport,
    article_id_for_file,
    load_batch_report,
    load_source_report,
)
from factcheck.report.model import OWN_VOICE
from factcheck.verdicts import DEFAULT_SCALE
from tests.factories import make_article, make_claim, make_source
from tests.report.builders import TEXT, Built
from tests.report.conftest import NOW, ORG, count_queries, load_article


def test_article_report_has_every_claim_with_its_chain_and_review(
    article_report: ArticleReport, built: Built
) -> None:
    report = article_report
    assert report.article is not None and report.article.text == TEXT
    claims = {c.id: c for c in report.claims}
    assert set(claims) == set(built.claims.values())
    # In reading order, so the report follows the article.
    assert [c.start for c in report.claims] == sorted(c.start or 0 for c in report.claims)
    talks = claims[built.claims["talks"]]
    assert talks.relay_chain == "a Kremlin source → TASS"
    assert [s.type for s in talks.sources] == ["unknown", "media"]
    assert not talks.reviewed and talks.verdict_key == "unreviewed"
    killed = claims[built.claims["killed"]]
    assert killed.reviewed and killed.verdict_label == "False" and killed.rating == 1
    assert killed.verdict_false
    assert [e.stance for e in killed.evidence] == ["refutes", "context"]
    assert claims[built.claims["received"]].origin_type == OWN_VOICE
    assert len(report.reviewed_claims) == 4 and report.unreviewed_count == 3


def test_sources_carry_track_records_and_citations(
    article_report: ArticleReport, built: Built
) -> None:
    sources = {s.name: s for s in article_report.sources}
    assert sources["Iranian embassy in Russia"].cited == 2
    embassy = sources["Iranian embassy in Russia"].record
    assert (embassy.claims, embassy.reviewed, embassy.verdicts) == (
        2,
        2,
        {"mixed": 1, "unproven": 1},
    )
    assert sources["official figures"].record.share_false == 1.0
    tass = sources["TASS"].record
    assert (tass.claims, tass.relayed) == (0, 1)
    assert article_report.top_sources(1)[0].name == "Iranian embassy in Russia"


def test_counts_follow_the_scale_and_the_schema(article_report: ArticleReport) -> None:
    verdicts = {t.key: t.count for t in article_report.by_verdict()}
    assert verdicts == {
        "true": 1,
        "mostly-true": 0,
        "mixed": 1,
        "mostly-false": 0,
        "false": 1,
        "unproven": 1,
        "not-checkable": 0,
        "unreviewed": 3,
    }
    types = {t.key: t.count for t in article_report.by_source_type()}
    assert types["official"] == 3 and types[OWN_VOICE] == 2 and types["unknown"] == 1
    kinds = {t.key: t.count for t in article_report.by_kind()}
    assert kinds == {"fact": 4, "statistic": 1, "opinion": 1, "prediction": 1}


def _big_article(session: Session, claims: int) -> int:
    art = make_article(session, "Start.")
    a = make_source(session, f"Agency {claims}", "media")
    b = make_source(session, f"Minister {claims}", "official", role="minister")
    for i in range(claims):
        c = make_claim(session, art, f"Claim {i} says {i * 7} tonnes.", sources=[b, a])
        session.add(Evidence(claim_id=c.id, url=f"https://e.example/{i}", added_by="x"))
        c.status, c.verdict = ("reviewed", "false") if i % 2 else ("new", None)
    session.flush()
    return art.id


def test_article_report_issues_the_same_queries_for_seven_or_sixty_claims(
    database: Database, built: Built
) -> None:
    with database.session() as s:
        big = _big_article(s, 60)
    with count_queries(database.engine) as small_q:
        small = load_article(database, built.article_id)
    with count_queries(database.engine) as big_q:
        large = load_article(database, big)
    assert len(small.claims) == 7 and len(large.claims) == 60
    assert small_q.count == big_q.count
    # 7 for the report, at most 5 more for what publishing needs (groups, their articles,
    # prior fact-checks): a constant, never one per claim.
    assert big_q.count <= 12, big_q.statements


def _run(session: Session, article_ids: list[int], version: str = "0.1") -> int:
    run = ExtractionRun(extractor_name="rules", extractor_version=version, status="finished")
    session.add(run)
    session.flush()
    for aid in article_ids:
        session.add(
            ArticleExtraction(
                article_id=aid, run_id=run.id, extractor_name="rules", extractor_version=version
            )
        )
    session.flush()
    return run.id


def test_batch_report_by_run_is_a_fixed_number_of_queries(database: Database, built: Built) -> None:
    with database.session() as s:
        small_run = _run(s, [built.article_id])
        bigger = [_big_article(s, n) for n in (5, 10, 20)]
        big_run = _run(s, [*bigger, built.article_id], version="0.2")

    def load(run_id: int) -> object:
        with database.session() as s:
            return load_batch_report(
                session=s, scale=DEFAULT_SCALE, organisation=ORG, run_id=run_id, now=NOW
            )

    with count_queries(database.engine) as q1:
        small = load(small_run)
    with count_queries(database.engine) as q2:
        big = load(big_run)
    assert q1.count == q2.count <= 13  # 8, and at most 5 for publishing (see above)
    assert len(small.claims) == 7 and len(big.claims) == 7 + 35  # type: ignore[attr-defined]
    rows = {r.article.id: r for r in big.per_article()}  # type: ignore[attr-defined]
    assert len(rows) == 4
    mine = rows[built.article_id]
    assert (mine.claims, mine.reviewed, mine.false, mine.open) == (7, 4, 1, 3)
    open_claims = big.open_claims(3)  # type: ignore[attr-defined]
    assert [c.checkworthiness for c in open_claims] == sorted(
        (c.checkworthiness for c in open_claims), reverse=True
    )
    assert open_claims[0].id == built.claims["talks"]  # 0.8, the most check-worthy open one


def test_batch_since_takes_recent_articles_only(database: Database, built: Built) -> None:
    with database.session() as s:
        old = make_article(s, "Old news. Old claim here.")
        old.ingested_at = datetime(2020, 1, 1, tzinfo=UTC)
        make_claim(s, old, "Old claim here.")
    with database.session() as s:
        report = load_batch_report(
            session=s,
            scale=DEFAULT_SCALE,
            organisation=ORG,
            since=datetime(2024, 6, 1, tzinfo=UTC),
        )
    assert set(report.articles) == {built.article_id}
    assert len(report.claims) == 7


def test_batch_needs_exactly_one_selector(database: Database) -> None:
    with database.session() as s, pytest.raises(UsageError):
        load_batch_report(session=s, scale=DEFAULT_SCALE, organisation=ORG)
    with database.session() as s, pytest.raises(NotFoundError, match="run #99"):
        load_batch_report(session=s, scale=DEFAULT_SCALE, organisation=ORG, run_id=99)


def test_source_report_lists_every_claim_it_relays(database: Database, built: Built) -> None:
    with database.session() as s:
        report = load_source_report(
            session=s, source_id=built.sources["tass"], scale=DEFAULT_SCALE, organisation=ORG
        )
    assert report.source is not None and report.source.name == "TASS"
    assert [c.id for c in report.claims] == [built.claims["talks"]]
    assert set(report.articles) == {built.article_id}
    assert {s.name for s in report.sources} == {"TASS", "a Kremlin source"}


def test_article_is_found_from_its_file_by_content(
    database: Database, built: Built, tmp_path: Path
) -> None:
    with database.session() as s:
        row = s.get(Article, built.article_id)
        assert row is not None
        row.content_hash = content_hash(TEXT)
    saved = tmp_path / "copy.txt"
    # Saved again elsewhere, with Windows line endings and a BOM: still the same article.
    saved.write_bytes(b"\xef\xbb\xbf" + TEXT.encode() + b"\r\n")
    with database.session() as s:
        assert article_id_for_file(session=s, path=saved) == built.article_id
    never = tmp_path / "never.txt"
    never.write_text("An article nobody checked.", encoding="utf-8")
    with database.session() as s, pytest.raises(InputError, match="never checked") as err:
        article_id_for_file(session=s, path=never)
    assert str(never) in str(err.value)


def test_missing_article_is_a_clear_error(database: Database) -> None:
    with pytest.raises(NotFoundError, match="no article #404"):
        load_article(database, 404)
