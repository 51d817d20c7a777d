"""Tables more than one command prints (the matches of a claim, its history)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from factcheck.cli._common import console, dump
from factcheck.cli._output import Column, col, table_of
from factcheck.db.events import describe_change
from factcheck.public import EventPublic, MatchPublic


def print_matches(matches: Sequence[MatchPublic], *, empty_note: bool = True) -> None:
    """The matches table of `claims show` (the claim's text gets the width)."""
    if not matches:
        if empty_note:
            console.print("No matching claims.")
        return
    title = "Matching claims (accept or reject a suggestion by its match id)"
    console.print(table_of(dump(matches), MATCH_COLUMNS, title=title))


def print_events(events: Sequence[EventPublic]) -> None:
    """A claim's history: who, when, what, from which status to which."""
    console.print(table_of(dump(events), EVENT_COLUMNS, title="History"))


def _event_note(e: dict[str, Any]) -> str:
    extra = e.get("data") or {}
    note = e.get("note") or ""
    if "verdict" in extra:
        return f"verdict {extra['verdict']}" + (f"; {note}" if note else "")
    if "url" in extra:
        return f"{extra.get('stance')}: {extra['url']}"
    if "after" in extra:  # a correction: what it changed, before → after
        return describe_change(extra) + (f"; {note}" if note else "")
    return note


# `claims history` and `claims matches` as list commands (any --format, -o).
EVENT_COLUMNS = [
    Column("when (UTC)", lambda e: str(e["at"])[:19].replace("T", " ")),
    col("actor", "who"),
    col("action"),
    Column("status", lambda e: f"{e['from']} → {e['to']}" if e.get("to") else ""),
    Column("note", _event_note, ratio=1),
]
MATCH_COLUMNS = [
    Column("match", lambda m: f"#{m['match_id']}"),
    Column("claim", lambda m: f"#{m['claim_id']}"),
    Column("score", lambda m: f"{m['score']:.2f}"),
    col("status"),
    col("origin"),
    Column(
        "verdict / note", lambda m: m["suggestion"] or m["verdict"] or m["claim_status"], ratio=1
    ),
    col("text", ratio=2),
]
