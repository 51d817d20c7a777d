"""`factcheck db ...`: schema migrations."""

from __future__ import annotations

import typer

from factcheck.cli._common import console, settings
from factcheck.config import mask_url
from factcheck.db.session import (
    current_revision,
    ensure_schema,
    head_revision,
    make_engine,
    sqlite_path,
)

db_app = typer.Typer(help="Manage the database schema (Alembic migrations).")


@db_app.command("upgrade")
def upgrade() -> None:
    """Create the database or bring it to the latest schema."""
    cfg = settings()
    engine = make_engine(cfg.database_url)
    try:
        before = current_revision(engine)
        ensure_schema(engine)
        console.print(
            f"{mask_url(cfg.database_url)}: schema {before or 'empty'} → {head_revision()}"
        )
    finally:
        engine.dispose()


@db_app.command("current")
def current() -> None:
    """Show the database's schema revision and the latest one."""
    cfg = settings()
    path = sqlite_path(cfg.database_url)
    if path is not None and not path.exists():
        # Connecting would create an empty file: say there is none instead.
        console.print(f"no database at {path} yet  head: {head_revision()}", highlight=False)
        return
    engine = make_engine(cfg.database_url)
    try:
        console.print(f"current: {current_revision(engine) or 'empty'}  head: {head_revision()}")
    finally:
        engine.dispose()


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
