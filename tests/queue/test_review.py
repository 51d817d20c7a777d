"""Verdicts, evidence, optimistic locking and the append-only audit trail."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from factcheck.db.models import Claim, Event, Evidence
from factcheck.db.session import Database
from factcheck.errors import ConflictError, NotFoundError, TransitionError, UsageError
from factcheck.verdicts import load_scale
from factcheck.workflow.queue import lease_next, release
from factcheck.workflow.review import (
    EvidenceInput,
    add_evidence,
    claim_events,
    reopen_claim,
    request_info,
    review_claim,
    skip_claim,
)
from tests.factories import make_claim


def _new_claim(database: Database) -> int:
    with database.session() as s:
        return make_claim(s).id


def test_review_records_verdict_note_evidence_and_event(database: Database) -> None:
    claim_id = _new_claim(database)
    with database.session() as s:
        review_claim(
            session=s,
            claim_id=claim_id,
            actor="ann",
            verdict="Mostly false",
            note="numbers were doubled",
            evidence=[
                EvidenceInput("https://stats.example/table", "refutes"),
                EvidenceInput("https://news.example/context"),
            ],
        )
    with database.session() as s:
        claim = s.get(Claim, claim_id)
        assert claim is not None
        assert (claim.status, claim.verdict, claim.review_note) == (
            "reviewed",
            "mostly-false",
            "numbers were doubled",
        )
        assert claim.reviewed_by == "ann" and claim.reviewed_at is not None
        ev = s.scalars(select(Evidence).where(Evidence.claim_id == claim_id)).all()
        assert [(e.url, e.stance, e.added_by) for e in ev] == [
            ("https://stats.example/table", "refutes", "ann"),
            ("https://news.example/context", "context", "ann"),
        ]
        events = claim_events(session=s, claim_id=claim_id)
        assert [e.action for e in events] == ["review", "evidence", "evidence"]
        assert events[0].data == {
            "verdict": "mostly-false",
            "rating": 2,
            "false": True,
            "evidence": ["https://stats.example/table", "https://news.example/context"],
        }


def test_bad_verdict_and_bad_evidence_change_nothing(database: Database) -> None:
    claim_id = _new_claim(database)
    with pytest.raises(UsageError, match="unknown verdict 'pants on fire'"):
        with database.session() as s:
            review_claim(session=s, claim_id=claim_id, actor="ann", verdict="pants on fire")
    with pytest.raises(UsageError, match="http"):
        with database.session() as s:
            review_claim(
                session=s,
                claim_id=claim_id,
                actor="ann",
                verdict="false",
                evidence=[EvidenceInput("ftp://x")],
            )
    with pytest.raises(UsageError, match="stance"):
        EvidenceInput("https://x.example", "agrees").validated()
    with pytest.raises(NotFoundError, match="no claim #999999"):
        with database.session() as s:
            review_claim(session=s, claim_id=999999, actor="ann", verdict="false")
    with database.session() as s:
        claim = s.get(Claim, claim_id)
        assert claim is not None and claim.status == "new" and claim.verdict is None
        assert s.scalars(select(Event).where(Event.claim_id == claim_id)).all() == []


def test_organisation_scale_from_file(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "scale.json"
    path.write_text(
        json.dumps(
            {
                "name": "desk",
                "verdicts": [
                    {"key": "correct", "label": "Correct", "rating": 5},
                    {"key": "pants-on-fire", "label": "Pants on fire", "rating": 1, "false": True},
                ],
            }
        )
    )
    scale = load_scale(path)
    claim_id = _new_claim(database)
    with database.session() as s:
        review_claim(
            session=s, claim_id=claim_id, actor="ann", verdict="Pants on Fire", scale=scale
        )
    with database.session() as s:
        claim = s.get(Claim, claim_id)
        assert claim is not None and claim.verdict == "pants-on-fire"
        with pytest.raises(UsageError, match="the scale has: correct, pants-on-fire"):
            review_claim(session=s, claim_id=claim_id, actor="ann", verdict="false", scale=scale)


def test_a_verdict_is_never_silently_replaced(database: Database) -> None:
    claim_id = _new_claim(database)
    with database.session() as s:
        review_claim(session=s, claim_id=claim_id, actor="ann", verdict="true")
    with pytest.raises(TransitionError, match="re-open it first"):
        with database.session() as s:
            review_claim(session=s, claim_id=claim_id, actor="bob", verdict="false")
    with database.session() as s:
        reopen_claim(session=s, claim_id=claim_id, actor="bob", note="new data")
    with database.session() as s:
        claim = s.get(Claim, claim_id)
        assert claim is not None and (claim.status, claim.verdict) == ("new", None)
        review_claim(session=s, claim_id=claim_id, actor="bob", verdict="false")
    with database.session() as s:
        events = claim_events(session=s, claim_id=claim_id)
        assert [(e.action, e.actor, e.from_status, e.to_status) for e in events] == [
            ("review", "ann", "new", "reviewed"),
            ("reopen", "bob", "reviewed", "new"),
            ("review", "bob", "new", "reviewed"),
        ]
        assert events[1].data == {"previous_verdict": "true"}


def test_stale_expected_version_is_a_conflict(database: Database) -> None:
    claim_id = _new_claim(database)
    with database.session() as s:
        seen = s.get(Claim, claim_id)
        assert seen is not None
        version = seen.version
    with database.session() as s:
        add_evidence(
            session=s,
            claim_id=claim_id,
            actor="bob",
            evidence=[EvidenceInput("https://x.example")],
        )
        request_info(session=s, claim_id=claim_id, actor="bob", expected_version=version)
    with pytest.raises(ConflictError, match=f"you saw version {version}"):
        with database.session() as s:
            review_claim(
                session=s, claim_id=claim_id, actor="ann", verdict="true", expected_version=version
            )
    with database.session() as s:
        claim = s.get(Claim, claim_id)
        assert claim is not None and claim.status == "needs_info" and claim.verdict is None


def test_concurrent_writer_loses_with_conflict_not_overwrite(database: Database) -> None:
    """Two sessions load the same version; the second flush matches no row."""
    claim_id = _new_claim(database)
    first = database.sessionmaker()
    second = database.sessionmaker()
    try:
        a = first.get(Claim, claim_id)
        b = second.get(Claim, claim_id)
        assert a is not None and b is not None and a.version == b.version
        a.review_note = "first"
        first.commit()
        b.review_note = "second"
        with pytest.raises(Exception) as info:
            second.flush()
        assert "StaleDataError" in type(info.value).__name__
    finally:
        first.close()
        second.close()
    # The library turns the same race into ConflictError: a stale in-session copy.
    with database.session() as s:
        stale = s.get(Claim, claim_id)
        assert stale is not None
        with database.session() as other:
            skip_claim(session=other, claim_id=claim_id, actor="bob", note="duplicate")
        with pytest.raises(ConflictError, match="changed by someone else"):
            review_claim(
                session=s,
                claim_id=claim_id,
                actor="ann",
                verdict="true",
                expected_version=stale.version,
            )
    with database.session() as s:
        claim = s.get(Claim, claim_id)
        assert claim is not None and (claim.status, claim.review_note) == ("skipped", "duplicate")


def test_someone_elses_lease_blocks_until_forced_or_expired(database: Database) -> None:
    claim_id = _new_claim(database)
    with database.session() as s:
        leased = lease_next(session=s, reviewer="ann", lease_minutes=30)
        assert leased is not None and leased.id == claim_id
    with pytest.raises(ConflictError, match="leased by ann"):
        with database.session() as s:
            review_claim(session=s, claim_id=claim_id, actor="bob", verdict="true")
    with pytest.raises(ConflictError, match="leased by ann"):
        with database.session() as s:
            release(session=s, claim_id=claim_id, actor="bob")
    with database.session() as s:
        review_claim(session=s, claim_id=claim_id, actor="ann", verdict="true")
        claim = s.get(Claim, claim_id)
        assert claim is not None
        assert (claim.assigned_to, claim.lease_expires_at) == (None, None)


def test_force_overrides_a_live_lease(database: Database) -> None:
    claim_id = _new_claim(database)
    with database.session() as s:
        lease_next(session=s, reviewer="ann")
    with database.session() as s:
        skip_claim(session=s, claim_id=claim_id, actor="editor", force=True, note="off topic")
    with database.session() as s:
        events = claim_events(session=s, claim_id=claim_id)
        assert [(e.action, e.actor) for e in events] == [("lease", "ann"), ("skip", "editor")]


def test_audit_trail_is_complete_and_append_only(database: Database) -> None:
    """A whole life of a claim: each step leaves exactly its event, in order, untouchable."""
    claim_id = _new_claim(database)
    steps: list[tuple[str, str | None, str | None]] = []
    with database.session() as s:
        lease_next(session=s, reviewer="ann")
    steps.append(("lease", "new", "in_review"))
    with database.session() as s:
        release(session=s, claim_id=claim_id, actor="ann", note="later")
    steps.append(("release", "in_review", "new"))
    with database.session() as s:
        request_info(session=s, claim_id=claim_id, actor="bob", note="asked ministry")
    steps.append(("needs_info", "new", "needs_info"))
    with database.session() as s:
        review_claim(
            session=s,
            claim_id=claim_id,
            actor="bob",
            verdict="false",
            evidence=[EvidenceInput("https://m.example/reply", "refutes")],
        )
    steps += [("review", "needs_info", "reviewed"), ("evidence", None, None)]
    with database.session() as s:
        reopen_claim(session=s, claim_id=claim_id, actor="carol")
    steps.append(("reopen", "reviewed", "new"))
    with database.session() as s:
        skip_claim(session=s, claim_id=claim_id, actor="carol", note="satire")
    steps.append(("skip", "new", "skipped"))
    with database.session() as s:
        events = claim_events(session=s, claim_id=claim_id)
        assert [(e.action, e.from_status, e.to_status) for e in events] == steps
        ids = [e.id for e in events]
        assert ids == sorted(ids)
        # Status changes chain up: each starts where the previous one ended.
        changes = [e for e in events if e.to_status]
        assert all(a.to_status == b.from_status for a, b in zip(changes, changes[1:], strict=False))
    with pytest.raises(ConflictError, match="cannot be changed"):
        with database.session() as s:
            first = s.scalars(select(Event).where(Event.claim_id == claim_id)).first()
            assert first is not None
            first.note = "rewritten"
    with pytest.raises(ConflictError, match="cannot be deleted"):
        with database.session() as s:
            first = s.scalars(select(Event).where(Event.claim_id == claim_id)).first()
            s.delete(first)
    with database.session() as s:
        assert [e.note for e in claim_events(session=s, claim_id=claim_id)][0] is None
        assert len(claim_events(session=s, claim_id=claim_id)) == len(steps)


def test_release_of_unleased_claim_is_a_transition_error(database: Database) -> None:
    claim_id = _new_claim(database)
    with pytest.raises(TransitionError, match="not leased"):
        with database.session() as s:
            release(session=s, claim_id=claim_id, actor="ann")


def test_expired_lease_lets_another_reviewer_act(database: Database) -> None:
    claim_id = _new_claim(database)
    with database.session() as s:
        leased = lease_next(session=s, reviewer="ann", lease_minutes=5)
        assert leased is not None and leased.lease_expires_at is not None
        # Pretend the lease ran out an hour ago.
        leased.lease_expires_at = leased.lease_expires_at - timedelta(hours=1)
    with database.session() as s:
        review_claim(session=s, claim_id=claim_id, actor="bob", verdict="true")
    with database.session() as s:
        claim = s.get(Claim, claim_id)
        assert claim is not None and claim.reviewed_by == "bob"
