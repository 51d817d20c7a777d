"""`factcheck report ...`: article, batch and source reports in five formats."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from sqlalchemy.orm import Session

from factcheck.cli._common import console, err_console, settings, transaction
from factcheck.config import Settings
from factcheck.db.sources import find_source
from factcheck.errors import FactcheckError, UsageError
from factcheck.report import (
    ReportFormat,
    article_ids_for_file,
    load_article_report,
    load_batch_report,
    load_source_report,
    organisation_from,
    render,
)
from factcheck.report.claimreview import publication_warnings
from factcheck.report.model import Organisation, ReportBase
from factcheck.verdicts import VerdictScale, load_scale

report_app = typer.Typer(
    help="Write verification reports: Markdown, HTML, JSON, CSV or ClaimReview JSON-LD.",
    no_args_is_help=True,
)

ReportFormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        "-f",
        help="md, html (one self-contained file), json, csv (one row per claim) "
        "or claimreview (schema.org JSON-LD of reviewed claims).",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of standard output."),
]


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise FactcheckError(f"cannot write: {exc.strerror or exc}", location=str(output)) from exc
    console.print(f"Report written to {output.resolve()}", highlight=False)


Builder = Callable[[Session, VerdictScale, Organisation, Settings], ReportBase]


def _write_report(build: Builder, fmt: ReportFormat, output: Path | None) -> None:
    """Load in one read-only transaction, close the database, then render and write."""
    cfg = settings()
    scale = load_scale(cfg.verdict_scale_file)
    org = organisation_from(cfg)
    with transaction(cfg) as session:
        report = build(session, scale, org, cfg)
    text = render(report, fmt)
    if fmt is ReportFormat.claimreview:
        for line in publication_warnings(report):
            err_console.print(f"[yellow]warning[/yellow]: {line}", highlight=False)
    _emit(text, output)


@report_app.command("article")
def article(
    article_id: Annotated[
        int | None, typer.Argument(help="Article id (see `factcheck articles list`).")
    ] = None,
    path: Annotated[
        Path | None,
        typer.Option("--path", help="The article's file instead of its id (found by content)."),
    ] = None,
    fmt: ReportFormatOption = ReportFormat.md,
    output: OutputOption = None,
) -> None:
    """Report on one article: every claim, who says it, status, verdict, evidence, sources."""
    if (article_id is None) == (path is None):
        raise UsageError("give an article id or --path FILE (one of the two)")

    def build(session: Session, scale: VerdictScale, org: Organisation, cfg: Settings) -> Any:
        wanted = article_id
        if path is not None:
            max_bytes = int(cfg.max_file_mb * 1024 * 1024)
            found = article_ids_for_file(session=session, path=path, max_bytes=max_bytes)
            wanted = _choose(path, found)
        assert wanted is not None
        return load_article_report(
            session=session, article_id=wanted, scale=scale, organisation=org
        )

    _write_report(build, fmt, output)


def _choose(path: Path, found: list[tuple[int, str | None]]) -> int:
    """The one article of the file; of several, the one the user picks at a terminal,
    and otherwise a usage error that lists them (never silently the first)."""
    if len(found) == 1:
        return found[0][0]
    ids = [i for i, _ in found]
    listed = "; ".join(f"#{i} {title or '(untitled)'}" for i, title in found)
    if not sys.stdin.isatty():
        raise UsageError(
            f"{path} holds {len(found)} stored articles ({listed}): report one by its id, "
            f"e.g. `factcheck report article {ids[0]}`"
        )
    for i, title in found:
        err_console.print(f"  #{i} {title or '(untitled)'}", highlight=False)
    choice = typer.prompt(
        f"{path} holds {len(found)} articles; which one", type=click.Choice([str(i) for i in ids])
    )
    return int(choice)


def _parse_since(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(
            f"--since {value!r} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@report_app.command("batch")
def batch(
    run_id: Annotated[
        int | None, typer.Argument(help="Batch run id (printed by `factcheck check`).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Instead of a run: everything checked since this date (UTC)."),
    ] = None,
    fmt: ReportFormatOption = ReportFormat.md,
    output: OutputOption = None,
) -> None:
    """Report on a batch: totals, per-article table, verdicts, sources, open claims."""
    if (run_id is None) == (since is None):
        raise UsageError("give a run id or --since DATE (one of the two)")
    since_at = _parse_since(since) if since is not None else None

    def build(session: Session, scale: VerdictScale, org: Organisation, cfg: Settings) -> Any:
        return load_batch_report(
            session=session, scale=scale, organisation=org, run_id=run_id, since=since_at
        )

    _write_report(build, fmt, output)


@report_app.command("source")
def source(
    name: Annotated[str, typer.Argument(help="Source name, alias or #id.")],
    fmt: ReportFormatOption = ReportFormat.md,
    output: OutputOption = None,
) -> None:
    """Report on one source: its track record and every claim it asserts or relays."""

    def build(session: Session, scale: VerdictScale, org: Organisation, cfg: Settings) -> Any:
        source_id = find_source(session=session, name=name).id
        return load_source_report(
            session=session, source_id=source_id, scale=scale, organisation=org
        )

    _write_report(build, fmt, output)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
