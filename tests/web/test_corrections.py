"""Corrections over HTTP: the JSON API (Bearer token, 409 on a stale version, 422 on bad
input with nothing written) and the claim page's forms (CSRF, flash messages)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from factcheck.db.models import Claim, ClaimSource, Event, Source
from factcheck.db.session import Database
from tests.web.conftest import Browser, Desk


def _h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_api_edit_conflict_and_history(client: TestClient, token: str, desk: Desk) -> None:
    c1 = desk.claim_ids[0]
    r = client.patch(
        f"/api/claims/{c1}", headers=_h(token),
        json={"expected_version": 1, "kind": "statistic", "text": "12 people were hurt in clashes"},
    )  # fmt: skip
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kind"] == "statistic" and body["version"] == 2
    assert body["events"][-1]["action"] == "edit"
    assert body["events"][-1]["data"]["before"]["kind"] == "fact"
    stale = client.patch(
        f"/api/claims/{c1}", headers=_h(token), json={"expected_version": 1, "hedged": True}
    )
    assert stale.status_code == 409
    assert "you saw version 1, it is now 2" in stale.json()["detail"]
    assert client.patch(f"/api/claims/{c1}", json={"expected_version": 2}).status_code == 401


def test_api_bad_input_is_422_and_writes_nothing(
    client: TestClient, token: str, desk: Desk, database: Database
) -> None:
    c1 = desk.claim_ids[0]
    outside = client.post(
        f"/api/claims/{c1}/span", headers=_h(token),
        json={"expected_version": 1, "start": 0, "end": 100_000},
    )  # fmt: skip
    assert outside.status_code == 422 and "outside article" in outside.json()["detail"]
    empty = client.patch(
        f"/api/claims/{c1}", headers=_h(token), json={"expected_version": 1, "text": " "}
    )
    assert empty.status_code == 422 and "cannot be empty" in empty.json()["detail"]
    spy = client.post(
        f"/api/articles/{desk.article_id}/claims", headers=_h(token),
        json={"quote": "The harvest was poor.", "sources": [{"name": "a man", "type": "spy"}]},
    )  # fmt: skip
    assert spy.status_code == 422 and "unknown source type 'spy'" in spy.json()["detail"]
    with database.session() as s:
        assert s.scalars(select(Event)).all() == []
        assert len(s.scalars(select(Claim)).all()) == 3
        row = s.get(Claim, c1)
        assert row is not None and row.version == 1


def test_api_reject_add_sources_split_merge(
    client: TestClient, token: str, desk: Desk, database: Database
) -> None:
    c1, c2, c3 = desk.claim_ids
    reason = {"expected_version": 1, "reason": "article voice, not checkable"}
    r = client.post(f"/api/claims/{c3}/reject", headers=_h(token), json=reason)
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    queue = client.get("/api/claims", headers=_h(token)).json()
    assert c3 not in [c["id"] for c in queue["items"]]

    added = client.post(
        f"/api/articles/{desk.article_id}/claims", headers=_h(token),
        json={"quote": "talks resume", "kind": "prediction",
              "sources": [{"source_id": desk.agency_id, "cue": "reported"}]},
    )  # fmt: skip
    assert added.status_code == 201, added.text
    new = added.json()
    assert new["quote"] == "talks resume" and new["sources"][0]["id"] == desk.agency_id
    assert new["added_by_reviewer"] is True and new["edited_by"] == "alice"

    chain = client.put(
        f"/api/claims/{c2}/sources", headers=_h(token),
        json={"expected_version": 1, "sources": [{"source_id": desk.agency_id},
                                                 {"source_id": desk.official_id}]},
    )  # fmt: skip
    assert [s["name"] for s in chain.json()["sources"]] == ["TASS", "Jane Roe"]

    split = client.post(
        f"/api/claims/{c1}/split", headers=_h(token),
        json={"expected_version": 1, "parts": [{"quote": "12 people"}, {"quote": "were hurt"}]},
    )  # fmt: skip
    assert split.status_code == 200, split.text
    first, second = split.json()["claim_ids"]
    assert first == c1
    merged = client.post(
        "/api/claims/merge", headers=_h(token), json={"claim_ids": [second, first]}
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["id"] == c1 and merged.json()["quote"] == "12 people were hurt"
    with database.session() as s:
        gone = s.get(Claim, second)
        assert gone is not None and gone.status == "rejected"


def test_pages_edit_reject_add_and_sources(
    as_alice: Browser, desk: Desk, database: Database
) -> None:
    c1, c2, c3 = desk.claim_ids
    page = as_alice.client.get(f"/claims/{c1}")
    assert f'action="/claims/{c1}/edit"' in page.text and "Add a missed claim" in page.text
    r = as_alice.post(
        f"/claims/{c1}/edit", {"version": "1", "text": "12 hurt", "kind": "statistic"}
    )
    assert r.status_code == 200 and "corrected" in r.text and "kind: fact → statistic" in r.text
    assert "Last corrected by alice" in r.text
    stale = as_alice.post(f"/claims/{c1}/edit", {"version": "1", "text": "x"})
    assert "Not saved" in stale.text and "changed by someone else" in stale.text
    r = as_alice.post(f"/claims/{c3}/reject", {"version": "1", "reason": "no"})
    assert "rejected as not a claim" in r.text
    r = as_alice.post(f"/claims/{c2}/sources", {"version": "1", "op": "add", "name": "police",
                                               "type": "official", "unnamed": "on"})  # fmt: skip
    assert "sources updated" in r.text
    r = as_alice.post(f"/claims/{c2}/sources", {"version": "2", "op": "add", "name": "x",
                                               "type": "spy"})  # fmt: skip
    assert "unknown source type" in r.text
    r = as_alice.post(f"/articles/{desk.article_id}/claims", {"quote": "The harvest was poor"})
    assert "added" in r.text
    with database.session() as s:
        police = s.scalars(select(Source).where(Source.canonical_name == "police")).one()
        assert police.scope == desk.article_id and not police.named
        assert (
            s.scalars(select(ClaimSource).where(ClaimSource.claim_id == c2)).all()[-1].source_id
            == police.id
        )
        assert len(s.scalars(select(Claim)).all()) == 4


def test_api_source_and_article_edits(
    client: TestClient, token: str, desk: Desk, database: Database
) -> None:
    src = client.get(f"/api/sources/{desk.agency_id}", headers=_h(token)).json()
    assert src["version"] == 1 and src["scope"] == 0
    r = client.patch(
        f"/api/sources/{desk.agency_id}", headers=_h(token),
        json={"expected_version": 1, "type": "organization", "role": "news agency"},
    )  # fmt: skip
    assert r.status_code == 200, r.text
    assert (r.json()["type"], r.json()["role"], r.json()["version"]) == (
        "organization", "news agency", 2,
    )  # fmt: skip
    bad = client.patch(
        f"/api/sources/{desk.agency_id}", headers=_h(token),
        json={"expected_version": 2, "type": "spy"},
    )  # fmt: skip
    assert bad.status_code == 422 and "unknown source type 'spy'" in bad.json()["detail"]
    stale = client.patch(
        f"/api/sources/{desk.agency_id}", headers=_h(token),
        json={"expected_version": 1, "role": "x"},
    )  # fmt: skip
    assert stale.status_code == 409

    art = client.patch(
        f"/api/articles/{desk.article_id}", headers=_h(token),
        json={"expected_version": 1, "title": "Clashes in the capital", "outlet": None},
    )  # fmt: skip
    assert art.status_code == 200, art.text
    assert art.json()["title"] == "Clashes in the capital" and art.json()["version"] == 2
    done = client.post(f"/api/articles/{desk.article_id}/done", headers=_h(token), json={})
    assert done.status_code == 200 and done.json()["done_by"] == "alice"

    split = client.post(
        f"/api/sources/{desk.official_id}/split", headers=_h(token),
        json={"claim_ids": [desk.claim_ids[1]], "name": "John Doe"},
    )  # fmt: skip
    assert split.status_code == 200, split.text
    assert split.json()["name"] == "John Doe"
    assert [c["id"] for c in split.json()["claims"]] == [desk.claim_ids[1]]


def test_pages_source_and_article_forms(as_alice: Browser, desk: Desk, database: Database) -> None:
    page = as_alice.client.get(f"/sources/{desk.agency_id}")
    assert "source-edit-form" in page.text
    r = as_alice.post(f"/sources/{desk.agency_id}/edit", {"version": "1", "name": "TASS",
                                                          "type": "media", "named": "on",
                                                          "role": "state agency"})  # fmt: skip
    assert "corrected" in r.text and "state agency" in r.text
    assert "source edit" in r.text and "role: — → state agency" in r.text
    r = as_alice.post(
        f"/sources/{desk.official_id}/split", {"claims": f"#{desk.claim_ids[1]}", "name": "Jo Doe"}
    )
    assert "1 claim(s) moved here." in r.text and "Jo Doe" in r.text
    r = as_alice.post(f"/sources/{desk.official_id}/split", {"claims": "x y", "name": "Z"})
    assert "claim ids like 12, 15" in r.text
    r = as_alice.post(f"/articles/{desk.article_id}/edit", {"version": "1", "title": "New title"})
    assert "corrected" in r.text and "New title" in r.text
    assert "article edit" in r.text and "→ New title" in r.text
    r = as_alice.post(f"/articles/{desk.article_id}/done", {"version": "2", "done": "1"})
    assert "marked done" in r.text and "Not done after all" in r.text


def test_gold_dashboard_and_api_eval(
    as_alice: Browser, client: TestClient, token: str, desk: Desk
) -> None:
    assert client.get("/api/eval", headers=_h(token)).status_code == 204
    assert "No article is marked done yet" in as_alice.client.get("/gold").text
    as_alice.post(f"/articles/{desk.article_id}/done", {"version": "1", "done": "1"})
    body = client.get("/api/eval", headers=_h(token)).json()
    assert body["docs"] == 1 and body["gold_claims"] == 3
    assert set(body["figures"]) >= {"claim_p", "claim_r", "claim_f1", "typed_f1"}
    page = as_alice.client.get("/gold").text
    assert "attributed" in page and f"{body['figures']['claim_f1']:.3f}" in page
