"""The JSON API: same operations as the pages, Bearer tokens, 409 on stale writes, OpenAPI."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from factcheck.db.models import Claim, Event, Evidence, ExtractionRun
from factcheck.db.session import Database
from tests.web.conftest import Desk


def _h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_me_and_claims_listing(client: TestClient, token: str, desk: Desk) -> None:
    assert client.get("/api/me", headers=_h(token)).json() == {"name": "alice"}
    body = client.get("/api/claims", headers=_h(token)).json()
    assert [c["id"] for c in body["items"]] == desk.claim_ids  # priority order
    assert body["has_more"] is False
    first = body["items"][0]
    assert first["sources"][0]["name"] == "Jane Roe" and first["sources"][0]["type"] == "official"
    assert first["version"] == 1 and first["article"]["id"] == desk.article_id
    paged = client.get("/api/claims?limit=2&offset=1", headers=_h(token)).json()
    assert [c["id"] for c in paged["items"]] == desk.claim_ids[1:] and not paged["has_more"]
    one = client.get("/api/claims?limit=1", headers=_h(token)).json()
    assert one["has_more"] is True
    media = client.get("/api/claims?source_type=media", headers=_h(token)).json()
    assert [c["id"] for c in media["items"]] == [desk.claim_ids[1]]
    bad = client.get("/api/claims?kind=rumour", headers=_h(token))
    assert bad.status_code == 422 and "unknown kind" in bad.json()["detail"]


def test_claim_detail(client: TestClient, token: str, desk: Desk) -> None:
    c2 = desk.claim_ids[1]
    d = client.get(f"/api/claims/{c2}", headers=_h(token)).json()
    assert d["context"]["quote"] == "talks resume in May"
    assert [s["name"] for s in d["sources"]] == ["Jane Roe", "TASS"]
    assert {p["name"] for p in d["priority_parts"]} >= {"checkworthiness", "kind"}
    assert d["events"] == [] and d["evidence"] == [] and d["group_size"] == 1
    assert client.get("/api/claims/999999", headers=_h(token)).status_code == 404


def test_take_next_review_and_audit(
    client: TestClient, token: str, desk: Desk, database: Database
) -> None:
    r = client.post("/api/queue/next", headers=_h(token))
    assert r.status_code == 200
    leased = r.json()
    assert leased["id"] == desk.claim_ids[0] and leased["assigned_to"] == "alice"
    assert leased["status"] == "in_review" and leased["events"][0]["action"] == "lease"
    review = {
        "expected_version": leased["version"],
        "verdict": "mostly-false",
        "note": "Hospital counted 3.",
        "evidence": [{"url": "https://hospital.example/a", "stance": "refutes"}],
    }
    done = client.post(f"/api/claims/{leased['id']}/review", headers=_h(token), json=review)
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["status"] == "reviewed" and body["verdict"]["key"] == "mostly-false"
    assert body["evidence"][0]["added_by"] == "alice"
    # The same write again is stale: 409, and nothing changes.
    again = client.post(f"/api/claims/{leased['id']}/review", headers=_h(token), json=review)
    assert again.status_code == 409 and "changed by someone else" in again.json()["detail"]
    with database.session() as s:
        events = s.scalars(select(Event).where(Event.claim_id == leased["id"])).all()
        assert [(e.actor, e.action) for e in events] == [
            ("alice", "lease"),
            ("alice", "review"),
            ("alice", "evidence"),
        ]
        assert len(s.scalars(select(Evidence)).all()) == 1


def test_queue_next_filters_and_empty(client: TestClient, token: str, desk: Desk) -> None:
    r = client.post("/api/queue/next", headers=_h(token), json={"kinds": ["prediction"]})
    assert r.json()["id"] == desk.claim_ids[1]
    empty = client.post("/api/queue/next", headers=_h(token), json={"kinds": ["prediction"]})
    assert empty.status_code == 204 and empty.content == b""
    bad = client.post("/api/queue/next", headers=_h(token), json={"source_types": ["blog"]})
    assert bad.status_code == 422


def test_review_input_is_validated(
    client: TestClient, token: str, desk: Desk, database: Database
) -> None:
    url = f"/api/claims/{desk.claim_ids[0]}/review"
    cases = [
        ({"verdict": "false"}, 422),  # no expected_version: never a blind write
        ({"expected_version": 1}, 422),  # a review needs a verdict
        ({"expected_version": 1, "verdict": "pants"}, 422),
        (
            {
                "expected_version": 1,
                "verdict": "false",
                "evidence": [{"url": "javascript:alert(1)"}],
            },
            422,
        ),
        ({"expected_version": 7, "verdict": "false"}, 409),
    ]
    for body, status in cases:
        r = client.post(url, headers=_h(token), json=body)
        assert r.status_code == status, (body, r.text)
        assert "detail" in r.json()
    with database.session() as s:
        assert s.scalars(select(Event)).all() == []


def test_park_skip_reopen_evidence_release(client: TestClient, token: str, desk: Desk) -> None:
    c1, c2, c3 = desk.claim_ids
    h = _h(token)
    parked = client.post(
        f"/api/claims/{c3}/review",
        headers=h,
        json={"expected_version": 1, "action": "needs_info", "note": "asked"},
    )
    assert parked.json()["status"] == "needs_info"
    skipped = client.post(
        f"/api/claims/{c2}/review", headers=h, json={"expected_version": 1, "action": "skip"}
    )
    assert skipped.json()["status"] == "skipped"
    reopened = client.post(
        f"/api/claims/{c2}/review", headers=h, json={"expected_version": 2, "action": "reopen"}
    )
    assert reopened.json()["status"] == "new"
    ev = client.post(
        f"/api/claims/{c3}/evidence",
        headers=h,
        json={"evidence": [{"url": "https://a.example/", "stance": "supports"}]},
    )
    assert [e["stance"] for e in ev.json()["evidence"]] == ["supports"]
    leased = client.post("/api/queue/next", headers=h).json()
    assert leased["id"] == c1
    released = client.post(
        f"/api/claims/{c1}/release", headers=h, json={"expected_version": leased["version"]}
    )
    assert released.status_code == 200 and released.json()["status"] == "new"
    again = client.post(f"/api/claims/{c1}/release", headers=h)
    assert again.status_code == 409 and "not leased" in again.json()["detail"]


def test_source_article_batches(
    client: TestClient, token: str, desk: Desk, database: Database
) -> None:
    h = _h(token)
    src = client.get(f"/api/sources/{desk.agency_id}", headers=h).json()
    assert src["name"] == "TASS" and src["record"]["relayed"] == 1
    assert [c["position"] for c in src["claims"]] == [1]
    art = client.get(f"/api/articles/{desk.article_id}", headers=h).json()
    assert [c["id"] for c in art["claims"]] == desk.claim_ids
    assert "<script>" in art["text"]  # JSON carries the text as data, unchanged
    with database.session() as s:
        s.add(ExtractionRun(extractor_name="offline", extractor_version="0.1", claims_stored=4))
    runs = client.get("/api/batches", headers=h).json()
    assert runs[0]["claims_stored"] == 4 and runs[0]["status"] == "running"
    assert client.get("/api/sources/424242", headers=h).status_code == 404
    assert client.get("/api/articles/424242", headers=h).status_code == 404


def test_openapi_document(client: TestClient) -> None:
    doc = client.get("/api/openapi.json").json()
    paths = doc["paths"]
    assert {"/api/claims", "/api/queue/next", "/api/claims/{claim_id}/review"} <= set(paths)
    assert not any(p.startswith(("/queue", "/claims", "/login")) for p in paths)
    schemes = doc["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    review = paths["/api/claims/{claim_id}/review"]["post"]
    assert "409" in review["responses"]
    assert "expected_version" in doc["components"]["schemas"]["ReviewIn"]["required"]
    # Swagger UI would load its assets from a CDN: not served.
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


def test_api_writes_do_not_touch_other_claims(
    client: TestClient, token: str, desk: Desk, database: Database
) -> None:
    c1 = desk.claim_ids[0]
    client.post(
        f"/api/claims/{c1}/review",
        headers=_h(token),
        json={"expected_version": 1, "verdict": "true"},
    )
    with database.session() as s:
        statuses = {c.id: c.status for c in s.scalars(select(Claim))}
    assert statuses == {c1: "reviewed", desk.claim_ids[1]: "new", desk.claim_ids[2]: "new"}
