"""Fixtures for the LLM chain: a fake OpenAI-compatible server and settings that use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from factcheck.config import Settings, load_settings
from tests.llm.fake_server import FakeOpenAI

# A key-shaped secret that must never show up in logs, results, the database or reports.
SECRET_KEY = "sk-test-TOPSECRET-0123456789abcdef"


@pytest.fixture
def fake_llm() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def llm_settings(fake_llm: FakeOpenAI) -> Settings:
    """Settings pointing the LLM extractor at the fake server, with test-sized timeouts."""
    return load_settings(
        llm_base_url=fake_llm.url,
        llm_api_key=SECRET_KEY,
        llm_model="gpt-4o-mini",
        llm_timeout=2.0,
        llm_max_retries=2,
        llm_max_concurrency=4,
        llm_requests_per_second=1000.0,
    )
