"""Sources: lookup by name or alias, track records, and merging duplicates.

A source's track record counts the claims it *asserts* (position 0 of a claim's relay
chain): an agency that relays "a Kremlin source said" is not blamed for what the Kremlin
source said; it gets a `relayed` count instead. `share_false` is the share of its
claims with a verdict whose verdict counts as false on the verdict scale.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from factcheck.db.models import Claim, ClaimSource, Source, SourceAlias
from factcheck.errors import NotFoundError, UsageError
from factcheck.verdicts import DEFAULT_SCALE, VerdictScale


@dataclass
class SourceRecord:
    """What the desk knows about one source's claims."""

    source_id: int
    name: str
    type: str
    named: bool
    role: str | None
    claims: int = 0  # claims it asserts (first in the relay chain)
    relayed: int = 0  # claims it passes on from someone else
    reviewed: int = 0  # asserted claims with a verdict
    false: int = 0  # asserted claims whose verdict counts as false
    statuses: dict[str, int] = field(default_factory=dict)
    verdicts: dict[str, int] = field(default_factory=dict)

    @property
    def share_false(self) -> float | None:
        """False verdicts over all verdicts; None before the first verdict."""
        return self.false / self.reviewed if self.reviewed else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.source_id,
            "name": self.name,
            "type": self.type,
            "named": self.named,
            "role": self.role,
            "claims": self.claims,
            "relayed": self.relayed,
            "reviewed": self.reviewed,
            "false": self.false,
            "share_false": None if self.share_false is None else round(self.share_false, 4),
            "statuses": dict(self.statuses),
            "verdicts": dict(self.verdicts),
        }


def normalise_key(name: str) -> str:
    """The lookup form of a name: lower case, single spaces, no surrounding punctuation."""
    return re.sub(r"\s+", " ", name.strip().lower()).strip(" .,;:\"'")


def _records_for(
    session: Session, sources: Sequence[Source], scale: VerdictScale
) -> dict[int, SourceRecord]:
    records = {
        s.id: SourceRecord(
            source_id=s.id, name=s.canonical_name, type=s.type, named=s.named, role=s.role
        )
        for s in sources
    }
    if not records:
        return records
    false_keys = set(scale.false_keys())
    # One grouped query: per source, chain position (asserter or relay), status, verdict.
    asserter = ClaimSource.position == 0
    rows = session.execute(
        select(
            ClaimSource.source_id,
            asserter.label("asserter"),
            Claim.status,
            Claim.verdict,
            func.count(func.distinct(Claim.id)),
        )
        .join(Claim, Claim.id == ClaimSource.claim_id)
        .where(ClaimSource.source_id.in_(list(records)))
        .group_by(ClaimSource.source_id, asserter, Claim.status, Claim.verdict)
    ).all()
    for source_id, is_asserter, status, verdict, n in rows:
        rec = records[source_id]
        if not is_asserter:
            rec.relayed += n
            continue
        rec.claims += n
        rec.statuses[status] = rec.statuses.get(status, 0) + n
        if verdict is not None and status == "reviewed":
            rec.reviewed += n
            rec.verdicts[verdict] = rec.verdicts.get(verdict, 0) + n
            if verdict in false_keys:
                rec.false += n
    return records


def source_records(
    *, session: Session, source_ids: Iterable[int], scale: VerdictScale | None = None
) -> dict[int, SourceRecord]:
    """Track records of these sources (unknown ids are left out), in two queries."""
    ids = sorted(set(source_ids))
    if not ids:
        return {}
    sources = session.scalars(select(Source).where(Source.id.in_(ids))).all()
    return _records_for(session, sources, scale or DEFAULT_SCALE)


def list_sources(
    *,
    session: Session,
    source_type: str | None = None,
    min_claims: int = 0,
    sort: str = "claims",
    limit: int = 100,
    scale: VerdictScale | None = None,
) -> list[SourceRecord]:
    """Sources that were not merged away, with their records.

    `sort`: ``claims`` (most asserted claims first), ``false`` (highest share false first,
    then most false verdicts) or ``name``.
    """
    if sort not in ("claims", "false", "name"):
        raise UsageError(f"unknown sort {sort!r}; use claims, false or name")
    stmt = select(Source).where(Source.merged_into_id.is_(None))
    if source_type:
        stmt = stmt.where(Source.type == source_type)
    records = list(
        _records_for(session, session.scalars(stmt).all(), scale or DEFAULT_SCALE).values()
    )
    records = [r for r in records if r.claims + r.relayed >= min_claims]
    if sort == "claims":
        records.sort(key=lambda r: (-r.claims, -r.relayed, r.name.lower()))
    elif sort == "false":
        records.sort(key=lambda r: (-(r.share_false or 0.0), -r.false, -r.claims, r.name.lower()))
    else:
        records.sort(key=lambda r: r.name.lower())
    return records[:limit]


