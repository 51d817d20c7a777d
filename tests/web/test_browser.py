"""End to end in real headless Chromium (Debian's package, never a downloaded browser).

A reviewer logs in, takes the next claim, records a verdict with evidence; the test then
checks the database and the audit trail. Screenshots of the queue and claim pages go to
$FC_SCREENSHOTS (default: the test's tmp folder). Skipped where /usr/bin/chromium
is absent, unless FACTCHECK_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from factcheck.config import load_settings
from factcheck.db.models import Claim, ClaimSource, Event, Evidence
from factcheck.db.session import Database
from factcheck.web import create_app
from tests.factories import make_article, make_claim, make_source
from tests.web.conftest import HOSTILE, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path(os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium"))
SEED = Path(__file__).resolve().parents[2] / "seeds" / "russia-iran-law-enforcement.txt"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _need_browser() -> Any:
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a dev dependency
        reason = f"playwright is not installed: {exc}"
    if reason is None and not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if reason:
        if os.environ.get("FACTCHECK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"FACTCHECK_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(database: Database, db_url: str) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a background thread."""
    import uvicorn

    app = create_app(load_settings(database_url=db_url), database=database)
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _newsroom(database: Database) -> dict[str, int]:
    """The seed article (plus a hostile paragraph) with three claims and their sources."""
    from factcheck.db.users import create_user

    text = SEED.read_text(encoding="utf-8") + f"\n\nReader comment: {HOSTILE}\n"
    with database.session() as s:
        create_user(session=s, name="alice", password=PASSWORD)
        title = "Law enforcement officers of Russia and Iran agreed on cooperation"
        art = make_article(s, text, title=title, outlet="Example Wire")
        embassy = make_source(s, "Iranian embassy in Russia", "official")
        role = "Commander-in-Chief of Iranian Law Enforcement Forces"
        radan = make_source(s, "Ahmad Reza Radan", "official", role=role)
        kremlin = make_source(s, "press service of the Kremlin", "official")
        meeting = make_claim(
            s,
            art,
            "Ahmad Reza Radan, Commander-in-Chief of Iranian Law Enforcement Forces, was "
            "received on June 27 by Secretary of the Security Council of the Russian "
            "Federation Nikolai Patrushev",
            sources=[embassy],
            cue="according to",
            priority=0.82,
            checkworthiness=0.8,
        )
        mention = "the Iranian embassy in Russia"
        start = text.find(mention)
        meeting.sources[0].mention, meeting.sources[0].mention_start = mention, start
        meeting.sources[0].mention_end = start + len(mention)
        good_start = make_claim(
            s,
            art,
            "Radan called the talks a “very good start”",
            sources=[radan],
            kind="opinion",
            priority=0.35,
        )
        call = make_claim(
            s,
            art,
            "Russian President Vladimir Putin held telephone conversations with his Iranian "
            "counterpart Ibrahim Raisi",
            sources=[kremlin],
            cue="according to",
            priority=0.61,
        )
        s.flush()
        return {"meeting": meeting.id, "opinion": good_start.id, "call": call.id, "article": art.id}


def test_reviewer_takes_next_and_records_a_verdict(
    server: str, database: Database, tmp_path: Path
) -> None:
    sync_playwright = _need_browser()
    ids = _newsroom(database)
    shots = Path(os.environ.get("FC_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            external: list[str] = []
            page.on(
                "request", lambda r: None if r.url.startswith(server) else external.append(r.url)
            )

            page.goto(f"{server}/queue")
            assert "/login" in page.url
            page.fill("input[name=name]", "alice")
            page.fill("input[name=password]", PASSWORD)
            page.click("button:has-text('Log in')")
            page.wait_for_url(f"{server}/queue")
            rows = page.locator("table.queue tbody td.claimcell a")
            assert rows.count() == 3
            assert "Patrushev" in rows.nth(0).inner_text()  # highest priority first
            page.screenshot(path=str(shots / "queue.png"), full_page=True)

            cookie = next(c for c in context.cookies() if c["name"] == "factcheck_session")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

            page.click("button:has-text('Take next claim')")
            page.wait_for_url(f"{server}/claims/{ids['meeting']}")
            current = page.locator(".article-text mark.hl-current").first
            assert "Radan, Commander-in-Chief" in current.inner_text()
            assert page.locator(".article-text mark.hl-mention").first.inner_text() == (
                "the Iranian embassy in Russia"
            )
            assert (
                page.locator(f".article-text a.hl-other[href='/claims/{ids['call']}']").count() == 1
            )
            assert "leased to you" in page.inner_text(".claim-head")
            # The hostile paragraph is shown as text and never runs.
            assert "<script>alert" in page.inner_text(".article-text")
            assert page.locator(".article-text script, .article-text img").count() == 0

            page.select_option("select[name=verdict]", "mostly-true")
            page.fill("textarea[name=note]", "Confirmed by the Security Council's own release.")
            page.fill("input[name=evidence_url]", "https://scrf.example/news/27-06")
            page.fill("input[name=evidence_title]", "Security Council press release")
            page.select_option("select[name=evidence_stance]", "supports")
            page.screenshot(path=str(shots / "claim.png"), full_page=True)
            page.click("button:has-text('Record verdict')")
            page.wait_for_selector(".flash-ok")
            assert "verdict recorded" in page.inner_text(".flash-ok")
            assert "Security Council press release" in page.inner_text("ul.evidence")
            page.screenshot(path=str(shots / "claim-reviewed.png"), full_page=True)

            page.click("ol.sources a")
            page.wait_for_url(f"{server}/sources/*")
            assert "1 (100%)" not in page.inner_text("main")  # mostly-true is not false
            assert "Mostly true" in page.inner_text("main")
            page.screenshot(path=str(shots / "source.png"), full_page=True)
            page.goto(f"{server}/articles/{ids['article']}")
            assert page.locator(".article-text a.hl-other").count() == 3
            page.screenshot(path=str(shots / "article.png"), full_page=True)
        finally:
            browser.close()

    assert dialogs == [] and external == []
    with database.session() as s:
        claim = s.get(Claim, ids["meeting"])
        assert claim is not None
        assert (claim.status, claim.verdict, claim.reviewed_by) == (
            "reviewed",
            "mostly-true",
            "alice",
        )
        assert claim.assigned_to is None and claim.lease_expires_at is None
        evidence = s.scalars(select(Evidence).where(Evidence.claim_id == claim.id)).one()
        assert (evidence.url, evidence.stance, evidence.added_by) == (
            "https://scrf.example/news/27-06",
            "supports",
            "alice",
        )
        trail = s.scalars(select(Event).where(Event.claim_id == claim.id).order_by(Event.id)).all()
        assert [(e.actor, e.action, e.from_status, e.to_status) for e in trail] == [
            ("alice", "lease", "new", "in_review"),
            ("alice", "review", "in_review", "reviewed"),
            ("alice", "evidence", None, None),
        ]
        assert trail[1].note == "Confirmed by the Security Council's own release."
        others = s.scalars(select(Claim).where(Claim.id != claim.id)).all()
        assert {c.status for c in others} == {"new"}
        assert s.scalars(select(ClaimSource)).all()
