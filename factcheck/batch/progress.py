"""Progress of a batch: a Rich bar on a terminal, plain timestamped lines in logs and CI."""

from __future__ import annotations

import time
from typing import IO, Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from factcheck.batch.stats import BatchStats


class BatchProgress(Protocol):
    def start(self, total: int) -> None: ...

    def update(self, stats: BatchStats) -> None: ...

    def error(self, location: str, message: str) -> None: ...

    def stop(self, stats: BatchStats) -> None: ...


class NullProgress:
    """No progress output (library use, tests)."""

    def start(self, total: int) -> None:
        pass

    def update(self, stats: BatchStats) -> None:
        pass

    def error(self, location: str, message: str) -> None:
        pass

    def stop(self, stats: BatchStats) -> None:
        pass


class RichProgress:
    """A live bar: articles done of expected, articles/s, claims found, errors."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("checking"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} articles/s"),
            TextColumn("{task.fields[claims]} claims"),
            TextColumn("[red]{task.fields[errors]} errors"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.task: TaskID | None = None

    def start(self, total: int) -> None:
        self.progress.start()
        self.task = self.progress.add_task("check", total=total, rate=0.0, claims=0, errors=0)

    def update(self, stats: BatchStats) -> None:
        if self.task is None:
            return
        self.progress.update(
            self.task,
            completed=stats.done,
            total=max(stats.expected, stats.done),
            rate=stats.rate,
            claims=stats.claims,
            errors=stats.failed,
        )

    def error(self, location: str, message: str) -> None:
        self.progress.console.print(f"[red]error[/red] {location}: {message}", highlight=False)

    def stop(self, stats: BatchStats) -> None:
        self.update(stats)
        self.progress.stop()


class PlainProgress:
    """One line every few seconds (and one per error) for logs that are not a terminal."""

    def __init__(self, stream: IO[str], *, every: float = 5.0) -> None:
        self.stream = stream
        self.every = every
        self.last = 0.0
        self.total = 0

    def _line(self, stats: BatchStats) -> None:
        total = max(stats.expected, stats.done)
        self.stream.write(
            f"[{stats.done}/{total}] {stats.rate:.1f} articles/s, {stats.new} new, "
            f"{stats.skipped} skipped, {stats.failed} failed, {stats.claims} claims\n"
        )
        self.stream.flush()

    def start(self, total: int) -> None:
        self.total = total
        self.last = time.monotonic()
        self.stream.write(f"checking about {total} article(s)\n")
        self.stream.flush()

    def update(self, stats: BatchStats) -> None:
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self._line(stats)

    def error(self, location: str, message: str) -> None:
        self.stream.write(f"error {location}: {message}\n")
        self.stream.flush()

    def stop(self, stats: BatchStats) -> None:
        self._line(stats)


def make_progress(console: Console, *, enabled: bool = True) -> BatchProgress:
    """Rich bar when `console` is a terminal, plain lines otherwise, nothing if disabled."""
    if not enabled:
        return NullProgress()
    if console.is_terminal:
        return RichProgress(console)
    return PlainProgress(console.file)
