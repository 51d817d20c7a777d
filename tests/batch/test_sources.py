"""The source registry: one row per source however the articles name it."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from factcheck.db.models import Source, SourceAlias
from factcheck.db.registry import SourceRegistry, person_surname, source_key
from factcheck.db.session import Database
from factcheck.db.sources import find_source
from factcheck.schema import SourceRef, SourceType


def ref(name: str, type_: SourceType = SourceType.expert, named: bool = True) -> SourceRef:
    return SourceRef(name=name, type=type_, named=named)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Kremlin", "kremlin"),
        ("Dr. Kirill Semyonov", "Kirill  Semyonov"),
        ("U.S. State Department", "US State Department"),
        ("Smagin's", "Smagin"),
        ("\u201cWestern media\u201d", "western media"),
    ],
)
def test_keys_ignore_case_titles_and_punctuation(a: str, b: str) -> None:
    assert source_key(a) == source_key(b)


def test_keys_keep_different_names_apart() -> None:
    assert source_key("Nikita Smagin") != source_key("Nikolai Smagin")
    assert source_key("the") == "the"  # never empty


@pytest.mark.parametrize(
    ("name", "type_", "surname"),
    [
        ("Nikita Smagin", "expert", "smagin"),
        ("Mr. Vladimir Putin", "official", "putin"),
        ("Martin Luther King Jr.", "witness", "king"),
        ("Russian Foreign Ministry", "official", None),
        ("Human Rights Watch", "organization", None),
        ("White House", "official", None),
        ("TASS", "media", None),
        ("Smagin", "expert", None),
        ("two Syrian army officers", "witness", None),
    ],
)
def test_person_surname(name: str, type_: str, surname: str | None) -> None:
    assert person_surname(name, type_) == surname


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count(Source.id))) or 0)


def test_full_name_then_surname_in_later_articles(database: Database) -> None:
    registry = SourceRegistry()
    with database.session() as s:
        full = registry.resolve(session=s, ref=ref("Nikita Smagin"))
    registry.committed()
    fresh = SourceRegistry()  # another batch: no memory of the first
    with database.session() as s:
        assert fresh.resolve(session=s, ref=ref("Smagin")) == full
        assert fresh.resolve(session=s, ref=ref("Mr. Smagin")) == full
        assert fresh.resolve(session=s, ref=ref("nikita smagin")) == full
        row = s.get(Source, full)
        assert row is not None and row.canonical_name == "Nikita Smagin"
        # The `sources` commands find it by any of these names.
        assert find_source(session=s, name="Smagin").id == full
    assert _count(database) == 1


def test_surname_joins_full_name_within_an_article_even_with_another_type(
    database: Database,
) -> None:
    refs = [ref("Smagin", SourceType.unknown), ref("Nikita Smagin", SourceType.expert)]
    with database.session() as s:
        ids = SourceRegistry().resolve_article(session=s, refs=refs)
    assert ids[0] == ids[1]
    assert _count(database) == 1


def test_same_name_different_type_are_different_sources(database: Database) -> None:
    with database.session() as s:
        reg = SourceRegistry()
        media = reg.resolve(session=s, ref=ref("Reuters", SourceType.media))
        person = reg.resolve(session=s, ref=ref("Reuters", SourceType.witness))
    assert media != person


def test_ambiguous_surname_stays_apart(database: Database) -> None:
    with database.session() as s:
        reg = SourceRegistry()
        john = reg.resolve(session=s, ref=ref("John Smith"))
        jane = reg.resolve(session=s, ref=ref("Jane Smith"))
        bare = SourceRegistry().resolve(session=s, ref=ref("Smith"))
    assert len({john, jane, bare}) == 3


def test_bare_surname_first_is_upgraded_by_the_full_name(database: Database) -> None:
    with database.session() as s:
        bare = SourceRegistry().resolve(session=s, ref=ref("Smagin"))
    with database.session() as s:
        full = SourceRegistry().resolve(session=s, ref=ref("Nikita Smagin"))
        row = s.get(Source, full)
        assert row is not None and row.canonical_name == "Nikita Smagin"
        keys = set(s.scalars(select(SourceAlias.key).where(SourceAlias.source_id == full)))
    assert full == bare and {"smagin", "nikita smagin"} <= keys


def test_merged_source_resolves_to_its_target(database: Database) -> None:
    with database.session() as s:
        reg = SourceRegistry()
        a = reg.resolve(session=s, ref=ref("Kirill Semyonov"))
        b = reg.resolve(session=s, ref=ref("K. Semyonov"))
        s.get(Source, b).merged_into_id = a  # type: ignore[union-attr]
    with database.session() as s:
        assert SourceRegistry().resolve(session=s, ref=ref("K. Semyonov")) == a


def test_rolled_back_rows_are_not_reused(database: Database) -> None:
    reg = SourceRegistry()
    with pytest.raises(RuntimeError), database.session() as s:
        reg.resolve(session=s, ref=ref("Ghost Writer"))
        raise RuntimeError("article failed")
    reg.discard()
    with database.session() as s:
        sid = reg.resolve(session=s, ref=ref("Ghost Writer"))
        assert s.get(Source, sid) is not None


def test_concurrent_creation_gives_one_row(database: Database) -> None:
    """Two batches resolving the same new name at the same moment share one row."""
    barrier = threading.Barrier(2)
    ids: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with database.session() as s:
                barrier.wait(timeout=10)
                ids.append(SourceRegistry().resolve(session=s, ref=ref("Ali Vaez")))
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(ids) == 2 and ids[0] == ids[1]
    assert _count(database) == 1
