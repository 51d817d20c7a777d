"""`factcheck report ...` end to end: arguments, files, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.db.models import Article
from factcheck.db.session import Database
from factcheck.ingest.document import content_hash
from tests.report.builders import TEXT, Built


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_article_report_to_stdout_and_to_a_file(
    runner: CliRunner, built: Built, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["report", "article", str(built.article_id)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Law enforcement officers of Russia and Iran")
    out = tmp_path / "out" / "seed-report.html"
    result = runner.invoke(
        app, ["report", "article", str(built.article_id), "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert str(out.resolve()) in result.stdout
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_article_by_path(
    runner: CliRunner, database: Database, built: Built, tmp_path: Path
) -> None:
    with database.session() as s:
        row = s.get(Article, built.article_id)
        assert row is not None
        row.content_hash = content_hash(TEXT)
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["report", "article", "--path", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["article"]["id"] == built.article_id
    other = tmp_path / "other.txt"
    other.write_text("Nothing checked here.", encoding="utf-8")
    result = runner.invoke(app, ["report", "article", "--path", str(other)])
    assert result.exit_code == 1
    assert "never checked" in result.stderr and str(other) in result.stderr
    assert "Traceback" not in result.output


def test_article_needs_one_selector(runner: CliRunner, built: Built) -> None:
    result = runner.invoke(app, ["report", "article"])
    assert result.exit_code == 2 and "--path" in result.stderr
    result = runner.invoke(app, ["report", "article", "404"])
    assert result.exit_code == 1 and "no article #404" in result.stderr


def test_batch_since_csv_and_bad_dates(runner: CliRunner, built: Built) -> None:
    result = runner.invoke(app, ["report", "batch", "--since", "2024-06-01", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 1 + 7
    result = runner.invoke(app, ["report", "batch", "--since", "last tuesday"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr
    result = runner.invoke(app, ["report", "batch", "77"])
    assert result.exit_code == 1 and "no batch run #77" in result.stderr


def test_source_report_by_name(runner: CliRunner, built: Built) -> None:
    result = runner.invoke(app, ["report", "source", "tass", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "# Source: TASS" in result.stdout and "relays 1" in result.stdout
    result = runner.invoke(app, ["report", "source", "Nobody At All"])
    assert result.exit_code == 1 and "no source" in result.stderr


def test_claimreview_uses_the_configured_organisation(
    runner: CliRunner, built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(
        app, ["report", "article", str(built.article_id), "--format", "claimreview"]
    )
    assert result.exit_code == 2 and "FACTCHECK_ORGANISATION_URL" in result.stderr
    monkeypatch.setenv("FACTCHECK_ORGANISATION_NAME", "Newsroom Checks")
    monkeypatch.setenv("FACTCHECK_ORGANISATION_URL", "https://checks.example")
    result = runner.invoke(
        app, ["report", "article", str(built.article_id), "--format", "claimreview"]
    )
    assert result.exit_code == 0, result.output
    reviews = json.loads(result.stdout)
    assert len(reviews) == 4
    assert {r["author"]["name"] for r in reviews} == {"Newsroom Checks"}
    assert all(r["url"].startswith("https://checks.example/claims/") for r in reviews)
