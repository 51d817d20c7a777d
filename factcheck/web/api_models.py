"""Request shapes of the JSON API, and the envelopes around its responses.

The resources themselves (claims, sources, articles, batches) are the public shapes of
factcheck.public, the same objects the CLI prints with `--format json`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, HttpUrl

from factcheck.workflow.review import EvidenceInput


class QueueNextIn(BaseModel):
    """Narrow "take next" like the queue page's filters (all optional)."""

    source_types: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)
    article_ids: list[int] = Field(default_factory=list)


class EvidenceIn(BaseModel):
    url: HttpUrl
    stance: Literal["supports", "refutes", "context"] = "context"
    title: str | None = Field(default=None, max_length=1024)
    excerpt: str | None = Field(default=None, max_length=20000)

    def as_input(self) -> EvidenceInput:
        return EvidenceInput(
            url=str(self.url), stance=self.stance, title=self.title, excerpt=self.excerpt
        )


class ReviewIn(BaseModel):
    """A review decision. `review` needs a verdict of the configured scale."""

    expected_version: int = Field(description="The claim's `version` when you read it.")
    action: Literal["review", "needs_info", "skip", "reopen"] = "review"
    verdict: str | None = Field(default=None, max_length=64)
    note: str | None = Field(default=None, max_length=20000)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=50)


class EvidenceListIn(BaseModel):
    evidence: list[EvidenceIn] = Field(min_length=1, max_length=50)


class ReleaseIn(BaseModel):
    expected_version: int | None = None


class MeOut(BaseModel):
    name: str
