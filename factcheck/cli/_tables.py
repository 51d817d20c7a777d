"""Tables more than one command prints (the matches of a claim, its history)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.markup import escape
from rich.table import Table

from factcheck.cli._common import console
from factcheck.cli._output import Column, col
from factcheck.db.events import describe_change
from factcheck.public import EventPublic, MatchPublic


def print_matches(matches: Sequence[MatchPublic], *, empty_note: bool = True) -> None:
    """The matches table of `claims show` and `claims matches`."""
    if not matches:
        if empty_note:
            console.print("No matching claims.")
        return
    table = Table("match", "claim", "score", "status", "origin", "verdict / note", "text")
    for m in matches:
        table.add_row(
            f"#{m.match_id}",
            f"#{m.claim_id}",
            f"{m.score:.2f}",
            m.status,
            m.origin,
            escape(m.suggestion or m.verdict or m.claim_status),
            escape(m.text),
            end_section=False,
        )
    table.title = "Matching claims (accept or reject a suggestion by its match id)"
    console.print(table)


def print_events(events: Sequence[EventPublic]) -> None:
    """A claim's history: who, when, what, from which status to which."""
    table = Table("when (UTC)", "who", "action", "status", "note", title="History")
    for e in events:
        change = f"{e.from_status} → {e.to_status}" if e.to_status else ""
        extra = e.data or {}
        note = e.note or ""
        if "verdict" in extra:
            note = f"verdict {extra['verdict']}" + (f"; {note}" if note else "")
        elif "url" in extra:
            note = f"{extra.get('stance')}: {extra['url']}"
        elif "after" in extra:
            note = describe_change(extra) + (f"; {note}" if note else "")
        table.add_row(
            e.at.isoformat()[:19].replace("T", " "),
            escape(e.actor),
            e.action,
            change,
            escape(note),
        )
    console.print(table)


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
    Column("verdict / note", lambda m: m["suggestion"] or m["verdict"] or m["claim_status"]),
    col("text", ratio=1),
]
