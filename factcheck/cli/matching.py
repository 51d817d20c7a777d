"""`factcheck claims matches|match|match-accept|match-reject|apply-group`: repeated claims.

Adds commands to the `claims` sub-app (factcheck.cli.claims), which it imports (and
which never imports this module), so main.py's COMMAND_MODULES loads both for
`factcheck claims …`.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from factcheck.cli._common import (
    FormatOption,
    TableOrJson,
    console,
    dump,
    print_json,
    settings,
    transaction,
)
from factcheck.cli._output import ListFormat, ListFormatOption, OutputOption, emit_rows
from factcheck.cli._tables import MATCH_COLUMNS
from factcheck.cli.claims import claims_app
from factcheck.db.claims import all_claim_ids, get_claim_row
from factcheck.errors import UsageError
from factcheck.matching import (
    accept_match,
    apply_group_verdict,
    match_new_claims,
    matches_for,
    pending_members,
    reject_match,
)
from factcheck.verdicts import load_scale

ReviewerOpt = Annotated[str | None, typer.Option(help="Who acts (default: FACTCHECK_REVIEWER).")]
NoteOpt = Annotated[str | None, typer.Option(help="A note for the record (why).")]


@claims_app.command("matches")
def matches(
    claim_id: Annotated[int, typer.Argument(help="The claim id.")],
    fmt: ListFormatOption = ListFormat.table,
    output: OutputOption = None,
) -> None:
    """Claims that repeat this one, with scores, and fact-checks it was already checked in.

    Accept or reject a suggestion by its match id (`claims match-accept ID`).
    """
    cfg = settings()
    scale = load_scale(cfg.verdict_scale_file)
    with transaction(cfg) as session:
        rows = matches_for(session=session, claim_id=claim_id, scale=scale)
    emit_rows(dump(rows), MATCH_COLUMNS, fmt, output, empty="No matching claims.")


@claims_app.command("match")
def match(
    claim_ids: Annotated[
        list[int] | None, typer.Argument(help="Claim ids to match (default: with --all).")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Match every stored claim against the ones before it.")
    ] = False,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """Find repeats of claims already stored (the batch does this for new claims)."""
    if not claim_ids and not all_:
        raise UsageError("give claim ids or --all")
    cfg = settings()
    with transaction(cfg) as session:
        ids = list(claim_ids or [])
        if all_:
            ids = all_claim_ids(session=session)
        summary = match_new_claims(session=session, claim_ids=ids, settings=cfg)
    if fmt is TableOrJson.json:
        print_json(summary.as_dict())
        return
    console.print(
        f"Matched {summary.claims} claim(s) ({summary.method}): {summary.auto} joined a group, "
        f"{summary.suggested} suggestion(s) to confirm, in {summary.seconds:.2f}s",
        highlight=False,
    )


@claims_app.command("match-accept")
def match_accept(
    match_id: Annotated[int, typer.Argument(help="The match id (see `claims matches`).")],
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
) -> None:
    """Confirm a suggested match; an already checked claim's verdict is reused."""
    cfg = settings()
    with transaction(cfg) as session:
        row = accept_match(
            session=session,
            match_id=match_id,
            actor=reviewer or cfg.reviewer,
            note=note,
            scale=load_scale(cfg.verdict_scale_file),
        )
        claim = get_claim_row(session=session, claim_id=row.claim_id)
        verdict = claim.verdict if claim else None
        group = claim.group_id if claim else None
    done = f"match #{match_id} accepted"
    if group:
        done += f": claim #{row.claim_id} is in the group of claim #{group}"
    if verdict:
        done += f"; verdict {verdict} recorded"
    console.print(done, highlight=False)


@claims_app.command("match-reject")
def match_reject(
    match_id: Annotated[int, typer.Argument(help="The match id (see `claims matches`).")],
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
) -> None:
    """Say two matched claims are different claims (undoes an automatic grouping)."""
    cfg = settings()
    with transaction(cfg) as session:
        reject_match(session=session, match_id=match_id, actor=reviewer or cfg.reviewer, note=note)
    console.print(f"match #{match_id} rejected", highlight=False)


@claims_app.command("apply-group")
def apply_group(
    claim_id: Annotated[int, typer.Argument(help="The reviewed canonical claim of a group.")],
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only say how many claims would get the verdict.")
    ] = False,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """Apply the canonical claim's verdict and evidence to the N matching claims."""
    cfg = settings()
    with transaction(cfg) as session:
        if dry_run:
            pending = [c.id for c in pending_members(session=session, claim_id=claim_id)]
            data: dict[str, Any] = {"canonical_id": claim_id, "would_apply_to": pending}
        else:
            result = apply_group_verdict(
                session=session,
                claim_id=claim_id,
                actor=reviewer or cfg.reviewer,
                note=note,
                scale=load_scale(cfg.verdict_scale_file),
            )
            data = result.as_dict()
    if fmt is TableOrJson.json:
        print_json(data)
        return
    if dry_run:
        console.print(
            f"apply to {len(data['would_apply_to'])} matching claim(s): "
            + ", ".join(f"#{i}" for i in data["would_apply_to"]),
            highlight=False,
        )
        return
    console.print(
        f"verdict {data['verdict']} applied to {len(data['applied'])} matching claim(s)",
        highlight=False,
    )
    for cid, why in data["skipped"].items():
        console.print(f"  skipped #{cid}: {escape(why)}", highlight=False)


def register(app: typer.Typer) -> None:
    # The commands are attached to `claims_app` on import; nothing else to add.
    del app
