"""The queue page and "take next": the web face of factcheck.workflow.queue.

Filters arrive as query parameters (GET, bookmarkable) and, for "take next", as form
fields; both become the same `QueueFilters` the CLI builds, so a lease taken here is
exactly a `factcheck queue next` lease (same function, same event, same expiry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse

from factcheck.db.finders import known_outlets
from factcheck.db.lists import CLAIM_SORTS, ClaimPage, ClaimQuery, find_claims, source_ids_or_name
from factcheck.db.models import CLAIM_KINDS, CLAIM_STATUSES, SOURCE_TYPES
from factcheck.errors import FactcheckError, UsageError
from factcheck.web.pages import flash, redirect, render
from factcheck.web.security import Reviewer, csrf_protect, database_of, require_reviewer
from factcheck.web.views import page_numbers, query_string
from factcheck.workflow.queue import (
    QueueFilters,
    lease_next,
    leases_of,
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
    q: str = ""
    verdict: str = ""
    source: str = ""
    outlet: str = ""
    date_from: str = ""
    date_to: str = ""
    prior: str = ""  # "yes", "no" or "" (any)
    sort: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "source_type": self.source_type,
            "kind": self.kind,
            "article": self.article,
            "reviewer": self.reviewer,
            "q": self.q,
            "verdict": self.verdict,
            "source": self.source,
            "outlet": self.outlet,
            "from": self.date_from,
            "to": self.date_to,
            "prior": self.prior,
            "sort": self.sort,
        }

    @property
    def narrowed(self) -> bool:
        """Whether any filter beyond the status is set (the page says so)."""
        return any(v for k, v in self.as_dict().items() if k not in ("status", "sort"))

    def article_ids(self) -> tuple[int, ...]:
        if not self.article.strip():
            return ()
        try:
            return (int(self.article.strip().lstrip("#")),)
        except ValueError:
            raise UsageError(f"article must be a number, got {self.article!r}") from None

    def filters(self) -> QueueFilters:
        """The queue's filters for "take next"; bad values raise UsageError naming the field."""
        return QueueFilters(
            statuses=statuses_from(self.status),
            source_types=(self.source_type,) if self.source_type else (),
            kinds=(self.kind,) if self.kind else (),
            article_ids=self.article_ids(),
            assigned_to=self.reviewer.strip() or None,
        ).validated()

    def query(self) -> ClaimQuery:
        """The list's query (factcheck.db.lists), the same one the API builds."""
        source_ids, source_name = source_ids_or_name(self.source)
        if self.prior not in ("", "yes", "no"):
            raise UsageError(f"prior must be yes, no or empty, got {self.prior!r}")
        return ClaimQuery(
            q=self.q.strip(),
            statuses=statuses_from(self.status),
            verdicts=(self.verdict,) if self.verdict else (),
            kinds=(self.kind,) if self.kind else (),
            source_ids=source_ids,
            source_name=source_name,
            source_types=(self.source_type,) if self.source_type else (),
            outlets=(self.outlet,) if self.outlet else (),
            published_from=parse_day(self.date_from, "from"),
            published_to=parse_day(self.date_to, "to"),
            article_ids=self.article_ids(),
            reviewer=self.reviewer.strip() or None,
            has_prior=None if not self.prior else self.prior == "yes",
            sort=self.sort,
        ).validated()


def parse_day(text: str, field: str) -> date | None:
    """A date typed as YYYY-MM-DD (what <input type=date> sends), or None when empty."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{field} must be a date like 2026-06-27, got {text!r}") from None


def _choices() -> dict[str, Any]:
    return {
        "statuses": ["open", *CLAIM_STATUSES, "all"],
        "source_types": SOURCE_TYPES,
        "kinds": CLAIM_KINDS,
        "sorts": CLAIM_SORTS,
    }


@router.get("/queue", response_class=HTMLResponse)
def queue_page(
    request: Request,
    reviewer: ReviewerDep,
    status: str = "open",
    source_type: str = "",
    kind: str = "",
    article: str = "",
    who: Annotated[str, Query(alias="reviewer", max_length=128)] = "",
    q: Annotated[str, Query(max_length=500)] = "",
    verdict: Annotated[str, Query(max_length=64)] = "",
    source: Annotated[str, Query(max_length=512)] = "",
    outlet: Annotated[str, Query(max_length=256)] = "",
    date_from: Annotated[str, Query(alias="from", max_length=32)] = "",
    date_to: Annotated[str, Query(alias="to", max_length=32)] = "",
    prior: Annotated[str, Query(max_length=8)] = "",
    sort: Annotated[str, Query(max_length=16)] = "",
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
) -> Response:
    """Claims by priority (or as sorted), filtered and paged with the total, each with its
    repeat count and prior fact-checks, and the reviewer's own leases on top."""
    params = QueueParams(
        status,
        source_type,
        kind,
        article,
        who,
        q,
        verdict,
        source,
        outlet,
        date_from,
        date_to,
        prior,
        sort,
    )
    scale = request.app.state.scale
    error = None
    with database_of(request).session() as session:
        try:
            result = find_claims(
                session=session,
                query=params.query(),
                limit=PER_PAGE,
                offset=(page - 1) * PER_PAGE,
                scale=scale,
            )
        except FactcheckError as err:
            result, error = ClaimPage(items=[], total=0, limit=PER_PAGE, offset=0), str(err)
        mine = leases_of(session=session, reviewer=reviewer.name)
        outlets = known_outlets(session=session)

        def qs(**changes: object) -> str:
            return query_string(params.as_dict(), **changes)

        last, _ = page_numbers(page=page, total=result.total, per_page=PER_PAGE)
        return render(
            request,
            "queue.html",
            {
                "nav": "queue",
                "params": params,
                "rows": result.items,
                "badges": result.badges,
                "total": result.total,
                "capped": result.total_capped,
                "has_next": result.has_more,
                "page": page,
                "last": last,
                "qs": qs,
                "mine": mine,
                "outlets": outlets,
                "scale": scale,
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
