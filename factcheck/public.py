"""The public shapes of the desk's resources: what the CLI prints and the API returns.

One pydantic model per resource, built from database rows in one place per resource
(`factcheck.db.claims`, `.sources`, `.articles`, `.runs`). `factcheck claims show 17
--format json` and `GET /api/claims/17` serialise the same `ClaimDetailPublic`, so a
script sees one JSON whichever door it uses (tests/test_public_shapes.py holds them to it).

The claim's status set lives here too, because every layer speaks it: the database's
check constraint, the queue's filters, the state machine's table and the web's badges.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from factcheck.schema import ClaimKind, SourceType


class ClaimStatus(StrEnum):
    """Where a claim is in review (the transitions: factcheck.workflow.review)."""

    new = "new"  # extracted, waiting in the queue
    in_review = "in_review"  # leased by a reviewer until the lease expires
    needs_info = "needs_info"  # parked until more information arrives
    reviewed = "reviewed"  # has a verdict from the scale
    skipped = "skipped"  # not checkable or not worth checking
    rejected = "rejected"  # not a claim at all (an extractor error), with the reason


STATUSES: tuple[ClaimStatus, ...] = tuple(ClaimStatus)
# Still waiting for someone: what "the queue" means to a reviewer.
OPEN_STATUSES: tuple[ClaimStatus, ...] = (
    ClaimStatus.new,
    ClaimStatus.in_review,
    ClaimStatus.needs_info,
)


class VerdictPublic(BaseModel):
    key: str
    label: str
    rating: int | None


class ArticleRef(BaseModel):
    """The article a claim comes from, as much as a list needs."""

    id: int
    title: str | None
    url: str | None
    outlet: str | None
    published_at: datetime | None


class SourceLink(BaseModel):
    """One link of the relay chain: position 0 asserts, later positions relay."""

    id: int
    name: str
    type: SourceType
    named: bool
    role: str | None
    cue: str | None
    position: int


class ClaimPublic(BaseModel):
    """A claim as the queue and lists show it."""

    id: int
    text: str
    quote: str
    start: int | None
    end: int | None
    kind: ClaimKind
    hedged: bool
    status: ClaimStatus
    priority: float
    checkworthiness: float
    verdict: VerdictPublic | None
    review_note: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    assigned_to: str | None
    lease_expires_at: datetime | None
    group_id: int | None
    origin: str
    version: int = Field(description="Send it back as expected_version when writing.")
    article: ArticleRef | None
    sources: list[SourceLink]
    edited_by: str | None = Field(default=None, description="Who last corrected it.")
    edited_at: datetime | None = None
    added_by_reviewer: bool = Field(default=False, description="Added from a span by a person.")


class ContextPublic(BaseModel):
    """The quote with some article text around it."""

    before: str
    quote: str
    after: str


class EvidencePublic(BaseModel):
    id: int
    url: str
    stance: str
    title: str | None
    excerpt: str | None
    added_by: str
    added_at: datetime


class EventPublic(BaseModel):
    """One audit-trail entry: who did what, when, from which status to which."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    id: int
    at: datetime
    actor: str
    action: str
    from_status: str | None = Field(alias="from")
    to_status: str | None = Field(alias="to")
    note: str | None
    data: dict[str, Any] | None


class PriorityPartPublic(BaseModel):
    name: str
    value: float
    why: str


class MatchPublic(BaseModel):
    """One match of a claim, seen from that claim."""

    match_id: int
    claim_id: int  # the other claim
    text: str
    score: float
    method: str
    status: str
    origin: str
    claim_status: ClaimStatus
    verdict: str | None
    group_id: int | None
    suggestion: str | None
    decided_by: str | None
    reference: dict[str, Any] | None


class ClaimDetailPublic(ClaimPublic):
    """A claim with its article context, evidence, history, priority and repeats."""

    context: ContextPublic
    evidence: list[EvidencePublic]
    events: list[EventPublic]
    group_size: int
    priority_now: float | None
    priority_parts: list[PriorityPartPublic]
    matches: list[MatchPublic]


# Below this many verdicts a source's record is shown as counts ("2 of 3 false"), never as a
# percentage: one verdict is no "100 % false" (setting: track_record_min_verdicts).
MIN_VERDICTS = 5


