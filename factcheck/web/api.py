"""The JSON API under /api/ for newsroom integrations (OpenAPI at /api/openapi.json).

Every route needs `Authorization: Bearer <token>` (from `factcheck users token NAME`);
cookies are ignored here, so the API needs no CSRF token. Writes are attributed to the
token's reviewer and take the `expected_version` the client read: a stale one is a 409,
never a silent overwrite. Errors are `{"detail": "..."}` with 401/404/409/422.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from factcheck.db.articles import get_article
from factcheck.db.claims import claim_dict, detail_dict, load_claim
from factcheck.db.models import CLAIM_STATUSES, Claim, ClaimSource, ExtractionRun
from factcheck.db.sources import source_detail
from factcheck.errors import UsageError
from factcheck.priority import explain_priority
from factcheck.queue import OPEN_STATUSES, QueueFilters, lease_next, list_queue, release
from factcheck.review import (
    add_evidence,
    reopen_claim,
    request_info,
    review_claim,
    skip_claim,
)
from factcheck.verdicts import VerdictScale
from factcheck.web.api_models import (
    ArticleOut,
    BatchOut,
    ClaimDetailOut,
    ClaimListOut,
    ClaimOut,
    EvidenceListIn,
    MeOut,
    QueueNextIn,
    ReleaseIn,
    ReviewIn,
    SourceOut,
)
from factcheck.web.security import Reviewer, api_reviewer, database_of

router = APIRouter(prefix="/api", tags=["api"])
ApiReviewer = Annotated[Reviewer, Depends(api_reviewer)]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or invalid API token"},
    404: {"description": "No such claim, article or source"},
}


# --- mapping ---------------------------------------------------------------------------


def claim_out(claim: Claim, scale: VerdictScale) -> ClaimOut:
    return ClaimOut.model_validate(claim_dict(claim, scale=scale))


def claim_detail(session: Session, claim_id: int, scale: VerdictScale) -> ClaimDetailOut:
    """The claim as `factcheck claims show --format json` prints it, plus its priority parts."""
    detail = load_claim(session=session, claim_id=claim_id)
    explanation = explain_priority(session=session, claim_id=claim_id, scale=scale)
    data = detail_dict(detail, scale=scale)
    data["priority_now"] = explanation.total
    data["priority_parts"] = [
        {"name": p.name, "value": p.value, "why": p.why} for p in explanation.parts
    ]
    return ClaimDetailOut.model_validate(data)


def _filters(
    status: str | None,
    source_type: list[str],
    kind: list[str],
    article_id: list[int],
    reviewer: str | None,
) -> QueueFilters:
    if status in (None, "", "open"):
        statuses: tuple[str, ...] = OPEN_STATUSES
    elif status == "all":
        statuses = tuple(CLAIM_STATUSES)
    else:
        statuses = tuple(s.strip() for s in status.split(",") if s.strip())
    return QueueFilters(
        statuses=statuses,
        source_types=tuple(source_type),
        kinds=tuple(kind),
        article_ids=tuple(article_id),
        assigned_to=reviewer or None,
    ).validated()


# --- routes ----------------------------------------------------------------------------


@router.get("/me", response_model=MeOut, responses=ERRORS)
def me(reviewer: ApiReviewer) -> MeOut:
    """The reviewer this token acts as."""
    return MeOut(name=reviewer.name)


@router.get("/claims", response_model=ClaimListOut, responses=ERRORS)
def claims(
    request: Request,
    reviewer: ApiReviewer,
    status: Annotated[
        str | None, Query(description="open (default), all, or statuses separated by commas")
    ] = None,
    source_type: Annotated[list[str], Query(description="type of any of its sources")] = [],  # noqa: B006
    kind: Annotated[list[str], Query()] = [],  # noqa: B006
    article_id: Annotated[list[int], Query()] = [],  # noqa: B006
    assigned_to: Annotated[str | None, Query(description="reviewer holding the lease")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ClaimListOut:
    """Claims in queue order (highest priority first), filtered and paged."""
    filters = _filters(status, source_type, kind, article_id, assigned_to)
    with database_of(request).session() as session:
        rows = list_queue(session=session, filters=filters, limit=limit + 1, offset=offset)
        items = [claim_out(c, request.app.state.scale) for c in rows[:limit]]
    return ClaimListOut(items=items, limit=limit, offset=offset, has_more=len(rows) > limit)


@router.get("/claims/{claim_id}", response_model=ClaimDetailOut, responses=ERRORS)
def claim(request: Request, claim_id: int, reviewer: ApiReviewer) -> ClaimDetailOut:
    """One claim with its sources, evidence, audit trail and priority explanation."""
    with database_of(request).session() as session:
        return claim_detail(session, claim_id, request.app.state.scale)


@router.post(
    "/queue/next",
    response_model=ClaimDetailOut,
    responses={**ERRORS, 204: {"description": "No new claim matches the filters"}},
)
def queue_next(
    request: Request,
    reviewer: ApiReviewer,
    body: Annotated[QueueNextIn | None, Body()] = None,
) -> Response | ClaimDetailOut:
    """Lease the highest-priority new claim to the token's reviewer (as `queue next` does)."""
    body = body or QueueNextIn()
    filters = QueueFilters(
        source_types=tuple(body.source_types),
        kinds=tuple(body.kinds),
        article_ids=tuple(body.article_ids),
    ).validated()
    with database_of(request).session() as session:
        leased = lease_next(
            session=session,
            reviewer=reviewer.name,
            lease_minutes=request.app.state.settings.lease_minutes,
            filters=filters,
        )
        if leased is None:
            return Response(status_code=204)
        return claim_detail(session, leased.id, request.app.state.scale)


