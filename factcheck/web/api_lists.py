"""The JSON API's search and list endpoints: `GET /api/search`, `/api/articles`,
`/api/sources` (token auth, like every /api/ route; see factcheck.web.api).

The same query functions as the web pages (factcheck.db.lists, .finders) and the public
shapes of factcheck.public, so a script sees exactly what a reviewer sees.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from factcheck.db.finders import ARTICLE_SORTS, find_articles, find_sources
from factcheck.public import ArticlePagePublic, SearchPublic, SourcePagePublic
from factcheck.web.security import Reviewer, api_reviewer, database_of
from factcheck.workflow.search import search_everything

router = APIRouter(prefix="/api", tags=["api"])
ApiReviewer = Annotated[Reviewer, Depends(api_reviewer)]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or invalid API token"},
    422: {"description": "A filter or the search text is not usable"},
}
QUERY_HELP = 'Words (all must match), "a phrase", `or` between alternatives, `-word` to exclude.'


@router.get("/search", response_model=SearchPublic, responses=ERRORS)
def search(
    request: Request,
    reviewer: ApiReviewer,
    q: Annotated[str, Query(min_length=1, max_length=500, description=QUERY_HELP)],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> SearchPublic:
    """Claims (every status, repeats and imported fact-checks included), articles and
    sources matching `q`, best first, `limit` of each, with totals."""
    with database_of(request).session() as session:
        return search_everything(session=session, q=q, scale=request.app.state.scale, limit=limit)


@router.get("/articles", response_model=ArticlePagePublic, responses=ERRORS)
def articles(
    request: Request,
    reviewer: ApiReviewer,
    q: Annotated[str, Query(max_length=500, description=QUERY_HELP)] = "",
    outlet: Annotated[list[str], Query()] = [],  # noqa: B006
    published_from: Annotated[date | None, Query(alias="from")] = None,
    published_to: Annotated[date | None, Query(alias="to", description="inclusive")] = None,
    sort: Annotated[str, Query(description=", ".join(ARTICLE_SORTS))] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ArticlePagePublic:
    """Stored articles, filtered and paged, with their claim counts and the total."""
    with database_of(request).session() as session:
        return find_articles(
            session=session,
            q=q,
            outlets=outlet,
            published_from=published_from,
            published_to=published_to,
            sort=sort,
            limit=limit,
            offset=offset,
        )


@router.get("/sources", response_model=SourcePagePublic, responses=ERRORS)
def sources(
    request: Request,
    reviewer: ApiReviewer,
    q: Annotated[str, Query(min_length=1, max_length=500, description=QUERY_HELP)],
    source_type: Annotated[list[str], Query()] = [],  # noqa: B006
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SourcePagePublic:
    """Sources whose name, role or an alias matches `q`, best first, with the total."""
    with database_of(request).session() as session:
        return find_sources(
            session=session, q=q, source_types=source_type, limit=limit, offset=offset
        )
