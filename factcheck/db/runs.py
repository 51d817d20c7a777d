"""Extraction batches as the desk lists them: the latest runs and what failed in them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.db.models import ExtractionRun, RunError
from factcheck.public import RunPublic


def latest_runs(*, session: Session, limit: int = 20) -> list[ExtractionRun]:
    """The latest batches, newest first."""
    return list(
        session.scalars(
            select(ExtractionRun).order_by(ExtractionRun.started_at.desc()).limit(limit)
        ).all()
    )


def run_public(run: ExtractionRun) -> RunPublic:
    return RunPublic.model_validate(run, from_attributes=True)


def first_errors(
    *, session: Session, run_ids: Sequence[int], per_run: int = 5
) -> dict[int, list[RunError]]:
    """Up to `per_run` failed inputs of each run, in the order they failed (one query per run:
    a page shows a handful of runs)."""
    return {
        run_id: list(
            session.scalars(
                select(RunError)
                .where(RunError.run_id == run_id)
                .order_by(RunError.id)
                .limit(per_run)
            ).all()
        )
        for run_id in run_ids
    }
