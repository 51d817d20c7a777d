"""Importing published fact-checks: formats, rating styles, and suggestions on new claims."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from factcheck.config import load_settings
from factcheck.db.models import Claim, Event
from factcheck.db.session import Database
from factcheck.errors import InputError
from factcheck.matching import accept_match, clear_cache, match_new_claims, matches_for
from factcheck.matching.claimreview import (
    Rating,
    import_claimreviews,
    map_rating,
    read_claimreviews,
)
from factcheck.verdicts import DEFAULT_SCALE, Verdict, VerdictScale
from tests.factories import make_claim


def review(claim: str, rating: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim,
        "author": {"@type": "Organization", "name": "PolitiFact", "url": "https://pf.example"},
        "datePublished": "2019-10-02",
        "url": f"https://pf.example/{abs(hash(claim))}",
    }
    if rating is not None:
        obj["reviewRating"] = {"@type": "Rating", **rating}
    obj.update(extra)
    return obj


@pytest.fixture(autouse=True)
def _fresh_index() -> None:
    clear_cache()


@pytest.mark.parametrize(
    ("rating", "key"),
    [
        (Rating("Pants on Fire!"), "false"),
        (Rating("Four Pinocchios"), "false"),
        (Rating("Two Pinocchios"), "mixed"),
        (Rating("Half True"), "mixed"),
        (Rating("Misleading"), "mostly-false"),
        (Rating("Mostly True"), "mostly-true"),
        (Rating("FALSE"), "false"),
        (Rating("Correct"), "true"),
        (Rating("Unsupported: no evidence found"), "unproven"),
        (Rating(None, value=1, best=5, worst=1), "false"),
        (Rating(None, value=2, best=5, worst=1), "mostly-false"),
        (Rating(None, value=5, best=5, worst=1), "true"),
        (Rating(None, value=0, best=10, worst=0), "false"),
        (Rating(None, value=7.5, best=10, worst=0), "mostly-true"),
        # Text wins over a number that disagrees with it.
        (Rating("Mostly False", value=4, best=5, worst=1), "mostly-false"),
    ],
)
def test_rating_styles_map_onto_the_scale(rating: Rating, key: str) -> None:
    verdict = map_rating(rating)
    assert verdict is not None and verdict.key == key


def test_unknown_rating_maps_to_nothing() -> None:
    assert map_rating(Rating("Spicy")) is None
    assert map_rating(Rating(None, value=9, best=5, worst=1)) is None


def test_a_custom_scale_gets_the_nearest_verdict() -> None:
    scale = VerdictScale(
        verdicts=[
            Verdict(key="correct", label="Correct", rating=5),
            Verdict(key="wrong", label="Wrong", rating=1, false=True),
            Verdict(key="partly", label="Partly", rating=3),
        ]
    )
    assert map_rating(Rating("Pants on Fire"), scale).key == "wrong"  # type: ignore[union-attr]
    assert map_rating(Rating("Misleading"), scale).key == "partly"  # type: ignore[union-attr]
    assert map_rating(Rating("Partly"), scale).key == "partly"  # type: ignore[union-attr]


def test_reads_single_list_jsonl_graph_and_google_formats(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps(review("A claim.", {"alternateName": "False"})))
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps([review("B one.", None), review("B two.", None)]))
    lines = tmp_path / "feed.jsonl"
    lines.write_text("\n".join(json.dumps(review(f"C {i}.", None)) for i in range(3)) + "\n")
    graph = tmp_path / "graph.json"
    graph.write_text(json.dumps({"@graph": [{"@type": "WebPage"}, review("D.", None)]}))
    google = tmp_path / "google.json"
    google.write_text(
        json.dumps(
            {
                "claims": [
                    {
                        "text": "E.",
                        "claimant": "A senator",
                        "claimDate": "2020-01-01T00:00:00Z",
                        "claimReview": [
                            {
                                "publisher": {"name": "Fact Desk", "site": "fd.example"},
                                "url": "https://fd.example/e",
                                "reviewDate": "2020-01-05T10:00:00Z",
                                "textualRating": "Four Pinocchios",
                            }
                        ],
                    }
                ]
            }
        )
    )
    assert [r.claim for r in read_claimreviews(single)] == ["A claim."]
    assert [r.claim for r in read_claimreviews(listed)] == ["B one.", "B two."]
    recs = list(read_claimreviews(lines))
    assert [r.location for r in recs] == [f"{lines}:1", f"{lines}:2", f"{lines}:3"]
    assert [r.claim for r in read_claimreviews(graph)] == ["D."]
    (rec,) = read_claimreviews(google)
    assert (rec.publisher, rec.date, rec.claimant, rec.rating.text) == (
        "Fact Desk",
        "2020-01-05",
        "A senator",
        "Four Pinocchios",
    )


def test_bad_files_name_the_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(review("ok.", None)) + "\n" + "{not json\n")
    with pytest.raises(InputError, match=r"broken\.jsonl:2: invalid JSON"):
        list(read_claimreviews(broken))
    empty = tmp_path / "empty.json"
    empty.write_text("  \n")
    with pytest.raises(InputError, match="empty file"):
        list(read_claimreviews(empty))
    no_claim = tmp_path / "noclaim.json"
    no_claim.write_text(json.dumps({"@type": "ClaimReview", "url": "https://x.example"}))
    with pytest.raises(InputError, match="without claimReviewed"):
        list(read_claimreviews(no_claim))
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"@type": "NewsArticle"}))
    with pytest.raises(InputError, match="no ClaimReview"):
        list(read_claimreviews(other))
    with pytest.raises(InputError, match="not found"):
        list(read_claimreviews(tmp_path / "missing.json"))


def test_import_stores_reviewed_reference_claims(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "checks.json"
    path.write_text(
        json.dumps(
            [
                review(
                    "The tax cut is the biggest in history.", {"alternateName": "Pants on Fire!"}
                ),
                review("Crime fell by 5% in 2018.", {"ratingValue": 4, "bestRating": 5}),
                review("The moon is made of cheese.", {"alternateName": "Spicy"}),
            ]
        )
    )
    with database.session() as s:
        summary = import_claimreviews(session=s, path=path, actor="desk")
        assert len(summary.imported) == 3 and len(summary.unmapped) == 1
        rows = s.scalars(select(Claim).order_by(Claim.id)).all()
        assert [(c.origin, c.status, c.verdict, c.article_id) for c in rows] == [
            ("reference", "reviewed", "false", None),
            ("reference", "reviewed", "mostly-true", None),
            ("reference", "reviewed", None, None),
        ]
        assert rows[0].reference["rating_text"] == "Pants on Fire!"  # type: ignore[index]
        assert rows[0].reference["publisher"] == "PolitiFact"  # type: ignore[index]
        assert rows[0].reviewed_by == "PolitiFact"
        assert [e.stance for e in rows[0].evidence] == ["refutes"]
        assert s.scalars(select(Event).where(Event.action == "claimreview_import")).all()
    with database.session() as s:
        again = import_claimreviews(session=s, path=path, actor="desk")
        assert again.imported == [] and again.duplicates == 3


def test_new_claim_matching_a_fact_check_gets_the_suggestion(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "checks.jsonl"
    path.write_text(
        json.dumps(review("The new tax cut is the biggest in American history.", {"name": "False"}))
        + "\n"
    )
    settings = load_settings()
    with database.session() as s:
        before = make_claim(s, text="The tax cut is the biggest in American history, he said.")
        match_new_claims(session=s, claim_ids=[before.id], settings=settings)
        ids = import_claimreviews(session=s, path=path, actor="desk").imported
        # Importing suggests the fact-check to the open claim that was already stored.
        assert match_new_claims(session=s, claim_ids=ids, settings=settings).suggested == 1
        after = make_claim(s, text="The new tax cut is the biggest in American history.")
        summary = match_new_claims(session=s, claim_ids=[after.id], settings=settings)
        # It repeats the open claim (grouped) and was already checked (suggested).
        assert (summary.auto, summary.suggested) == (1, 1)
        assert after.group_id == before.id  # never the fact-check's group
        for claim in (before, after):
            info = next(
                m for m in matches_for(session=s, claim_id=claim.id) if m.origin != "extracted"
            )
            assert info.origin == "reference" and info.claim_id == ids[0]
            assert info.suggestion == "already checked by PolitiFact on 2019-10-02: False"
        accept_match(session=s, match_id=info.match_id, actor="ana")
        assert (after.status, after.verdict) == ("reviewed", "false")
        reference = s.get(Claim, ids[0])
        assert [e.url for e in after.evidence] == [reference.reference["url"]]  # type: ignore[union-attr,index]


def test_reference_claims_do_not_match_each_other(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    path.write_text(
        json.dumps(
            [
                review("The wall is already being built.", {"alternateName": "False"}),
                review("The wall is already being built!", {"alternateName": "Mostly false"}),
            ]
        )
    )
    with database.session() as s:
        ids = import_claimreviews(session=s, path=path, actor="desk").imported
        summary = match_new_claims(session=s, claim_ids=ids, settings=load_settings())
        assert (summary.auto, summary.suggested) == (0, 0)


def test_default_scale_is_used_when_none_given() -> None:
    assert map_rating(Rating("False")) == DEFAULT_SCALE.get("false")


def test_import_reports_each_bad_line_and_imports_the_rest(
    database: Database, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from factcheck.cli.main import app

    path = tmp_path / "archive.jsonl"
    good = [review(f"Claim number {i} is wrong.", {"alternateName": "False"}) for i in (1, 2)]
    path.write_text(
        "\n".join(
            [
                json.dumps(good[0]),
                "{not json",
                json.dumps({"@type": "ClaimReview", "url": "https://x.example/none"}),
                json.dumps(good[1]),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["import", "claimreview", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert f"{path}:2: invalid JSON" in result.stderr
    assert f"{path}:3: ClaimReview without claimReviewed text" in result.stderr
    assert "2 bad record(s)" in result.stderr
    data = json.loads(result.stdout)
    assert data["imported"] == 2 and len(data["errors"]) == 2
    again = CliRunner().invoke(app, ["import", "claimreview", str(path), "--format", "json"])
    assert json.loads(again.stdout)["duplicates"] == 2  # the good ones were stored, once
