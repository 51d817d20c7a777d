"""Entry point: `factcheck ...`. Turns FactcheckError into a one-line message."""

from __future__ import annotations

import functools
import importlib
import pkgutil
import sys
from typing import Any

import typer
from typer.core import TyperGroup

import factcheck.cli
from factcheck import __version__
from factcheck.errors import FactcheckError, LeaseHeldError


class FactcheckGroup(TyperGroup):
    """The root group: a FactcheckError becomes one 'Error: ...' line, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except FactcheckError as err:
            sys.stderr.write(f"Error: {err}{_way_out(err)}\n")
            raise typer.Exit(err.exit_code) from err


def _way_out(err: FactcheckError) -> str:
    """What a CLI user can do about an error the library cannot know the cure of."""
    if isinstance(err, LeaseHeldError):
        # Most often the same person: `queue next --reviewer alice`, then a command that
        # acts as the login name.
        return (
            f" (you act as {err.actor}: if you are {err.holder}, add --reviewer {err.holder} "
            f"or export FACTCHECK_REVIEWER={err.holder}; --force acts anyway)"
        )
    return ""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"factcheck {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Say which database the command uses (on stderr)."
    ),
) -> None:
    """factcheck: find the claims in news articles, who asserts each, and track their checks."""
    from factcheck.cli._common import verbosity

    verbosity["verbose"] = verbose


# The CLI modules behind each top-level command. `factcheck extract` then starts without
# loading SQLAlchemy, the batch runner or the web app: half a second saved per run.
# tests/test_cli_help.py checks this map against the full app.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "articles": ("articles", "source_edits"),
    "check": ("check",),
    "claims": ("claims", "matching", "corrections"),
    "config": ("config_cmd",),
    "db": ("db",),
    "eval": ("gold",),
    "export": ("gold",),
    "extract": ("extract",),
    "import": ("imports",),
    "queue": ("queue",),
    "report": ("report",),
    "runs": ("runs",),
    "serve": ("serve",),
    "sources": ("sources", "source_edits"),
    "users": ("users",),
}


def all_modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.iter_modules(factcheck.cli.__path__)
        if not m.name.startswith("_") and m.name != "main"
    )


def build_app(modules: list[str] | tuple[str, ...] | None = None) -> typer.Typer:
    """The CLI with the commands of `modules` (every CLI module when None)."""
    from factcheck.cli import _help

    _help.install()
    app = typer.Typer(
        cls=FactcheckGroup,
        help="factcheck: find the claims in news articles, who asserts each, and track their "
        "checks.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        # `factcheck --install-completion` (bash, zsh, fish, PowerShell), as llm offers.
        add_completion=True,
    )
    app.callback()(_root)
    for name in modules if modules is not None else all_modules():
        module = importlib.import_module(f"factcheck.cli.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)
    return app


@functools.cache
def _full_app() -> typer.Typer:
    return build_app()


def __getattr__(name: str) -> Any:
    # `from factcheck.cli.main import app` (tests, embedding) gets every command.
    if name == "app":
        return _full_app()
    raise AttributeError(name)


def _modules_for(argv: list[str]) -> tuple[str, ...] | None:
    # The root's only options (--version, --verbose, --help) take no value, so the first word that
    # is not an option is the command; anything unknown loads every module, as before.
    command = next((a for a in argv if not a.startswith("-")), None)
    return COMMAND_MODULES.get(command) if command is not None else None


def main() -> None:
    build_app(_modules_for(sys.argv[1:]))()
