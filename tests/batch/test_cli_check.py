"""`factcheck check` end to end: the offline extractor, and the LLM chain on a fake server."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from factcheck.cli.check import parse_since
from factcheck.cli.main import app
from factcheck.config import load_settings
from factcheck.db.models import Article, ArticleExtraction, Claim, ExtractionRun, RunError
from factcheck.db.session import Database, make_engine
from factcheck.errors import UsageError
from factcheck.extract.offline import OfflineExtractor
from factcheck.ingest.discover import discover
from factcheck.ingest.document import ArticleInput
from tests.llm.fake_server import FakeOpenAI, Fault

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "russia-iran-law-enforcement.txt"
runner = CliRunner()

PAGE = """<!doctype html><html><head><title>Grain deal</title>
<meta property="article:published_time" content="2024-04-02"></head><body>
<nav>Home | Politics | Economy</nav><article><h1>Grain deal extended</h1>
<p>The agriculture minister said on Tuesday that exports rose by 12 percent in March.</p>
<p>According to Reuters, the deal will be extended for another 120 days.</p>
<p>Analysts believe prices may fall further, a trader in Odesa said.</p>
</article><footer>Subscribe for more</footer></body></html>"""


def _folder(root: Path) -> Path:
    root.mkdir()
    shutil.copy(SEED, root / "seed.txt")
    (root / "grain.html").write_text(PAGE, encoding="utf-8")
    records = [
        {"text": "The mayor said 40 schools will close on Friday because of the storm.",
         "title": "Storm", "url": "https://news.example/storm", "published": "2024-05-01"},
        {"text": "Police said three people were detained after the protest in the city centre.",
         "title": "Protest"},
    ]  # fmt: skip
    (root / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return root


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_check_a_folder_then_rerun_stores_nothing_new(database: Database, tmp_path: Path) -> None:
    folder = _folder(tmp_path / "inbox")
    result = runner.invoke(app, ["check", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["status"] == "finished"
    assert summary["articles"]["new"] == 4 and summary["articles"]["failed"] == 0
    assert summary["claims"] > 10
    assert sum(summary["claims_by_kind"].values()) == summary["claims"]
    assert sum(summary["claims_by_source_type"].values()) == summary["claims"]
    assert summary["top_claims"] and summary["extractor"]["name"] == "offline"
    claims = _count(database, Claim)
    assert claims == summary["claims"]
    with database.session() as s:
        assert set(s.scalars(select(Claim.status))) == {"new"}
        for article in s.scalars(select(Article)):
            for c in s.scalars(select(Claim).where(Claim.article_id == article.id)):
                assert article.text[c.start : c.end] == c.quote  # type: ignore[index]
        html = s.scalars(select(Article).where(Article.title == "Grain deal extended")).one()
        assert "Subscribe" not in html.text and html.published_at == datetime(
            2024, 4, 2, tzinfo=UTC
        )
    # Not a terminal: plain progress lines on stderr, not a Rich bar.
    assert "checking about 4 article(s)" in result.stderr

    again = runner.invoke(app, ["check", str(folder)])
    assert again.exit_code == 0, again.output
    assert "0 new" in again.stdout and "already extracted" in again.stdout
    assert _count(database, Claim) == claims and _count(database, Article) == 4
    assert _count(database, ExtractionRun) == 2


def test_table_summary_lists_what_needs_attention(database: Database, tmp_path: Path) -> None:
    folder = _folder(tmp_path / "inbox")
    (folder / "broken.jsonl").write_text('{"text": "Fine line, the minister said."}\n{oops\n')
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    result = runner.invoke(app, ["check", str(folder), "--no-progress"])
    assert result.exit_code == 1
    out = result.stdout
    for heading in ("Claims by kind", "Claims by source type", "Highest-priority claims",
                    "Failed (2)"):  # fmt: skip
        assert heading in out
    assert f"{folder / 'broken.jsonl'}:2" in out and "bad JSON" in out
    assert "empty file" in out
    assert "1 non-article file(s) ignored" in out
    assert "Traceback" not in result.output
    assert result.stderr == ""  # --no-progress
    with database.session() as s:
        assert {e.location for e in s.scalars(select(RunError))} == {
            f"{folder / 'broken.jsonl'}:2",
            str(folder / "empty.txt"),
        }


def test_stdin(database: Database) -> None:
    text = SEED.read_text(encoding="utf-8")
    result = runner.invoke(app, ["check", "-", "--format", "json"], input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles"]["new"] == 1
    with database.session() as s:
        article = s.scalars(select(Article)).one()
        assert article.text == text and article.source_path is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last week-ish"], "--since"),
        (["--max-cost", "1"], "--extractor llm only"),
        (["--fallback", "offline"], "--extractor llm only"),
        (["--extractor", "llm", "--fallback", "llm"], "only offline"),
        (["--field", "bogus"], "bad --field"),
        (["--jobs", "0"], "--jobs"),
        (["-", "-"], "only once"),
    ],
)
def test_usage_errors_exit_2(database: Database, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["check", str(SEED), *args])
    assert result.exit_code == 2
    assert message in result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert _count(database, Article) == 0


def test_since_skips_older_articles(database: Database, tmp_path: Path) -> None:
    folder = _folder(tmp_path / "inbox")
    result = runner.invoke(app, ["check", str(folder), "--since", "2024-04-15", "--format", "json"])
    assert result.exit_code == 0, result.output
    articles = json.loads(result.stdout)["articles"]
    # The HTML page (2024-04-02) is older; undated articles are kept.
    assert articles["skipped_before_since"] == 1 and articles["new"] == 3


def test_parse_since() -> None:
    now = datetime(2024, 6, 10, 15, 30, tzinfo=UTC)
    assert parse_since("2024-06-01", now=now) == datetime(2024, 6, 1, tzinfo=UTC)
    assert parse_since("2024-06-01T08:00+02:00", now=now) == datetime(2024, 6, 1, 6, tzinfo=UTC)
    assert parse_since("today", now=now) == datetime(2024, 6, 10, tzinfo=UTC)
    assert parse_since("yesterday", now=now) == datetime(2024, 6, 9, tzinfo=UTC)
    assert parse_since("36h", now=now) == now - timedelta(hours=36)
    assert parse_since("2w", now=now) == now - timedelta(weeks=2)
    with pytest.raises(UsageError):
        parse_since("soon", now=now)


def test_jobs_2_uses_worker_processes_and_matches_the_extractor(tmp_path: Path) -> None:
    # The default SQLite database of the hermetic test setup: the process pool does not
    # depend on the backend, which the other tests cover.
    folder = _folder(tmp_path / "inbox")
    result = runner.invoke(app, ["check", str(folder), "--jobs", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    database = Database(make_engine(load_settings().database_url))
    extractor = OfflineExtractor(load_settings())
    expected = {
        a.content_hash: len(extractor.extract(a).claims)
        for a in discover([folder])
        if isinstance(a, ArticleInput)
    }
    with database.session() as s:
        stored = dict(
            s.execute(
                select(Article.content_hash, ArticleExtraction.claims_count).join(
                    ArticleExtraction, ArticleExtraction.article_id == Article.id
                )
            )
            .tuples()
            .all()
        )
        per_article = dict(
            s.execute(
                select(Article.content_hash, func.count(Claim.id))
                .join(Claim, Claim.article_id == Article.id)
                .group_by(Article.content_hash)
            )
            .tuples()
            .all()
        )
    database.dispose()
    assert stored == expected
    assert per_article == {h: n for h, n in expected.items() if n}


# --- the LLM chain, on the fake OpenAI-compatible server ------------------------------


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    server = FakeOpenAI().start()
    monkeypatch.setenv("FACTCHECK_LLM_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-batch-0123456789")
    monkeypatch.setenv("FACTCHECK_LLM_TIMEOUT", "2")
    monkeypatch.setenv("FACTCHECK_LLM_MAX_RETRIES", "0")
    yield server  # type: ignore[misc]
    server.stop()


def _llm_folder(root: Path, n: int, offset: int = 0) -> Path:
    root.mkdir()
    for i in range(offset, offset + n):
        (root / f"{i}.txt").write_text(
            f"Mayor Anna Berg said the bridge {i} will reopen in June. "
            f"Repairs to bridge {i} cost {i + 3} million euros, the council said."
        )
    return root


def test_llm_batch_records_tokens_and_cost_then_uses_nothing_on_rerun(
    database: Database, llm: FakeOpenAI, tmp_path: Path
) -> None:
    folder = _llm_folder(tmp_path / "inbox", 4)
    result = runner.invoke(app, ["check", str(folder), "--extractor", "llm", "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["articles"]["new"] == 4 and summary["extractor"]["name"] == "llm"
    assert summary["usage"]["llm_calls"] == 4 == llm.count
    assert summary["usage"]["prompt_tokens"] > 0 and summary["usage"]["cost_usd"] > 0
    assert "sk-test-batch" not in result.output + result.stderr
    with database.session() as s:
        extractions = s.scalars(select(ArticleExtraction)).all()
        assert all(e.llm_calls == 1 and e.prompt_tokens > 0 for e in extractions)
        run = s.scalars(select(ExtractionRun)).one()
        assert (run.base_url_host or "").startswith("127.0.0.1") and run.model == "gpt-4o-mini"
        assert run.cost_usd == pytest.approx(sum(e.cost_usd for e in extractions))
    again = runner.invoke(app, ["check", str(folder), "--extractor", "llm", "--format", "json"])
    assert json.loads(again.stdout)["articles"]["skipped_already_extracted"] == 4
    assert llm.count == 4


def test_llm_max_cost_stops_before_spending_and_says_so(
    database: Database, llm: FakeOpenAI, tmp_path: Path
) -> None:
    folder = _llm_folder(tmp_path / "inbox", 3)
    result = runner.invoke(
        app, ["check", str(folder), "--extractor", "llm", "--max-cost", "0.0000001"]
    )
    assert result.exit_code == 0, result.output
    assert "over --max-cost" in result.stdout and "--max-cost $0.00" in result.stdout
    assert llm.count == 0 and _count(database, Article) == 0


def test_llm_failure_falls_back_to_offline(
    database: Database, llm: FakeOpenAI, tmp_path: Path
) -> None:
    folder = _llm_folder(tmp_path / "inbox", 1)
    llm.push(Fault("status", status=500))
    result = runner.invoke(
        app,
        ["check", str(folder), "--extractor", "llm", "--fallback", "offline", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["articles"]["new"] == 1
    assert any("fallback" in note for note in summary["notes"])
    with database.session() as s:
        assert s.scalars(select(ArticleExtraction.extractor_name)).one() == "offline"


def test_llm_failure_without_fallback_is_listed(
    database: Database, llm: FakeOpenAI, tmp_path: Path
) -> None:
    folder = _llm_folder(tmp_path / "inbox", 2)
    llm.push(Fault("status", status=500))
    result = runner.invoke(app, ["check", str(folder), "--extractor", "llm", "--format", "json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["articles"]["new"] == 1 and summary["articles"]["failed"] == 1
    assert "500" in summary["errors"][0]["message"]
