"""`factcheck check` groups repeats of a claim across outlets as it stores them."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.db.models import Claim, ClaimMatch
from factcheck.db.session import Database

runner = CliRunner()

WIRE_A = """Protests spread in Iran

The interior ministry said that more than 260 demonstrators were killed in the riots.
Officials in Tehran gave no further details on Monday.
"""
WIRE_B = """Unrest continues across Iranian cities

Talks with the opposition have stalled, the newspaper reported.
The interior ministry said that more than 260 demonstrators were killed in the riots.
"""
WIRE_C = """A different count

The interior ministry said that more than 26 demonstrators were killed in the riots.
"""


def _write(folder: Path) -> list[str]:
    folder.mkdir()
    paths = []
    for name, text in (("a.txt", WIRE_A), ("b.txt", WIRE_B), ("c.txt", WIRE_C)):
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(str(folder / name))
    return paths


def _killed_claims(db: Database) -> list[Claim]:
    with db.session() as s:
        return list(s.scalars(select(Claim).where(Claim.text.contains("demonstrators"))))


def test_repeats_across_articles_are_grouped_and_numbers_kept_apart(
    database: Database, tmp_path: Path
) -> None:
    paths = _write(tmp_path / "wires")
    result = runner.invoke(app, ["check", *paths, "--no-progress", "--format", "json"])
    assert result.exit_code == 0, result.output + result.stderr
    summary = json.loads(result.output)
    # Distinct claims, not match pairs: the one repeat counts once, in one group.
    assert summary["repeats"]["claims_repeating"] == 1
    assert summary["repeats"]["groups"] == 1
    claims = _killed_claims(database)
    by_number = {("260" in c.text): c for c in claims}
    assert len(claims) == 3
    grouped = [c for c in claims if "260" in c.text]
    assert {c.group_id for c in grouped} == {grouped[0].id}  # one group, canonical = first
    assert by_number[False].group_id is None  # "26 killed" is another claim
    # The summary lists the repeated claim once, as standing for both.
    listed = [c for c in summary["top_claims"] if "260" in c["text"]]
    assert len(listed) == 1 and listed[0]["repeats"] == 2
    queue = json.loads(runner.invoke(app, ["queue", "--format", "json"]).output)
    listed = [row["id"] for row in queue if "demonstrators" in row["text"]]
    assert sorted(listed) == sorted([grouped[0].id, by_number[False].id])


def test_no_match_stores_claims_without_grouping(database: Database, tmp_path: Path) -> None:
    paths = _write(tmp_path / "wires")
    result = runner.invoke(app, ["check", *paths, "--no-progress", "--no-match"])
    assert result.exit_code == 0, result.output + result.stderr
    assert all(c.group_id is None for c in _killed_claims(database))
    with database.session() as s:
        assert s.scalars(select(ClaimMatch)).all() == []


def test_summary_collapses_repeats_by_text_without_matching(
    database: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "same"
    folder.mkdir()
    for i, outlet in enumerate(("Caspian Wire", "Gulf Courier", "Volga Daily")):
        (folder / f"{i}.txt").write_text(
            f"The mayor said 12 bridges were closed on Monday.\n\n{outlet} reported {i} delays.\n",
            encoding="utf-8",
        )
    result = runner.invoke(
        app, ["check", str(folder), "--no-match", "--no-progress", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    listed = [c for c in summary["top_claims"] if "bridges" in c["text"]]
    assert len(listed) == 1 and listed[0]["repeats"] == 3
    assert summary["repeats"]["claims_repeating"] == 0  # nothing grouped with --no-match
