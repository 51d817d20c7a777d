"""CLI habits: readable help types, shell completion, a busy port in one line, and a
feed file's report that asks which article instead of taking the first."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from factcheck.cli.main import app, build_app

runner = CliRunner()


def _commands(cmd: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, sub in getattr(cmd, "commands", {}).items():
        found += _commands(sub, (*prefix, name))
    return found


def test_help_shows_readable_types_never_python_annotations() -> None:
    paths = _commands(get_command(build_app()))
    assert len(paths) > 20
    for path in paths:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "120"})
        assert result.exit_code == 0, (path, result.output)
        python_types = re.findall(r"<(?:bool|str|int|float|list\[[^>]*\]|Path)>", result.stdout)
        assert not python_types, (path, python_types)
    queue_help = runner.invoke(app, ["queue", "--help"], env={"COLUMNS": "120"}).stdout
    assert re.search(r"--limit\s+INTEGER", queue_help)
    assert re.search(r"--format\s+table\|json\|jsonl\|csv\|tsv", queue_help)


def test_shell_completion_is_offered_and_completes_commands() -> None:
    assert "--install-completion" in runner.invoke(app, ["--help"]).stdout
    result = runner.invoke(
        app,
        [],
        prog_name="factcheck",
        env={
            "_FACTCHECK_COMPLETE": "complete_bash",
            "COMP_WORDS": "factcheck que",
            "COMP_CWORD": "1",
        },
    )
    assert "queue" in result.stdout.split()


def test_serve_on_a_busy_port_says_so_in_one_line(database: object) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 3
    assert result.stderr.strip() == (
        f"Error: 127.0.0.1:{port} is already in use (another factcheck serve?); "
        "choose another with --port"
    )


def test_serve_on_a_missing_database_names_it(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"no factcheck database at {tmp_path / 'factcheck.db'}" in result.stderr


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "day.jsonl"
    records = [
        {"title": f"Story {i}", "text": f"The mayor said {i} bridges were closed on Monday."}
        for i in (1, 2, 3)
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_report_path_of_a_feed_lists_its_articles_and_asks(feed: Path, db_url: str) -> None:
    assert runner.invoke(app, ["check", str(feed), "--no-progress"]).exit_code == 0
    result = runner.invoke(app, ["report", "article", "--path", str(feed)])
    assert result.exit_code == 2
    assert "holds 3 stored articles (#1 Story 1; #2 Story 2; #3 Story 3)" in result.stderr
    assert "factcheck report article 1" in result.stderr
    single = feed.parent / "one.jsonl"
    single.write_text(feed.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
    report = runner.invoke(app, ["report", "article", "--path", str(single), "--format", "json"])
    assert report.exit_code == 0, report.output
    assert json.loads(report.stdout)["article"]["id"] == 2


def test_typer_app_builds_with_completion() -> None:
    assert isinstance(build_app(), typer.Typer)
