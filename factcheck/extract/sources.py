"""The source registry: every name an article gives a source resolves to one Source row.

"Nikita Smagin", "Smagin" and "Mr. Smagin" are one source; "Reuters" the agency and a
person called Reuters are two (a source is unique per normalised key and type). A
person's full name also registers their surname as an alias, so a later article that
only says "Smagin" finds the same row when the surname is unambiguous for that type.

Creation is concurrency-safe on SQLite and PostgreSQL: rows are inserted with
`ON CONFLICT DO NOTHING` and then read back, so two batches resolving the same new
name at once both end up with the one row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.db.models import Source, SourceAlias
from factcheck.schema import SourceRef

_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame"}
_ARTICLES = {"the", "a", "an"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# Words that make a capitalised name an institution, not a person ("Russian Guard").
_INSTITUTION_WORDS = {
    "agency", "army", "assembly", "association", "bank", "board", "bureau", "cabinet",
    "center", "centre", "channel", "command", "commission", "committee", "company",
    "congress", "corporation", "council", "court", "department", "embassy", "forces",
    "foundation", "front", "government", "group", "guard", "house", "institute",
    "kremlin", "league", "media", "ministry", "movement", "navy", "news", "office",
    "organization", "organisation", "parliament", "party", "police", "post", "press",
    "service", "services", "senate", "society", "staff", "times", "tribune", "union",
    "university", "watch",
}  # fmt: skip
_PERSON_TYPES = {"official", "expert", "witness", "media", "unknown"}
_NAME_TOKEN = re.compile(r"^[A-Z\u00c0-\u024f\u0400-\u042f][\w'\u2019-]*\.?$")
_PUNCT_EDGES = " .,;:!?\"'()[]{}\u2018\u2019\u201c\u201d\u00ab\u00bb-\u2013\u2014"
_SPACES = re.compile(r"\s+")


def source_key(name: str) -> str:
    """The lookup form of a source name: case-, title-, article- and punctuation-blind.

    "The Kremlin" and "kremlin", "Dr. Kirill Semyonov" and "Kirill Semyonov",
    "U.S. State Department" and "US State Department" share a key.
    """
    text = unicodedata.normalize("NFKC", name).replace("\u2019", "'")
    text = _SPACES.sub(" ", text).strip(_PUNCT_EDGES)
    text = re.sub(r"'s$", "", text)
    text = text.replace(".", "").casefold()
    words = text.split()
    while len(words) > 1 and words[0] in _ARTICLES | _HONORIFICS:
        words = words[1:]
    key = " ".join(w.strip(_PUNCT_EDGES) for w in words).strip()
    return key or name.strip().casefold()


def display_key(name: str) -> str:
    """The key that `factcheck sources` lookups use; registered as an alias too."""
    return re.sub(r"\s+", " ", name.strip().lower()).strip(" .,;:\"'")


def person_surname(name: str, type_: str) -> str | None:
    """The surname key of a person's full name ("Nikita Smagin" -> "smagin"), else None."""
    if type_ not in _PERSON_TYPES:
        return None
    tokens = [t for t in _SPACES.split(name.strip()) if t]
    while tokens and tokens[0].rstrip(".").casefold() in _HONORIFICS:
        tokens = tokens[1:]
    if not 2 <= len(tokens) <= 4:
        return None
    for token in tokens:
        if not _NAME_TOKEN.match(token) or token.isupper() and len(token) > 1:
            return None
        if token.casefold().strip(".") in _INSTITUTION_WORDS | _ARTICLES:
            return None
    words = [source_key(t) for t in tokens]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    surname = words[-1]
    return surname if len(surname) > 1 else None


def _is_single_name(name: str) -> bool:
    return len(source_key(name).split()) == 1


def _dialect_insert(session: Session) -> Any:
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert
    return None


