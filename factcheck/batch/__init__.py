"""`factcheck check`: many articles in one resumable, parallel, summarised batch."""

from factcheck.batch.runner import BatchOptions, run_batch
from factcheck.batch.summary import BatchSummary

__all__ = ["BatchOptions", "BatchSummary", "run_batch"]