@router.post(
    "/claims/{claim_id}/review",
    response_model=ClaimDetailOut,
    responses={
        **ERRORS,
        409: {
            "description": "Stale version, leased by someone else, or "
            "a move the state machine forbids"
        },
    },
)
def review(
    request: Request, claim_id: int, body: ReviewIn, reviewer: ApiReviewer
) -> ClaimDetailOut:
    """Record a verdict (with note and evidence), park, skip or re-open a claim."""
    scale = request.app.state.scale
    common: dict[str, Any] = {
        "claim_id": claim_id,
        "actor": reviewer.name,
        "note": body.note,
        "expected_version": body.expected_version,
    }
    with database_of(request).session() as session:
        if body.action == "review":
            if not body.verdict:
                raise UsageError("a review needs a verdict: " + ", ".join(scale.keys))
            review_claim(
                session=session,
                verdict=body.verdict,
                evidence=[e.as_input() for e in body.evidence],
                scale=scale,
                **common,
            )
        else:
            if body.evidence:
                add_evidence(
                    session=session,
                    claim_id=claim_id,
                    actor=reviewer.name,
                    evidence=[e.as_input() for e in body.evidence],
                )
            step = {"needs_info": request_info, "skip": skip_claim, "reopen": reopen_claim}
            step[body.action](session=session, **common)
        return claim_detail(session, claim_id, scale)


@router.post("/claims/{claim_id}/evidence", response_model=ClaimDetailOut, responses=ERRORS)
def evidence(
    request: Request, claim_id: int, body: EvidenceListIn, reviewer: ApiReviewer
) -> ClaimDetailOut:
    """Attach evidence links to a claim in any status."""
    with database_of(request).session() as session:
        add_evidence(
            session=session,
            claim_id=claim_id,
            actor=reviewer.name,
            evidence=[e.as_input() for e in body.evidence],
        )
        return claim_detail(session, claim_id, request.app.state.scale)


@router.post("/claims/{claim_id}/release", response_model=ClaimOut, responses=ERRORS)
def release_claim(
    request: Request,
    claim_id: int,
    reviewer: ApiReviewer,
    body: Annotated[ReleaseIn | None, Body()] = None,
) -> ClaimOut:
    """Give a claim you leased back to the queue."""
    with database_of(request).session() as session:
        release(
            session=session,
            claim_id=claim_id,
            actor=reviewer.name,
            expected_version=(body or ReleaseIn()).expected_version,
        )
        return claim_out(
            load_claim(session=session, claim_id=claim_id).claim, request.app.state.scale
        )


@router.get("/sources/{source_id}", response_model=SourceOut, responses=ERRORS)
def source(request: Request, source_id: int, reviewer: ApiReviewer) -> SourceOut:
    """A source's track record, aliases and the claims it asserts or relays."""
    with database_of(request).session() as session:
        d = source_detail(session=session, source_id=source_id, scale=request.app.state.scale)
        s = d.source
        return SourceOut(
            id=s.id,
            name=s.canonical_name,
            type=s.type,
            named=s.named,
            role=s.role,
            merged_into_id=s.merged_into_id,
            aliases=d.aliases,
            record=d.record.as_dict(),
            claims=d.claim_dicts(),
        )


@router.get("/articles/{article_id}", response_model=ArticleOut, responses=ERRORS)
def article(request: Request, article_id: int, reviewer: ApiReviewer) -> ArticleOut:
    """An article's text and metadata with all its claims."""
    with database_of(request).session() as session:
        a = get_article(session=session, article_id=article_id)
        # Every claim of the article, grouped duplicates included (the queue hides those).
        rows = session.scalars(
            select(Claim)
            .where(Claim.article_id == a.id)
            .order_by(Claim.start, Claim.id)
            .options(
                selectinload(Claim.article),
                selectinload(Claim.sources).selectinload(ClaimSource.source),
            )
        ).all()
        return ArticleOut(
            id=a.id,
            title=a.title,
            url=a.url,
            outlet=a.outlet,
            author=a.author,
            published_at=a.published_at,
            ingested_at=a.ingested_at,
            content_hash=a.content_hash,
            text=a.text,
            claims=[claim_out(c, request.app.state.scale) for c in rows],
        )


@router.get("/batches", response_model=list[BatchOut], responses=ERRORS)
def batches(
    request: Request,
    reviewer: ApiReviewer,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[BatchOut]:
    """The latest extraction batches, newest first."""
    with database_of(request).session() as session:
        runs = session.scalars(
            select(ExtractionRun).order_by(ExtractionRun.started_at.desc()).limit(limit)
        ).all()
        return [BatchOut.model_validate(r, from_attributes=True) for r in runs]
