"""Shared pieces of the report tests: a fixed clock, query counting, loaded reports."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event

from factcheck.db.session import Database
from factcheck.report import ArticleReport, Organisation, load_article_report
from factcheck.verdicts import DEFAULT_SCALE
from tests.report.builders import Built, build_article

NOW = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)
ORG = Organisation(name="Desk Check", url="https://check.example")


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(engine: Engine) -> Iterator[QueryCounter]:
    """Every statement the engine sends to the database while the block runs."""
    counter = QueryCounter()

    def listener(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def load_article(database: Database, article_id: int) -> ArticleReport:
    with database.session() as s:
        return load_article_report(
            session=s, article_id=article_id, scale=DEFAULT_SCALE, organisation=ORG, now=NOW
        )


@pytest.fixture
def built(database: Database) -> Built:
    with database.session() as s:
        return build_article(s)


@pytest.fixture
def article_report(database: Database, built: Built) -> ArticleReport:
    return load_article(database, built.article_id)
