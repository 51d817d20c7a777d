"""Article text is untrusted: markup, links and formulas in it come out inert everywhere."""

from __future__ import annotations

import json
import re

import pytest

from factcheck.db.session import Database
from factcheck.report import ArticleReport, ReportFormat, read_claims_csv, render
from tests.report.builders import HOSTILE_TEXT, Built, build_hostile
from tests.report.conftest import load_article
from tests.report.test_formats import parse_html

# What the templates themselves emit; anything else would have come from the data.
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "section",
    "p", "h1", "h2", "h3", "div", "span", "a", "b", "br", "i", "ul", "li", "table", "thead",
    "tbody", "tr", "th", "td", "blockquote", "figure", "svg", "g", "text", "rect",
}  # fmt: skip


@pytest.fixture
def hostile(database: Database) -> tuple[Built, ArticleReport]:
    with database.session() as s:
        built = build_hostile(s)
    return built, load_article(database, built.article_id)


def test_html_shows_hostile_text_as_text(hostile: tuple[Built, ArticleReport]) -> None:
    _, report = hostile
    html = render(report, ReportFormat.html)
    assert "<script" not in html.lower()
    doc = parse_html(html)
    assert {t for t, _ in doc.tags} <= TEMPLATE_TAGS
    for _tag, attrs in doc.tags:
        assert not [k for k in attrs if k.startswith("on")], attrs
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#") or href.startswith("https://"), href
    body = "".join(doc.text)
    # The reader still sees exactly what the article says.
    assert "<script>alert('text')</script> Officials said <img src=x onerror=alert(1)>" in body
    assert "</p><script>alert('note')</script>" in body
    assert "<img src=x onerror=alert('src')>" in body
    # A javascript: link is shown, never linked.
    assert "javascript:alert('evidence')" in body
    assert 'href="javascript' not in html.lower()


def test_markdown_escapes_markup_and_links(hostile: tuple[Built, ArticleReport]) -> None:
    _, report = hostile
    text = render(report, ReportFormat.md)
    # Every < is backslash-escaped, except the <...> around link targets we wrote.
    bare = re.findall(r"(?<!\\)<(?!https://)", text)
    assert bare == []
    assert "\\<script\\>alert('text')\\</script\\>" in text
    # Brackets from the data are escaped, so "[x](javascript:...)" is no link.
    assert re.findall(r"(?<!\\)\]\(<?javascript", text) == []
    assert "\\[x\\](javascript:alert(3))" in text
    # Table cells stay one cell: pipes in a source role or name cannot add columns.
    table = [line for line in text.splitlines() if line.startswith("| \\<img")]
    assert table and all(line.count(" | ") == 5 for line in table)


def test_csv_neutralises_formulas_and_restores_them(hostile: tuple[Built, ArticleReport]) -> None:
    built, report = hostile
    text = render(report, ReportFormat.csv)
    assert ",\"'=HYPERLINK(" in text  # a spreadsheet shows it as text, never runs it
    rows = {int(r["claim_id"]): r for r in read_claims_csv(text)}
    formula = rows[built.claims["c2"]]
    assert formula["claim"] == '=HYPERLINK("http://evil.example","click")'
    assert rows[built.claims["c1"]]["quote"] in HOSTILE_TEXT


def test_claimreview_drops_unsafe_article_links(hostile: tuple[Built, ArticleReport]) -> None:
    _, report = hostile
    reviews = json.loads(render(report, ReportFormat.claimreview))
    assert len(reviews) == 1
    item = reviews[0]["itemReviewed"]
    assert "appearance" not in item  # the article's javascript: URL is not an appearance
    # A markup string is no one's name: it is never published as the claim's author.
    assert "author" not in item


def test_markdown_text_cannot_start_a_heading_or_list_in_a_quote() -> None:
    from factcheck.report.text import md, md_link

    assert md("# Breaking") == "\\# Breaking"
    assert md("- 5 dead") == "\\- 5 dead"
    assert md("Claim #1 costs $5, 0.57 of it!") == "Claim #1 costs $5, 0.57 of it!"
    assert md("two\nlines | one cell") == "two lines \\| one cell"
    assert md_link("see", "javascript:alert(1)") == "see (javascript:alert(1))"
    assert md_link("a)b", "https://x.example/a b") == "a)b (https://x.example/a b)"
