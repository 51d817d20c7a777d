"""`factcheck extract FILE...`: claims and their sources, as the JSON of CONTRACT.md."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from factcheck.cli._common import console, database, err_console, settings
from factcheck.errors import FactcheckError, UsageError
from factcheck.extract.cost import CostCap
from factcheck.extract.registry import EXTRACTORS, get_extractor
from factcheck.ingest.text import read_text_file
from factcheck.schema import Usage


class ExtractFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article text files (UTF-8).")],
    fmt: Annotated[
        ExtractFormat,
        typer.Option(
            "--format", help="json (one object, or a list for several files), jsonl, or table."
        ),
    ] = ExtractFormat.json,
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
    """Extract claims and who asserts each; a file that fails is reported and skipped."""
    cfg = settings()
    name = extractor or cfg.extractor
    options: dict[str, Any] = {}
    if name == "llm":
        # The LLM cache lives in the factcheck database: a re-run costs nothing.
        if cfg.llm_cache:
            from factcheck.db.llm_cache import DatabaseResponseCache

            options["cache"] = DatabaseResponseCache(database(cfg))
        options.update(use_cache=not no_cache, fallback=fallback)
    elif no_cache or max_cost is not None or fallback is not None:
        raise UsageError("--no-cache, --max-cost and --fallback apply to --extractor llm only")
    engine = get_extractor(name, cfg, **options)
    cap = CostCap.of(engine, max_cost)
    max_bytes = int(cfg.max_file_mb * 1024 * 1024)
    results: list[dict[str, Any]] = []
    failed = 0
    usage = Usage()
    for n, path in enumerate(paths):
        try:
            article = read_text_file(path, max_bytes=max_bytes)
            if cap.active:
                if not cap.fits(spent=usage.cost_usd, next_cost=cap.estimate(article)):
                    err_console.print(
                        f"Stopped: the next article would exceed --max-cost {max_cost:g} USD; "
                        f"{len(paths) - n} file(s) not extracted",
                        highlight=False,
                    )
                    failed += len(paths) - n
                    break
            result = engine.extract(article)
            usage += result.usage
            data = result.model_dump(mode="json")
        except FactcheckError as err:
            spent = getattr(err, "usage", None)
            usage += spent if isinstance(spent, Usage) else None
            failed += 1
            err_console.print(f"[red]Error[/red]: {err}", highlight=False)
            if fmt is ExtractFormat.jsonl:
                _write_line({"file": str(path), "error": str(err)})
            continue
        data = {"file": str(path), **data}
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
        body: Any = results[0] if len(paths) == 1 else results
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    if failed:
        raise FactcheckError(f"{failed} of {len(paths)} file(s) could not be extracted")


def _write_line(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def _print_table(data: dict[str, Any]) -> None:
    table = Table("#", "claim", "kind", "hedged", "sources", title=data["file"], show_lines=True)
    for i, claim in enumerate(data["claims"], 1):
        sources = "; ".join(
            f"{s['name']} ({s['type']}, {s['cue'] or '-'})" for s in claim["sources"]
        )
        table.add_row(
            str(i),
            claim["text"],
            claim["kind"],
            "yes" if claim["hedged"] else "",
            sources or "(article)",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
