"""The review workflow: the claim status state machine, verdicts, evidence and the audit trail.

Every status change of a claim goes through `transition`, which checks the move against
`TRANSITIONS` and writes an `Event` (actor, action, from, to, note, time) in the same
transaction. Events are append-only: the ORM refuses to update or delete one.

Statuses:

- ``new``: extracted, waiting in the queue.
- ``in_review``: leased by a reviewer (see factcheck.queue) until the lease expires.
- ``needs_info``: parked until more information arrives (an answer from a press office).
- ``reviewed``: has a verdict from the scale (factcheck.verdicts).
- ``skipped``: not checkable or not worth checking.

Writes are optimistic: functions take an `expected_version` (the `Claim.version` the
reviewer saw) and raise `ConflictError` when the claim changed since, never overwriting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from factcheck.db.models import STANCES, Claim, ClaimSource, Event, Evidence
from factcheck.errors import ConflictError, NotFoundError, TransitionError, UsageError
from factcheck.verdicts import DEFAULT_SCALE, VerdictScale

STATUSES: tuple[str, ...] = ("new", "in_review", "needs_info", "reviewed", "skipped")

# The one place that says which status changes exist. Re-opening sends a finished claim
# back to the queue; releasing or an expired lease sends an in-review claim back too.
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"in_review", "needs_info", "reviewed", "skipped"}),
    "in_review": frozenset({"new", "needs_info", "reviewed", "skipped"}),
    "needs_info": frozenset({"new", "in_review", "reviewed", "skipped"}),
    "reviewed": frozenset({"new"}),
    "skipped": frozenset({"new"}),
}

# The action names written to Event.action, for anyone reading the audit trail.
ACTIONS = (
    "lease",
    "release",
    "expire",
    "review",
    "skip",
    "needs_info",
    "reopen",
    "evidence",
    "source_merge",
    "match_auto",
    "match_accepted",
    "match_rejected",
    "group_verdict",
    "claimreview_import",
)


def now_utc() -> datetime:
    return datetime.now(UTC)


def can_transition(from_status: str, to_status: str) -> bool:
    """Whether the state machine allows `from_status -> to_status`."""
    return to_status in TRANSITIONS.get(from_status, frozenset())


def check_transition(from_status: str, to_status: str, *, claim_id: int | None = None) -> None:
    """Raise TransitionError, naming what is allowed, unless the move is allowed."""
    for status in (from_status, to_status):
        if status not in TRANSITIONS:
            raise TransitionError(f"unknown status {status!r}; statuses: {', '.join(STATUSES)}")
    if not can_transition(from_status, to_status):
        allowed = ", ".join(sorted(TRANSITIONS[from_status])) or "nothing"
        who = f"claim #{claim_id} is" if claim_id is not None else "a claim"
        hint = ""
        if from_status in ("reviewed", "skipped"):
            again = f"factcheck claims reopen {claim_id}" if claim_id is not None else "reopen"
            hint = f"; re-open it first ({again})"
        raise TransitionError(
            f"{who} {from_status}: it cannot become {to_status} "
            f"(a {from_status} claim can become: {allowed}){hint}"
        )


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
        at=at or now_utc(),
    )
    session.add(row)
    return row


@dataclass(frozen=True)
class EvidenceInput:
    """A link a reviewer cites: `stance` is supports, refutes or context."""

    url: str
    stance: str = "context"
    title: str | None = None
    excerpt: str | None = None

    def validated(self) -> EvidenceInput:
        parts = urlsplit(self.url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"evidence must be an http(s) URL, got {self.url!r}")
        if self.stance not in STANCES:
            raise UsageError(f"unknown stance {self.stance!r}; use one of: {', '.join(STANCES)}")
        return EvidenceInput(self.url.strip(), self.stance, self.title, self.excerpt)


def get_claim(*, session: Session, claim_id: int, for_write: bool = False) -> Claim:
    """The claim with this id, or NotFoundError."""
    stmt = select(Claim).where(Claim.id == claim_id)
    if for_write:
        stmt = stmt.execution_options(populate_existing=True)
    claim = session.scalars(stmt).first()
    if claim is None:
        raise NotFoundError(f"no claim #{claim_id}")
    return claim


def _check_version(claim: Claim, expected_version: int | None) -> None:
    if expected_version is not None and claim.version != expected_version:
        raise ConflictError(
            f"claim #{claim.id} was changed by someone else (you saw version "
            f"{expected_version}, it is now {claim.version}); reload it and try again"
        )


def _check_lease(claim: Claim, actor: str, *, force: bool, at: datetime) -> None:
    leased = (
        claim.status == "in_review"
        and claim.assigned_to is not None
        and claim.assigned_to != actor
        and claim.lease_expires_at is not None
        and claim.lease_expires_at > at
    )
    if leased and not force:
        until = claim.lease_expires_at.strftime("%H:%M UTC") if claim.lease_expires_at else ""
        raise ConflictError(
            f"claim #{claim.id} is leased by {claim.assigned_to} until {until}; "
            "wait for the lease to end or ask them to release it"
        )


def _flush(session: Session, claim_id: int) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError(
            f"claim #{claim_id} was changed by someone else while you worked on it; "
            "reload it and try again"
        ) from exc


def transition(
    *,
    session: Session,
    claim_id: int,
    to_status: str,
    actor: str,
    action: str,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
    force: bool = False,
    at: datetime | None = None,
) -> Claim:
    """Move a claim to `to_status`, writing its Event in the same transaction.

    Raises TransitionError for a move the state machine forbids, ConflictError when the
    claim is at another version than `expected_version` or leased by someone else
    (unless `force`), NotFoundError for an unknown id. Leaving `in_review` clears the
    lease; a finished claim keeps its verdict until it is re-opened.
    """
    at = at or now_utc()
    claim = get_claim(session=session, claim_id=claim_id, for_write=True)
    _check_version(claim, expected_version)
    check_transition(claim.status, to_status, claim_id=claim.id)
    if claim.status == "in_review":
        _check_lease(claim, actor, force=force, at=at)
    from_status = claim.status
    claim.status = to_status
    if to_status != "in_review":
        claim.assigned_to = None
        claim.lease_expires_at = None
    if to_status == "new":
        # Re-opened: the old verdict stays in the audit trail, not on the claim.
        claim.verdict = None
        claim.reviewed_by = None
        claim.reviewed_at = None
    record_event(
        session=session,
        claim_id=claim.id,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data,
        at=at,
    )
    _flush(session, claim.id)
    return claim


def add_evidence(
    *,
    session: Session,
    claim_id: int,
    actor: str,
    evidence: Iterable[EvidenceInput],
    at: datetime | None = None,
) -> list[Evidence]:
    """Attach evidence links to a claim (any status), each recorded as an event."""
    at = at or now_utc()
    claim = get_claim(session=session, claim_id=claim_id)
    rows = []
    for item in evidence:
        item = item.validated()
        row = Evidence(
            claim_id=claim.id,
            url=item.url,
            title=item.title,
            excerpt=item.excerpt,
            stance=item.stance,
            added_by=actor,
            added_at=at,
        )
        session.add(row)
        rows.append(row)
        record_event(
            session=session,
            claim_id=claim.id,
            actor=actor,
            action="evidence",
            data={"url": item.url, "stance": item.stance},
            at=at,
        )
    session.flush()
    return rows


def review_claim(
    *,
    session: Session,
    claim_id: int,
    actor: str,
    verdict: str,
    note: str | None = None,
    evidence: Sequence[EvidenceInput] = (),
    expected_version: int | None = None,
    scale: VerdictScale | None = None,
    force: bool = False,
    refresh_sources: bool = True,
) -> Claim:
    """Record a verdict (by key or label of `scale`) with a note and evidence.

    The claim becomes `reviewed` from new, in_review or needs_info; a reviewed claim must
    be re-opened first, so a verdict is never silently replaced. The open claims of the
    same sources get their priority refreshed, since the sources' record just changed.
    """
    scale = scale or DEFAULT_SCALE
    chosen = scale.get(verdict)
    items = [e.validated() for e in evidence]
    at = now_utc()
    claim = transition(
        session=session,
        claim_id=claim_id,
        to_status="reviewed",
        actor=actor,
        action="review",
        note=note,
        data={
            "verdict": chosen.key,
            "rating": chosen.rating,
            "false": chosen.false,
            "evidence": [e.url for e in items],
        },
        expected_version=expected_version,
        force=force,
        at=at,
    )
    claim.verdict = chosen.key
    claim.review_note = note
    claim.reviewed_by = actor
    claim.reviewed_at = at
    _flush(session, claim.id)
    if items:
        add_evidence(session=session, claim_id=claim.id, actor=actor, evidence=items, at=at)
    if refresh_sources:
        _refresh_same_sources(session=session, claim_id=claim.id)
    return claim


def _refresh_same_sources(*, session: Session, claim_id: int) -> None:
    from factcheck.priority import refresh_priorities

    source_ids = select(ClaimSource.source_id).where(ClaimSource.claim_id == claim_id)
    open_ids = session.scalars(
        select(ClaimSource.claim_id)
        .join(Claim, Claim.id == ClaimSource.claim_id)
        .where(ClaimSource.source_id.in_(source_ids), Claim.status.in_(("new", "needs_info")))
        .distinct()
    ).all()
    if open_ids:
        refresh_priorities(session=session, claim_ids=list(open_ids))


def skip_claim(
    *,
    session: Session,
    claim_id: int,
    actor: str,
    note: str | None = None,
    expected_version: int | None = None,
    force: bool = False,
) -> Claim:
    """Mark a claim not checkable or not worth checking; it leaves the queue."""
    claim = transition(
        session=session,
        claim_id=claim_id,
        to_status="skipped",
        actor=actor,
        action="skip",
        note=note,
        expected_version=expected_version,
        force=force,
    )
    claim.review_note = note
    _flush(session, claim.id)
    return claim


def request_info(
    *,
    session: Session,
    claim_id: int,
    actor: str,
    note: str | None = None,
    expected_version: int | None = None,
    force: bool = False,
) -> Claim:
    """Park a claim until more information arrives (`needs_info`)."""
    return transition(
        session=session,
        claim_id=claim_id,
        to_status="needs_info",
        actor=actor,
        action="needs_info",
        note=note,
        expected_version=expected_version,
        force=force,
    )


def reopen_claim(
    *,
    session: Session,
    claim_id: int,
    actor: str,
    note: str | None = None,
    expected_version: int | None = None,
) -> Claim:
    """Send a reviewed, skipped or parked claim back to the queue (`new`)."""
    claim = get_claim(session=session, claim_id=claim_id)
    had_verdict = claim.verdict
    claim = transition(
        session=session,
        claim_id=claim_id,
        to_status="new",
        actor=actor,
        action="reopen",
        note=note,
        data={"previous_verdict": had_verdict} if had_verdict else None,
        expected_version=expected_version,
    )
    if had_verdict:
        _refresh_same_sources(session=session, claim_id=claim.id)
    return claim


def claim_events(*, session: Session, claim_id: int) -> list[Event]:
    """The claim's audit trail, oldest first."""
    get_claim(session=session, claim_id=claim_id)
    return list(
        session.scalars(
            select(Event).where(Event.claim_id == claim_id).order_by(Event.at, Event.id)
        ).all()
    )
