"""Loading claims for people: a claim in its article, with sources, evidence and history.

`load_claim` always runs the same small number of queries (claim + article, sources,
evidence, events, group size), however many sources or events the claim has, so the
web UI and `factcheck claims show` stay fast on a busy claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from factcheck.db.models import Article, Claim, ClaimSource, Event, Evidence
from factcheck.errors import NotFoundError, UsageError
from factcheck.verdicts import DEFAULT_SCALE, VerdictScale


@dataclass
class ClaimDetail:
    claim: Claim
    article: Article | None
    sources: list[ClaimSource]  # relay chain, original asserter first; .source loaded
    evidence: list[Evidence]
    events: list[Event]  # oldest first
    group_size: int  # claims in its matching group, itself included

    def context(self, *, chars: int = 300) -> tuple[str, str, str]:
        """(before, quote, after): the quote with up to `chars` of article text around it."""
        claim, article = self.claim, self.article
        if article is None or claim.start is None or claim.end is None:
            return "", claim.quote, ""
        text = article.text
        lo = max(0, claim.start - chars)
        hi = min(len(text), claim.end + chars)
        before = ("…" if lo > 0 else "") + text[lo : claim.start]
        after = text[claim.end : hi] + ("…" if hi < len(text) else "")
        return before, text[claim.start : claim.end], after


def load_claim(*, session: Session, claim_id: int) -> ClaimDetail:
    """The claim with everything a reviewer needs, in five queries whatever its size."""
    claim = session.scalars(
        select(Claim)
        .where(Claim.id == claim_id)
        .options(
            joinedload(Claim.article),
            selectinload(Claim.sources).joinedload(ClaimSource.source),
            selectinload(Claim.evidence),
        )
    ).first()
    if claim is None:
        raise NotFoundError(f"no claim #{claim_id}")
    events = list(
        session.scalars(
            select(Event).where(Event.claim_id == claim_id).order_by(Event.at, Event.id)
        ).all()
    )
    canonical = claim.group_id or claim.id
    # The canonical claim's own group_id may be NULL or itself: count only the others.
    members = session.scalar(
        select(func.count())
        .select_from(Claim)
        .where(Claim.group_id == canonical, Claim.id != canonical)
    )
    return ClaimDetail(
        claim=claim,
        article=claim.article,
        sources=list(claim.sources),
        evidence=list(claim.evidence),
        events=events,
        group_size=1 + int(members or 0),
    )


def source_dicts(claim: Claim) -> list[dict[str, Any]]:
    return [
        {
            "id": cs.source.id,
            "name": cs.source.canonical_name,
            "type": cs.source.type,
            "named": cs.source.named,
            "role": cs.role or cs.source.role,
            "cue": cs.cue,
            "position": cs.position,
        }
        for cs in claim.sources
    ]


def claim_dict(claim: Claim, *, scale: VerdictScale | None = None) -> dict[str, Any]:
    """The JSON shape of a claim for scripts and the web UI (`queue next --format json`)."""
    verdict = None
    if claim.verdict:
        try:
            v = (scale or DEFAULT_SCALE).get(claim.verdict)
            verdict = {"key": v.key, "label": v.label, "rating": v.rating}
        except UsageError:  # a verdict from an older scale: show it as stored
            verdict = {"key": claim.verdict, "label": claim.verdict, "rating": None}
    article = claim.article
    return {
        "id": claim.id,
        "text": claim.text,
        "quote": claim.quote,
        "start": claim.start,
        "end": claim.end,
        "kind": claim.kind,
        "hedged": claim.hedged,
        "status": claim.status,
        "priority": claim.priority,
        "checkworthiness": claim.checkworthiness,
        "verdict": verdict,
        "review_note": claim.review_note,
        "reviewed_by": claim.reviewed_by,
        "reviewed_at": claim.reviewed_at.isoformat() if claim.reviewed_at else None,
        "assigned_to": claim.assigned_to,
        "lease_expires_at": claim.lease_expires_at.isoformat() if claim.lease_expires_at else None,
        "group_id": claim.group_id,
        "origin": claim.origin,
        "version": claim.version,
        "article": None
        if article is None
        else {
            "id": article.id,
            "title": article.title,
            "url": article.url,
            "outlet": article.outlet,
            "published_at": article.published_at.isoformat() if article.published_at else None,
        },
        "sources": source_dicts(claim),
    }


def event_dict(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "from": event.from_status,
        "to": event.to_status,
        "note": event.note,
        "data": event.data,
    }


def evidence_dict(ev: Evidence) -> dict[str, Any]:
    return {
        "id": ev.id,
        "url": ev.url,
        "stance": ev.stance,
        "title": ev.title,
        "excerpt": ev.excerpt,
        "added_by": ev.added_by,
        "added_at": ev.added_at.isoformat(),
    }


def detail_dict(detail: ClaimDetail, *, scale: VerdictScale | None = None) -> dict[str, Any]:
    before, quote, after = detail.context()
    data = claim_dict(detail.claim, scale=scale)
    data["context"] = {"before": before, "quote": quote, "after": after}
    data["evidence"] = [evidence_dict(e) for e in detail.evidence]
    data["events"] = [event_dict(e) for e in detail.events]
    data["group_size"] = detail.group_size
    return data
