"""The web does what the CLI does, in real headless Chromium: search, filters, prior
fact-checks and repeats on the claim page, accepting a match, several evidence links,
applying a group verdict, the shortcuts list, error pages and a phone-width layout.

Screenshots go to $FC_SCREENSHOTS (default: the test's tmp folder).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from factcheck.db.models import Claim, ClaimMatch, Event, Evidence
from factcheck.db.session import Database
from tests.factories import make_article, make_claim, make_source
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, _need_browser, server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["server"]  # the fixture, imported for pytest

MEETING = (
    "Ahmad Reza Radan was received on June 27 by Secretary of the Security Council "
    "Nikolai Patrushev"
)


def _desk(database: Database) -> dict[str, int]:
    """Three articles repeating one claim, an imported fact-check of it, and a bystander."""
    from factcheck.db.users import create_user

    with database.session() as s:
        create_user(session=s, name="alice", password=PASSWORD)
        embassy = make_source(s, "Iranian embassy in Russia", "official")
        kremlin = make_source(s, "press service of the Kremlin", "official")
        wire = make_article(
            s, "Report.", title="Russia and Iran agree on policing", outlet="Example Wire"
        )
        daily = make_article(
            s, "Copy.", title="Iranian police chief in Moscow", outlet="Daily Example"
        )
        weekly = make_article(s, "Copy.", title="Security talks", outlet="Weekly Example")
        meeting = make_claim(s, wire, MEETING, sources=[embassy], priority=0.9)
        call = make_claim(
            s,
            wire,
            "Vladimir Putin held telephone conversations with Ibrahim Raisi",
            sources=[kremlin],
            priority=0.6,
        )
        auto = make_claim(s, daily, MEETING + " in Moscow", sources=[embassy], priority=0.5)
        suggested = make_claim(s, weekly, "Patrushev received Radan on June 27", priority=0.4)
        ref = Claim(
            origin="reference",
            text=MEETING,
            quote=MEETING,
            status="reviewed",
            verdict="mostly-false",
            reviewed_by="Fact Desk",
            reference={
                "publisher": "Fact Desk",
                "rating_text": "Mostly false",
                "url": "https://factdesk.example/radan",
                "date": "2026-06-30",
            },
        )
        s.add(ref)
        s.flush()
        meeting.group_id = meeting.id
        auto.group_id = meeting.id
        s.add_all(
            [
                ClaimMatch(
                    claim_id=auto.id,
                    matched_claim_id=meeting.id,
                    score=0.97,
                    method="lexical",
                    status="auto",
                ),
                ClaimMatch(
                    claim_id=suggested.id,
                    matched_claim_id=meeting.id,
                    score=0.81,
                    method="lexical",
                    status="suggested",
                ),
                ClaimMatch(
                    claim_id=meeting.id,
                    matched_claim_id=ref.id,
                    score=1.0,
                    method="lexical",
                    status="suggested",
                ),
            ]
        )
        s.flush()
        return {
            "meeting": meeting.id,
            "call": call.id,
            "auto": auto.id,
            "suggested": suggested.id,
            "ref": ref.id,
            "wire": wire.id,
        }


def _no_overflow(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"page is {width}px wide in a {viewport}px viewport"


def test_search_filters_matches_and_group_verdict(
    server: str, database: Database, tmp_path: Path
) -> None:
    sync_playwright = _need_browser()
    ids = _desk(database)
    shots = Path(os.environ.get("FC_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{server}/queue")
            page.fill("input[name=name]", "alice")
            page.fill("input[name=password]", PASSWORD)
            page.click("button:has-text('Log in')")
            page.wait_for_url(f"{server}/queue")

            # The queue: each group once, with its repeat count and the prior fact-check.
            rows = page.locator("table.queue tbody tr")
            assert rows.count() == 3  # meeting (with its auto repeat hidden), call, suggested
            first = rows.nth(0)
            assert "already checked · Fact Desk: Mostly false" in first.inner_text()
            assert "1 repeat" in first.inner_text()
            assert "3 claims" in page.inner_text("#totals")
            page.screenshot(path=str(shots / "queue.png"), full_page=True)

            # Filters: only claims already checked elsewhere; then a text search.
            page.select_option("select[name=prior]", "yes")
            page.click(".filters button:has-text('Filter')")
            page.wait_for_url("**prior=yes**")
            assert page.locator("table.queue tbody td.claimcell").count() == 1
            assert "1 claim match these filters" in page.inner_text("#totals")
            page.goto(f"{server}/queue?outlet=Daily+Example&status=all")
            assert page.locator("table.queue tbody td.claimcell").count() == 0  # a repeat
            page.goto(f"{server}/queue")
            page.fill("form.filters input[name=q]", "telephone Raisi")
            page.click(".filters button:has-text('Filter')")
            page.wait_for_url("**q=telephone**")
            cells = page.locator("table.queue tbody td.claimcell a")
            assert cells.count() == 1 and "Putin" in cells.first.inner_text()

            # The top bar's search ("/" focuses it) over claims, articles and sources.
            page.keyboard.press("Escape")
            page.locator("body").press("/")
            assert page.evaluate("document.activeElement.name") == "q"
            page.goto(f"{server}/search?q=Radan")
            assert "4 claims" in page.inner_text("#totals")  # three repeats + the fact-check
            assert "imported fact-check" in page.inner_text("#claims")
            page.screenshot(path=str(shots / "search.png"), full_page=True)
            page.goto(f"{server}/search?q=iranian")
            assert "Iranian embassy in Russia" in page.inner_text("#sources")
            assert "Iranian police chief in Moscow" in page.inner_text("#articles")
            page.screenshot(path=str(shots / "search-sources.png"), full_page=True)

            # The claim page: prior fact-check with publisher, rating and link; repeats.
            page.goto(f"{server}/claims/{ids['meeting']}")
            prior = page.locator("#matches ul.priors li").first
            assert "Fact Desk" in prior.inner_text() and "Mostly false" in prior.inner_text()
            link = prior.locator("a:has-text('read the fact-check')")
            assert link.get_attribute("href") == "https://factdesk.example/radan"
            assert page.locator("#matches ul.repeats li").count() == 2
            # Accept the suggested repeat: it joins the group.
            page.locator("#matches ul.repeats li", has_text="Patrushev received").locator(
                "button:has-text('accept')"
            ).click()
            page.wait_for_selector(".flash-ok")
            assert "accepted" in page.inner_text(".flash-ok")

            # A verdict with two evidence links ("Add another link" adds a third row).
            page.select_option("select[name=verdict]", "mostly-false")
            page.fill("textarea[name=note]", "The meeting was on June 26.")
            urls = page.locator(".evidence-row input[name=evidence_url]")
            urls.nth(0).fill("https://scrf.example/news/26-06")
            urls.nth(1).fill("https://embassy.example/radan")
            page.locator(".evidence-row select[name=evidence_stance]").nth(0).select_option(
                "refutes"
            )
            page.click("button.add-evidence")
            assert page.locator(".evidence-row").count() == 3
            page.screenshot(path=str(shots / "claim.png"), full_page=True)
            page.click("button[value=review]")
            page.wait_for_selector(".flash-ok")
            assert page.locator("ul.evidence li").count() == 2
            assert page.locator("#next form.take-next").count() == 1  # "Next claim →"

            # Apply the verdict to the two repeats still without one.
            apply = page.locator("form.apply-group")
            assert "2 claims of this group" in apply.inner_text()
            apply.locator("button").click()
            page.wait_for_selector(".flash-ok")
            assert "Verdict applied to 2 repeat(s)" in page.inner_text(".flash-ok")
            assert "Every claim of this group has its verdict" in page.inner_text("#matches")
            page.screenshot(path=str(shots / "claim-group-applied.png"), full_page=True)

            # Shortcuts are shown on "?"; Escape hides them.
            page.locator("body").press("?")
            assert page.locator("#shortcuts").is_visible()
            assert "take the next claim" in page.inner_text("#shortcuts")
            page.keyboard.press("Escape")
            assert not page.locator("#shortcuts").is_visible()

            # "Next claim" leases the next new claim and opens it.
            page.click("#next button")
            page.wait_for_url(f"{server}/claims/{ids['call']}")

            # A readable 404.
            page.goto(f"{server}/claims/424242")
            assert page.inner_text("main h1") == "Not found"
            page.goto(f"{server}/nowhere")
            assert page.inner_text("main h1") == "Not found"

            # Phone width: nothing wider than the screen on the queue, claim and search.
            phone = browser.new_context(
                viewport={"width": 390, "height": 844}, storage_state=context.storage_state()
            )
            small = phone.new_page()
            for path, name in (
                ("/queue?status=all", "queue-390.png"),
                (f"/claims/{ids['meeting']}", "claim-390.png"),
                ("/search?q=Radan", "search-390.png"),
                ("/articles", "articles-390.png"),
                (f"/articles/{ids['wire']}", "article-390.png"),
            ):
                small.goto(server + path)
                _no_overflow(small)
                small.screenshot(path=str(shots / name), full_page=True)
            assert small.locator(".topbar").bounding_box()["width"] <= 390  # type: ignore[index]
        finally:
            browser.close()
    assert errors == []

    with database.session() as s:
        claims = {c.id: c for c in s.scalars(select(Claim)).all()}
        for key in ("meeting", "auto", "suggested"):
            assert (claims[ids[key]].status, claims[ids[key]].verdict) == (
                "reviewed",
                "mostly-false",
            ), key
        assert claims[ids["suggested"]].group_id == ids["meeting"]
        urls = sorted(
            e.url for e in s.scalars(select(Evidence).where(Evidence.claim_id == ids["meeting"]))
        )
        assert urls == ["https://embassy.example/radan", "https://scrf.example/news/26-06"]
        # The repeats got the evidence too (apply-group reuses it).
        assert len(s.scalars(select(Evidence).where(Evidence.claim_id == ids["auto"])).all()) == 2
        actions = [
            e.action
            for e in s.scalars(
                select(Event).where(Event.claim_id == ids["suggested"]).order_by(Event.id)
            )
        ]
        assert actions[0] == "match_accepted" and "review" in actions
        assert (
            s.scalars(select(Event).where(Event.action == "group_verdict")).one().actor == "alice"
        )
