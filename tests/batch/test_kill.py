"""kill -9 of a parallel batch: no worker, forkserver or resource tracker outlives it,
and the rerun finishes the batch without losing or duplicating an article."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from factcheck.db.models import Article, ArticleExtraction
from factcheck.db.session import Database, make_engine
from tests.conftest import REPO


def descendants(pid: int) -> set[int]:
    """Every live process below `pid`, from /proc (children re-parented to init excluded)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[-1].split()
            if fields[0] != "Z":
                parents[int(entry)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


def _count(url: str) -> tuple[int, int]:
    db = Database(make_engine(url))
    with db.session() as s:
        n = (
            int(s.scalar(select(func.count(Article.id))) or 0),
            int(s.scalar(select(func.count(ArticleExtraction.id))) or 0),
        )
    db.dispose()
    return n


def _folder(root: Path, n: int) -> Path:
    root.mkdir()
    for i in range(n):
        (root / f"a{i:03}.txt").write_text(f"Article {i}: the mayor said {i} bridges will reopen.")
    return root


@pytest.mark.slow
def test_kill_9_leaves_no_process_and_the_rerun_completes(db_url: str, tmp_path: Path) -> None:
    folder = _folder(tmp_path / "in", 60)
    cmd = [sys.executable, "-m", "tests.batch.kill_target", db_url, str(folder), "2"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    tree: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _count(db_url)[1] < 3:
        tree |= descendants(proc.pid)
        time.sleep(0.2)
    tree |= descendants(proc.pid)
    assert proc.poll() is None, "the batch ended before it could be killed"
    assert len(tree) >= 3  # two workers, the forkserver (and the resource tracker)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30
    while alive(tree) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = alive(tree)
    for pid in left:  # do not leak them into the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert left == set(), "processes outlived the killed batch"
    partial = _count(db_url)
    assert partial[0] == partial[1] < 60  # whole articles only
    rerun = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert _count(db_url) == (60, 60)  # none lost, none duplicated
