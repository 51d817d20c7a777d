"""Source and article corrections over HTTP: JSON API routes and the pages' forms.

The same library functions as `factcheck sources edit|unmerge|split` and `factcheck
articles edit|done` (factcheck.workflow.source_edits); a stale version is a 409, bad
input a 422, and the forms come back to their page with the message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from pydantic import BaseModel, Field

from factcheck.db.articles import article_public
from factcheck.db.sources import source_public
from factcheck.errors import ConflictError, FactcheckError, UsageError
from factcheck.public import ArticlePublic, SourcePublic
from factcheck.web.corrections import WRITE_ERRORS
from factcheck.web.pages import flash, redirect
from factcheck.web.security import (
    Reviewer,
    api_reviewer,
    csrf_protect,
    database_of,
    require_reviewer,
)
from factcheck.workflow.source_edits import (
    edit_article,
    edit_source,
    mark_done,
    split_source,
    unmerge_source,
)

api = APIRouter(prefix="/api", tags=["corrections"])
pages = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
ApiReviewer = Annotated[Reviewer, Depends(api_reviewer)]
ReviewerDep = Annotated[Reviewer, Depends(require_reviewer)]


class SourceEditIn(BaseModel):
    expected_version: int = Field(description="The source's `version` when you read it.")
    name: str | None = Field(default=None, max_length=512)
    type: str | None = None
    named: bool | None = None
    role: str | None = Field(default=None, max_length=1024)
    note: str | None = Field(default=None, max_length=20000)


class SourceSplitIn(BaseModel):
    expected_version: int | None = Field(
        default=None, description="The source's `version` when you read it."
    )
    claim_ids: list[int] = Field(min_length=1, max_length=1000)
    name: str = Field(max_length=512)
    type: str | None = None
    role: str | None = Field(default=None, max_length=1024)
    note: str | None = Field(default=None, max_length=20000)


class ArticleEditIn(BaseModel):
    """Fields to change; a field sent as null is cleared, a field left out stays."""

    expected_version: int
    title: str | None = Field(default=None, max_length=1024)
    url: str | None = Field(default=None, max_length=2048)
    outlet: str | None = Field(default=None, max_length=256)
    author: str | None = Field(default=None, max_length=512)
    published_at: datetime | None = None
    note: str | None = Field(default=None, max_length=20000)


class DoneIn(BaseModel):
    expected_version: int | None = None
    done: bool = True


def _source(request: Request, session: Any, source_id: int) -> SourcePublic:
    return source_public(session=session, source_id=source_id, scale=request.app.state.scale)


def _article(request: Request, session: Any, article_id: int) -> ArticlePublic:
    return article_public(session=session, article_id=article_id, scale=request.app.state.scale)


@api.patch("/sources/{source_id}", response_model=SourcePublic, responses=WRITE_ERRORS)
def api_edit_source(
    request: Request, source_id: int, body: SourceEditIn, reviewer: ApiReviewer
) -> SourcePublic:
    """Correct a source's name, type, named or role."""
    with database_of(request).session() as session:
        edit_source(
            session=session, source_id=source_id, actor=reviewer.name, name=body.name,
            type=body.type, named=body.named, role=body.role,
            expected_version=body.expected_version, note=body.note,
        )  # fmt: skip
        return _source(request, session, source_id)


@api.post("/sources/{source_id}/unmerge", response_model=SourcePublic, responses=WRITE_ERRORS)
def api_unmerge(
    request: Request, source_id: int, reviewer: ApiReviewer, expected_version: int | None = None
) -> SourcePublic:
    """Undo a merge: the source stands alone again with the claims it had."""
    with database_of(request).session() as session:
        unmerge_source(
            session=session, source_id=source_id, actor=reviewer.name,
            expected_version=expected_version,
        )  # fmt: skip
        return _source(request, session, source_id)


@api.post("/sources/{source_id}/split", response_model=SourcePublic, responses=WRITE_ERRORS)
def api_split_source(
    request: Request, source_id: int, body: SourceSplitIn, reviewer: ApiReviewer
) -> SourcePublic:
    """Move some claims to a new source (two people were joined as one); returns it."""
    with database_of(request).session() as session:
        new = split_source(
            session=session, source_id=source_id, actor=reviewer.name, claim_ids=body.claim_ids,
            name=body.name, type=body.type, role=body.role, note=body.note,
            expected_version=body.expected_version,
        )  # fmt: skip
        return _source(request, session, new.id)


@api.patch("/articles/{article_id}", response_model=ArticlePublic, responses=WRITE_ERRORS)
def api_edit_article(
    request: Request, article_id: int, body: ArticleEditIn, reviewer: ApiReviewer
) -> ArticlePublic:
    """Correct an article's title, URL, outlet, author or published date."""
    changes = body.model_dump(exclude_unset=True, exclude={"expected_version", "note"})
    with database_of(request).session() as session:
        edit_article(
            session=session, article_id=article_id, actor=reviewer.name, changes=changes,
            expected_version=body.expected_version, note=body.note,
        )  # fmt: skip
        return _article(request, session, article_id)


