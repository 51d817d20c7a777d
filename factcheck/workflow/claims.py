"""A claim as a reviewer sees it: the one `ClaimDetailPublic` of the CLI and the API.

`factcheck claims show ID --format json` and `GET /api/claims/ID` both call
`claim_detail`, so they print the same object: the stored claim with its context,
evidence and history (factcheck.db.claims), what its priority is made of now
(factcheck.workflow.priority) and its repeats and prior fact-checks (factcheck.matching).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from factcheck.db.claims import detail_public, load_claim
from factcheck.matching.groups import matches_for
from factcheck.public import ClaimDetailPublic, PriorityPartPublic
from factcheck.verdicts import VerdictScale
from factcheck.workflow.priority import explain_priority


def claim_detail(
    *, session: Session, claim_id: int, scale: VerdictScale, context_chars: int = 300
) -> ClaimDetailPublic:
    """Everything about one claim, in a fixed number of queries (NotFoundError if none)."""
    detail = load_claim(session=session, claim_id=claim_id)
    explanation = explain_priority(session=session, claim_id=claim_id, scale=scale)
    return detail_public(
        detail,
        scale=scale,
        context_chars=context_chars,
        priority_now=explanation.total,
        priority_parts=[
            PriorityPartPublic(name=p.name, value=p.value, why=p.why) for p in explanation.parts
        ],
        matches=matches_for(session=session, claim_id=claim_id, scale=scale),
    )
