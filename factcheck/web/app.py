"""The FastAPI application: pages for reviewers, a JSON API for newsroom integrations.

`create_app(settings)` builds it; `factcheck serve` runs it with uvicorn on 127.0.0.1.
Pages are server-rendered Jinja2 (autoescaped: article text is data, never markup); the
only script is static/app.js from this package, and the Content-Security-Policy forbids
anything else, so nothing is ever loaded from the internet.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from factcheck import __version__
from factcheck.config import Settings
from factcheck.db.events import describe_change
from factcheck.db.session import Database, open_database
from factcheck.errors import (
    AuthError,
    ConflictError,
    FactcheckError,
    NotFoundError,
    TransitionError,
    UsageError,
)
from factcheck.schema import ClaimKind, SourceType
from factcheck.verdicts import load_scale
from factcheck.web.security import (
    SESSION_COOKIE,
    CSRFError,
    LoginRequired,
    csrf_token,
    current_reviewer,
    session_lifetime,
)

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def status_for(err: FactcheckError) -> int:
    """The HTTP status that tells a client what kind of failure this was."""
    if isinstance(err, AuthError):
        return 401
    if isinstance(err, NotFoundError):
        return 404
    if isinstance(err, ConflictError | TransitionError):
        return 409
    if isinstance(err, UsageError):
        return 422
    return 400


# What an error page is headed with, by the kind of failure (never a class name).
ERROR_TITLES: dict[int, str] = {
    400: "This request cannot be handled",
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    405: "Not available this way",
    409: "Not saved: this changed meanwhile",
    422: "Please check what you entered",
}


def error_title(status: int) -> str:
    if status in ERROR_TITLES:
        return ERROR_TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Something went wrong"


def _fmt_dt(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _safe_url(value: str | None) -> str:
    """An http(s) link, or '' so that a `javascript:` URL from a feed is never clickable."""
    if value and urlsplit(value.strip()).scheme.lower() in ("http", "https"):
        return value.strip()
    return ""


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dt"] = _fmt_dt
    env.filters["safe_url"] = _safe_url
    env.globals["version"] = __version__
    # The edit forms' choices and the history's before/after (factcheck.web.corrections).
    env.globals["claim_kinds"] = [k.value for k in ClaimKind]
    env.globals["source_types"] = [t.value for t in SourceType]
    env.filters["change"] = describe_change

    def common(request: Request) -> dict[str, Any]:
        flashes = request.session.pop("flash", []) if "flash" in request.session else []
        return {
            "reviewer": current_reviewer(request),
            "csrf_token": csrf_token(request),
            "flashes": flashes,
        }

    return Jinja2Templates(env=env, context_processors=[common])


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    if app.state.owns_db:
        app.state.db.dispose()


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    secure_cookies: bool = False,
) -> FastAPI:
    """The web UI and API over the configured database (migrated on open).

    Without `web_secret_key` a random key is drawn per process: sessions then end when
    the server restarts, which is safe but means reviewers log in again.
    """
    from factcheck.web.api import router as api_router
    from factcheck.web.api_lists import router as api_lists_router
    from factcheck.web.api_matches import router as api_matches_router
    from factcheck.web.browse import router as browse_router
    from factcheck.web.corrections import api as corrections_api
    from factcheck.web.corrections import pages as corrections_pages
    from factcheck.web.gold import api as gold_api
    from factcheck.web.gold import pages as gold_pages
    from factcheck.web.ingest_api import router as ingest_router
    from factcheck.web.match_pages import router as match_router
    from factcheck.web.pages import router as pages_router
    from factcheck.web.queue_pages import router as queue_router
    from factcheck.web.search_pages import router as search_router
    from factcheck.web.source_edits import api as source_edits_api
    from factcheck.web.source_edits import pages as source_edits_pages

    app = FastAPI(
        title="factcheck API",
        version=__version__,
        description=(
            "Claims, review queue, sources and batches of a factcheck database. "
            "Authenticate with `Authorization: Bearer <token>` "
            "(issue tokens with `factcheck users token NAME`)."
        ),
        # Swagger UI and ReDoc load their assets from a CDN: not offered.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.db = database or open_database(settings)
    app.state.owns_db = database is None
    app.state.scale = load_scale(settings.verdict_scale_file)
    app.state.templates = make_templates()
    app.state.templates.env.globals["min_verdicts"] = settings.track_record_min_verdicts

    secret = (
        settings.web_secret_key.get_secret_value()
        if settings.web_secret_key is not None and settings.web_secret_key.get_secret_value()
        else secrets.token_urlsafe(48)
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=int(session_lifetime(settings).total_seconds()),
        same_site="lax",
        https_only=secure_cookies,
    )

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(pages_router)
    app.include_router(queue_router)
    app.include_router(browse_router)
    app.include_router(match_router)
    app.include_router(search_router)
    app.include_router(api_router)
    app.include_router(api_lists_router)
    app.include_router(api_matches_router)
    app.include_router(corrections_pages)
    app.include_router(corrections_api)
    app.include_router(ingest_router)
    app.include_router(source_edits_pages)
    app.include_router(source_edits_api)
    app.include_router(gold_pages)
    app.include_router(gold_api)
    _install_error_handlers(app)

    return app


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    context = {"title": title, "message": message, "status": status}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_url, safe='')}", status_code=303)

    @app.exception_handler(CSRFError)
    async def _csrf(request: Request, exc: CSRFError) -> Response:
        message = (
            f"The form was refused ({exc}). Reload the page and send it again; "
            "if you logged in elsewhere in the meantime, log in again first."
        )
        return error_page(request, 403, "Form expired", message)

    @app.exception_handler(FactcheckError)
    async def _factcheck(request: Request, exc: FactcheckError) -> Response:
        status = status_for(exc)
        if _is_api(request):
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)
        return error_page(request, status, error_title(status), str(exc))

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> Response:
        message = "Someone else changed this claim meanwhile; reload it and try again."
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=409)
        return error_page(request, 409, error_title(409), message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        detail = str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"There is no page at {request.url.path}."
        return error_page(request, exc.status_code, error_title(exc.status_code), detail)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        if _is_api(request):
            return JSONResponse({"detail": errors}, status_code=422)
        text = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in errors)
        return error_page(request, 422, error_title(422), text)
