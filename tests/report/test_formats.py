"""Each format of the article report: reviewed and unreviewed claims, all of them shown."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from factcheck.db.models import Claim
from factcheck.db.session import Database
from factcheck.errors import ConfigError
from factcheck.report import (
    ArticleReport,
    Organisation,
    ReportFormat,
    claim_reviews,
    read_claims_csv,
    render,
)
from factcheck.report.tabular import CSV_COLUMNS
from tests.report.builders import Built, review
from tests.report.conftest import load_article

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "snapshots" / "article.md"
SCHEMA = json.loads((HERE / "claimreview.schema.json").read_text(encoding="utf-8"))


def test_markdown_matches_the_snapshot(article_report: ArticleReport) -> None:
    text = render(article_report, ReportFormat.md)
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert text == SNAPSHOT.read_text(encoding="utf-8")


def test_markdown_marks_unreviewed_claims(article_report: ArticleReport, built: Built) -> None:
    text = render(article_report, "md")
    assert text.count("UNREVIEWED (not checked yet)") == 3
    assert f"### Claim #{built.claims['killed']}: False" in text
    assert "relayed by **TASS** (media)" in text
    assert "[Rights group tally](<https://rights.example/iran-report>)" in text
    assert "**Reviewer note:** Rights groups count over 500 deaths" in text


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> _Html:
    parser = _Html()
    parser.feed(text)
    parser.close()
    return parser


def test_html_is_self_contained_and_links_spans_to_rows(
    article_report: ArticleReport, built: Built
) -> None:
    html = render(article_report, ReportFormat.html)
    doc = parse_html(html)
    tags = [t for t, _ in doc.tags]
    # No external assets: no scripts, stylesheets, images, fonts or frames.
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(tags)
    assert "@import" not in html and "url(" not in html
    assert tags.count("svg") == 2 and tags.count("style") == 1
    rows = {a["id"] for t, a in doc.tags if t == "tr" and a.get("id")}
    assert rows == {f"claim-{cid}" for cid in built.claims.values()}
    highlights = [a for t, a in doc.tags if t == "a" and "hl" in (a.get("class") or "").split()]
    targets = {a["href"] for a in highlights}
    assert targets <= {f"#{r}" for r in rows}
    # Every claim's quote is marked, the overlapping ones included.
    anchors = {a["id"] for t, a in doc.tags if t == "span" and (a.get("id") or "").startswith("q-")}
    assert anchors == {f"q-{cid}" for cid in built.claims.values()}
    unreviewed = [
        a["id"] for t, a in doc.tags if t == "tr" and "unreviewed" in (a.get("class") or "")
    ]
    assert sorted(unreviewed) == sorted(
        f"claim-{built.claims[k]}" for k in ("date", "talks", "assistance")
    )
    body = "".join(doc.text)
    assert body.count("Unreviewed") >= 3
    assert "Embassy statement only; no Russian confirmation." in body


def test_json_has_summary_claims_and_sources(article_report: ArticleReport, built: Built) -> None:
    data = json.loads(render(article_report, ReportFormat.json))
    assert data["kind"] == "article" and data["article"]["outlet"] == "Kommersant"
    assert data["summary"]["reviewed"] == 4 and data["summary"]["unreviewed"] == 3
    assert data["summary"]["by_verdict"]["unreviewed"] == 3
    claims = {c["id"]: c for c in data["claims"]}
    talks = claims[built.claims["talks"]]
    assert talks["verdict"] is None and talks["reviewed"] is False
    assert [s["name"] for s in talks["sources"]] == ["a Kremlin source", "TASS"]
    killed = claims[built.claims["killed"]]
    assert killed["verdict"] == "false" and killed["evidence"][0]["stance"] == "refutes"
    tass = next(s for s in data["sources"] if s["name"] == "TASS")
    assert tass["record"]["relayed"] == 1


def test_csv_round_trips_one_row_per_claim(article_report: ArticleReport) -> None:
    text = render(article_report, ReportFormat.csv)
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
    rows = read_claims_csv(text)
    assert len(rows) == len(article_report.claims)
    assert tuple(rows[0]) == CSV_COLUMNS
    for row, claim in zip(rows, article_report.claims, strict=True):
        assert int(row["claim_id"]) == claim.id
        assert row["claim"] == claim.text and row["quote"] == claim.quote
        assert row["relay_chain"] == claim.relay_chain
        assert row["reviewed"] == ("yes" if claim.reviewed else "no")
        assert row["verdict_label"] == (claim.verdict_label if claim.reviewed else "Unreviewed")
        assert row["evidence_urls"].split(" | ") == ([e.url for e in claim.evidence] or [""])
        assert (row["review_note"] or None) == claim.review_note


def _validate(reviews: list[dict[str, Any]]) -> None:
    jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(reviews)


def test_claimreview_validates_and_publishes_reviewed_claims_only(
    database: Database, built: Built
) -> None:
    with database.session() as s:
        claim = s.get(Claim, built.claims["assistance"])
        assert claim is not None
        review(s, claim, "mostly-false")
    report = load_article(database, built.article_id)
    reviews = json.loads(render(report, ReportFormat.claimreview))
    _validate(reviews)
    by_text = {r["claimReviewed"]: r for r in reviews}
    assert len(reviews) == 5  # four reviewed before, one now; the open ones never
    smagin = by_text[
        "Iran cannot offer Russia technical assistance in law enforcement, says Nikita Smagin."
    ]
    assert smagin["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Nikita Smagin",
        "jobTitle": "Iranist",
    }
    rating = smagin["reviewRating"]
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (2, 5, 1)
    assert rating["alternateName"] == "Mostly false"
    assert smagin["url"] == f"https://check.example/claims/{built.claims['assistance']}"
    assert smagin["author"] == {
        "@type": "Organization",
        "name": "Desk Check",
        "url": "https://check.example",
    }
    assert smagin["datePublished"] == "2024-06-30"
    appearance = smagin["itemReviewed"]["appearance"][0]
    assert appearance["url"] == "https://news.example/russia-iran"
    assert smagin["itemReviewed"]["datePublished"] == "2024-06-28"
    # The article's own voice is attributed to the outlet; an embassy is an organisation.
    own = by_text[
        "Iranian police chief Ahmad Reza Radan was received by Nikolai Patrushev on June 27."
    ]
    assert own["itemReviewed"]["author"] == {"@type": "Organization", "name": "Kommersant"}
    unproven = by_text["Russia initiated the visit."]
    assert unproven["itemReviewed"]["author"]["@type"] == "Organization"
    assert "ratingValue" not in unproven["reviewRating"]
    assert unproven["reviewRating"]["alternateName"] == "Unproven"
    for r in reviews:
        rr = r["reviewRating"]
        if "ratingValue" in rr:
            assert rr["worstRating"] <= rr["ratingValue"] <= rr["bestRating"]


def test_schema_rejects_markup_missing_googles_required_fields(
    article_report: ArticleReport,
) -> None:
    good = claim_reviews(article_report)
    _validate(good)
    for field in ("url", "claimReviewed", "reviewRating"):
        broken = [dict(good[0])]
        del broken[0][field]
        with pytest.raises(jsonschema.ValidationError):
            _validate(broken)
    no_name = [dict(good[0], reviewRating={"@type": "Rating", "ratingValue": 3})]
    with pytest.raises(jsonschema.ValidationError):
        _validate(no_name)


def test_claimreview_needs_a_publication_address(article_report: ArticleReport) -> None:
    article_report.organisation = Organisation(name="Desk Check")
    with pytest.raises(ConfigError, match="FACTCHECK_ORGANISATION_URL"):
        render(article_report, ReportFormat.claimreview)
    article_report.organisation = Organisation(
        name="Desk Check", review_url_template="https://desk.example/a{article_id}/c{claim_id}"
    )
    reviews = claim_reviews(article_report)
    first = article_report.reviewed_claims[0]
    assert reviews[0]["url"] == f"https://desk.example/a{first.article_id}/c{first.id}"
    assert "url" not in reviews[0]["author"]
