"""Login throttling with exponential back-off, audit events, and sessions ended server-side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from factcheck.config import load_settings
from factcheck.db.logins import ThrottlePolicy, login_wait, record_failure
from factcheck.db.models import Event, WebSession
from factcheck.db.session import Database
from factcheck.db.users import set_password
from factcheck.web import create_app
from tests.web.conftest import PASSWORD, csrf_of, log_in


def _client(database: Database, db_url: str, **settings: object) -> TestClient:
    cfg = load_settings(database_url=db_url, web_secret_key="k" * 32, **settings)
    return TestClient(create_app(cfg, database=database))


def _post_login(client: TestClient, name: str, password: str) -> object:
    page = client.get("/login")
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


def test_back_off_doubles_after_the_free_failures() -> None:
    policy = ThrottlePolicy(account_free=3, address_free=100, max_seconds=60)
    from factcheck.db.logins import _lock_for

    waits = [_lock_for(n, policy.account_free, policy.max_seconds) for n in range(1, 12)]
    assert waits == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_locked_account_refuses_even_the_right_password(
    database: Database, db_url: str, alice: str
) -> None:
    with _client(database, db_url, login_free_failures=3) as client:
        for _ in range(3):
            r = _post_login(client, alice, "wrong password!")
            assert r.status_code == 401  # type: ignore[attr-defined]
        r = _post_login(client, alice, "wrong password!")  # 4th: locked from now on
        assert r.status_code == 401  # type: ignore[attr-defined]
        r = _post_login(client, alice, PASSWORD)
        assert r.status_code == 429  # type: ignore[attr-defined]
        assert "too many failed logins" in r.text  # type: ignore[attr-defined]
        assert int(r.headers["Retry-After"]) >= 1  # type: ignore[attr-defined]
    with database.session() as s:
        events = s.scalars(select(Event).where(Event.action == "login_failed")).all()
        assert [e.data["reason"] for e in events] == ["wrong"] * 4 + ["locked"]  # type: ignore[index]
        assert all(e.actor == "alice" and e.claim_id is None for e in events)


def test_lock_ends_and_success_clears_the_account(database: Database) -> None:
    policy = ThrottlePolicy(account_free=1, address_free=50, max_seconds=30)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    with database.session() as s:
        record_failure(
            session=s, name="ann", address="10.0.0.1", reason="wrong", policy=policy, now=t0
        )
        assert login_wait(session=s, name="ann", address="10.0.0.1", now=t0) == 0
        wait = record_failure(
            session=s, name="ann", address="10.0.0.1", reason="wrong", policy=policy, now=t0
        )
        assert wait == 1
        assert login_wait(session=s, name="ANN", address="10.0.0.9", now=t0) == 1  # per account
        assert login_wait(session=s, name="ann", address="x", now=t0 + timedelta(seconds=2)) == 0


def test_one_address_guessing_many_accounts_is_throttled(
    database: Database, db_url: str, alice: str
) -> None:
    with _client(database, db_url, login_address_free_failures=4) as client:
        for i in range(5):
            assert _post_login(client, f"user{i}", "guess-guess").status_code == 401  # type: ignore[attr-defined]
        r = _post_login(client, alice, PASSWORD)
        assert r.status_code == 429  # type: ignore[attr-defined]


def test_logout_ends_the_session_server_side(database: Database, db_url: str, alice: str) -> None:
    with _client(database, db_url) as client:
        csrf = log_in(client, alice)
        stolen = dict(client.cookies)
        assert client.get("/queue", follow_redirects=False).status_code == 200
        r = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
        assert r.status_code == 303
    with _client(database, db_url) as replay:
        replay.cookies.update(stolen)  # the old cookie, kept by an attacker
        r = replay.get("/queue", follow_redirects=False)
        assert r.status_code == 303 and "/login" in r.headers["location"]
    with database.session() as s:
        (row,) = s.scalars(select(WebSession)).all()
        assert row.ended_why == "logout" and row.ended_at is not None
        assert s.scalars(select(Event.action).where(Event.actor == "alice")).all() == ["logout"]


def test_password_change_ends_every_session(database: Database, db_url: str, alice: str) -> None:
    with _client(database, db_url) as one, _client(database, db_url) as two:
        log_in(one, alice)
        log_in(two, alice)
        with database.session() as s:
            set_password(session=s, name=alice, password="a brand new password")
        for client in (one, two):
            r = client.get("/queue", follow_redirects=False)
            assert r.status_code == 303
    with database.session() as s:
        whys = s.scalars(select(WebSession.ended_why)).all()
        assert whys == ["password changed", "password changed"]


def test_session_lifetime_is_configurable(database: Database, db_url: str, alice: str) -> None:
    with _client(database, db_url, web_session_hours=0.5) as client:
        log_in(client, alice)
        cookie = next(c for c in client.cookies.jar if c.name == "factcheck_session")
        assert cookie.expires is not None
        left = cookie.expires - datetime.now(UTC).timestamp()
        assert 0 < left <= 30 * 60 + 5
    with database.session() as s:
        row = s.scalars(select(WebSession)).one()
        assert row.expires_at - row.created_at == timedelta(minutes=30)
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    with _client(database, db_url) as later:
        later.cookies.update(dict(client.cookies))
        assert later.get("/queue", follow_redirects=False).status_code == 303
