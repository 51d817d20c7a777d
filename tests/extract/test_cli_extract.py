"""`factcheck extract`: the three output formats and extractor choice."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from factcheck.cli.main import app

runner = CliRunner()
TEXT = "“The budget is balanced,” Mayor Jan de Vries said on Monday.\n\nThe vote is on Friday."


def _article(tmp_path: Path, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_json_for_one_file_is_the_contract_object(tmp_path: Path) -> None:
    path = _article(tmp_path)
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == "1"
    assert data["file"] == str(path)
    assert data["extractor"]["name"] == "offline"
    claim = data["claims"][0]
    assert TEXT[claim["start"] : claim["end"]] == claim["quote"] == "The budget is balanced"
    assert claim["sources"][0]["name"] == "Jan de Vries"


def test_json_for_several_files_is_a_list(tmp_path: Path) -> None:
    paths = [str(_article(tmp_path, "a.txt")), str(_article(tmp_path, "b.txt"))]
    result = runner.invoke(app, ["extract", "--format", "json", *paths])
    assert result.exit_code == 0
    assert [d["file"] for d in json.loads(result.stdout)] == paths


def test_jsonl_is_one_object_per_file(tmp_path: Path) -> None:
    paths = [str(_article(tmp_path, "a.txt")), str(_article(tmp_path, "b.txt"))]
    result = runner.invoke(app, ["extract", "--format", "jsonl", *paths])
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["file"] for line in lines] == paths


def test_table_shows_claims_and_sources(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", "--format", "table", str(_article(tmp_path))])
    assert result.exit_code == 0
    assert "Jan de Vries" in result.stdout
    assert "(article)" in result.stdout


def test_unknown_extractor_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", "--extractor", "magic", str(_article(tmp_path))])
    assert result.exit_code == 2
    assert "unknown extractor" in result.stderr


def test_extractor_defaults_to_settings(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("FACTCHECK_EXTRACTOR", "offline")
    result = runner.invoke(app, ["extract", str(_article(tmp_path))])
    assert json.loads(result.stdout)["extractor"]["name"] == "offline"


def test_offline_quotes_setting_is_read_from_a_dotenv_file(tmp_path: Path) -> None:
    """FACTCHECK_OFFLINE_QUOTES goes through the settings, so a .env value counts too."""
    path = tmp_path / "q.txt"
    path.write_text(
        "“The plan is fair. The council will vote on it next week,” Mayor Jan de Vries said.",
        encoding="utf-8",
    )

    def quotes() -> list[str]:
        result = runner.invoke(app, ["extract", str(path)])
        assert result.exit_code == 0, result.output
        return [c["quote"] for c in json.loads(result.stdout)["claims"]]

    assert quotes() == ["The plan is fair", "The council will vote on it next week"]
    (tmp_path / ".env").write_text("FACTCHECK_OFFLINE_QUOTES=whole\n", encoding="utf-8")
    assert quotes() == ["The plan is fair. The council will vote on it next week"]
