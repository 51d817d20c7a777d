"""The source registry: every name an article gives a source resolves to one Source row.

"Nikita Smagin", "Smagin" and "Mr. Smagin" are one source; "Reuters" the agency and a
person called Reuters are two (a source is unique per normalised key and type). A
person's full name also registers their surname as an alias, so a later article that
only says "Smagin" finds the same row when the surname is unambiguous for that type.

Unnamed sources ("police", "officials", "a source", "the ministry") are scoped to their
article (`Source.scope` = the article id): "police" in a Lagos story and "police" in an
Oslo story are two sources with two track records. Named sources are desk-wide (scope 0).

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

from factcheck.db.models import Source, SourceAlias, utcnow
from factcheck.errors import DatabaseError
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
    raise DatabaseError(f"the source registry supports SQLite and PostgreSQL, not {name}")


Target = tuple[str, str, int]  # (key, type, scope)


def scope_of(ref: SourceRef, article_id: int | None) -> int:
    """0 (desk-wide) for a named source; the article id for an unnamed one."""
    return 0 if ref.named or article_id is None else article_id


class SourceRegistry:
    """Resolves SourceRefs to Source ids, remembering committed answers for a batch.

    Use one registry per batch; call `committed()` after each article's transaction
    commits and `discard()` after a rollback, so a rolled-back row is never reused.
    An article's sources are resolved together in a fixed number of queries.
    """

    def __init__(self) -> None:
        self._known: dict[Target, int] = {}
        self._pending: dict[Target, int] = {}

    def committed(self) -> None:
        self._known.update(self._pending)
        self._pending.clear()

    def discard(self) -> None:
        self._pending.clear()

    def resolve(self, *, session: Session, ref: SourceRef, article_id: int | None = None) -> int:
        """The id of the Source that `ref` names, creating it (and its aliases) if new."""
        return self.resolve_article(session=session, refs=[ref], article_id=article_id)[0]

    def resolve_article(
        self, *, session: Session, refs: Sequence[SourceRef], article_id: int | None = None
    ) -> list[int]:
        """Source ids for all refs of one article, in order.

        A bare surname anywhere in the article ("Smagin added...") joins the full name
        given elsewhere in it ("Nikita Smagin"), even when typed differently. Unnamed
        refs resolve within `article_id` only (see the module docstring).
        """
        keyed = [(source_key(r.name)[:512], r.type.value, scope_of(r, article_id)) for r in refs]
        local: dict[str, Target] = {}
        for ref, (key, type_, scope) in zip(refs, keyed, strict=True):
            if ref.named and not _is_single_name(ref.name):
                surname = person_surname(ref.name, type_)
                if surname is not None:
                    local.setdefault(surname, (key, type_, scope))
        targets: list[Target] = []
        reps: dict[Target, SourceRef] = {}
        for ref, target in zip(refs, keyed, strict=True):
            if ref.named and _is_single_name(ref.name) and target[0] in local:
                target = local[target[0]]
            else:
                reps.setdefault(target, ref)
            targets.append(target)
        ids = self._resolve_many(session, reps)
        return [ids[t] for t in targets]

    def _resolve_many(self, session: Session, reps: dict[Target, SourceRef]) -> dict[Target, int]:
        out: dict[Target, int] = {}
        missing: list[Target] = []
        for target in reps:
            cached = self._known.get(target) or self._pending.get(target)
            if cached is not None:
                out[target] = cached
            else:
                missing.append(target)
        if missing:
            self._lookup(session, missing, reps, out)
            todo = {t: reps[t] for t in missing if t not in out}
            if todo:
                self._create(session, todo, out)
            for target in missing:
                self._pending[target] = out[target]
        return out

    def _lookup(
        self,
        session: Session,
        missing: list[Target],
        reps: dict[Target, SourceRef],
        out: dict[Target, int],
    ) -> None:
        rows = session.scalars(select(Source).where(Source.key.in_({t[0] for t in missing})))
        exact = {(r.key, r.type, r.scope): r for r in rows}
        for target in missing:
            row = exact.get(target)
            if row is not None:
                row = _follow_merges(session, row)
                role = reps[target].role
                if role and row.role is None:
                    row.role = role[:1024]
                out[target] = row.id
        rest = [t for t in missing if t not in out]
        if not rest:
            return
        found = session.execute(
            select(SourceAlias.key, Source)
            .join(Source, Source.id == SourceAlias.source_id)
            .where(SourceAlias.key.in_({t[0] for t in rest}))
        ).all()
        candidates: dict[Target, set[int]] = {}
        for alias_key, source in found:
            target_id = _follow_merges(session, source).id
            candidates.setdefault((alias_key, source.type, source.scope), set()).add(target_id)
        for target in rest:
            ids = candidates.get(target, set())
            # Two people share this surname: a bare "Smith" stays its own source.
            if len(ids) == 1:
                out[target] = next(iter(ids))

    def _create(
        self, session: Session, todo: dict[Target, SourceRef], out: dict[Target, int]
    ) -> None:
        insert = _dialect_insert(session)
        aliases: list[tuple[int, str, str]] = []
        surnames = {
            t: s
            for t, ref in todo.items()
            if ref.named and (s := person_surname(ref.name, t[1])) is not None and s != t[0]
        }
        if surnames:
            # "Smagin" was met alone before; now that we learn the full name, that row
            # becomes the person's and keeps its history.
            rows = session.scalars(
                select(Source).where(
                    Source.key.in_(set(surnames.values())), Source.named, Source.scope == 0
                )
            )
            bare = {(r.key, r.type): r for r in rows if _is_single_name(r.canonical_name)}
            for target, surname in surnames.items():
                row = bare.pop((surname, target[1]), None)
                if row is None:
                    continue
                ref = todo.pop(target)
                row.canonical_name = ref.name.strip()[:512]
                row.role = row.role or (ref.role[:1024] if ref.role else None)
                out[target] = row.id
                aliases.append((row.id, ref.name, target[0]))
        if todo:
            now = utcnow()
            session.execute(
                insert(Source)
                .values(
                    [
                        {
                            "canonical_name": ref.name.strip()[:512],
                            "key": key,
                            "type": type_,
                            "scope": scope,
                            "named": ref.named,
                            "role": ref.role[:1024] if ref.role else None,
                            "version": 1,
                            "created_at": now,
                        }
                        for (key, type_, scope), ref in todo.items()
                    ]
                )
                .on_conflict_do_nothing(index_elements=["key", "type", "scope"])
            )
            rows = session.scalars(select(Source).where(Source.key.in_({t[0] for t in todo})))
            created = {(r.key, r.type, r.scope): r for r in rows}
            for target, ref in todo.items():
                row = created[target]
                aliases.append((row.id, ref.name, target[0]))
                if target in surnames:
                    aliases.append((row.id, ref.name, surnames[target]))
                out[target] = _follow_merges(session, row).id
        values: dict[tuple[int, str], dict[str, Any]] = {}
        for source_id, name, key in aliases:
            for alias_key in (key, display_key(name)[:512]):
                values.setdefault(
                    (source_id, alias_key),
                    {"source_id": source_id, "alias": name.strip()[:512], "key": alias_key},
                )
        if values:
            session.execute(
                insert(SourceAlias)
                .values(list(values.values()))
                .on_conflict_do_nothing(index_elements=["source_id", "key"])
            )
        session.flush()


def _follow_merges(session: Session, row: Source) -> Source:
    seen: set[int] = set()
    while row.merged_into_id is not None and row.id not in seen:
        seen.add(row.id)
        target = session.get(Source, row.merged_into_id)
        if target is None:
            break
        row = target
    return row
