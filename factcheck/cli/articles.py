"""`factcheck articles ...`: store and list articles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from factcheck.cli._common import (
    console,
    database,
    dump,
    err_console,
    settings,
    transaction,
)
from factcheck.cli._output import Column, ListFormat, ListFormatOption, OutputOption, col, emit_rows
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
    fmt: ListFormatOption = ListFormat.table,
    output: OutputOption = None,
) -> None:
    """List stored articles, newest first, with their claim counts."""
    with transaction() as session:
        rows = dump(list_articles(session=session, limit=limit))
    columns = [
        col("id"),
        col("title", ratio=3),
        Column("outlet / file", lambda r: r["outlet"] or r["url"] or r["source_path"], ratio=2),
        col("chars"),
        col("claims"),
        Column("ingested", lambda r: str(r["ingested_at"])[:16].replace("T", " ")),
    ]
    emit_rows(rows, columns, fmt, output, empty="No articles yet: run `factcheck check`.")


def register(app: typer.Typer) -> None:
    app.add_typer(articles_app, name="articles")
