"""Web and API parity without a browser: list filters, search, totals, match decisions,
several evidence links, "Record & next" and readable error pages (SQLite and PostgreSQL).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from factcheck.db.models import Claim, ClaimMatch, Event, Evidence
from factcheck.db.session import Database
from tests.factories import make_article, make_claim
from tests.web.conftest import Browser, Desk


def _h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _ids(html: str) -> list[int]:
    body = html.split("<tbody>", 1)[1]
    return [int(m) for m in re.findall(r'<td class="claimcell"><a href="/claims/(\d+)"', body)]


def _repeat_and_reference(database: Database, desk: Desk) -> dict[str, int]:
    """A repeat of claim 1 in another article (suggested) and an imported fact-check."""
    c1 = desk.claim_ids[0]
    with database.session() as s:
        other = make_article(
            s, "Elsewhere.", outlet="Other Wire", published_at=datetime(2026, 5, 1, tzinfo=UTC)
        )
        repeat = make_claim(s, other, "Twelve people were hurt, the minister said", priority=0.3)
        ref = Claim(
            origin="reference",
            text="12 people were hurt in the clashes",
            quote="12 people were hurt in the clashes",
            status="reviewed",
            verdict="false",
            reference={
                "publisher": "Fact Desk",
                "rating_text": "False",
                "url": "https://f.example/1",
            },
        )
        s.add(ref)
        s.flush()
        m1 = ClaimMatch(
            claim_id=repeat.id, matched_claim_id=c1, score=0.8, method="lexical", status="suggested"
        )
        m2 = ClaimMatch(
            claim_id=c1, matched_claim_id=ref.id, score=0.95, method="lexical", status="suggested"
        )
        s.add_all([m1, m2])
        s.flush()
        return {"repeat": repeat.id, "ref": ref.id, "m_repeat": m1.id, "m_ref": m2.id}


def test_queue_page_filters_totals_and_badges(
    as_alice: Browser, desk: Desk, database: Database
) -> None:
    c1, c2, c3 = desk.claim_ids
    more = _repeat_and_reference(database, desk)
    get = as_alice.client.get
    page = get("/queue")
    assert _ids(page.text) == [c1, c2, more["repeat"], c3]
    assert "<strong>4</strong> claims" in page.text
    assert "already checked · Fact Desk: False" in page.text
    assert _ids(get("/queue?q=harvest").text) == [c3]
    assert _ids(get("/queue?q=hurt&sort=oldest").text) == [c1, more["repeat"]]
    assert _ids(get("/queue?prior=yes").text) == [c1]
    assert _ids(get("/queue?prior=no").text) == [c2, more["repeat"], c3]
    assert _ids(get("/queue?outlet=Other+Wire").text) == [more["repeat"]]
    assert _ids(get("/queue?from=2026-04-01&to=2026-05-01").text) == [more["repeat"]]
    assert _ids(get(f"/queue?source={desk.agency_id}").text) == [c2]
    assert _ids(get("/queue?source=jane").text) == [c1, c2]
    assert _ids(get("/queue?status=all&verdict=false").text) == []
    for bad, why in (
        ("/queue?from=yesterday", "from must be a date"),
        ("/queue?sort=sideways", "unknown sort"),
        ("/queue?q=-only", "at least one word"),
        ("/queue?prior=maybe", "prior must be"),
    ):
        r = get(bad)
        assert r.status_code == 422 and why in r.text, bad


def test_search_page(as_alice: Browser, desk: Desk, database: Database) -> None:
    _repeat_and_reference(database, desk)
    r = as_alice.client.get("/search?q=hurt")
    assert r.status_code == 200
    assert "<strong>3</strong> claims" in r.text  # claim 1, its repeat and the fact-check
    assert "imported fact-check" in r.text
    tass = as_alice.client.get("/search?q=tass")
    assert f'href="/sources/{desk.agency_id}"' in tass.text
    assert as_alice.client.get("/search").status_code == 200  # an empty box, no error


def test_accept_and_reject_matches_from_the_claim_page(
    as_alice: Browser, desk: Desk, database: Database
) -> None:
    c1 = desk.claim_ids[0]
    more = _repeat_and_reference(database, desk)
    page = as_alice.client.get(f"/claims/{c1}")
    assert "Fact Desk" in page.text and 'href="https://f.example/1"' in page.text
    # A match of another claim cannot be decided from this page.
    r = as_alice.post(f"/claims/{desk.claim_ids[1]}/matches/{more['m_repeat']}/accept")
    assert r.status_code == 404
    r = as_alice.post(f"/claims/{c1}/matches/{more['m_ref']}/reject", follow_redirects=False)
    assert r.status_code == 303
    r = as_alice.post(f"/claims/{c1}/matches/{more['m_repeat']}/accept")
    assert "accepted: same claim" in r.text
    again = as_alice.post(f"/claims/{c1}/matches/{more['m_repeat']}/accept")
    assert "only a suggestion is accepted" in again.text  # flashed, nothing changed
    with database.session() as s:
        assert s.get(ClaimMatch, more["m_ref"]).status == "rejected"  # type: ignore[union-attr]
        assert s.get(Claim, more["repeat"]).group_id == c1  # type: ignore[union-attr]
        actions = [e.action for e in s.scalars(select(Event).order_by(Event.id))]
        assert actions == ["match_rejected", "match_accepted"]
    # Review the canonical claim, then apply its verdict to the group.
    with database.session() as s:
        version = s.get(Claim, c1).version  # type: ignore[union-attr]
    reviewed = as_alice.post(f"/claims/{c1}/review", {"version": str(version), "verdict": "false"})
    assert "verdict recorded" in reviewed.text
    applied = as_alice.post(f"/claims/{c1}/apply-group", {"note": "same figure"})
    assert "Verdict applied to 1 repeat(s)" in applied.text
    with database.session() as s:
        repeat = s.get(Claim, more["repeat"])
        assert repeat is not None and (repeat.status, repeat.verdict) == ("reviewed", "false")


def test_several_evidence_links_and_record_next(
    as_alice: Browser, desk: Desk, database: Database
) -> None:
    c1, c2, _ = desk.claim_ids
    form: dict[str, object] = {
        "csrf_token": as_alice.csrf,
        "version": "1",
        "action": "review_next",
        "verdict": "false",
        # Three rows; the empty middle one is left out.
        "evidence_url": ["https://a.example/1", "", "https://b.example/2"],
        "evidence_title": ["First", "", ""],
        "evidence_stance": ["refutes", "context", "supports"],
    }
    r = as_alice.client.post(f"/claims/{c1}/review", data=form, follow_redirects=False)  # type: ignore[arg-type]
    assert r.status_code == 303 and r.headers["location"] == f"/claims/{c2}"
    with database.session() as s:
        rows = s.scalars(select(Evidence).where(Evidence.claim_id == c1).order_by(Evidence.id))
        assert [(e.url, e.title, e.stance) for e in rows] == [
            ("https://a.example/1", "First", "refutes"),
            ("https://b.example/2", None, "supports"),
        ]
        leased = s.get(Claim, c2)
        assert leased is not None and (leased.status, leased.assigned_to) == ("in_review", "alice")
    bad = {
        **form,
        "action": "review",
        "evidence_url": ["javascript:alert(1)", "", ""],
    }
    refused = as_alice.client.post(f"/claims/{c2}/review", data=bad)  # type: ignore[arg-type]
    assert refused.status_code == 422 and "http(s) URL" in refused.text
    assert 'value="javascript:alert(1)"' in refused.text  # kept in the form to fix


def test_error_pages_are_headed_in_words(as_alice: Browser) -> None:
    for url, title in (
        ("/claims/424242", "Not found"),
        ("/nowhere", "Not found"),
        ("/queue?page=0", "Please check what you entered"),
    ):
        r = as_alice.client.get(url)
        h1 = re.search(r"<h1>(.*?)</h1>", r.text)
        assert h1 and h1.group(1) == title, (url, r.text[:300])
        assert "NotFound" not in r.text


def test_api_lists_filters_and_search(
    client: TestClient, token: str, desk: Desk, database: Database
) -> None:
    c1, c2, c3 = desk.claim_ids
    more = _repeat_and_reference(database, desk)
    h = _h(token)
    body = client.get("/api/claims?q=hurt&sort=priority", headers=h).json()
    assert [c["id"] for c in body["items"]] == [c1, more["repeat"]] and body["total"] == 2
    badges = body["badges"][str(c1)]
    assert badges["prior_checks"][0]["publisher"] == "Fact Desk"
    assert badges["prior_checks"][0]["verdict"]["key"] == "false"
    assert str(more["repeat"]) not in body["badges"]  # nothing to flag
    assert client.get("/api/claims?has_prior=true", headers=h).json()["total"] == 1
    assert client.get("/api/claims?outlet=Other%20Wire", headers=h).json()["total"] == 1
    assert client.get("/api/claims?from=2026-04-01&to=2026-05-01", headers=h).json()["total"] == 1
    assert client.get(f"/api/claims?source_id={desk.agency_id}", headers=h).json()["total"] == 1
    with_refs = client.get("/api/claims?q=hurt&repeats=true&status=all", headers=h).json()
    assert with_refs["total"] == 3
    assert client.get("/api/claims?sort=sideways", headers=h).status_code == 422
    assert client.get("/api/claims?q=-x", headers=h).status_code == 422

    found = client.get("/api/search?q=hurt", headers=h).json()
    assert found["claims"]["total"] == 3 and found["articles"]["total"] >= 1
    assert client.get("/api/search?q=tass", headers=h).json()["sources"]["items"][0]["id"] == (
        desk.agency_id
    )
    arts = client.get("/api/articles?outlet=Other%20Wire", headers=h).json()
    assert arts["total"] == 1 and arts["items"][0]["claims"] == 1
    assert client.get("/api/sources?q=jane", headers=h).json()["items"][0]["name"] == "Jane Roe"
    assert client.get("/api/search?q=hurt").status_code == 401  # token needed
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/search", "/api/articles", "/api/sources"} <= set(paths)
    del c2, c3


def test_article_list_search_filters_and_totals(
    as_alice: Browser, desk: Desk, database: Database
) -> None:
    _repeat_and_reference(database, desk)
    get = as_alice.client.get
    everything = get("/articles")
    assert "<strong>2</strong> articles stored" in everything.text
    only = get("/articles?outlet=Other+Wire")
    assert "<strong>1</strong> article matches" in only.text and "Elsewhere" not in only.text
    assert "/articles/" in only.text
    assert "<strong>1</strong> article" in get("/articles?q=harvest").text
    assert "<strong>0</strong> articles" in get("/articles?from=2026-06-01").text
    assert get("/articles?from=soon").status_code == 422


def test_api_match_decisions_and_group_verdict(
    client: TestClient, token: str, desk: Desk, database: Database
) -> None:
    c1 = desk.claim_ids[0]
    more = _repeat_and_reference(database, desk)
    h = _h(token)
    # Accepting the fact-check match reuses its verdict on claim 1.
    detail = client.post(f"/api/matches/{more['m_ref']}/accept", headers=h, json={}).json()
    assert detail["id"] == c1 and detail["status"] == "reviewed"
    assert detail["verdict"]["key"] == "false"
    again = client.post(f"/api/matches/{more['m_ref']}/accept", headers=h)
    assert again.status_code == 409
    joined = client.post(f"/api/matches/{more['m_repeat']}/accept", headers=h).json()
    assert joined["id"] == more["repeat"] and joined["group_id"] == c1
    applied = client.post(f"/api/claims/{c1}/apply-group", headers=h, json={"note": "same"})
    assert applied.status_code == 200, applied.text
    assert applied.json() == {"canonical_id": c1, "verdict": "false", "applied": [], "skipped": {}}
    assert client.post(f"/api/matches/{more['m_repeat']}/reject", headers=h).status_code == 409
    assert client.post("/api/matches/999999/reject", headers=h).status_code == 404
    not_group = client.post(f"/api/claims/{desk.claim_ids[2]}/apply-group", headers=h)
    assert not_group.status_code == 422 and "not the canonical claim" in not_group.json()["detail"]
