"""Migrations build the schema from empty, match the ORM exactly, and go back down."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from factcheck.db.models import Base
from factcheck.db.search import is_search_object
from factcheck.db.session import current_revision, downgrade, head_revision, make_engine, upgrade

EXPECTED_TABLES = {
    "articles",
    "extraction_runs",
    "article_extractions",
    "run_errors",
    "sources",
    "source_aliases",
    "claims",
    "claim_sources",
    "evidence",
    "events",
    "claim_matches",
    "users",
    "api_tokens",
    "llm_cache",
    "web_sessions",
    "login_throttle",
}


def _not_search(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    # Full-text search lives outside the ORM (FTS5 tables, expression indexes).
    return not (reflected and is_search_object(name, type_))


def _check_roundtrip(url: str) -> None:
    engine = make_engine(url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert {t for t in tables if not is_search_object(t, "table")} == EXPECTED_TABLES
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"include_object": _not_search})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == [], f"schema drift between migrations and ORM: {diff}"
        claim_cols = {c["name"] for c in inspect(engine).get_columns("claims")}
        assert {"status", "priority", "lease_expires_at", "version", "group_id"} <= claim_cols
        indexes = {i["name"] for i in inspect(engine).get_indexes("claims")}
        assert {"ix_claims_queue", "ix_claims_lease"} <= indexes
        downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) - {"alembic_version"} == set()
        upgrade(engine)  # and back up again: the downgrade left nothing behind
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_sqlite_from_empty(tmp_path: Path) -> None:
    _check_roundtrip(f"sqlite:///{tmp_path / 'm.db'}")


@pytest.mark.postgres
def test_postgresql_from_empty(pg_url: str) -> None:
    _check_roundtrip(pg_url)


def _search_survives_upgrade(url: str) -> None:
    """Data stored at 0001 is searchable after upgrading to 0005_search (backfill)."""
    from sqlalchemy import text

    from factcheck.db.search import text_hits
    from factcheck.db.session import Database

    engine = make_engine(url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO articles (id, text, content_hash, title, outlet, ingested_at) "
                    "VALUES (1, 'Grain exports rose.', 'h1', 'Grain', 'Wire', CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO claims (id, article_id, origin, text, quote, kind, hedged, "
                    "checkworthiness, priority, status, version, created_at, updated_at) "
                    "VALUES (1, 1, 'extracted', 'Grain exports rose', 'Grain exports rose', "
                    "'fact', false, 0.5, 0.5, 'new', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO sources (id, canonical_name, key, type, named, created_at) "
                    "VALUES (1, 'Port authority', 'port authority', 'organization', true, "
                    "CURRENT_TIMESTAMP)"
                )
            )
        upgrade(engine, "0005_search")
        db = Database(engine)
        with db.session() as s:
            for target, q in (("claims", "export"), ("articles", "wire"), ("sources", "port")):
                hits = text_hits(session=s, target=target, query=q)  # type: ignore[arg-type]
                assert s.execute(hits.select()).scalars().all() == [1], target
            assert s.execute(text("SELECT text FROM claims")).scalar() == "Grain exports rose"
        downgrade(engine, "0001")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM claims")).scalar() == 1
    finally:
        engine.dispose()


def test_sqlite_search_backfills_existing_rows(tmp_path: Path) -> None:
    _search_survives_upgrade(f"sqlite:///{tmp_path / 's.db'}")


@pytest.mark.postgres
def test_postgresql_search_backfills_existing_rows(pg_url: str) -> None:
    _search_survives_upgrade(pg_url)


def _check_corrections_keep_data(url: str) -> None:
    """0001 with a claim, a source and an event in it, upgraded to 0004_corrections."""
    from sqlalchemy import text

    engine = make_engine(url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO articles (id, text, content_hash, ingested_at) "
                    "VALUES (1, 'Police said 3 were hurt.', 'h1', CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO sources (id, canonical_name, key, type, named, created_at) "
                    "VALUES (1, 'Police', 'police', 'official', false, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    'INSERT INTO claims (id, article_id, origin, text, quote, start, "end", '
                    "kind, hedged, checkworthiness, priority, status, version, created_at, "
                    "updated_at) VALUES (1, 1, 'extracted', '3 were hurt', '3 were hurt', 12, "
                    "23, 'statistic', false, 0.5, 0.5, 'skipped', 3, CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO claim_sources (id, claim_id, source_id, position) "
                    "VALUES (1, 1, 1, 0)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO events (id, claim_id, actor, action, at) "
                    "VALUES (1, 1, 'ana', 'skip', CURRENT_TIMESTAMP)"
                )
            )
        upgrade(engine, "0004_corrections")
        with engine.begin() as conn:
            claim = conn.execute(
                text("SELECT status, version, edited_by, quote FROM claims WHERE id = 1")
            ).one()
            assert tuple(claim) == ("skipped", 3, None, "3 were hurt")
            source = conn.execute(text("SELECT scope, version, key FROM sources")).one()
            assert tuple(source) == (0, 1, "police")
            article = conn.execute(text("SELECT version, done_by FROM articles")).one()
            assert tuple(article) == (1, None)
            assert conn.execute(text("SELECT article_id FROM events")).scalar() is None
            assert conn.execute(text("SELECT count(*) FROM claim_sources")).scalar() == 1
            # The new status is allowed now, and the same unnamed name may exist per article.
            conn.execute(text("UPDATE claims SET status = 'rejected' WHERE id = 1"))
            conn.execute(
                text(
                    "INSERT INTO sources (id, canonical_name, key, type, named, scope, version, "
                    "created_at) VALUES (2, 'Police', 'police', 'official', false, 1, 1, "
                    "CURRENT_TIMESTAMP)"
                )
            )
        downgrade(engine, "0001")
        with engine.begin() as conn:
            assert conn.execute(text("SELECT status FROM claims")).scalar() == "skipped"
            assert conn.execute(text("SELECT count(*) FROM sources")).scalar() == 2
    finally:
        engine.dispose()


def test_sqlite_corrections_keep_data(tmp_path: Path) -> None:
    _check_corrections_keep_data(f"sqlite:///{tmp_path / 'c.db'}")


@pytest.mark.postgres
def test_postgresql_corrections_keep_data(pg_url: str) -> None:
    _check_corrections_keep_data(pg_url)


def _upgrade_with_data(url: str) -> None:
    """0001 with a reviewer, an article and a claim in it, then 0002: all of it survives."""
    from sqlalchemy import text

    engine = make_engine(url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (name, password_hash, is_active, created_at) "
                    "VALUES ('ann', 'x', true, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO articles (text, content_hash, ingested_at) "
                    "VALUES ('Body.', 'sha256:1', CURRENT_TIMESTAMP)"
                )
            )
        upgrade(engine, "0002_hardening")
        assert current_revision(engine) == "0002_hardening"
        with engine.begin() as conn:
            assert conn.execute(text("SELECT name FROM users")).scalars().all() == ["ann"]
            assert conn.execute(text("SELECT text FROM articles")).scalars().all() == ["Body."]
            uid = conn.execute(text("SELECT id FROM users")).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO web_sessions (user_id, token_hash, created_at, expires_at) "
                    "VALUES (:u, 'h', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"u": uid},
            )
            conn.execute(text("INSERT INTO login_throttle (key, failures) VALUES ('a', 1)"))
        downgrade(engine, "0001")
        assert "web_sessions" not in inspect(engine).get_table_names()
        with engine.begin() as conn:
            assert conn.execute(text("SELECT name FROM users")).scalars().all() == ["ann"]
    finally:
        engine.dispose()


def test_sqlite_0001_to_0002_keeps_data(tmp_path: Path) -> None:
    _upgrade_with_data(f"sqlite:///{tmp_path / 'd.db'}")


@pytest.mark.postgres
def test_postgresql_0001_to_0002_keeps_data(pg_url: str) -> None:
    _upgrade_with_data(pg_url)
