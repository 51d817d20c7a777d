"""Who acts: `--reviewer` on every command that acts as a reviewer, and a lease error
that names the way out."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.db.session import Database
from tests.factories import make_article, make_claim

runner = CliRunner()

ACTING_COMMANDS = [
    ["queue", "next"],
    ["queue", "release"],
    ["claims", "review"],
    ["claims", "skip"],
    ["claims", "needs-info"],
    ["claims", "reopen"],
    ["claims", "evidence"],
    ["claims", "match-accept"],
    ["claims", "match-reject"],
    ["claims", "apply-group"],
    ["sources", "merge"],
    ["import", "claimreview"],
]


@pytest.mark.parametrize("argv", ACTING_COMMANDS, ids=" ".join)
def test_every_acting_command_takes_reviewer(argv: list[str]) -> None:
    result = runner.invoke(app, [*argv, "--help"])
    assert result.exit_code == 0
    assert "--reviewer" in result.stdout


def _two_claims(database: Database) -> list[int]:
    with database.session() as s:
        art = make_article(s, "The ministry said 12 people were hurt. Talks went on.")
        return [make_claim(s, art, priority=0.9).id, make_claim(s, art, priority=0.1).id]


def test_lease_error_names_reviewer_option_and_variable(database: Database) -> None:
    top, _ = _two_claims(database)
    leased = runner.invoke(app, ["queue", "next", "--reviewer", "alice"])
    assert leased.exit_code == 0, leased.output
    refused = runner.invoke(app, ["claims", "review", str(top), "--verdict", "false"])
    assert refused.exit_code == 1
    message = refused.stderr.strip()
    assert message.count("\n") == 0
    assert f"claim #{top} is leased by alice" in message
    assert "you act as tester" in message
    assert "--reviewer alice" in message and "FACTCHECK_REVIEWER=alice" in message
    # The way out works: the same reviewer under the right name.
    done = runner.invoke(
        app, ["claims", "review", str(top), "--verdict", "false", "--reviewer", "alice"]
    )
    assert done.exit_code == 0, done.output


def test_release_and_merge_record_the_named_reviewer(database: Database) -> None:
    top, _ = _two_claims(database)
    assert runner.invoke(app, ["queue", "next", "--reviewer", "alice"]).exit_code == 0
    refused = runner.invoke(app, ["queue", "release", str(top)])
    assert refused.exit_code == 1 and "--reviewer alice" in refused.stderr
    released = runner.invoke(app, ["queue", "release", str(top), "--reviewer", "alice"])
    assert released.exit_code == 0, released.output
    history = runner.invoke(app, ["claims", "history", str(top), "--format", "json"])
    events = json.loads(history.stdout)
    assert [(e["action"], e["actor"]) for e in events][-1] == ("release", "alice")
