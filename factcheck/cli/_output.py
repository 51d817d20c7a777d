"""How every list command prints: a table, JSON, JSON Lines, CSV or TSV, to stdout or -o.

The habit of sqlite-utils and llm: the same rows in whichever shape the next tool wants.
JSON and JSON Lines carry the public shape (factcheck.public) unchanged, as the API
sends it; CSV and TSV flatten the table's columns (nested values as JSON), one header
row; the table gives the claim text whatever width the other columns leave.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from factcheck.cli._common import console
from factcheck.errors import FactcheckError


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"


ListFormatOption = Annotated[
    ListFormat,
    typer.Option("--format", help="table, json (one list), jsonl (one object a line), csv or tsv."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file instead of standard output.", metavar="FILE"
    ),
]


@dataclass(frozen=True)
class Column:
    """One column of a list: its header, how to get its value from a row, and its width.

    Columns with a `ratio` (the claim 3, its sources 1) share whatever width is left
    after the narrow ones, which never wrap: at 80 columns the claim gets most of the line.
    """

    header: str
    get: Callable[[dict[str, Any]], Any]
    ratio: int | None = None
    max_width: int | None = None
    # "table": only in the table (a cell that stacks several fields); "flat": only in
    # CSV/TSV (the fields such a cell stacks, one column each).
    only: str | None = None


def col(key: str, header: str | None = None, **kwargs: Any) -> Column:
    """A column that shows `row[key]`."""
    return Column(header or key, lambda row: row.get(key), **kwargs)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def render_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: ListFormat,
) -> str:
    """The rows in `fmt` as text (the table rendered at the console's width)."""
    if fmt is ListFormat.json:
        return json.dumps(list(rows), ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt is ListFormat.jsonl:
        return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
    if fmt in (ListFormat.csv, ListFormat.tsv):
        buffer = io.StringIO()
        writer = csv.writer(
            buffer, delimiter="\t" if fmt is ListFormat.tsv else ",", lineterminator="\n"
        )
        flat = [c for c in columns if c.only != "table"]
        writer.writerow([c.header for c in flat])
        for row in rows:
            writer.writerow([_cell(c.get(row)) for c in flat])
        return buffer.getvalue()
    raise ValueError(fmt)


def table_of(rows: Sequence[dict[str, Any]], columns: Sequence[Column], **kwargs: Any) -> Table:
    # No outer edge and no column rules: at 80 columns every character goes to the text.
    expand = any(c.ratio for c in columns)  # ratios share the width only in an expanded table
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=expand, **kwargs)
    columns = [c for c in columns if c.only != "flat"]
    for c in columns:
        if c.ratio:
            table.add_column(c.header, ratio=c.ratio, overflow="fold", min_width=6 * c.ratio)
        else:
            table.add_column(c.header, no_wrap=True, max_width=c.max_width, overflow="ellipsis")
    for row in rows:
        values = (c.get(row) for c in columns)
        table.add_row(*(v if isinstance(v, Text) else escape(_cell(v)) for v in values))
    return table


def emit_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: ListFormat,
    output: Path | None = None,
    *,
    empty: str = "Nothing to list.",
    title: str | None = None,
) -> None:
    """Print (or write to `output`) the rows of a list command in the chosen format."""
    if fmt is ListFormat.table:
        if output is not None:
            # A file gets the table as a terminal of 120 columns would show it, no colour.
            from rich.console import Console

            buffer = io.StringIO()
            Console(file=buffer, width=120, no_color=True).print(
                table_of(rows, columns, title=title) if rows else empty
            )
            _write(buffer.getvalue(), output)
            return
        if not rows:
            console.print(empty, highlight=False)
            return
        console.print(table_of(rows, columns, title=title))
        return
    text = render_rows(rows, columns, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        _write(text, output)


def _write(text: str, output: Path) -> None:
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise FactcheckError(f"cannot write: {exc.strerror or exc}", location=str(output)) from exc
    sys.stderr.write(f"Written to {output.resolve()}\n")
