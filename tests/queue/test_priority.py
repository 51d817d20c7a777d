"""The priority formula: each part moves the score the way the desk expects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from factcheck.db.models import Claim
from factcheck.db.session import Database
from factcheck.workflow.priority import (
    PriorityInputs,
    SourceFacts,
    compute_priority,
    explain_priority,
    refresh_priorities,
)
from factcheck.workflow.review import review_claim
from tests.factories import make_article, make_claim, make_source

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def _score(**kw: object) -> float:
    base: dict[str, object] = {"checkworthiness": 0.5, "kind": "fact", "hedged": False}
    base.update(kw)
    return compute_priority(PriorityInputs(**base), now=NOW).total  # type: ignore[arg-type]


def test_features_rank_as_documented() -> None:
    assert _score(kind="statistic") > _score(kind="fact") > _score(kind="prediction")
    assert _score(kind="prediction") > _score(kind="opinion")
    assert _score(hedged=True) > _score()
    assert _score(checkworthiness=0.9) > _score(checkworthiness=0.1)
    official = SourceFacts("Ministry", "official", True)
    anonymous = SourceFacts("a source", "unknown", False)
    expert = SourceFacts("Dr X", "expert", True)
    assert _score(sources=[official]) > _score(sources=[expert])
    assert _score(sources=[anonymous]) > _score(sources=[expert])


def test_source_record_recency_and_group_size() -> None:
    liar = SourceFacts("Liar", "official", True, reviewed=4, false=4)
    honest = SourceFacts("Honest", "official", True, reviewed=4, false=0)
    assert _score(sources=[liar]) > _score(sources=[honest])
    # One false verdict is not yet a record: smoothing keeps it below four of four.
    once = SourceFacts("Once", "official", True, reviewed=1, false=1)
    assert _score(sources=[honest]) < _score(sources=[once]) < _score(sources=[liar])
    fresh = _score(dated_at=NOW - timedelta(hours=1))
    week = _score(dated_at=NOW - timedelta(days=7))
    month = _score(dated_at=NOW - timedelta(days=30))
    assert fresh > week > month
    assert _score(group_size=4) > _score(group_size=2) > _score(group_size=1)


def test_explanation_adds_up_and_names_parts() -> None:
    exp = compute_priority(
        PriorityInputs(
            checkworthiness=0.8,
            kind="statistic",
            hedged=True,
            sources=[SourceFacts("Liar", "official", True, reviewed=3, false=2)],
            dated_at=NOW,
            group_size=3,
        ),
        now=NOW,
    )
    names = [p.name for p in exp.parts]
    assert names == [
        "checkworthiness",
        "kind",
        "hedged",
        "sources",
        "source_record",
        "recency",
        "group_size",
    ]
    assert abs(sum(p.value for p in exp.parts) - exp.total) < 1e-3
    assert "2 of 3 verdicts false" in exp.parts[4].why
    assert "repeated in 3 claims" in exp.parts[6].why


def test_refresh_stores_priority_and_review_updates_same_source(database: Database) -> None:
    with database.session() as s:
        src = make_source(s, "Ministry", "official")
        art = make_article(s, published_at=datetime.now(UTC) - timedelta(days=1))
        first = make_claim(s, art, sources=[src], kind="statistic", checkworthiness=0.5)
        second = make_claim(s, art, sources=[src], kind="statistic", checkworthiness=0.5)
        member = make_claim(s, art, kind="statistic")
        member.group_id = second.id
        ids = (first.id, second.id)
    with database.session() as s:
        assert refresh_priorities(session=s, claim_ids=ids) == 2
    with database.session() as s:
        c2 = s.get(Claim, ids[1])
        assert c2 is not None and c2.version == 1  # a refresh does not make forms stale
        before = c2.priority
        exp = explain_priority(session=s, claim_id=ids[1])
        assert exp.total == before
        assert any(p.name == "group_size" for p in exp.parts)
        assert not any(p.name == "source_record" for p in exp.parts)
    with database.session() as s:
        review_claim(session=s, claim_id=ids[0], actor="ann", verdict="false")
    with database.session() as s:
        c2 = s.get(Claim, ids[1])
        assert c2 is not None and c2.priority > before
        exp = explain_priority(session=s, claim_id=ids[1])
        assert any(p.name == "source_record" and "1 of 1" in p.why for p in exp.parts)


def test_refresh_all_skips_closed_claims(database: Database) -> None:
    with database.session() as s:
        open_id = make_claim(s, priority=0.0).id
        done = make_claim(s, status="reviewed", priority=0.0)
        done.verdict = "true"
        done_id = done.id
    with database.session() as s:
        assert refresh_priorities(session=s) == 1
    with database.session() as s:
        o, d = s.get(Claim, open_id), s.get(Claim, done_id)
        assert o is not None and d is not None
        assert o.priority > 0 and d.priority == 0.0
