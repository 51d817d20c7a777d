"""The whole product's tables (SQLAlchemy 2 typed ORM).

Later features add behaviour, not tables. The pydantic contract in factcheck.schema is
separate; mapping between the two lives in the modules that store and load claims.
Timestamps are UTC and always timezone-aware when read back (SQLite included).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from factcheck.public import STATUSES
from factcheck.schema import ClaimKind, SourceType


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """DateTime that is stored as UTC and comes back timezone-aware on every backend.

    SQLite has no timezone type and would hand back naive datetimes, which compare
    wrongly with aware ones (lease expiry, --since).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The value sets of the check constraints come from the enums every layer uses.
CLAIM_STATUSES: tuple[str, ...] = tuple(s.value for s in STATUSES)
SOURCE_TYPES: tuple[str, ...] = tuple(t.value for t in SourceType)
CLAIM_KINDS: tuple[str, ...] = tuple(k.value for k in ClaimKind)
# The `extractor` of a claim a reviewer added from a span of its article.
REVIEWER_EXTRACTOR = "reviewer"
STANCES = ("supports", "refutes", "context")
MATCH_STATUSES = ("auto", "suggested", "accepted", "rejected")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Article(Base):
    """One news article as read, deduplicated by the SHA-256 of its normalised text."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_path: Mapped[str | None] = mapped_column(String(2048))
    url: Mapped[str | None] = mapped_column(String(2048))
    title: Mapped[str | None] = mapped_column(String(1024))
    outlet: Mapped[str | None] = mapped_column(String(256))
    author: Mapped[str | None] = mapped_column(String(512))
    published_at: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(80), unique=True)
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic lock for reviewers' edits of the metadata (factcheck.workflow.corrections).
    version: Mapped[int] = mapped_column(Integer, default=1)
    # A reviewer's explicit "every claim of this article is right": it becomes gold.
    done_by: Mapped[str | None] = mapped_column(String(128))
    done_at: Mapped[datetime | None]

    claims: Mapped[list[Claim]] = relationship(back_populates="article")

    __table_args__ = (Index("ix_articles_published_at", "published_at"),)


class ExtractionRun(Base):
    """One invocation of `factcheck check` (or `extract`): what ran, with what, at what cost."""

    __tablename__ = "extraction_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    command: Mapped[str | None] = mapped_column(Text)
    extractor_name: Mapped[str] = mapped_column(String(64))
    extractor_version: Mapped[str] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(256))
    # Host only: a base URL may carry credentials in its userinfo or query.
    base_url_host: Mapped[str | None] = mapped_column(String(256))
    prompt_version: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="running")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    articles_new: Mapped[int] = mapped_column(default=0)
    articles_skipped: Mapped[int] = mapped_column(default=0)
    articles_failed: Mapped[int] = mapped_column(default=0)
    claims_stored: Mapped[int] = mapped_column(default=0)
    llm_calls: Mapped[int] = mapped_column(default=0)
    cache_hits: Mapped[int] = mapped_column(default=0)
    prompt_tokens: Mapped[int] = mapped_column(default=0)
    completion_tokens: Mapped[int] = mapped_column(default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(_in("status", ("running", "finished", "failed", "stopped")), name="status"),
        Index("ix_extraction_runs_started_at", "started_at"),
    )


def extraction_key(
    name: str, version: str, model: str | None = None, prompt_version: str | None = None
) -> str:
    """What an extraction is keyed by: extractor, its version, the model and the prompt
    version, so a better model or a new prompt re-extracts instead of skipping."""
    return "|".join((name, version, model or "", prompt_version or ""))[:512]


def _key_of_row(context: Any) -> str:
    # A row written without a key (a test, a script) still gets the one its fields give,
    # so two extractions of one article by different versions never collide on "".
    row = context.get_current_parameters()
    return extraction_key(
        row["extractor_name"], row["extractor_version"], row.get("model"), row.get("prompt_version")
    )


class ArticleExtraction(Base):
    """An article extracted by one extractor, version, model and prompt version (`key`);
    its existence makes a rerun with the same key skip the article, while a new model or
    prompt version extracts it again as a new extraction."""

    __tablename__ = "article_extractions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("extraction_runs.id"))
    extractor_name: Mapped[str] = mapped_column(String(64))
    extractor_version: Mapped[str] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(256))
    prompt_version: Mapped[str | None] = mapped_column(String(64))
    # name|version|model|prompt version (extraction_key); a forced re-extraction renames
    # the old row's key so the new one can take it.
    key: Mapped[str] = mapped_column(String(512), default=_key_of_row)
    claims_count: Mapped[int] = mapped_column(default=0)
    llm_calls: Mapped[int] = mapped_column(default=0)
    prompt_tokens: Mapped[int] = mapped_column(default=0)
    completion_tokens: Mapped[int] = mapped_column(default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("article_id", "key", name="uq_article_extraction_key"),
        Index("ix_article_extractions_run_id", "run_id"),
    )


class RunError(Base):
    """An input that failed in a batch: the file (and line), and what was wrong."""

    __tablename__ = "run_errors"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("extraction_runs.id", ondelete="CASCADE"))
    location: Mapped[str] = mapped_column(String(2048))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_run_errors_run_id", "run_id"),)


class Source(Base):
    """Who asserts claims: a person, institution or unnamed description, with a track record."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_name: Mapped[str] = mapped_column(String(512))
    # Normalised name for lookups ("nikita smagin"); unique per type, so "Reuters" the
    # outlet and a person called Reuters stay apart.
    key: Mapped[str] = mapped_column(String(512))
    type: Mapped[str] = mapped_column(String(16), default="unknown")
    named: Mapped[bool] = mapped_column(Boolean, default=False)
    role: Mapped[str | None] = mapped_column(String(1024))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    # 0: the desk-wide source. An article id: an unnamed source ("police", "officials")
    # of that article only, so a Lagos story and an Oslo story never share one record.
    scope: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    aliases: Mapped[list[SourceAlias]] = relationship(
        back_populates="source", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("key", "type", "scope", name="uq_sources_key_type_scope"),
        CheckConstraint(_in("type", SOURCE_TYPES), name="type"),
    )