def find_source(*, session: Session, name: str, follow_merges: bool = True) -> Source:
    """The source named `name`: by id (``12`` or ``#12``), canonical name or alias.

    A merged duplicate resolves to the source it was merged into. Several sources with
    this name (a person and an outlet both called "Reuters") raise UsageError listing
    their ids, so the caller can pick one.
    """
    text = name.strip()
    candidates: list[Source] = []
    if re.fullmatch(r"#?\d+", text):
        found = session.get(Source, int(text.lstrip("#")))
        if found is not None:
            candidates = [found]
    if not candidates:
        key = normalise_key(text)
        alias_ids = select(SourceAlias.source_id).where(SourceAlias.key == key)
        candidates = list(
            session.scalars(
                select(Source)
                .where(
                    or_(
                        Source.key == key,
                        func.lower(Source.canonical_name) == text.lower(),
                        Source.id.in_(alias_ids),
                    )
                )
                .order_by(Source.id)
            ).all()
        )
    if follow_merges:
        resolved: dict[int, Source] = {}
        for src in candidates:
            seen = set()
            while src.merged_into_id is not None and src.id not in seen:
                seen.add(src.id)
                nxt = session.get(Source, src.merged_into_id)
                if nxt is None:
                    break
                src = nxt
            resolved[src.id] = src
        candidates = list(resolved.values())
    if not candidates and len(text) >= 3:
        # A part of the name ("Smagin" for "Nikita Smagin") when it points to one source.
        like = "%" + text.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
        partial = list(
            session.scalars(
                select(Source)
                .where(
                    Source.merged_into_id.is_(None), func.lower(Source.canonical_name).like(like)
                )
                .order_by(Source.id)
                .limit(11)
            ).all()
        )
        if len(partial) == 1:
            candidates = partial
        elif partial:
            listed = ", ".join(f"#{s.id} {s.canonical_name} ({s.type})" for s in partial[:10])
            raise UsageError(f"{name!r} matches several sources: {listed}; give the id instead")
    if not candidates:
        raise NotFoundError(f"no source named {name!r} (try `factcheck sources list`)")
    if len(candidates) > 1:
        listed = ", ".join(f"#{s.id} {s.canonical_name} ({s.type})" for s in candidates)
        raise UsageError(f"{name!r} names several sources: {listed}; give the id instead")
    return candidates[0]


@dataclass
class SourceDetail:
    source: Source
    aliases: list[str]
    record: SourceRecord
    # (claim, position in the chain, cue) for every claim the source appears in.
    claims: list[tuple[Claim, int, str | None]]
    merged_from: list[Source]

    def claim_dicts(self) -> list[dict[str, Any]]:
        """The claims as `sources show --format json` and the API list them."""
        return [
            {
                "id": c.id,
                "text": c.text,
                "status": c.status,
                "verdict": c.verdict,
                "position": pos,
                "cue": cue,
                "article_id": c.article_id,
            }
            for c, pos, cue in self.claims
        ]


def source_detail(
    *, session: Session, source_id: int, scale: VerdictScale | None = None, limit: int = 1000
) -> SourceDetail:
    """A source with its aliases, record and claims (newest first), in a fixed number of queries."""
    source = session.scalars(
        select(Source).where(Source.id == source_id).options(selectinload(Source.aliases))
    ).first()
    if source is None:
        raise NotFoundError(f"no source #{source_id}")
    record = _records_for(session, [source], scale or DEFAULT_SCALE)[source.id]
    rows = session.execute(
        select(Claim, ClaimSource.position, ClaimSource.cue)
        .join(ClaimSource, ClaimSource.claim_id == Claim.id)
        .where(ClaimSource.source_id == source.id)
        .order_by(Claim.id.desc())
        .limit(limit)
    ).all()
    merged_from = list(
        session.scalars(select(Source).where(Source.merged_into_id == source.id)).all()
    )
    return SourceDetail(
        source=source,
        aliases=sorted({a.alias for a in source.aliases}),
        record=record,
        claims=[(c, int(p), cue) for c, p, cue in rows],
        merged_from=merged_from,
    )


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
    from factcheck.review import record_event

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
        key = normalise_key(alias)
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
    from factcheck.priority import refresh_priorities

    open_ids = session.scalars(
        select(ClaimSource.claim_id)
        .join(Claim, Claim.id == ClaimSource.claim_id)
        .where(ClaimSource.source_id == keep.id, Claim.status.in_(("new", "needs_info")))
        .distinct()
    ).all()
    if open_ids:
        refresh_priorities(session=session, claim_ids=list(open_ids))
    return MergeResult(kept=keep, merged=dup, claims_moved=moved, aliases_added=added)
