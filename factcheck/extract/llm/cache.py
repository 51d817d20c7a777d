"""The response cache: one paid call per (model, prompt version, chunk, schema), ever.

The extractor takes any object with `get` and `put` (`ResponseCache`); the one the CLI
and the batch pass keeps entries in the factcheck database
(factcheck.db.llm_cache.DatabaseResponseCache). The key hashes everything that shapes
the answer: model, method, prompt version and the hash of the prompt files, the
response schema, and the exact messages sent (which contain the chunk, its context,
title and date). Only the validated answer is stored, never a key.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Protocol


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


class ResponseCache(Protocol):
    """Where the extractor keeps answers; implementations must never raise."""

    def get(self, key: str) -> CachedResponse | None: ...

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
    ) -> None: ...
