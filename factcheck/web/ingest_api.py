"""`POST /api/articles`: push one article or a batch from a CMS or a monitoring feed.

Token auth like every /api/ route. The body is one article object, a list of them, or
`{"articles": [...]}`, with the fields of a JSONL export (`text`, `title`, `url`,
`published`, `outlet`, `author`; the same fallbacks and FACTCHECK_JSONL_*_FIELD names).
Each is extracted and stored as `factcheck check` would: one transaction per article,
a bad one reported by its index and the others stored, the same text twice stored
once. The answer lists what became of each, with the batch run it made.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, Field

from factcheck.batch.push import MAX_ARTICLES, push_articles
from factcheck.web.security import Reviewer, api_reviewer, database_of

router = APIRouter(prefix="/api", tags=["api"])


class PushedArticleOut(BaseModel):
    index: int = Field(description="Position of the article in the request, from 0.")
    status: Literal["stored", "already_stored", "failed"]
    article_id: int | None
    claims: int = Field(description="Claims the article has now.")
    error: str | None


class PushOut(BaseModel):
    run_id: int = Field(description="The batch run (`factcheck report batch RUN_ID`).")
    stored: int
    already_stored: int
    failed: int
    claims: int = Field(description="Claims stored by this request.")
    articles: list[PushedArticleOut]


EXAMPLE = {
    "title": "Police chiefs meet in Moscow",
    "url": "https://news.example/2023/06/28/police",
    "outlet": "News Example",
    "published": "2023-06-28T09:00:00Z",
    "text": "More than 260 people were killed in riots, according to official figures.",
}


@router.post(
    "/articles",
    response_model=PushOut,
    responses={
        401: {"description": "Missing or invalid API token"},
        422: {"description": "No articles, more than the limit, or a body of the wrong shape"},
    },
)
def push(
    request: Request,
    reviewer: Annotated[Reviewer, Depends(api_reviewer)],
    body: Annotated[
        dict[str, Any] | list[Any],
        Body(
            description=f"One article, a list, or {{'articles': [...]}} (at most {MAX_ARTICLES}).",
            examples=[EXAMPLE],
        ),
    ],
) -> PushOut:
    """Extract, ground and store pushed articles, as `factcheck check` does for files."""
    records: list[Any]
    if isinstance(body, list):
        records = body
    elif isinstance(body.get("articles"), list):
        records = body["articles"]
    else:
        records = [body]
    summary, results = push_articles(
        db=database_of(request),
        settings=request.app.state.settings,
        records=records,
        actor=reviewer.name,
    )
    out = [
        PushedArticleOut(
            index=r.index,
            status=r.status,
            article_id=r.article_id,
            claims=r.claims,
            error=r.error,
        )
        for r in results
    ]
    return PushOut(
        run_id=summary.run_id,
        stored=sum(r.status == "stored" for r in results),
        already_stored=sum(r.status == "already_stored" for r in results),
        failed=sum(r.status == "failed" for r in results),
        claims=summary.claims,
        articles=out,
    )
