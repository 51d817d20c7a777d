"""Reviewer accounts and API tokens: Argon2id passwords, SHA-256-only tokens, the CLI."""

from __future__ import annotations

import hashlib
import json

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from typer.testing import CliRunner

from factcheck.cli.main import app as cli
from factcheck.db.models import ApiToken, User
from factcheck.db.session import Database
from factcheck.db.users import (
    authenticate_token,
    create_user,
    issue_token,
    revoke_tokens,
    set_active,
    set_password,
    verify_password,
)
from factcheck.errors import AuthError, NotFoundError, UsageError

runner = CliRunner()


def test_password_is_stored_as_argon2id_and_verified(database: Database) -> None:
    with database.session() as s:
        create_user(session=s, name="alice", password="s3cret-enough")
    with database.session() as s:
        user = s.scalars(select(User)).one()
        assert user.password_hash.startswith("$argon2id$")
        assert "s3cret-enough" not in user.password_hash
        assert verify_password(session=s, name="alice", password="s3cret-enough").id == user.id


@pytest.mark.parametrize(("name", "password"), [("alice", "wrong-password"), ("nobody", "x" * 10)])
def test_wrong_credentials_get_one_message(database: Database, name: str, password: str) -> None:
    with database.session() as s:
        create_user(session=s, name="alice", password="s3cret-enough")
    with database.session() as s, pytest.raises(AuthError) as err:
        verify_password(session=s, name=name, password=password)
    # The same words whether the name exists or not: no account enumeration.
    assert str(err.value) == "wrong reviewer name or password"


def test_disabled_reviewer_cannot_log_in(database: Database) -> None:
    with database.session() as s:
        create_user(session=s, name="alice", password="s3cret-enough")
        set_active(session=s, name="alice", active=False)
    with database.session() as s, pytest.raises(AuthError):
        verify_password(session=s, name="alice", password="s3cret-enough")


def test_bad_accounts_are_refused(database: Database) -> None:
    with database.session() as s:
        create_user(session=s, name="alice", password="s3cret-enough")
    for name, password, words in [
        ("alice", "s3cret-enough", "already exists"),
        ("bob", "short", "too short"),
        ("bad name!", "s3cret-enough", "invalid reviewer name"),
    ]:
        with database.session() as s, pytest.raises(UsageError, match=words):
            create_user(session=s, name=name, password=password)


def test_old_parameters_are_rehashed_on_login(database: Database) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    with database.session() as s:
        s.add(User(name="old", password_hash=weak.hash("s3cret-enough")))
    with database.session() as s:
        verify_password(session=s, name="old", password="s3cret-enough")
    with database.session() as s:
        stored = s.scalars(select(User.password_hash)).one()
        assert not PasswordHasher().check_needs_rehash(stored)
        assert PasswordHasher().verify(stored, "s3cret-enough")


def test_tokens_are_stored_only_as_sha256(database: Database) -> None:
    with database.session() as s:
        create_user(session=s, name="alice", password="s3cret-enough")
        token = issue_token(session=s, name="alice", label="cms")
    with database.session() as s:
        row = s.scalars(select(ApiToken)).one()
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (row.token_hash, row.label)
        assert row.last_used_at is None
        assert authenticate_token(session=s, token=token).name == "alice"
    with database.session() as s:
        assert s.scalars(select(ApiToken.last_used_at)).one() is not None
        with pytest.raises(AuthError):
            authenticate_token(session=s, token=token + "x")


def test_revoked_and_disabled_tokens_stop_working(database: Database) -> None:
    with database.session() as s:
        create_user(session=s, name="alice", password="s3cret-enough")
        first = issue_token(session=s, name="alice")
        set_active(session=s, name="alice", active=False)
    with database.session() as s, pytest.raises(AuthError):
        authenticate_token(session=s, token=first)
    with database.session() as s:
        set_active(session=s, name="alice", active=True)
        assert authenticate_token(session=s, token=first).name == "alice"
        assert revoke_tokens(session=s, name="alice") == 1
    with database.session() as s, pytest.raises(AuthError):
        authenticate_token(session=s, token=first)
    with database.session() as s, pytest.raises(NotFoundError):
        issue_token(session=s, name="ghost")


def test_cli_add_list_token_reset(database: Database) -> None:
    added = runner.invoke(cli, ["users", "add", "alice", "--password-stdin"], input="pw-long-1\n")
    assert added.exit_code == 0, added.output
    again = runner.invoke(cli, ["users", "add", "alice", "--password-stdin"], input="pw-long-1\n")
    assert again.exit_code == 2 and "already exists" in again.stderr
    prompted = runner.invoke(cli, ["users", "add", "bob"], input="pw-long-2\npw-long-2\n")
    assert prompted.exit_code == 0, prompted.output

    issued = runner.invoke(cli, ["users", "token", "alice", "--label", "cms"])
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip()
    assert token.startswith("fct_") and "\n" not in token
    with database.session() as s:
        assert authenticate_token(session=s, token=token).name == "alice"

    listed = json.loads(runner.invoke(cli, ["users", "list", "--format", "json"]).stdout)
    assert [(u["name"], u["tokens"], u["active"]) for u in listed] == [
        ("alice", 1, True),
        ("bob", 0, True),
    ]
    reset = runner.invoke(
        cli, ["users", "add", "alice", "--reset", "--password-stdin"], input="pw-long-3\n"
    )
    assert reset.exit_code == 0, reset.output
    with database.session() as s:
        verify_password(session=s, name="alice", password="pw-long-3")
        with pytest.raises(AuthError):
            verify_password(session=s, name="alice", password="pw-long-1")
    assert runner.invoke(cli, ["users", "disable", "bob"]).exit_code == 0
    with database.session() as s, pytest.raises(AuthError):
        verify_password(session=s, name="bob", password="pw-long-2")
    missing = runner.invoke(cli, ["users", "token", "ghost"])
    assert missing.exit_code == 1 and "no reviewer named 'ghost'" in missing.stderr


def test_set_password_checks_length(database: Database) -> None:
    with database.session() as s:
        create_user(session=s, name="alice", password="s3cret-enough")
        with pytest.raises(UsageError):
            set_password(session=s, name="alice", password="short")
