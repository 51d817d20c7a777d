"""`factcheck queue ...`: the review queue in priority order, leases and release."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.text import Text

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
from factcheck.db.claims import claim_public
from factcheck.public import OPEN_STATUSES
from factcheck.verdicts import load_scale
from factcheck.workflow.priority import explain_many, refresh_priorities
from factcheck.workflow.queue import QueueFilters, lease_next, list_queue, release

queue_app = typer.Typer(
    help="The review queue: claims by priority; take the next one, give it back.",
    invoke_without_command=True,
)

StatusOpt = Annotated[
    list[str] | None,
    typer.Option("--status", help="Only these statuses (repeatable); default: open claims."),
]
SourceTypeOpt = Annotated[
    list[str] | None,
    typer.Option("--source-type", help="Only claims with a source of this type (repeatable)."),
]
ArticleOpt = Annotated[
    list[int] | None, typer.Option("--article", help="Only claims of this article id (repeatable).")
]
KindOpt = Annotated[
    list[str] | None,
    typer.Option("--kind", help="Only fact, statistic, opinion or prediction (repeatable)."),
]


def _filters(
    status: list[str] | None,
    source_type: list[str] | None,
    article: list[int] | None,
    kind: list[str] | None,
) -> QueueFilters:
    return QueueFilters(
        statuses=tuple(status) if status else tuple(OPEN_STATUSES),
        source_types=tuple(source_type or ()),
        article_ids=tuple(article or ()),
        kinds=tuple(kind or ()),
    ).validated()


@queue_app.callback()
def queue(
    ctx: typer.Context,
    status: StatusOpt = None,
    source_type: SourceTypeOpt = None,
    article: ArticleOpt = None,
    kind: KindOpt = None,
    limit: Annotated[int, typer.Option(help="How many claims to show.")] = 50,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show what each claim's priority is made of.")
    ] = False,
    fmt: ListFormatOption = ListFormat.table,
    output: OutputOption = None,
) -> None:
    """List claims waiting for review, highest priority first (one per matched group).

    The priority (0-1) is the one number the queue sorts by: how check-worthy the claim
    is, its source's record and how recent it is; --explain shows the parts.
    """
    if ctx.invoked_subcommand is not None:
        return
    filters = _filters(status, source_type, article, kind)
    cfg = settings()
    scale = load_scale(cfg.verdict_scale_file)
    with transaction(cfg) as session:
        claims = list_queue(session=session, filters=filters, limit=limit)
        rows = dump([claim_public(c, scale=scale) for c in claims])
        explained = (
            explain_many(session=session, claim_ids=[c.id for c in claims], scale=scale)
            if explain
            else {}
        )
    if explain:
        for row in rows:
            row["explain"] = explained[row["id"]].as_dict() if row["id"] in explained else None
    emit_rows(rows, _columns(rows), fmt, output, empty="No claims match.")
    if fmt is not ListFormat.table or output is not None:
        return
    if explain:
        for row in rows:
            if not row.get("explain"):
                continue
            exp = row["explain"]
            console.print(
                f"#{row['id']}: stored {row['priority']:.3f}, now {exp['priority']:.3f} =",
                highlight=False,
            )
            for p in exp["parts"]:
                console.print(f"    {p['value']:+.3f}  {p['name']}: {escape(p['why'])}")


def _sources(row: dict[str, Any]) -> str:
    return ", ".join(f"{s['name']} ({s['type']})" for s in row["sources"]) or "article"


def _article(row: dict[str, Any]) -> str:
    art = row.get("article") or {}
    if not art:
        return ""
    return f"#{art['id']} {art.get('outlet') or art.get('title') or ''}".strip()


def _claim_cell(row: dict[str, Any]) -> Text:
    """The claim with who says it and where under it: the claim gets the table's width."""
    cell = Text(row["text"])
    cell.append(f"\n{_sources(row)}", style="dim")
    if row.get("article"):
        cell.append(f" · {_article(row)}", style="dim")
    return cell


def _columns(rows: list[dict[str, Any]]) -> list[Column]:
    """The queue as a table (status and lease only when they vary); CSV/TSV get the
    source and article in columns of their own."""
    columns = [
        col("id"),
        col("priority"),
        col("kind"),
        Column("claim · source · article", _claim_cell, ratio=1, only="table"),
        col("text", "claim", only="flat"),
        Column("sources", _sources, only="flat"),
        Column("article", _article, only="flat"),
    ]
    if len({r["status"] for r in rows}) > 1:
        columns.insert(2, col("status"))
    if any(r["assigned_to"] for r in rows):
        columns.append(col("assigned_to", "leased to"))
    return columns


@queue_app.command("next")
def next_(
    reviewer: Annotated[
        str | None, typer.Option(help="Who takes the claim (default: FACTCHECK_REVIEWER).")
    ] = None,
    minutes: Annotated[
        int | None,
        typer.Option("--minutes", help="Lease length (default: FACTCHECK_LEASE_MINUTES)."),
    ] = None,
    source_type: SourceTypeOpt = None,
    article: ArticleOpt = None,
    kind: KindOpt = None,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """Take the highest-priority free claim: it is yours until the lease expires.

    With --format json prints the claim as one JSON object (id, text, sources,
    lease_expires_at, version, ...) or `null` when nothing is waiting.
    """
    cfg = settings()
    filters = _filters(None, source_type, article, kind)
    who = reviewer or cfg.reviewer
    with transaction(cfg) as session:
        claim = lease_next(
            session=session,
            reviewer=who,
            lease_minutes=minutes or cfg.lease_minutes,
            filters=filters,
        )
        data = claim_public(claim, scale=load_scale(cfg.verdict_scale_file)) if claim else None
    if fmt is TableOrJson.json:
        print_model(data)
        return
    if data is None:
        console.print("Nothing is waiting in the queue.")
        return
    until = data.lease_expires_at.strftime("%Y-%m-%d %H:%M") if data.lease_expires_at else "?"
    console.print(
        f"[bold]#{data.id}[/bold] leased to {escape(who)} until {until} UTC "
        f"(priority {data.priority:.3f})",
        highlight=False,
    )
    console.print(escape(data.text), highlight=False)
    for s in data.sources:
        console.print(f"  source: {escape(s.name)} ({s.type}) {escape(s.cue or '')}")
    console.print(f"Next: factcheck claims show {data.id}", style="dim")


@queue_app.command("release")
def release_(
    claim_ids: Annotated[list[int], typer.Argument(help="Claim ids to give back to the queue.")],
    note: Annotated[str | None, typer.Option(help="Why (kept in the history).")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Release even a lease someone else holds.")
    ] = False,
    reviewer: Annotated[
        str | None, typer.Option(help="Who gives them back (default: FACTCHECK_REVIEWER).")
    ] = None,
) -> None:
    """Give leased claims back to the queue."""
    cfg = settings()
    who = reviewer or cfg.reviewer
    with transaction(cfg) as session:
        for claim_id in claim_ids:
            release(session=session, claim_id=claim_id, actor=who, note=note, force=force)
    console.print(f"Released {', '.join(f'#{i}' for i in claim_ids)}.", highlight=False)


@queue_app.command("refresh")
def refresh() -> None:
    """Recompute the priority of every open claim (recency ages; run it daily)."""
    cfg = settings()
    with transaction(cfg) as session:
        n = refresh_priorities(session=session, scale=load_scale(cfg.verdict_scale_file))
    console.print(f"Refreshed the priority of {n} claim(s).")


def register(app: typer.Typer) -> None:
    app.add_typer(queue_app, name="queue")
