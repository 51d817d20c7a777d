"""Shared CLI plumbing: settings, the database, output formats."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console

from factcheck.config import Settings, load_settings
from factcheck.errors import ConfigError

if TYPE_CHECKING:  # the database layer loads only for commands that use it
    from sqlalchemy.orm import Session

    from factcheck.db.session import Database

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


class TableOrJson(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[TableOrJson, typer.Option("--format", help="Output: table or json.")]


def settings() -> Settings:
    """The settings from FACTCHECK_* variables and .env; a bad value is a ConfigError.

    The message names the variable and what is wrong but never its value, which may be
    a key or a password.
    """
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    try:
        return load_settings()
    except ValidationError as exc:
        problems = "; ".join(f"{_variable(e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"bad setting: {problems}") from None
    except SettingsError as exc:
        raise ConfigError(f"bad setting: {exc}") from None


def _variable(loc: tuple[int | str, ...]) -> str:
    name = str(loc[0]) if loc else "?"
    # A field read through an alias (OPENAI_API_KEY) is reported under that alias.
    return name if name.isupper() else f"FACTCHECK_{name.upper()}"


# Set by the root `--verbose/-v` option: commands then say which database they use.
verbosity = {"verbose": False}


def database(cfg: Settings | None = None, *, create: bool = False) -> Database:
    """The configured database, upgraded to the latest schema.

    Only commands that bring work in (`check`, `articles add`, `import`, `users add`)
    pass `create`; every other command fails on a SQLite file that does not exist,
    naming it, instead of starting an empty database.
    """
    from factcheck.config import database_origin
    from factcheck.db.session import describe_database, open_database

    cfg = cfg or settings()
    origin = database_origin()
    if verbosity["verbose"]:
        err_console.print(
            f"database: {describe_database(cfg.database_url)} (from {origin})", highlight=False
        )
    from factcheck.db.session import sqlite_path

    path = sqlite_path(cfg.database_url)
    new = path is not None and not path.exists()
    db = open_database(cfg, create=create, origin=origin)
    if new:
        # The one time a database appears, say where: the next command must find it.
        err_console.print(f"Created the factcheck database {path} (from {origin})", highlight=False)
    return db


@contextmanager
def transaction(cfg: Settings | None = None, *, create: bool = False) -> Iterator[Session]:
    """One transaction on the configured database (committed when the block succeeds,
    rolled back when it raises), its connections closed afterwards either way."""
    db = database(cfg, create=create)
    try:
        with db.session() as session:
            yield session
    finally:
        db.dispose()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def dump(model: BaseModel | Sequence[BaseModel] | None) -> Any:
    """The JSON value of a public shape (or a list of them), exactly as the API sends it:
    FastAPI serialises response models in JSON mode, by alias."""
    if model is None:
        return None
    if isinstance(model, BaseModel):
        return model.model_dump(mode="json", by_alias=True)
    return [m.model_dump(mode="json", by_alias=True) for m in model]


def print_model(model: BaseModel | Sequence[BaseModel] | None) -> None:
    """Print a public shape (factcheck.public) as the API would return it."""
    print_json(dump(model))
