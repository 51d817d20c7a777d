"""The optional embedding matcher (skipped unless the `embeddings` extra is installed)."""

from __future__ import annotations

import pytest

from factcheck.config import load_settings
from factcheck.db.models import ClaimMatch
from factcheck.db.session import Database
from factcheck.matching import clear_cache, match_new_claims
from factcheck.matching import embedding as emb
from tests.factories import make_claim

pytestmark = pytest.mark.skipif(not emb.available(), reason="embeddings extra not installed")


@pytest.fixture(scope="module")
def index() -> emb.EmbeddingIndex:
    idx = emb.EmbeddingIndex()
    idx.add_many(
        [
            (1, "More than 260 people were killed in the attack on the market.", None, "x"),
            (2, "Moscow can learn from Tehran how to police protests.", None, "x"),
            (3, "The central bank raised interest rates by half a point.", None, "x"),
        ]
    )
    return idx


def test_paraphrase_with_other_words_is_found(index: emb.EmbeddingIndex) -> None:
    text = "Moscow could take lessons from Tehran on handling demonstrations."
    (hit,) = index.query(text, limit=1)
    assert hit.claim_id == 2 and hit.score > 0.5


def test_guards_still_apply(index: emb.EmbeddingIndex) -> None:
    # Embeddings put these next to each other; the number guard keeps them apart.
    hits = index.query("More than 26 people were killed in the attack on the market.", limit=3)
    assert 1 not in [h.claim_id for h in hits]
    hits = index.query("More than 260 people were killed in the attack on the market!", limit=1)
    assert hits[0].claim_id == 1 and hits[0].score > 0.95


def test_match_method_embedding_end_to_end(database: Database) -> None:
    clear_cache()
    settings = load_settings(match_method="embedding", match_high=0.9, match_low=0.7)
    with database.session() as s:
        first = make_claim(s, text="Moscow can learn from Tehran how to police protests.")
        second = make_claim(s, text="Moscow can learn from Tehran how to police street protests.")
        summary = match_new_claims(session=s, claim_ids=[first.id, second.id], settings=settings)
        assert summary.method == "embedding" and summary.auto == 1
        row = s.query(ClaimMatch).one()
        assert row.method == "embedding" and second.group_id == first.id
