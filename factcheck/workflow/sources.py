"""What reviewers do to sources: merge duplicates ("Smagin" into "Nikita Smagin").

Every change is an event on the sources it touches, and the open claims of the kept
source get their priority refreshed, since its track record just changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, selectinload

from factcheck.db.events import record_event
from factcheck.db.models import Claim, ClaimSource, Source, SourceAlias
from factcheck.db.registry import display_key
from factcheck.errors import NotFoundError, UsageError
from factcheck.public import ClaimStatus
from factcheck.workflow.priority import refresh_priorities


@dataclass
class MergeResult:
    kept: Source
    merged: Source
    claims_moved: int
    aliases_added: list[str]


def merge_sources(
    *, session: Session, duplicate_id: int, keep_id: int, actor: str, note: str | None = None
) -> MergeResult:
    """Fold `duplicate` into `keep`: its claims, aliases and name move over.

    The duplicate row stays (with `merged_into_id`), so old references still resolve;
    the merge is recorded as an event on both sources.
    """
    if duplicate_id == keep_id:
        raise UsageError("a source cannot be merged into itself")
    dup = session.scalars(
        select(Source).where(Source.id == duplicate_id).options(selectinload(Source.aliases))
    ).first()
    keep = session.scalars(
        select(Source).where(Source.id == keep_id).options(selectinload(Source.aliases))
    ).first()
    if dup is None:
        raise NotFoundError(f"no source #{duplicate_id}")
    if keep is None:
        raise NotFoundError(f"no source #{keep_id}")
    if dup.merged_into_id is not None:
        raise UsageError(f"source #{dup.id} {dup.canonical_name} was already merged")
    if keep.merged_into_id is not None:
        raise UsageError(
            f"source #{keep.id} {keep.canonical_name} was merged into #{keep.merged_into_id}; "
            "merge into that one"
        )
    # The links that move are remembered in the event, so an unmerge can move them back.
    link_ids = list(
        session.scalars(select(ClaimSource.id).where(ClaimSource.source_id == dup.id)).all()
    )
    moved_result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(ClaimSource)
        .where(ClaimSource.source_id == dup.id)
        .values(source_id=keep.id)
        .execution_options(synchronize_session=False)
    )
    moved = int(moved_result.rowcount or 0)
    have = {a.key for a in keep.aliases} | {keep.key}
    added: list[str] = []
    for alias in [dup.canonical_name, *(a.alias for a in dup.aliases)]:
        key = display_key(alias)
        if key and key not in have:
            keep.aliases.append(SourceAlias(alias=alias, key=key))
            have.add(key)
            added.append(alias)
    dup.merged_into_id = keep.id
    data = {
        "kept": keep.id,
        "merged": dup.id,
        "merged_name": dup.canonical_name,
        "claims_moved": moved,
        "aliases_added": added,
        "links": link_ids,
    }
    for src in (keep, dup):
        record_event(
            session=session,
            actor=actor,
            action="source_merge",
            source_id=src.id,
            note=note,
            data=data,
        )
    session.flush()
    open_ids = session.scalars(
        select(ClaimSource.claim_id)
        .join(Claim, Claim.id == ClaimSource.claim_id)
        .where(
            ClaimSource.source_id == keep.id,
            Claim.status.in_((ClaimStatus.new, ClaimStatus.needs_info)),
        )
        .distinct()
    ).all()
    if open_ids:
        refresh_priorities(session=session, claim_ids=list(open_ids))
    return MergeResult(kept=keep, merged=dup, claims_moved=moved, aliases_added=added)
