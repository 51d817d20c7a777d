"""Queue order, filters, groups, reference claims, leases and their expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from factcheck.db.models import Claim, Event
from factcheck.db.session import Database
from factcheck.errors import UsageError
from factcheck.workflow.queue import QueueFilters, expire_leases, lease_next, leases_of, list_queue
from factcheck.workflow.review import now_utc
from tests.factories import make_article, make_claim, make_source


def test_lease_takes_highest_priority_and_never_twice(database: Database) -> None:
    with database.session() as s:
        ids = {p: make_claim(s, priority=p).id for p in (0.2, 0.9, 0.5)}
    got = []
    with database.session() as s:
        for reviewer in ("ann", "bob", "carol", "dan"):
            claim = lease_next(session=s, reviewer=reviewer, lease_minutes=10)
            got.append(None if claim is None else (claim.id, claim.assigned_to, claim.status))
    assert got == [
        (ids[0.9], "ann", "in_review"),
        (ids[0.5], "bob", "in_review"),
        (ids[0.2], "carol", "in_review"),
        None,
    ]
    with database.session() as s:
        claim = s.get(Claim, ids[0.9])
        assert claim is not None and claim.version == 2
        assert claim.lease_expires_at is not None
        left = (claim.lease_expires_at - now_utc()).total_seconds()
        assert 9 * 60 < left <= 10 * 60
        assert [c.id for c in leases_of(session=s, reviewer="ann")] == [ids[0.9]]
        lease = s.scalars(select(Event).where(Event.claim_id == ids[0.9])).one()
        assert (lease.action, lease.actor, lease.from_status, lease.to_status) == (
            "lease",
            "ann",
            "new",
            "in_review",
        )


def test_groups_are_offered_once_and_references_never(database: Database) -> None:
    with database.session() as s:
        canonical = make_claim(s, priority=0.3)
        canonical.group_id = canonical.id
        member = make_claim(s, priority=0.99)
        member.group_id = canonical.id
        ungrouped = make_claim(s, priority=0.1)
        reference = make_claim(s, priority=1.0)
        reference.origin = "reference"
        reference.article_id = None
        s.flush()
        ids = (canonical.id, member.id, ungrouped.id, reference.id)
    with database.session() as s:
        listed = [c.id for c in list_queue(session=s)]
        assert listed == [ids[0], ids[2]]
        first = lease_next(session=s, reviewer="ann")
        second = lease_next(session=s, reviewer="ann")
        third = lease_next(session=s, reviewer="ann")
        assert (first and first.id, second and second.id, third) == (ids[0], ids[2], None)


def test_filters_by_kind_article_and_source_type(database: Database) -> None:
    with database.session() as s:
        official = make_source(s, "Ministry", "official")
        witness = make_source(s, "A resident", "witness", named=False)
        a1, a2 = make_article(s), make_article(s)
        stat = make_claim(s, a1, kind="statistic", sources=[official], priority=0.4)
        opinion = make_claim(s, a1, kind="opinion", sources=[witness], priority=0.6)
        other = make_claim(s, a2, kind="fact", sources=[witness, official], priority=0.5)
        ids = (stat.id, opinion.id, other.id, a1.id)
    with database.session() as s:

        def listed(**kw: object) -> list[int]:
            return [c.id for c in list_queue(session=s, filters=QueueFilters(**kw))]  # type: ignore[arg-type]

        assert listed(kinds=("statistic",)) == [ids[0]]
        assert listed(article_ids=(ids[3],)) == [ids[1], ids[0]]
        assert listed(source_types=("official",)) == [ids[2], ids[0]]
        assert listed(source_types=("witness",), kinds=("fact",)) == [ids[2]]
        leased = lease_next(
            session=s, reviewer="ann", filters=QueueFilters(source_types=("official",))
        )
        assert leased is not None and leased.id == ids[2]
    with pytest.raises(UsageError, match="unknown kind 'rumour'"):
        QueueFilters(kinds=("rumour",)).validated()
    with pytest.raises(UsageError, match="unknown status"):
        QueueFilters(statuses=("open",)).validated()


def test_expired_lease_goes_back_to_the_queue(database: Database) -> None:
    with database.session() as s:
        claim_id = make_claim(s, priority=0.8).id
        other_id = make_claim(s, priority=0.1).id
    t0 = now_utc()
    with database.session() as s:
        leased = lease_next(session=s, reviewer="ann", lease_minutes=30, now=t0)
        assert leased is not None and leased.id == claim_id
    with database.session() as s:
        # Before expiry: bob gets the other claim, ann keeps hers.
        got = lease_next(session=s, reviewer="bob", now=t0 + timedelta(minutes=29))
        assert got is not None and got.id == other_id
    with database.session() as s:
        got = lease_next(session=s, reviewer="carol", now=t0 + timedelta(minutes=31))
        assert got is not None and got.id == claim_id and got.assigned_to == "carol"
    with database.session() as s:
        events = s.scalars(select(Event).where(Event.claim_id == claim_id).order_by(Event.id)).all()
        assert [(e.action, e.actor, e.from_status, e.to_status) for e in events] == [
            ("lease", "ann", "new", "in_review"),
            ("expire", "system", "in_review", "new"),
            ("lease", "carol", "new", "in_review"),
        ]
        assert events[1].data is not None and events[1].data["reviewer"] == "ann"


def test_expire_leases_sweeps_only_expired(database: Database) -> None:
    t0 = now_utc()
    with database.session() as s:
        a = make_claim(s, priority=0.9).id
        b = make_claim(s, priority=0.8).id
    with database.session() as s:
        lease_next(session=s, reviewer="ann", lease_minutes=5, now=t0)
        lease_next(session=s, reviewer="bob", lease_minutes=60, now=t0)
    with database.session() as s:
        assert expire_leases(session=s, now=t0 + timedelta(minutes=10)) == [a]
        assert expire_leases(session=s, now=t0 + timedelta(minutes=10)) == []
    with database.session() as s:
        ca, cb = s.get(Claim, a), s.get(Claim, b)
        assert ca is not None and cb is not None
        assert (ca.status, ca.assigned_to, ca.version) == ("new", None, 3)
        assert (cb.status, cb.assigned_to) == ("in_review", "bob")


def test_lease_needs_a_reviewer(database: Database) -> None:
    with database.session() as s:
        with pytest.raises(UsageError, match="reviewer"):
            lease_next(session=s, reviewer="  ")
        with pytest.raises(UsageError, match="one minute"):
            lease_next(session=s, reviewer="ann", lease_minutes=0)
