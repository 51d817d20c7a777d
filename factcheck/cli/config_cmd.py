"""`factcheck config show`: the effective settings, secrets masked."""

from __future__ import annotations

import typer
from rich.table import Table

from factcheck.cli._common import FormatOption, TableOrJson, console, print_json, settings

config_app = typer.Typer(help="Inspect factcheck's configuration (FACTCHECK_* variables).")


@config_app.command("show")
def show(
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """Print the effective settings, with API keys and database passwords masked.

    The first line names the database in use (a SQLite file by its absolute path), where
    that choice came from, and whether it exists yet.
    """
    from factcheck.config import database_origin
    from factcheck.db.session import describe_database, sqlite_path

    cfg = settings()
    data = cfg.public_dict()
    path = sqlite_path(cfg.database_url)
    database = {
        "database": describe_database(cfg.database_url),
        "from": database_origin(),
        "exists": path.exists() if path is not None else None,
    }
    if fmt is TableOrJson.json:
        print_json({**data, "database": database})
        return
    state = "" if path is None else " (exists)" if database["exists"] else " (not created yet)"
    console.print(
        f"database: {database['database']}{state}, from {database['from']}", highlight=False
    )
    table = Table("setting", "value", "environment variable")
    for key, value in data.items():
        table.add_row(key, "" if value is None else str(value), f"FACTCHECK_{key.upper()}")
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
