"""The LLM response cache in the factcheck database (the `llm_cache` table).

A team sharing a PostgreSQL database shares the cache, and a re-run of a batch costs
nothing. It implements `factcheck.extract.llm.cache.ResponseCache`, the small protocol
the LLM extractor takes, so the extractor never touches a database itself. Only the
validated answer is stored, never a key. A failing cache never fails an extraction.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from factcheck.db.models import LLMCacheEntry
from factcheck.db.session import Database
from factcheck.extract.llm.cache import CachedResponse

log = logging.getLogger("factcheck.llm")


class DatabaseResponseCache:
    """Reads and writes `llm_cache` rows, each in its own short transaction."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, key: str) -> CachedResponse | None:
        try:
            with self.database.session() as session:
                row = session.get(LLMCacheEntry, key)
                if row is None:
                    return None
                return CachedResponse(dict(row.response), row.prompt_tokens, row.completion_tokens)
        except SQLAlchemyError as exc:
            log.warning("LLM cache read failed, calling the model instead: %s", type(exc).__name__)
            return None

    def put(
        self,
        key: str,
        *,
        model: str,
        prompt_version: str,
        response: dict[str, Any],
        prompt_tokens: int,
        completion_tokens: int,
        replace: bool = False,
    ) -> None:
        """Store an answer; `replace` refreshes an existing entry (a `--no-cache` run)."""
        try:
            with self.database.session() as session:
                row = session.get(LLMCacheEntry, key)
                if row is not None:
                    if replace:
                        row.response = response
                        row.prompt_tokens = prompt_tokens
                        row.completion_tokens = completion_tokens
                    return
                session.add(
                    LLMCacheEntry(
                        key=key,
                        model=model,
                        prompt_version=prompt_version,
                        response=response,
                        prompt_tokens=prompt_tokens,
                        completion_tokens=completion_tokens,
                    )
                )
        except IntegrityError:
            pass  # the same chunk answered by a concurrent worker: its entry is as good
        except SQLAlchemyError as exc:
            log.warning("LLM cache write failed: %s", type(exc).__name__)
