"""The database in use is never a surprise: named on request, never silently created."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli.main import app

runner = CliRunner()
ARTICLE = "“The budget is balanced,” Mayor Jan de Vries said on Monday.\n"

READ_COMMANDS = [
    ["queue"],
    ["queue", "next"],
    ["claims", "show", "1"],
    ["claims", "review", "1", "--verdict", "false"],
    ["sources", "list"],
    ["articles", "list"],
    ["report", "article", "1"],
    ["users", "list"],
]


@pytest.fixture
def default_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No FACTCHECK_DATABASE_URL: the per-user default, under a private XDG_DATA_HOME."""
    monkeypatch.delenv("FACTCHECK_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "factcheck" / "factcheck.db"


@pytest.mark.parametrize("argv", READ_COMMANDS, ids=lambda a: " ".join(a))
def test_read_command_on_a_missing_database_names_it_and_creates_nothing(
    argv: list[str], tmp_path: Path
) -> None:
    missing = tmp_path / "factcheck.db"
    result = runner.invoke(app, argv)
    assert result.exit_code == 1, result.output
    line = result.stderr.strip()
    assert line.count("\n") == 0, line
    assert f"no factcheck database at {missing}" in line
    assert "from FACTCHECK_DATABASE_URL" in line
    assert "factcheck check" in line and "factcheck db upgrade" in line
    assert not missing.exists()


def test_the_default_database_is_the_same_from_any_folder(
    default_location: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["check", str(article), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert default_location.exists()  # its folder was created on first use
    assert f"Created the factcheck database {default_location}" in result.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(app, ["-v", "queue", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout), "the claims checked in another folder are found"
    assert f"database: {default_location} (from the per-user default" in result.stderr
    assert not (elsewhere / "factcheck.db").exists()


def test_missing_default_database_says_it_is_the_default(default_location: Path) -> None:
    result = runner.invoke(app, ["queue"])
    assert result.exit_code == 1
    assert f"no factcheck database at {default_location}" in result.stderr
    assert "per-user default" in result.stderr


def test_config_show_names_the_database_and_whether_it_exists(tmp_path: Path) -> None:
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"database: {tmp_path / 'factcheck.db'} (not created yet)")
    assert "from FACTCHECK_DATABASE_URL" in first
    runner.invoke(app, ["db", "upgrade"])
    data = json.loads(runner.invoke(app, ["config", "show", "--format", "json"]).stdout)
    assert data["database"] == {
        "database": str(tmp_path / "factcheck.db"),
        "from": "FACTCHECK_DATABASE_URL",
        "exists": True,
    }


def test_a_dotenv_file_is_named_as_the_origin(
    default_location: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text(
        f"FACTCHECK_DATABASE_URL=sqlite:///{tmp_path / 'desk.db'}\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["-v", "sources", "list"])
    assert result.exit_code == 1
    assert f"no factcheck database at {tmp_path / 'desk.db'}" in result.stderr
    assert f"FACTCHECK_DATABASE_URL in {tmp_path / '.env'}" in result.stderr


def test_relative_sqlite_url_is_shown_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", "sqlite:///desk.db")
    result = runner.invoke(app, ["config", "show"])
    assert f"database: {tmp_path / 'desk.db'} (not created yet)" in result.stdout


def test_db_current_on_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["db", "current"])
    assert result.exit_code == 0
    assert f"no database at {tmp_path / 'factcheck.db'} yet" in result.stdout
    assert not (tmp_path / "factcheck.db").exists()
