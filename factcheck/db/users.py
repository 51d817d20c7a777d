"""Reviewer accounts and API tokens for the web UI and the JSON API.

Passwords are hashed with Argon2id (argon2-cffi's defaults, which follow RFC 9106's
recommendations) and re-hashed transparently when those parameters change. API tokens
are random 256-bit strings shown once; only their SHA-256 is stored, so a leaked
database does not leak usable tokens. Nothing here ever logs a password or a token.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from factcheck.db.models import ApiToken, User, WebSession
from factcheck.errors import AuthError, NotFoundError, UsageError

MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "fct_"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$")

_hasher = PasswordHasher()


# Verifying against this when the user does not exist keeps the response time the same
# whether or not the name is known, so login timing does not reveal account names.
# Computed on first use: an Argon2 hash costs ~0.4 s, too much for every CLI start-up.
@functools.cache
def _dummy_hash() -> str:
    return str(_hasher.hash(secrets.token_urlsafe(16)))


def hash_password(password: str) -> str:
    return str(_hasher.hash(password))


def _check_name(name: str) -> str:
    name = name.strip()
    if not _NAME_RE.match(name):
        raise UsageError(
            f"invalid reviewer name {name!r}: use 1-128 letters, digits, '.', '_', '@' or '-'"
        )
    return name


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(f"password too short: at least {MIN_PASSWORD_LENGTH} characters")


def create_user(*, session: Session, name: str, password: str) -> User:
    """A new active reviewer account; refuses a taken name or a short password."""
    name = _check_name(name)
    _check_password(password)
    if find_user(session=session, name=name) is not None:
        raise UsageError(f"reviewer {name!r} already exists")
    user = User(name=name, password_hash=hash_password(password), is_active=True)
    session.add(user)
    session.flush()
    return user


def set_password(*, session: Session, name: str, password: str) -> User:
    """Replace a reviewer's password (for `users add --reset`); ends their web sessions."""
    _check_password(password)
    user = get_user(session=session, name=name)
    user.password_hash = hash_password(password)
    session.flush()
    end_sessions_of(session=session, user_id=user.id, why="password changed")
    return user


def find_user(*, session: Session, name: str) -> User | None:
    return session.scalars(select(User).where(User.name == name.strip())).first()


def get_user(*, session: Session, name: str) -> User:
    user = find_user(session=session, name=name)
    if user is None:
        raise NotFoundError(f"no reviewer named {name!r}; create one with `factcheck users add`")
    return user


def get_user_by_id(*, session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def list_users(*, session: Session) -> Sequence[tuple[User, int]]:
    """Every account, by name, with its number of API tokens."""
    counts = (
        select(ApiToken.user_id, func.count(ApiToken.id).label("n"))
        .group_by(ApiToken.user_id)
        .subquery()
    )
    stmt = (
        select(User, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.user_id == User.id)
        .order_by(User.name)
    )
    return [(u, int(n)) for u, n in session.execute(stmt).all()]


def verify_password(*, session: Session, name: str, password: str) -> User:
    """The active reviewer with this name and password, or AuthError (same message for all)."""
    user = find_user(session=session, name=name) if name.strip() else None
    failure = AuthError("wrong reviewer name or password")
    if user is None:
        try:
            _hasher.verify(_dummy_hash(), password)
        except VerificationError:
            pass
        raise failure
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise failure from None
    if not user.is_active:
        raise failure
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.flush()
    return user


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(*, session: Session, name: str, label: str | None = None) -> str:
    """A new API token for the reviewer: returned once, stored only as its SHA-256."""
    user = get_user(session=session, name=name)
    if not user.is_active:
        raise UsageError(f"reviewer {name!r} is deactivated")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=token_digest(token), label=label))
    session.flush()
    return token


def authenticate_token(*, session: Session, token: str) -> User:
    """The active reviewer owning this API token, or AuthError; records when it was used."""
    if not token:
        raise AuthError("missing API token")
    row = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == token_digest(token.strip()))
    ).first()
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or not user.is_active:
        raise AuthError("invalid API token")
    row.last_used_at = datetime.now(UTC)
    return user


def revoke_tokens(*, session: Session, name: str) -> int:
    """Delete every API token of the reviewer; returns how many there were."""
    user = get_user(session=session, name=name)
    rows = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


def set_active(*, session: Session, name: str, active: bool) -> User:
    """Enable or disable an account; a disabled one can neither log in nor use its tokens."""
    user = get_user(session=session, name=name)
    user.is_active = active
    session.flush()
    if not active:
        end_sessions_of(session=session, user_id=user.id, why="account disabled")
    return user


# --- web sessions -------------------------------------------------------------------


def start_web_session(*, session: Session, user: User, lifetime: timedelta) -> str:
    """A new server-side session for `user`; returns the token for the cookie (once)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session.add(
        WebSession(
            user_id=user.id,
            token_hash=token_digest(token),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return token


def web_session_user(*, session: Session, token: str) -> User | None:
    """The active reviewer of this live session token, else None (ended, expired, unknown)."""
    if not token:
        return None
    row = session.execute(
        select(WebSession, User)
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.token_hash == token_digest(token))
    ).first()
    if row is None:
        return None
    web, user = row
    if web.ended_at is not None or web.expires_at <= datetime.now(UTC) or not user.is_active:
        return None
    return user if isinstance(user, User) else None


def end_web_session(*, session: Session, token: str, why: str = "logout") -> int | None:
    """End one session (logout); returns its reviewer's id, or None if it was not live."""
    if not token:
        return None
    row = session.scalars(
        select(WebSession).where(WebSession.token_hash == token_digest(token))
    ).first()
    if row is None or row.ended_at is not None:
        return None
    row.ended_at, row.ended_why = datetime.now(UTC), why
    session.flush()
    return row.user_id


def end_sessions_of(*, session: Session, user_id: int, why: str) -> int:
    """End every live session of a reviewer (password changed, account disabled)."""
    result = session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=datetime.now(UTC), ended_why=why)
    )
    return int(getattr(result, "rowcount", 0) or 0)
