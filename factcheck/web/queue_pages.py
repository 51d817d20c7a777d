"""The queue page and "take next": the web face of factcheck.workflow.queue.

Filters arrive as query parameters (GET, bookmarkable) and, for "take next", as form
fields; both become the same `QueueFilters` the CLI builds, so a lease taken here is
exactly a `factcheck queue next` lease (same function, same event, same expiry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse

from factcheck.db.models import CLAIM_KINDS, CLAIM_STATUSES, SOURCE_TYPES
from factcheck.errors import FactcheckError, UsageError
from factcheck.web.pages import flash, redirect, render
from factcheck.web.security import Reviewer, csrf_protect, database_of, require_reviewer
from factcheck.web.views import query_string
from factcheck.workflow.queue import (
    QueueFilters,
    lease_next,
    leases_of,
    list_queue,
    release,
    statuses_from,
)

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
ReviewerDep = Annotated[Reviewer, Depends(require_reviewer)]

PER_PAGE = 50


@dataclass(frozen=True)
class QueueParams:
    """The queue page's filters as the reviewer typed them (strings, '' = any)."""

    status: str = "open"
    source_type: str = ""
    kind: str = ""
    article: str = ""
    reviewer: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "source_type": self.source_type,
            "kind": self.kind,
            "article": self.article,
            "reviewer": self.reviewer,
        }

    def filters(self) -> QueueFilters:
        """The library's filters; bad values raise UsageError naming the field."""
        statuses = statuses_from(self.status)
        article_ids: tuple[int, ...] = ()
        if self.article.strip():
            try:
                article_ids = (int(self.article.strip().lstrip("#")),)
            except ValueError:
                raise UsageError(f"article must be a number, got {self.article!r}") from None
        return QueueFilters(
            statuses=statuses,
            source_types=(self.source_type,) if self.source_type else (),
            kinds=(self.kind,) if self.kind else (),
            article_ids=article_ids,
            assigned_to=self.reviewer.strip() or None,
        ).validated()


def _choices() -> dict[str, Any]:
    return {
        "statuses": ["open", *CLAIM_STATUSES, "all"],
        "source_types": SOURCE_TYPES,
        "kinds": CLAIM_KINDS,
    }


@router.get("/queue", response_class=HTMLResponse)
def queue_page(
    request: Request,
    reviewer: ReviewerDep,
    status: str = "open",
    source_type: str = "",
    kind: str = "",
    article: str = "",
    who: Annotated[str, Query(alias="reviewer")] = "",
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
) -> Response:
    """Claims by priority, filtered and paged, with the reviewer's own leases on top."""
    params = QueueParams(status, source_type, kind, article, who)
    error = None
    with database_of(request).session() as session:
        try:
            filters = params.filters()
            # One row more than a page tells whether a next page exists, without a count.
            rows = list_queue(
                session=session, filters=filters, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE
            )
        except FactcheckError as err:
            rows, error = [], str(err)
        mine = leases_of(session=session, reviewer=reviewer.name)
        scale = request.app.state.scale

        def qs(**changes: object) -> str:
            return query_string(params.as_dict(), **changes)

        return render(
            request,
            "queue.html",
            {
                "nav": "queue",
                "params": params,
                "rows": rows[:PER_PAGE],
                "has_next": len(rows) > PER_PAGE,
                "page": page,
                "qs": qs,
                "mine": mine,
                "labels": {v.key: v.label for v in scale.verdicts},
                "error": error,
                **_choices(),
            },
            status=422 if error else 200,
        )


@router.post("/queue/next")
def take_next(
    request: Request,
    reviewer: ReviewerDep,
    source_type: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    article: Annotated[str, Form()] = "",
) -> Response:
    """Lease the highest-priority free claim matching the filters and open it."""
    params = QueueParams("new", source_type, kind, article, "")
    back = "/queue?" + query_string(params.as_dict(), status="open")
    try:
        with database_of(request).session() as session:
            claim = lease_next(
                session=session,
                reviewer=reviewer.name,
                lease_minutes=request.app.state.settings.lease_minutes,
                filters=params.filters(),
            )
            claim_id = claim.id if claim is not None else None
    except FactcheckError as err:
        flash(request, str(err), "error")
        return redirect(back)
    if claim_id is None:
        flash(request, "Nothing left to take: no new claim matches these filters.", "info")
        return redirect(back)
    return redirect(f"/claims/{claim_id}")


@router.post("/queue/release/{claim_id}")
def release_claim(request: Request, claim_id: int, reviewer: ReviewerDep) -> Response:
    """Give a claim leased by this reviewer back to the queue."""
    try:
        with database_of(request).session() as session:
            release(session=session, claim_id=claim_id, actor=reviewer.name)
    except FactcheckError as err:
        flash(request, f"Claim #{claim_id}: {err}", "error")
        return redirect(f"/claims/{claim_id}")
    flash(request, f"Claim #{claim_id} is back in the queue.", "ok")
    return redirect("/queue")
