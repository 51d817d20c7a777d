"""Who is asking: session logins for pages, Bearer tokens for the API, CSRF for forms.

The session lives in a cookie signed with `web_secret_key` (Starlette's SessionMiddleware
on itsdangerous; HttpOnly, SameSite=Lax). It holds the reviewer's id, the token of a
server-side session row (factcheck.db.users: logout, a password change or disabling the
account end it at once, whatever copy of the cookie survives), a fingerprint of their
password hash and the per-session CSRF token that every form must send back. Sessions
last `web_session_hours`. Logins are throttled per account and per address with
exponential back-off (factcheck.db.logins); failures, lock-outs and logouts are audit
events.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from factcheck.config import Settings
from factcheck.db.logins import (
    ThrottlePolicy,
    login_wait,
    record_failure,
    record_logout,
    record_success,
)
from factcheck.db.models import User
from factcheck.db.session import Database
from factcheck.db.users import (
    authenticate_token,
    end_web_session,
    get_user_by_id,
    start_web_session,
    verify_password,
    web_session_user,
)
from factcheck.errors import AuthError

SESSION_COOKIE = "factcheck_session"
SESSION_MAX_AGE = 12 * 60 * 60
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class Reviewer:
    """The logged-in reviewer; `name` is what the audit trail records."""

    id: int
    name: str


class LoginRequired(Exception):
    """A page needs a logged-in reviewer; the app redirects to the login form."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url
        super().__init__(next_url)


class CSRFError(Exception):
    """A form came back without this session's CSRF token."""


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:16]


def database_of(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


class LoginThrottled(AuthError):
    """Too many failed logins for this account or address: wait `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(int(retry_after + 0.999), 1)
        super().__init__(
            "too many failed logins for this account or from this address; "
            f"try again in {self.retry_after} second{'s' if self.retry_after != 1 else ''}"
        )


def session_lifetime(settings: Settings) -> timedelta:
    return timedelta(hours=settings.web_session_hours)


def _policy(settings: Settings) -> ThrottlePolicy:
    return ThrottlePolicy(
        account_free=settings.login_free_failures,
        address_free=settings.login_address_free_failures,
        max_seconds=settings.login_max_lockout_seconds,
    )


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def attempt_login(request: Request, name: str, password: str) -> User:
    """Check the throttle, then the password; log the reviewer in, or raise AuthError.

    A locked account or address is refused before the password is verified (no Argon2
    time for guesses); every failure is counted and recorded in its own transaction,
    since the AuthError that follows rolls the caller's back.
    """
    settings: Settings = request.app.state.settings
    db = database_of(request)
    address = client_address(request)
    policy = _policy(settings)
    with db.session() as session:
        wait = login_wait(session=session, name=name, address=address)
    if wait > 0:
        with db.session() as session:
            record_failure(
                session=session, name=name, address=address, reason="locked", policy=policy
            )
        raise LoginThrottled(wait)
    try:
        with db.session() as session:
            user = verify_password(session=session, name=name, password=password)
            token = start_web_session(
                session=session, user=user, lifetime=session_lifetime(settings)
            )
            record_success(session=session, name=user.name, address=address)
            log_in(request, user, token)
            return user
    except AuthError:
        with db.session() as session:
            record_failure(
                session=session, name=name, address=address, reason="wrong", policy=policy
            )
        raise


def log_in(request: Request, user: User, token: str) -> None:
    # A fresh session on login: a token planted before login (session fixation) is dropped.
    request.session.clear()
    request.session.update(
        {
            "uid": user.id,
            "sid": token,
            "fp": _fingerprint(user),
            "csrf": secrets.token_urlsafe(32),
        }
    )


def log_out(request: Request) -> None:
    """End the session server-side (the cookie is worthless from now on), then clear it."""
    token = request.session.get("sid")
    if isinstance(token, str) and token:
        with database_of(request).session() as session:
            user_id = end_web_session(session=session, token=token)
            user = get_user_by_id(session=session, user_id=user_id) if user_id else None
            if user is not None:
                record_logout(session=session, name=user.name)
    request.session.clear()


def current_reviewer(request: Request) -> Reviewer | None:
    """The reviewer of this session, if it is still valid (account active, password same)."""
    cached = getattr(request.state, "reviewer", None)
    if isinstance(cached, Reviewer):
        return cached
    uid = request.session.get("uid")
    token = request.session.get("sid")
    if not isinstance(uid, int) or not isinstance(token, str):
        return None
    with database_of(request).session() as session:
        user = web_session_user(session=session, token=token)
        valid = (
            user is not None
            and user.id == uid
            and user.is_active
            and request.session.get("fp") == _fingerprint(user)
        )
        reviewer = Reviewer(id=user.id, name=user.name) if user is not None and valid else None
    if reviewer is None:
        request.session.clear()
        return None
    request.state.reviewer = reviewer
    return reviewer


def require_reviewer(request: Request) -> Reviewer:
    """Dependency of every page except login: anonymous visitors go to the login form."""
    reviewer = current_reviewer(request)
    if reviewer is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return reviewer


async def csrf_protect(request: Request) -> None:
    """Dependency of every HTML route: a POST must carry this session's CSRF token.

    Forms send it as a hidden field; the little JavaScript we ship sends it as a header.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = request.session.get("csrf")
    sent: Any = request.headers.get(CSRF_HEADER)
    if not sent:
        form = await request.form()
        sent = form.get(CSRF_FIELD)
    if not isinstance(expected, str) or not isinstance(sent, str):
        raise CSRFError("missing CSRF token")
    if not secrets.compare_digest(expected.encode(), sent.encode()):
        raise CSRFError("wrong CSRF token")


_bearer = HTTPBearer(
    auto_error=False,
    description="A reviewer's API token from `factcheck users token NAME`.",
)


def api_reviewer(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Reviewer:
    """Dependency of every /api/ route: a valid `Authorization: Bearer <token>`."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthError("missing API token: send 'Authorization: Bearer <token>'")
    with database_of(request).session() as session:
        user = authenticate_token(session=session, token=credentials.credentials)
        reviewer = Reviewer(id=user.id, name=user.name)
    request.state.reviewer = reviewer
    return reviewer


def safe_next(url: str | None) -> str:
    """Only same-site paths after login: `//evil.example` or `https://…` fall back to /."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return "/queue"
    return url
