"""`factcheck runs list`: the batch runs of `factcheck check`, newest first."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from factcheck.cli._common import dump, transaction
from factcheck.cli._output import Column, ListFormat, ListFormatOption, OutputOption, col, emit_rows
from factcheck.db.runs import first_errors, latest_runs, run_public

runs_app = typer.Typer(help="Batch runs of `factcheck check`: what ran, stored, failed, cost.")


def _when(row: dict[str, Any]) -> str:
    return str(row["started_at"])[:16].replace("T", " ")


def _articles(row: dict[str, Any]) -> str:
    parts = [f"{row['articles_new']} new"]
    parts += [f"{row['articles_skipped']} skip"] if row["articles_skipped"] else []
    parts += [f"{row['articles_failed']} failed"] if row["articles_failed"] else []
    return ", ".join(parts)


# The extractor, tokens and cost are in --format json; the table keeps to what fits 80.
COLUMNS = [
    col("id"),
    Column("started (UTC)", _when),
    col("status"),
    Column("articles", _articles, ratio=1),
    col("claims_stored", "claims"),
    col("command", ratio=2),
]


@runs_app.command("list")
def list_(
    limit: Annotated[int, typer.Option(help="How many runs, newest first.")] = 20,
    errors: Annotated[
        bool, typer.Option("--errors", help="Add the first failed inputs of each run.")
    ] = False,
    fmt: ListFormatOption = ListFormat.table,
    output: OutputOption = None,
) -> None:
    """Batch runs with their counts; `factcheck report batch ID` reports on one."""
    with transaction() as session:
        runs = latest_runs(session=session, limit=limit)
        rows: list[dict[str, Any]] = dump([run_public(r) for r in runs])
        if errors:
            failed = first_errors(
                session=session, run_ids=[r.id for r in runs if r.articles_failed]
            )
            for row in rows:
                row["errors"] = [f"{e.location}: {e.message}" for e in failed.get(row["id"], [])]
    columns = COLUMNS + (
        [Column("errors", lambda r: "\n".join(r["errors"]), ratio=2)] if errors else []
    )
    emit_rows(rows, columns, fmt, output, empty="No batch runs yet: run `factcheck check`.")


def register(app: typer.Typer) -> None:
    app.add_typer(runs_app, name="runs")
