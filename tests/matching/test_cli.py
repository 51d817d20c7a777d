"""The matching commands as a fact-checker types them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from factcheck.db.session import Database
from factcheck.matching import clear_cache
from factcheck.workflow.review import review_claim
from tests.factories import make_claim

runner = CliRunner()

KILLED = "More than 260 people were killed in the attack on the market, officials said."
KILLED_AGAIN = "Officials said more than 260 people were killed in the attack on the market."
MOSCOW = "Moscow can learn from Tehran how to police protests."
MOSCOW_LOOSE = "Moscow can learn a lot from Tehran about how to police street protests, he said."


def run(*args: str) -> tuple[int, str, str]:
    from factcheck.cli.main import app

    clear_cache()
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_match_show_accept_and_apply(database: Database) -> None:
    with database.session() as s:
        ids = [make_claim(s, text=t).id for t in (KILLED, KILLED_AGAIN, MOSCOW, MOSCOW_LOOSE)]
    code, out, err = run("claims", "match", "--all", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["auto"] == 1 and json.loads(out)["suggested"] == 1

    code, out, _ = run("claims", "matches", str(ids[0]), "--format", "json")
    (match,) = json.loads(out)
    assert match["claim_id"] == ids[1] and match["status"] == "auto"

    code, out, _ = run("claims", "matches", str(ids[3]))
    assert code == 0 and "suggested" in out and f"#{ids[2]}" in out

    code, out, _ = run("claims", "show", str(ids[3]), "--format", "json")
    assert code == 0 and [m["claim_id"] for m in json.loads(out)["matches"]] == [ids[2]]
    code, out, _ = run("claims", "show", str(ids[3]))
    assert "Matching claims" in out

    suggestion = json.loads(run("claims", "matches", str(ids[3]), "--format", "json")[1])[0]
    code, out, _ = run("claims", "match-accept", str(suggestion["match_id"]), "--note", "same")
    assert code == 0 and f"group of claim #{ids[2]}" in out
    code, _, err = run("claims", "match-reject", str(suggestion["match_id"]))
    assert code == 1 and "already accepted" in err

    with database.session() as s:
        review_claim(session=s, claim_id=ids[0], actor="ana", verdict="false")
    code, out, _ = run("claims", "apply-group", str(ids[0]), "--dry-run")
    assert code == 0 and out.startswith("apply to 1 matching claim(s)")
    code, out, _ = run("claims", "apply-group", str(ids[0]), "--format", "json")
    assert json.loads(out)["applied"] == [ids[1]]


def test_import_claimreview_command(database: Database, tmp_path: Path) -> None:
    with database.session() as s:
        open_claim = make_claim(s, text=KILLED).id
    path = tmp_path / "checks.jsonl"
    path.write_text(
        json.dumps(
            {
                "@type": "ClaimReview",
                "claimReviewed": "More than 260 people were killed in the market attack.",
                "author": {"name": "Fact Desk"},
                "datePublished": "2024-03-01",
                "url": "https://fd.example/260",
                "reviewRating": {"alternateName": "Mostly False"},
            }
        )
        + "\n"
        + json.dumps({"@type": "ClaimReview", "claimReviewed": "X.", "reviewRating": {"name": "?"}})
        + "\n"
    )
    code, out, err = run("import", "claimreview", str(path))
    assert code == 0, err
    assert "imported 2 fact-check(s), 0 already stored, 1 suggestion(s)" in out
    assert "no verdict on the scale" in out
    code, out, _ = run("claims", "matches", str(open_claim), "--format", "json")
    (match,) = json.loads(out)
    assert match["suggestion"] == "already checked by Fact Desk on 2024-03-01: Mostly false"

    code, _, err = run("import", "claimreview", str(tmp_path / "nope.json"))
    assert code == 1 and err.startswith("Error: ") and "nope.json: file not found" in err


def test_match_needs_ids_or_all(database: Database) -> None:
    code, _, err = run("claims", "match")
    assert code == 2 and "give claim ids or --all" in err
