"""The response cache: one paid call per (model, prompt version, chunk, schema), ever.

Entries live in the `llm_cache` table of the factcheck database, so a team sharing a
PostgreSQL database shares the cache and a re-run of a batch costs nothing. The key
hashes everything that shapes the answer: model, method, prompt version and the hash of
the prompt files, the response schema, and the exact messages sent (which contain the
chunk, its context, title and date). Only the validated answer is stored, never a key.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from factcheck.db.models import LLMCacheEntry
from factcheck.db.session import Database

log = logging.getLogger("factcheck.llm")


def cache_key(
    *,
    model: str,
    method: str,
    prompt_version: str,
    prompt_hash: str,
    schema: dict[str, Any],
    messages: list[tuple[str, str]],
) -> str:
    payload = json.dumps(
        {
            "model": model,
            "method": method,
            "prompt": [prompt_version, prompt_hash],
            "schema": schema,
            "messages": messages,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CachedResponse:
    response: dict[str, Any]
    prompt_tokens: int
    completion_tokens: int


class ResponseCache:
    """Reads and writes `llm_cache` rows; a failing cache never fails an extraction."""

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
