"""The review workflow: the claim status state machine, verdicts, evidence and the audit trail.

Every status change of a claim, by a reviewer or by the queue (leases, releases,
expiries), goes through one guarded helper, `guarded_update`: it checks the move
against `TRANSITIONS`, changes the row with one conditional UPDATE (``WHERE id = … AND
status = <from> [AND version = <seen>]``), so two sessions can never both make the same
move, and writes the Event (actor, action, from, to, note, time) in the same
transaction. Events are append-only (factcheck.db.events).

Statuses (factcheck.public.ClaimStatus):

- ``new``: extracted, waiting in the queue.
- ``in_review``: leased by a reviewer (see factcheck.workflow.queue) until the lease expires.
- ``needs_info``: parked until more information arrives (an answer from a press office).
- ``reviewed``: has a verdict from the scale (factcheck.verdicts).
- ``skipped``: not checkable or not worth checking.
- ``rejected``: not a claim at all (an extractor's fragment), kept with the reason.

Writes are optimistic: functions take an `expected_version` (the `Claim.version` the
reviewer saw) and raise `ConflictError` when the claim changed since, never overwriting.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Table, select, update
from sqlalchemy.orm import Session

from factcheck.db.events import claim_events as events_of_claim
from factcheck.db.events import record_event
from factcheck.db.models import STANCES, Claim, ClaimSource, Event, Evidence
from factcheck.errors import (
    ConflictError,
    LeaseHeldError,
    NotFoundError,
    TransitionError,
    UsageError,
)
from factcheck.public import OPEN_STATUSES, STATUSES, ClaimStatus
from factcheck.verdicts import DEFAULT_SCALE, VerdictScale
from factcheck.workflow.priority import refresh_priorities
from factcheck.workflow.retry import lock_claim, lock_free_claims, retry_transient

__all__ = ["OPEN_STATUSES", "STATUSES", "ClaimStatus", "record_event"]

S = ClaimStatus
# The one place that says which status changes exist. Re-opening sends a finished claim
# back to the queue; releasing or an expired lease sends an in-review claim back too.
TRANSITIONS: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    S.new: frozenset({S.in_review, S.needs_info, S.reviewed, S.skipped, S.rejected}),
    S.in_review: frozenset({S.new, S.needs_info, S.reviewed, S.skipped, S.rejected}),
    S.needs_info: frozenset({S.new, S.in_review, S.reviewed, S.skipped, S.rejected}),
    S.reviewed: frozenset({S.new}),
    S.skipped: frozenset({S.new, S.rejected}),
    S.rejected: frozenset({S.new}),
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
    "reject",
    "edit",
    "move_span",
    "add",
    "split",
    "merge",
    "sources",
)

# Core table for the guarded UPDATEs: they bump `version` themselves, in one statement.
CLAIMS: Table = Claim.__table__  # type: ignore[assignment]


def now_utc() -> datetime:
    return datetime.now(UTC)


def _status(value: str) -> ClaimStatus:
    try:
        return ClaimStatus(value)
    except ValueError:
        raise TransitionError(
            f"unknown status {value!r}; statuses: {', '.join(STATUSES)}"
        ) from None


def can_transition(from_status: str, to_status: str) -> bool:
    """Whether the state machine allows `from_status -> to_status`."""
    try:
        return ClaimStatus(to_status) in TRANSITIONS[ClaimStatus(from_status)]
    except ValueError:
        return False


def check_transition(from_status: str, to_status: str, *, claim_id: int | None = None) -> None:
    """Raise TransitionError, naming what is allowed, unless the move is allowed."""
    source, target = _status(from_status), _status(to_status)
    if target in TRANSITIONS[source]:
        return
    allowed = ", ".join(sorted(TRANSITIONS[source])) or "nothing"
    who = f"claim #{claim_id} is" if claim_id is not None else "a claim"
    hint = ""
    if source in (S.reviewed, S.skipped, S.rejected):
        again = f"factcheck claims reopen {claim_id}" if claim_id is not None else "reopen"
        hint = f"; re-open it first ({again})"
    raise TransitionError(
        f"{who} {source}: it cannot become {target} (a {source} claim can become: {allowed}){hint}"
    )


def guarded_update(
    *,
    session: Session,
    target: ColumnElement[bool],
    from_status: ClaimStatus,
    to_status: ClaimStatus,
    actor: str,
    action: str,
    at: datetime,
    conditions: Sequence[ColumnElement[bool]] = (),
    values: Mapping[str, Any] | None = None,
    note: str | None = None,
    data: dict[str, Any] | None = None,
) -> int | None:
    """Move the claim that `target` selects from `from_status` to `to_status`.

    The only statement that changes `claims.status`. One conditional UPDATE (the row
    must still be at `from_status` and meet `conditions`) bumps the version, clears the
    lease when leaving review and the verdict when going back to the queue, sets
    `values`, and returns the claim id; the Event goes into the same transaction.
    Returns None, writing nothing, when no row matched (another session was first).
    """
    check_transition(from_status, to_status)
    changes: dict[str, Any] = {
        "status": to_status.value,
        "version": CLAIMS.c.version + 1,
        "updated_at": at,
    }
    if to_status is not S.in_review:
        changes.update(assigned_to=None, lease_expires_at=None)
    if to_status is S.new:
        # Re-opened: the old verdict stays in the audit trail, not on the claim.
        changes.update(verdict=None, reviewed_by=None, reviewed_at=None)
    changes.update(values or {})
    claim_id: int | None = session.execute(
        update(CLAIMS)
        .where(target, CLAIMS.c.status == from_status.value, *conditions)
        .values(**changes)
        .returning(CLAIMS.c.id)
    ).scalar()
    if claim_id is None:
        return None
    record_event(
        session=session,
        claim_id=claim_id,
        actor=actor,
        action=action,
        from_status=from_status.value,
        to_status=to_status.value,
        note=note,
        data=data,
        at=at,
    )
    expire_loaded(session, [claim_id])
    return claim_id


def expire_loaded(session: Session, claim_ids: Iterable[int]) -> None:
    """Forget loaded copies of these claims: a Core UPDATE bypassed the identity map."""
    wanted = set(claim_ids)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Claim) and obj.id in wanted:
            session.expire(obj)


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
        claim.status == S.in_review
        and claim.assigned_to is not None
        and claim.assigned_to != actor
        and claim.lease_expires_at is not None
        and claim.lease_expires_at > at
    )
    if leased and not force:
        until = claim.lease_expires_at.strftime("%H:%M UTC") if claim.lease_expires_at else ""
        raise LeaseHeldError(
            f"claim #{claim.id} is leased by {claim.assigned_to} until {until}; "
            "wait for the lease to end or ask them to release it",
            holder=claim.assigned_to or "",
            actor=actor,
        )


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
    values: Mapping[str, Any] | None = None,
) -> Claim:
    """Move one claim to `to_status` on a reviewer's behalf, writing its Event.

    Raises TransitionError for a move the state machine forbids, ConflictError when the
    claim is at another version than `expected_version`, is leased by someone else
    (unless `force`) or changes between our read and our write, NotFoundError for an
    unknown id. Leaving `in_review` clears the lease; `values` are set in the same
    UPDATE (a verdict, a note).
    """
    at = at or now_utc()
    claim = get_claim(session=session, claim_id=claim_id, for_write=True)
    _check_version(claim, expected_version)
    target = _status(to_status)
    check_transition(claim.status, target, claim_id=claim.id)
    if claim.status == S.in_review:
        _check_lease(claim, actor, force=force, at=at)
    seen_version = claim.version
    changed = guarded_update(
        session=session,
        target=CLAIMS.c.id == claim.id,
        from_status=ClaimStatus(claim.status),
        to_status=target,
        actor=actor,
        action=action,
        at=at,
        conditions=[CLAIMS.c.version == seen_version],
        values=values,
        note=note,
        data=data,
    )
    if changed is None:
        raise ConflictError(
            f"claim #{claim_id} was changed by someone else while you worked on it; "
            "reload it and try again"
        )
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

    def work() -> Claim:
        at = now_utc()
        lock_claim(session, claim_id)  # lock order: factcheck.workflow.retry
        claim = transition(
            session=session,
            claim_id=claim_id,
            to_status=S.reviewed,
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
            values={
                "verdict": chosen.key,
                "review_note": note,
                "reviewed_by": actor,
                "reviewed_at": at,
            },
        )
        if items:
            add_evidence(session=session, claim_id=claim.id, actor=actor, evidence=items, at=at)
        if refresh_sources:
            others = lock_free_claims(
                session, _same_source_open_ids(session=session, claim_id=claim_id)
            )
            if others:
                refresh_priorities(session=session, claim_ids=others)
        return claim

    return retry_transient(session, work, what=f"verdict on claim #{claim_id}")


def _same_source_open_ids(*, session: Session, claim_id: int) -> list[int]:
    """The open claims (other than this one) sharing a source with it, in id order."""
    source_ids = select(ClaimSource.source_id).where(ClaimSource.claim_id == claim_id)
    ids = session.scalars(
        select(ClaimSource.claim_id)
        .join(Claim, Claim.id == ClaimSource.claim_id)
        .where(
            ClaimSource.source_id.in_(source_ids),
            Claim.status.in_((S.new, S.needs_info)),
            Claim.id != claim_id,
        )
        .distinct()
    ).all()
    return sorted(ids)


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
    return transition(
        session=session,
        claim_id=claim_id,
        to_status=S.skipped,
        actor=actor,
        action="skip",
        note=note,
        expected_version=expected_version,
        force=force,
        values={"review_note": note},
    )


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
        to_status=S.needs_info,
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

    def work() -> Claim:
        claim = get_claim(session=session, claim_id=claim_id, for_write=True)
        had_verdict = claim.verdict
        lock_claim(session, claim_id)  # lock order: factcheck.workflow.retry
        claim = transition(
            session=session,
            claim_id=claim_id,
            to_status=S.new,
            actor=actor,
            action="reopen",
            note=note,
            data={"previous_verdict": had_verdict} if had_verdict else None,
            expected_version=expected_version,
        )
        if had_verdict:
            # The re-opened claim is open again: its own priority is refreshed too.
            others = lock_free_claims(
                session, _same_source_open_ids(session=session, claim_id=claim_id)
            )
            refresh_priorities(session=session, claim_ids=[claim_id, *others])
        return claim

    return retry_transient(session, work, what=f"re-opening claim #{claim_id}")


def claim_events(*, session: Session, claim_id: int) -> list[Event]:
    """The claim's audit trail, oldest first (NotFoundError for an unknown claim)."""
    get_claim(session=session, claim_id=claim_id)
    return events_of_claim(session=session, claim_id=claim_id)
