"""Run records: who owns a running batch, stale runs after a crash, small shared helpers."""

from __future__ import annotations

import os
import re
import socket
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from factcheck.db.models import ExtractionRun
from factcheck.db.session import Database

_OWNER = re.compile(r"\[pid (\d+) on (.+)\]$")


def owner_tag() -> str:
    return f"[pid {os.getpid()} on {socket.gethostname()}]"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def stop_stale_runs(*, db: Database) -> list[int]:
    """Mark `running` runs whose process on this machine is gone as `stopped`.

    A run started elsewhere, or whose process still lives, is left alone: it may be a
    batch running right now.
    """
    host = socket.gethostname()
    stopped: list[int] = []
    with db.session() as session:
        for run in session.scalars(select(ExtractionRun).where(ExtractionRun.status == "running")):
            match = _OWNER.search(run.command or "")
            if not match or match.group(2) != host or _pid_alive(int(match.group(1))):
                continue
            run.status = "stopped"
            run.finished_at = datetime.now(UTC)
            run.error = "the batch process ended without finishing (killed or crashed)"
            stopped.append(run.id)
    return stopped


def host_only(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def db_message(exc: SQLAlchemyError) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return "database refused the article: " + (text.splitlines()[0] if text else type(exc).__name__)
