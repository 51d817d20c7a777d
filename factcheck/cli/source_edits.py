"""`factcheck sources edit|unmerge|split` and `factcheck articles edit|done`: fix the
machine's sources and the articles' metadata (factcheck.workflow.source_edits)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer
from rich.markup import escape

from factcheck.cli._common import console, settings, transaction
from factcheck.cli.articles import articles_app
from factcheck.cli.claims import ExpectedOpt, NoteOpt, ReviewerOpt
from factcheck.cli.sources import sources_app
from factcheck.errors import UsageError
from factcheck.workflow.source_edits import (
    edit_article,
    edit_source,
    mark_done,
    split_source,
    unmerge_source,
)

SourceIdArg = Annotated[int, typer.Argument(help="The source id.")]
ArticleIdArg = Annotated[int, typer.Argument(help="The article id.")]


@sources_app.command("edit")
def edit(
    source_id: SourceIdArg,
    name: Annotated[str | None, typer.Option(help="The canonical name.")] = None,
    type_: Annotated[
        str | None,
        typer.Option("--type", help="official, expert, media, organization, witness, unknown."),
    ] = None,
    named: Annotated[
        bool | None, typer.Option("--named/--unnamed", help="A proper name, or a description.")
    ] = None,
    role: Annotated[str | None, typer.Option(help="Role or title ('' clears it).")] = None,
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
    expected_version: ExpectedOpt = None,
) -> None:
    """Correct a source's name, type, named or role (its track record follows)."""
    cfg = settings()
    with transaction(cfg) as session:
        row = edit_source(
            session=session, source_id=source_id, actor=reviewer or cfg.reviewer, name=name,
            type=type_, named=named, role=role, expected_version=expected_version, note=note,
        )  # fmt: skip
        shown = f"#{row.id} {row.canonical_name} ({row.type}), version {row.version}"
    console.print(f"Edited source {escape(shown)}.", highlight=False)


@sources_app.command("unmerge")
def unmerge(source_id: SourceIdArg, note: NoteOpt = None, reviewer: ReviewerOpt = None) -> None:
    """Undo a merge: the source stands alone again with the claims it had."""
    cfg = settings()
    with transaction(cfg) as session:
        row = unmerge_source(
            session=session, source_id=source_id, actor=reviewer or cfg.reviewer, note=note
        )
        shown = f"#{row.id} {row.canonical_name}"
    console.print(f"Unmerged source {escape(shown)}.", highlight=False)


@sources_app.command("split")
def split(
    source_id: SourceIdArg,
    name: Annotated[str, typer.Option(help="Name of the other person or body.")],
    claims: Annotated[
        list[int], typer.Option("--claim", help="A claim that belongs to them (repeatable).")
    ],
    type_: Annotated[str | None, typer.Option("--type", help="Their type (default: same).")] = None,
    role: Annotated[str | None, typer.Option(help="Their role.")] = None,
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
) -> None:
    """Two people were joined as one source: move their claims to a new source."""
    cfg = settings()
    with transaction(cfg) as session:
        new = split_source(
            session=session, source_id=source_id, actor=reviewer or cfg.reviewer,
            claim_ids=claims, name=name, type=type_, role=role, note=note,
        )  # fmt: skip
        shown = f"#{new.id} {new.canonical_name}"
    console.print(f"Split {len(claims)} claim(s) off to source {escape(shown)}.", highlight=False)


def _date(value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--published {value!r} is not an ISO date (2026-03-01)") from None


@articles_app.command("edit")
def article_edit(
    article_id: ArticleIdArg,
    title: Annotated[str | None, typer.Option(help="The headline ('' clears it).")] = None,
    url: Annotated[str | None, typer.Option(help="Where it was published.")] = None,
    outlet: Annotated[str | None, typer.Option(help="The publication.")] = None,
    author: Annotated[str | None, typer.Option(help="The byline.")] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date, ISO 8601 ('' clears it).")
    ] = None,
    note: NoteOpt = None,
    reviewer: ReviewerOpt = None,
    expected_version: ExpectedOpt = None,
) -> None:
    """Correct an article's title, URL, outlet, author or published date."""
    cfg = settings()
    changes: dict[str, Any] = {
        k: v
        for k, v in (("title", title), ("url", url), ("outlet", outlet), ("author", author))
        if v is not None
    }
    if published is not None:
        changes["published_at"] = _date(published)
    with transaction(cfg) as session:
        row = edit_article(
            session=session, article_id=article_id, actor=reviewer or cfg.reviewer,
            changes=changes, expected_version=expected_version, note=note,
        )  # fmt: skip
        version = row.version
    console.print(f"Edited article #{article_id} (now version {version}).", highlight=False)


@articles_app.command("done")
def done(
    article_id: ArticleIdArg,
    undo: Annotated[bool, typer.Option("--undo", help="Take the mark back.")] = False,
    reviewer: ReviewerOpt = None,
    expected_version: ExpectedOpt = None,
) -> None:
    """Mark an article's claims complete and correct: it becomes gold for `factcheck eval`."""
    cfg = settings()
    with transaction(cfg) as session:
        mark_done(
            session=session, article_id=article_id, actor=reviewer or cfg.reviewer,
            done=not undo, expected_version=expected_version,
        )  # fmt: skip
    state = "no longer marked done" if undo else "marked done: its claims are gold now"
    console.print(f"Article #{article_id} {state}.", highlight=False)


def register(app: typer.Typer) -> None:
    # The commands are attached to `sources_app` and `articles_app` on import.
    return None
