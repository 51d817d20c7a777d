"""Source track records, lookup and merging."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.db.models import ClaimSource, Event, Source
from factcheck.db.session import Database
from factcheck.db.sources import find_source, list_sources, source_public, source_records
from factcheck.errors import NotFoundError, UsageError
from factcheck.workflow.review import review_claim, skip_claim
from factcheck.workflow.sources import merge_sources
from tests.factories import make_claim, make_source


def test_records_after_a_few_reviews(database: Database) -> None:
    with database.session() as s:
        tass = make_source(s, "TASS", "media")
        kremlin = make_source(s, "a Kremlin source", "unknown", named=False)
        minister = make_source(s, "Minister Ivanov", "official")
        c = [make_claim(s, sources=[kremlin, tass]) for _ in range(3)]
        c += [make_claim(s, sources=[minister]) for _ in range(3)]
        ids = [x.id for x in c]
        src_ids = (tass.id, kremlin.id, minister.id)
    verdicts = {ids[0]: "false", ids[1]: "mostly-false", ids[3]: "true", ids[4]: "false"}
    with database.session() as s:
        for claim_id, verdict in verdicts.items():
            review_claim(session=s, claim_id=claim_id, actor="ann", verdict=verdict)
        skip_claim(session=s, claim_id=ids[5], actor="ann")
    with database.session() as s:
        rec = source_records(session=s, source_ids=[*src_ids, 999999])
        assert set(rec) == set(src_ids)
        tass_r, kremlin_r, minister_r = (rec[i] for i in src_ids)
        # The relay is not blamed for what it relayed.
        assert (tass_r.claims, tass_r.relayed, tass_r.reviewed, tass_r.share_false) == (
            0,
            3,
            0,
            None,
        )
        assert (kremlin_r.claims, kremlin_r.reviewed, kremlin_r.false) == (3, 2, 2)
        assert kremlin_r.share_false == 1.0
        assert kremlin_r.verdicts == {"false": 1, "mostly-false": 1}
        assert kremlin_r.statuses == {"reviewed": 2, "new": 1}
        assert (minister_r.claims, minister_r.reviewed, minister_r.false) == (3, 2, 1)
        assert minister_r.share_false == 0.5
        assert minister_r.statuses == {"reviewed": 2, "skipped": 1}
        worst = [r.name for r in list_sources(session=s, sort="false")]
        assert worst == ["a Kremlin source", "Minister Ivanov", "TASS"]
        assert [r.name for r in list_sources(session=s, source_type="official")] == [
            "Minister Ivanov"
        ]
        detail = source_public(session=s, source_id=src_ids[0])
        assert sorted(c.id for c in detail.claims) == ids[:3]
        assert {c.position for c in detail.claims} == {1}
        assert detail.record.relayed == 3 and detail.name == "TASS"


def test_find_by_name_alias_id_and_part(database: Database) -> None:
    with database.session() as s:
        smagin = make_source(s, "Nikita Smagin", "expert")
        make_source(s, "Reuters", "media")
        make_source(s, "Reuters", "official")
        ids = smagin.id
    with database.session() as s:
        assert find_source(session=s, name="nikita  SMAGIN").id == ids
        assert find_source(session=s, name=f"#{ids}").id == ids
        assert find_source(session=s, name="Smagin").id == ids
        with pytest.raises(UsageError, match="several sources"):
            find_source(session=s, name="Reuters")
        with pytest.raises(NotFoundError, match="no source named 'Nobody'"):
            find_source(session=s, name="Nobody")


def test_merge_moves_claims_names_and_is_recorded(database: Database) -> None:
    with database.session() as s:
        full = make_source(s, "Nikita Smagin", "expert")
        short = make_source(s, "Smagin", "expert")
        c1 = make_claim(s, sources=[short])
        review_claim(session=s, claim_id=c1.id, actor="ann", verdict="false")
        make_claim(s, sources=[full])
        ids = (full.id, short.id)
    with database.session() as s:
        result = merge_sources(session=s, duplicate_id=ids[1], keep_id=ids[0], actor="ann")
        assert (result.claims_moved, result.aliases_added) == (1, ["Smagin"])
    with database.session() as s:
        assert find_source(session=s, name="Smagin").id == ids[0]
        rec = source_records(session=s, source_ids=[ids[0]])[ids[0]]
        assert (rec.claims, rec.false) == (2, 1)
        links = s.scalars(select(ClaimSource).where(ClaimSource.source_id == ids[1])).all()
        assert links == []
        dup = s.get(Source, ids[1])
        assert dup is not None and dup.merged_into_id == ids[0]
        events = s.scalars(select(Event).where(Event.action == "source_merge")).all()
        assert sorted(e.source_id or 0 for e in events) == sorted(ids)
        assert events[0].data is not None and events[0].data["claims_moved"] == 1
        assert [r.name for r in list_sources(session=s)] == ["Nikita Smagin"]
    with pytest.raises(UsageError, match="already merged"):
        with database.session() as s:
            merge_sources(session=s, duplicate_id=ids[1], keep_id=ids[0], actor="ann")
    with pytest.raises(UsageError, match="itself"):
        with database.session() as s:
            merge_sources(session=s, duplicate_id=ids[0], keep_id=ids[0], actor="ann")
