"""The review state machine, exhaustively: every allowed and every forbidden move."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from factcheck.db.models import Claim, Event
from factcheck.db.session import Database
from factcheck.errors import TransitionError
from factcheck.workflow.review import (
    STATUSES,
    TRANSITIONS,
    can_transition,
    check_transition,
    transition,
)
from tests.factories import make_claim

ALLOWED = {
    ("new", "in_review"),
    ("new", "needs_info"),
    ("new", "reviewed"),
    ("new", "skipped"),
    ("in_review", "new"),
    ("in_review", "needs_info"),
    ("in_review", "reviewed"),
    ("in_review", "skipped"),
    ("needs_info", "new"),
    ("needs_info", "in_review"),
    ("needs_info", "reviewed"),
    ("needs_info", "skipped"),
    ("reviewed", "new"),
    ("skipped", "new"),
    # "not a claim" (issue 15): from any open status or a skipped claim; re-opened to new.
    ("new", "rejected"),
    ("in_review", "rejected"),
    ("needs_info", "rejected"),
    ("skipped", "rejected"),
    ("rejected", "new"),
}
PAIRS = list(itertools.product(STATUSES, STATUSES))


def test_table_is_the_documented_machine() -> None:
    assert set(TRANSITIONS) == set(STATUSES)
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("src", "dst"), PAIRS)
def test_check_transition(src: str, dst: str) -> None:
    if (src, dst) in ALLOWED:
        assert can_transition(src, dst)
        check_transition(src, dst)
    else:
        assert not can_transition(src, dst)
        with pytest.raises(TransitionError, match=f"cannot become {dst}"):
            check_transition(src, dst, claim_id=7)


def test_unknown_status_is_refused() -> None:
    with pytest.raises(TransitionError, match="unknown status 'done'"):
        check_transition("new", "done")


def test_finished_claim_hints_at_reopen() -> None:
    with pytest.raises(TransitionError, match="re-open it first"):
        check_transition("reviewed", "reviewed", claim_id=3)


def test_every_pair_in_the_database(database: Database) -> None:
    """Each allowed move changes the status and writes exactly one event; forbidden ones
    change nothing and write nothing."""
    with database.session() as s:
        ids = {pair: make_claim(s, status=pair[0]).id for pair in PAIRS}
    for (src, dst), claim_id in ids.items():
        with database.session() as s:
            before = s.scalar(select(func.count()).select_from(Event)) or 0
            if (src, dst) in ALLOWED:
                moved = transition(
                    session=s,
                    claim_id=claim_id,
                    to_status=dst,
                    actor="ann",
                    action="test",
                    note=f"{src}->{dst}",
                )
                assert moved.status == dst
            else:
                with pytest.raises(TransitionError):
                    transition(
                        session=s, claim_id=claim_id, to_status=dst, actor="ann", action="test"
                    )
        with database.session() as s:
            claim = s.get(Claim, claim_id)
            assert claim is not None
            events = s.scalars(select(Event).where(Event.claim_id == claim_id)).all()
            if (src, dst) in ALLOWED:
                assert claim.status == dst
                assert [(e.from_status, e.to_status, e.actor, e.note) for e in events] == [
                    (src, dst, "ann", f"{src}->{dst}")
                ]
            else:
                assert claim.status == src
                assert events == []
            assert s.scalar(select(func.count()).select_from(Event)) == before + (
                1 if (src, dst) in ALLOWED else 0
            )


def test_the_queue_moves_claims_only_through_the_state_machine(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Leasing consults the transition table: forbid new -> in_review and no lease happens."""
    from factcheck.public import ClaimStatus
    from factcheck.workflow.queue import lease_next

    with database.session() as s:
        claim_id = make_claim(s).id
    narrowed = dict(TRANSITIONS)
    narrowed[ClaimStatus.new] = frozenset({ClaimStatus.skipped})
    monkeypatch.setattr("factcheck.workflow.review.TRANSITIONS", narrowed)
    with pytest.raises(TransitionError, match="new: it cannot become in_review"):
        with database.session() as s:
            lease_next(session=s, reviewer="ann")
    with database.session() as s:
        claim = s.get(Claim, claim_id)
        assert claim is not None and claim.status == "new" and claim.assigned_to is None
        assert s.scalars(select(Event)).all() == []


def test_a_move_made_meanwhile_is_a_conflict_not_an_overwrite(database: Database) -> None:
    """The guarded UPDATE checks the version it read: a change committed between our read
    and our write (another reviewer) makes ours fail instead of overwriting it."""
    from factcheck.errors import ConflictError
    from factcheck.public import ClaimStatus
    from factcheck.workflow.review import CLAIMS, guarded_update, now_utc

    with database.session() as s:
        claim_id = make_claim(s).id
    with database.session() as s:
        stale = guarded_update(
            session=s,
            target=CLAIMS.c.id == claim_id,
            from_status=ClaimStatus.new,
            to_status=ClaimStatus.skipped,
            actor="ann",
            action="skip",
            at=now_utc(),
            conditions=[CLAIMS.c.version == 99],
        )
        assert stale is None
        wrong_from = guarded_update(
            session=s,
            target=CLAIMS.c.id == claim_id,
            from_status=ClaimStatus.in_review,
            to_status=ClaimStatus.new,
            actor="ann",
            action="release",
            at=now_utc(),
        )
        assert wrong_from is None
        assert s.scalars(select(Event)).all() == []
    with database.session() as s:
        claim = s.get(Claim, claim_id)
        assert claim is not None and (claim.status, claim.version) == ("new", 1)
        # What a second session sees when the first one moved the claim under it:
        s.execute(CLAIMS.update().where(CLAIMS.c.id == claim_id).values(version=2))
        with pytest.raises(ConflictError, match="changed by someone else"):
            transition(
                session=s, claim_id=claim_id, to_status="skipped", actor="bob", action="skip",
                expected_version=1,
            )  # fmt: skip
