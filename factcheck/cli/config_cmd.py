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
    """Print the effective settings, with API keys and database passwords masked."""
    data = settings().public_dict()
    if fmt is TableOrJson.json:
        print_json(data)
        return
    table = Table("setting", "value", "environment variable")
    for key, value in data.items():
        table.add_row(key, "" if value is None else str(value), f"FACTCHECK_{key.upper()}")
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
