"""The extraction contract (schema_version 1, see CONTRACT.md).

Both extractors (offline rules and the LLM chain) produce `ExtractionResult`; the
database, the reports and the evaluation read it. Offsets are Python str indices into
the article text exactly as read, and every span is checked against that text.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1"


class SourceType(StrEnum):
    official = "official"
    expert = "expert"
    media = "media"
    organization = "organization"
    witness = "witness"
    unknown = "unknown"


class ClaimKind(StrEnum):
    fact = "fact"
    statistic = "statistic"
    opinion = "opinion"
    prediction = "prediction"


class SourceRef(BaseModel):
    """One asserter of a claim; a claim's list runs from the original asserter to relays."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    type: SourceType = SourceType.unknown
    named: bool = False
    role: str | None = None
    cue: str | None = None
    mention: str | None = None
    mention_start: int | None = Field(default=None, ge=0)
    mention_end: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _mention_consistent(self) -> SourceRef:
        spans = (self.mention, self.mention_start, self.mention_end)
        if any(v is None for v in spans) and any(v is not None for v in spans):
            raise ValueError("mention, mention_start and mention_end are given together or not")
        if self.mention_start is not None and self.mention_end is not None:
            if self.mention_end <= self.mention_start:
                raise ValueError("mention_end must be after mention_start")
        return self


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    kind: ClaimKind = ClaimKind.fact
    hedged: bool = False
    sources: list[SourceRef] = Field(default_factory=list)
    # Not in schema_version 1's required set: added fields are allowed by the contract.
    checkworthiness: float | None = Field(default=None, ge=0.0, le=1.0)
    extractor: str | None = None

    @model_validator(mode="after")
    def _span_order(self) -> Claim:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.end - self.start != len(self.quote):
            raise ValueError("end - start must equal len(quote)")
        return self


class ArticleInfo(BaseModel):
    title: str | None = None
    chars: int = Field(ge=0)
    content_hash: str


class ExtractorInfo(BaseModel):
    name: str
    version: str
    model: str | None = None
    prompt_version: str | None = None


class Usage(BaseModel):
    """LLM cost of one extraction; zero for the offline extractor."""

    llm_calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    # Claims the model gave that the article does not support (dropped by grounding).
    claims_dropped: int = 0

    def __add__(self, other: Usage | None) -> Usage:
        """The two usages together (the one place token counts and costs are summed)."""
        if other is None:
            return self
        return Usage(
            llm_calls=self.llm_calls + other.llm_calls,
            cache_hits=self.cache_hits + other.cache_hits,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
            claims_dropped=self.claims_dropped + other.claims_dropped,
        )


class ExtractionResult(BaseModel):
    schema_version: str = SCHEMA_VERSION
    article: ArticleInfo
    extractor: ExtractorInfo
    claims: list[Claim] = Field(default_factory=list)
    usage: Usage | None = None

    def check_grounding(self, text: str) -> list[str]:
        """Every span that does not match `text`, described; empty when all are grounded."""
        problems: list[str] = []
        for i, claim in enumerate(self.claims):
            if text[claim.start : claim.end] != claim.quote:
                problems.append(f"claim {i}: text[{claim.start}:{claim.end}] != quote")
            for j, src in enumerate(claim.sources):
                if src.mention is None:
                    continue
                assert src.mention_start is not None and src.mention_end is not None
                if text[src.mention_start : src.mention_end] != src.mention:
                    problems.append(f"claim {i} source {j}: mention span does not match")
        return problems
