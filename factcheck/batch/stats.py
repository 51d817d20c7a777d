"""Running counters of a batch, shared by the runner, the progress display and the summary."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from factcheck.schema import Usage


@dataclass
class BatchStats:
    """What a batch has done so far (this invocation only)."""

    started: float = field(default_factory=time.monotonic)
    expected: int = 0
    new: int = 0
    skipped_existing: int = 0  # already extracted by this extractor version
    skipped_duplicate: int = 0  # the same text twice in this batch
    skipped_since: int = 0  # published before --since
    skipped_cost: int = 0  # not started: --max-cost reached
    failed: int = 0
    ignored: int = 0  # files in folders that are not articles
    claims: int = 0
    fallbacks: int = 0  # LLM articles done by the fallback extractor
    matched_auto: int = 0  # claims that joined a group of repeats
    matched_suggested: int = 0  # match suggestions left for a reviewer
    kept_people: int = 0  # earlier claims people worked on, kept over a re-extraction
    suppressed: int = 0  # new machine claims overlapping those, not stored
    replaced: int = 0  # earlier untouched machine claims replaced by a re-extraction
    kinds: Counter[str] = field(default_factory=Counter)
    usage: Usage = field(default_factory=Usage)
    ignored_examples: list[str] = field(default_factory=list)
    cost_limit_hit: bool = False

    @property
    def skipped(self) -> int:
        return (
            self.skipped_existing + self.skipped_duplicate + self.skipped_since + self.skipped_cost
        )

    @property
    def done(self) -> int:
        return self.new + self.skipped + self.failed

    @property
    def elapsed(self) -> float:
        return max(time.monotonic() - self.started, 1e-9)

    @property
    def rate(self) -> float:
        """Articles handled per second (new, skipped and failed alike)."""
        return self.done / self.elapsed

    def add_usage(self, usage: Usage | None) -> None:
        self.usage = self.usage + usage
