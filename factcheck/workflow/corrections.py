"""Reviewers correct the machine: edit, move, reject, add, split and merge claims, and
fix their relay chains.

Every correction is one transaction (the caller's): the checks come first, then the
versioned writes (factcheck.db.edits), then an audit event with the values before and
after. A stale `expected_version` or a concurrent edit is a ConflictError, never an
overwrite. Spans are always grounded by code: a reviewer gives a quote (and, from a
selection, where it starts), the offsets are computed against the article text; a span
given as offsets is checked against the text. Claims people touched carry `edited_by`,
so a later re-extraction keeps them (factcheck.db.store).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from factcheck.db.edits import (
    CLAIMS,
    chain_of,
    check_version,
    get_article_row,
    get_source_row,
    insert_claim,
    replace_chain,
    versioned_update,
)
from factcheck.db.events import record_event
from factcheck.db.models import REVIEWER_EXTRACTOR, Article, Claim, ClaimSource, utcnow
from factcheck.db.registry import SourceRegistry
from factcheck.errors import UsageError
from factcheck.extract.checkworthiness import checkworthiness
from factcheck.extract.grounding import locate_match
from factcheck.public import ClaimStatus
from factcheck.schema import Claim as SchemaClaim
from factcheck.schema import ClaimKind, SourceRef, SourceType
from factcheck.workflow.priority import refresh_priorities
from factcheck.workflow.review import get_claim, transition

KINDS = tuple(k.value for k in ClaimKind)
REVIEWER = REVIEWER_EXTRACTOR
SOURCE_TYPES = tuple(t.value for t in SourceType)


# --- inputs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SpanInput:
    """Where a claim is in its article: a quote (with `near`, the offset a selection
    started at, to tell repeats apart) or `start`/`end` offsets checked against the text.
    `text` is the claim's standalone wording (default: the quote)."""

    quote: str | None = None
    near: int | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class SourceChoice:
    """One link of a relay chain: an existing source by id, or a new one by name."""

    source_id: int | None = None
    name: str | None = None
    type: str = "unknown"
    named: bool = True
    role: str | None = None
    cue: str | None = None


def _kind(value: str) -> str:
    if value not in KINDS:
        raise UsageError(f"unknown claim kind {value!r}; kinds: {', '.join(KINDS)}")
    return value


def source_type(value: str) -> str:
    """The value if it is a source type, else a UsageError naming the types."""
    if value not in SOURCE_TYPES:
        raise UsageError(f"unknown source type {value!r}; types: {', '.join(SOURCE_TYPES)}")
    return value


def clean_text(value: str, what: str = "a claim's text") -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise UsageError(f"{what} cannot be empty")
    return cleaned


def ground_span(article: Article, span: SpanInput) -> tuple[int, int]:
    """The (start, end) of `span` in the article text, computed here, or a UsageError."""
    text = article.text
    where = f"article #{article.id} ({len(text)} characters)"
    if span.start is not None or span.end is not None:
        if span.start is None or span.end is None:
            raise UsageError("give both start and end of the span")
        if not 0 <= span.start < span.end <= len(text):
            raise UsageError(f"span {span.start}-{span.end} is outside {where}")
        if not text[span.start : span.end].strip():
            raise UsageError(f"span {span.start}-{span.end} of {where} is only blank space")
        if span.quote is not None and text[span.start : span.end] != span.quote:
            raise UsageError(f"the quote is not at {span.start}-{span.end} in {where}")
        return _trim(text, span.start, span.end)
    quote = span.quote or ""
    if not quote.strip():
        raise UsageError("the quote is empty: select the words of the claim in the article")
    hits = _occurrences(text, quote)
    if not hits:
        found = locate_match(text, quote, fuzzy=False)
        if found is None:
            raise UsageError(f"the quote is not in {where}: {quote[:80]!r}")
        return _trim(text, found.start, found.end)
    if len(hits) == 1:
        return _trim(text, hits[0], hits[0] + len(quote))
    if span.near is None:
        raise UsageError(
            f"the quote occurs {len(hits)} times in {where}; select a longer passage "
            "or give where it starts"
        )
    best = min(hits, key=lambda h: abs(h - span.near))  # type: ignore[operator]
    return _trim(text, best, best + len(quote))


def _occurrences(text: str, quote: str) -> list[int]:
    hits, i = [], text.find(quote)
    while i >= 0:
        hits.append(i)
        i = text.find(quote, i + 1)
    return hits


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    # A selection often takes a space or a line break along; the claim does not need it.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- the write path -------------------------------------------------------------------


def _fields(claim: Claim, names: Sequence[str]) -> dict[str, Any]:
    return {n: getattr(claim, n) for n in names}


