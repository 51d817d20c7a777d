"""`python -m tests.batch.kill_target URL PATH JOBS [fast]`: a batch to kill -9 (tests, bench).

Uses the slow fake extractor so that the batch is still running when it is killed
(`fast`: the plain fake, for bench/bench_hardening.py's bad-input corpus).
"""

from __future__ import annotations

import sys

from factcheck.batch.runner import BatchOptions, run_batch
from factcheck.config import load_settings
from factcheck.db.session import Database, make_engine
from tests.batch.fakes import make_fake, make_slow_fake


def main() -> None:
    url, folder, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    db = Database(make_engine(url))
    factory = make_fake if sys.argv[4:] == ["fast"] else make_slow_fake
    options = BatchOptions(paths=[folder], jobs=jobs, extractor_factory=factory)
    summary = run_batch(db=db, settings=load_settings(database_url=url), options=options)
    print(summary.status, summary.articles["new"])


if __name__ == "__main__":
    main()
