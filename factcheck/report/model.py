"""What a report shows, as plain data: no ORM objects, no session, no lazy loading.

The loader fills these once; every renderer (Markdown, HTML, JSON, CSV, ClaimReview) is
a pure function of them, so a report can never issue a query per claim.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from factcheck.db.models import CLAIM_KINDS, CLAIM_STATUSES, SOURCE_TYPES
from factcheck.public import OPEN_STATUSES, SourceRecord
from factcheck.verdicts import VerdictScale

#: The source type shown for a claim the article makes in its own voice.
OWN_VOICE = "article"
#: The verdict column of a claim nobody has reviewed yet.
UNREVIEWED = "unreviewed"
#: How much of an untitled article's text is read to find its headline.
LEAD_CHARS = 200


@dataclass(slots=True)
class SourceInfo:
    id: int
    name: str
    type: str
    named: bool
    role: str | None
    #: Its history across the whole database (claims it asserts, relays, verdicts).
    record: SourceRecord
    #: How many claims of this report it asserts or relays.
    cited: int = 0


@dataclass(slots=True)
class SourceLink:
    """One link of a claim's relay chain (position 0 = the original asserter)."""

    source_id: int
    position: int
    name: str
    type: str
    named: bool
    role: str | None
    cue: str | None
    mention: str | None


@dataclass(slots=True)
class EvidenceItem:
    url: str
    title: str | None
    excerpt: str | None
    stance: str
    added_by: str


@dataclass(slots=True)
class PriorCheck:
    """A fact-check published elsewhere (an imported ClaimReview) whose verdict a claim
    reuses: published again, it is credited, never passed off as the desk's own."""

    claim_id: int  # the stored reference claim
    publisher: str | None
    publisher_url: str | None
    url: str | None
    date: str | None
    rating_text: str | None
    title: str | None


@dataclass(slots=True)
class ClaimRow:
    id: int
    article_id: int | None
    text: str
    quote: str
    start: int | None
    end: int | None
    kind: str
    hedged: bool
    status: str
    checkworthiness: float
    priority: float
    verdict: str | None
    verdict_label: str | None
    rating: int | None
    verdict_false: bool
    review_note: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    sources: list[SourceLink] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)
    #: The canonical claim of its group of repeats (None when it has no repeat).
    group_id: int | None = None
    #: The published fact-check its verdict was reused from, if any.
    based_on: PriorCheck | None = None

    @property
    def reviewed(self) -> bool:
        """A verdict was given: only these are published as ClaimReview."""
        return self.status == "reviewed" and self.verdict is not None

    @property
    def verdict_key(self) -> str:
        return self.verdict if self.reviewed and self.verdict else UNREVIEWED

    @property
    def origin(self) -> SourceLink | None:
        return self.sources[0] if self.sources else None

    @property
    def origin_type(self) -> str:
        return self.sources[0].type if self.sources else OWN_VOICE

    @property
    def quote_adds(self) -> bool:
        """Whether the verbatim quote says more than the standalone text (else not shown)."""

        def norm(t: str) -> str:
            return " ".join(t.split()).rstrip(".!?;:,").lower()

        return norm(self.quote) != norm(self.text)

    @property
    def relay_chain(self) -> str:
        """ "a Kremlin source → TASS", or the empty string for the article's own voice."""
        return " → ".join(s.name for s in self.sources)


@dataclass(slots=True)
class ArticleInfo:
    id: int
    title: str | None
    outlet: str | None
    author: str | None
    url: str | None
    published_at: datetime | None
    source_path: str | None
    language: str | None
    content_hash: str
    ingested_at: datetime
    #: Only article reports load the text (for highlighting); batch reports leave it empty.
    text: str | None = None
    #: The first characters of the text, for a title when the article has none.
    lead: str | None = None

    @property
    def display_title(self) -> str:
        """Its title; else its first line (plain-text files start with the headline)."""
        if self.title:
            return self.title
        first = next((ln.strip() for ln in (self.lead or "").splitlines() if ln.strip()), "")
        if first and len(first) <= LEAD_CHARS - 40:
            return first
        return self.source_path or self.url or f"Article #{self.id}"


@dataclass(slots=True)
class Organisation:
    """The fact-checking organisation that publishes the reviews (ClaimReview author)."""

    name: str
    url: str | None = None
    #: Where each fact check is published, with {claim_id} (and {article_id}) filled in.
    review_url_template: str | None = None
    #: Verdicts a source needs before its record shows a percentage (public.MIN_VERDICTS).
    min_verdicts: int = 5


@dataclass(slots=True)
class RunInfo:
    id: int
    command: str | None
    extractor: str
    model: str | None
    status: str
    started_at: datetime
    finished_at: datetime | None
    articles_new: int
    articles_skipped: int
    articles_failed: int
    claims_stored: int
    cost_usd: float


