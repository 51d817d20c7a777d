"""`factcheck import claimreview FILE`: published fact-checks as reference claims."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from factcheck.cli._common import (
    FormatOption,
    TableOrJson,
    console,
    err_console,
    print_json,
    settings,
    transaction,
)
from factcheck.errors import FactcheckError
from factcheck.matching import match_new_claims
from factcheck.matching.claimreview import ImportSummary, import_claimreviews
from factcheck.verdicts import load_scale

import_app = typer.Typer(help="Import data from other tools: published fact-checks.")


@import_app.command("claimreview")
def claimreview(
    path: Annotated[
        Path, typer.Argument(help="ClaimReview JSON-LD: one object, a list, or JSON Lines.")
    ],
    match: Annotated[
        bool,
        typer.Option(
            "--match/--no-match", help="Suggest the imported verdicts to matching open claims."
        ),
    ] = True,
    reviewer: Annotated[
        str | None, typer.Option(help="Who imports (default: FACTCHECK_REVIEWER).")
    ] = None,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """Store published fact-checks with their verdicts mapped onto the configured scale.

    A bad line is reported as FILE:LINE and the others are imported; the exit code is
    then 1.
    """
    cfg = settings()
    scale = load_scale(cfg.verdict_scale_file)
    with transaction(cfg, create=True) as session:
        summary = import_claimreviews(
            session=session, path=path, actor=reviewer or cfg.reviewer, scale=scale
        )
        matched = None
        if match and summary.imported:
            matched = match_new_claims(session=session, claim_ids=summary.imported, settings=cfg)
    data = summary.as_dict()
    data["suggested"] = matched.suggested if matched else 0
    for error in summary.errors:
        err_console.print(f"[red]Error[/red]: {escape(error)}", highlight=False)
    if fmt is TableOrJson.json:
        print_json(data)
    else:
        _print_summary(path, summary, data)
    if summary.errors:
        raise FactcheckError(
            f"{len(summary.errors)} bad record(s) in {path} not imported; the others were"
        )


def _print_summary(path: Path, summary: ImportSummary, data: dict[str, Any]) -> None:
    console.print(
        f"{path}: imported {len(summary.imported)} fact-check(s), "
        f"{summary.duplicates} already stored, {data['suggested']} suggestion(s) "
        "on matching claims",
        highlight=False,
    )
    for item in summary.unmapped:
        console.print(
            f"  [yellow]no verdict on the scale for[/yellow] {escape(item)} "
            "(stored with its original rating text)",
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
