"""Matching stored claims: automatic groups, suggestions, reviewer decisions, group verdicts."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.config import load_settings
from factcheck.db.models import Claim, ClaimMatch, Event
from factcheck.db.session import Database
from factcheck.errors import ConfigError, TransitionError, UsageError
from factcheck.matching import (
    MatchSummary,
    accept_match,
    apply_group_verdict,
    clear_cache,
    group_members,
    match_new_claims,
    matches_for,
    reject_match,
)
from factcheck.workflow.priority import refresh_priorities
from factcheck.workflow.queue import list_queue
from factcheck.workflow.review import EvidenceInput, review_claim
from tests.factories import make_claim

KILLED = "More than 260 people were killed in the attack on the market, officials said."
KILLED_AGAIN = "Officials said more than 260 people were killed in the attack on the market."
KILLED_26 = "More than 26 people were killed in the attack on the market, officials said."
KILLED_NOT = "No people were killed in the attack on the market, officials said."
MOSCOW = "Moscow can learn from Tehran how to police protests."
MOSCOW_LOOSE = "Moscow can learn a lot from Tehran about how to police street protests, he said."


@pytest.fixture(autouse=True)
def _fresh_index() -> None:
    clear_cache()


def _match(session: Session, *claims: Claim, **overrides: float) -> MatchSummary:
    settings = load_settings(**overrides)
    return match_new_claims(session=session, claim_ids=[c.id for c in claims], settings=settings)


def _events(session: Session, claim_id: int, action: str) -> list[Event]:
    return list(
        session.scalars(select(Event).where(Event.claim_id == claim_id, Event.action == action))
    )


def test_repeat_in_another_article_joins_the_group(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=KILLED)
        _match(s, first)
        second = make_claim(s, text=KILLED_AGAIN)
        summary = _match(s, second)
        assert summary.auto == 1 and summary.grouped_claims == [second.id]
        assert second.group_id == first.id
        assert first.group_id == first.id  # the canonical claim points to itself
        row = s.scalars(select(ClaimMatch)).one()
        assert (row.claim_id, row.matched_claim_id, row.status) == (second.id, first.id, "auto")
        assert row.method == "lexical" and row.score >= 0.85
        assert _events(s, second.id, "match_auto")[0].data["group_id"] == first.id  # type: ignore[index]
        assert [c.id for c in group_members(session=s, claim_id=second.id)] == [first.id, second.id]


def test_different_numbers_and_negation_never_match(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=KILLED)
        _match(s, first)
        other_number = make_claim(s, text=KILLED_26)
        negated = make_claim(s, text=KILLED_NOT)
        summary = _match(s, other_number, negated, match_low=0.1)
        assert summary.auto == 0 and summary.suggested == 0
        assert s.scalars(select(ClaimMatch)).all() == []
        assert other_number.group_id is None and negated.group_id is None


def test_between_thresholds_is_a_suggestion(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=MOSCOW)
        second = make_claim(s, text=MOSCOW_LOOSE)
        summary = _match(s, first, second)
        assert (summary.auto, summary.suggested) == (0, 1)
        row = s.scalars(select(ClaimMatch)).one()
        assert row.status == "suggested" and 0.6 <= row.score < 0.85
        assert second.group_id is None and first.group_id is None
        assert len(_events(s, second.id, "match_suggested")) == 1


def test_thresholds_are_configuration(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=MOSCOW)
        second = make_claim(s, text=MOSCOW_LOOSE)
        summary = _match(s, first, second, match_high=0.7, match_low=0.5)
        assert summary.auto == 1
        assert second.group_id == first.id
    with database.session() as s:
        third = make_claim(s, text="Moscow can learn from Tehran how to police big protests.")
        summary = _match(s, third, match_high=0.99, match_low=0.98)
        assert (summary.auto, summary.suggested) == (0, 0)
    with pytest.raises(ConfigError, match="MATCH_LOW"):
        with database.session() as s:
            _match(s, third, match_high=0.5, match_low=0.7)


def test_matching_is_idempotent(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=KILLED)
        second = make_claim(s, text=KILLED_AGAIN)
        _match(s, first, second)
        again = _match(s, second)
        assert (again.auto, again.suggested) == (0, 0)
        assert len(s.scalars(select(ClaimMatch)).all()) == 1


def test_claims_of_the_same_article_are_not_matched(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=KILLED)
        second = make_claim(s, first.article, text=KILLED_AGAIN)
        summary = _match(s, first, second)
        assert (summary.auto, summary.suggested) == (0, 0)


def test_accepting_a_suggestion_joins_the_group(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=MOSCOW)
        second = make_claim(s, text=MOSCOW_LOOSE)
        _match(s, first, second)
        row = s.scalars(select(ClaimMatch)).one()
        accept_match(session=s, match_id=row.id, actor="ana", note="same quote")
        assert row.status == "accepted" and row.decided_by == "ana" and row.decided_at
        assert second.group_id == first.id and first.group_id == first.id
        event = _events(s, second.id, "match_accepted")[0]
        assert event.actor == "ana" and event.note == "same quote"
        with pytest.raises(TransitionError):
            accept_match(session=s, match_id=row.id, actor="ana")


def test_rejecting_a_suggestion_keeps_claims_apart(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=MOSCOW)
        second = make_claim(s, text=MOSCOW_LOOSE)
        _match(s, first, second)
        row = s.scalars(select(ClaimMatch)).one()
        reject_match(session=s, match_id=row.id, actor="ben")
        assert row.status == "rejected" and row.decided_by == "ben"
        assert second.group_id is None
        assert _events(s, second.id, "match_rejected")[0].data["was"] == "suggested"  # type: ignore[index]
        # A rejected pair is not suggested again.
        assert _match(s, second).suggested == 0


def test_rejecting_an_automatic_match_undoes_the_group(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=KILLED)
        second = make_claim(s, text=KILLED_AGAIN)
        _match(s, first, second)
        row = s.scalars(select(ClaimMatch)).one()
        reject_match(session=s, match_id=row.id, actor="ben", note="different attacks")
        assert second.group_id is None and first.group_id is None


def test_review_of_the_canonical_claim_applies_to_the_group(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=KILLED)
        copies = [make_claim(s, text=KILLED_AGAIN) for _ in range(3)]
        _match(s, first, *copies)
        assert {c.group_id for c in copies} == {first.id}
        with pytest.raises(UsageError, match="no verdict"):
            apply_group_verdict(session=s, claim_id=first.id, actor="ana")
        review_claim(
            session=s,
            claim_id=first.id,
            actor="ana",
            verdict="false",
            evidence=[EvidenceInput(url="https://stats.example/toll", stance="refutes")],
        )
        with pytest.raises(UsageError, match="not the canonical"):
            apply_group_verdict(session=s, claim_id=copies[0].id, actor="ana")
        result = apply_group_verdict(session=s, claim_id=first.id, actor="ana")
        assert sorted(result.applied) == sorted(c.id for c in copies)
        for copy in copies:
            s.refresh(copy)
            assert (copy.status, copy.verdict) == ("reviewed", "false")
            assert [e.url for e in copy.evidence] == ["https://stats.example/toll"]
            assert _events(s, copy.id, "review")[0].actor == "ana"
        assert len(_events(s, first.id, "group_verdict")) == 1
        # Nothing left to apply the second time.
        assert apply_group_verdict(session=s, claim_id=first.id, actor="ana").applied == []


def test_a_reviewed_claim_is_offered_not_joined(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=KILLED)
        _match(s, first)
        review_claim(session=s, claim_id=first.id, actor="ana", verdict="false")
        later = make_claim(s, text=KILLED_AGAIN)
        summary = _match(s, later)
        assert (summary.auto, summary.suggested) == (0, 1)
        assert later.group_id is None
        (info,) = matches_for(session=s, claim_id=later.id)
        assert info.claim_id == first.id and info.status == "suggested"
        assert info.suggestion is not None and info.suggestion.startswith("already checked by ana")
        assert info.suggestion.endswith(": False")
        accept_match(session=s, match_id=info.match_id, actor="ben")
        assert (later.status, later.verdict) == ("reviewed", "false")
        assert s.get(Claim, later.id).group_id == first.id  # type: ignore[union-attr]


def test_matches_for_lists_both_directions(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=KILLED)
        second = make_claim(s, text=KILLED_AGAIN)
        _match(s, first, second)
        (from_first,) = matches_for(session=s, claim_id=first.id)
        (from_second,) = matches_for(session=s, claim_id=second.id)
        assert from_first.claim_id == second.id and from_second.claim_id == first.id
        assert from_first.score == from_second.score


def test_rolled_back_batch_does_not_poison_the_index(database: Database) -> None:
    with database.session() as s:
        first = make_claim(s, text=KILLED)
        _match(s, first)
    with pytest.raises(RuntimeError), database.session() as s:
        ghost = make_claim(s, text=MOSCOW)
        _match(s, ghost)
        raise RuntimeError("the batch failed after matching")
    with database.session() as s:
        moscow = make_claim(s, text=MOSCOW_LOOSE)
        assert _match(s, moscow).suggested == 0
        repeat = make_claim(s, text=KILLED_AGAIN)
        assert _match(s, repeat).auto == 1


def test_the_queue_shows_a_group_once_and_ranks_it_higher(database: Database) -> None:
    with database.session() as s:
        lone = make_claim(s, text=MOSCOW, checkworthiness=0.5)
        first = make_claim(s, text=KILLED, checkworthiness=0.5)
        copies = [make_claim(s, text=KILLED_AGAIN, checkworthiness=0.5) for _ in range(3)]
        refresh_priorities(session=s, claim_ids=[lone.id, first.id])
        before = first.priority
        assert before == lone.priority
        _match(s, lone, first, *copies)
        queued = [c.id for c in list_queue(session=s)]
        assert first.id in queued and lone.id in queued
        assert not set(queued) & {c.id for c in copies}
        s.refresh(first)
        assert first.priority > before
        assert queued.index(first.id) < queued.index(lone.id)
