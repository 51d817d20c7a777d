"""One public shape per resource: the CLI's `--format json` and the API send the same JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import factcheck.workflow.priority as priority
from factcheck.cli.main import app as cli
from factcheck.public import ClaimDetailPublic, SourcePublic
from tests.web.conftest import Desk

runner = CliRunner()


def _h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # The priority's recency part moves with the clock; both doors read it at one instant.
    moment = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(priority, "utcnow", lambda: moment)


def _cli_json(*args: str) -> object:
    result = runner.invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_claim_is_the_same_object_from_the_cli_and_the_api(
    client: TestClient, token: str, desk: Desk
) -> None:
    claim_id = desk.claim_ids[1]
    leased = client.post("/api/queue/next", headers=_h(token)).json()
    review = {
        "expected_version": leased["version"],
        "verdict": "false",
        "note": "The ministry says June.",
        "evidence": [{"url": "https://gov.example/talks", "stance": "refutes"}],
    }
    assert client.post(
        f"/api/claims/{leased['id']}/review", headers=_h(token), json=review
    ).is_success

    for cid in (leased["id"], claim_id):
        api = client.get(f"/api/claims/{cid}", headers=_h(token)).json()
        assert _cli_json("claims", "show", str(cid)) == api
        ClaimDetailPublic.model_validate(api)  # and it is the published shape
    reviewed = client.get(f"/api/claims/{leased['id']}", headers=_h(token)).json()
    assert [e["action"] for e in reviewed["events"]] == ["lease", "review", "evidence"]
    assert reviewed["events"][0]["from"] == "new" and reviewed["events"][0]["to"] == "in_review"
    assert reviewed["verdict"]["key"] == "false" and reviewed["priority_parts"]


def test_a_source_is_the_same_object_from_the_cli_and_the_api(
    client: TestClient, token: str, desk: Desk
) -> None:
    api = client.get(f"/api/sources/{desk.official_id}", headers=_h(token)).json()
    assert _cli_json("sources", "show", f"#{desk.official_id}") == api
    shape = SourcePublic.model_validate(api)
    assert shape.name == "Jane Roe" and len(shape.claims) == 2


def test_the_queue_lists_the_claims_the_api_lists(
    client: TestClient, token: str, desk: Desk
) -> None:
    api = client.get("/api/claims", headers=_h(token)).json()["items"]
    assert _cli_json("queue") == api
