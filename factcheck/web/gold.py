"""The desk's gold on the web: how good the extractor is on the articles reviewers marked
done (`GET /gold`, `GET /api/eval`), the figures `factcheck eval` prints.

The extractor runs over the done articles on each request (the offline extractor takes a
fraction of a second per article); with the LLM extractor configured, the cached responses
are reused, and an uncached article costs a call.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from factcheck.errors import UsageError
from factcheck.extract.registry import get_extractor
from factcheck.web.security import (
    Reviewer,
    api_reviewer,
    csrf_protect,
    database_of,
    require_reviewer,
)
from factcheck.workflow.gold import evaluate, gold_articles

api = APIRouter(prefix="/api", tags=["corrections"])
pages = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
FIGURES = ("claim", "attributed", "typed")


class EvalOut(BaseModel):
    """`factcheck eval --format json`: the extractor against the desk's gold."""

    extractor: str
    extractor_version: str
    docs: int
    gold_claims: int
    pred_claims: int
    grounded_rate: float
    figures: dict[str, float | None]
    per_doc: list[dict[str, Any]]


def desk_eval(request: Request) -> EvalOut | None:
    """The figures, or None while no article is marked done."""
    settings = request.app.state.settings
    with database_of(request).session() as session:
        if not gold_articles(session=session):
            return None
        engine = get_extractor(settings.extractor, settings)
        try:
            scores = evaluate(session=session, extractor=engine)
        except UsageError:
            return None
    return EvalOut(
        extractor=engine.info.name,
        extractor_version=engine.info.version,
        docs=scores.docs,
        gold_claims=scores.gold_claims,
        pred_claims=scores.pred_claims,
        grounded_rate=scores.grounded_rate,
        figures=scores.figures,
        per_doc=scores.per_doc,
    )


@api.get("/eval", response_model=EvalOut, responses={204: {"description": "No gold yet"}})
def api_eval(
    request: Request, reviewer: Annotated[Reviewer, Depends(api_reviewer)]
) -> Response | EvalOut:
    """The configured extractor scored against the articles reviewers marked done."""
    result = desk_eval(request)
    return Response(status_code=204) if result is None else result


@pages.get("/gold")
def gold_page(
    request: Request, reviewer: Annotated[Reviewer, Depends(require_reviewer)]
) -> Response:
    result = desk_eval(request)
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request, "gold.html", {"nav": "gold", "result": result, "figures": FIGURES}
    )
