"""ClaimReview a desk can publish: credited reuse, one review per group with every
appearance, warnings for claims without one, no junk authors; checked against the
required and recommended fields of Google's fact-check markup documentation
(developers.google.com/search/docs/appearance/structured-data/factcheck)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy.orm import Session

from factcheck.db.models import Claim, ClaimMatch
from factcheck.db.session import Database
from factcheck.matching import accept_match, apply_group_verdict
from factcheck.matching.claimreview import import_claimreviews
from factcheck.report import ReportFormat, load_batch_report, render
from factcheck.report.claimreview import publication_warnings, publishable_name
from factcheck.verdicts import DEFAULT_SCALE
from factcheck.workflow.review import review_claim
from tests.factories import make_article, make_claim, make_source
from tests.report.conftest import ORG

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE / "claimreview.schema.json").read_text(encoding="utf-8"))

# Google's documentation, as data: what each object must and should carry.
GOOGLE = {
    "ClaimReview": {
        "required": ["claimReviewed", "reviewRating", "url"],
        "recommended": ["author", "datePublished", "itemReviewed"],
    },
    "Claim": {"required": [], "recommended": ["appearance", "author", "datePublished",
                                              "firstAppearance"]},
    "Rating": {"required": ["alternateName"],
               "recommended": ["bestRating", "name", "ratingValue", "worstRating"]},
    "author": {"required": ["name"], "recommended": ["url"]},
}  # fmt: skip

FACT_CHECK = {
    "@type": "ClaimReview",
    "url": "https://other-checker.example/2023/doubled",
    "claimReviewed": "Security cooperation between Russia and Iran has doubled since 2021.",
    "author": {"@type": "Organization", "name": "Other Checker", "url": "https://other-checker.example/"},
    "datePublished": "2023-07-02",
    "reviewRating": {"@type": "Rating", "alternateName": "Mostly false", "ratingValue": 2,
                     "bestRating": 5, "worstRating": 1},
}  # fmt: skip


def _at(day: int) -> datetime:
    return datetime(2023, 6, day, 9, 0, tzinfo=UTC)


def _desk(s: Session, tmp_path: Path) -> dict[str, int]:
    expert = make_source(s, "Nikita Smagin", "expert", role="Iranist")
    vague = make_source(s, "official figures", "official", named=False)
    first = make_article(s, "First.", outlet="Caspian Wire", published_at=_at(28))
    second = make_article(s, "Second.", outlet="Gulf Courier", published_at=_at(27))
    no_url = make_article(s, "Third.", title="Saved without its address")
    no_url.url = None
    stat = "More than 260 people were killed in riots."
    c1 = make_claim(s, first, stat, sources=[vague])
    c2 = make_claim(s, second, stat, sources=[vague])
    for c in (c1, c2):
        c.group_id = c1.id  # what automatic grouping of repeats records
    c3 = make_claim(s, no_url, "The visit was planned in advance.", sources=[expert])
    c4 = make_claim(s, first, FACT_CHECK["claimReviewed"], sources=[expert])
    s.flush()
    archive = tmp_path / "archive.jsonl"
    archive.write_text(json.dumps(FACT_CHECK) + "\n", encoding="utf-8")
    (ref_id,) = import_claimreviews(session=s, path=archive, actor="alice").imported
    match = ClaimMatch(
        claim_id=c4.id, matched_claim_id=ref_id, score=1.0, method="lexical", status="suggested"
    )
    s.add(match)
    s.flush()
    review_claim(session=s, claim_id=c1.id, actor="alice", verdict="true", scale=DEFAULT_SCALE)
    apply_group_verdict(session=s, claim_id=c1.id, actor="alice", scale=DEFAULT_SCALE)
    review_claim(session=s, claim_id=c3.id, actor="alice", verdict="false", scale=DEFAULT_SCALE)
    accept_match(session=s, match_id=match.id, actor="alice", scale=DEFAULT_SCALE)
    assert s.get(Claim, c4.id).verdict == "mostly-false"  # type: ignore[union-attr]
    return {"c1": c1.id, "c2": c2.id, "c3": c3.id, "c4": c4.id, "ref": ref_id, "no_url": no_url.id}


@pytest.fixture
def published(database: Database, tmp_path: Path) -> tuple[dict[str, int], list[Any], Any]:
    with database.session() as s:
        ids = _desk(s, tmp_path)
    with database.session() as s:
        report = load_batch_report(
            session=s, scale=DEFAULT_SCALE, organisation=ORG, since=datetime(2000, 1, 1, tzinfo=UTC)
        )
    return ids, json.loads(render(report, ReportFormat.claimreview)), report


def _by_text(reviews: list[Any], start: str) -> dict[str, Any]:
    (found,) = [r for r in reviews if r["claimReviewed"].startswith(start)]
    return found  # type: ignore[no-any-return]


def test_one_review_per_group_with_every_appearance(published: Any) -> None:
    ids, reviews, _ = published
    assert len(reviews) == 3  # the group of two, the no-URL claim, the reused verdict
    group = _by_text(reviews, "More than 260")
    assert group["url"] == f"https://check.example/claims/{ids['c1']}"
    urls = [a["url"] for a in group["itemReviewed"]["appearance"]]
    assert len(urls) == 2 and len(set(urls)) == 2
    first = group["itemReviewed"]["firstAppearance"]
    assert first["publisher"]["name"] == "Gulf Courier"  # published a day earlier
    assert group["itemReviewed"]["datePublished"] == "2023-06-27"


def test_a_reused_verdict_credits_the_fact_check_it_came_from(published: Any) -> None:
    _, reviews, _ = published
    reused = _by_text(reviews, "Security cooperation")
    based = reused["isBasedOn"]
    assert based["url"] == FACT_CHECK["url"]
    assert based["author"] == {
        "@type": "Organization",
        "name": "Other Checker",
        "url": "https://other-checker.example/",
    }
    assert based["reviewRating"]["alternateName"] == "Mostly false"
    assert "Other Checker" in reused["reviewBody"] and FACT_CHECK["url"] in reused["reviewBody"]
    assert reused["author"]["name"] == ORG.name  # published by the desk, credited
    own = _by_text(reviews, "More than 260")
    assert "isBasedOn" not in own and "reviewBody" not in own


def test_unnamed_and_junk_claimants_are_never_authors(published: Any) -> None:
    _, reviews, _ = published
    assert "author" not in _by_text(reviews, "More than 260")["itemReviewed"]
    assert _by_text(reviews, "The visit")["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Nikita Smagin",
        "jobTitle": "Iranist",
    }
    for junk in ("official figures", "he", "Sources", "a senior official", "<img src=x>", ""):
        assert not publishable_name(junk), junk
    for name in ("Nikita Smagin", "press service of the Kremlin", "RIAC", "TASS"):
        assert publishable_name(name), name


def test_claims_without_an_appearance_are_warned_about_and_listed(published: Any) -> None:
    ids, reviews, report = published
    assert "appearance" not in _by_text(reviews, "The visit")["itemReviewed"]
    warnings = publication_warnings(report)
    assert "1 published claim(s) have no appearance" in warnings[0]
    assert warnings[1:] == [
        f"  claim #{ids['c3']} (article #{ids['no_url']}: Saved without its address)"
    ]


def test_output_carries_googles_required_and_recommended_fields(published: Any) -> None:
    _, reviews, _ = published
    jsonschema.validate(reviews, SCHEMA)
    for review in reviews:
        for field in GOOGLE["ClaimReview"]["required"] + GOOGLE["ClaimReview"]["recommended"]:
            assert review.get(field), field
        for field in GOOGLE["Rating"]["required"] + GOOGLE["Rating"]["recommended"]:
            assert review["reviewRating"].get(field) is not None, field
        for field in GOOGLE["author"]["required"] + GOOGLE["author"]["recommended"]:
            assert review["author"].get(field), field
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        if "appearance" in item:  # (the article saved without address has no date either)
            assert item.get("datePublished")
            assert item["firstAppearance"] == item["appearance"][0]
            assert all(a["url"].startswith("https://") for a in item["appearance"])
    with_all = _by_text(reviews, "Security cooperation")["itemReviewed"]
    for field in GOOGLE["Claim"]["recommended"]:
        assert with_all.get(field), field
