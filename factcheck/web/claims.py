"""What the claim page shows, gathered in a fixed number of queries (factcheck.db.claims)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from factcheck.db.claims import article_claims, load_claim
from factcheck.db.models import STANCES, Claim
from factcheck.db.sources import source_records
from factcheck.errors import NotFoundError
from factcheck.matching.groups import matches_for, pending_members
from factcheck.public import OPEN_STATUSES, ClaimStatus
from factcheck.web.security import current_reviewer
from factcheck.web.views import Span, relay_chain, segments
from factcheck.workflow.priority import explain_priority
from factcheck.workflow.review import TRANSITIONS

EVIDENCE_ROWS = 2  # empty evidence rows in the review form ("add another" adds more)
EMPTY_FORM: dict[str, Any] = {
    "action": "review",
    "verdict": "",
    "note": "",
    "evidence_url": "",
    "evidence_stance": "context",
    "evidence_title": "",
    "evidence": [],
}


def match_panel(*, session: Session, claim: Claim, scale: Any) -> dict[str, Any]:
    """Prior fact-checks and repeats of the claim, and what its group still needs:
    what the claim page's "Already checked / Repeats" panel shows (templates/_matches.html)."""
    matches = matches_for(session=session, claim_id=claim.id, scale=scale)
    canonical = claim.group_id is not None and claim.group_id == claim.id
    pending = pending_members(session=session, claim_id=claim.id) if canonical else []
    return {
        "prior_checks": [m for m in matches if m.origin == "reference"],
        "repeats": [m for m in matches if m.origin != "reference"],
        "is_canonical": canonical,
        "pending": [c for c in pending if c.status != ClaimStatus.skipped],
    }


def lease_state(claim: Claim, reviewer_name: str | None) -> str:
    """'mine', 'other' (someone else holds a live lease) or 'none'."""
    now = datetime.now(UTC)
    live = (
        claim.status == ClaimStatus.in_review
        and claim.assigned_to is not None
        and claim.lease_expires_at is not None
        and claim.lease_expires_at > now
    )
    if not live:
        return "none"
    return "mine" if claim.assigned_to == reviewer_name else "other"


def claim_context(*, session: Session, request: Request, claim_id: int) -> dict[str, Any]:
    scale = request.app.state.scale
    detail = load_claim(session=session, claim_id=claim_id)
    claim = detail.claim
    reviewer = current_reviewer(request)
    siblings: list[Claim] = []
    segs = []
    if claim.article is not None:
        siblings = article_claims(session=session, article_id=claim.article.id)
        spans = [
            Span(
                c.start,
                c.end,
                "current" if c.id == claim.id else "other",
                ref=c.id,
                title=f"claim #{c.id} ({c.status})",
            )
            for c in siblings
            if c.start is not None and c.end is not None
        ]
        spans += [
            Span(
                cs.mention_start,
                cs.mention_end,
                "mention",
                ref=cs.source_id,
                title=f"source: {cs.source.canonical_name}",
            )
            for cs in claim.sources
            if cs.mention_start is not None and cs.mention_end is not None
        ]
        segs = segments(claim.article.text, spans)
    records = source_records(
        session=session, source_ids=[cs.source_id for cs in claim.sources], scale=scale
    )
    try:
        explanation = explain_priority(session=session, claim_id=claim.id, scale=scale)
    except NotFoundError:
        explanation = None
    labels = {v.key: v.label for v in scale.verdicts}
    return {
        "nav": "queue",
        "claim": claim,
        "article": claim.article,
        "segments": segs,
        "siblings": siblings,
        "chain": relay_chain([cs.source.canonical_name for cs in claim.sources]),
        "records": records,
        "explanation": explanation,
        "events": detail.events,
        "group_size": detail.group_size,
        "scale": scale,
        "labels": labels,
        "stances": STANCES,
        "lease": lease_state(claim, reviewer.name if reviewer else None),
        "open": claim.status in OPEN_STATUSES,
        "can_reopen": ClaimStatus.new in TRANSITIONS.get(ClaimStatus(claim.status), frozenset())
        and claim.status
        in (
            ClaimStatus.reviewed,
            ClaimStatus.skipped,
            ClaimStatus.needs_info,
            ClaimStatus.rejected,
        ),
        "form": dict(EMPTY_FORM),
        "evidence_rows": EVIDENCE_ROWS,
        **match_panel(session=session, claim=claim, scale=scale),
        "error": None,
        "conflict": False,
    }
