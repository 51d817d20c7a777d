"""Source and article corrections: edits with before/after and optimistic locks, unmerge,
split, unnamed sources scoped per article, the article "done" mark and the headline title."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.db.articles import headline_title, store_article
from factcheck.db.models import Article, ClaimSource, Event, Source
from factcheck.db.registry import SourceRegistry
from factcheck.db.session import Database
from factcheck.errors import ConflictError, UsageError
from factcheck.ingest.document import ArticleInput
from factcheck.schema import SourceRef, SourceType
from factcheck.workflow.source_edits import edit_source, split_source, unmerge_source
from factcheck.workflow.sources import merge_sources
from tests.factories import make_article, make_claim, make_source

runner = CliRunner()


def _ok(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result.stdout


def test_edit_source_type_records_before_after_and_locks(database: Database) -> None:
    with database.session() as s:
        office = make_source(s, "statistics office", "unknown", named=False)
        oid = office.id
    _ok(["sources", "edit", str(oid), "--type", "official", "--expected-version", "1"])
    result = runner.invoke(
        app, ["sources", "edit", str(oid), "--role", "x", "--expected-version", "1"]
    )
    assert result.exit_code == 1 and "you saw version 1, it is now 2" in result.stderr
    result = runner.invoke(app, ["sources", "edit", str(oid), "--type", "spy"])
    assert result.exit_code == 2 and "unknown source type 'spy'" in result.stderr
    with database.session() as s:
        row = s.get(Source, oid)
        assert row is not None and (row.type, row.version) == ("official", 2)
        (event,) = s.scalars(select(Event).where(Event.source_id == oid)).all()
        assert event.data == {"before": {"type": "unknown"}, "after": {"type": "official"}}


def test_renaming_into_another_source_is_refused(database: Database) -> None:
    with database.session() as s:
        a = make_source(s, "Nikita Smagin", "expert")
        b = make_source(s, "N. Smagin", "expert")
        b.key = "n smagin"
        ids = (a.id, b.id)
    with pytest.raises(UsageError, match=f"source #{ids[0]} already is"):
        with database.session() as s:
            edit_source(session=s, source_id=ids[1], actor="ana", name="Nikita Smagin")
    with pytest.raises(ConflictError):
        with database.session() as s:
            edit_source(session=s, source_id=ids[1], actor="ana", role="x", expected_version=7)


def test_unmerge_gives_the_claims_back(database: Database) -> None:
    with database.session() as s:
        art = make_article(s)
        keep = make_source(s, "Ministry of Health", "official")
        dup = make_source(s, "Ministry of Defence", "official")
        c1 = make_claim(s, art, "12 people were hurt", sources=[keep])
        c2 = make_claim(s, art, "troops moved north", sources=[dup])
        ids = {"keep": keep.id, "dup": dup.id, "c1": c1.id, "c2": c2.id}
    with database.session() as s:
        merge_sources(session=s, duplicate_id=ids["dup"], keep_id=ids["keep"], actor="ana")
    with database.session() as s:
        row = unmerge_source(session=s, source_id=ids["dup"], actor="ana")
        assert row.merged_into_id is None
        link = s.scalars(select(ClaimSource).where(ClaimSource.claim_id == ids["c2"])).one()
        assert link.source_id == ids["dup"]
        other = s.scalars(select(ClaimSource).where(ClaimSource.claim_id == ids["c1"])).one()
        assert other.source_id == ids["keep"]


def test_split_a_source_that_joined_two_people(database: Database) -> None:
    with database.session() as s:
        art = make_article(s)
        smith = make_source(s, "John Smith", "expert")
        c1 = make_claim(s, art, "growth will slow", sources=[smith])
        c2 = make_claim(s, art, "the port is closed", sources=[smith])
        ids = {"smith": smith.id, "c1": c1.id, "c2": c2.id}
    with database.session() as s:
        new = split_source(
            session=s, source_id=ids["smith"], actor="ana", claim_ids=[ids["c2"]],
            name="Jane Smith", type="official",
        )  # fmt: skip
        assert (new.canonical_name, new.type) == ("Jane Smith", "official")
        links = {cs.claim_id: cs.source_id for cs in s.scalars(select(ClaimSource)).all()}
        assert links == {ids["c1"]: ids["smith"], ids["c2"]: new.id}


def test_split_and_unmerge_refuse_a_stale_version(database: Database) -> None:
    with database.session() as s:
        art = make_article(s)
        keep = make_source(s, "John Smith", "expert")
        dup = make_source(s, "J. Smith", "expert")
        c1 = make_claim(s, art, "growth will slow", sources=[keep])
        make_claim(s, art, "the port is closed", sources=[dup])
        ids = {"keep": keep.id, "dup": dup.id, "c1": c1.id}
    with database.session() as s:
        merge_sources(session=s, duplicate_id=ids["dup"], keep_id=ids["keep"], actor="ana")
    with database.session() as s:
        seen = s.get(Source, ids["dup"]).version  # type: ignore[union-attr]
        edit_source(session=s, source_id=ids["dup"], actor="bo", role="economist")
    with pytest.raises(ConflictError):  # ana still looks at the version before bo's edit
        with database.session() as s:
            unmerge_source(session=s, source_id=ids["dup"], actor="ana", expected_version=seen)
    with pytest.raises(ConflictError):
        with database.session() as s:
            split_source(
                session=s, source_id=ids["keep"], actor="ana", claim_ids=[ids["c1"]],
                name="Jane Smith", expected_version=99,
            )  # fmt: skip
    with database.session() as s:  # nothing moved
        assert s.get(Source, ids["dup"]).merged_into_id == ids["keep"]  # type: ignore[union-attr]
        links = {cs.claim_id: cs.source_id for cs in s.scalars(select(ClaimSource)).all()}
        assert links[ids["c1"]] == ids["keep"]


def test_unnamed_sources_are_scoped_per_article(database: Database) -> None:
    police = SourceRef(name="Police", type=SourceType.official, named=False)
    reuters = SourceRef(name="Reuters", type=SourceType.media, named=True)
    with database.session() as s:
        lagos = make_article(s, "Police said 3 died in Lagos.")
        oslo = make_article(s, "Police said the road in Oslo is closed.")
        reg = SourceRegistry()
        a = reg.resolve_article(session=s, refs=[police, reuters], article_id=lagos.id)
        b = reg.resolve_article(session=s, refs=[police, reuters], article_id=oslo.id)
        again = SourceRegistry().resolve(session=s, ref=police, article_id=lagos.id)
        assert a[0] != b[0] and again == a[0]  # one "Police" per story
        assert a[1] == b[1]  # a named source is desk-wide


def test_article_edit_done_and_history(database: Database) -> None:
    with database.session() as s:
        art = make_article(s, title=None)
        aid = art.id
    _ok(["articles", "edit", str(aid), "--title", "Wages slow", "--published", "2026-03-01"])
    _ok(["articles", "done", str(aid)])
    result = runner.invoke(app, ["articles", "done", str(aid)])
    assert result.exit_code == 2 and "already marked done" in result.stderr
    with database.session() as s:
        row = s.get(Article, aid)
        assert row is not None and row.title == "Wages slow" and row.done_by == "tester"
        actions = [e.action for e in s.scalars(select(Event).where(Event.article_id == aid))]
        assert actions == ["article_edit", "article_done"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Russia and Iran agree on police cooperation\n\nMoscow, June 27. Body.",
            "Russia and Iran agree on police cooperation",
        ),
        ("The minister said on Monday that wages rose.\nMore text.", None),
        ("Only one line without a break", None),
        ("2026-03-01 10:00\nBody text here.", None),
        ("Is the ceasefire holding?\nBody.", "Is the ceasefire holding?"),
    ],
)
def test_headline_title(text: str, title: str | None) -> None:
    assert headline_title(text) == title


def test_txt_and_stdin_articles_get_the_headline_as_title(database: Database) -> None:
    text = "Wage growth slows to 5.6%\n\nWage growth slowed, the office said."
    with database.session() as s:
        row, _ = store_article(session=s, article=ArticleInput(text=text, location="<stdin>"))
        assert row.title == "Wage growth slows to 5.6%"
        html, _ = store_article(
            session=s, article=ArticleInput(text=text + " x", location="a.html", title=None)
        )
        assert html.title is None
    listed = json.loads(_ok(["articles", "list", "--format", "json"]))
    assert "Wage growth slows to 5.6%" in [a["title"] for a in listed]


def test_track_record_shows_counts_below_the_minimum_and_an_interval_from_it() -> None:
    from factcheck.public import SourceRecord, wilson_interval

    def rec(false: int, reviewed: int) -> SourceRecord:
        return SourceRecord(
            id=1, name="x", type=SourceType.official, named=True, role=None,
            reviewed=reviewed, false=false,
        )  # fmt: skip

    assert rec(0, 0).describe() == "no verdicts yet"
    assert rec(1, 1).describe() == "1 of 1 false"
    assert rec(2, 3).describe() == "2 of 3 false"
    assert rec(2, 3).describe(min_verdicts=3) == "2 of 3 false (67%, 95% CI 21–94%)"
    assert rec(6, 10).describe() == "6 of 10 false (60%, 95% CI 31–83%)"
    low, high = wilson_interval(1, 1) or (0.0, 0.0)
    assert round(low, 3) == 0.207 and high == 1.0
    assert rec(1, 1).false_interval == [0.2065, 1.0]