@api.post("/articles/{article_id}/done", response_model=ArticlePublic, responses=WRITE_ERRORS)
def api_done(
    request: Request, article_id: int, body: DoneIn, reviewer: ApiReviewer
) -> ArticlePublic:
    """Mark the article's claims complete and correct (gold for `factcheck eval`), or undo."""
    with database_of(request).session() as session:
        mark_done(
            session=session, article_id=article_id, actor=reviewer.name, done=body.done,
            expected_version=body.expected_version,
        )  # fmt: skip
        return _article(request, session, article_id)


# --- pages ----------------------------------------------------------------------------


def _back(request: Request, url: str, done: str, err: FactcheckError | None) -> Response:
    if err is None:
        flash(request, done, "ok")
    else:
        flash(
            request, f"Not saved: {err}", "conflict" if isinstance(err, ConflictError) else "error"
        )
    return redirect(url)


@pages.post("/sources/{source_id}/edit")
def page_edit_source(
    request: Request,
    source_id: int,
    reviewer: ReviewerDep,
    version: Annotated[int, Form()],
    name: Annotated[str, Form(max_length=512)] = "",
    type: Annotated[str, Form(max_length=16)] = "",
    named: Annotated[str, Form(max_length=8)] = "",
    role: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    try:
        with database_of(request).session() as session:
            edit_source(
                session=session, source_id=source_id, actor=reviewer.name, name=name or None,
                type=type or None, named=named == "on", role=role, expected_version=version,
            )  # fmt: skip
    except FactcheckError as err:
        return _back(request, f"/sources/{source_id}", "", err)
    return _back(request, f"/sources/{source_id}", f"Source #{source_id} corrected.", None)


@pages.post("/sources/{source_id}/unmerge")
def page_unmerge(
    request: Request,
    source_id: int,
    reviewer: ReviewerDep,
    version: Annotated[int | None, Form()] = None,
) -> Response:
    try:
        with database_of(request).session() as session:
            unmerge_source(
                session=session, source_id=source_id, actor=reviewer.name,
                expected_version=version,
            )  # fmt: skip
    except FactcheckError as err:
        return _back(request, f"/sources/{source_id}", "", err)
    return _back(request, f"/sources/{source_id}", f"Source #{source_id} unmerged.", None)


@pages.post("/sources/{source_id}/split")
def page_split_source(
    request: Request,
    source_id: int,
    reviewer: ReviewerDep,
    claims: Annotated[str, Form(max_length=2000)] = "",
    name: Annotated[str, Form(max_length=512)] = "",
    type: Annotated[str, Form(max_length=16)] = "",
    version: Annotated[int | None, Form()] = None,
) -> Response:
    """Two people joined as one: the listed claims (ids, comma or space separated) move."""
    back = f"/sources/{source_id}"
    try:
        ids = [int(t.lstrip("#")) for t in claims.replace(",", " ").split()]
    except ValueError:
        return _back(request, back, "", UsageError(f"claim ids like 12, 15, not {claims!r}"))
    try:
        with database_of(request).session() as session:
            new = split_source(
                session=session, source_id=source_id, actor=reviewer.name, claim_ids=ids,
                name=name, type=type or None, expected_version=version,
            )  # fmt: skip
            new_id = new.id
    except FactcheckError as err:
        return _back(request, back, "", err)
    return _back(request, f"/sources/{new_id}", f"{len(ids)} claim(s) moved here.", None)


@pages.post("/articles/{article_id}/edit")
def page_edit_article(
    request: Request,
    article_id: int,
    reviewer: ReviewerDep,
    version: Annotated[int, Form()],
    title: Annotated[str, Form(max_length=1024)] = "",
    url: Annotated[str, Form(max_length=2048)] = "",
    outlet: Annotated[str, Form(max_length=256)] = "",
    author: Annotated[str, Form(max_length=512)] = "",
    published: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    back = f"/articles/{article_id}"
    try:
        try:
            when = datetime.fromisoformat(published) if published.strip() else None
        except ValueError:
            raise UsageError(f"published date {published!r} is not a date (2026-03-01)") from None
        changes = {"title": title, "url": url, "outlet": outlet, "author": author}
        changes_any: dict[str, Any] = {**changes, "published_at": when}
        with database_of(request).session() as session:
            edit_article(
                session=session, article_id=article_id, actor=reviewer.name,
                changes=changes_any, expected_version=version,
            )  # fmt: skip
    except FactcheckError as err:
        return _back(request, back, "", err)
    return _back(request, back, f"Article #{article_id} corrected.", None)


@pages.post("/articles/{article_id}/done")
def page_done(
    request: Request,
    article_id: int,
    reviewer: ReviewerDep,
    version: Annotated[int, Form()],
    done: Annotated[str, Form(max_length=8)] = "1",
) -> Response:
    back = f"/articles/{article_id}"
    try:
        with database_of(request).session() as session:
            mark_done(
                session=session, article_id=article_id, actor=reviewer.name, done=done == "1",
                expected_version=version,
            )  # fmt: skip
    except FactcheckError as err:
        return _back(request, back, "", err)
    state = "marked done: its claims are gold now" if done == "1" else "no longer done"
    return _back(request, back, f"Article #{article_id} {state}.", None)
