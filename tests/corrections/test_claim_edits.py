"""Claim corrections through the library: edits, spans grounded by code, rejections,
added claims, relay chains; each with its audit event and optimistic lock (SQLite and
PostgreSQL, by the `database` fixture)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.db.models import Claim, ClaimSource, Event, Source
from factcheck.db.session import Database
from factcheck.errors import ConflictError, TransitionError, UsageError
from factcheck.workflow.corrections import (
    SourceChoice,
    SpanInput,
    add_claim,
    edit_claim,
    move_span,
    reject_claim,
    set_sources,
)
from factcheck.workflow.queue import QueueFilters, list_queue
from factcheck.workflow.review import reopen_claim
from tests.factories import make_article, make_claim, make_source

TEXT = (
    "Wage growth slowed to 5.6% in the quarter, the statistics office said. "
    "Beating the 75,000 expected, exports rose. Police said 3 people were hurt. "
    "Police said nothing else."
)


def _desk(database: Database) -> dict[str, int]:
    with database.session() as s:
        art = make_article(s, TEXT)
        office = make_source(s, "statistics office", "unknown")
        wage = make_claim(s, art, "Wage growth slowed to 5.6", sources=[office], kind="fact")
        frag = make_claim(s, art, "Beating the 75,000 expected")
        return {"article": art.id, "wage": wage.id, "frag": frag.id, "office": office.id}


def _events(database: Database, claim_id: int) -> list[Event]:
    with database.session() as s:
        rows = s.scalars(select(Event).where(Event.claim_id == claim_id).order_by(Event.id))
        return list(rows.all())


def test_edit_text_kind_hedged_records_before_and_after(database: Database) -> None:
    ids = _desk(database)
    with database.session() as s:
        claim = edit_claim(
            session=s, claim_id=ids["wage"], actor="ana", text="  Wage growth slowed to 5.6% ",
            kind="statistic", hedged=True, expected_version=1,
        )  # fmt: skip
        assert claim.version == 2
    with database.session() as s:
        row = s.get(Claim, ids["wage"])
        assert row is not None
        assert (row.text, row.kind, row.hedged, row.edited_by) == (
            "Wage growth slowed to 5.6%", "statistic", True, "ana",
        )  # fmt: skip
    (event,) = _events(database, ids["wage"])
    assert (event.actor, event.action) == ("ana", "edit")
    assert event.data == {
        "before": {"text": "Wage growth slowed to 5.6", "kind": "fact", "hedged": False},
        "after": {"text": "Wage growth slowed to 5.6%", "kind": "statistic", "hedged": True},
    }


def test_a_stale_version_is_a_conflict_and_writes_nothing(database: Database) -> None:
    ids = _desk(database)
    with database.session() as s:
        edit_claim(session=s, claim_id=ids["wage"], actor="ana", kind="statistic",
                   expected_version=1)  # fmt: skip
    with pytest.raises(ConflictError, match=r"changed by someone else \(you saw version 1"):
        with database.session() as s:
            edit_claim(session=s, claim_id=ids["wage"], actor="ben", text="Other",
                       expected_version=1)  # fmt: skip
    with database.session() as s:
        row = s.get(Claim, ids["wage"])
        assert row is not None and row.text == "Wage growth slowed to 5.6" and row.version == 2
    assert [e.actor for e in _events(database, ids["wage"])] == ["ana"]


def test_empty_text_and_unknown_kind_are_refused(database: Database) -> None:
    ids = _desk(database)
    with pytest.raises(UsageError, match="cannot be empty"):
        with database.session() as s:
            edit_claim(session=s, claim_id=ids["wage"], actor="ana", text="   ")
    with pytest.raises(UsageError, match="unknown claim kind 'rumour'"):
        with database.session() as s:
            edit_claim(session=s, claim_id=ids["wage"], actor="ana", kind="rumour")
    assert _events(database, ids["wage"]) == []


def test_moved_span_is_grounded_by_code(database: Database) -> None:
    ids = _desk(database)
    with database.session() as s:
        claim = move_span(
            session=s, claim_id=ids["wage"], actor="ana",
            span=SpanInput(quote="Wage growth slowed to 5.6% in the quarter"),
        )  # fmt: skip
        start = TEXT.index("Wage growth")
        assert (claim.start, claim.end) == (
            start,
            start + len("Wage growth slowed to 5.6% in the quarter"),
        )
        assert claim.quote == TEXT[claim.start : claim.end]
        assert claim.text == "Wage growth slowed to 5.6% in the quarter"  # was its quote
    (event,) = _events(database, ids["wage"])
    assert event.action == "move_span" and event.data is not None
    assert event.data["before"]["end"] == start + len("Wage growth slowed to 5.6")


@pytest.mark.parametrize(
    ("span", "message"),
    [
        (SpanInput(start=10, end=10_000), "outside article"),
        (SpanInput(start=-1, end=5), "outside article"),
        (SpanInput(quote="GDP fell by 3%"), "not in article"),
        (SpanInput(quote="   "), "quote is empty"),
        (SpanInput(quote="Police said"), "occurs 2 times"),
    ],
)
def test_bad_spans_are_refused_and_nothing_changes(
    database: Database, span: SpanInput, message: str
) -> None:
    ids = _desk(database)
    with pytest.raises(UsageError, match=message):
        with database.session() as s:
            move_span(session=s, claim_id=ids["wage"], actor="ana", span=span)
    with database.session() as s:
        row = s.get(Claim, ids["wage"])
        assert row is not None and row.quote == "Wage growth slowed to 5.6" and row.version == 1


def test_a_repeated_quote_is_told_apart_by_where_the_selection_starts(database: Database) -> None:
    ids = _desk(database)
    second = TEXT.rindex("Police said")
    with database.session() as s:
        claim = add_claim(
            session=s, article_id=ids["article"], actor="ana",
            span=SpanInput(quote="Police said", near=second - 2),
        )  # fmt: skip
        assert claim.start == second


def test_rejected_claim_is_kept_out_of_the_queue_and_can_come_back(database: Database) -> None:
    ids = _desk(database)
    with pytest.raises(UsageError, match="reason"):
        with database.session() as s:
            reject_claim(session=s, claim_id=ids["frag"], actor="ana", reason=" ")
    with database.session() as s:
        reject_claim(session=s, claim_id=ids["frag"], actor="ana", reason="a fragment")
    with database.session() as s:
        row = s.get(Claim, ids["frag"])
        assert row is not None and (row.status, row.review_note) == ("rejected", "a fragment")
        queued = [c.id for c in list_queue(session=s, filters=QueueFilters())]
        assert ids["frag"] not in queued and ids["wage"] in queued
    with pytest.raises(TransitionError):
        with database.session() as s:
            reject_claim(session=s, claim_id=ids["frag"], actor="ana", reason="again")
    with database.session() as s:
        reopen_claim(session=s, claim_id=ids["frag"], actor="ana")
    events = _events(database, ids["frag"])
    assert [(e.action, e.from_status, e.to_status, e.note) for e in events] == [
        ("reject", "new", "rejected", "a fragment"),
        ("reopen", "rejected", "new", None),
    ]


def test_add_a_missed_claim_with_a_new_source(database: Database) -> None:
    ids = _desk(database)
    with database.session() as s:
        claim = add_claim(
            session=s, article_id=ids["article"], actor="ana",
            span=SpanInput(quote="3 people were hurt"), kind="statistic",
            sources=[SourceChoice(name="police", type="official", named=False, cue="said")],
        )  # fmt: skip
        new_id = claim.id
        assert (claim.extractor, claim.status, claim.edited_by) == ("reviewer", "new", "ana")
        assert claim.quote == TEXT[claim.start : claim.end] == "3 people were hurt"
        link = s.scalars(select(ClaimSource).where(ClaimSource.claim_id == new_id)).one()
        police = s.get(Source, link.source_id)
        assert police is not None and (police.type, police.scope) == ("official", ids["article"])
        assert new_id in [c.id for c in list_queue(session=s, filters=QueueFilters())]
    (event,) = _events(database, new_id)
    assert event.action == "add" and event.data is not None
    assert event.data["after"]["quote"] == "3 people were hurt"


def test_add_with_an_unknown_source_type_writes_nothing(database: Database) -> None:
    ids = _desk(database)
    with pytest.raises(UsageError, match="unknown source type 'spy'"):
        with database.session() as s:
            add_claim(
                session=s, article_id=ids["article"], actor="ana",
                span=SpanInput(quote="3 people were hurt"),
                sources=[SourceChoice(name="a man", type="spy")],
            )  # fmt: skip
    with database.session() as s:
        assert len(s.scalars(select(Claim)).all()) == 2


def test_relay_chain_replace_reorder_and_remove(database: Database) -> None:
    ids = _desk(database)
    with database.session() as s:
        minister = make_source(s, "Rachel Reeves", "official")
        mid = minister.id
    with database.session() as s:
        set_sources(
            session=s, claim_id=ids["wage"], actor="ana",
            chain=[SourceChoice(source_id=mid, cue="said"), SourceChoice(source_id=ids["office"])],
        )  # fmt: skip
    with database.session() as s:
        chain = s.scalars(
            select(ClaimSource)
            .where(ClaimSource.claim_id == ids["wage"])
            .order_by(ClaimSource.position)
        ).all()
        assert [(c.source_id, c.position) for c in chain] == [(mid, 0), (ids["office"], 1)]
    with database.session() as s:
        set_sources(session=s, claim_id=ids["wage"], actor="ana", chain=[], expected_version=2)
    with database.session() as s:
        assert s.scalars(select(ClaimSource).where(ClaimSource.claim_id == ids["wage"])).all() == []
    events = _events(database, ids["wage"])
    assert [e.action for e in events] == ["sources", "sources"]
    assert events[0].data is not None
    assert events[0].data["before"] == {"sources": [{"source_id": ids["office"], "cue": "said"}]}


def test_two_reviewers_editing_at_once_one_wins_the_other_is_told(database: Database) -> None:
    """Both read version 1; the first write wins, the second gets a conflict, never an
    overwrite (the conditional UPDATE carries the version each one read)."""
    ids = _desk(database)
    with database.session() as first, database.session() as second:
        seen_a = first.get(Claim, ids["wage"])
        seen_b = second.get(Claim, ids["wage"])
        assert seen_a is not None and seen_b is not None
        assert seen_a.version == seen_b.version == 1
        edit_claim(session=first, claim_id=ids["wage"], actor="ana", kind="statistic",
                   expected_version=seen_a.version)  # fmt: skip
        first.commit()
        with pytest.raises(ConflictError, match="you saw version 1, it is now 2"):
            edit_claim(session=second, claim_id=ids["wage"], actor="ben", hedged=True,
                       expected_version=seen_b.version)  # fmt: skip
        second.rollback()
    with database.session() as s:
        row = s.get(Claim, ids["wage"])
        assert row is not None and (row.kind, row.hedged, row.edited_by) == (
            "statistic",
            False,
            "ana",
        )
    assert [e.actor for e in _events(database, ids["wage"])] == ["ana"]


def test_reports_leave_rejected_claims_out(database: Database) -> None:
    from factcheck.report import load_article_report, render
    from factcheck.report.model import Organisation
    from factcheck.verdicts import DEFAULT_SCALE

    ids = _desk(database)
    with database.session() as s:
        reject_claim(session=s, claim_id=ids["frag"], actor="ana", reason="a fragment")
    with database.session() as s:
        report = load_article_report(
            session=s, article_id=ids["article"], scale=DEFAULT_SCALE,
            organisation=Organisation(name="desk"),
        )  # fmt: skip
        assert [c.id for c in report.claims] == [ids["wage"]]
        assert f"### Claim #{ids['frag']}:" not in render(report, "md")
