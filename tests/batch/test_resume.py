"""Crash and resume: a batch killed with SIGKILL mid-way, run again, ends complete and exact."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from factcheck.db.models import Article, ArticleExtraction, Claim, ExtractionRun
from factcheck.db.session import Database

REPO = Path(__file__).resolve().parents[2]
ARTICLES = 30
CLAIMS_EACH = 3

SCRIPT = """
import json, sys
from factcheck.batch.runner import BatchOptions, run_batch
from factcheck.config import load_settings
from factcheck.db.session import Database, make_engine
from tests.batch import fakes

def main():
    url, folder, jobs, speed = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    factory = fakes.make_slow_fake if speed == "slow" else fakes.make_fake
    db = Database(make_engine(url))
    options = BatchOptions(paths=[folder], jobs=jobs, extractor_factory=factory, window=2)
    summary = run_batch(db=db, settings=load_settings(database_url=url), options=options)
    print(json.dumps(summary.as_dict()))

if __name__ == "__main__":  # worker processes import this file too
    main()
"""


def _batch(
    tmp_path: Path, db_url: str, folder: Path, jobs: int, speed: str
) -> subprocess.Popen[str]:
    script = tmp_path / "batch.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(script), db_url, str(folder), str(jobs), speed],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: SIGKILL takes the workers too
    )


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("jobs", [1, 2])
def test_sigkill_mid_batch_then_rerun_finishes_exactly(
    database: Database, db_url: str, tmp_path: Path, jobs: int
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for i in range(ARTICLES):
        (folder / f"{i:03}.txt").write_text(
            f"Story {i} begins here. Mayor Lee said {i} roads closed. The end of story {i}."
        )
    proc = _batch(tmp_path, db_url, folder, jobs, "slow")
    deadline = time.monotonic() + 60
    while _count(database, ArticleExtraction) < 5:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the batch never got going"
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    done = _count(database, ArticleExtraction)
    assert 5 <= done < ARTICLES, "the kill should land mid-batch"
    # Only whole articles survive the kill: each stored article has its extraction and
    # all its claims, and nothing else is there.
    assert _count(database, Article) == done
    assert _count(database, Claim) == done * CLAIMS_EACH
    with database.session() as s:
        (killed_run,) = s.scalars(select(ExtractionRun)).all()
        assert killed_run.status == "running"

    rerun = _batch(tmp_path, db_url, folder, jobs, "fast")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    summary = json.loads(out)
    assert summary["articles"]["new"] == ARTICLES - done
    assert summary["articles"]["skipped_already_extracted"] == done
    assert summary["claims"] == (ARTICLES - done) * CLAIMS_EACH
    assert any(f"#{killed_run.id}" in note for note in summary["notes"])

    assert _count(database, Article) == ARTICLES
    assert _count(database, ArticleExtraction) == ARTICLES
    assert _count(database, Claim) == ARTICLES * CLAIMS_EACH
    with database.session() as s:
        distinct_spans = s.execute(
            select(func.count()).select_from(
                select(Claim.article_id, Claim.start).distinct().subquery()
            )
        ).scalar()
        assert distinct_spans == ARTICLES * CLAIMS_EACH
        statuses = dict(s.execute(select(ExtractionRun.id, ExtractionRun.status)).tuples().all())
    assert statuses == {killed_run.id: "stopped", summary["run_id"]: "finished"}
