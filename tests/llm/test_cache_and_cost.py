"""The response cache (SQLite and PostgreSQL), cost estimates, and the offline fallback."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect, select, text

from factcheck.config import Settings
from factcheck.db.llm_cache import DatabaseResponseCache
from factcheck.db.models import LLMCacheEntry
from factcheck.db.session import Database
from factcheck.extract.llm import LLMExtractionFailed, LLMExtractor
from factcheck.extract.registry import get_extractor
from factcheck.ingest.document import ArticleInput
from tests.llm.conftest import SECRET_KEY
from tests.llm.fake_server import FakeOpenAI, Fault

TEXT = (
    "The regional council voted on Tuesday to raise the school budget by four percent. "
    "Anna Berg said the money would pay for 40 new teachers.\n\n"
    "Opposition members argued that the plan ignored rising costs in rural districts."
)


def _article(title: str = "Budget") -> ArticleInput:
    return ArticleInput(text=TEXT, location="budget.txt", title=title)


def test_cache_hit_makes_no_request_and_gives_the_same_claims(
    fake_llm: FakeOpenAI, llm_settings: Settings, database: Database
) -> None:
    first = LLMExtractor(llm_settings, cache=DatabaseResponseCache(database)).extract(_article())
    assert fake_llm.count == 1 and first.claims
    fake_llm.reset_counts()

    again = LLMExtractor(llm_settings, cache=DatabaseResponseCache(database)).extract(_article())
    assert fake_llm.count == 0
    assert again.claims == first.claims
    assert again.usage is not None
    assert (again.usage.llm_calls, again.usage.cache_hits, again.usage.cost_usd) == (0, 1, 0.0)

    with database.session() as session:
        row = session.scalars(select(LLMCacheEntry)).one()
        assert (row.model, row.prompt_version) == ("gpt-4o-mini", "v2")
        assert row.prompt_tokens > 0 and row.response["claims"]


def test_no_cache_asks_again_and_a_changed_article_is_a_miss(
    fake_llm: FakeOpenAI, llm_settings: Settings, database: Database
) -> None:
    LLMExtractor(llm_settings, cache=DatabaseResponseCache(database)).extract(_article())
    LLMExtractor(llm_settings, cache=DatabaseResponseCache(database), use_cache=False).extract(
        _article()
    )
    assert fake_llm.count == 2
    LLMExtractor(llm_settings, cache=DatabaseResponseCache(database)).extract(
        _article(title="Other title")
    )
    assert fake_llm.count == 3
    other_model = llm_settings.model_copy(update={"llm_model": "gpt-4.1-mini"})
    LLMExtractor(other_model, cache=DatabaseResponseCache(database)).extract(_article())
    assert fake_llm.count == 4


def test_a_failed_article_is_not_cached(
    fake_llm: FakeOpenAI, llm_settings: Settings, database: Database
) -> None:
    fake_llm.push(Fault("truncate"), Fault("truncate"))
    with pytest.raises(LLMExtractionFailed):
        LLMExtractor(llm_settings, cache=DatabaseResponseCache(database)).extract(_article())
    result = LLMExtractor(llm_settings, cache=DatabaseResponseCache(database)).extract(_article())
    assert result.claims and fake_llm.count == 3


def test_the_key_is_never_stored(
    fake_llm: FakeOpenAI, llm_settings: Settings, database: Database
) -> None:
    LLMExtractor(llm_settings, cache=DatabaseResponseCache(database)).extract(_article())
    with database.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            assert SECRET_KEY not in json.dumps([list(r) for r in rows], default=str)


def test_cost_estimate_is_positive_then_zero_once_cached(
    fake_llm: FakeOpenAI, llm_settings: Settings, database: Database
) -> None:
    extractor = LLMExtractor(llm_settings, cache=DatabaseResponseCache(database))
    estimate = extractor.estimate_cost(_article())
    assert 0 < estimate < 0.01
    result = extractor.extract(_article())
    assert result.usage is not None
    # The estimate is the right order of magnitude for what the call cost.
    assert estimate / 5 < result.usage.cost_usd < estimate * 5
    assert extractor.estimate_cost(_article()) == 0.0
    assert fake_llm.count == 1


def test_offline_fallback_does_a_failed_article_and_says_so(
    fake_llm: FakeOpenAI, llm_settings: Settings
) -> None:
    seen: list[str] = []
    extractor = get_extractor(
        "llm",
        llm_settings.model_copy(update={"llm_max_retries": 0}),
        fallback="offline",
        on_fallback=lambda article, err: seen.append(err.message),
    )
    fake_llm.push(Fault("status", status=500))
    result = extractor.extract(_article())
    assert result.claims
    assert {c.extractor for c in result.claims} == {"offline"}
    assert result.extractor.name == "offline"
    assert result.check_grounding(TEXT) == []
    assert seen and "server error (500)" in seen[0]
    assert result.usage is not None and result.usage.llm_calls == 1
