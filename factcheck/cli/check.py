"""`factcheck check PATH...`: extract, ground and store the claims of many articles."""

from __future__ import annotations

import re
import shlex
import sys
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

import typer

from factcheck.batch.progress import make_progress
from factcheck.batch.runner import BatchOptions, run_batch
from factcheck.batch.summary import render_summary
from factcheck.cli._common import (
    FormatOption,
    TableOrJson,
    console,
    database,
    err_console,
    print_json,
    settings,
)
from factcheck.errors import UsageError
from factcheck.ingest.jsonl import JsonFields


class ExtractorChoice(StrEnum):
    offline = "offline"
    llm = "llm"


_RELATIVE = re.compile(r"^(\d+)\s*([hdw])$")


def parse_since(value: str, *, now: datetime | None = None) -> datetime:
    """`--since`: an ISO date or time, `today`, `yesterday`, or `24h` / `3d` / `2w` ago."""
    now = now or datetime.now(UTC)
    text = value.strip().lower()
    if text == "today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    if text == "yesterday":
        return now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
    relative = _RELATIVE.match(text)
    if relative:
        n, unit = int(relative.group(1)), relative.group(2)
        return (
            now - {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]
        )
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(
            f"--since {value!r}: use a date (2024-05-01), a time (2024-05-01T06:00), "
            "today, yesterday, or an age like 24h, 3d, 2w"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt, .html, .jsonl, .json), folders (recursively) or - for stdin."
        ),
    ],
    extractor: Annotated[
        ExtractorChoice | None,
        typer.Option(help="offline (default, no network) or llm; default FACTCHECK_EXTRACTOR."),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Articles extracted in parallel.")
    ] = 1,
    since: Annotated[
        str | None,
        typer.Option(help="Skip articles published before this (2024-05-01, yesterday, 24h)."),
    ] = None,
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field",
            help="JSONL field name, FIELD=KEY (e.g. text=body, published=pubDate); repeatable.",
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="LLM: ask the model again, ignoring cached answers.")
    ] = False,
    max_cost: Annotated[
        float | None,
        typer.Option(min=0.0, help="LLM: stop starting articles before spending more USD."),
    ] = None,
    fallback: Annotated[
        ExtractorChoice | None,
        typer.Option(help="LLM: extractor for articles the model fails on (offline)."),
    ] = None,
    match: Annotated[
        bool,
        typer.Option(
            "--match/--no-match",
            help="Group repeats of claims already stored and match them to past verdicts.",
        ),
    ] = True,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show progress on stderr.")
    ] = True,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Extract again articles already extracted with this extractor, model and "
            "prompt version; claims people edited, reviewed, added or rejected are kept "
            "(add --no-cache to ask the model again too).",
        ),
    ] = False,
    fmt: FormatOption = TableOrJson.table,
) -> None:
    """Find, ground and store the claims of many articles; resumable, with a summary.

    Exit code 0 when every article went well, 1 when some failed (they are listed), 2
    for usage errors. Run the same command again after a crash: finished articles are
    skipped and nothing is stored twice.
    """
    cfg = settings()
    name = (extractor or ExtractorChoice(cfg.extractor)).value
    if name != "llm" and (no_cache or max_cost is not None or fallback is not None):
        raise UsageError("--no-cache, --max-cost and --fallback apply to --extractor llm only")
    if fallback is ExtractorChoice.llm:
        raise UsageError("--fallback: only offline can stand in for the LLM extractor")
    if paths.count("-") > 1:
        raise UsageError("standard input (-) can be read only once")
    options = BatchOptions(
        paths=list(paths),
        extractor=name,
        jobs=jobs,
        since=parse_since(since) if since else None,
        fields=JsonFields.from_settings(cfg).with_overrides(field or []),
        use_cache=not no_cache and cfg.llm_cache,
        max_cost=max_cost,
        fallback=fallback.value if fallback else None,
        match=match,
        force=force,
        command=" ".join(["factcheck", *(shlex.quote(a) for a in sys.argv[1:])])
        if sys.argv and sys.argv[0].endswith("factcheck")
        else "factcheck check " + " ".join(shlex.quote(p) for p in paths),
    )
    db = database(cfg, create=True)
    try:
        summary = run_batch(
            db=db,
            settings=cfg,
            options=options,
            progress=make_progress(err_console, enabled=progress),
        )
    finally:
        db.dispose()
    if fmt is TableOrJson.json:
        print_json(summary.as_dict())
    else:
        render_summary(summary, console)
    if summary.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("check")(check)
