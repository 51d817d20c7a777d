"""The JSON API's match decisions, as `factcheck claims match-accept | match-reject |
apply-group` and the claim page make them (factcheck.matching.groups); token auth.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, Field

from factcheck.matching import accept_match, apply_group_verdict, reject_match
from factcheck.public import ClaimDetailPublic, GroupVerdictPublic
from factcheck.web.security import Reviewer, api_reviewer, database_of
from factcheck.workflow.claims import claim_detail

router = APIRouter(prefix="/api", tags=["api"])
ApiReviewer = Annotated[Reviewer, Depends(api_reviewer)]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or invalid API token"},
    404: {"description": "No such match or claim"},
    409: {"description": "The match was already decided, or a claim changed meanwhile"},
    422: {"description": "Not the reviewed canonical claim of a group"},
}


class DecisionIn(BaseModel):
    note: str | None = Field(default=None, max_length=20000)


@router.post("/matches/{match_id}/accept", response_model=ClaimDetailPublic, responses=ERRORS)
def accept(
    request: Request,
    match_id: int,
    reviewer: ApiReviewer,
    body: Annotated[DecisionIn | None, Body()] = None,
) -> ClaimDetailPublic:
    """Confirm a suggested match: the claim joins the other's group, and an already
    checked claim's verdict is reused. Returns the claim the match was found for."""
    scale = request.app.state.scale
    with database_of(request).session() as session:
        row = accept_match(
            session=session,
            match_id=match_id,
            actor=reviewer.name,
            note=(body or DecisionIn()).note,
            scale=scale,
        )
        return claim_detail(session=session, claim_id=row.claim_id, scale=scale)


@router.post("/matches/{match_id}/reject", response_model=ClaimDetailPublic, responses=ERRORS)
def reject(
    request: Request,
    match_id: int,
    reviewer: ApiReviewer,
    body: Annotated[DecisionIn | None, Body()] = None,
) -> ClaimDetailPublic:
    """Say the two claims differ (an automatic grouping is undone)."""
    with database_of(request).session() as session:
        row = reject_match(
            session=session,
            match_id=match_id,
            actor=reviewer.name,
            note=(body or DecisionIn()).note,
        )
        return claim_detail(session=session, claim_id=row.claim_id, scale=request.app.state.scale)


@router.post("/claims/{claim_id}/apply-group", response_model=GroupVerdictPublic, responses=ERRORS)
def apply_group(
    request: Request,
    claim_id: int,
    reviewer: ApiReviewer,
    body: Annotated[DecisionIn | None, Body()] = None,
) -> GroupVerdictPublic:
    """Record this reviewed canonical claim's verdict and evidence on its repeats."""
    with database_of(request).session() as session:
        result = apply_group_verdict(
            session=session,
            claim_id=claim_id,
            actor=reviewer.name,
            note=(body or DecisionIn()).note,
            scale=request.app.state.scale,
        )
        return GroupVerdictPublic(**result.as_dict())
