"""`factcheck serve`: the reviewers' web UI and the JSON API."""

from __future__ import annotations

from typing import Annotated

import typer

from factcheck.cli._common import err_console, settings
from factcheck.config import mask_url


def serve(
    host: Annotated[
        str, typer.Option(help="Address to bind; 127.0.0.1 keeps it on this machine.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies",
            help="Send the session cookie only over HTTPS (behind a proxy); "
            "also FACTCHECK_WEB_SECURE_COOKIES.",
        ),
    ] = False,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the review queue, claim pages, source pages and /api/ (log in first).

    Create accounts with `factcheck users add NAME`. Set FACTCHECK_WEB_SECRET_KEY to keep
    sessions across restarts; without it every restart logs reviewers out.
    """
    import uvicorn

    from factcheck.web import create_app

    cfg = settings()
    app = create_app(cfg, secure_cookies=secure_cookies or cfg.web_secure_cookies)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(
            f"[yellow]warning[/yellow]: listening on {host}: reachable from the network; "
            "put it behind HTTPS and use --secure-cookies",
            highlight=False,
        )
    if cfg.web_secret_key is None:
        err_console.print(
            "note: FACTCHECK_WEB_SECRET_KEY is not set; sessions end when the server stops",
            highlight=False,
        )
    err_console.print(
        f"factcheck on http://{host}:{port}/ (database {mask_url(cfg.database_url)}, "
        f"API schema at /api/openapi.json)",
        highlight=False,
    )
    # access_log off: request lines would be fine, but a stray token in a query string
    # must never end up in a log.
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
