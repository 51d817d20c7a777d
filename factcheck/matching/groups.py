"""What reviewers do with matches: confirm or reject them, and reuse a group's verdict.

Every decision is an Event on the claim it concerns, so the audit trail tells who said
two claims were the same and when. See factcheck.matching.service for the conventions
(`group_id` of a canonical claim is its own id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from factcheck.db.events import record_event
from factcheck.db.models import Claim, ClaimMatch
from factcheck.errors import ConflictError, NotFoundError, TransitionError, UsageError
from factcheck.public import ClaimStatus, MatchPublic
from factcheck.verdicts import DEFAULT_SCALE, VerdictScale
from factcheck.workflow.review import EvidenceInput, get_claim, now_utc, review_claim

# The public shape of a match (what `claims matches --format json` and the API show).
MatchInfo = MatchPublic


def _canonical_of(session: Session, claim: Claim) -> Claim:
    if claim.group_id is None or claim.group_id == claim.id:
        return claim
    return session.get(Claim, claim.group_id) or claim


def already_checked(
    session: Session, claim: Claim, scale: VerdictScale | None = None
) -> str | None:
    """ "already checked by X on DATE: False" when this claim (or its group) has a verdict."""
    scale = scale or DEFAULT_SCALE
    canonical = _canonical_of(session, claim)
    if claim.origin == "reference":
        ref = claim.reference or {}
        label = _label(scale, claim.verdict) or "unmapped"
        rating = ref.get("rating_text")
        same = not rating or str(rating).strip().lower() == label.lower()
        shown = label if same else f'{label} ("{rating}")'
        who = ref.get("publisher") or claim.reviewed_by or "a fact-checker"
        when = ref.get("date") or _day(claim)
        return f"already checked by {who} on {when}: {shown}"
    if canonical.status == "reviewed" and canonical.verdict:
        when = _day(canonical)
        who = canonical.reviewed_by or "a reviewer"
        return f"already checked by {who} on {when}: {_label(scale, canonical.verdict)}"
    return None


def _day(claim: Claim) -> str:
    return claim.reviewed_at.date().isoformat() if claim.reviewed_at else "?"


def _label(scale: VerdictScale, key: str | None) -> str | None:
    if key is None:
        return None
    try:
        return scale.get(key).label
    except UsageError:
        return key


def matches_for(
    *, session: Session, claim_id: int, scale: VerdictScale | None = None
) -> list[MatchInfo]:
    """Every match of a claim in either direction, best score first (rejected last)."""
    get_claim(session=session, claim_id=claim_id)
    rows = session.scalars(
        select(ClaimMatch).where(
            or_(ClaimMatch.claim_id == claim_id, ClaimMatch.matched_claim_id == claim_id)
        )
    ).all()
    out: list[MatchInfo] = []
    for row in rows:
        other_id = row.matched_claim_id if row.claim_id == claim_id else row.claim_id
        other = session.get(Claim, other_id)
        if other is None:
            continue
        out.append(
            MatchInfo(
                match_id=row.id,
                claim_id=other.id,
                text=other.text,
                score=row.score,
                method=row.method,
                status=row.status,
                origin=other.origin,
                claim_status=ClaimStatus(other.status),
                verdict=other.verdict,
                group_id=other.group_id,
                suggestion=already_checked(session, other, scale),
                decided_by=row.decided_by,
                reference=other.reference,
            )
        )
    out.sort(key=lambda m: (m.status == "rejected", -m.score, m.match_id))
    return out


def group_members(*, session: Session, claim_id: int) -> list[Claim]:
    """The claims of this claim's group, canonical first; just the claim when ungrouped."""
    claim = get_claim(session=session, claim_id=claim_id)
    if claim.group_id is None:
        return [claim]
    rows = session.scalars(
        select(Claim).where(Claim.group_id == claim.group_id).order_by(Claim.id)
    ).all()
    return sorted(rows, key=lambda c: (c.id != claim.group_id, c.id))


def _get_match(session: Session, match_id: int) -> ClaimMatch:
    row = session.get(ClaimMatch, match_id)
    if row is None:
        raise NotFoundError(f"no match #{match_id}")
    return row


def _join(session: Session, claim: Claim, target: Claim) -> int:
    """Put `claim` (and its group, if it leads one) into `target`'s group; the group id."""
    canonical = _canonical_of(session, target)
    if canonical.group_id is None:
        canonical.group_id = canonical.id
    old = claim.group_id
    if old == canonical.id:
        return canonical.id
    if old is not None and old == claim.id:
        # The claim led a group: its members follow it into the new one.
        session.execute(
            update(Claim)
            .where(Claim.group_id == claim.id, Claim.id != claim.id)
            .values(group_id=canonical.id)
            .execution_options(synchronize_session="fetch")
        )
    claim.group_id = canonical.id
    session.flush()
    return canonical.id


def _leave(session: Session, claim: Claim) -> None:
    group = claim.group_id
    if group is None or group == claim.id:
        return
    claim.group_id = None
    session.flush()
    left = session.scalars(
        select(Claim.id).where(Claim.group_id == group, Claim.id != group).limit(1)
    ).first()
    if left is None:
        canonical = session.get(Claim, group)
        if canonical is not None:
            canonical.group_id = None
            session.flush()


