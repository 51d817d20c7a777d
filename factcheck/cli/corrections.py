"""`factcheck claims edit|move|reject|add|sources|split|merge`: correct the machine's claims.

Each command is one transaction calling factcheck.workflow.corrections; `--format json`
prints the claim as `claims show --format json` (and the API) does. Give
`--expected-version` (the version `claims show` printed) to fail on a concurrent edit
instead of writing over it.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from factcheck.cli._common import FormatOption, TableOrJson, console, print_model, settings
from factcheck.cli._common import transaction as _transaction
from factcheck.cli.claims import ExpectedOpt, NoteOpt, ReviewerOpt, claims_app
from factcheck.errors import UsageError
from factcheck.verdicts import load_scale
from factcheck.workflow.claims import claim_detail
from factcheck.workflow.corrections import (
    SourceChoice,
    SpanInput,
    add_claim,
    current_chain,
    edit_claim,
    move_span,
    reject_claim,
    set_sources,
)
from factcheck.workflow.restructure import merge_claims, split_claim

IdArg = Annotated[int, typer.Argument(help="The claim id.")]
QuoteOpt = Annotated[
    str | None, typer.Option("--quote", help="The words of the claim, exactly as in the article.")
]
NearOpt = Annotated[
    int | None,
    typer.Option("--near", help="Where the quote starts (character offset), if it repeats."),
]
StartOpt = Annotated[int | None, typer.Option("--start", help="Span start (character offset).")]
EndOpt = Annotated[int | None, typer.Option("--end", help="Span end (character offset).")]
SourceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        help="A source, original asserter first (repeatable): an id (#12) or "
        "NAME:TYPE[:unnamed] for a new one (police:official:unnamed).",
    ),
]


def parse_source(spec: str, cue: str | None = None) -> SourceChoice:
    """'#12' / '12' (an existing source) or 'NAME:TYPE[:unnamed]' (a new one)."""
    text = spec.strip()
    if text.lstrip("#").isdigit():
        return SourceChoice(source_id=int(text.lstrip("#")), cue=cue)
    parts = text.rsplit(":", 2) if text.count(":") >= 2 else text.rsplit(":", 1)
    if len(parts) < 2 or not parts[0].strip():
        raise UsageError(f"source {spec!r}: give an id (#12) or NAME:TYPE (police:official)")
    named = True
    if len(parts) == 3:
        if parts[2].strip() not in ("unnamed", "named"):
            raise UsageError(f"source {spec!r}: the third part is 'unnamed' or 'named'")
        named = parts[2].strip() == "named"
    return SourceChoice(name=parts[0].strip(), type=parts[1].strip(), named=named, cue=cue)


def _done(claim_id: int, message: str, fmt: TableOrJson) -> None:
    cfg = settings()
    if fmt is TableOrJson.json:
        with _transaction(cfg) as session:
            data = claim_detail(
                session=session, claim_id=claim_id, scale=load_scale(cfg.verdict_scale_file)
            )
        print_model(data)
        return
    console.print(message, highlight=False)


@claims_app.command("edit")
def edit(
    claim_id: IdArg,
    text: Annotated[str | None, typer.Option(help="The claim's standalone wording.")] = None,
    kind: Annotated[
        str | None, typer.Option(help="fact, statistic, opinion or prediction.")
    ] = None,
    hedged: Annotated[
        bool | None, typer.Option("--hedged/--not-hedged", help="Marked uncertain or not.")
    ] = None,
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
    expected_version: ExpectedOpt = None,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """Correct a claim's wording, kind or hedging (recorded with the old values)."""
    cfg = settings()
    with _transaction(cfg) as session:
        claim = edit_claim(
            session=session, claim_id=claim_id, actor=reviewer or cfg.reviewer, text=text,
            kind=kind, hedged=hedged, expected_version=expected_version, note=note,
        )  # fmt: skip
        version = claim.version
    _done(claim_id, f"Edited #{claim_id} (now version {version}).", fmt)


