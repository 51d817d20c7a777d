"""`factcheck users ...`: reviewer accounts for the web UI and API tokens for integrations."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from factcheck.cli._common import console, transaction
from factcheck.cli._output import Column, ListFormat, ListFormatOption, OutputOption, col, emit_rows
from factcheck.db.users import (
    create_user,
    issue_token,
    list_users,
    revoke_tokens,
    set_active,
    set_password,
)
from factcheck.errors import UsageError

users_app = typer.Typer(help="Manage reviewer accounts (web login) and their API tokens.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise UsageError("no password on standard input")
        return password
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Reviewer name used to log in and in the audit.")],
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="Read the password from the first line of standard input."
        ),
    ] = False,
    reset: Annotated[
        bool, typer.Option("--reset", help="Set a new password for an existing reviewer.")
    ] = False,
) -> None:
    """Create a reviewer account (the password is prompted for and stored as Argon2id)."""
    password = _read_password(password_stdin)
    # The first account may come before any article (a team setting up its server).
    with transaction(create=not reset) as session:
        if reset:
            set_password(session=session, name=name, password=password)
        else:
            create_user(session=session, name=name, password=password)
    console.print(f"reviewer {name}: {'password changed' if reset else 'created'}", highlight=False)


@users_app.command("token")
def token(
    name: Annotated[str, typer.Argument(help="Reviewer the token acts as.")],
    label: Annotated[
        str | None, typer.Option(help="What the token is for, e.g. 'CMS integration'.")
    ] = None,
) -> None:
    """Issue an API token (printed once, only its SHA-256 is stored) for `Authorization: Bearer`."""
    with transaction() as session:
        value = issue_token(session=session, name=name, label=label)
    # The token alone on stdout so that scripts can capture it; the hint goes to stderr.
    sys.stdout.write(value + "\n")
    sys.stderr.write("Store it now: it cannot be shown again.\n")


@users_app.command("revoke")
def revoke(
    name: Annotated[str, typer.Argument(help="Reviewer whose API tokens are deleted.")],
) -> None:
    """Delete all API tokens of a reviewer."""
    with transaction() as session:
        n = revoke_tokens(session=session, name=name)
    console.print(f"reviewer {name}: {n} token(s) revoked", highlight=False)


@users_app.command("disable")
def disable(
    name: Annotated[str, typer.Argument(help="Reviewer to lock out.")],
) -> None:
    """Disable an account: no login, no API access; its audit history stays."""
    with transaction() as session:
        set_active(session=session, name=name, active=False)
    console.print(f"reviewer {name}: disabled", highlight=False)


@users_app.command("enable")
def enable(
    name: Annotated[str, typer.Argument(help="Reviewer to let back in.")],
) -> None:
    """Re-enable a disabled account."""
    with transaction() as session:
        set_active(session=session, name=name, active=True)
    console.print(f"reviewer {name}: enabled", highlight=False)


@users_app.command("list")
def list_(
    fmt: ListFormatOption = ListFormat.table,
    output: OutputOption = None,
) -> None:
    """List reviewer accounts with their API token counts."""
    with transaction() as session:
        rows: list[dict[str, Any]] = [
            {
                "name": u.name,
                "active": u.is_active,
                "tokens": n,
                "created_at": u.created_at.isoformat(),
            }
            for u, n in list_users(session=session)
        ]
    columns = [
        col("name", ratio=1),
        col("active"),
        col("tokens"),
        Column("created", lambda r: r["created_at"][:19]),
    ]
    emit_rows(rows, columns, fmt, output, empty="No reviewer accounts: `factcheck users add`.")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
