"""Corrections over HTTP: JSON API routes and the reviewer's edit forms.

Both call the same library functions as `factcheck claims edit|move|reject|add|sources|
split|merge` (factcheck.workflow.corrections, .restructure) and answer with the claim's
`ClaimDetailPublic`. A stale `expected_version` is a 409 with the reason; bad input (a span
outside the article, an empty text, an unknown type) a 422 naming it. The forms come back
to the claim page with a message, the same one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from pydantic import BaseModel, Field

from factcheck.errors import ConflictError, FactcheckError
from factcheck.public import ClaimDetailPublic
from factcheck.web.pages import flash, redirect
from factcheck.web.security import (
    Reviewer,
    api_reviewer,
    csrf_protect,
    database_of,
    require_reviewer,
)
from factcheck.workflow.claims import claim_detail
from factcheck.workflow.corrections import (
    SourceChoice,
    SpanInput,
    add_claim,
    current_chain,
    edit_claim,
    move_span,
    reject_claim,
    set_sources,
)
from factcheck.workflow.restructure import merge_claims, split_claim

api = APIRouter(prefix="/api", tags=["corrections"])
pages = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
ApiReviewer = Annotated[Reviewer, Depends(api_reviewer)]
ReviewerDep = Annotated[Reviewer, Depends(require_reviewer)]
WRITE_ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "Missing or invalid API token"},
    404: {"description": "No such claim, article or source"},
    409: {"description": "Someone changed it since you read it (stale expected_version)"},
    422: {"description": "Bad input: a span outside the article, an empty text, an unknown type"},
}


# --- request shapes -------------------------------------------------------------------


class SpanIn(BaseModel):
    """A span: `quote` (with `near`, where a selection started) or `start`/`end`."""

    quote: str | None = Field(default=None, max_length=20000)
    near: int | None = Field(default=None, ge=0)
    start: int | None = None
    end: int | None = None
    text: str | None = Field(default=None, max_length=20000)

    def as_input(self) -> SpanInput:
        return SpanInput(
            quote=self.quote, near=self.near, start=self.start, end=self.end, text=self.text
        )


class SourceIn(BaseModel):
    """An existing source (`source_id`) or a new one (`name`, `type`, `named`, `role`)."""

    source_id: int | None = None
    name: str | None = Field(default=None, max_length=512)
    type: str = "unknown"
    named: bool = True
    role: str | None = Field(default=None, max_length=1024)
    cue: str | None = Field(default=None, max_length=256)

    def as_choice(self) -> SourceChoice:
        return SourceChoice(
            source_id=self.source_id, name=self.name, type=self.type, named=self.named,
            role=self.role, cue=self.cue,
        )  # fmt: skip


class ClaimEditIn(BaseModel):
    expected_version: int = Field(description="The claim's `version` when you read it.")
    text: str | None = Field(default=None, max_length=20000)
    kind: str | None = None
    hedged: bool | None = None
    note: str | None = Field(default=None, max_length=20000)


class MoveIn(SpanIn):
    expected_version: int
    note: str | None = Field(default=None, max_length=20000)


class RejectIn(BaseModel):
    expected_version: int
    reason: str = Field(max_length=20000, description="Why this is not a claim.")


class SourcesIn(BaseModel):
    expected_version: int
    sources: list[SourceIn] = Field(max_length=20, description="Original asserter first.")
    note: str | None = Field(default=None, max_length=20000)


class AddClaimIn(SpanIn):
    kind: str = "fact"
    hedged: bool = False
    sources: list[SourceIn] = Field(default_factory=list, max_length=20)
    note: str | None = Field(default=None, max_length=20000)


class SplitIn(BaseModel):
    expected_version: int
    parts: list[SpanIn] = Field(min_length=2, max_length=20)
    note: str | None = Field(default=None, max_length=20000)


class MergeIn(BaseModel):
    claim_ids: list[int] = Field(min_length=2, max_length=50)
    expected_versions: dict[int, int] = Field(default_factory=dict)
    text: str | None = Field(default=None, max_length=20000)
    note: str | None = Field(default=None, max_length=20000)


class SplitOut(BaseModel):
    claim_ids: list[int]


# --- API ----------------------------------------------------------------------------------


def _detail(request: Request, session: object, claim_id: int) -> ClaimDetailPublic:
    return claim_detail(
        session=session,  # type: ignore[arg-type]
        claim_id=claim_id,
        scale=request.app.state.scale,
    )


@api.patch("/claims/{claim_id}", response_model=ClaimDetailPublic, responses=WRITE_ERRORS)
def api_edit(
    request: Request, claim_id: int, body: ClaimEditIn, reviewer: ApiReviewer
) -> ClaimDetailPublic:
    """Correct a claim's text, kind or hedged (fields left out stay as they are)."""
    with database_of(request).session() as session:
        edit_claim(
            session=session, claim_id=claim_id, actor=reviewer.name, text=body.text,
            kind=body.kind, hedged=body.hedged, expected_version=body.expected_version,
            note=body.note,
        )  # fmt: skip
        return _detail(request, session, claim_id)


