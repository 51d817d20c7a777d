"""Request and response shapes of the JSON API (they are its OpenAPI document).

Claim shapes mirror `factcheck.db.claims.claim_dict` / `detail_dict`, so a script sees
the same JSON from `factcheck claims show --format json` and from `GET /api/claims/{id}`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from factcheck.review import EvidenceInput


class SourceLinkOut(BaseModel):
    """One link of the relay chain: position 0 asserts, later positions relay."""

    id: int
    name: str
    type: str
    named: bool
    role: str | None
    cue: str | None
    position: int


class VerdictOut(BaseModel):
    key: str
    label: str
    rating: int | None


class ArticleRefOut(BaseModel):
    id: int
    title: str | None
    url: str | None
    outlet: str | None
    published_at: datetime | None


class ClaimOut(BaseModel):
    """A claim as `factcheck queue next --format json` prints it."""

    id: int
    text: str
    quote: str
    start: int | None
    end: int | None
    kind: str
    hedged: bool
    status: str
    priority: float
    checkworthiness: float
    verdict: VerdictOut | None
    review_note: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    assigned_to: str | None
    lease_expires_at: datetime | None
    group_id: int | None
    origin: str
    version: int = Field(description="Send it back as expected_version when writing.")
    article: ArticleRefOut | None
    sources: list[SourceLinkOut]


class EvidenceOut(BaseModel):
    id: int
    url: str
    stance: str
    title: str | None
    excerpt: str | None
    added_by: str
    added_at: datetime


class EventOut(BaseModel):
    """One audit-trail entry: who did what, when, from which status to which."""

    model_config = ConfigDict(populate_by_name=True)

    id: int
    at: datetime
    actor: str
    action: str
    from_status: str | None = Field(alias="from")
    to_status: str | None = Field(alias="to")
    note: str | None
    data: dict[str, Any] | None


class ContextOut(BaseModel):
    before: str
    quote: str
    after: str


class PriorityPartOut(BaseModel):
    name: str
    value: float
    why: str


class ClaimDetailOut(ClaimOut):
    """A claim with its article context, evidence, history and priority explanation."""

    context: ContextOut
    evidence: list[EvidenceOut]
    events: list[EventOut]
    group_size: int
    priority_now: float | None
    priority_parts: list[PriorityPartOut]


class ClaimListOut(BaseModel):
    items: list[ClaimOut]
    limit: int
    offset: int
    has_more: bool


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


class SourceOut(BaseModel):
    id: int
    name: str
    type: str
    named: bool
    role: str | None
    merged_into_id: int | None
    aliases: list[str]
    record: dict[str, Any] = Field(description="Track record: claims, reviewed, false, ...")
    claims: list[dict[str, Any]]


class ArticleOut(BaseModel):
    id: int
    title: str | None
    url: str | None
    outlet: str | None
    author: str | None
    published_at: datetime | None
    ingested_at: datetime
    content_hash: str
    text: str
    claims: list[ClaimOut]


class BatchOut(BaseModel):
    id: int
    command: str | None
    extractor_name: str
    extractor_version: str
    model: str | None
    prompt_version: str | None
    status: str
    started_at: datetime
    finished_at: datetime | None
    articles_new: int
    articles_skipped: int
    articles_failed: int
    claims_stored: int
    llm_calls: int
    cache_hits: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    error: str | None


class MeOut(BaseModel):
    name: str
