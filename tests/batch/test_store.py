"""Storing one extraction: claims with status new, relay chains in order, hooks, grounding."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.db.articles import store_article
from factcheck.db.models import ArticleExtraction, Claim, ClaimSource, Source
from factcheck.db.session import Database
from factcheck.db.store import (
    extracted_article_id,
    store_extraction,
)
from factcheck.errors import ExtractionError
from factcheck.extract.base import make_result
from factcheck.ingest.document import ArticleInput
from factcheck.schema import Claim as ClaimModel
from factcheck.schema import ExtractorInfo, SourceRef, SourceType, Usage

TEXT = (
    "A Kremlin source said, according to TASS, that 3 officials resigned. "
    "Nikita Smagin said the visit was routine."
)
INFO = ExtractorInfo(name="test", version="9", model="m", prompt_version="p1")


def _result(article: ArticleInput) -> object:
    q1 = "3 officials resigned"
    s1 = TEXT.index(q1)
    q2 = "the visit was routine"
    s2 = TEXT.index(q2)
    claims = [
        ClaimModel(
            text="Three officials resigned.", quote=q1, start=s1, end=s1 + len(q1),
            kind="statistic", hedged=True,
            sources=[
                SourceRef(
                    name="a Kremlin source", type=SourceType.official, named=False, cue="said"
                ),
                SourceRef(name="TASS", type=SourceType.media, named=True, cue="according to",
                          mention="TASS", mention_start=TEXT.index("TASS"),
                          mention_end=TEXT.index("TASS") + 4),
            ],
        ),
        ClaimModel(
            text="Nikita Smagin said the visit was routine.", quote=q2, start=s2, end=s2 + len(q2),
            kind="opinion",
            sources=[SourceRef(name="Nikita Smagin", type=SourceType.expert, named=True)],
        ),
    ]  # fmt: skip
    usage = Usage(llm_calls=2, prompt_tokens=100, completion_tokens=40, cost_usd=0.01)
    return make_result(article, INFO, claims, usage)


def test_store_writes_claims_sources_and_record(database: Database) -> None:
    article = ArticleInput(text=TEXT, location="t.txt")
    result = _result(article)
    with database.session() as s:
        row, _ = store_article(session=s, article=article)
        stored = store_extraction(
            session=s, article=row, result=result, scores=[0.8, 0.3], seconds=1.5
        )
    with database.session() as s:
        claims = s.scalars(select(Claim).order_by(Claim.id)).all()
        assert [c.id for c in claims] == stored.claim_ids
        assert [c.status for c in claims] == ["new", "new"]
        assert [c.kind for c in claims] == ["statistic", "opinion"]
        assert all(c.priority == c.checkworthiness for c in claims)
        assert [c.checkworthiness for c in claims] == [0.8, 0.3]
        assert claims[0].hedged and claims[0].extractor == "test"
        assert TEXT[claims[0].start : claims[0].end] == claims[0].quote  # type: ignore[index]
        chain = s.execute(
            select(ClaimSource.position, Source.canonical_name, Source.type, ClaimSource.cue,
                   ClaimSource.mention_start)
            .join(Source, Source.id == ClaimSource.source_id)
            .where(ClaimSource.claim_id == claims[0].id)
            .order_by(ClaimSource.position)
        ).all()  # fmt: skip
        assert [tuple(r) for r in chain] == [
            (0, "a Kremlin source", "official", "said", None),
            (1, "TASS", "media", "according to", TEXT.index("TASS")),
        ]
        ext = s.scalars(select(ArticleExtraction)).one()
        assert (ext.extractor_name, ext.extractor_version, ext.model, ext.prompt_version) == (
            "test", "9", "m", "p1",
        )  # fmt: skip
        assert (ext.claims_count, ext.llm_calls, ext.prompt_tokens, ext.cost_usd) == (
            2,
            2,
            100,
            0.01,
        )
        assert ext.seconds == 1.5
        assert (
            extracted_article_id(
                session=s,
                content_hash=article.content_hash,
                extractor_name="test",
                extractor_version="9",
                model="m",
                prompt_version="p1",
            )
            == row.id
        )
        # Another model (or prompt version) is another extraction: not done yet.
        assert (
            extracted_article_id(
                session=s,
                content_hash=article.content_hash,
                extractor_name="test",
                extractor_version="9",
                model="other",
                prompt_version="p1",
            )
            is None
        )
        assert (
            extracted_article_id(
                session=s,
                content_hash=article.content_hash,
                extractor_name="test",
                extractor_version="10",
            )
            is None
        )


def test_ungrounded_result_is_refused_and_nothing_stored(database: Database) -> None:
    article = ArticleInput(text=TEXT, location="t.txt")
    bad = make_result(article, INFO, [ClaimModel(text="x y", quote="not in it", start=0, end=9)])
    with pytest.raises(ExtractionError, match="ungrounded"), database.session() as s:
        row, _ = store_article(session=s, article=article)
        store_extraction(session=s, article=row, result=bad, scores=[0.5])
    with database.session() as s:
        assert s.scalars(select(Claim)).all() == []
        assert s.scalars(select(ArticleExtraction)).all() == []
