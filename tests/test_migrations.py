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


def _check_extraction_key(url: str) -> None:
    from sqlalchemy import text

    engine = make_engine(url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO articles (id, text, content_hash, ingested_at) "
                    "VALUES (1, 'Body.', 'sha256:x', CURRENT_TIMESTAMP)"
                )
            )
            for i, (name, model, prompt) in enumerate(
                [("offline", None, None), ("llm", "gpt-4o-mini", "v1")], start=1
            ):
                conn.execute(
                    text(
                        "INSERT INTO article_extractions (id, article_id, extractor_name, "
                        "extractor_version, model, prompt_version, claims_count, llm_calls, "
                        "prompt_tokens, completion_tokens, cost_usd, seconds, created_at) "
                        "VALUES (:id, 1, :name, '0.3', :model, :prompt, 2, 1, 10, 5, 0.0, "
                        "0.1, CURRENT_TIMESTAMP)"
                    ),
                    {"id": i, "name": name, "model": model, "prompt": prompt},
                )
        upgrade(engine, "0003_llm_extraction_key")
        with engine.begin() as conn:
            rows = conn.execute(
                text("SELECT id, key, claims_count FROM article_extractions ORDER BY id")
            ).all()
            assert [tuple(r) for r in rows] == [
                (1, "offline|0.3||", 2),
                (2, "llm|0.3|gpt-4o-mini|v1", 2),
            ]
            # Another model for the same article is a new extraction, the same key is not.
            conn.execute(
                text(
                    "INSERT INTO article_extractions (id, article_id, extractor_name, "
                    "extractor_version, model, prompt_version, key, claims_count, llm_calls, "
                    "prompt_tokens, completion_tokens, cost_usd, seconds, created_at) VALUES "
                    "(3, 1, 'llm', '0.3', 'gemma3', 'v2', 'llm|0.3|gemma3|v2', 0, 0, 0, 0, 0, 0, "
                    "CURRENT_TIMESTAMP)"
                )
            )
        with pytest.raises(Exception, match="(?i)unique"), engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO article_extractions (id, article_id, extractor_name, "
                    "extractor_version, key, claims_count, llm_calls, prompt_tokens, "
                    "completion_tokens, cost_usd, seconds, created_at) VALUES "
                    "(4, 1, 'offline', '0.3', 'offline|0.3||', 0, 0, 0, 0, 0, 0, "
                    "CURRENT_TIMESTAMP)"
                )
            )
    finally:
        engine.dispose()


def test_sqlite_extraction_key_filled_from_existing_rows(tmp_path: Path) -> None:
    _check_extraction_key(f"sqlite:///{tmp_path / 'k.db'}")


@pytest.mark.postgres
def test_postgresql_extraction_key_filled_from_existing_rows(pg_url: str) -> None:
    _check_extraction_key(pg_url)
