"""Every list command prints table, json, jsonl, csv or tsv, to stdout or -o FILE."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.db.session import Database
from tests.factories import make_article, make_claim, make_source

runner = CliRunner()
LONG = (
    "The ministry said that more than 260 demonstrators and law enforcement officers were "
    "killed in riots in major cities since last September."
)

LIST_COMMANDS = [
    ["queue"],
    ["sources", "list"],
    ["articles", "list"],
    ["runs", "list"],
    ["users", "list"],
    ["claims", "history", "{claim}"],
    ["claims", "matches", "{claim}"],
]


def _seed(database: Database) -> int:
    with database.session() as s:
        ministry = make_source(s, "Ministry of Health", "official")
        art = make_article(s, LONG + " Talks went on.", outlet="Caspian Wire", title="Riots")
        claim = make_claim(s, art, LONG, sources=[ministry], priority=0.9, kind="statistic")
        return claim.id


def _argv(template: list[str], claim: int) -> list[str]:
    return [a.format(claim=claim) for a in template]


@pytest.mark.parametrize("template", LIST_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "table"])
def test_list_command_formats(
    template: list[str], fmt: str, database: Database, tmp_path: Path
) -> None:
    claim = _seed(database)
    argv = _argv(template, claim)
    result = runner.invoke(app, [*argv, "--format", fmt])
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        assert isinstance(json.loads(out), list)
    elif fmt == "jsonl":
        assert all(isinstance(json.loads(line), dict) for line in out.splitlines())
    elif fmt in ("csv", "tsv"):
        rows = list(csv.reader(io.StringIO(out), delimiter="\t" if fmt == "tsv" else ","))
        assert rows and len({len(r) for r in rows}) == 1, "a header and rows of one width"
    written = tmp_path / "out" / f"list.{fmt}"
    to_file = runner.invoke(app, [*argv, "--format", fmt, "-o", str(written)])
    assert to_file.exit_code == 0, to_file.output
    if fmt == "table":
        assert written.read_text(encoding="utf-8").strip()
    else:
        assert written.read_text(encoding="utf-8") == out


def test_queue_table_gives_the_claim_the_width_at_80_columns(database: Database) -> None:
    _seed(database)
    result = runner.invoke(app, ["queue"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    # The claim's words take whole lines of ~50 characters, not a 12-character column.
    assert any("The ministry said that more than 260 demonstrators" in line for line in lines)
    assert "Caspian Wire" in result.stdout  # the outlet, with the article id
    assert "Ministry of Health (official)" in result.stdout


def test_queue_csv_has_source_and_article_columns(database: Database) -> None:
    claim = _seed(database)
    out = runner.invoke(app, ["queue", "--format", "csv"]).stdout
    header, row = list(csv.reader(io.StringIO(out)))
    assert header == ["id", "priority", "kind", "claim", "sources", "article"]
    assert row[0] == str(claim) and row[3] == LONG and row[5].endswith("Caspian Wire")
