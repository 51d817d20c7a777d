"""`factcheck queue ...`: the review queue in priority order, leases and release."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from factcheck.cli._common import (
    FormatOption,
    TableOrJson,
    console,
    dump,
    print_json,
    print_model,
    settings,
    transaction,
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
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """List claims waiting for review, highest priority first (one per matched group)."""
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
    if fmt is TableOrJson.json:
        print_json(rows)
        return
    if not rows:
        console.print("No claims match.")
        return
    table = Table("id", "priority", "status", "kind", "claim", "sources", "assigned")
    for row in rows:
        table.add_row(
            str(row["id"]),
            f"{row['priority']:.3f}",
            row["status"],
            row["kind"],
            escape(_short(row["text"], 90)),
            escape(", ".join(f"{s['name']} ({s['type']})" for s in row["sources"]) or "article"),
            escape(row["assigned_to"] or ""),
        )
    console.print(table)
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


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


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
) -> None:
    """Give leased claims back to the queue."""
    cfg = settings()
    with transaction(cfg) as session:
        for claim_id in claim_ids:
            release(session=session, claim_id=claim_id, actor=cfg.reviewer, note=note, force=force)
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