def wilson_interval(hits: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval (95% by default) of a share `hits / n`; None when n = 0.

    Unlike the plain share it stays wide for few verdicts: 1 of 1 false is 21–100%.
    """
    if n <= 0:
        return None
    p = hits / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


class SourceRecord(BaseModel):
    """What the desk knows about one source's claims (its track record)."""

    id: int
    name: str
    type: SourceType
    named: bool
    role: str | None
    claims: int = 0  # claims it asserts (first in the relay chain)
    relayed: int = 0  # claims it passes on from someone else
    reviewed: int = 0  # asserted claims with a verdict
    false: int = 0  # asserted claims whose verdict counts as false
    statuses: dict[str, int] = Field(default_factory=dict)
    verdicts: dict[str, int] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def share_false(self) -> float | None:
        """False verdicts over all verdicts; None before the first verdict."""
        return round(self.false / self.reviewed, 4) if self.reviewed else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def false_interval(self) -> list[float] | None:
        """The 95% Wilson interval of the share false; None before the first verdict."""
        found = wilson_interval(self.false, self.reviewed)
        return [round(found[0], 4), round(found[1], 4)] if found else None

    def describe(self, min_verdicts: int = MIN_VERDICTS) -> str:
        """The record as people should read it: always the counts, a percentage (with its
        interval) only from `min_verdicts` verdicts on."""
        if not self.reviewed:
            return "no verdicts yet"
        counts = f"{self.false} of {self.reviewed} false"
        if self.reviewed < max(1, min_verdicts) or self.false_interval is None:
            return counts
        low, high = self.false_interval
        share = self.false / self.reviewed
        return f"{counts} ({share:.0%}, 95% CI {100 * low:.0f}–{high:.0%})"


class SourceClaim(BaseModel):
    """A claim a source asserts (position 0) or relays."""

    id: int
    text: str
    status: ClaimStatus
    verdict: str | None
    position: int
    cue: str | None
    article_id: int | None


class SourceRef(BaseModel):
    id: int
    name: str


class SourcePublic(BaseModel):
    """A source with its aliases, record and the claims it asserts or relays."""

    id: int
    name: str
    type: SourceType
    named: bool
    role: str | None
    merged_into_id: int | None
    aliases: list[str]
    merged_from: list[SourceRef]
    record: SourceRecord
    claims: list[SourceClaim]
    scope: int = Field(default=0, description="0: desk-wide; an article id: that story's own")
    version: int = Field(default=1, description="Send it back as expected_version when editing.")


class ArticleSummary(BaseModel):
    """An article as the article list shows it."""

    id: int
    title: str | None
    outlet: str | None
    url: str | None
    source_path: str | None
    published_at: datetime | None
    ingested_at: datetime
    chars: int
    claims: int
    content_hash: str


class ArticlePublic(BaseModel):
    """An article's text and metadata with all its claims."""

    id: int
    title: str | None
    url: str | None
    outlet: str | None
    author: str | None
    published_at: datetime | None
    ingested_at: datetime
    content_hash: str
    text: str
    claims: list[ClaimPublic]
    version: int = Field(default=1, description="Send it back as expected_version when editing.")
    done_by: str | None = None
    done_at: datetime | None = None


class RunPublic(BaseModel):
    """One extraction batch (`factcheck check`): what ran, what it stored, what it cost."""

    model_config = ConfigDict(from_attributes=True)

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


# --- lists and search (factcheck.db.lists, factcheck.db.search) -------------------------


class PriorCheckPublic(BaseModel):
    """A fact-check already published of this claim (an imported ClaimReview), as matched."""

    claim_id: int  # the reference claim holding the imported fact-check
    match_id: int
    match_status: str  # auto, suggested or accepted (rejected matches are not priors)
    score: float
    publisher: str | None
    rating: str | None  # the publisher's own rating text ("Mostly false")
    url: str | None
    date: str | None
    verdict: VerdictPublic | None  # the rating mapped onto the desk's scale


class ClaimBadgesPublic(BaseModel):
    """What a list flags about a claim: its repeats and the fact-checks already published."""

    repeats: int = Field(0, description="Other claims in its matching group.")
    prior_checks: list[PriorCheckPublic] = Field(default_factory=list)


class ClaimPagePublic(BaseModel):
    """One page of a filtered, sorted claim list, with the total over all pages.

    The items are the one public claim shape (what `factcheck queue --format json`
    prints); `badges` adds, by claim id, the repeat count and prior fact-checks of the
    claims that have any.
    """

    items: list[ClaimPublic]
    badges: dict[int, ClaimBadgesPublic] = Field(default_factory=dict)
    total: int
    limit: int
    offset: int
    has_more: bool
    total_capped: bool = Field(
        False, description="The count stopped at `total`: there are more than that."
    )


class ArticlePagePublic(BaseModel):
    items: list[ArticleSummary]
    total: int
    limit: int
    offset: int
    has_more: bool


class SourceHitPublic(BaseModel):
    """A source as a search result: who, and how many claims it asserts or relays."""

    id: int
    name: str
    type: SourceType
    named: bool
    role: str | None
    claims: int
    relayed: int


class SourcePagePublic(BaseModel):
    items: list[SourceHitPublic]
    total: int
    limit: int
    offset: int
    has_more: bool


class SearchPublic(BaseModel):
    """`GET /api/search?q=` and the search page: the best hits of each kind, with totals."""

    q: str
    claims: ClaimPagePublic
    articles: ArticlePagePublic
    sources: SourcePagePublic


class GroupVerdictPublic(BaseModel):
    """What applying a group verdict did (`claims apply-group --format json`'s keys)."""

    canonical_id: int
    verdict: str
    applied: list[int]
    skipped: dict[str, str]  # claim id -> why it was left alone
