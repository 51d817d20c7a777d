"""Fixtures for the web UI: an app over the test database, reviewers, logged-in clients."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from factcheck.config import load_settings
from factcheck.db.models import Article, Claim, Source
from factcheck.db.session import Database
from factcheck.db.users import create_user, issue_token
from factcheck.web import create_app
from tests.factories import make_article, make_claim, make_source

PASSWORD = "correct horse battery"
HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "page has no CSRF field"
    return found.group(1)


@pytest.fixture
def app(database: Database, db_url: str) -> FastAPI:
    settings = load_settings(database_url=db_url, web_secret_key="test-secret-key")
    return create_app(settings, database=database)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def alice(database: Database) -> str:
    with database.session() as s:
        create_user(session=s, name="alice", password=PASSWORD)
    return "alice"


@pytest.fixture
def bob(database: Database) -> str:
    with database.session() as s:
        create_user(session=s, name="bob", password=PASSWORD)
    return "bob"


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log `client` in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    r = client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return csrf_of(client.get("/queue").text)


@dataclass
class Browser:
    """A logged-in test client and its session's CSRF token."""

    client: TestClient
    csrf: str

    def post(self, url: str, data: dict[str, str] | None = None, **kw: Any) -> Any:
        return self.client.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kw)


@pytest.fixture
def as_alice(client: TestClient, alice: str) -> Browser:
    return Browser(client, log_in(client, alice))


@pytest.fixture
def token(database: Database, alice: str) -> str:
    with database.session() as s:
        return issue_token(session=s, name=alice, label="tests")


@dataclass
class Desk:
    """A small newsroom: one hostile article with three claims and two sources."""

    article_id: int
    claim_ids: list[int]
    official_id: int
    agency_id: int


@pytest.fixture
def desk(database: Database) -> Desk:
    with database.session() as s:
        art: Article = make_article(
            s,
            f"Minister Jane Roe said 12 people were hurt. {HOSTILE} "
            "TASS reported that talks resume in May. The harvest was poor.",
            title=f"Clashes {HOSTILE}",
        )
        official: Source = make_source(s, "Jane Roe", "official", role="interior minister")
        agency: Source = make_source(s, "TASS", "media")
        c1: Claim = make_claim(s, art, "12 people were hurt", sources=[official], priority=0.9)
        c2: Claim = make_claim(
            s,
            art,
            "talks resume in May",
            sources=[official, agency],
            kind="prediction",
            priority=0.5,
        )
        c3: Claim = make_claim(s, art, "The harvest was poor.", priority=0.2)
        return Desk(art.id, [c1.id, c2.id, c3.id], official.id, agency.id)
