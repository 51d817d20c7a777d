"""`--max-cost`: stop before the next article's estimated LLM spend would pass the cap.

Used by `factcheck extract` (one article at a time) and by the batch (several in flight,
whose estimates are reserved until their real cost is known), so the rule is written once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from factcheck.ingest.document import ArticleInput


@dataclass(frozen=True)
class CostCap:
    """A spending cap in USD (None: no cap) and the extractor's estimate of an article."""

    max_cost: float | None
    estimator: Callable[[ArticleInput], float] | None = None

    @classmethod
    def of(cls, extractor: Any, max_cost: float | None) -> CostCap:
        estimate = getattr(extractor, "estimate_cost", None)
        return cls(max_cost, estimate if callable(estimate) else None)

    @property
    def active(self) -> bool:
        return self.max_cost is not None

    def estimate(self, article: ArticleInput) -> float:
        """What the next article is expected to cost (0 without a cap or an estimate)."""
        if self.max_cost is None or self.estimator is None:
            return 0.0
        return float(self.estimator(article))

    def fits(self, *, spent: float, next_cost: float, reserved: float = 0.0) -> bool:
        """Whether an article of `next_cost` may start after `spent`, with `reserved`
        already promised to articles in flight."""
        return self.max_cost is None or spent + reserved + next_cost <= self.max_cost
