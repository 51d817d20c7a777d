"""`factcheck check --extractor llm`: the extraction key (model, prompt version), --force."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.db.models import ArticleExtraction, Claim
from factcheck.db.session import Database
from tests.llm.conftest import SECRET_KEY
from tests.llm.fake_server import FakeOpenAI

runner = CliRunner()
TEXT = (
    "The regional council voted on Tuesday to raise the school budget by four percent.\n\n"
    "Anna Berg said the money would pay for 40 new teachers."
)


@pytest.fixture
def env(fake_llm: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("FACTCHECK_LLM_BASE_URL", fake_llm.url)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET_KEY)
    monkeypatch.setenv("FACTCHECK_LLM_TIMEOUT", "2")
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "budget.txt").write_text(TEXT, encoding="utf-8")
    return folder


def _check(folder: Path, *extra: str) -> dict[str, object]:
    result = runner.invoke(
        app,
        ["check", str(folder), "--extractor", "llm", "--no-progress", "--format", "json", *extra],
    )
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _keys(database: Database) -> list[tuple[str | None, str | None, str]]:
    with database.session() as session:
        rows = session.scalars(select(ArticleExtraction).order_by(ArticleExtraction.id)).all()
        return [(r.model, r.prompt_version, r.key) for r in rows]


def test_another_model_or_prompt_re_extracts_and_the_same_one_skips(
    env: Path, database: Database, fake_llm: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _check(env)
    assert first["articles"]["new"] == 1  # type: ignore[index]
    again = _check(env)
    assert again["articles"]["skipped_already_extracted"] == 1  # type: ignore[index]

    monkeypatch.setenv("FACTCHECK_LLM_MODEL", "gemma3-270m")
    other = _check(env)
    assert other["articles"]["new"] == 1  # type: ignore[index]
    monkeypatch.setenv("FACTCHECK_LLM_PROMPT_VERSION", "v1")
    older_prompt = _check(env)
    assert older_prompt["articles"]["new"] == 1  # type: ignore[index]
    assert [(m, p) for m, p, _ in _keys(database)] == [
        ("gpt-4o-mini", "v2"),
        ("gemma3-270m", "v2"),
        ("gemma3-270m", "v1"),
    ]


def test_force_extracts_again_and_keeps_the_old_extraction_superseded(
    env: Path, database: Database, fake_llm: FakeOpenAI
) -> None:
    _check(env)
    fake_llm.reset_counts()
    forced = _check(env, "--force", "--no-cache")
    assert forced["articles"]["new"] == 1  # type: ignore[index]
    assert fake_llm.count == 1
    keys = _keys(database)
    assert len(keys) == 2
    assert keys[0][2].startswith(keys[1][2] + "|superseded:")
    with database.session() as session:
        # The old extraction's claims are still there (reviewers may have worked on them).
        assert session.scalar(select(func.count()).select_from(Claim)) >= 2


def test_check_help_lists_force() -> None:
    result = runner.invoke(app, ["check", "--help"])
    assert "--force" in result.stdout
