"""`factcheck extract FILE...`: claims and their sources, as the JSON of CONTRACT.md."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from factcheck.cli._common import console, err_console, settings
from factcheck.errors import FactcheckError
from factcheck.extract.base import EXTRACTORS, get_extractor
from factcheck.ingest.text import read_text_file


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
) -> None:
    """Extract claims and who asserts each; a file that fails is reported and skipped."""
    cfg = settings()
    engine = get_extractor(extractor or cfg.extractor, cfg)
    max_bytes = int(cfg.max_file_mb * 1024 * 1024)
    results: list[dict[str, Any]] = []
    failed = 0
    for path in paths:
        try:
            article = read_text_file(path, max_bytes=max_bytes)
            data = engine.extract(article).model_dump(mode="json")
        except FactcheckError as err:
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