class SourceRegistry:
    """Resolves SourceRefs to Source ids, remembering committed answers for a batch.

    Use one registry per batch; call `committed()` after each article's transaction
    commits and `discard()` after a rollback, so a rolled-back row is never reused.
    """

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], int] = {}
        self._pending: dict[tuple[str, str], int] = {}

    def committed(self) -> None:
        self._known.update(self._pending)
        self._pending.clear()

    def discard(self) -> None:
        self._pending.clear()

    def resolve_article(self, *, session: Session, refs: Sequence[SourceRef]) -> list[int]:
        """Source ids for all refs of one article, in order.

        Full person names are resolved first, so a bare surname anywhere in the same
        article ("Smagin added...") joins the full name even when typed differently.
        """
        ids: list[int | None] = [None] * len(refs)
        local: dict[str, int] = {}
        order = sorted(range(len(refs)), key=lambda i: _is_single_name(refs[i].name))
        for i in order:
            ref = refs[i]
            key = source_key(ref.name)
            if ref.named and _is_single_name(ref.name) and key in local:
                ids[i] = local[key]
                continue
            source_id = self.resolve(session=session, ref=ref)
            ids[i] = source_id
            surname = person_surname(ref.name, ref.type.value) if ref.named else None
            if surname is not None:
                local.setdefault(surname, source_id)
        return [i for i in ids if i is not None]

    def resolve(self, *, session: Session, ref: SourceRef) -> int:
        """The id of the Source that `ref` names, creating it (and its aliases) if new."""
        key, type_ = source_key(ref.name), ref.type.value
        cached = self._known.get((key, type_)) or self._pending.get((key, type_))
        if cached is not None:
            return cached
        found = self._lookup(session, key, type_)
        if found is None:
            found = self._create(session, ref, key, type_)
        elif ref.role and found.role is None:
            found.role = ref.role[:1024]
        self._pending[(key, type_)] = found.id
        return found.id

    def _lookup(self, session: Session, key: str, type_: str) -> Source | None:
        row = session.scalars(select(Source).where(Source.key == key, Source.type == type_)).first()
        if row is not None:
            return _follow_merges(session, row)
        candidates = session.scalars(
            select(Source)
            .join(SourceAlias, SourceAlias.source_id == Source.id)
            .where(SourceAlias.key == key, Source.type == type_)
        ).all()
        resolved = {_follow_merges(session, s).id: _follow_merges(session, s) for s in candidates}
        # Two people share this surname: a bare "Smith" stays its own source.
        return next(iter(resolved.values())) if len(resolved) == 1 else None

    def _create(self, session: Session, ref: SourceRef, key: str, type_: str) -> Source:
        surname = person_surname(ref.name, type_) if ref.named else None
        if surname is not None and surname != key:
            # "Smagin" was met alone before; now that we learn the full name, that row
            # becomes the person's and keeps its history.
            bare = session.scalars(
                select(Source).where(Source.key == surname, Source.type == type_, Source.named)
            ).first()
            if bare is not None and _is_single_name(bare.canonical_name):
                bare.canonical_name = ref.name.strip()[:512]
                bare.role = bare.role or (ref.role[:1024] if ref.role else None)
                session.flush()
                self._add_aliases(session, bare.id, ref.name, key)
                return bare
        values = {
            "canonical_name": ref.name.strip()[:512],
            "key": key[:512],
            "type": type_,
            "named": ref.named,
            "role": ref.role[:1024] if ref.role else None,
        }
        insert = _dialect_insert(session)
        if insert is not None:
            session.execute(
                insert(Source)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["key", "type"])
            )
            row = session.scalars(
                select(Source).where(Source.key == key[:512], Source.type == type_)
            ).one()
        else:  # pragma: no cover - other backends: savepoint and retry
            from sqlalchemy.exc import IntegrityError

            try:
                with session.begin_nested():
                    row = Source(**values)
                    session.add(row)
            except IntegrityError:
                row = session.scalars(
                    select(Source).where(Source.key == key[:512], Source.type == type_)
                ).one()
        aliases = [key]
        if surname is not None and surname != key:
            aliases.append(surname)
        self._add_aliases(session, row.id, ref.name, *aliases)
        return _follow_merges(session, row)

    def _add_aliases(self, session: Session, source_id: int, name: str, *keys: str) -> None:
        wanted = {k[:512] for k in (*keys, display_key(name)) if k}
        insert = _dialect_insert(session)
        for alias_key in sorted(wanted):
            values = {"source_id": source_id, "alias": name.strip()[:512], "key": alias_key}
            if insert is not None:
                session.execute(
                    insert(SourceAlias)
                    .values(**values)
                    .on_conflict_do_nothing(index_elements=["source_id", "key"])
                )
            else:  # pragma: no cover
                exists = session.scalars(
                    select(SourceAlias.id).where(
                        SourceAlias.source_id == source_id, SourceAlias.key == alias_key
                    )
                ).first()
                if exists is None:
                    session.add(SourceAlias(**values))


def _follow_merges(session: Session, row: Source) -> Source:
    seen: set[int] = set()
    while row.merged_into_id is not None and row.id not in seen:
        seen.add(row.id)
        target = session.get(Source, row.merged_into_id)
        if target is None:
            break
        row = target
    return row
