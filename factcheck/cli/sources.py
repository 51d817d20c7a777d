"""`factcheck sources ...`: who asserts claims, and their track record."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from factcheck.cli._common import (
    FormatOption,
    TableOrJson,
    console,
    dump,
    print_model,
    settings,
    transaction,
)
from factcheck.cli._output import (
    Column,
    ListFormat,
    ListFormatOption,
    OutputOption,
    col,
    emit_rows,
)
from factcheck.db.sources import find_source, list_sources, source_public
from factcheck.verdicts import load_scale
from factcheck.workflow.sources import merge_sources

sources_app = typer.Typer(help="Sources of claims and their track records.")


class SortBy(StrEnum):
    claims = "claims"
    false = "false"
    name = "name"


def _distribution(verdicts: dict[str, int]) -> str:
    return ", ".join(f"{k} {n}" for k, n in sorted(verdicts.items(), key=lambda kv: -kv[1]))


@sources_app.command("list")
def list_(
    source_type: Annotated[
        str | None, typer.Option("--type", help="Only sources of this type (official, media...).")
    ] = None,
    sort: Annotated[
        SortBy, typer.Option(help="claims (most first), false (worst record first) or name.")
    ] = SortBy.claims,
    min_claims: Annotated[int, typer.Option(help="Hide sources with fewer claims.")] = 0,
    limit: Annotated[int, typer.Option(help="How many sources to show.")] = 100,
    fmt: ListFormatOption = ListFormat.table,
    output: OutputOption = None,
) -> None:
    """Sources with their claim counts, verdict distribution and share of false verdicts."""
    cfg = settings()
    with transaction(cfg) as session:
        rows = list_sources(
            session=session,
            source_type=source_type,
            min_claims=min_claims,
            sort=sort.value,
            limit=limit,
            scale=load_scale(cfg.verdict_scale_file),
        )
    records = {r.id: r.describe(cfg.track_record_min_verdicts) for r in rows}
    columns = [
        col("id"),
        col("name", "source", ratio=2),
        col("type"),
        col("claims"),
        col("relayed"),
        col("reviewed"),
        Column("false", lambda r: records[r["id"]] if r["reviewed"] else ""),
        Column("verdicts", lambda r: _distribution(r["verdicts"]), ratio=1),
    ]
    emit_rows(dump(rows), columns, fmt, output, empty="No sources yet.")


@sources_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Source name, alias or id (#12).")],
    limit: Annotated[int, typer.Option(help="How many of its claims to list.")] = 200,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """A source's aliases, role, type, record and every claim with its status."""
    cfg = settings()
    with transaction(cfg) as session:
        src = find_source(session=session, name=name)
        data = source_public(
            session=session, source_id=src.id, scale=load_scale(cfg.verdict_scale_file), limit=limit
        )
    if fmt is TableOrJson.json:
        print_model(data)
        return
    console.print(
        f"[bold]{escape(data.name)}[/bold] (#{data.id}, {data.type}"
        f"{', named' if data.named else ', unnamed'})",
        highlight=False,
    )
    if data.role:
        console.print(f"Role: {escape(data.role)}", highlight=False)
    if data.aliases:
        console.print(f"Aliases: {escape(', '.join(data.aliases))}", highlight=False)
    r = data.record
    console.print(
        f"Asserts {r.claims} claim(s), relays {r.relayed}; "
        f"{r.reviewed} with a verdict: {r.describe(cfg.track_record_min_verdicts)}"
        + (f" ({escape(_distribution(r.verdicts))})" if r.verdicts else ""),
        highlight=False,
    )
    table = Table("id", "status", "verdict", "as", "claim")
    for c in data.claims:
        table.add_row(
            str(c.id),
            c.status,
            c.verdict or "",
            "asserter" if c.position == 0 else "relay",
            escape(c.text),
        )
    console.print(table)


@sources_app.command("merge")
def merge(
    duplicate: Annotated[str, typer.Argument(help="The duplicate source (name, alias or #id).")],
    keep: Annotated[str, typer.Argument(help="The source to keep (name, alias or #id).")],
    note: Annotated[
        str | None, typer.Option(help="Why they are the same (kept in history).")
    ] = None,
    reviewer: Annotated[
        str | None, typer.Option(help="Who merges (default: FACTCHECK_REVIEWER).")
    ] = None,
) -> None:
    """Merge a duplicate source into another: its claims and names move over."""
    cfg = settings()
    with transaction(cfg) as session:
        dup = find_source(session=session, name=duplicate, follow_merges=False)
        kept = find_source(session=session, name=keep)
        result = merge_sources(
            session=session,
            duplicate_id=dup.id,
            keep_id=kept.id,
            actor=reviewer or cfg.reviewer,
            note=note,
        )
        message = (
            f"Merged #{result.merged.id} {result.merged.canonical_name} into "
            f"#{result.kept.id} {result.kept.canonical_name}: {result.claims_moved} claim link(s) "
            f"moved, aliases added: {', '.join(result.aliases_added) or 'none'}."
        )
    console.print(escape(message), highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")
