"""Corrections in real headless Chromium: select a span of the article and add it as a
claim; split a claim; edit a source's type. Skipped like tests/web/test_browser.py where
Chromium is absent (a failure with FACTCHECK_REQUIRE_BROWSER=1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from factcheck.db.models import Claim, Event, Source
from factcheck.db.session import Database
from factcheck.db.users import create_user
from tests.factories import make_article, make_claim, make_source
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, _need_browser, server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["server"]

TEXT = (
    "Wage growth slowed to 5.6% in the quarter, the statistics office said on Tuesday. "
    "Police said 3 people were hurt and 12 were arrested in the protest."
)


def _desk(database: Database) -> dict[str, int]:
    with database.session() as s:
        create_user(session=s, name="alice", password=PASSWORD)
        art = make_article(s, TEXT, title="Wages slow")
        office = make_source(s, "statistics office", "unknown", named=False)
        wage = make_claim(s, art, "Wage growth slowed to 5.6", sources=[office])
        hurt = make_claim(s, art, "3 people were hurt and 12 were arrested")
        return {"article": art.id, "wage": wage.id, "hurt": hurt.id, "office": office.id}


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    sync_playwright = _need_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            tab = context.new_page()
            tab.goto(f"{server}/login")
            yield tab
        finally:
            browser.close()


def _log_in(page: Any, server: str) -> None:
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{server}/queue")


SELECT_JS = """([box, phrase]) => {
  const root = document.querySelector(box);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(phrase);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + phrase.length);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      root.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
      return true;
    }
  }
  return false;
}"""


def test_select_a_span_and_add_it_as_a_claim(server: str, page: Any, database: Database) -> None:
    ids = _desk(database)
    _log_in(page, server)
    page.goto(f"{server}/articles/{ids['article']}")
    assert page.evaluate(SELECT_JS, [".article-text", "the statistics office said on Tuesday"])
    quote = page.input_value(".add-claim-form textarea[name=quote]")
    assert quote == "the statistics office said on Tuesday"
    assert page.input_value(".add-claim-form input[name=near]") == str(TEXT.index(quote))
    page.select_option(".add-claim-form select[name=kind]", "fact")
    page.click(".add-claim-form button:has-text('Add claim')")
    page.wait_for_selector(".flash-ok")
    assert "added" in page.inner_text(".flash-ok")
    assert "the statistics office said on Tuesday" in page.inner_text(
        ".article-text mark.hl-current"
    )
    with database.session() as s:
        added = s.scalars(select(Claim).where(Claim.extractor == "reviewer")).one()
        assert (added.start, added.end) == (TEXT.index(quote), TEXT.index(quote) + len(quote))
        assert added.edited_by == "alice"


def test_split_a_claim(server: str, page: Any, database: Database) -> None:
    ids = _desk(database)
    _log_in(page, server)
    page.goto(f"{server}/claims/{ids['hurt']}")
    page.fill(".split-form textarea[name=parts]", "3 people were hurt\n12 were arrested")
    page.click(".split-form button:has-text('Split claim')")
    page.wait_for_selector(".flash-ok")
    assert "split into" in page.inner_text(".flash-ok")
    assert page.inner_text(".article-text mark.hl-current") == "3 people were hurt"
    assert "quote: 3 people were hurt and 12 were arrested → 3 people were hurt" in page.inner_text(
        "ol.history"
    )
    with database.session() as s:
        quotes = sorted(c.quote for c in s.scalars(select(Claim).where(Claim.start >= 80)))
        assert quotes == ["12 were arrested", "3 people were hurt"]
        actions = [e.action for e in s.scalars(select(Event).order_by(Event.id))]
        assert actions == ["add", "split"]


def test_edit_a_sources_type(server: str, page: Any, database: Database) -> None:
    ids = _desk(database)
    _log_in(page, server)
    page.goto(f"{server}/sources/{ids['office']}")
    page.select_option(".source-edit-form select[name=type]", "official")
    page.click(".source-edit-form button:has-text('Save source')")
    page.wait_for_selector(".flash-ok")
    assert "official" in page.inner_text("h1")
    with database.session() as s:
        office = s.get(Source, ids["office"])
        assert office is not None and office.type == "official" and office.version == 2
        event = s.scalars(select(Event).where(Event.source_id == ids["office"])).one()
        assert event.data == {"before": {"type": "unknown"}, "after": {"type": "official"}}
