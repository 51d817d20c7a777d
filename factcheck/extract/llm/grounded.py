"""From the model's answer to contract claims: parse strictly, ground every quote, dedup.

Nothing the model says about *where* is trusted. A claim survives only if its quote is
found in the part of the article it was asked about (see `factcheck.extract.grounding`)
and its sentence restates that quote's sentence, bringing no word, name, number or
negation the article does not give there (`factcheck.extract.llm.support`); the stored
quote and offsets are then the article's own text. Whatever fails is reported back as a
problem, so one repair round can re-ask the model, and is otherwise dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from langchain_core.messages import AIMessage
from pydantic import ValidationError

from factcheck.extract.grounding import Match, locate_match, normalise_quote
from factcheck.extract.llm.chunking import Chunk
from factcheck.extract.llm.models import (
    SCHEMA_NAME,
    LLMClaim,
    LLMSource,
    coerce_kind,
    coerce_source_type,
)
from factcheck.extract.llm.support import check_support
from factcheck.schema import Claim, SourceRef

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NON_DIGITS = re.compile(r"\D+")
_NAME_TRIM = " \t\n\"'“”‘’«».,;:"
_MENTION_BEFORE = 600
_MENTION_AFTER = 200


class AnswerError(Exception):
    """The answer as a whole is unusable (not JSON, wrong shape, no tool call)."""


def answer_text(raw: AIMessage | None) -> str:
    """What the model wrote, for the repair prompt and the failure record."""
    if raw is None:
        return ""
    if raw.tool_calls:
        return json.dumps(raw.tool_calls[0].get("args", {}), ensure_ascii=False)
    if raw.invalid_tool_calls:
        return str(raw.invalid_tool_calls[0].get("args") or "")
    content = raw.content
    if isinstance(content, list):
        content = "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in content)
    return str(content)


def answer_data(raw: AIMessage) -> dict[str, Any]:
    """The model's answer as a JSON object, parsed strictly (no partial-JSON guessing).

    A truncated answer must fail here: silently closing its brackets would lose claims
    or keep a half-written one.
    """
    for call in raw.tool_calls:
        if call.get("name") in (SCHEMA_NAME, None, ""):
            args = call.get("args")
            if isinstance(args, dict):
                return args
    if raw.invalid_tool_calls:
        bad = raw.invalid_tool_calls[0]
        # LangChain's error repeats the whole arguments: the start of the reason is enough.
        detail = " ".join(str(bad.get("error") or "").split())
        detail = (
            detail.split(" arguments: ", 1)[0]
            if "Received" not in detail
            else (detail[detail.index("Received") :])
        )
        raise AnswerError(f"the tool call arguments are not valid JSON: {detail[:200]}")
    text = answer_text(raw).strip()
    if not text:
        raise AnswerError("the answer is empty")
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswerError(f"the answer is not valid JSON ({exc.msg} at char {exc.pos})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise AnswerError('the answer must be a JSON object {"claims": [...]}')
    return data


def validate_claims(data: dict[str, Any]) -> tuple[list[LLMClaim], list[str]]:
    """The claims that fit the schema, and one problem line per claim that does not."""
    good: list[LLMClaim] = []
    problems: list[str] = []
    for i, item in enumerate(data.get("claims", [])):
        try:
            good.append(LLMClaim.model_validate(item))
        except ValidationError as exc:
            details = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'claim'}: {err['msg']}"
                for err in exc.errors()[:4]
            )
            problems.append(f"claim {i}: {details}")
    return good, problems


@dataclass
class Grounded:
    """Claims grounded in one chunk, and what could not be grounded."""

    claims: list[Claim] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rejected: list[LLMClaim] = field(default_factory=list)
    accepted: list[LLMClaim] = field(default_factory=list)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def normalise_source_name(name: str) -> str:
    """A source name as stored: single spaces, no surrounding quotes or punctuation."""
    return " ".join(name.split()).strip(_NAME_TRIM) or " ".join(name.split())


def _locate_mention(text: str, mention: str, start: int, end: int, chunk: Chunk) -> Any:
    lo = max(chunk.start, start - _MENTION_BEFORE)
    hi = min(chunk.end, end + _MENTION_AFTER)
    # The nearest mention before (or inside) the claim is the one that attributes it.
    idx = text.rfind(mention, lo, end)
    if idx >= 0:
        return idx, idx + len(mention)
    idx = text.find(mention, end, hi)
    if idx >= 0:
        return idx, idx + len(mention)
    found = locate_match(text, mention, start=lo, end=hi, fuzzy=False)
    return None if found is None else (found.start, found.end)


def _source(text: str, src: LLMSource, start: int, end: int, chunk: Chunk) -> SourceRef:
    mention = _clean(src.mention)
    span = _locate_mention(text, mention, start, end, chunk) if mention else None
    name = normalise_source_name(src.name)
    return SourceRef(
        name=name,
        type=coerce_source_type(src.type),
        named=src.named,
        role=_clean(src.role),
        cue=_clean(src.cue),
        mention=text[span[0] : span[1]] if span else None,
        mention_start=span[0] if span else None,
        mention_end=span[1] if span else None,
    )


def _unsupported_numbers(
    claim_text: str, haystack: str, digits_only: str, quote: str = ""
) -> list[str]:
    """Numbers in the claim's sentence that the article (title, date) never contains.

    `quote` is article text, so a number it contains needs no scan of the whole article
    (most claims restate the numbers of their own quote).
    """
    missing = []
    for number in _NUMBER.findall(claim_text):
        if number in quote or number in haystack:
            continue
        if _NON_DIGITS.sub("", number) not in digits_only:
            missing.append(number)
    return missing


def ground_claims(
    text: str, chunk: Chunk, claims: list[LLMClaim], *, extra_context: str = ""
) -> Grounded:
    """Contract claims for `claims`, each quote located inside `chunk` of `text`."""
    out = Grounded()
    haystack = text + "\n" + extra_context
    digits_only = _NON_DIGITS.sub("", haystack)
    used: set[tuple[int, int]] = set()
    for claim in claims:
        found = locate_match(text, claim.quote, start=chunk.start, end=chunk.end)
        # A sentence the article repeats, quoted twice, is its second occurrence.
        while found is not None and (found.start, found.end) in used:
            again = text.find(text[found.start : found.end], found.end, chunk.end)
            if again < 0:
                break
            found = Match(again, again + (found.end - found.start), found.method)
        if found is None:
            out.problems.append(f"quote not found verbatim in <article>: {claim.quote[:160]!r}")
            out.rejected.append(claim)
            continue
        quote = text[found.start : found.end]
        sentence = " ".join(claim.text.split())
        missing = _unsupported_numbers(sentence, haystack, digits_only, quote)
        if missing:
            out.problems.append(
                f"claim {sentence[:120]!r} has numbers the article does not contain: "
                + ", ".join(missing)
            )
            out.rejected.append(claim)
            continue
        verdict = check_support(
            sentence,
            article=text,
            quote_start=found.start,
            quote_end=found.end,
            lo=chunk.start,
            hi=chunk.end,
            extra_context=extra_context,
        )
        if not verdict.ok:
            out.problems.append(
                f"claim {sentence[:120]!r} is not what its quote says: {verdict.reason}"
            )
            out.rejected.append(claim)
            continue
        used.add((found.start, found.end))
        out.accepted.append(claim)
        out.claims.append(
            Claim(
                text=sentence,
                quote=quote,
                start=found.start,
                end=found.end,
                kind=coerce_kind(claim.kind),
                hedged=claim.hedged,
                sources=[_source(text, s, found.start, found.end, chunk) for s in claim.sources],
                extractor="llm",
            )
        )
    return out


def dedup(claims: list[Claim]) -> list[Claim]:
    """Claims in article order with repeats (same span, near-identical sentence) removed.

    Parts overlap only through context, and a repair round may restate a claim, so the
    same proposition can arrive twice; different claims sharing one quote are kept.
    """
    kept: list[Claim] = []
    by_span: dict[tuple[int, int], list[str]] = {}
    for claim in sorted(claims, key=lambda c: (c.start, c.end)):
        seen = by_span.setdefault((claim.start, claim.end), [])
        if seen:  # normalising is the costly part: only for claims that share a span
            norm = normalise_quote(claim.text)
            if any(SequenceMatcher(None, normalise_quote(o), norm).ratio() >= 0.9 for o in seen):
                continue
        seen.append(claim.text)
        kept.append(claim)
    return kept
