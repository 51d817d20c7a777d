"""Migrations build the schema from empty, match the ORM exactly, and go back down."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from factcheck.db.models import Base
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


def _check_roundtrip(url: str) -> None:
    engine = make_engine(url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert tables == EXPECTED_TABLES
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
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