class SourceAlias(Base):
    """Another name of a source ("Smagin", "the expert at RIAC"), for resolution."""

    __tablename__ = "source_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(512))
    key: Mapped[str] = mapped_column(String(512))

    source: Mapped[Source] = relationship(back_populates="aliases")

    __table_args__ = (
        UniqueConstraint("source_id", "key", name="uq_source_aliases_source_key"),
        Index("ix_source_aliases_key", "key"),
    )


class Claim(Base):
    """One atomic, grounded claim and its verification state.

    `version` is the optimistic lock: an UPDATE carries the version it read, and a stale
    one matches no row (SQLAlchemy raises StaleDataError, turned into ConflictError).
    Imported fact-checks are reference claims (`origin='reference'`) with no article; a
    claim a reviewer added from a span of its article has `extractor='reviewer'`.
    `edited_by`/`edited_at` mark a claim people changed: re-extraction keeps it.
    """

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    extraction_id: Mapped[int | None] = mapped_column(
        ForeignKey("article_extractions.id", ondelete="SET NULL")
    )
    origin: Mapped[str] = mapped_column(String(16), default="extracted")
    extractor: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="fact")
    hedged: Mapped[bool] = mapped_column(Boolean, default=False)
    checkworthiness: Mapped[float] = mapped_column(Float, default=0.5)
    priority: Mapped[float] = mapped_column(Float, default=0.5)
    status: Mapped[str] = mapped_column(String(16), default="new")
    verdict: Mapped[str | None] = mapped_column(String(64))
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(128))
    reviewed_at: Mapped[datetime | None]
    assigned_to: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None]
    # Claim matching: the canonical claim of this claim's group (itself when canonical).
    group_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"))
    # Imported ClaimReview metadata: publisher, url, date, original rating text.
    reference: Mapped[dict[str, Any] | None]
    version: Mapped[int] = mapped_column(Integer, default=1)
    edited_by: Mapped[str | None] = mapped_column(String(128))
    edited_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    article: Mapped[Article | None] = relationship(back_populates="claims")
    sources: Mapped[list[ClaimSource]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="ClaimSource.position"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Evidence.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(_in("status", CLAIM_STATUSES), name="status"),
        CheckConstraint(_in("kind", CLAIM_KINDS), name="kind"),
        CheckConstraint(_in("origin", ("extracted", "reference")), name="origin"),
        # The queue: highest priority first among claims with a given status.
        Index("ix_claims_queue", "status", "priority", "id"),
        Index("ix_claims_lease", "lease_expires_at"),
        Index("ix_claims_article_id", "article_id"),
        Index("ix_claims_group_id", "group_id"),
        Index("ix_claims_assigned_to", "assigned_to"),
        Index("ix_claims_created_at", "created_at"),
    )