@api.post("/claims/{claim_id}/span", response_model=ClaimDetailPublic, responses=WRITE_ERRORS)
def api_move(
    request: Request, claim_id: int, body: MoveIn, reviewer: ApiReviewer
) -> ClaimDetailPublic:
    """Move the claim to another span of its article (offsets computed by the server)."""
    with database_of(request).session() as session:
        move_span(
            session=session, claim_id=claim_id, actor=reviewer.name, span=body.as_input(),
            expected_version=body.expected_version, note=body.note,
        )  # fmt: skip
        return _detail(request, session, claim_id)


@api.post("/claims/{claim_id}/reject", response_model=ClaimDetailPublic, responses=WRITE_ERRORS)
def api_reject(
    request: Request, claim_id: int, body: RejectIn, reviewer: ApiReviewer
) -> ClaimDetailPublic:
    """Reject as "not a claim", with the reason; it stays, out of the queue."""
    with database_of(request).session() as session:
        reject_claim(
            session=session, claim_id=claim_id, actor=reviewer.name, reason=body.reason,
            expected_version=body.expected_version,
        )  # fmt: skip
        return _detail(request, session, claim_id)


@api.put("/claims/{claim_id}/sources", response_model=ClaimDetailPublic, responses=WRITE_ERRORS)
def api_sources(
    request: Request, claim_id: int, body: SourcesIn, reviewer: ApiReviewer
) -> ClaimDetailPublic:
    """Replace the relay chain: add, remove, replace or reorder sources in one write."""
    with database_of(request).session() as session:
        set_sources(
            session=session, claim_id=claim_id, actor=reviewer.name,
            chain=[s.as_choice() for s in body.sources],
            expected_version=body.expected_version, note=body.note,
        )  # fmt: skip
        return _detail(request, session, claim_id)


@api.post(
    "/articles/{article_id}/claims",
    response_model=ClaimDetailPublic,
    status_code=201,
    responses=WRITE_ERRORS,
)
def api_add(
    request: Request, article_id: int, body: AddClaimIn, reviewer: ApiReviewer
) -> ClaimDetailPublic:
    """Add a claim the extractor missed, from a span of the article."""
    with database_of(request).session() as session:
        claim = add_claim(
            session=session, article_id=article_id, actor=reviewer.name, span=body.as_input(),
            kind=body.kind, hedged=body.hedged, sources=[s.as_choice() for s in body.sources],
            note=body.note,
        )  # fmt: skip
        return _detail(request, session, claim.id)


@api.post("/claims/{claim_id}/split", response_model=SplitOut, responses=WRITE_ERRORS)
def api_split(request: Request, claim_id: int, body: SplitIn, reviewer: ApiReviewer) -> SplitOut:
    """Split a claim into parts by their spans; the first part keeps the claim's id."""
    with database_of(request).session() as session:
        ids = split_claim(
            session=session, claim_id=claim_id, actor=reviewer.name,
            parts=[p.as_input() for p in body.parts], expected_version=body.expected_version,
            note=body.note,
        )  # fmt: skip
    return SplitOut(claim_ids=ids)


@api.post("/claims/merge", response_model=ClaimDetailPublic, responses=WRITE_ERRORS)
def api_merge(request: Request, body: MergeIn, reviewer: ApiReviewer) -> ClaimDetailPublic:
    """Merge claims of one article into the earliest; the others are rejected as merged."""
    with database_of(request).session() as session:
        kept = merge_claims(
            session=session, claim_ids=body.claim_ids, actor=reviewer.name, text=body.text,
            expected_versions=body.expected_versions, note=body.note,
        )  # fmt: skip
        return _detail(request, session, kept.id)


# --- pages ----------------------------------------------------------------------------


def _back(request: Request, claim_id: int, done: str, err: FactcheckError | None) -> Response:
    if err is None:
        flash(request, f"Claim #{claim_id}: {done}.", "ok")
    else:
        kind = "conflict" if isinstance(err, ConflictError) else "error"
        flash(request, f"Not saved: {err}", kind)
    return redirect(f"/claims/{claim_id}")


Version = Annotated[int, Form()]
Text = Annotated[str, Form(max_length=20000)]


