"""The audit trail: one append-only row per thing that happened to a claim or a source.

Rows are only ever added, in the transaction of the change they record: the ORM refuses
to update or delete one, so a bug cannot rewrite history either.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.db.models import Event, utcnow
from factcheck.errors import ConflictError


@sa_event.listens_for(Event, "before_update")
def _events_are_append_only(_mapper: Any, _conn: Any, target: Event) -> None:
    raise ConflictError(f"event #{target.id} is part of the audit trail and cannot be changed")


@sa_event.listens_for(Event, "before_delete")
def _events_are_never_deleted(_mapper: Any, _conn: Any, target: Event) -> None:
    raise ConflictError(f"event #{target.id} is part of the audit trail and cannot be deleted")


def record_event(
    *,
    session: Session,
    actor: str,
    action: str,
    claim_id: int | None = None,
    source_id: int | None = None,
    article_id: int | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one row to the audit trail (in the caller's transaction)."""
    row = Event(
        claim_id=claim_id,
        source_id=source_id,
        article_id=article_id,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data,
        at=at or utcnow(),
    )
    session.add(row)
    return row


def source_events(*, session: Session, source_id: int) -> list[Event]:
    """The source's audit trail (edits, merges, splits), oldest first."""
    return list(
        session.scalars(
            select(Event).where(Event.source_id == source_id).order_by(Event.at, Event.id)
        ).all()
    )


def article_events(*, session: Session, article_id: int) -> list[Event]:
    """The article's audit trail (metadata edits, done marks), oldest first."""
    return list(
        session.scalars(
            select(Event).where(Event.article_id == article_id).order_by(Event.at, Event.id)
        ).all()
    )


def claim_events(*, session: Session, claim_id: int) -> list[Event]:
    """The claim's audit trail, oldest first."""
    return list(
        session.scalars(
            select(Event).where(Event.claim_id == claim_id).order_by(Event.at, Event.id)
        ).all()
    )


def _short(value: Any, limit: int = 80) -> str:
    text = "—" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_change(data: dict[str, Any] | None) -> str:
    """A correction's before/after as one line: "kind: fact → statistic; text: 'a' → 'b'".

    Empty for events that carry no before/after (status changes, leases).
    """
    if not data or "after" not in data:
        return ""
    before = data.get("before") or {}
    after = data.get("after") or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return ""
    parts = []
    for key, new in after.items():
        old = before.get(key)
        if key == "sources":
            old_ids = ", ".join(f"#{s.get('source_id')}" for s in old or []) or "none"
            new_ids = ", ".join(f"#{s.get('source_id')}" for s in new or []) or "none"
            parts.append(f"sources: {old_ids} → {new_ids}")
        elif key in before:
            parts.append(f"{key}: {_short(old)} → {_short(new)}")
        else:
            parts.append(f"{key}: {_short(new)}")
    return "; ".join(parts)