class ClaimSource(Base):
    """A source's place in a claim's relay chain (0 = original asserter)."""

    __tablename__ = "claim_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    cue: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[str | None] = mapped_column(String(1024))
    mention: Mapped[str | None] = mapped_column(Text)
    mention_start: Mapped[int | None] = mapped_column(Integer)
    mention_end: Mapped[int | None] = mapped_column(Integer)

    claim: Mapped[Claim] = relationship(back_populates="sources")
    source: Mapped[Source] = relationship()

    __table_args__ = (
        UniqueConstraint("claim_id", "position", name="uq_claim_sources_claim_position"),
        Index("ix_claim_sources_source_id", "source_id"),
    )


class Evidence(Base):
    """A link a reviewer used, and whether it supports or refutes the claim."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str | None] = mapped_column(String(1024))
    excerpt: Mapped[str | None] = mapped_column(Text)
    stance: Mapped[str] = mapped_column(String(16), default="context")
    added_by: Mapped[str] = mapped_column(String(128))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="evidence")

    __table_args__ = (
        CheckConstraint(_in("stance", STANCES), name="stance"),
        Index("ix_evidence_claim_id", "claim_id"),
    )


class Event(Base):
    """Append-only audit trail: every status change, verdict, lease, merge and match decision."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None]
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_events_claim_id_at", "claim_id", "at"),
        Index("ix_events_source_id", "source_id"),
        Index("ix_events_article_id", "article_id"),
    )


class ClaimMatch(Base):
    """A near-duplicate pair found by claim matching, and the reviewer's decision on it."""

    __tablename__ = "claim_matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    matched_claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("claim_id", "matched_claim_id", name="uq_claim_matches_pair"),
        CheckConstraint(_in("status", MATCH_STATUSES), name="status"),
        Index("ix_claim_matches_matched_claim_id", "matched_claim_id"),
    )


class User(Base):
    """A reviewer account for the web UI (password hashed with Argon2id)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    password_hash: Mapped[str] = mapped_column(String(512))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A per-reviewer API token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    label: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_api_tokens_user_id", "user_id"),)


class WebSession(Base):
    """A logged-in web session, held server-side so logout and password changes end it.

    The cookie carries a random token; only its SHA-256 is stored, like API tokens.
    """

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_why: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (Index("ix_web_sessions_user_id", "user_id"),)


class LoginThrottle(Base):
    """Failed logins per account ("account:NAME") or address ("address:IP"), for back-off."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(256), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]


class LLMCacheEntry(Base):
    """A model response keyed by (model, prompt version, chunk, schema): never paid for twice."""

    __tablename__ = "llm_cache"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    model: Mapped[str] = mapped_column(String(256))
    prompt_version: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any]]
    prompt_tokens: Mapped[int] = mapped_column(default=0)
    completion_tokens: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
