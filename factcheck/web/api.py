"""The JSON API under /api/ for newsroom integrations (OpenAPI at /api/openapi.json).

Every route needs `Authorization: Bearer <token>` (from `factcheck users token NAME`);
cookies are ignored here, so the API needs no CSRF token. Writes are attributed to the
token's reviewer and take the `expected_version` the client read: a stale one is a 409,
never a silent overwrite. Errors are `{"detail": "..."}` with 401/404/409/422.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response

from factcheck.db.articles import article_public
from factcheck.db.claims import claim_public, load_claim
from factcheck.db.lists import CLAIM_SORTS, ClaimQuery, find_claims
from factcheck.db.runs import latest_runs, run_public
from factcheck.db.sources import source_public
from factcheck.errors import UsageError
from factcheck.public import (
    ArticlePublic,
    ClaimDetailPublic,
    ClaimPagePublic,
    ClaimPublic,
    RunPublic,
    SourcePublic,
)
from factcheck.web.api_lists import QUERY_HELP
from factcheck.web.api_models import (
    EvidenceListIn,
    MeOut,
    QueueNextIn,
    ReleaseIn,
    ReviewIn,
)
from factcheck.web.security import Reviewer, api_reviewer, database_of
from factcheck.workflow.claims import claim_detail
from factcheck.workflow.queue import QueueFilters, lease_next, release, statuses_from
from factcheck.workflow.review import (
    add_evidence,
    reopen_claim,
    request_info,
    review_claim,
    skip_claim,
)

router = APIRouter(prefix="/api", tags=["api"])
ApiReviewer = Annotated[Reviewer, Depends(api_reviewer)]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or invalid API token"},
    404: {"description": "No such claim, article or source"},
}


# --- routes ----------------------------------------------------------------------------


@router.get("/me", response_model=MeOut, responses=ERRORS)
def me(reviewer: ApiReviewer) -> MeOut:
    """The reviewer this token acts as."""
    return MeOut(name=reviewer.name)


@router.get("/claims", response_model=ClaimPagePublic, responses=ERRORS)
def claims(
    request: Request,
    reviewer: ApiReviewer,
    status: Annotated[
        str | None, Query(description="open (default), all, or statuses separated by commas")
    ] = None,
    q: Annotated[str, Query(max_length=500, description=QUERY_HELP)] = "",
    verdict: Annotated[list[str], Query()] = [],  # noqa: B006
    source_type: Annotated[list[str], Query(description="type of any of its sources")] = [],  # noqa: B006
    source_id: Annotated[list[int], Query(description="any source of its relay chain")] = [],  # noqa: B006
    kind: Annotated[list[str], Query()] = [],  # noqa: B006
    outlet: Annotated[list[str], Query()] = [],  # noqa: B006
    published_from: Annotated[date | None, Query(alias="from")] = None,
    published_to: Annotated[date | None, Query(alias="to", description="inclusive")] = None,
    article_id: Annotated[list[int], Query()] = [],  # noqa: B006
    assigned_to: Annotated[str | None, Query(description="reviewer holding the lease")] = None,
    reviewer_name: Annotated[
        str | None, Query(alias="reviewer", description="holds the lease or gave the verdict")
    ] = None,
    has_prior: Annotated[
        bool | None, Query(description="matched to an imported fact-check (not rejected)")
    ] = None,
    repeats: Annotated[
        bool, Query(description="include grouped repeats and imported fact-checks")
    ] = False,
    sort: Annotated[str, Query(description=", ".join(CLAIM_SORTS))] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ClaimPagePublic:
    """Claims in queue order (highest priority first) or as sorted, filtered and paged,
    with the total, each with its repeat count and prior fact-checks."""
    query = ClaimQuery(
        q=q,
        statuses=statuses_from(status),
        verdicts=tuple(verdict),
        kinds=tuple(kind),
        source_ids=tuple(source_id),
        source_types=tuple(source_type),
        outlets=tuple(outlet),
        published_from=published_from,
        published_to=published_to,
        article_ids=tuple(article_id),
        assigned_to=assigned_to or None,
        reviewer=reviewer_name or None,
        has_prior=has_prior,
        queue_view=not repeats,
        sort=sort,
    )
    scale = request.app.state.scale
    with database_of(request).session() as session:
        page = find_claims(session=session, query=query, limit=limit, offset=offset, scale=scale)
        return page.public(scale=scale)


@router.get("/claims/{claim_id}", response_model=ClaimDetailPublic, responses=ERRORS)
def claim(request: Request, claim_id: int, reviewer: ApiReviewer) -> ClaimDetailPublic:
    """One claim with its sources, evidence, audit trail, priority and repeats: the object
    `factcheck claims show ID --format json` prints."""
    with database_of(request).session() as session:
        return claim_detail(session=session, claim_id=claim_id, scale=request.app.state.scale)


@router.post(
    "/queue/next",
    response_model=ClaimDetailPublic,
    responses={**ERRORS, 204: {"description": "No new claim matches the filters"}},
)
def queue_next(
    request: Request,
    reviewer: ApiReviewer,
    body: Annotated[QueueNextIn | None, Body()] = None,
) -> Response | ClaimDetailPublic:
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
        return claim_detail(session=session, claim_id=leased.id, scale=request.app.state.scale)


@router.post(
    "/claims/{claim_id}/review",
    response_model=ClaimDetailPublic,
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
) -> ClaimDetailPublic:
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
        return claim_detail(session=session, claim_id=claim_id, scale=scale)


@router.post("/claims/{claim_id}/evidence", response_model=ClaimDetailPublic, responses=ERRORS)
def evidence(
    request: Request, claim_id: int, body: EvidenceListIn, reviewer: ApiReviewer
) -> ClaimDetailPublic:
    """Attach evidence links to a claim in any status."""
    with database_of(request).session() as session:
        add_evidence(
            session=session,
            claim_id=claim_id,
            actor=reviewer.name,
            evidence=[e.as_input() for e in body.evidence],
        )
        return claim_detail(session=session, claim_id=claim_id, scale=request.app.state.scale)


@router.post("/claims/{claim_id}/release", response_model=ClaimPublic, responses=ERRORS)
def release_claim(
    request: Request,
    claim_id: int,
    reviewer: ApiReviewer,
    body: Annotated[ReleaseIn | None, Body()] = None,
) -> ClaimPublic:
    """Give a claim you leased back to the queue."""
    with database_of(request).session() as session:
        release(
            session=session,
            claim_id=claim_id,
            actor=reviewer.name,
            expected_version=(body or ReleaseIn()).expected_version,
        )
        return claim_public(
            load_claim(session=session, claim_id=claim_id).claim, scale=request.app.state.scale
        )


@router.get("/sources/{source_id}", response_model=SourcePublic, responses=ERRORS)
def source(request: Request, source_id: int, reviewer: ApiReviewer) -> SourcePublic:
    """A source's track record, aliases and the claims it asserts or relays."""
    with database_of(request).session() as session:
        return source_public(session=session, source_id=source_id, scale=request.app.state.scale)


@router.get("/articles/{article_id}", response_model=ArticlePublic, responses=ERRORS)
def article(request: Request, article_id: int, reviewer: ApiReviewer) -> ArticlePublic:
    """An article's text and metadata with all its claims."""
    with database_of(request).session() as session:
        return article_public(session=session, article_id=article_id, scale=request.app.state.scale)


@router.get("/batches", response_model=list[RunPublic], responses=ERRORS)
def batches(
    request: Request,
    reviewer: ApiReviewer,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[RunPublic]:
    """The latest extraction batches, newest first."""
    with database_of(request).session() as session:
        return [run_public(r) for r in latest_runs(session=session, limit=limit)]
