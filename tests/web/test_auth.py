"""Who may do what: every route and every permission, sessions, CSRF, cookies, headers."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from factcheck.cli.main import app as cli
from factcheck.db.models import Claim
from factcheck.db.session import Database
from factcheck.db.users import set_active, set_password
from tests.web.conftest import PASSWORD, Browser, Desk, csrf_of, log_in

# Every route of the app and what an anonymous visitor gets. A new route must be added
# here (test_every_route_is_covered), so none can ship without its permission check.
PAGES_GET = [
    "/queue",
    "/claims/{id}",
    "/sources/{id}",
    "/articles",
    "/articles/{id}",
    "/articles/{id}/report",
    "/batches",
    "/search",
    "/gold",
]
PAGES_POST = [
    "/queue/next",
    "/queue/release/{id}",
    "/claims/{id}/review",
    "/claims/{id}/matches/{match_id}/{decision}",
    "/claims/{id}/apply-group",
    "/logout",
    # corrections (factcheck.web.corrections)
    "/claims/{id}/edit",
    "/claims/{id}/reject",
    "/claims/{id}/span",
    "/claims/{id}/split",
    "/claims/{id}/sources",
    "/articles/{id}/claims",
    "/sources/{id}/edit",
    "/sources/{id}/unmerge",
    "/sources/{id}/split",
    "/articles/{id}/edit",
    "/articles/{id}/done",
]
API_GET = [
    "/api/me",
    "/api/claims",
    "/api/claims/{id}",
    "/api/sources/{id}",
    "/api/articles/{id}",
    "/api/batches",
    "/api/search",
    "/api/articles",
    "/api/sources",
    "/api/eval",
]
API_POST = [
    "/api/queue/next",
    "/api/claims/{id}/review",
    "/api/claims/{id}/evidence",
    "/api/claims/{id}/release",
    "/api/claims/{id}/span",
    "/api/claims/{id}/reject",
    "/api/claims/{id}/split",
    "/api/claims/merge",
    "/api/articles/{id}/claims",
    "/api/claims/{id}/apply-group",
    "/api/matches/{match_id}/accept",
    "/api/matches/{match_id}/reject",
    "/api/articles",
    "/api/sources/{id}/unmerge",
    "/api/sources/{id}/split",
    "/api/articles/{id}/done",
]
API_PATCH = ["/api/claims/{id}", "/api/sources/{id}", "/api/articles/{id}"]
API_PUT = ["/api/claims/{id}/sources"]
PUBLIC = [("GET", "/"), ("GET", "/login"), ("POST", "/login"), ("GET", "/api/openapi.json")]


def _walk(routes: list[Any]) -> list[Any]:
    found = []
    for route in routes:
        inner = getattr(route, "original_router", None)  # FastAPI keeps included routers
        found.extend(_walk(inner.routes) if inner is not None else [route])
    return found


def _routes(app: FastAPI) -> set[tuple[str, str]]:
    found = set()
    for route in _walk(list(app.routes)):
        path = getattr(route, "path", "")
        if path.startswith("/static"):
            continue
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                for name in ("claim_id", "source_id", "article_id"):
                    path = path.replace("{" + name + "}", "{id}")
                found.add((method, path))
    return found


def test_every_route_is_covered(app: FastAPI) -> None:
    expected = (
        {("GET", p) for p in PAGES_GET + API_GET}
        | {("POST", p) for p in PAGES_POST + API_POST}
        | {("PATCH", p) for p in API_PATCH}
        | {("PUT", p) for p in API_PUT}
        | set(PUBLIC)
    )
    assert _routes(app) == expected
    # Only the API is in the OpenAPI document; pages are not an API.
    assert {
        p.replace("{claim_id}", "{id}")
        .replace("{source_id}", "{id}")
        .replace("{article_id}", "{id}")
        for p in app.openapi()["paths"]
    } == set(API_GET + API_POST + API_PATCH + API_PUT)


def _fill(path: str, desk: Desk) -> str:
    path = path.replace("{match_id}", "1").replace("{decision}", "accept")
    return path.replace("{id}", str(desk.claim_ids[0] if "claims" in path else desk.article_id))


@pytest.mark.parametrize("path", PAGES_GET)
def test_anonymous_pages_redirect_to_login(client: TestClient, desk: Desk, path: str) -> None:
    url = _fill(path, desk)
    r = client.get(url, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=" + url.replace("/", "%2F"))


@pytest.mark.parametrize("path", PAGES_POST)
def test_anonymous_posts_are_refused(client: TestClient, desk: Desk, path: str) -> None:
    url = _fill(path, desk)
    # Without a CSRF token: refused before anything else runs.
    assert client.post(url, data={"version": "1"}, follow_redirects=False).status_code == 403
    # With the anonymous session's valid token: still has to log in.
    token = csrf_of(client.get("/login").text)
    r = client.post(url, data={"csrf_token": token, "version": "1"}, follow_redirects=False)
    if path == "/logout":
        assert r.status_code == 303 and r.headers["location"] == "/login"
    else:
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        assert {c.status for c in s.scalars(select(Claim))} == {"new"}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", p) for p in API_GET]
    + [("POST", p) for p in API_POST]
    + [("PATCH", p) for p in API_PATCH]
    + [("PUT", p) for p in API_PUT],
)
def test_api_needs_a_bearer_token(as_alice: Browser, desk: Desk, method: str, path: str) -> None:
    client = as_alice.client
    url = _fill(path, desk)
    body: dict[str, Any] = {"expected_version": 1, "verdict": "false"}
    # A logged-in browser session is not an API credential (that would bypass CSRF).
    for headers in ({}, {"Authorization": "Bearer fct_not-a-token"}, {"Authorization": "Basic x"}):
        r = client.request(method, url, headers=headers, json=body if method != "GET" else None)
        assert r.status_code == 401, (url, headers, r.text)
        assert r.headers["www-authenticate"] == "Bearer"
        assert "detail" in r.json()


def test_login_logout_and_cookie_flags(client: TestClient, alice: str, desk: Desk) -> None:
    page = client.get("/login")
    bad = client.post(
        "/login", data={"name": "alice", "password": "nope-nope", "csrf_token": csrf_of(page.text)}
    )
    assert bad.status_code == 401 and "wrong reviewer name or password" in bad.text
    assert "nope-nope" not in bad.text
    r = client.post(
        "/login",
        data={"name": "alice", "password": PASSWORD, "csrf_token": csrf_of(bad.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/queue"
    cookie = r.headers["set-cookie"].lower()
    assert "factcheck_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    queue = client.get("/queue")
    assert queue.status_code == 200 and "Signed in as <strong>alice</strong>" in queue.text
    # A new session on login: the pre-login CSRF token is dead.
    assert csrf_of(queue.text) != csrf_of(page.text)
    out = client.post("/logout", data={"csrf_token": csrf_of(queue.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_login_form_needs_csrf(client: TestClient, alice: str) -> None:
    client.get("/login")
    r = client.post("/login", data={"name": "alice", "password": PASSWORD})
    assert r.status_code == 403 and "Form expired" in r.text
    assert client.get("/queue", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_login_never_redirects_off_site(client: TestClient, alice: str, target: str) -> None:
    page = client.get("/login")
    r = client.post(
        "/login",
        data={
            "name": "alice",
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": target,
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/queue"


def test_login_returns_to_the_page_asked_for(client: TestClient, alice: str, desk: Desk) -> None:
    first = client.get(f"/claims/{desk.claim_ids[1]}")  # redirected to the login form
    assert 'name="next" value="/claims/' in first.text
    r = client.post(
        "/login",
        data={
            "name": "alice",
            "password": PASSWORD,
            "csrf_token": csrf_of(first.text),
            "next": f"/claims/{desk.claim_ids[1]}",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == f"/claims/{desk.claim_ids[1]}"


def test_tampered_cookie_is_anonymous(client: TestClient, alice: str) -> None:
    log_in(client, alice)
    value = client.cookies.get("factcheck_session")
    assert value
    payload, _, signature = value.partition(".")
    # Claim to be someone else (uid 2) while keeping the old signature.
    forged = payload.replace(payload[:8], "eyJ1aWQiOiAy", 1) + "." + signature
    for cookie in (forged, value[:-3] + ("AAA" if value[-3:] != "AAA" else "BBB")):
        client.cookies.clear()
        client.cookies.set("factcheck_session", cookie)
        assert client.get("/queue", follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set("factcheck_session", value)
    assert client.get("/queue", follow_redirects=False).status_code == 200


def test_password_change_or_disabling_ends_sessions(
    client: TestClient, database: Database, alice: str
) -> None:
    log_in(client, alice)
    assert client.get("/queue").status_code == 200
    with database.session() as s:
        set_password(session=s, name="alice", password="another-password")
    assert client.get("/queue", follow_redirects=False).status_code == 303
    log_in(client, alice, "another-password")
    with database.session() as s:
        set_active(session=s, name="alice", active=False)
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_wrong_csrf_token_changes_nothing(
    as_alice: Browser, desk: Desk, database: Database
) -> None:
    cid = desk.claim_ids[0]
    r = as_alice.client.post(
        f"/claims/{cid}/review",
        data={"csrf_token": "forged", "version": "1", "verdict": "false", "action": "review"},
    )
    assert r.status_code == 403
    with database.session() as s:
        claim = s.get(Claim, cid)
        assert claim is not None and claim.status == "new" and claim.verdict is None
    # The header form (for scripts) works with the real token.
    ok = as_alice.client.post(
        f"/claims/{cid}/review",
        data={"version": "1", "verdict": "false", "action": "review"},
        headers={"X-CSRF-Token": as_alice.csrf},
        follow_redirects=False,
    )
    assert ok.status_code == 303


def test_security_headers(as_alice: Browser) -> None:
    r = as_alice.client.get("/queue")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    # No asset from elsewhere: every script and stylesheet is our own.
    assert "http" not in " ".join(
        line for line in r.text.splitlines() if "<script" in line or "stylesheet" in line
    )
    assert as_alice.client.get("/static/app.js").status_code == 200
    assert as_alice.client.get("/static/app.css").status_code == 200


def test_serve_binds_to_loopback_by_default(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    import uvicorn
    from typer.testing import CliRunner

    calls: list[dict[str, Any]] = []

    class Bound:  # the socket `serve` binds before uvicorn starts (no real port taken)
        def __init__(self, host: str, port: int) -> None:
            calls.append({"host": host, "port": port})

        def close(self) -> None:
            pass

    monkeypatch.setattr("factcheck.cli.serve.bind", Bound)
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8000
    assert "FACTCHECK_WEB_SECRET_KEY is not set" in result.stderr
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "9001"])
    assert calls[1]["host"] == "0.0.0.0" and calls[1]["port"] == 9001
    assert "reachable from the network" in result.stderr
    command = typer.main.get_command(cli).commands["serve"]  # type: ignore[attr-defined]
    assert {p.name: p.default for p in command.params}["host"] == "127.0.0.1"