def write_claim(
    *,
    session: Session,
    claim: Claim,
    actor: str,
    action: str,
    changes: dict[str, Any],
    at: datetime,
    note: str | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Apply `changes` at the version read, and record before/after in the same step."""
    before = _fields(claim, list(changes))
    seen = claim.version
    versioned_update(
        session=session,
        table=CLAIMS,
        row_id=claim.id,
        seen_version=seen,
        values={**changes, "edited_by": actor, "edited_at": at},
    )
    record_event(
        session=session,
        claim_id=claim.id,
        actor=actor,
        action=action,
        note=note,
        data={"before": before, "after": dict(changes), **(extra or {})},
        at=at,
    )


def claim_for_edit(session: Session, claim_id: int, expected_version: int | None) -> Claim:
    claim = get_claim(session=session, claim_id=claim_id, for_write=True)
    check_version(CLAIMS, claim.id, claim.version, expected_version)
    return claim


def article_of(session: Session, claim: Claim) -> Article:
    if claim.article_id is None:
        raise UsageError(f"claim #{claim.id} is a reference claim: it has no article text")
    return get_article_row(session=session, article_id=claim.article_id)


# --- claim edits ------------------------------------------------------------------------


def edit_claim(
    *,
    session: Session,
    claim_id: int,
    actor: str,
    text: str | None = None,
    kind: str | None = None,
    hedged: bool | None = None,
    expected_version: int | None = None,
    note: str | None = None,
) -> Claim:
    """Change a claim's wording, kind or hedging; unchanged fields are left alone."""
    claim = claim_for_edit(session, claim_id, expected_version)
    changes: dict[str, Any] = {}
    if text is not None and (cleaned := clean_text(text)) != claim.text:
        changes["text"] = cleaned
    if kind is not None and _kind(kind) != claim.kind:
        changes["kind"] = kind
    if hedged is not None and hedged != claim.hedged:
        changes["hedged"] = hedged
    if not changes:
        raise UsageError(f"nothing to change on claim #{claim.id}: give a new text, kind or hedged")
    write_claim(
        session=session, claim=claim, actor=actor, action="edit", changes=changes,
        at=utcnow(), note=note,
    )  # fmt: skip
    return get_claim(session=session, claim_id=claim_id)


def move_span(
    *,
    session: Session,
    claim_id: int,
    actor: str,
    span: SpanInput,
    expected_version: int | None = None,
    note: str | None = None,
) -> Claim:
    """Give the claim another quote in its article ("5.6" → "5.6%").

    The offsets come from the article text; a claim whose wording was its quote takes
    the new quote as wording too, unless `span.text` says otherwise.
    """
    claim = claim_for_edit(session, claim_id, expected_version)
    article = article_of(session, claim)
    start, end = ground_span(article, span)
    quote = article.text[start:end]
    changes: dict[str, Any] = {}
    if (start, end) != (claim.start, claim.end):
        changes.update(quote=quote, start=start, end=end)
    wording = clean_text(span.text) if span.text is not None else None
    if wording is None and changes and claim.text == claim.quote:
        wording = " ".join(quote.split())
    if wording is not None and wording != claim.text:
        changes["text"] = wording
    if not changes:
        raise UsageError(f"claim #{claim.id} already has this span")
    write_claim(
        session=session, claim=claim, actor=actor, action="move_span", changes=changes,
        at=utcnow(), note=note,
    )  # fmt: skip
    return get_claim(session=session, claim_id=claim_id)


def reject_claim(
    *,
    session: Session,
    claim_id: int,
    actor: str,
    reason: str,
    expected_version: int | None = None,
    force: bool = False,
) -> Claim:
    """Mark a claim "not a claim" with the reason: it stays, out of the queue, and counts
    as the extractor's false positive in `factcheck eval`."""
    why = clean_text(reason, "the reason for rejecting a claim")
    at = utcnow()
    return transition(
        session=session,
        claim_id=claim_id,
        to_status=ClaimStatus.rejected,
        actor=actor,
        action="reject",
        note=why,
        data={"reason": why},
        expected_version=expected_version,
        force=force,
        at=at,
        values={"review_note": why, "edited_by": actor, "edited_at": at},
    )


def _chain_links(
    session: Session, article_id: int | None, chain: Sequence[SourceChoice]
) -> list[dict[str, Any]]:
    """Relay-chain rows for the choices, creating new sources through the registry."""
    links: list[dict[str, Any]] = []
    registry = SourceRegistry()
    for choice in chain:
        if choice.source_id is not None:
            row = get_source_row(session=session, source_id=choice.source_id)
            while row.merged_into_id is not None:
                row = get_source_row(session=session, source_id=row.merged_into_id)
            source_id = row.id
        else:
            name = clean_text(choice.name or "", "a source's name")
            ref = SourceRef(
                name=name,
                type=SourceType(source_type(choice.type)),
                named=choice.named,
                role=choice.role.strip() if choice.role and choice.role.strip() else None,
            )
            source_id = registry.resolve(session=session, ref=ref, article_id=article_id)
        cue = choice.cue.strip()[:256] if choice.cue and choice.cue.strip() else None
        links.append({"source_id": source_id, "cue": cue, "role": None})
    ids = [link["source_id"] for link in links]
    if len(set(ids)) != len(ids):
        raise UsageError("a source appears twice in the relay chain")
    return links


def _describe_chain(links: Sequence[ClaimSource]) -> list[dict[str, Any]]:
    return [{"source_id": cs.source_id, "cue": cs.cue} for cs in links]


def current_chain(*, session: Session, claim_id: int) -> list[SourceChoice]:
    """The claim's relay chain as choices, to add to, remove from or reorder."""
    return [
        SourceChoice(source_id=cs.source_id, cue=cs.cue)
        for cs in chain_of(session=session, claim_id=claim_id)
    ]


def set_sources(
    *,
    session: Session,
    claim_id: int,
    actor: str,
    chain: Sequence[SourceChoice],
    expected_version: int | None = None,
    note: str | None = None,
) -> Claim:
    """Make `chain` the claim's relay chain (original asserter first): adding, removing,
    replacing and reordering sources are all this one write."""
    claim = claim_for_edit(session, claim_id, expected_version)
    old = chain_of(session=session, claim_id=claim.id)
    before = _describe_chain(old)
    kept = {cs.source_id: cs for cs in old}
    links = _chain_links(session, claim.article_id, chain)
    for link in links:  # a source that stays keeps its mention in the text
        prior = kept.get(link["source_id"])
        if prior is not None:
            link.update(
                mention=prior.mention,
                mention_start=prior.mention_start,
                mention_end=prior.mention_end,
                role=prior.role,
                cue=link["cue"] if link["cue"] is not None else prior.cue,
            )
    after = [{"source_id": link["source_id"], "cue": link["cue"]} for link in links]
    if after == before:
        raise UsageError(f"claim #{claim.id} already has this relay chain")
    at = utcnow()
    replace_chain(session=session, claim_id=claim.id, links=links)
    versioned_update(
        session=session,
        table=CLAIMS,
        row_id=claim.id,
        seen_version=claim.version,
        values={"edited_by": actor, "edited_at": at},
    )
    record_event(
        session=session,
        claim_id=claim.id,
        actor=actor,
        action="sources",
        note=note,
        data={"before": {"sources": before}, "after": {"sources": after}},
        at=at,
    )
    refresh_priorities(session=session, claim_ids=[claim.id])
    return get_claim(session=session, claim_id=claim_id)


def add_claim(
    *,
    session: Session,
    article_id: int,
    actor: str,
    span: SpanInput,
    kind: str = "fact",
    hedged: bool = False,
    sources: Sequence[SourceChoice] = (),
    note: str | None = None,
) -> Claim:
    """A claim the extractor missed, from a span of the article (`extractor='reviewer'`)."""
    article = get_article_row(session=session, article_id=article_id)
    start, end = ground_span(article, span)
    quote = article.text[start:end]
    text = clean_text(span.text) if span.text is not None else " ".join(quote.split())
    _kind(kind)
    links = _chain_links(session, article.id, sources)
    score = checkworthiness(
        SchemaClaim(text=text, quote=quote, start=start, end=end, kind=ClaimKind(kind),
                    hedged=hedged)
    )  # fmt: skip
    at = utcnow()
    values = {
        "article_id": article.id, "origin": "extracted", "extractor": REVIEWER, "text": text,
        "quote": quote, "start": start, "end": end, "kind": kind, "hedged": hedged,
        "checkworthiness": score, "priority": score, "status": ClaimStatus.new.value,
        "edited_by": actor, "edited_at": at,
    }  # fmt: skip
    claim_id = insert_claim(session=session, values=values)
    if links:
        replace_chain(session=session, claim_id=claim_id, links=links)
    after = {k: values[k] for k in ("text", "quote", "start", "end", "kind", "hedged")}
    after["sources"] = [{"source_id": li["source_id"], "cue": li["cue"]} for li in links]
    record_event(
        session=session, claim_id=claim_id, actor=actor, action="add", note=note,
        to_status=ClaimStatus.new.value, data={"before": None, "after": after}, at=at,
    )  # fmt: skip
    refresh_priorities(session=session, claim_ids=[claim_id])
    return get_claim(session=session, claim_id=claim_id)
