"""Corrections from the command line: one transaction each, one-line errors, JSON output
that is the same claim object as `claims show --format json`."""

from __future__ import annotations

import json

from sqlalchemy import select
from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.db.models import Claim, ClaimSource, Event
from factcheck.db.session import Database
from tests.factories import make_article, make_claim, make_source

runner = CliRunner()
TEXT = (
    "Wage growth slowed to 5.6% in the quarter, the minister said. "
    "Beating the 75,000 expected, exports rose and imports fell."
)


def _seed(database: Database) -> dict[str, int]:
    with database.session() as s:
        art = make_article(s, TEXT)
        office = make_source(s, "statistics office", "unknown")
        wage = make_claim(s, art, "Wage growth slowed to 5.6", sources=[office])
        frag = make_claim(s, art, "Beating the 75,000 expected")
        exports = make_claim(s, art, "exports rose and imports fell")
        return {
            "article": art.id, "wage": wage.id, "frag": frag.id, "exports": exports.id,
            "office": office.id,
        }  # fmt: skip


def _ok(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result.stdout


def _fails(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output + result.stderr
    return result.stderr


def test_edit_move_and_history(database: Database) -> None:
    ids = _seed(database)
    wage = str(ids["wage"])
    shown = json.loads(_ok(["claims", "edit", wage, "--kind", "statistic", "--format", "json"]))
    assert shown["kind"] == "statistic" and shown["version"] == 2
    assert "Error: claim #" in _fails(
        ["claims", "edit", wage, "--text", "x", "--expected-version", "1"]
    )
    out = _ok(["claims", "move", wage, "--quote", "Wage growth slowed to 5.6%"])
    assert "Moved" in out
    shown = json.loads(_ok(["claims", "show", wage, "--format", "json"]))
    assert shown["quote"] == "Wage growth slowed to 5.6%" and shown["end"] == 26
    assert [e["action"] for e in shown["events"]] == ["edit", "move_span"]
    assert shown["events"][0]["data"]["before"] == {"kind": "fact"}
    assert "kind: fact → statistic" in _ok(["claims", "history", wage])


def test_bad_input_is_one_line_and_writes_nothing(database: Database) -> None:
    ids = _seed(database)
    wage = str(ids["wage"])
    assert "outside article" in _fails(["claims", "move", wage, "--start", "5", "--end", "999"])
    assert "cannot be empty" in _fails(["claims", "edit", wage, "--text", "  "])
    assert "unknown source type 'spy'" in _fails(
        ["claims", "add", str(ids["article"]), "--quote", "imports fell", "--source", "a man:spy"]
    )
    with database.session() as s:
        assert len(s.scalars(select(Claim)).all()) == 3
        assert s.scalars(select(Event)).all() == []


def test_reject_add_sources_split_merge(database: Database) -> None:
    ids = _seed(database)
    _ok(["claims", "reject", str(ids["frag"]), "--reason", "a fragment, not a claim"])
    assert str(ids["frag"]) not in [
        str(c["id"]) for c in json.loads(_ok(["queue", "--format", "json"]))
    ]
    added = json.loads(
        _ok([
            "claims", "add", str(ids["article"]), "--quote", "the minister said", "--kind",
            "fact", "--source", "police:official:unnamed", "--cue", "said", "--format", "json",
        ])
    )  # fmt: skip
    assert added["quote"] == "the minister said" and added["sources"][0]["name"] == "police"
    assert added["sources"][0]["named"] is False
    wage = str(ids["wage"])
    _ok(["claims", "sources", wage, "--add", "Rachel Reeves:official"])
    shown = json.loads(_ok(["claims", "show", wage, "--format", "json"]))
    reeves = shown["sources"][1]["id"]
    _ok(["claims", "sources", wage, "--first", str(reeves), "--remove", str(ids["office"])])
    shown = json.loads(_ok(["claims", "show", wage, "--format", "json"]))
    assert [s["name"] for s in shown["sources"]] == ["Rachel Reeves"]

    exports = str(ids["exports"])
    out = _ok(["claims", "split", exports, "--quote", "exports rose", "--quote", "imports fell"])
    assert out.startswith(f"Split #{ids['exports']} into #{ids['exports']}, #")
    with database.session() as s:
        parts = s.scalars(select(Claim).where(Claim.quote.in_(["exports rose", "imports fell"])))
        assert len(parts.all()) == 2
    assert "is rejected: re-open it" in _fails(["claims", "merge", wage, str(ids["frag"])])
    _ok(["claims", "merge", str(added["id"]), wage])
    with database.session() as s:
        kept = s.get(Claim, ids["wage"])
        assert kept is not None and (kept.start, kept.end) == (0, TEXT.index(" said") + 5)
        links = s.scalars(select(ClaimSource).where(ClaimSource.claim_id == kept.id)).all()
        assert len(links) == 2  # Reeves, then the police of the merged claim
        gone = s.get(Claim, added["id"])
        assert gone is not None and gone.status == "rejected"
        assert gone.review_note == f"merged into #{kept.id}"