def _decide(
    session: Session,
    row: ClaimMatch,
    status: str,
    *,
    claim_id: int,
    actor: str,
    note: str | None,
    data: dict[str, Any],
) -> None:
    """Record a reviewer's decision on a match, on the match and in the claim's audit trail
    (action ``match_accepted`` or ``match_rejected``)."""
    row.status = status
    row.decided_by = actor
    row.decided_at = now_utc()
    record_event(
        session=session,
        claim_id=claim_id,
        actor=actor,
        action=f"match_{status}",
        note=note,
        data=data,
    )
    session.flush()


def accept_match(
    *,
    session: Session,
    match_id: int,
    actor: str,
    note: str | None = None,
    scale: VerdictScale | None = None,
) -> ClaimMatch:
    """A reviewer confirms a suggested match: the claims are the same claim.

    The claim joins the other's group. When the other was already checked (an imported
    fact-check, or a reviewed group), its verdict and evidence are recorded on the claim
    through the review workflow, with a note saying where they came from.
    """
    row = _get_match(session, match_id)
    if row.status != "suggested":
        raise TransitionError(f"match #{match_id} is {row.status}; only a suggestion is accepted")
    claim = get_claim(session=session, claim_id=row.claim_id)
    other = get_claim(session=session, claim_id=row.matched_claim_id)
    data: dict[str, Any] = {"match_id": row.id, "matched_claim_id": other.id, "score": row.score}
    source = other if other.origin == "reference" else _canonical_of(session, other)
    if other.origin == "extracted":
        data["group_id"] = _join(session, claim, other)
    _decide(session, row, "accepted", claim_id=claim.id, actor=actor, note=note, data=data)
    if source.status == "reviewed" and source.verdict and claim.status != "reviewed":
        evidence = [
            EvidenceInput(url=e.url, stance=e.stance, title=e.title, excerpt=e.excerpt)
            for e in source.evidence
        ]
        review_claim(
            session=session,
            claim_id=claim.id,
            actor=actor,
            verdict=source.verdict,
            note=note or f"verdict reused from claim #{source.id}",
            evidence=evidence,
            scale=scale,
        )
    return row


def reject_match(
    *, session: Session, match_id: int, actor: str, note: str | None = None
) -> ClaimMatch:
    """A reviewer says the two claims differ; an automatic grouping is undone."""
    row = _get_match(session, match_id)
    if row.status in ("accepted", "rejected"):
        raise TransitionError(f"match #{match_id} is already {row.status}")
    claim = get_claim(session=session, claim_id=row.claim_id)
    other = get_claim(session=session, claim_id=row.matched_claim_id)
    was = row.status
    if was == "auto" and claim.group_id is not None and claim.group_id == other.group_id:
        _leave(session, claim)
    data = {"match_id": row.id, "matched_claim_id": other.id, "was": was}
    _decide(session, row, "rejected", claim_id=claim.id, actor=actor, note=note, data=data)
    return row


@dataclass
class GroupVerdict:
    """What `apply_group_verdict` did: the claims that got the verdict and those it left."""

    canonical_id: int
    verdict: str
    applied: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "canonical_id": self.canonical_id,
            "verdict": self.verdict,
            "applied": self.applied,
            "skipped": {str(k): v for k, v in self.skipped.items()},
        }


def pending_members(*, session: Session, claim_id: int) -> list[Claim]:
    """Members of this canonical claim's group still without a verdict ("apply to N")."""
    return list(
        session.scalars(
            select(Claim)
            .where(
                Claim.group_id == claim_id,
                Claim.id != claim_id,
                Claim.status != "reviewed",
            )
            .order_by(Claim.id)
        ).all()
    )


def apply_group_verdict(
    *,
    session: Session,
    claim_id: int,
    actor: str,
    note: str | None = None,
    scale: VerdictScale | None = None,
) -> GroupVerdict:
    """Record the canonical claim's verdict and evidence on the other claims of its group.

    Each member goes through the review workflow (an Event each). Members that are
    skipped, or leased by another reviewer, are left alone and listed in `skipped`.
    """
    canonical = get_claim(session=session, claim_id=claim_id)
    if canonical.group_id != canonical.id:
        lead = f"; its group is led by claim #{canonical.group_id}" if canonical.group_id else ""
        raise UsageError(f"claim #{claim_id} is not the canonical claim of a group{lead}")
    if canonical.status != "reviewed" or not canonical.verdict:
        raise UsageError(f"claim #{claim_id} has no verdict yet: review it first")
    result = GroupVerdict(canonical_id=canonical.id, verdict=canonical.verdict)
    evidence = [
        EvidenceInput(url=e.url, stance=e.stance, title=e.title, excerpt=e.excerpt)
        for e in canonical.evidence
    ]
    for member in pending_members(session=session, claim_id=canonical.id):
        if member.status == "skipped":
            result.skipped[member.id] = "skipped: re-open it first"
            continue
        try:
            review_claim(
                session=session,
                claim_id=member.id,
                actor=actor,
                verdict=canonical.verdict,
                note=note or f"verdict of claim #{canonical.id} applied to its group",
                evidence=evidence,
                scale=scale,
            )
        except (ConflictError, TransitionError) as err:
            result.skipped[member.id] = str(err)
            continue
        result.applied.append(member.id)
    record_event(
        session=session,
        claim_id=canonical.id,
        actor=actor,
        action="group_verdict",
        note=note,
        data=result.as_dict(),
    )
    session.flush()
    return result
