"""Reviews under contention: transient database conflicts are retried, then one message;
the source record is a smoothed rate that one verdict barely moves."""

from __future__ import annotations

import contextlib
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from factcheck.db.models import Claim, Event
from factcheck.db.session import Database
from factcheck.errors import ConflictError
from factcheck.workflow import retry
from factcheck.workflow.priority import (
    PRIOR_FALSE_RATE,
    W_SOURCE_RECORD,
    PriorityInputs,
    SourceFacts,
    compute_priority,
    smoothed_false_rate,
    source_record_score,
)
from factcheck.workflow.review import review_claim
from tests.factories import make_claim, make_source


class _Orig(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"simulated {sqlstate}")
        self.sqlstate = sqlstate


def _deadlock() -> OperationalError:
    return OperationalError("UPDATE claims ...", {}, _Orig("40P01"))


def _record_part(false: int, reviewed: int) -> float:
    source = SourceFacts("Ministry", "official", True, reviewed=reviewed, false=false)
    inputs = PriorityInputs(checkworthiness=0.5, kind="fact", hedged=False, sources=[source])
    parts = {p.name: p.value for p in compute_priority(inputs).parts}
    return parts.get("source_record", 0.0)


def test_one_false_verdict_barely_moves_the_source_record() -> None:
    assert smoothed_false_rate(false=0, reviewed=0) == PRIOR_FALSE_RATE
    one = _record_part(1, 1)
    assert 0 < one < 0.04  # the old false/(n+2) gave 0.10 for one verdict
    assert _record_part(10, 10) == pytest.approx(W_SOURCE_RECORD * 0.5, abs=1e-3)
    assert _record_part(1, 1) < _record_part(3, 3) < _record_part(10, 10)
    assert _record_part(1, 10) == 0  # mostly true verdicts: below the prior, no bonus
    assert source_record_score(false=50, reviewed=50) > source_record_score(false=10, reviewed=10)


def test_transient_conflicts_are_retried_in_a_savepoint(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database.dialect != "postgresql":
        pytest.skip("savepoint retries are for PostgreSQL; SQLite has one writer")
    with database.session() as s:
        claim = make_claim(s, sources=[make_source(s, "Police")])
        claim_id = claim.id
    calls: list[int] = []
    real = retry.lock_claim

    def flaky(session: Any, claim_id: int) -> None:
        calls.append(1)
        if len(calls) == 1:
            session.add(Event(claim_id=claim_id, actor="ghost", action="evidence"))
            session.flush()
            raise _deadlock()
        return real(session, claim_id)

    monkeypatch.setattr("factcheck.workflow.review.lock_claim", flaky)
    with database.session() as s:
        review_claim(session=s, claim_id=claim_id, actor="ann", verdict="false")
    assert len(calls) == 2
    with database.session() as s:
        assert s.get(Claim, claim_id).verdict == "false"  # type: ignore[union-attr]
        actors = s.scalars(select(Event.actor).where(Event.claim_id == claim_id)).all()
        assert "ghost" not in actors  # the failed attempt was rolled back to the savepoint


def test_a_conflict_that_stays_is_one_clear_line(database: Database) -> None:
    if database.dialect != "postgresql":
        pytest.skip("savepoint retries are for PostgreSQL")
    slept: list[float] = []

    def always() -> None:
        raise _deadlock()

    with database.session() as s:
        with pytest.raises(ConflictError) as info:
            retry.retry_transient(s, always, what="verdict on claim #7", sleep=slept.append)
    message = str(info.value)
    assert message.startswith("verdict on claim #7: ") and "nothing was saved" in message
    assert "\n" not in message and "Traceback" not in message
    assert len(slept) == retry.ATTEMPTS - 1  # backed off between tries, not after the last


def test_database_session_turns_a_deadlock_into_a_conflict(database: Database) -> None:
    with pytest.raises(ConflictError, match="nothing was saved"):
        with database.session():
            raise _deadlock()
    with pytest.raises(OperationalError):  # anything else is not disguised
        with database.session():
            raise OperationalError("SELECT 1", {}, _Orig("08006"))


class _FakePg:
    """Just enough of a PostgreSQL session for retry_transient to retry."""

    def get_bind(self) -> Any:
        return SimpleNamespace(dialect=SimpleNamespace(name="postgresql"))

    def begin_nested(self) -> Any:
        return contextlib.nullcontext()


def test_cli_review_that_keeps_colliding_is_one_line(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from factcheck.cli.main import app

    with database.session() as s:
        claim_id = make_claim(s, sources=[make_source(s, "Police")]).id
    real = retry.retry_transient

    def collide(session: Any, work: Any, *, what: str, **kw: Any) -> Any:
        def deadlocked() -> None:
            raise _deadlock()

        return real(_FakePg(), deadlocked, what=what, sleep=lambda _s: None)  # type: ignore[arg-type]

    monkeypatch.setattr("factcheck.workflow.review.retry_transient", collide)
    result = CliRunner().invoke(app, ["claims", "review", str(claim_id), "--verdict", "false"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "nothing was saved" in lines[0], result.stderr
    assert "Traceback" not in result.output
    with database.session() as s:
        assert s.get(Claim, claim_id).status == "new"  # type: ignore[union-attr]
