"""Extraction of one article, in the main process, a worker process or a coroutine.

An extractor failure never escapes as an exception: it comes back as an Outcome with
the message, because exceptions with keyword arguments (our FactcheckError) do not
survive the trip between processes intact.

Workers die with the batch. A pool's workers wait on a queue whose pipe they hold both
ends of, so a `kill -9` of the batch process never gives them end-of-file: they, the
forkserver that forked them and the resource tracker used to run for ever. Each worker
now runs a watchdog thread that checks the batch process (by pid *and* start time, so a
reused pid does not fool it) twice a second; when it is gone the worker ends the
forkserver it came from and itself. On Linux the worker also asks the kernel for
SIGKILL when its parent (the forkserver) dies.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any

from factcheck.config import Settings
from factcheck.errors import FactcheckError
from factcheck.extract.base import Extractor
from factcheck.extract.registry import get_extractor
from factcheck.ingest.document import ArticleInput
from factcheck.schema import ExtractionResult, Usage


@dataclass
class Outcome:
    """An extraction result, or the reason there is none; usage counts either way."""

    result: ExtractionResult | None
    error: str | None = None
    seconds: float = 0.0
    usage: Usage | None = None


def _failure(exc: BaseException, started: float) -> Outcome:
    if isinstance(exc, FactcheckError):
        message = exc.message
    else:  # an extractor bug: say what, so it can be reported
        message = f"extractor crashed: {type(exc).__name__}: {exc}"
    usage = getattr(exc, "usage", None)
    return Outcome(
        result=None,
        error=message,
        seconds=time.perf_counter() - started,
        usage=usage if isinstance(usage, Usage) else None,
    )


def extract_one(extractor: Extractor, article: ArticleInput) -> Outcome:
    started = time.perf_counter()
    try:
        result = extractor.extract(article)
    except Exception as exc:
        return _failure(exc, started)
    return Outcome(result=result, seconds=time.perf_counter() - started, usage=result.usage)


async def aextract_one(extractor: Any, article: ArticleInput) -> Outcome:
    """Await `extractor.aextract` when it has one, else run `extract` in a thread."""
    import asyncio

    started = time.perf_counter()
    try:
        if hasattr(extractor, "aextract"):
            result = await extractor.aextract(article)
        else:
            result = await asyncio.to_thread(extractor.extract, article)
    except Exception as exc:
        return _failure(exc, started)
    return Outcome(result=result, seconds=time.perf_counter() - started, usage=result.usage)


_worker_extractor: Extractor | None = None


WATCH_INTERVAL = 0.5  # seconds between checks that the batch process is alive


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks (/proc/PID/stat field 22); None without /proc."""
    try:
        stat = open(f"/proc/{pid}/stat", encoding="ascii", errors="replace").read()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    # fields[0] is field 3 (state); field 22 (starttime) is fields[19].
    return fields[19] if len(fields) > 19 and fields[0] not in ("Z", "X") else "gone"


def parent_alive(pid: int, started: str | None) -> bool:
    """Whether the process `pid` that started at `started` still runs (a zombie does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else: a reused pid; the start time decides
    if started is None:
        return True  # no /proc: existence is all we can know
    return _start_time(pid) == started


def _watch(pid: int, started: str | None) -> None:
    while parent_alive(pid, started):
        time.sleep(WATCH_INTERVAL)
    forkserver = os.getppid()
    if forkserver not in (1, pid):
        try:  # it was forked for the dead batch alone and would wait for ever too
            os.kill(forkserver, signal.SIGKILL)
        except OSError:
            pass
    os._exit(1)


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent process ends (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def watch_batch(pid: int) -> None:
    """Make this worker process end when the batch process `pid` does."""
    _die_with_parent()
    started = _start_time(pid)
    threading.Thread(target=_watch, args=(pid, started), name="watch-batch", daemon=True).start()


def init_worker(
    name: str,
    settings: Settings,
    options: dict[str, Any],
    factory: Any,
    batch_pid: int | None = None,
) -> None:
    """Process-pool initializer: tie the worker to the batch, build the extractor once."""
    global _worker_extractor
    if batch_pid is not None:
        watch_batch(batch_pid)
    _worker_extractor = (
        factory() if factory is not None else get_extractor(name, settings, **options)
    )


def extract_in_worker(article: ArticleInput) -> Outcome:
    if _worker_extractor is None:  # pragma: no cover - the initializer always ran
        return Outcome(result=None, error="worker has no extractor")
    return extract_one(_worker_extractor, article)
