"""`factcheck claims ...`: show a claim in context, record verdicts, skip, re-open, history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from factcheck.cli._common import (
    FormatOption,
    TableOrJson,
    console,
    dump,
    print_model,
    settings,
    transaction,
)
from factcheck.cli._output import ListFormat, ListFormatOption, OutputOption, emit_rows
from factcheck.cli._tables import EVENT_COLUMNS, print_events, print_matches
from factcheck.config import Settings
from factcheck.db.claims import event_public
from factcheck.errors import UsageError
from factcheck.verdicts import load_scale
from factcheck.workflow.claims import claim_detail
from factcheck.workflow.review import (
    EvidenceInput,
    add_evidence,
    claim_events,
    reopen_claim,
    request_info,
    review_claim,
    skip_claim,
)

claims_app = typer.Typer(help="Look at claims and record what the checks found.")

IdsArg = Annotated[list[int], typer.Argument(help="Claim ids (several for a bulk change).")]
NoteOpt = Annotated[str | None, typer.Option(help="A note for the record (why, what is missing).")]
ReviewerOpt = Annotated[str | None, typer.Option(help="Who acts (default: FACTCHECK_REVIEWER).")]
ExpectedOpt = Annotated[
    int | None,
    typer.Option(
        "--expected-version",
        help="Fail instead of overwriting if the claim changed since you saw this version.",
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Act even on a claim someone else has leased.")
]


def _expected(claim_ids: list[int], expected: int | None) -> int | None:
    if expected is not None and len(claim_ids) > 1:
        raise UsageError("--expected-version applies to one claim at a time")
    return expected


def _for_each(cfg: Settings, claim_ids: list[int], act: Callable[[Session, int], object]) -> str:
    """Apply `act` to every claim in one transaction, so a bulk change is all or none.

    Returns the ids as the confirmation line names them ("#1, #2").
    """
    with transaction(cfg) as session:
        for claim_id in claim_ids:
            act(session, claim_id)
    return ", ".join(f"#{i}" for i in claim_ids)


def _evidence(urls: list[str] | None, stances: list[str] | None) -> list[EvidenceInput]:
    urls, stances = urls or [], stances or []
    if stances and not urls:
        raise UsageError("--stance needs an --evidence URL to apply to")
    if len(stances) > 1 and len(stances) != len(urls):
        raise UsageError("give one --stance for all evidence, or one per --evidence URL")
    if not stances:
        stances = ["context"]
    if len(stances) == 1:
        stances = stances * len(urls)
    return [EvidenceInput(url=u, stance=s).validated() for u, s in zip(urls, stances, strict=True)]


@claims_app.command("show")
def show(
    claim_id: Annotated[int, typer.Argument(help="The claim id.")],
    context: Annotated[
        int, typer.Option(help="Characters of article text around the quote.")
    ] = 300,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """The claim in its article with the quote highlighted, its sources, evidence and history."""
    cfg = settings()
    scale = load_scale(cfg.verdict_scale_file)
    with transaction(cfg) as session:
        data = claim_detail(session=session, claim_id=claim_id, scale=scale, context_chars=context)
    if fmt is TableOrJson.json:
        print_model(data)
        return
    verdict = data.verdict.label if data.verdict else "no verdict"
    console.print(
        f"[bold]Claim #{data.id}[/bold]  {data.status} · {verdict} · {data.kind}"
        f"{' · hedged' if data.hedged else ''} · priority {data.priority:.3f}"
        f" · version {data.version}"
        + (f" · group of {data.group_size}" if data.group_size > 1 else ""),
        highlight=False,
    )
    console.print(escape(data.text), highlight=False)
    art = data.article
    if art:
        console.print(
            f"\n[dim]Article #{art.id}: {escape(art.title or '')} {escape(art.url or '')}[/dim]",
            highlight=False,
        )
        ctx = data.context
        console.print(
            escape(ctx.before) + f"[bold reverse]{escape(ctx.quote)}[/bold reverse]"
            + escape(ctx.after),
            highlight=False,
        )  # fmt: skip
    if data.assigned_to:
        until = data.lease_expires_at.isoformat() if data.lease_expires_at else "?"
        console.print(f"\nLeased to {escape(data.assigned_to)} until {until}", highlight=False)
    if data.sources:
        table = Table("#", "source", "type", "role", "cue", title="Sources (asserter first)")
        for s in data.sources:
            table.add_row(
                str(s.position), escape(s.name), s.type, escape(s.role or ""), escape(s.cue or "")
            )
        console.print(table)
    else:
        console.print("\nNo source: the article asserts this in its own voice.")
    if data.evidence:
        table = Table("stance", "url", "by", title="Evidence")
        for e in data.evidence:
            table.add_row(e.stance, escape(e.url), escape(e.added_by))
        console.print(table)
    if data.review_note:
        console.print(f"\nNote: {escape(data.review_note)}", highlight=False)
    print_matches(data.matches, empty_note=False)
    print_events(data.events)


@claims_app.command("review")
def review(
    claim_ids: IdsArg,
    verdict: Annotated[str, typer.Option(help="A verdict of the scale, by key or label.")],
    note: NoteOpt = None,
    evidence: Annotated[
        list[str] | None, typer.Option("--evidence", help="An evidence URL (repeatable).")
    ] = None,
    stance: Annotated[
        list[str] | None,
        typer.Option(
            "--stance",
            help="supports, refutes or context: one for all evidence or one per URL.",
        ),
    ] = None,
    reviewer: ReviewerOpt = None,
    expected_version: ExpectedOpt = None,
    force: ForceOpt = False,
) -> None:
    """Record a verdict with a note and evidence; several ids are reviewed all or none."""
    cfg = settings()
    scale = load_scale(cfg.verdict_scale_file)
    chosen = scale.get(verdict)
    items = _evidence(evidence, stance)
    expected = _expected(claim_ids, expected_version)
    ids = _for_each(
        cfg,
        claim_ids,
        lambda session, claim_id: review_claim(
            session=session,
            claim_id=claim_id,
            actor=reviewer or cfg.reviewer,
            verdict=chosen.key,
            note=note,
            evidence=items,
            expected_version=expected,
            scale=scale,
            force=force,
        ),
    )
    console.print(f"Reviewed {ids}: {chosen.label}.", highlight=False)


def _park(
    move: Callable[..., object],
    done: str,
    claim_ids: list[int],
    note: str | None,
    reviewer: str | None,
    expected_version: int | None,
    force: bool,
) -> None:
    """Skip or park claims: the same all-or-none loop, a different status."""
    cfg = settings()
    expected = _expected(claim_ids, expected_version)
    ids = _for_each(
        cfg,
        claim_ids,
        lambda session, claim_id: move(
            session=session,
            claim_id=claim_id,
            actor=reviewer or cfg.reviewer,
            note=note,
            expected_version=expected,
            force=force,
        ),
    )
    console.print(f"{done} {ids}.", highlight=False)


@claims_app.command("skip")
def skip(
    claim_ids: IdsArg,
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
    expected_version: ExpectedOpt = None,
    force: ForceOpt = False,
) -> None:
    """Take claims out of the queue: not checkable or not worth checking."""
    _park(skip_claim, "Skipped", claim_ids, note, reviewer, expected_version, force)


@claims_app.command("needs-info")
def needs_info(
    claim_ids: IdsArg,
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
    expected_version: ExpectedOpt = None,
    force: ForceOpt = False,
) -> None:
    """Park claims until more information arrives (an answer, a document)."""
    _park(request_info, "Parked", claim_ids, note, reviewer, expected_version, force)


@claims_app.command("reopen")
def reopen(
    claim_ids: IdsArg,
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
    expected_version: ExpectedOpt = None,
) -> None:
    """Send reviewed, skipped or parked claims back to the queue; old verdicts stay in history."""
    cfg = settings()
    expected = _expected(claim_ids, expected_version)
    ids = _for_each(
        cfg,
        claim_ids,
        lambda session, claim_id: reopen_claim(
            session=session,
            claim_id=claim_id,
            actor=reviewer or cfg.reviewer,
            note=note,
            expected_version=expected,
        ),
    )
    console.print(f"Re-opened {ids}.", highlight=False)


@claims_app.command("evidence")
def evidence_(
    claim_id: Annotated[int, typer.Argument(help="The claim id.")],
    urls: Annotated[list[str], typer.Option("--url", help="An evidence URL (repeatable).")],
    stance: Annotated[
        list[str] | None,
        typer.Option("--stance", help="supports, refutes or context: one for all or one per URL."),
    ] = None,
    reviewer: ReviewerOpt = None,
) -> None:
    """Attach evidence links to a claim without changing its status."""
    cfg = settings()
    items = _evidence(urls, stance)
    with transaction(cfg) as session:
        add_evidence(
            session=session, claim_id=claim_id, actor=reviewer or cfg.reviewer, evidence=items
        )
    console.print(f"Added {len(items)} evidence link(s) to #{claim_id}.", highlight=False)


@claims_app.command("history")
def history(
    claim_id: Annotated[int, typer.Argument(help="The claim id.")],
    fmt: ListFormatOption = ListFormat.table,
    output: OutputOption = None,
) -> None:
    """Every change to the claim: who, when, from which status to which, and why."""
    with transaction() as session:
        rows = [event_public(e) for e in claim_events(session=session, claim_id=claim_id)]
    emit_rows(dump(rows), EVENT_COLUMNS, fmt, output, empty="No history.", title="History")


def register(app: typer.Typer) -> None:
    app.add_typer(claims_app, name="claims")
