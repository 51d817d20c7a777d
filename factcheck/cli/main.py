"""Entry point: `factcheck ...`. Turns FactcheckError into a one-line message."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Any

import typer
from typer.core import TyperGroup

import factcheck.cli
from factcheck import __version__
from factcheck.errors import FactcheckError


class FactcheckGroup(TyperGroup):
    """The root group: a FactcheckError becomes one 'Error: ...' line, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except FactcheckError as err:
            sys.stderr.write(f"Error: {err}\n")
            raise typer.Exit(err.exit_code) from err


app = typer.Typer(
    cls=FactcheckGroup,
    help="factcheck: find the claims in news articles, who asserts each, and track their checks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"factcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """factcheck: find the claims in news articles, who asserts each, and track their checks."""


def _register_subapps() -> None:
    for mod in sorted(pkgutil.iter_modules(factcheck.cli.__path__), key=lambda m: m.name):
        if mod.name.startswith("_") or mod.name == "main":
            continue
        module = importlib.import_module(f"factcheck.cli.{mod.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_subapps()


def main() -> None:
    app()
