"""Tables more than one command prints (the matches of a claim, its history)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from rich.table import Table

from factcheck.cli._common import console
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
