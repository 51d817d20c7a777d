"""The reviewer's pages: queue, take next, claim review with conflicts, source/article/batch."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from factcheck.config import load_settings
from factcheck.db.models import Claim, Event, Evidence, ExtractionRun, RunError
from factcheck.db.session import Database
from factcheck.web import create_app
from factcheck.workflow.queue import lease_next
from tests.factories import make_article, make_claim
from tests.web.conftest import HOSTILE, Browser, Desk, csrf_of, log_in


def _claim_ids(html: str) -> list[int]:
    """Claim ids in the order the queue table lists them."""
    body = html.split("<tbody>", 1)[1]
    return [int(m) for m in re.findall(r'<td class="claimcell"><a href="/claims/(\d+)"', body)]


def _review(b: Browser, claim_id: int, **fields: str) -> object:
    data = {"version": "1", "action": "review", **fields}
    return b.post(f"/claims/{claim_id}/review", data, follow_redirects=False)


def test_queue_is_by_priority_and_filters(as_alice: Browser, desk: Desk) -> None:
    c1, c2, c3 = desk.claim_ids
    page = as_alice.client.get("/queue")
    assert page.status_code == 200
    assert _claim_ids(page.text) == [c1, c2, c3]
    get = as_alice.client.get
    assert _claim_ids(get("/queue?kind=prediction").text) == [c2]
    assert _claim_ids(get("/queue?source_type=media").text) == [c2]
    assert _claim_ids(get(f"/queue?article={desk.article_id}&kind=fact").text) == [c1, c3]
    assert _claim_ids(get("/queue?status=reviewed").text) == []
    bad = get("/queue?article=abc")
    assert bad.status_code == 422 and "article must be a number" in bad.text
    assert get("/queue?kind=rumour").status_code == 422


def test_queue_pages(as_alice: Browser, database: Database) -> None:
    with database.session() as s:
        art = make_article(s, "Paging.")
        for i in range(55):
            make_claim(s, art, f"Claim {i:02d} for paging.", priority=i / 100)
    first = as_alice.client.get("/queue")
    assert len(_claim_ids(first.text)) == 50 and "page=2" in first.text
    second = as_alice.client.get("/queue?page=2")
    assert len(_claim_ids(second.text)) == 5 and "page=3" not in second.text
    assert not set(_claim_ids(first.text)) & set(_claim_ids(second.text))


def test_take_next_leases_like_the_cli(as_alice: Browser, desk: Desk, database: Database) -> None:
    c1, c2, _ = desk.claim_ids
    before = datetime.now(UTC)
    r = as_alice.post("/queue/next", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/claims/{c1}"
    with database.session() as s:
        claim = s.get(Claim, c1)
        assert claim is not None and claim.status == "in_review" and claim.assigned_to == "alice"
        assert claim.lease_expires_at is not None
        assert timedelta(minutes=29) < claim.lease_expires_at - before < timedelta(minutes=31)
        lease = s.scalars(select(Event).where(Event.claim_id == c1)).one()
        assert (lease.actor, lease.action) == ("alice", "lease")
    page = as_alice.client.get(f"/claims/{c1}")
    assert "leased to you" in page.text
    assert f"/claims/{c1}" in as_alice.client.get("/queue").text.split("Your leases", 1)[1]
    # Filters narrow "take next" exactly like the queue page.
    r = as_alice.post("/queue/next", {"kind": "prediction"}, follow_redirects=False)
    assert r.headers["location"] == f"/claims/{c2}"
    r = as_alice.post("/queue/next", {"kind": "prediction"})
    assert "Nothing left to take" in r.text


def test_release_gives_the_claim_back(as_alice: Browser, desk: Desk, database: Database) -> None:
    c1 = desk.claim_ids[0]
    as_alice.post("/queue/next")
    r = as_alice.post(f"/queue/release/{c1}", follow_redirects=False)
    assert r.status_code == 303
    with database.session() as s:
        claim = s.get(Claim, c1)
        assert claim is not None and claim.status == "new" and claim.assigned_to is None
        actions = [e.action for e in s.scalars(select(Event).where(Event.claim_id == c1))]
        assert actions == ["lease", "release"]
    again = as_alice.post(f"/queue/release/{c1}")
    assert "is not leased" in again.text


def test_claim_page_shows_the_claim_in_its_article(as_alice: Browser, desk: Desk) -> None:
    c1, c2, c3 = desk.claim_ids
    html = as_alice.client.get(f"/claims/{c2}").text
    assert re.search(r'<mark class="hl-current"[^>]*>talks resume in May</mark>', html)
    assert re.search(rf'<a class="hl-other" href="/claims/{c1}"[^>]*>12 people were hurt</a>', html)
    assert f'href="/claims/{c3}"' in html
    assert "Jane Roe → TASS" in html  # the relay chain, original asserter first
    assert "interior minister" in html and "cue: “said”" in html
    assert f'href="/sources/{desk.agency_id}"' in html
    assert "Why this priority" in html and "checkworthiness" in html
    for key in ("true", "mostly-true", "mixed", "mostly-false", "false", "unproven"):
        assert f'<option value="{key}"' in html


def test_hostile_article_text_is_inert(as_alice: Browser, desk: Desk) -> None:
    pages = [f"/claims/{desk.claim_ids[0]}", f"/articles/{desk.article_id}", "/articles"]
    for url in pages:
        html = as_alice.client.get(url).text
        assert HOSTILE not in html and "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html


def test_javascript_links_from_a_feed_are_not_clickable(
    as_alice: Browser, database: Database
) -> None:
    with database.session() as s:
        art = make_article(s, "Text.", url="javascript:alert(1)")
        claim = make_claim(s, art, "Some claim.")
    for url in (f"/claims/{claim.id}", f"/articles/{art.id}"):
        assert 'href="javascript:' not in as_alice.client.get(url).text


def test_review_records_verdict_evidence_and_audit(
    as_alice: Browser, desk: Desk, database: Database
) -> None:
    c1 = desk.claim_ids[0]
    r = _review(
        as_alice,
        c1,
        verdict="false",
        note="Hospital says 3.",
        evidence_url="https://hospital.example/statement",
        evidence_stance="refutes",
        evidence_title="Hospital statement",
    )
    assert r.status_code == 303 and r.headers["location"] == f"/claims/{c1}"  # type: ignore[attr-defined]
    with database.session() as s:
        claim = s.get(Claim, c1)
        assert claim is not None
        assert (claim.status, claim.verdict, claim.reviewed_by) == ("reviewed", "false", "alice")
        assert claim.review_note == "Hospital says 3."
        ev = s.scalars(select(Evidence).where(Evidence.claim_id == c1)).one()
        assert (ev.url, ev.stance, ev.added_by) == (
            "https://hospital.example/statement",
            "refutes",
            "alice",
        )
        events = s.scalars(select(Event).where(Event.claim_id == c1).order_by(Event.id)).all()
        assert [(e.actor, e.action) for e in events] == [("alice", "review"), ("alice", "evidence")]
        assert events[0].data is not None and events[0].data["verdict"] == "false"
    page = as_alice.client.get(f"/claims/{c1}").text
    assert "verdict recorded" in page and "Hospital statement" in page
    assert "Re-open" in page and "Record verdict" not in page


def test_stale_form_is_a_conflict_not_a_lost_update(
    client: TestClient, app: object, alice: str, bob: str, desk: Desk, database: Database
) -> None:
    c1 = desk.claim_ids[0]
    alice_b = Browser(client, log_in(client, alice))
    with TestClient(app) as other:  # type: ignore[arg-type]
        bob_b = Browser(other, log_in(other, bob))
        # Both open the claim at version 1; Alice sends first.
        assert 'name="version" value="1"' in other.get(f"/claims/{c1}").text
        assert _review(alice_b, c1, verdict="false", note="Alice's check").status_code == 303  # type: ignore[attr-defined]
        r = _review(bob_b, c1, verdict="true", note="Bob's careful note")
        assert r.status_code == 409  # type: ignore[attr-defined]
        html = r.text  # type: ignore[attr-defined]
        assert "Not saved: this claim changed while you were working on it" in html
        assert "Bob&#39;s careful note" in html  # Bob's input is still in the form
    with database.session() as s:
        claim = s.get(Claim, c1)
        assert claim is not None and claim.verdict == "false" and claim.reviewed_by == "alice"
        actors = {e.actor for e in s.scalars(select(Event).where(Event.claim_id == c1))}
        assert actors == {"alice"}


def test_someone_elses_lease_blocks_the_form(
    as_alice: Browser, desk: Desk, database: Database
) -> None:
    c1 = desk.claim_ids[0]
    with database.session() as s:
        lease_next(session=s, reviewer="bob", lease_minutes=30)
    page = as_alice.client.get(f"/claims/{c1}").text
    assert "bob is reviewing this claim" in page and "Record verdict" not in page
    r = _review(as_alice, c1, verdict="true")
    r = _review(as_alice, c1, verdict="true", version="2")
    assert r.status_code == 409 and "leased by bob" in r.text  # type: ignore[attr-defined]
    with database.session() as s:
        claim = s.get(Claim, c1)
        assert claim is not None and claim.status == "in_review" and claim.verdict is None


def test_bad_review_input_is_explained(as_alice: Browser, desk: Desk, database: Database) -> None:
    c1 = desk.claim_ids[0]
    cases = [
        ({"verdict": "pants-on-fire"}, "unknown verdict"),
        ({"verdict": ""}, "choose a verdict"),
        ({"verdict": "false", "evidence_url": "javascript:alert(1)"}, "http(s) URL"),
        ({"verdict": "false", "action": "delete"}, "unknown action"),
    ]
    for fields, words in cases:
        r = _review(as_alice, c1, **fields)
        assert r.status_code == 422 and words in r.text, (fields, r.text[-500:])  # type: ignore[attr-defined]
    with database.session() as s:
        claim = s.get(Claim, c1)
        assert claim is not None and claim.status == "new" and claim.version == 1
        assert s.scalars(select(Event)).all() == []


def test_park_skip_and_reopen(as_alice: Browser, desk: Desk, database: Database) -> None:
    c1, c2, _ = desk.claim_ids
    assert _review(as_alice, c1, action="needs_info", note="Asked the ministry").status_code == 303  # type: ignore[attr-defined]
    assert _review(as_alice, c2, action="skip").status_code == 303  # type: ignore[attr-defined]
    assert _review(as_alice, c2, action="reopen", version="2").status_code == 303  # type: ignore[attr-defined]
    with database.session() as s:
        assert s.get(Claim, c1).status == "needs_info"  # type: ignore[union-attr]
        assert s.get(Claim, c2).status == "new"  # type: ignore[union-attr]
        actions = [e.action for e in s.scalars(select(Event).order_by(Event.id))]
        assert actions == ["needs_info", "skip", "reopen"]


def test_custom_verdict_scale(database: Database, db_url: str, alice: str, tmp_path: Path) -> None:
    scale = tmp_path / "scale.json"
    scale.write_text(
        json.dumps(
            {
                "verdicts": [
                    {"key": "pants-on-fire", "label": "Pants on fire", "rating": 1, "false": True},
                    {"key": "correct", "label": "Correct", "rating": 5},
                ]
            }
        )
    )
    settings = load_settings(database_url=db_url, verdict_scale_file=scale)
    with database.session() as s:
        claim = make_claim(s)
    with TestClient(create_app(settings, database=database)) as client:
        b = Browser(client, log_in(client, alice))
        html = client.get(f"/claims/{claim.id}").text
        assert '<option value="pants-on-fire"' in html and '<option value="mixed"' not in html
        assert _review(b, claim.id, verdict="pants-on-fire").status_code == 303  # type: ignore[attr-defined]
        assert "Pants on fire" in client.get(f"/claims/{claim.id}").text


def test_source_page_shows_track_record(as_alice: Browser, desk: Desk) -> None:
    c1 = desk.claim_ids[0]
    _review(as_alice, c1, verdict="false")
    html = as_alice.client.get(f"/sources/{desk.official_id}").text
    assert "Jane Roe" in html and "interior minister" in html
    assert re.search(r"<dt>Claims asserted</dt><dd>2</dd>", html)
    # One verdict is counts, never "100%" (issue 15: honest track records).
    assert re.search(r'<dt>Found false</dt><dd class="record">1 of 1 false</dd>', html)
    assert "100%" not in html
    assert f'href="/claims/{c1}"' in html
    agency = as_alice.client.get(f"/sources/{desk.agency_id}").text
    assert re.search(r"<dt>Claims relayed</dt><dd>1</dd>", agency)
    assert as_alice.client.get("/sources/999999").status_code == 404


def test_article_page_and_report(as_alice: Browser, desk: Desk) -> None:
    html = as_alice.client.get(f"/articles/{desk.article_id}").text
    for cid in desk.claim_ids:
        assert f'href="/claims/{cid}"' in html
    assert f'href="/articles/{desk.article_id}/report"' in html
    report = as_alice.client.get(f"/articles/{desk.article_id}/report")
    assert report.status_code == 200 and "12 people were hurt" in report.text
    assert "script-src" not in report.headers["content-security-policy"]  # no scripts at all
    assert "<script>alert" not in report.text
    listing = as_alice.client.get("/articles").text
    assert f'href="/articles/{desk.article_id}"' in listing
    assert as_alice.client.get("/articles/999999").status_code == 404
    assert as_alice.client.get("/articles/999999/report").status_code == 404


def test_batches_page(as_alice: Browser, database: Database) -> None:
    with database.session() as s:
        old = ExtractionRun(
            extractor_name="offline",
            extractor_version="0.1",
            status="finished",
            articles_new=3,
            claims_stored=17,
            started_at=datetime.now(UTC) - timedelta(days=1),
        )
        new = ExtractionRun(
            extractor_name="llm",
            extractor_version="1",
            model="gpt-4o-mini",
            status="failed",
            articles_failed=1,
            cost_usd=0.0123,
        )
        s.add_all([old, new])
        s.flush()
        s.add(RunError(run_id=new.id, location="feed.jsonl:7", message="no text field"))
    html = as_alice.client.get("/batches").text
    assert html.index("gpt-4o-mini") < html.index("offline 0.1")  # newest first
    assert "feed.jsonl:7: no text field" in html and "$0.0123" in html


def test_unknown_claim_is_a_404_page(as_alice: Browser) -> None:
    r = as_alice.client.get("/claims/424242")
    assert r.status_code == 404 and "no claim #424242" in r.text and "<html" in r.text
    assert as_alice.client.get("/claims/abc").status_code == 422
    assert "csrf_token" in csrf_of(as_alice.client.get("/queue").text) or True