@dataclass(slots=True)
class Tally:
    """One labelled count, in the order a reader expects (the scale's, the schema's)."""

    key: str
    label: str
    count: int


@dataclass(slots=True)
class ReportBase:
    """What every report has: its claims, their sources, and how to name verdicts."""

    claims: list[ClaimRow]
    sources: list[SourceInfo]
    articles: dict[int, ArticleInfo]
    scale: VerdictScale
    organisation: Organisation
    generated_at: datetime
    #: Every article a group of repeats appears in (group id → articles, in any report),
    #: so one ClaimReview lists all the claim's appearances.
    appearances: dict[int, list[ArticleInfo]] = field(default_factory=dict)

    def verdict_label(self, key: str) -> str:
        """The scale's words for a verdict key; the key itself if the scale dropped it."""
        for v in self.scale.verdicts:
            if v.key == key:
                return v.label
        return key

    def verdict_tallies(self, counts: dict[str, int]) -> list[Tally]:
        """Verdict counts (a source's record) in scale order, then any the scale lacks."""
        order = {v.key: i for i, v in enumerate(self.scale.verdicts)}
        keys = sorted(counts, key=lambda k: (order.get(k, len(order)), k))
        return [Tally(k, self.verdict_label(k), counts[k]) for k in keys if counts[k]]

    @property
    def reviewed_claims(self) -> list[ClaimRow]:
        return [c for c in self.claims if c.reviewed]

    @property
    def unreviewed_count(self) -> int:
        return sum(1 for c in self.claims if not c.reviewed)

    def by_status(self) -> list[Tally]:
        counts = Counter(c.status for c in self.claims)
        return [Tally(s, s.replace("_", " "), counts[s]) for s in CLAIM_STATUSES]

    def by_verdict(self) -> list[Tally]:
        """Every verdict of the scale, then the claims still without one."""
        counts = Counter(c.verdict_key for c in self.claims)
        rows = [Tally(v.key, v.label, counts.pop(v.key, 0)) for v in self.scale.verdicts]
        # A verdict no longer on the (replaced) scale must still be counted, not dropped.
        unknown = {k: n for k, n in counts.items() if k != UNREVIEWED}
        rows.extend(Tally(k, k, n) for k, n in sorted(unknown.items()))
        rows.append(Tally(UNREVIEWED, "Unreviewed", counts.get(UNREVIEWED, 0)))
        return rows

    def by_kind(self) -> list[Tally]:
        counts = Counter(c.kind for c in self.claims)
        return [Tally(k, k, counts[k]) for k in CLAIM_KINDS]

    def by_source_type(self) -> list[Tally]:
        """Claims by the type of their original asserter; the article's own voice last."""
        counts = Counter(c.origin_type for c in self.claims)
        rows = [Tally(t, t, counts[t]) for t in SOURCE_TYPES]
        rows.append(Tally(OWN_VOICE, "article's own voice", counts[OWN_VOICE]))
        return rows

    def open_claims(self, limit: int = 10) -> list[ClaimRow]:
        """The most check-worthy claims still waiting for a reviewer."""
        pending = [c for c in self.claims if c.status in OPEN_STATUSES]
        pending.sort(key=lambda c: (-c.checkworthiness, -c.priority, c.id))
        return pending[:limit]

    def top_sources(self, limit: int = 10) -> list[SourceInfo]:
        ranked = sorted(self.sources, key=lambda s: (-s.cited, s.name.lower(), s.id))
        return ranked[:limit]


@dataclass(slots=True)
class ArticleReport(ReportBase):
    article: ArticleInfo | None = None
    kind: str = "article"


@dataclass(slots=True)
class ArticleSummary:
    """One line of the batch table."""

    article: ArticleInfo
    claims: int
    reviewed: int
    false: int
    open: int


@dataclass(slots=True)
class BatchReport(ReportBase):
    label: str = ""
    run: RunInfo | None = None
    since: datetime | None = None
    kind: str = "batch"

    def per_article(self) -> list[ArticleSummary]:
        rows = {
            a.id: ArticleSummary(article=a, claims=0, reviewed=0, false=0, open=0)
            for a in self.articles.values()
        }
        for c in self.claims:
            row = rows.get(c.article_id or -1)
            if row is None:
                continue
            row.claims += 1
            row.reviewed += c.reviewed
            row.false += c.reviewed and c.verdict_false
            row.open += c.status in OPEN_STATUSES
        return sorted(rows.values(), key=lambda r: r.article.id)


@dataclass(slots=True)
class SourceReport(ReportBase):
    source: SourceInfo | None = None
    kind: str = "source"


Report = ArticleReport | BatchReport | SourceReport