@claims_app.command("move")
def move(
    claim_id: IdArg,
    quote: QuoteOpt = None,
    near: NearOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    text: Annotated[str | None, typer.Option(help="New wording as well.")] = None,
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
    expected_version: ExpectedOpt = None,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """Give a claim another span of its article; the offsets are found in the text."""
    cfg = settings()
    span = SpanInput(quote=quote, near=near, start=start, end=end, text=text)
    with _transaction(cfg) as session:
        claim = move_span(
            session=session, claim_id=claim_id, actor=reviewer or cfg.reviewer, span=span,
            expected_version=expected_version, note=note,
        )  # fmt: skip
        where = f"{claim.start}-{claim.end}: {claim.quote}"
    _done(claim_id, f"Moved #{claim_id} to {escape(where)}", fmt)


@claims_app.command("reject")
def reject(
    claim_ids: Annotated[list[int], typer.Argument(help="Claim ids (all or none).")],
    reason: Annotated[str, typer.Option(help="Why this is not a claim (kept in the record).")],
    reviewer: ReviewerOpt = None,
    expected_version: ExpectedOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Even if someone else leased it.")] = False,
) -> None:
    """Mark claims "not a claim" (a fragment, noise): kept, out of the queue."""
    cfg = settings()
    if expected_version is not None and len(claim_ids) > 1:
        raise UsageError("--expected-version applies to one claim at a time")
    with _transaction(cfg) as session:
        for claim_id in claim_ids:
            reject_claim(
                session=session, claim_id=claim_id, actor=reviewer or cfg.reviewer,
                reason=reason, expected_version=expected_version, force=force,
            )  # fmt: skip
    console.print(f"Rejected {', '.join(f'#{i}' for i in claim_ids)}.", highlight=False)


@claims_app.command("add")
def add(
    article_id: Annotated[int, typer.Argument(help="The article the claim is in.")],
    quote: QuoteOpt = None,
    near: NearOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    text: Annotated[str | None, typer.Option(help="Standalone wording (default: quote).")] = None,
    kind: Annotated[str, typer.Option(help="fact, statistic, opinion or prediction.")] = "fact",
    hedged: Annotated[
        bool, typer.Option("--hedged/--not-hedged", help="Marked uncertain.")
    ] = False,
    source: SourceOpt = None,
    cue: Annotated[
        str | None, typer.Option(help="The attribution cue (said, according to).")
    ] = None,
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """Add a claim the extractor missed, from a span of the article."""
    cfg = settings()
    chain = [parse_source(s, cue if i == 0 else None) for i, s in enumerate(source or [])]
    span = SpanInput(quote=quote, near=near, start=start, end=end, text=text)
    with _transaction(cfg) as session:
        claim = add_claim(
            session=session, article_id=article_id, actor=reviewer or cfg.reviewer, span=span,
            kind=kind, hedged=hedged, sources=chain, note=note,
        )  # fmt: skip
        claim_id = claim.id
    _done(claim_id, f"Added claim #{claim_id} to article #{article_id}.", fmt)


@claims_app.command("sources")
def sources(
    claim_id: IdArg,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="The whole relay chain, asserter first (repeatable)."),
    ] = None,
    add_: Annotated[
        list[str] | None, typer.Option("--add", help="Append a source (repeatable).")
    ] = None,
    remove: Annotated[
        list[int] | None, typer.Option("--remove", help="Remove a source by id (repeatable).")
    ] = None,
    first: Annotated[
        int | None, typer.Option("--first", help="Make this source the original asserter.")
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="No source: the article's voice.")] = False,
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
    expected_version: ExpectedOpt = None,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """Add, remove, replace or reorder a claim's sources (its relay chain)."""
    cfg = settings()
    with _transaction(cfg) as session:
        if set_ or clear:
            if add_ or remove or first is not None:
                raise UsageError("--set/--clear replace the chain: use them alone")
            chain = [parse_source(s) for s in set_ or []]
        else:
            chain = current_chain(session=session, claim_id=claim_id)
            gone = set(remove or [])
            missing = gone - {c.source_id for c in chain}
            if missing:
                raise UsageError(f"source #{min(missing)} is not in claim #{claim_id}'s chain")
            chain = [c for c in chain if c.source_id not in gone]
            chain += [parse_source(s) for s in add_ or []]
            if first is not None:
                front = [c for c in chain if c.source_id == first]
                if not front:
                    raise UsageError(f"source #{first} is not in claim #{claim_id}'s chain")
                chain = front + [c for c in chain if c.source_id != first]
        set_sources(
            session=session, claim_id=claim_id, actor=reviewer or cfg.reviewer, chain=chain,
            expected_version=expected_version, note=note,
        )  # fmt: skip
    _done(claim_id, f"Sources of #{claim_id} updated.", fmt)


@claims_app.command("split")
def split(
    claim_id: IdArg,
    quotes: Annotated[
        list[str], typer.Option("--quote", help="One part's words (two or more, in order).")
    ],
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
    expected_version: ExpectedOpt = None,
) -> None:
    """Split a claim into two or more by their spans; each part keeps the sources."""
    cfg = settings()
    parts = [SpanInput(quote=q) for q in quotes]
    with _transaction(cfg) as session:
        ids = split_claim(
            session=session, claim_id=claim_id, actor=reviewer or cfg.reviewer, parts=parts,
            expected_version=expected_version, note=note,
        )  # fmt: skip
    console.print(f"Split #{claim_id} into {', '.join(f'#{i}' for i in ids)}.", highlight=False)


@claims_app.command("merge")
def merge(
    claim_ids: Annotated[list[int], typer.Argument(help="Two or more claims of one article.")],
    text: Annotated[str | None, typer.Option(help="Wording of the merged claim.")] = None,
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
) -> None:
    """Merge claims into the first: one span over all, the others rejected as merged."""
    cfg = settings()
    with _transaction(cfg) as session:
        kept = merge_claims(
            session=session, claim_ids=claim_ids, actor=reviewer or cfg.reviewer, text=text,
            note=note,
        )  # fmt: skip
        kept_id = kept.id
    console.print(
        f"Merged {', '.join(f'#{i}' for i in claim_ids)} into #{kept_id}.", highlight=False
    )


def register(app: typer.Typer) -> None:
    # The commands are attached to `claims_app` on import; nothing else to add.
    return None
