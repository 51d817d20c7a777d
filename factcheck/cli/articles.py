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
    print_json,
    settings,
)
from factcheck.db.articles import list_articles, store_article
from factcheck.errors import FactcheckError, InputError
from factcheck.ingest.text import read_text_file

articles_app = typer.Typer(help="Store and list news articles.")


@articles_app.command("add")
def add(
    paths: Annotated[list[Path], typer.Argument(help="Text files of articles (UTF-8).")],
) -> None:
    """Store articles without extracting; the same text twice is stored once."""
    cfg = settings()
    db = database(cfg)
    max_bytes = int(cfg.max_file_mb * 1024 * 1024)
    failed = 0
    for path in paths:
        try:
            article = read_text_file(path, max_bytes=max_bytes)
            # One transaction per article: a failure never leaves half of one stored.
            with db.session() as session:
                row, created = store_article(session=session, article=article)
                article_id = row.id
        except InputError as err:
            err_console.print(f"[red]Error[/red]: {err}", highlight=False)
            failed += 1
            continue
        if created:
            console.print(f"{path}: stored as #{article_id}", highlight=False)
        else:
            console.print(f"{path}: already stored as #{article_id}", highlight=False)
    db.dispose()
    if failed:
        raise FactcheckError(f"{failed} of {len(paths)} file(s) could not be stored")


@articles_app.command("list")
def list_(
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 100,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """List stored articles, newest first, with their claim counts."""
    db = database()
    with db.session() as session:
        rows = [
            {
                "id": a.id,
                "title": a.title,
                "outlet": a.outlet,
                "source": a.source_path or a.url,
                "published_at": a.published_at.isoformat() if a.published_at else None,
                "chars": len(a.text),
                "claims": n,
                "content_hash": a.content_hash,
                "ingested_at": a.ingested_at.isoformat(),
            }
            for a, n in list_articles(session=session, limit=limit)
        ]
    db.dispose()
    if fmt is TableOrJson.json:
        print_json(rows)
        return
    table = Table("id", "title", "source", "chars", "claims", "ingested")
    for r in rows:
        table.add_row(
            *(str(r[k] or "") for k in ("id", "title", "source", "chars", "claims")),
            str(r["ingested_at"])[:19],
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(articles_app, name="articles")
