"""`factcheck extract --extractor llm` against the fake server: cache, cost cap, fallback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli.main import app
from tests.llm.conftest import SECRET_KEY
from tests.llm.fake_server import FakeOpenAI, Fault

TEXT = (
    "The regional council voted on Tuesday to raise the school budget by four percent.\n\n"
    "Anna Berg said the money would pay for 40 new teachers."
)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "budget.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture
def llm_env(fake_llm: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    monkeypatch.setenv("FACTCHECK_LLM_BASE_URL", fake_llm.url)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET_KEY)
    monkeypatch.setenv("FACTCHECK_LLM_TIMEOUT", "2")
    monkeypatch.setenv("FACTCHECK_LLM_MAX_RETRIES", "0")
    return fake_llm


def test_extract_with_llm_prints_grounded_claims_then_serves_the_cache(
    llm_env: FakeOpenAI, article: Path
) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["extract", "--extractor", "llm", str(article)])
    assert first.exit_code == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["extractor"]["name"] == "llm" and data["extractor"]["prompt_version"] == "v2"
    assert data["claims"] and all(TEXT[c["start"] : c["end"]] == c["quote"] for c in data["claims"])
    assert "LLM: 1 call(s), 0 cached" in first.stderr

    again = runner.invoke(app, ["extract", "--extractor", "llm", str(article)])
    assert again.exit_code == 0 and "LLM: 0 call(s), 1 cached" in again.stderr
    assert json.loads(again.stdout)["claims"] == data["claims"]
    assert llm_env.count == 1

    fresh = runner.invoke(app, ["extract", "--extractor", "llm", "--no-cache", str(article)])
    assert fresh.exit_code == 0 and llm_env.count == 2
    for out in (first, again, fresh):
        assert SECRET_KEY not in out.stdout + out.stderr


def test_max_cost_stops_before_spending(llm_env: FakeOpenAI, article: Path) -> None:
    result = CliRunner().invoke(
        app, ["extract", "--extractor", "llm", "--max-cost", "0.0000001", str(article)]
    )
    assert result.exit_code == 1
    assert "--max-cost" in result.stderr and llm_env.count == 0


def test_fallback_offline_marks_its_claims(llm_env: FakeOpenAI, article: Path) -> None:
    llm_env.push(Fault("status", status=503))
    result = CliRunner().invoke(
        app, ["extract", "--extractor", "llm", "--fallback", "offline", str(article)]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["claims"] and {c["extractor"] for c in data["claims"]} == {"offline"}


def test_llm_without_key_or_server_is_a_one_line_usage_error(article: Path) -> None:
    result = CliRunner().invoke(app, ["extract", "--extractor", "llm", str(article)])
    assert result.exit_code == 2
    assert "OPENAI_API_KEY" in result.stderr and "Traceback" not in result.stderr


def test_llm_options_are_refused_for_the_offline_extractor(article: Path) -> None:
    result = CliRunner().invoke(app, ["extract", "--no-cache", str(article)])
    assert result.exit_code == 2 and "--extractor llm" in result.stderr
