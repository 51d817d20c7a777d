"""Full-text search and the filtered lists, for real on SQLite (FTS5) and PostgreSQL.

Every test runs on both backends (the `database` fixture); the index must follow
inserts, updates and deletes on every write path, so rows are written here through the
ORM, through Core UPDATEs and by cascade, never through the search module.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, text, update

from factcheck.db.finders import find_articles, find_sources
from factcheck.db.lists import ClaimQuery, claim_badges, find_claims
from factcheck.db.models import Article, Claim, ClaimMatch, SourceAlias
from factcheck.db.search import fts5_query, parse_query, text_hits, websearch_text
from factcheck.db.session import Database
from factcheck.errors import UsageError
from tests.factories import make_article, make_claim, make_source


def _ids(database: Database, target: str, q: str) -> list[int]:
    with database.session() as s:
        hits = text_hits(session=s, target=target, query=q)  # type: ignore[arg-type]
        return sorted(s.execute(hits.select()).scalars().all())


@pytest.fixture
def desk(database: Database) -> dict[str, int]:
    with database.session() as s:
        wire = make_article(
            s,
            "Officers of Russia and Iran agreed to cooperate on policing.",
            title="Russia and Iran agree on police cooperation",
            outlet="Example Wire",
            published_at=datetime(2026, 6, 27, 9, tzinfo=UTC),
        )
        daily = make_article(
            s,
            "The port handled 42 million tonnes of grain last year.",
            title="Grain exports",
            outlet="Daily Example",
            published_at=datetime(2026, 7, 3, 9, tzinfo=UTC),
        )
        radan = make_source(s, "Ahmad Reza Radan", role="Commander of Law Enforcement Forces")
        s.add(SourceAlias(source_id=radan.id, alias="the police chief", key="the police chief"))
        port = make_source(s, "Port authority", "organization")
        meeting = make_claim(
            s, wire, "Russian and Iranian police agreed to cooperate", sources=[radan], priority=0.9
        )
        grain = make_claim(
            s, daily, "The port handled 42 million tonnes of grain", sources=[port], priority=0.5
        )
        opinion = make_claim(
            s, wire, "Radan called the talks a very good start", kind="opinion", priority=0.2
        )
        s.flush()
        return {
            "wire": wire.id,
            "daily": daily.id,
            "radan": radan.id,
            "port": port.id,
            "meeting": meeting.id,
            "grain": grain.id,
            "opinion": opinion.id,
        }


def test_words_are_stemmed_and_all_must_match(database: Database, desk: dict[str, int]) -> None:
    assert _ids(database, "claims", "agree") == [desk["meeting"]]  # "agreed", stemmed
    assert _ids(database, "claims", "police cooperate") == [desk["meeting"]]
    assert _ids(database, "claims", "police grain") == []
    assert _ids(database, "claims", "police or grain") == sorted([desk["meeting"], desk["grain"]])
    assert _ids(database, "claims", '"million tonnes"') == [desk["grain"]]
    assert _ids(database, "claims", '"tonnes million"') == []
    assert _ids(database, "claims", "radan -start") == []
    assert _ids(database, "articles", "iran") == [desk["wire"]]
    assert _ids(database, "articles", "wire") == [desk["wire"]]  # the outlet is indexed


def test_sources_match_by_name_role_and_alias(database: Database, desk: dict[str, int]) -> None:
    assert _ids(database, "sources", "radan") == [desk["radan"]]
    assert _ids(database, "sources", "enforcement") == [desk["radan"]]
    assert _ids(database, "sources", "chief") == [desk["radan"]]  # an alias


def test_hostile_input_is_text_not_syntax(database: Database, desk: dict[str, int]) -> None:
    for q in ["police*", '"police', "(police)", "police'", "police:"]:
        assert _ids(database, "claims", q) == [desk["meeting"]], q
    for q in ["NEAR(police", "col:police", "police OR", "^police", "a\x00b"]:
        assert _ids(database, "claims", q) in ([], [desk["meeting"]]), q  # no syntax error
    with pytest.raises(UsageError):
        _ids(database, "claims", "-police")
    with pytest.raises(UsageError):
        _ids(database, "claims", '" ** "')


def test_the_index_follows_every_write(database: Database, desk: dict[str, int]) -> None:
    with database.session() as s:
        # A Core UPDATE (the path edit forms and merges take), not the ORM.
        s.execute(
            update(Claim)
            .where(Claim.id == desk["grain"])
            .values(
                text="The harbour shipped 42 million tonnes of wheat",
                quote="The harbour shipped 42 million tonnes of wheat",
            )
        )
        # A status change must not disturb the index (the trigger watches text columns).
        s.execute(update(Claim).where(Claim.id == desk["meeting"]).values(status="skipped"))
    assert _ids(database, "claims", "grain") == []
    assert _ids(database, "claims", "wheat harbour") == [desk["grain"]]
    assert _ids(database, "claims", "agreed") == [desk["meeting"]]
    with database.session() as s:
        s.execute(delete(Article).where(Article.id == desk["wire"]))  # claims go by cascade
    assert _ids(database, "claims", "agreed") == []
    assert _ids(database, "articles", "iran") == []
    with database.session() as s:
        new = make_claim(s, None, "A fresh claim about wheat")
        new_id = new.id
    assert _ids(database, "claims", "wheat") == sorted([desk["grain"], new_id])
    if database.dialect == "sqlite":  # the external-content index agrees with its table
        with database.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO claims_fts(claims_fts) VALUES ('integrity-check')")


@pytest.mark.postgres
def test_postgres_uses_the_gin_indexes(database: Database, desk: dict[str, int]) -> None:
    if database.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    with database.session() as s:
        s.execute(text("SET LOCAL enable_seqscan = off"))
        for target, index in (("claims", "ix_claims_search"), ("articles", "ix_articles_search")):
            hits = text_hits(session=s, target=target, query="police")  # type: ignore[arg-type]
            sql = str(hits.select().compile(s.get_bind(), compile_kwargs={"literal_binds": True}))
            plan = "\n".join(r[0] for r in s.execute(text("EXPLAIN " + sql)).all())
            assert index in plan, plan


def test_parser_is_the_same_on_both_sides() -> None:
    terms = parse_query('-draft police "law enforcement" or army')
    assert fts5_query(terms) == '"police" "law enforcement" OR "army" NOT "draft"'
    assert websearch_text(terms) == 'police "law enforcement" or army -draft'


def test_claim_filters_sorts_and_totals(database: Database, desk: dict[str, int]) -> None:
    with database.session() as s:
        everything = find_claims(session=s, query=ClaimQuery(), limit=2)
        assert everything.total == 3 and everything.has_more
        assert [c.id for c in everything.items] == [desk["meeting"], desk["grain"]]
        rest = find_claims(session=s, query=ClaimQuery(), limit=2, offset=2)
        assert [c.id for c in rest.items] == [desk["opinion"]] and not rest.has_more

        def ids(**kw: object) -> list[int]:
            return [c.id for c in find_claims(session=s, query=ClaimQuery(**kw)).items]  # type: ignore[arg-type]

        assert ids(q="grain") == [desk["grain"]]
        assert ids(kinds=("opinion",)) == [desk["opinion"]]
        assert ids(outlets=("example wire",)) == [desk["meeting"], desk["opinion"]]
        assert ids(published_from=date(2026, 7, 1)) == [desk["grain"]]
        assert ids(published_to=date(2026, 6, 27)) == [desk["meeting"], desk["opinion"]]
        assert ids(source_ids=(desk["radan"],)) == [desk["meeting"]]
        assert ids(source_name="port auth") == [desk["grain"]]
        assert ids(source_name="port_auth") == [] and ids(source_name="%") == []
        assert ids(source_types=("organization",)) == [desk["grain"]]
        assert ids(article_ids=(desk["daily"],)) == [desk["grain"]]
        assert ids(sort="oldest") == [desk["meeting"], desk["grain"], desk["opinion"]]
        assert ids(sort="published")[0] == desk["grain"]
        assert ids(has_prior=True) == []
        with pytest.raises(UsageError):
            ids(sort="sideways")
        with pytest.raises(UsageError):
            ids(published_from=date(2026, 7, 2), published_to=date(2026, 7, 1))


def test_badges_count_repeats_and_prior_fact_checks(
    database: Database, desk: dict[str, int]
) -> None:
    with database.session() as s:
        wire = s.get(Article, desk["wire"])
        repeat = make_claim(s, wire, "Russia and Iran police agreed to cooperate")
        ref = Claim(
            origin="reference",
            text="Russia and Iran agreed on police cooperation",
            quote="Russia and Iran agreed on police cooperation",
            status="reviewed",
            verdict="mostly-false",
            reference={
                "publisher": "Fact Desk",
                "rating_text": "Mostly false",
                "url": "https://factdesk.example/1",
            },
        )
        s.add(ref)
        s.flush()
        meeting = s.get(Claim, desk["meeting"])
        assert meeting is not None
        meeting.group_id = meeting.id
        repeat.group_id = meeting.id
        s.add(
            ClaimMatch(
                claim_id=meeting.id,
                matched_claim_id=ref.id,
                score=1.0,
                method="lexical",
                status="suggested",
            )
        )
        s.add(
            ClaimMatch(
                claim_id=desk["grain"],
                matched_claim_id=ref.id,
                score=0.6,
                method="lexical",
                status="rejected",
            )
        )
        s.flush()
        badges = claim_badges(session=s, claim_ids=[desk["meeting"], desk["grain"]])
        assert badges[desk["meeting"]].repeats == 1
        prior = badges[desk["meeting"]].prior_checks
        assert [(p.publisher, p.rating, p.url) for p in prior] == [
            ("Fact Desk", "Mostly false", "https://factdesk.example/1")
        ]
        assert prior[0].verdict is not None and prior[0].verdict.key == "mostly-false"
        assert badges[desk["grain"]].prior_checks == []  # rejected is not a prior
        queue = find_claims(session=s, query=ClaimQuery(has_prior=True))
        assert [c.id for c in queue.items] == [desk["meeting"]]
        assert repeat.id not in [c.id for c in find_claims(session=s, query=ClaimQuery()).items]
        found = find_claims(session=s, query=ClaimQuery(q="cooperate", queue_view=False))
        assert {c.id for c in found.items} == {desk["meeting"], repeat.id}
        public = find_claims(session=s, query=ClaimQuery(has_prior=True)).public()
        flags = public.badges[public.items[0].id]
        assert flags.repeats == 1 and flags.prior_checks[0].score == 1.0


def test_article_and_source_lists(database: Database, desk: dict[str, int]) -> None:
    with database.session() as s:
        page = find_articles(session=s, q="iran")
        assert [a.id for a in page.items] == [desk["wire"]] and page.total == 1
        assert page.items[0].claims == 2
        by_outlet = find_articles(session=s, outlets=["Daily Example"])
        assert [a.id for a in by_outlet.items] == [desk["daily"]]
        assert find_articles(session=s, sort="published").items[0].id == desk["daily"]
        sources = find_sources(session=s, q="radan")
        assert [(h.id, h.claims) for h in sources.items] == [(desk["radan"], 1)]
        assert find_sources(session=s, q="radan", source_types=["expert"]).total == 0


def test_totals_stop_at_the_cap_but_paging_stays_right(
    database: Database, desk: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import factcheck.db.lists as lists

    monkeypatch.setattr(lists, "TOTAL_CAP", 1)
    with database.session() as s:
        first = find_claims(session=s, query=ClaimQuery(), limit=1)
        assert (first.total, first.total_capped, first.has_more) == (2, True, True)
        last = find_claims(session=s, query=ClaimQuery(), limit=1, offset=2)
        assert (last.total, last.total_capped, last.has_more) == (3, False, False)
        assert [c.id for c in last.items] == [desk["opinion"]]
        # A selective filter takes the filter-then-sort path: same order.
        assert [
            c.id for c in find_claims(session=s, query=ClaimQuery(verdicts=("false",))).items
        ] == []
        assert find_claims(session=s, query=ClaimQuery(outlets=("Example Wire",))).total == 2
