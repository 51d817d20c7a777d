"""Reviewers fix sources and articles: a source's name, type, named and role; undoing a
merge; splitting a source that joined two people; an article's metadata and its "done"
mark (the article's claims are then the desk's gold, see factcheck.workflow.gold).

Each change is versioned (a stale `expected_version` is a ConflictError) and recorded as
an event with the values before and after, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from factcheck.db.edits import (
    ARTICLES,
    SOURCES,
    check_version,
    get_article_row,
    get_source_row,
    versioned_update,
)
from factcheck.db.events import record_event
from factcheck.db.models import Article, ClaimSource, Event, Source, SourceAlias, utcnow
from factcheck.db.registry import display_key, source_key
from factcheck.errors import UsageError
from factcheck.workflow.corrections import clean_text, source_type
from factcheck.workflow.priority import refresh_priorities


def _refresh_claims_of(session: Session, source_ids: Sequence[int]) -> None:
    claim_ids = session.scalars(
        select(ClaimSource.claim_id).where(ClaimSource.source_id.in_(source_ids)).distinct()
    ).all()
    if claim_ids:
        refresh_priorities(session=session, claim_ids=list(claim_ids))


def _add_alias(session: Session, source: Source, name: str) -> None:
    key = display_key(name)[:512]
    known = session.scalar(
        select(SourceAlias.id).where(SourceAlias.source_id == source.id, SourceAlias.key == key)
    )
    if key and known is None:
        session.add(SourceAlias(source_id=source.id, alias=name[:512], key=key))


def edit_source(
    *,
    session: Session,
    source_id: int,
    actor: str,
    name: str | None = None,
    type: str | None = None,
    named: bool | None = None,
    role: str | None = None,
    expected_version: int | None = None,
    note: str | None = None,
) -> Source:
    """Correct a source ("the statistics office" is `official`, not `unknown`).

    A new name becomes the canonical name (the old one stays an alias). A change that
    would make it the same as another source is refused with that source's id: merge
    them instead.
    """
    row = get_source_row(session=session, source_id=source_id)
    check_version(SOURCES, row.id, row.version, expected_version)
    changes: dict[str, Any] = {}
    if name is not None and (cleaned := clean_text(name, "a source's name")) != row.canonical_name:
        changes["canonical_name"] = cleaned[:512]
        changes["key"] = source_key(cleaned)[:512]
    if type is not None and source_type(type) != row.type:
        changes["type"] = type
    if named is not None and named != row.named:
        changes["named"] = named
    if role is not None and (role.strip() or None) != row.role:
        changes["role"] = role.strip()[:1024] or None
    if not changes:
        raise UsageError(f"nothing to change on source #{row.id}")
    key, type_ = changes.get("key", row.key), changes.get("type", row.type)
    twin = session.scalar(
        select(Source.id).where(
            Source.key == key, Source.type == type_, Source.scope == row.scope, Source.id != row.id
        )
    )
    if twin is not None:
        raise UsageError(
            f"source #{twin} already is {key!r} ({type_}); merge #{row.id} into it instead "
            f"(factcheck sources merge {row.id} {twin})"
        )
    before = {k: getattr(row, k) for k in changes if k != "key"}
    after = {k: v for k, v in changes.items() if k != "key"}
    old_name = row.canonical_name
    versioned_update(
        session=session, table=SOURCES, row_id=row.id, seen_version=row.version, values=changes
    )
    if "canonical_name" in changes:
        _add_alias(session, row, old_name)
        _add_alias(session, row, changes["canonical_name"])
    record_event(
        session=session, actor=actor, action="source_edit", source_id=source_id, note=note,
        data={"before": before, "after": after},
    )  # fmt: skip
    session.flush()
    _refresh_claims_of(session, [source_id])
    return get_source_row(session=session, source_id=source_id)


def unmerge_source(
    *,
    session: Session,
    source_id: int,
    actor: str,
    note: str | None = None,
    expected_version: int | None = None,
) -> Source:
    """Undo a merge: the source stands alone again and takes back the claims it had."""
    row = get_source_row(session=session, source_id=source_id)
    check_version(SOURCES, row.id, row.version, expected_version)
    if row.merged_into_id is None:
        raise UsageError(f"source #{row.id} {row.canonical_name} is not merged into another")
    kept_id = row.merged_into_id
    merge = session.scalars(
        select(Event)
        .where(Event.source_id == row.id, Event.action == "source_merge")
        .order_by(Event.id.desc())
    ).first()
    links = [int(i) for i in ((merge.data or {}).get("links") or [])] if merge else []
    moved = 0
    if links:
        moved = len(
            session.execute(
                update(ClaimSource)
                .where(ClaimSource.id.in_(links), ClaimSource.source_id == kept_id)
                .values(source_id=row.id)
                .returning(ClaimSource.id)
                .execution_options(synchronize_session=False)
            ).all()
        )
    versioned_update(
        session=session, table=SOURCES, row_id=row.id, seen_version=row.version,
        values={"merged_into_id": None},
    )  # fmt: skip
    data = {"unmerged": row.id, "from": kept_id, "claims_moved": moved}
    for sid in (row.id, kept_id):
        record_event(
            session=session, actor=actor, action="source_unmerge", source_id=sid, note=note,
            data=data,
        )  # fmt: skip
    session.flush()
    _refresh_claims_of(session, [row.id, kept_id])
    return get_source_row(session=session, source_id=row.id)


def split_source(
    *,
    session: Session,
    source_id: int,
    actor: str,
    claim_ids: Sequence[int],
    name: str,
    type: str | None = None,
    role: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> Source:
    """Two people were joined as one source: the given claims move to a new source."""
    row = get_source_row(session=session, source_id=source_id)
    check_version(SOURCES, row.id, row.version, expected_version)
    cleaned = clean_text(name, "the new source's name")
    type_ = source_type(type or row.type)
    wanted = set(claim_ids)
    if not wanted:
        raise UsageError("name the claims that belong to the other source")
    links = session.scalars(
        select(ClaimSource).where(ClaimSource.source_id == row.id, ClaimSource.claim_id.in_(wanted))
    ).all()
    missing = wanted - {link.claim_id for link in links}
    if missing:
        raise UsageError(f"claim #{min(missing)} is not a claim of source #{row.id}")
    key = source_key(cleaned)[:512]
    twin = session.scalar(
        select(Source.id).where(Source.key == key, Source.type == type_, Source.scope == 0)
    )
    if twin is not None:
        raise UsageError(f"source #{twin} already is {key!r} ({type_}): move the claims to it")
    new = Source(
        canonical_name=cleaned[:512], key=key, type=type_, named=row.named,
        role=(role.strip() or None) if role is not None else None, scope=0, version=1,
    )  # fmt: skip
    session.add(new)
    session.flush()
    _add_alias(session, new, cleaned)
    session.execute(
        update(ClaimSource)
        .where(ClaimSource.id.in_([link.id for link in links]))
        .values(source_id=new.id)
        .execution_options(synchronize_session=False)
    )
    versioned_update(
        session=session, table=SOURCES, row_id=row.id, seen_version=row.version, values={}
    )
    data = {"split_from": row.id, "into": new.id, "claims": sorted(wanted)}
    for sid in (row.id, new.id):
        record_event(
            session=session, actor=actor, action="source_split", source_id=sid, note=note,
            data=data,
        )  # fmt: skip
    session.flush()
    _refresh_claims_of(session, [row.id, new.id])
    return new


# --- articles ---------------------------------------------------------------------------

ARTICLE_FIELDS = ("title", "url", "outlet", "author", "published_at")


def edit_article(
    *,
    session: Session,
    article_id: int,
    actor: str,
    changes: dict[str, Any],
    expected_version: int | None = None,
    note: str | None = None,
) -> Article:
    """Correct an article's title, URL, outlet, author or published date (None clears)."""
    row = get_article_row(session=session, article_id=article_id)
    check_version(ARTICLES, row.id, row.version, expected_version)
    unknown = set(changes) - set(ARTICLE_FIELDS)
    if unknown:
        raise UsageError(f"an article has no field {min(unknown)!r}; fields: {ARTICLE_FIELDS}")
    values: dict[str, Any] = {}
    for field, value in changes.items():
        if isinstance(value, str):
            value = " ".join(value.split()) or None
        if field == "published_at" and value is not None and not isinstance(value, datetime):
            raise UsageError("published_at must be a date and time")
        if value != getattr(row, field):
            values[field] = value
    if not values:
        raise UsageError(f"nothing to change on article #{row.id}")
    before = {k: _plain(getattr(row, k)) for k in values}
    versioned_update(
        session=session, table=ARTICLES, row_id=row.id, seen_version=row.version, values=values
    )
    record_event(
        session=session, actor=actor, action="article_edit", article_id=row.id, note=note,
        data={"before": before, "after": {k: _plain(v) for k, v in values.items()}},
    )  # fmt: skip
    return get_article_row(session=session, article_id=article_id)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def mark_done(
    *,
    session: Session,
    article_id: int,
    actor: str,
    done: bool = True,
    expected_version: int | None = None,
) -> Article:
    """A reviewer's "every claim of this article is right": it becomes gold (or not)."""
    row = get_article_row(session=session, article_id=article_id)
    check_version(ARTICLES, row.id, row.version, expected_version)
    if done == (row.done_at is not None):
        raise UsageError(f"article #{row.id} is {'already' if done else 'not'} marked done")
    at = utcnow()
    values = {"done_by": actor, "done_at": at} if done else {"done_by": None, "done_at": None}
    versioned_update(
        session=session, table=ARTICLES, row_id=row.id, seen_version=row.version, values=values
    )
    record_event(
        session=session, actor=actor, action="article_done" if done else "article_undone",
        article_id=row.id, at=at,
    )  # fmt: skip
    return get_article_row(session=session, article_id=article_id)
