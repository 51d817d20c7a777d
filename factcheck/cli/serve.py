"""`factcheck serve`: the reviewers' web UI and the JSON API."""

from __future__ import annotations

import errno
import socket
from typing import Annotated

import typer

from factcheck.cli._common import database, err_console, settings
from factcheck.db.session import describe_database
from factcheck.errors import FactcheckError


class AddressError(FactcheckError):
    """The address or port cannot be listened on (in use, not ours, privileged)."""

    exit_code = 3


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or one line saying why there cannot be one.

    Bound here rather than by uvicorn, whose failure is a multi-line log and exit 1 at
    best: the reviewer needs the reason and the option that fixes it.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise AddressError(f"cannot listen on {host}: unknown host ({exc.strerror})") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        why = {
            errno.EADDRINUSE: "is already in use (another factcheck serve?); "
            "choose another with --port",
            errno.EACCES: "needs privileges (ports below 1024); choose another with --port",
            errno.EADDRNOTAVAIL: "is not an address of this machine; check --host",
        }.get(exc.errno or 0, f"cannot be listened on ({exc.strerror or exc})")
        raise AddressError(f"{host}:{port} {why}") from None
    sock.listen(2048)
    return sock


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

    Exit code 0 when stopped (Ctrl-C), 1 when the database cannot be opened, 2 for usage
    errors, 3 when the address cannot be listened on (the port is in use, say).
    """
    import uvicorn

    from factcheck.web import create_app

    cfg = settings()
    sock = bind(host, port)
    try:
        db = database(cfg)  # a missing database is named, not created empty
    except BaseException:
        sock.close()
        raise
    app = create_app(cfg, database=db, secure_cookies=secure_cookies or cfg.web_secure_cookies)
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
        f"factcheck on http://{host}:{port}/ (database {describe_database(cfg.database_url)}, "
        f"API schema at /api/openapi.json)",
        highlight=False,
    )
    # access_log off: request lines would be fine, but a stray token in a query string
    # must never end up in a log.
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
