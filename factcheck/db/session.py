"""Engines, sessions and keeping the schema at the latest migration.

Every command that touches the database goes through `open_database`, which upgrades
an out-of-date schema (Alembic) before handing out sessions, or fails with a message
that says what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from factcheck.config import Settings, default_database_path, mask_url
from factcheck.errors import ConfigError, ConflictError, DatabaseError


def migrations_dir() -> Path:
    """The Alembic scripts: inside the wheel when installed, the repository's otherwise."""
    packaged = Path(__file__).resolve().parent.parent / "_migrations"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "migrations"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets reviewers read the queue while a batch writes; the busy timeout makes
    # concurrent writers wait for the lock instead of failing at once.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def sqlite_path(url: str) -> Path | None:
    """The absolute file of a SQLite URL; None for other backends, in-memory or bad URLs."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database).expanduser().resolve()


def describe_database(url: str) -> str:
    """The database as a user should read it: a SQLite file's absolute path, else the URL
    with any password masked."""
    path = sqlite_path(url)
    return str(path) if path is not None else mask_url(url)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url` with the per-backend settings factcheck relies on."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        # The URL is not echoed: a malformed one cannot be masked and may hold a password.
        raise ConfigError(
            "FACTCHECK_DATABASE_URL is not a database URL (expected e.g. "
            "sqlite:///factcheck.db or postgresql+psycopg://user:password@host:5432/name)"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            parent = Path(parsed.database).expanduser().resolve().parent
            if not parent.is_dir():
                raise DatabaseError(f"folder for the SQLite database does not exist: {parent}")
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        kwargs.setdefault("pool_pre_ping", True)
    try:
        return create_engine(url, **kwargs)
    except (ImportError, ModuleNotFoundError) as exc:
        raise DatabaseError(
            f"no driver for {parsed.drivername}: install factcheck[postgres] ({exc})"
        ) from exc


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    # Alembic's config is ConfigParser-based: a literal % in a password must be doubled.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _migrate(engine: Engine, step: Callable[[Any], None]) -> None:
    """Run an Alembic command in one transaction on one connection.

    On SQLite, foreign keys are off meanwhile: a batch migration recreates a table, and
    dropping the old copy with foreign keys on would cascade-delete every row that
    references it (events, claim sources). The pragma only works outside a transaction.
    """
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                step(cfg)
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    _migrate(engine, lambda cfg: command.upgrade(cfg, revision))


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    _migrate(engine, lambda cfg: command.downgrade(cfg, revision))


def ensure_schema(engine: Engine, *, auto_upgrade: bool = True) -> None:
    """Bring the schema to the head migration, or say clearly why it cannot be."""
    masked = mask_url(engine.url.render_as_string(hide_password=False))
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise DatabaseError(f"cannot connect to {masked}: {_first_line(exc)}") from exc
    head = head_revision()
    if current == head:
        return
    if current is None:
        tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
        if tables:
            raise DatabaseError(
                f"{masked} has tables but no factcheck schema version; "
                "point FACTCHECK_DATABASE_URL at an empty or factcheck database"
            )
    if not auto_upgrade:
        raise DatabaseError(f"{masked} is at {current}, not {head}: run `factcheck db upgrade`")
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"upgrading {masked} failed: {_first_line(exc)}") from exc
    except Exception as exc:  # alembic raises its own CommandError for unknown revisions
        raise DatabaseError(f"upgrading {masked} failed: {exc}") from exc


# serialization_failure, deadlock_detected: the two SQLSTATEs PostgreSQL says to retry.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})


def is_transient(exc: BaseException) -> bool:
    """Whether a database error is one that simply running the transaction again fixes."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(getattr(orig, "diag", None), "sqlstate", None)
    return code in TRANSIENT_SQLSTATES


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


class Database:
    """An engine plus its session factory, with the schema checked once."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessionmaker = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        A deadlock or serialisation failure that reaches here (the workflow retries the
        ones it expects) is a ConflictError, one readable line, not a traceback.
        """
        try:
            with self.sessionmaker() as session, session.begin():
                yield session
        except DBAPIError as exc:
            if not is_transient(exc):
                raise
            raise ConflictError(
                "another session's change collided with this one and the database stopped "
                "it; nothing was saved. Run it again"
            ) from exc

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(
    settings: Settings, *, auto_upgrade: bool = True, create: bool = True, origin: str = ""
) -> Database:
    """The database of `settings`, at the latest schema.

    With `create` False (commands that only read or change what is stored), a SQLite file
    that does not exist is an error naming it, never a new empty database: a command run
    in the wrong folder or with the wrong URL must not pretend the day's work is gone.
    """
    url = settings.database_url
    path = sqlite_path(url)
    if path is not None and not path.exists():
        if not create:
            raise DatabaseError(
                f"no factcheck database at {path} (from {origin or 'the settings'}): "
                "create it with `factcheck check FILES` or `factcheck db upgrade`, "
                "or set FACTCHECK_DATABASE_URL to the database you meant"
            )
        if path == default_database_path():
            path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    ensure_schema(engine, auto_upgrade=auto_upgrade)
    return Database(engine)
