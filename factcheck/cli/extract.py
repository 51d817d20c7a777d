"""`factcheck extract PATH...`: claims and their sources, as the JSON of CONTRACT.md.

It reads its inputs exactly as `factcheck check` does (factcheck.ingest.discover): text,
saved HTML pages, JSONL/JSON exports (one result per record), folders and `-` for
standard input, with the same `--field` names; it only stores nothing.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.text import Text

from factcheck.cli._common import console, database, err_console, settings
from factcheck.cli._output import Column, col, table_of
from factcheck.errors import FactcheckError, InputError, UsageError
from factcheck.extract.cost import CostCap
from factcheck.extract.registry import EXTRACTORS, get_extractor
from factcheck.ingest.discover import STDIN, Ignored, discover
from factcheck.ingest.jsonl import JsonFields
from factcheck.schema import Usage


class ExtractFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def extract(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt, .html, .jsonl, .json), folders (recursively) or - for stdin.",
            metavar="PATH...",
        ),
    ],
    fmt: Annotated[
        ExtractFormat,
        typer.Option(
            "--format",
            help="json (one object, or a list for several articles), jsonl, or table.",
        ),
    ] = ExtractFormat.json,
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field",
            help="JSONL field name, FIELD=KEY (e.g. text=body, published=pubDate); repeatable.",
        ),
    ] = None,
    extractor: Annotated[
        str | None,
        typer.Option(help=f"Extractor: {' or '.join(EXTRACTORS)} (default: settings)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="LLM: ask the model again, refreshing the cache.")
    ] = False,
    max_cost: Annotated[
        float | None,
        typer.Option(help="LLM: stop before the estimated spend would exceed this (USD)."),
    ] = None,
    fallback: Annotated[
        str | None,
        typer.Option(help="LLM: extractor for an article the model fails on (offline)."),
    ] = None,
) -> None:
    """Extract claims and who asserts each; an input that fails is reported and skipped.

    Reads what `factcheck check` reads, the same way; prints, stores nothing.
    """
    if paths.count(STDIN) > 1:
        raise UsageError("standard input (-) can be read only once")
    cfg = settings()
    fields = JsonFields.from_settings(cfg).with_overrides(field or [])
    name = extractor or cfg.extractor
    options: dict[str, Any] = {}
    if name == "llm":
        # The LLM cache lives in the factcheck database: a re-run costs nothing.
        if cfg.llm_cache:
            from factcheck.db.llm_cache import DatabaseResponseCache

            options["cache"] = DatabaseResponseCache(database(cfg, create=True))
        options.update(use_cache=not no_cache, fallback=fallback)
    elif no_cache or max_cost is not None or fallback is not None:
        raise UsageError("--no-cache, --max-cost and --fallback apply to --extractor llm only")
    engine = get_extractor(name, cfg, **options)
    cap = CostCap.of(engine, max_cost)
    max_bytes = int(cfg.max_file_mb * 1024 * 1024)
    results: list[dict[str, Any]] = []
    failed = total = 0
    usage = Usage()
    for item in discover(paths, fields=fields, max_bytes=max_bytes):
        if isinstance(item, Ignored):
            err_console.print(f"{item.location}: skipped, {item.reason}", highlight=False)
            continue
        total += 1
        location = item.location or ""
        try:
            if isinstance(item, InputError):
                raise item
            if cap.active and not cap.fits(spent=usage.cost_usd, next_cost=cap.estimate(item)):
                err_console.print(
                    f"Stopped at {location}: the next article would exceed --max-cost "
                    f"{max_cost:g} USD; it and the rest were not extracted",
                    highlight=False,
                )
                failed += 1
                break
            result = engine.extract(item)
            usage += result.usage
            data = result.model_dump(mode="json")
        except FactcheckError as err:
            spent = getattr(err, "usage", None)
            usage += spent if isinstance(spent, Usage) else None
            failed += 1
            err_console.print(f"[red]Error[/red]: {err}", highlight=False)
            if fmt is ExtractFormat.jsonl:
                _write_line({"file": location, "error": str(err)})
            continue
        data = {"file": location, **data}
        if fmt is ExtractFormat.jsonl:
            _write_line(data)
        elif fmt is ExtractFormat.table:
            _print_table(data)
        else:
            results.append(data)
    if name == "llm":
        err_console.print(
            f"LLM: {usage.llm_calls} call(s), {usage.cache_hits} cached, "
            f"{usage.prompt_tokens}+{usage.completion_tokens} tokens, "
            f"~{usage.cost_usd:.4f} USD, {usage.claims_dropped} unsupported claim(s) dropped",
            highlight=False,
        )
    if fmt is ExtractFormat.json and results:
        body: Any = results[0] if total == 1 else results
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    if failed:
        raise FactcheckError(f"{failed} of {total} input(s) could not be extracted")


def _write_line(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def _claim_cell(claim: dict[str, Any]) -> Text:
    """The claim with who asserts it under it: the claim gets the table's width."""
    sources = "; ".join(f"{s['name']} ({s['type']}, {s['cue'] or '-'})" for s in claim["sources"])
    cell = Text(claim["text"])
    cell.append(f"\n{sources or '(article)'}", style="dim")
    return cell


EXTRACT_COLUMNS = [
    col("n", "#"),
    col("kind"),
    Column("hedged", lambda c: "yes" if c["hedged"] else ""),
    Column("claim · sources (name, type, cue)", _claim_cell, ratio=1),
]


def _print_table(data: dict[str, Any]) -> None:
    rows = [{"n": i, **claim} for i, claim in enumerate(data["claims"], 1)]
    console.print(table_of(rows, EXTRACT_COLUMNS, title=data["file"], show_lines=True))


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
