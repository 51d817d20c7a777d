"""Hermetic tests: no OpenAI key, a database in tmp_path, no connection off loopback.

`database` runs each test against SQLite and, where reachable (or required with
FACTCHECK_REQUIRE_POSTGRES=1, as CI does), against a fresh PostgreSQL database cloned
from a migrated template.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factcheck.db.session import Database, make_engine, upgrade

REPO = Path(__file__).resolve().parent.parent
SHARED = (REPO.parent / "shared") if (REPO.parent / "shared").is_dir() else None
PG_ADMIN_URL = os.environ.get(
    "FACTCHECK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_PG = os.environ.get("FACTCHECK_REQUIRE_POSTGRES") == "1"

_real_connect = socket.socket.connect


def _is_loopback(address: Any) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX path: local by definition
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
        raise OSError(f"test tried to leave loopback: connect to {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for key in list(os.environ):
        if key.startswith(("OPENAI_", "FACTCHECK_")) and key not in (
            "FACTCHECK_REQUIRE_POSTGRES",
            "FACTCHECK_REQUIRE_BROWSER",
            "FACTCHECK_TEST_PG_URL",
        ):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", f"sqlite:///{tmp_path / 'factcheck.db'}")
    monkeypatch.setenv("FACTCHECK_REVIEWER", "tester")
    # The per-user default database (platformdirs) lands under tmp_path, never in ~.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.chdir(tmp_path)  # no stray .env or factcheck.db from the developer's folder
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    yield


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if SHARED is None:
        pytest.skip("../shared is not present")
    return SHARED


# --- databases --------------------------------------------------------------------


def _pg_available() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), connect_timeout=3):
            return None
    except Exception as exc:  # driver missing or server down
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str]:
    reason = _pg_available()
    if reason:
        if REQUIRE_PG:
            pytest.fail(f"FACTCHECK_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    name = f"fc_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = make_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _fresh_pg_url(template: str) -> tuple[str, Any]:
    name = f"fc_t_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", (admin, name)


def _drop_pg(handle: Any) -> None:
    admin, name = handle
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A migrated, empty database URL (also set as FACTCHECK_DATABASE_URL for the CLI)."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("_sqlite_template"), path)
        url = f"sqlite:///{path}"
        monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
        yield url
        return
    url, handle = _fresh_pg_url(request.getfixturevalue("_pg_template"))
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    try:
        yield url
    finally:
        _drop_pg(handle)


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    db = Database(make_engine(db_url))
    yield db
    db.dispose()


@pytest.fixture
def pg_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty (unmigrated) PostgreSQL database, for migration and concurrency tests."""
    reason = _pg_available()
    if reason:
        if REQUIRE_PG:
            pytest.fail(f"FACTCHECK_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    name = f"fc_e_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    try:
        yield url
    finally:
        _drop_pg((admin, name))
