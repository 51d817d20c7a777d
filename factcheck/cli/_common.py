"""Shared CLI plumbing: settings, the database, output formats."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console

from factcheck.config import Settings, load_settings
from factcheck.db.session import Database, open_database

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


class TableOrJson(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[TableOrJson, typer.Option("--format", help="Output: table or json.")]


def settings() -> Settings:
    return load_settings()


def database(cfg: Settings | None = None) -> Database:
    """The configured database, upgraded to the latest schema."""
    return open_database(cfg or settings())


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
