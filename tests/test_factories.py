"""The test builders produce grounded claims with their relay chains."""

from __future__ import annotations

from factcheck.db.session import Database
from tests.factories import make_article, make_claim, make_source


def test_claim_is_grounded_and_sourced(database: Database) -> None:
    with database.session() as s:
        art = make_article(s, "Intro.")
        kremlin = make_source(s, "a Kremlin source", named=False)
        tass = make_source(s, "TASS", "media")
        claim = make_claim(s, art, "Talks will resume in May.", sources=[kremlin, tass])
        assert art.text[claim.start : claim.end] == claim.quote  # type: ignore[index]
        assert [cs.source.canonical_name for cs in claim.sources] == ["a Kremlin source", "TASS"]
        assert claim.version == 1
