"""The review desk from the command line: queue, claims and sources commands."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.db.session import Database
from tests.factories import make_article, make_claim, make_source

runner = CliRunner()


def _seed(database: Database) -> dict[str, int]:
    with database.session() as s:
        ministry = make_source(s, "Ministry of Health", "official", role="ministry")
        anon = make_source(s, "sources", "unknown", named=False)
        art = make_article(
            s, "Officials met on Monday. The ministry said 12 people were hurt. Talks went on."
        )
        stat = make_claim(
            s,
            art,
            "The ministry said 12 people were hurt.",
            sources=[ministry],
            priority=0.9,
            kind="statistic",
        )
        rumour = make_claim(s, art, sources=[anon, ministry], priority=0.5, hedged=True)
        opinion = make_claim(s, art, kind="opinion", priority=0.1)
        return {"stat": stat.id, "rumour": rumour.id, "opinion": opinion.id, "art": art.id}


def _ok(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result.stdout


def test_queue_next_json_review_show_history(database: Database) -> None:
    ids = _seed(database)
    listed = json.loads(_ok(["queue", "--format", "json"]))
    assert [c["id"] for c in listed] == [ids["stat"], ids["rumour"], ids["opinion"]]
    explained = json.loads(_ok(["queue", "--kind", "statistic", "--explain", "--format", "json"]))
    assert [c["id"] for c in explained] == [ids["stat"]]
    assert {p["name"] for p in explained[0]["explain"]["parts"]} >= {"kind", "sources"}
    assert "statistic" in _ok(["queue", "--explain"])

    leased = json.loads(_ok(["queue", "next", "--reviewer", "ann", "--format", "json"]))
    assert leased["id"] == ids["stat"]
    assert leased["assigned_to"] == "ann" and leased["lease_expires_at"]
    assert leased["sources"][0]["name"] == "Ministry of Health"
    assert leased["text"] == "The ministry said 12 people were hurt."

    _ok(
        [
            "claims",
            "review",
            str(ids["stat"]),
            "--reviewer",
            "ann",
            "--verdict",
            "Mostly false",
            "--note",
            "it was 6",
            "--evidence",
            "https://health.example/report",
            "--stance",
            "refutes",
        ]
    )
    shown = _ok(["claims", "show", str(ids["stat"])])
    assert "Officials met on Monday" in shown and "12 people were hurt" in shown
    assert "Mostly false" in shown and "https://health.example/report" in shown
    detail = json.loads(_ok(["claims", "show", str(ids["stat"]), "--format", "json"]))
    assert detail["context"]["quote"] == "The ministry said 12 people were hurt."
    assert detail["verdict"] == {"key": "mostly-false", "label": "Mostly false", "rating": 2}
    assert [e["stance"] for e in detail["evidence"]] == ["refutes"]
    history = json.loads(_ok(["claims", "history", str(ids["stat"]), "--format", "json"]))
    assert [e["action"] for e in history] == ["lease", "review", "evidence"]
    assert history[1]["note"] == "it was 6"


def test_bulk_skip_reopen_and_errors(database: Database) -> None:
    ids = _seed(database)
    _ok(["claims", "skip", str(ids["rumour"]), str(ids["opinion"]), "--note", "not checkable"])
    statuses = json.loads(_ok(["queue", "--status", "skipped", "--format", "json"]))
    assert sorted(c["id"] for c in statuses) == sorted([ids["rumour"], ids["opinion"]])

    again = runner.invoke(app, ["claims", "review", str(ids["opinion"]), "--verdict", "true"])
    assert again.exit_code == 1
    assert again.stderr.startswith("Error: claim #") and "re-open it first" in again.stderr
    assert "Traceback" not in again.output + again.stderr

    # Bulk review is all or nothing: one finished claim stops the whole batch.
    bulk = runner.invoke(
        app, ["claims", "review", str(ids["stat"]), str(ids["opinion"]), "--verdict", "true"]
    )
    assert bulk.exit_code == 1
    assert (
        json.loads(_ok(["claims", "show", str(ids["stat"]), "--format", "json"]))["status"] == "new"
    )

    _ok(["claims", "reopen", str(ids["opinion"])])
    bad = runner.invoke(app, ["claims", "review", str(ids["opinion"]), "--verdict", "meh"])
    assert bad.exit_code == 2 and "unknown verdict 'meh'" in bad.stderr
    missing = runner.invoke(app, ["claims", "show", "99999"])
    assert missing.exit_code == 1 and missing.stderr.strip() == "Error: no claim #99999"
    stance = runner.invoke(
        app, ["claims", "review", str(ids["opinion"]), "--verdict", "true", "--stance", "refutes"]
    )
    assert stance.exit_code == 2 and "--stance needs an --evidence" in stance.stderr


def test_release_and_empty_queue(database: Database) -> None:
    ids = _seed(database)
    for _ in range(3):
        _ok(["queue", "next", "--format", "json"])
    assert json.loads(_ok(["queue", "next", "--format", "json"])) is None
    assert "Nothing is waiting" in _ok(["queue", "next"])
    _ok(["queue", "release", str(ids["rumour"]), "--note", "lunch"])
    again = json.loads(_ok(["queue", "next", "--reviewer", "bob", "--format", "json"]))
    assert again["id"] == ids["rumour"] and again["assigned_to"] == "bob"
    stolen = runner.invoke(app, ["queue", "release", str(ids["rumour"])])
    assert stolen.exit_code == 1 and "leased by bob" in stolen.stderr
    assert "Refreshed the priority of 3" in _ok(["queue", "refresh"])


def test_sources_list_show_merge(database: Database) -> None:
    ids = _seed(database)
    _ok(["claims", "review", str(ids["stat"]), "--verdict", "false"])
    rows = json.loads(_ok(["sources", "list", "--sort", "false", "--format", "json"]))
    assert rows[0]["name"] == "Ministry of Health"
    assert (rows[0]["claims"], rows[0]["relayed"], rows[0]["share_false"]) == (1, 1, 1.0)
    assert rows[0]["verdicts"] == {"false": 1}
    # One verdict: counts, never "100%" (issue 15).
    assert "100%" not in _ok(["sources", "list"])
    assert "1 with a verdict: 1 of 1 false" in _ok(["sources", "show", "Ministry of Health"])
    shown = json.loads(_ok(["sources", "show", "ministry of health", "--format", "json"]))
    assert {c["id"] for c in shown["claims"]} == {ids["stat"], ids["rumour"]}
    assert shown["record"]["false"] == 1 and shown["merged_from"] == []
    assert "asserter" in _ok(["sources", "show", "Ministry"])
    merged = _ok(["sources", "merge", "sources", "Ministry of Health", "--note", "same"])
    assert "1 claim link(s) moved" in merged
    shown = json.loads(_ok(["sources", "show", "sources", "--format", "json"]))
    assert shown["name"] == "Ministry of Health" and "sources" in shown["aliases"]
    unknown = runner.invoke(app, ["sources", "show", "Nobody at all"])
    assert unknown.exit_code == 1 and "no source named" in unknown.stderr
