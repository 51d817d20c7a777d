"""Sources: lookup by name or alias, track records, and a source as the desk shows it.

Merging and editing sources is workflow (factcheck.workflow.sources); resolving the
names an extractor gives is the registry (factcheck.db.registry). A source's track
record counts the claims it *asserts* (position 0 of a claim's relay
chain): an agency that relays "a Kremlin source said" is not blamed for what the Kremlin
source said; it gets a `relayed` count instead. `share_false` is the share of its
claims with a verdict whose verdict counts as false on the verdict scale.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from factcheck.db.models import Claim, ClaimSource, Source, SourceAlias
from factcheck.db.registry import display_key
from factcheck.errors import NotFoundError, UsageError
from factcheck.public import SourceClaim, SourcePublic, SourceRecord, SourceRef
from factcheck.schema import SourceType
from factcheck.verdicts import DEFAULT_SCALE, VerdictScale


def _records_for(
    session: Session, sources: Sequence[Source], scale: VerdictScale
) -> dict[int, SourceRecord]:
    records = {
        s.id: SourceRecord(
            id=s.id, name=s.canonical_name, type=SourceType(s.type), named=s.named, role=s.role
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
        key = display_key(text)
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


def source_public(
    *, session: Session, source_id: int, scale: VerdictScale | None = None, limit: int = 1000
) -> SourcePublic:
    """A source with its aliases, record and claims (newest first), in five queries."""
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
    merged_from = session.scalars(
        select(Source).where(Source.merged_into_id == source.id).order_by(Source.id)
    ).all()
    return SourcePublic(
        id=source.id,
        name=source.canonical_name,
        type=SourceType(source.type),
        named=source.named,
        role=source.role,
        merged_into_id=source.merged_into_id,
        aliases=sorted({a.alias for a in source.aliases}),
        merged_from=[SourceRef(id=s.id, name=s.canonical_name) for s in merged_from],
        scope=source.scope,
        version=source.version,
        record=record,
        claims=[
            SourceClaim(
                id=c.id,
                text=c.text,
                status=c.status,
                verdict=c.verdict,
                position=int(p),
                cue=cue,
                article_id=c.article_id,
            )
            for c, p, cue in rows
        ],
    )
