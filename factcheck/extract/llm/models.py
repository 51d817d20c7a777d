"""What the model must answer: a pydantic schema that is also its JSON schema.

The model never gives offsets; it gives verbatim quotes, which grounding turns into
spans. Every field is required (nullable where it may be empty) and no extra keys are
allowed, so the same schema works with OpenAI's strict structured outputs, with tool
calls, and with local servers that enforce JSON schemas by grammar.

Source types arrive typed into the contract's enum; looser words that a model without
schema enforcement may use ("government", "news agency") are mapped, unknown ones fall
back to "unknown" rather than failing the whole answer.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from factcheck.schema import ClaimKind, SourceType

SCHEMA_NAME = "extract_claims"

_TYPE_WORDS: dict[SourceType, tuple[str, ...]] = {
    SourceType.official: (
        "official",
        "government",
        "state",
        "ministry",
        "minister",
        "spokes",
        "president",
        "military",
        "army",
        "police",
        "embassy",
        "authorit",
        "politician",
        "press service",
        "statistic",
        "agency of the state",
        "kremlin",
        "white house",
        "diplomat",
    ),
    SourceType.expert: (
        "expert",
        "analyst",
        "academic",
        "scholar",
        "researcher",
        "professor",
        "scientist",
        "think tank",
        "think-tank",
        "commentator",
        "specialist",
        "economist",
    ),
    SourceType.media: (
        "media",
        "news",
        "outlet",
        "newspaper",
        "agency",
        "journalist",
        "reporter",
        "channel",
        "broadcaster",
        "tv",
        "radio",
        "press",
        "magazine",
        "wire",
    ),
    SourceType.organization: (
        "organization",
        "organisation",
        "ngo",
        "company",
        "firm",
        "corporation",
        "un ",
        "united nations",
        "group",
        "party",
        "union",
        "association",
        "institution",
        "charity",
    ),
    SourceType.witness: (
        "witness",
        "eyewitness",
        "resident",
        "protester",
        "victim",
        "citizen",
        "local",
        "bystander",
        "survivor",
        "person",
        "people",
    ),
}


# Enum(value) is a slow call; answers hold 100+ claims and each names its kind.
_KINDS: dict[str, ClaimKind] = {k.value: k for k in ClaimKind}
_SOURCE_TYPES: dict[str, SourceType] = {t.value: t for t in SourceType}


def coerce_source_type(value: object) -> SourceType:
    """The contract's source type for what a model wrote; "unknown" when nothing fits."""
    if isinstance(value, SourceType):
        return value
    if isinstance(value, str) and value in _SOURCE_TYPES:
        return _SOURCE_TYPES[value]
    word = re.sub(r"[\s_]+", " ", str(value or "")).strip().lower()
    if word in _SOURCE_TYPES:
        return _SOURCE_TYPES[word]
    padded = f"{word} "
    for source_type, cues in _TYPE_WORDS.items():
        if any(cue in padded for cue in cues):
            return source_type
    return SourceType.unknown


def coerce_kind(value: object) -> ClaimKind:
    if isinstance(value, str) and value in _KINDS:
        return _KINDS[value]
    word = str(value or "").strip().lower()
    if word in _KINDS:
        return _KINDS[word]
    if word in ("number", "numeric", "stat", "statistics", "figure", "quantity"):
        return ClaimKind.statistic
    if word in ("forecast", "projection", "future"):
        return ClaimKind.prediction
    if word in ("assessment", "judgement", "judgment", "speculation", "view", "analysis"):
        return ClaimKind.opinion
    raise ValueError(f"kind must be one of {', '.join(k.value for k in ClaimKind)}")


class LLMSource(BaseModel):
    """One asserter as the model reports it."""

    model_config = ConfigDict(extra="forbid")

    name: str
    type: Literal["official", "expert", "media", "organization", "witness", "unknown"]
    named: bool
    role: str | None
    cue: str | None
    mention: str | None

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: object) -> str:
        return coerce_source_type(value).value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("source name is empty")
        return value


class LLMClaim(BaseModel):
    """One claim as the model reports it: a standalone sentence plus a verbatim quote."""

    model_config = ConfigDict(extra="forbid")

    text: str
    quote: str
    kind: Literal["fact", "statistic", "opinion", "prediction"]
    hedged: bool
    sources: list[LLMSource]

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> str:
        return coerce_kind(value).value

    @field_validator("text", "quote")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value


class LLMExtraction(BaseModel):
    """The whole answer for one chunk of an article."""

    model_config = ConfigDict(extra="forbid")

    claims: list[LLMClaim]


def _strict(node: Any, *, names: bool = False) -> Any:
    """A JSON schema that OpenAI's strict mode accepts: no titles/defaults, all required."""
    if isinstance(node, dict):
        if names:  # a "properties" mapping: its keys are field names, not keywords
            return {k: _strict(v) for k, v in node.items()}
        out = {
            k: _strict(v, names=k in ("properties", "$defs"))
            for k, v in node.items()
            if k not in ("title", "default")
        }
        if out.get("type") == "object" and "properties" in out:
            out["required"] = list(out["properties"])
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with every local $ref replaced by its definition.

    Some OpenAI-compatible servers (grammar-based JSON enforcement in llama.cpp, older
    vLLM) do not follow $ref; the schema is small and not recursive, so inline it.
    """
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.rsplit("/", 1)[-1]], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


@lru_cache(maxsize=1)
def _response_schema() -> dict[str, Any]:
    raw = LLMExtraction.model_json_schema()
    return _strict(_inline(raw, raw.get("$defs", {})))  # type: ignore[no-any-return]


def response_schema() -> dict[str, Any]:
    """The plain JSON schema of an answer: strict-mode compatible, $refs inlined."""
    return copy.deepcopy(_response_schema())


def method_schema(method: str) -> dict[str, Any]:
    """The schema in the shape `with_structured_output` expects for `method`.

    json_schema (and json_mode) take a response-format object; function_calling takes
    an OpenAI function whose parameters are the schema.
    """
    description = "Checkable claims of the article part, each with a verbatim quote."
    if method == "function_calling":
        return {"name": SCHEMA_NAME, "description": description, "parameters": response_schema()}
    return {
        "name": SCHEMA_NAME,
        "description": description,
        "schema": response_schema(),
        "strict": True,
    }
