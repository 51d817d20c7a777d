"""`factcheck articles ...`: store and list articles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from factcheck.cli._common import (
    FormatOption,
    TableOrJson,
    console,
    database,
    err_console,
    print_model,
    settings,
    transaction,
)
from factcheck.db.articles import list_articles, store_article
from factcheck.errors import FactcheckError, InputError
from factcheck.ingest.discover import Ignored, discover
from factcheck.ingest.jsonl import JsonFields

articles_app = typer.Typer(help="Store and list news articles.")


@articles_app.command("add")
def add(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Articles: .txt, .html, .jsonl or .json files, folders, or - (stdin)."),
    ],
) -> None:
    """Store articles without extracting; the same text twice is stored once."""
    cfg = settings()
    db = database(cfg, create=True)
    max_bytes = int(cfg.max_file_mb * 1024 * 1024)
    failed = total = 0
    for item in discover(paths, fields=JsonFields.from_settings(cfg), max_bytes=max_bytes):
        if isinstance(item, Ignored):
            err_console.print(f"{item.location}: skipped, {item.reason}", highlight=False)
            continue
        total += 1
        if isinstance(item, InputError):
            err_console.print(f"[red]Error[/red]: {item}", highlight=False)
            failed += 1
            continue
        # One transaction per article: a failure never leaves half of one stored.
        with db.session() as session:
            row, created = store_article(session=session, article=item)
            article_id = row.id
        if created:
            console.print(f"{item.location}: stored as #{article_id}", highlight=False)
        else:
            console.print(f"{item.location}: already stored as #{article_id}", highlight=False)
    db.dispose()
    if failed:
        raise FactcheckError(f"{failed} of {total} input(s) could not be stored")


@articles_app.command("list")
def list_(
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 100,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """List stored articles, newest first, with their claim counts."""
    with transaction() as session:
        rows = list_articles(session=session, limit=limit)
    if fmt is TableOrJson.json:
        print_model(rows)
        return
    table = Table("id", "title", "source", "chars", "claims", "ingested")
    for r in rows:
        table.add_row(
            str(r.id),
            r.title or "",
            r.source_path or r.url or "",
            str(r.chars),
            str(r.claims),
            r.ingested_at.isoformat()[:19].replace("T", " "),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(articles_app, name="articles")
