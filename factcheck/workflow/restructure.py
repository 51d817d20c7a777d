"""Splitting one claim into several and merging several into one.

"The city, besieged for 18 months, fell last week" is two claims; two fragments of one
sentence are one. Both keep everything people already did: a split keeps the original
claim (its id, status, verdict and history) as the first part and copies its relay chain
to the new parts; a merge keeps the earliest claim and rejects the others as "merged into
#N", so nothing is deleted and the audit trail says where each went.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from factcheck.db.edits import chain_of, insert_claim, replace_chain
from factcheck.db.events import record_event
from factcheck.db.models import Claim, ClaimSource, utcnow
from factcheck.errors import UsageError
from factcheck.public import ClaimStatus
from factcheck.workflow.corrections import (
    SpanInput,
    article_of,
    claim_for_edit,
    clean_text,
    ground_span,
    reject_claim,
    write_claim,
)
from factcheck.workflow.priority import refresh_priorities
from factcheck.workflow.review import get_claim

_LINK_FIELDS = ("source_id", "cue", "role", "mention", "mention_start", "mention_end")


def _links(chain: Sequence[ClaimSource]) -> list[dict[str, Any]]:
    return [{f: getattr(cs, f) for f in _LINK_FIELDS} for cs in chain]


def split_claim(
    *,
    session: Session,
    claim_id: int,
    actor: str,
    parts: Sequence[SpanInput],
    expected_version: int | None = None,
    note: str | None = None,
) -> list[int]:
    """Split the claim into `parts` (two or more spans of its article, each grounded).

    Returns the claim ids of the parts in order; the first is the original claim.
    """
    if len(parts) < 2:
        raise UsageError("a split needs two or more parts")
    claim = claim_for_edit(session, claim_id, expected_version)
    article = article_of(session, claim)
    spans = [ground_span(article, part) for part in parts]
    if len(set(spans)) != len(spans):
        raise UsageError("two parts of the split have the same span")
    texts = [
        clean_text(p.text) if p.text is not None else " ".join(article.text[a:b].split())
        for p, (a, b) in zip(parts, spans, strict=True)
    ]
    chain = _links(chain_of(session=session, claim_id=claim.id))
    at = utcnow()
    new_ids: list[int] = []
    for (start, end), text in zip(spans[1:], texts[1:], strict=True):
        values = {
            "article_id": claim.article_id, "extraction_id": claim.extraction_id,
            "origin": claim.origin, "extractor": claim.extractor, "text": text,
            "quote": article.text[start:end], "start": start, "end": end, "kind": claim.kind,
            "hedged": claim.hedged, "checkworthiness": claim.checkworthiness,
            "priority": claim.priority, "status": ClaimStatus.new.value,
            "edited_by": actor, "edited_at": at,
        }  # fmt: skip
        new_id = insert_claim(session=session, values=values)
        if chain:
            replace_chain(session=session, claim_id=new_id, links=chain)
        after = {k: values[k] for k in ("text", "quote", "start", "end", "kind", "hedged")}
        record_event(
            session=session, claim_id=new_id, actor=actor, action="add", note=note,
            to_status=ClaimStatus.new.value,
            data={"before": None, "after": after, "split_from": claim.id}, at=at,
        )  # fmt: skip
        new_ids.append(new_id)
    (start, end), text = spans[0], texts[0]
    changes: dict[str, Any] = {"quote": article.text[start:end], "start": start, "end": end}
    if text != claim.text:
        changes["text"] = text
    write_claim(
        session=session, claim=claim, actor=actor, action="split", changes=changes, at=at,
        note=note, extra={"into": [claim.id, *new_ids]},
    )  # fmt: skip
    refresh_priorities(session=session, claim_ids=new_ids)
    return [claim.id, *new_ids]


def merge_claims(
    *,
    session: Session,
    claim_ids: Sequence[int],
    actor: str,
    text: str | None = None,
    expected_versions: Mapping[int, int] | None = None,
    note: str | None = None,
) -> Claim:
    """Merge claims of one article into the earliest: its span covers all of theirs, its
    relay chain gains their sources, and the others are rejected as merged into it."""
    ids = list(dict.fromkeys(claim_ids))
    if len(ids) < 2:
        raise UsageError("a merge needs two or more different claims")
    versions = expected_versions or {}
    claims = [claim_for_edit(session, cid, versions.get(cid)) for cid in ids]
    articles = {c.article_id for c in claims}
    if len(articles) != 1 or None in articles:
        raise UsageError("only claims of one and the same article can be merged")
    if any(c.start is None or c.end is None for c in claims):
        raise UsageError("only claims with a span in their article can be merged")
    claims.sort(key=lambda c: (c.start or 0, c.id))
    kept, others = claims[0], claims[1:]
    article = article_of(session, kept)
    start = min(c.start or 0 for c in claims)
    end = max(c.end or 0 for c in claims)
    quote = article.text[start:end]
    wording = clean_text(text) if text is not None else " ".join(quote.split())
    for other in others:
        if other.status not in (ClaimStatus.new, ClaimStatus.in_review, ClaimStatus.needs_info,
                                ClaimStatus.skipped):  # fmt: skip
            raise UsageError(
                f"claim #{other.id} is {other.status}: re-open it before merging it away"
            )
    chain = _links(chain_of(session=session, claim_id=kept.id))
    seen = {link["source_id"] for link in chain}
    for other in others:
        for link in _links(chain_of(session=session, claim_id=other.id)):
            if link["source_id"] not in seen:
                seen.add(link["source_id"])
                chain.append(link)
    at = utcnow()
    changes: dict[str, Any] = {"quote": quote, "start": start, "end": end}
    if wording != kept.text:
        changes["text"] = wording
    replace_chain(session=session, claim_id=kept.id, links=chain)
    write_claim(
        session=session, claim=kept, actor=actor, action="merge", changes=changes, at=at,
        note=note, extra={"merged": [c.id for c in others]},
    )  # fmt: skip
    for other in others:
        reject_claim(
            session=session, claim_id=other.id, actor=actor, reason=f"merged into #{kept.id}"
        )
    refresh_priorities(session=session, claim_ids=[kept.id])
    return get_claim(session=session, claim_id=kept.id)
