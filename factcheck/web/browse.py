"""Read-only pages: a source's track record, an article with its claims, its HTML report,
the article list and the latest batches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from factcheck.db.articles import get_article
from factcheck.db.claims import article_claims
from factcheck.db.events import article_events, source_events
from factcheck.db.finders import ARTICLE_SORTS, find_articles, known_outlets
from factcheck.db.runs import first_errors, latest_runs
from factcheck.db.sources import source_public
from factcheck.errors import FactcheckError
from factcheck.public import ArticlePagePublic
from factcheck.web.queue_pages import parse_day
from factcheck.web.security import Reviewer, csrf_protect, database_of, require_reviewer
from factcheck.web.views import Span, page_numbers, query_string, segments

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
ReviewerDep = Annotated[Reviewer, Depends(require_reviewer)]

ARTICLES_PER_PAGE = 50
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def _render(request: Request, name: str, context: dict[str, object], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request, name, context, status_code=status
    )


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, source_id: int, reviewer: ReviewerDep) -> Response:
    """A source: its track record (verdicts of the claims it asserts), aliases and claims."""
    scale = request.app.state.scale
    with database_of(request).session() as session:
        detail = source_public(session=session, source_id=source_id, scale=scale)
        return _render(
            request,
            "source.html",
            {
                "nav": "queue",
                "d": detail,
                "scale": scale,
                "labels": _labels(scale),
                "history": source_events(session=session, source_id=source_id),
            },
        )


def _labels(scale: object) -> dict[str, str]:
    return {v.key: v.label for v in getattr(scale, "verdicts", [])}


@router.get("/articles", response_class=HTMLResponse)
def articles_page(
    request: Request,
    reviewer: ReviewerDep,
    page: Annotated[int, Query(ge=1)] = 1,
    q: Annotated[str, Query(max_length=500)] = "",
    outlet: Annotated[str, Query(max_length=256)] = "",
    date_from: Annotated[str, Query(alias="from", max_length=32)] = "",
    date_to: Annotated[str, Query(alias="to", max_length=32)] = "",
    sort: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    """Stored articles (newest first, or as sorted), searched and filtered, with their
    claim counts and the total."""
    params: dict[str, object] = {
        "q": q,
        "outlet": outlet,
        "from": date_from,
        "to": date_to,
        "sort": sort,
    }
    error = None
    with database_of(request).session() as session:
        try:
            result = find_articles(
                session=session,
                q=q,
                outlets=[outlet] if outlet else [],
                published_from=parse_day(date_from, "from"),
                published_to=parse_day(date_to, "to"),
                sort=sort,
                limit=ARTICLES_PER_PAGE,
                offset=(page - 1) * ARTICLES_PER_PAGE,
            )
        except FactcheckError as err:
            result = ArticlePagePublic(items=[], total=0, limit=1, offset=0, has_more=False)
            error = str(err)
        last, _ = page_numbers(page=page, total=result.total, per_page=ARTICLES_PER_PAGE)
        return _render(
            request,
            "articles.html",
            {
                "nav": "articles",
                "rows": result.items,
                "page": page,
                "last": last,
                "total": result.total,
                "params": params,
                "qs": lambda **changes: query_string(params, **changes),
                "outlets": known_outlets(session=session),
                "sorts": ARTICLE_SORTS,
                "error": error,
            },
            status=422 if error else 200,
        )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int, reviewer: ReviewerDep) -> Response:
    """An article's text with every claim marked, and the list of its claims."""
    scale = request.app.state.scale
    with database_of(request).session() as session:
        article = get_article(session=session, article_id=article_id)
        claims = article_claims(session=session, article_id=article.id)
        origins = {c.id: len(c.sources) for c in claims}
        spans = [
            Span(c.start, c.end, "other", ref=c.id, title=f"#{c.id} {c.status}")
            for c in claims
            if c.start is not None and c.end is not None
        ]
        return _render(
            request,
            "article.html",
            {
                "nav": "articles",
                "article": article,
                "claims": claims,
                "sourced": origins,
                "segments": segments(article.text, spans),
                "labels": _labels(scale),
                "history": article_events(session=session, article_id=article.id),
            },
        )


@router.get("/articles/{article_id}/report", response_class=HTMLResponse)
def article_report(request: Request, article_id: int, reviewer: ReviewerDep) -> Response:
    """The article's HTML report, as `factcheck report article` writes it."""
    from factcheck.report import load_article_report, organisation_from, render

    with database_of(request).session() as session:
        report = load_article_report(
            session=session,
            article_id=article_id,
            scale=request.app.state.scale,
            organisation=organisation_from(request.app.state.settings),
        )
    # The report is a standalone document with its own inline styles and no scripts.
    return HTMLResponse(render(report, "html"), headers={"Content-Security-Policy": REPORT_CSP})


@router.get("/batches", response_class=HTMLResponse)
def batches_page(
    request: Request,
    reviewer: ReviewerDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Response:
    """The latest extraction batches: what ran, what it stored, what failed and cost."""
    with database_of(request).session() as session:
        runs = latest_runs(session=session, limit=limit)
        errors = first_errors(
            session=session, run_ids=[r.id for r in runs if r.articles_failed], per_run=5
        )
        return _render(request, "batches.html", {"nav": "batches", "runs": runs, "errors": errors})
