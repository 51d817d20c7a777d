"""The claim page's match decisions: accept or reject a repeat or a prior fact-check, and
apply a reviewed claim's verdict to its group.

The same library functions as `factcheck claims match-accept | match-reject |
apply-group` (factcheck.matching.groups), so the audit trail reads the same whichever
door a reviewer used.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from factcheck.errors import FactcheckError, NotFoundError
from factcheck.matching import accept_match, apply_group_verdict, matches_for, reject_match
from factcheck.web.pages import flash, redirect
from factcheck.web.security import Reviewer, csrf_protect, database_of, require_reviewer

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
ReviewerDep = Annotated[Reviewer, Depends(require_reviewer)]


@router.post("/claims/{claim_id}/matches/{match_id}/{decision}")
def decide_match(
    request: Request,
    claim_id: int,
    match_id: int,
    decision: str,
    reviewer: ReviewerDep,
    note: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    """`accept`: the claims are the same (a checked one's verdict is reused);
    `reject`: they differ (an automatic grouping is undone)."""
    back = f"/claims/{claim_id}#matches"
    if decision not in ("accept", "reject"):
        raise NotFoundError(f"no such decision {decision!r}: accept or reject")
    try:
        with database_of(request).session() as session:
            scale = request.app.state.scale
            mine = {m.match_id for m in matches_for(session=session, claim_id=claim_id)}
            if match_id not in mine:
                raise NotFoundError(f"claim #{claim_id} has no match #{match_id}")
            text = note.strip() or None
            if decision == "accept":
                accept_match(
                    session=session, match_id=match_id, actor=reviewer.name, note=text, scale=scale
                )
            else:
                reject_match(session=session, match_id=match_id, actor=reviewer.name, note=text)
    except NotFoundError:
        raise
    except FactcheckError as err:
        flash(request, f"Match #{match_id}: {err}", "error")
        return redirect(back)
    done = "accepted: same claim" if decision == "accept" else "rejected: a different claim"
    flash(request, f"Match #{match_id} {done}.", "ok")
    return redirect(back)


@router.post("/claims/{claim_id}/apply-group")
def apply_group(
    request: Request,
    claim_id: int,
    reviewer: ReviewerDep,
    note: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    """Record this reviewed canonical claim's verdict and evidence on its repeats."""
    back = f"/claims/{claim_id}#matches"
    try:
        with database_of(request).session() as session:
            result = apply_group_verdict(
                session=session,
                claim_id=claim_id,
                actor=reviewer.name,
                note=note.strip() or None,
                scale=request.app.state.scale,
            )
    except FactcheckError as err:
        flash(request, f"Claim #{claim_id}: {err}", "error")
        return redirect(back)
    message = f"Verdict applied to {len(result.applied)} repeat(s)"
    if result.applied:
        message += ": " + ", ".join(f"#{i}" for i in result.applied)
    if result.skipped:
        message += "; left alone: " + "; ".join(f"#{k} ({v})" for k, v in result.skipped.items())
    flash(request, message + ".", "ok" if not result.skipped else "info")
    return redirect(back)