@pages.post("/claims/{claim_id}/edit")
def page_edit(
    request: Request,
    claim_id: int,
    reviewer: ReviewerDep,
    version: Version,
    text: Text = "",
    kind: Annotated[str, Form(max_length=16)] = "",
    hedged: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    try:
        with database_of(request).session() as session:
            edit_claim(
                session=session, claim_id=claim_id, actor=reviewer.name, text=text or None,
                kind=kind or None, hedged=hedged == "on", expected_version=version,
            )  # fmt: skip
    except FactcheckError as err:
        return _back(request, claim_id, "", err)
    return _back(request, claim_id, "corrected", None)


@pages.post("/claims/{claim_id}/reject")
def page_reject(
    request: Request, claim_id: int, reviewer: ReviewerDep, version: Version, reason: Text = ""
) -> Response:
    try:
        with database_of(request).session() as session:
            reject_claim(
                session=session, claim_id=claim_id, actor=reviewer.name, reason=reason,
                expected_version=version,
            )  # fmt: skip
    except FactcheckError as err:
        return _back(request, claim_id, "", err)
    return _back(request, claim_id, "rejected as not a claim", None)


@pages.post("/claims/{claim_id}/span")
def page_move(
    request: Request,
    claim_id: int,
    reviewer: ReviewerDep,
    version: Version,
    quote: Text = "",
    near: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    span = SpanInput(quote=quote, near=int(near) if near.isdigit() else None)
    try:
        with database_of(request).session() as session:
            move_span(
                session=session, claim_id=claim_id, actor=reviewer.name, span=span,
                expected_version=version,
            )  # fmt: skip
    except FactcheckError as err:
        return _back(request, claim_id, "", err)
    return _back(request, claim_id, "span moved", None)


@pages.post("/claims/{claim_id}/split")
def page_split(
    request: Request, claim_id: int, reviewer: ReviewerDep, version: Version, parts: Text = ""
) -> Response:
    spans = [SpanInput(quote=line.strip()) for line in parts.splitlines() if line.strip()]
    try:
        with database_of(request).session() as session:
            ids = split_claim(
                session=session, claim_id=claim_id, actor=reviewer.name, parts=spans,
                expected_version=version,
            )  # fmt: skip
    except FactcheckError as err:
        return _back(request, claim_id, "", err)
    return _back(request, claim_id, "split into " + ", ".join(f"#{i}" for i in ids), None)


@pages.post("/claims/{claim_id}/sources")
def page_sources(
    request: Request,
    claim_id: int,
    reviewer: ReviewerDep,
    version: Version,
    op: Annotated[str, Form(max_length=16)],
    source_id: Annotated[str, Form(max_length=16)] = "",
    name: Annotated[str, Form(max_length=512)] = "",
    type: Annotated[str, Form(max_length=16)] = "unknown",
    unnamed: Annotated[str, Form(max_length=8)] = "",
    cue: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    """One change to the relay chain: remove a source, move it first, or add one."""
    try:
        with database_of(request).session() as session:
            chain = current_chain(session=session, claim_id=claim_id)
            sid = int(source_id) if source_id.isdigit() else None
            if op == "remove":
                chain = [c for c in chain if c.source_id != sid]
            elif op == "first":
                chain = [c for c in chain if c.source_id == sid] + [
                    c for c in chain if c.source_id != sid
                ]
            elif op == "add" and sid is not None:
                chain.append(SourceChoice(source_id=sid, cue=cue or None))
            elif op == "add":
                chain.append(
                    SourceChoice(name=name, type=type, named=unnamed != "on", cue=cue or None)
                )
            set_sources(
                session=session, claim_id=claim_id, actor=reviewer.name, chain=chain,
                expected_version=version,
            )  # fmt: skip
    except FactcheckError as err:
        return _back(request, claim_id, "", err)
    return _back(request, claim_id, "sources updated", None)


@pages.post("/articles/{article_id}/claims")
def page_add(
    request: Request,
    article_id: int,
    reviewer: ReviewerDep,
    quote: Text = "",
    near: Annotated[str, Form(max_length=16)] = "",
    text: Text = "",
    kind: Annotated[str, Form(max_length=16)] = "fact",
    source_name: Annotated[str, Form(max_length=512)] = "",
    source_type: Annotated[str, Form(max_length=16)] = "unknown",
    back: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Add a claim from a selected span; the reviewer lands on the new claim."""
    span = SpanInput(quote=quote, near=int(near) if near.isdigit() else None, text=text or None)
    chain = [SourceChoice(name=source_name, type=source_type)] if source_name.strip() else []
    try:
        with database_of(request).session() as session:
            claim = add_claim(
                session=session, article_id=article_id, actor=reviewer.name, span=span,
                kind=kind, sources=chain,
            )  # fmt: skip
            claim_id = claim.id
    except FactcheckError as err:
        flash(request, f"Not saved: {err}", "error")
        target = back if back.startswith("/claims/") and back[8:].isdigit() else ""
        return redirect(target or f"/articles/{article_id}")
    flash(request, f"Claim #{claim_id} added.", "ok")
    return redirect(f"/claims/{claim_id}")
