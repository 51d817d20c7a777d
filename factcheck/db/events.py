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


def claim_events(*, session: Session, claim_id: int) -> list[Event]:
    """The claim's audit trail, oldest first."""
    return list(
        session.scalars(
            select(Event).where(Event.claim_id == claim_id).order_by(Event.at, Event.id)
        ).all()
    )
