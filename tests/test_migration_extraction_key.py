"""Migration 0003_llm_extraction_key: extractions keyed by model and prompt version,
the key filled in from the rows already there, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.db.session import make_engine, upgrade


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
