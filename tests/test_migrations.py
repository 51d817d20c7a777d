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
