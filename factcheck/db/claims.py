"""Loading claims for people: a claim in its article, with sources, evidence and history,
and the mapping of claim rows to their public shapes (factcheck.public).

`load_claim` always runs the same small number of queries (claim + article, sources,
evidence, events, group size), however many sources or events the claim has, so the
web UI and `factcheck claims show` stay fast on a busy claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from factcheck.db.models import REVIEWER_EXTRACTOR, Article, Claim, ClaimSource, Event, Evidence
from factcheck.errors import NotFoundError, UsageError
from factcheck.public import (
    ArticleRef,
    ClaimDetailPublic,
    ClaimPublic,
    ClaimStatus,
    ContextPublic,
    EventPublic,
    EvidencePublic,
    MatchPublic,
    PriorityPartPublic,
    SourceLink,
    VerdictPublic,
)
from factcheck.schema import ClaimKind, SourceType
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


def _verdict(key: str | None, scale: VerdictScale) -> VerdictPublic | None:
    if not key:
        return None
    try:
        v = scale.get(key)
        return VerdictPublic(key=v.key, label=v.label, rating=v.rating)
    except UsageError:  # a verdict from an older scale: show it as stored
        return VerdictPublic(key=key, label=key, rating=None)


def source_links(claim: Claim) -> list[SourceLink]:
    return [
        SourceLink(
            id=cs.source.id,
            name=cs.source.canonical_name,
            type=SourceType(cs.source.type),
            named=cs.source.named,
            role=cs.role or cs.source.role,
            cue=cs.cue,
            position=cs.position,
        )
        for cs in claim.sources
    ]


def article_ref(article: Article | None) -> ArticleRef | None:
    if article is None:
        return None
    return ArticleRef(
        id=article.id,
        title=article.title,
        url=article.url,
        outlet=article.outlet,
        published_at=article.published_at,
    )


def claim_public(claim: Claim, *, scale: VerdictScale | None = None) -> ClaimPublic:
    """The public shape of a claim whose article and sources are loaded."""
    return ClaimPublic(
        id=claim.id,
        text=claim.text,
        quote=claim.quote,
        start=claim.start,
        end=claim.end,
        kind=ClaimKind(claim.kind),
        hedged=claim.hedged,
        status=ClaimStatus(claim.status),
        priority=claim.priority,
        checkworthiness=claim.checkworthiness,
        verdict=_verdict(claim.verdict, scale or DEFAULT_SCALE),
        review_note=claim.review_note,
        reviewed_by=claim.reviewed_by,
        reviewed_at=claim.reviewed_at,
        assigned_to=claim.assigned_to,
        lease_expires_at=claim.lease_expires_at,
        group_id=claim.group_id,
        origin=claim.origin,
        version=claim.version,
        article=article_ref(claim.article),
        sources=source_links(claim),
        edited_by=claim.edited_by,
        edited_at=claim.edited_at,
        added_by_reviewer=claim.extractor == REVIEWER_EXTRACTOR,
    )


def event_public(event: Event) -> EventPublic:
    return EventPublic(
        id=event.id,
        at=event.at,
        actor=event.actor,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        note=event.note,
        data=event.data,
    )


def evidence_public(ev: Evidence) -> EvidencePublic:
    return EvidencePublic(
        id=ev.id,
        url=ev.url,
        stance=ev.stance,
        title=ev.title,
        excerpt=ev.excerpt,
        added_by=ev.added_by,
        added_at=ev.added_at,
    )


def detail_public(
    detail: ClaimDetail,
    *,
    scale: VerdictScale | None = None,
    context_chars: int = 300,
    priority_now: float | None = None,
    priority_parts: Sequence[PriorityPartPublic] = (),
    matches: Sequence[MatchPublic] = (),
) -> ClaimDetailPublic:
    """The claim page's JSON: the claim, its context, evidence and history, and what the
    workflow adds (its priority now, its repeats); see factcheck.workflow.claims."""
    before, quote, after = detail.context(chars=context_chars)
    return ClaimDetailPublic(
        **claim_public(detail.claim, scale=scale).model_dump(),
        context=ContextPublic(before=before, quote=quote, after=after),
        evidence=[evidence_public(e) for e in detail.evidence],
        events=[event_public(e) for e in detail.events],
        group_size=detail.group_size,
        priority_now=priority_now,
        priority_parts=list(priority_parts),
        matches=list(matches),
    )


def article_claims(*, session: Session, article_id: int) -> list[Claim]:
    """Every claim of an article in text order, grouped repeats included (the queue hides
    those), with article and sources loaded: three queries."""
    return list(
        session.scalars(
            select(Claim)
            .where(Claim.article_id == article_id)
            .order_by(Claim.start, Claim.id)
            .options(
                selectinload(Claim.article),
                selectinload(Claim.sources).selectinload(ClaimSource.source),
            )
        ).all()
    )


def get_claim_row(*, session: Session, claim_id: int) -> Claim | None:
    """The claim row with this id, or None."""
    return session.get(Claim, claim_id)


def all_claim_ids(*, session: Session) -> list[int]:
    """Every stored claim id, oldest first (`factcheck claims match --all`)."""
    return list(session.scalars(select(Claim.id).order_by(Claim.id)).all())
