"""The search page: one box over claims, articles and sources (factcheck.db.search).

Claims are searched in every status, repeats and imported fact-checks included (a
reviewer looking for "was this checked?" must find them); the queue's own search box
keeps the queue's view. Each section shows the best hits and links to the full list.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from factcheck.errors import FactcheckError
from factcheck.public import SearchPublic
from factcheck.web.pages import render
from factcheck.web.security import Reviewer, csrf_protect, database_of, require_reviewer
from factcheck.workflow.search import search_everything

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
ReviewerDep = Annotated[Reviewer, Depends(require_reviewer)]


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    reviewer: ReviewerDep,
    q: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    """Claims, articles and sources matching what the reviewer typed, best first."""
    scale = request.app.state.scale
    results: SearchPublic | None = None
    error = None
    if q.strip():
        try:
            with database_of(request).session() as session:
                results = search_everything(session=session, q=q, scale=scale)
        except FactcheckError as err:
            error = str(err)
    return render(
        request,
        "search.html",
        {
            "nav": "search",
            "q": q,
            "results": results,
            "error": error,
            "labels": {v.key: v.label for v in scale.verdicts},
        },
        status=422 if error else 200,
    )
