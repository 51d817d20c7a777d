"""The reviewer's pages: login, the queue, and a claim with its review form.

Every POST here carries the session's CSRF token (checked by `csrf_protect` before the
handler runs) and every write is attributed to the logged-in reviewer, whose name goes
into the audit trail exactly as the CLI writes `FACTCHECK_REVIEWER`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from factcheck.errors import (
    AuthError,
    ConflictError,
    FactcheckError,
    TransitionError,
    UsageError,
)
from factcheck.web.claims import claim_context
from factcheck.web.security import (
    LoginThrottled,
    Reviewer,
    attempt_login,
    csrf_protect,
    current_reviewer,
    database_of,
    log_out,
    require_reviewer,
    safe_next,
)
from factcheck.workflow.queue import lease_next
from factcheck.workflow.review import (
    EvidenceInput,
    reopen_claim,
    request_info,
    review_claim,
    skip_claim,
)

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
ReviewerDep = Annotated[Reviewer, Depends(require_reviewer)]


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request, name, context, status_code=status
    )


def flash(request: Request, message: str, kind: str = "info") -> None:
    """A one-time message shown on the next page (after a redirect)."""
    messages = list(request.session.get("flash", []))
    messages.append([kind, message])
    request.session["flash"] = messages[-5:]


def redirect(url: str) -> RedirectResponse:
    # 303: the browser follows a POST with a GET, so reloading never re-submits a form.
    return RedirectResponse(url, status_code=303)


# --- login ------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return redirect("/queue" if current_reviewer(request) else "/login")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/queue") -> Response:
    if current_reviewer(request) is not None:
        return redirect(safe_next(next))
    return render(request, "login.html", {"next": safe_next(next), "name": "", "error": None})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    name: Annotated[str, Form(max_length=128)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form()] = "/queue",
) -> Response:
    try:
        attempt_login(request, name, password)
    except LoginThrottled as err:
        context = {"next": safe_next(next), "name": name, "error": str(err)}
        response = render(request, "login.html", context, status=429)
        response.headers["Retry-After"] = str(err.retry_after)
        return response
    except AuthError as err:
        context = {"next": safe_next(next), "name": name, "error": str(err)}
        return render(request, "login.html", context, status=401)
    return redirect(safe_next(next))


@router.post("/logout")
def logout(request: Request) -> Response:
    log_out(request)
    return redirect("/login")


# --- claims -------------------------------------------------------------------------------


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, claim_id: int, reviewer: ReviewerDep) -> Response:
    """The claim inside its article, with sources, priority, evidence, history and the form."""
    with database_of(request).session() as session:
        context = claim_context(session=session, request=request, claim_id=claim_id)
        return render(request, "claim.html", context)


@router.post("/claims/{claim_id}/review", response_class=HTMLResponse)
def review(
    request: Request,
    claim_id: int,
    reviewer: ReviewerDep,
    version: Annotated[int, Form()],
    action: Annotated[str, Form()] = "review",
    verdict: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=20000)] = "",
    # Parallel rows; max_length here is the number of rows (each is checked below).
    evidence_url: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006
    evidence_stance: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006
    evidence_title: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006
) -> Response:
    """Record a verdict (or park / skip the claim) at the version the reviewer saw.

    The form sends evidence as parallel rows (URL, title, stance); empty rows are left
    out. `review_next` records the verdict and then takes the next claim from the queue.
    A stale version or someone else's lease is a conflict: the page comes back with a
    message and the reviewer's own input still in the form, and nothing is overwritten.
    """
    form: dict[str, Any] = {
        "action": action,
        "verdict": verdict,
        "note": note,
        "evidence": [
            {"url": url, "title": title, "stance": stance}
            for url, title, stance in zip(
                evidence_url, evidence_title, evidence_stance, strict=False
            )
            if url.strip()
        ],
    }
    text = note.strip() or None
    try:
        evidence = evidence_rows(evidence_url, evidence_title, evidence_stance)
        with database_of(request).session() as session:
            common: dict[str, Any] = {
                "session": session,
                "claim_id": claim_id,
                "actor": reviewer.name,
                "note": text,
                "expected_version": version,
            }
            if action in ("review", "review_next"):
                if not verdict:
                    raise TransitionError("choose a verdict from the scale first")
                review_claim(
                    **common, verdict=verdict, evidence=evidence, scale=request.app.state.scale
                )
                done = "verdict recorded"
            elif action == "needs_info":
                request_info(**common)
                done = "parked as needs info"
            elif action == "skip":
                skip_claim(**common)
                done = "skipped"
            elif action == "reopen":
                reopen_claim(**common)
                done = "re-opened: back in the queue"
            else:
                raise TransitionError(f"unknown action {action!r}")
    except ConflictError as err:
        return _claim_with_error(request, claim_id, str(err), form, status=409, conflict=True)
    except FactcheckError as err:
        return _claim_with_error(request, claim_id, str(err), form, status=422)
    flash(request, f"Claim #{claim_id}: {done}.", "ok")
    if action == "review_next":
        return next_claim(request, reviewer, back=f"/claims/{claim_id}")
    return redirect(f"/claims/{claim_id}")


def evidence_rows(urls: list[str], titles: list[str], stances: list[str]) -> list[EvidenceInput]:
    """The form's evidence rows with a URL, in order (title and stance of the same row)."""
    out = []
    for i, url in enumerate(urls):
        if not url.strip():
            continue
        if len(url) > 2048 or (i < len(titles) and len(titles[i]) > 1024):
            raise UsageError(f"evidence link {i + 1} is too long (URL 2048, title 1024 chars)")
        title = titles[i].strip() if i < len(titles) else ""
        stance = stances[i] if i < len(stances) else "context"
        out.append(EvidenceInput(url=url.strip(), stance=stance, title=title or None))
    return out


def next_claim(request: Request, reviewer: Reviewer, *, back: str) -> Response:
    """Lease the highest-priority new claim and open it; back to `back` when none is left."""
    try:
        with database_of(request).session() as session:
            claim = lease_next(
                session=session,
                reviewer=reviewer.name,
                lease_minutes=request.app.state.settings.lease_minutes,
            )
            claim_id = claim.id if claim is not None else None
    except FactcheckError as err:
        flash(request, str(err), "error")
        return redirect(back)
    if claim_id is None:
        flash(request, "Nothing left to take: the queue has no new claim.", "info")
        return redirect(back)
    return redirect(f"/claims/{claim_id}")


def _claim_with_error(
    request: Request,
    claim_id: int,
    message: str,
    form: dict[str, Any],
    *,
    status: int,
    conflict: bool = False,
) -> Response:
    with database_of(request).session() as session:
        context = claim_context(session=session, request=request, claim_id=claim_id)
        context.update({"error": message, "conflict": conflict, "form": form})
        return render(request, "claim.html", context, status=status)
