"""The seed article end to end: every gold attribution the issue names, grounded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.config import load_settings
from factcheck.extract.base import Extractor
from factcheck.extract.registry import get_extractor
from factcheck.ingest.text import read_text_file
from tests.extract.helpers import claim_with, extract

SEED = Path(__file__).resolve().parents[2] / "seeds" / "russia-iran-law-enforcement.txt"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def test_extractor_protocol_and_contract(seed_text: str) -> None:
    engine = get_extractor("offline", load_settings())
    assert isinstance(engine, Extractor)
    result = engine.extract(read_text_file(SEED))
    assert result.extractor.name == "offline"
    assert result.check_grounding(seed_text) == []
    assert result.article.chars == len(seed_text)
    assert 20 <= len(result.claims) <= 35


def test_seed_sources(seed_text: str) -> None:
    claims = extract(seed_text)
    expected = [
        ("visit of the Iranian official", "Iranian embassy in Russia", "official", "according to"),
        ("will also hold talks", "Iranian embassy in Russia", "official", "according to"),
        ("very good start", "Ahmad Reza Radan", "official", "called"),
        ("pointed to the readiness", "Ahmad Reza Radan", "official", "pointed to"),
        (
            "held telephone conversations",
            "press service of the Kremlin",
            "official",
            "according to",
        ),
        ("most interested in expanding", "Kirill Semyonov", "expert", "believes"),
        ("regular duty visit", "Kirill Semyonov", "expert", "said"),
        ("fairly strong counterintelligence", "Kirill Semyonov", "expert", "said"),
        ("anti-government protests", "Kirill Semyonov", "expert", "recalled"),
        ("more than 260 demonstrators", "official figures", "official", "according to"),
        ("in the interests of the Russian side", "Kirill Semyonov", "expert", "added"),
        ("increased significantly", "Nikita Smagin", "expert", "continues"),
        ("Moscow can learn from Tehran", "Western media", "media", "according to"),
        ("planned in advance", "Nikita Smagin", "expert", "adds"),
        ("cannot offer technical assistance", "Nikita Smagin", "expert", "concluded"),
        ("only a continuation of cooperation", "Nikita Smagin", "expert", "concluded"),
    ]
    wrong = []
    for fragment, name, kind, cue in expected:
        sources = claim_with(claims, fragment).sources
        got = (sources[0].name, sources[0].type, sources[0].cue) if sources else None
        if got != (name, kind, cue):
            wrong.append(f"{fragment}: {got}")
    assert not wrong, wrong


def test_seed_noise_headline_and_article_voice(seed_text: str) -> None:
    claims = extract(seed_text)
    quotes = [c.quote for c in claims]
    assert quotes.count("Law enforcement officers of Russia and Iran agreed on cooperation") == 1
    assert not any("ad_" in q or "Source link" in q for q in quotes)
    assert claim_with(claims, "was received on June 27").sources == []
    hedged = claim_with(claims, "allegedly at the hands")
    assert hedged.hedged and hedged.sources[0].name == "Kirill Semyonov"
    assert claim_with(claims, "260 demonstrators").kind == "statistic"
    # Leading connectives ("Therefore,") are not part of the claim.
    assert claim_with(claims, "this visit is only").quote.startswith("this visit")


def test_seed_scores_against_gold(shared_dir: Path, seed_text: str) -> None:
    """The seed's gold claims: most found with the right source and type."""
    gold = json.loads(
        (shared_dir / "eval" / "gold" / "russia-iran-law-enforcement.json").read_text()
    )
    claims = extract(seed_text)
    hits = 0
    for g in gold["claims"]:
        start = seed_text.find(g["quote"])
        end = start + len(g["quote"])
        for c in claims:
            overlap = min(end, c.end) - max(start, c.start)
            if overlap * 2 >= min(end - start, c.end - c.start) and overlap > 0:
                want = g["sources"][0]["type"] if g["sources"] else None
                got = c.sources[0].type if c.sources else None
                hits += want == got
                break
    assert hits / len(gold["claims"]) >= 0.85
