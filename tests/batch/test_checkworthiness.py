"""Check-worthiness ranks verifiable, consequential claims above opinions, and says why."""

from __future__ import annotations

from factcheck.extract.checkworthiness import assess, checkworthiness
from factcheck.schema import Claim, ClaimKind, SourceRef, SourceType


def claim(text: str, kind: ClaimKind = ClaimKind.fact, **kw: object) -> Claim:
    return Claim(text=text, quote=text, start=0, end=len(text), kind=kind, **kw)  # type: ignore[arg-type]


MINISTER = SourceRef(name="Sergei Lavrov", type=SourceType.official, named=True)
ANONYMOUS = SourceRef(name="a Kremlin source", type=SourceType.unknown, named=False)


def test_kind_orders_scores() -> None:
    base = "the agreement between the two countries was signed in the capital"
    scores = {k: assess(claim(base.capitalize() + ".", k)).score for k in ClaimKind}
    assert scores[ClaimKind.statistic] > scores[ClaimKind.fact]
    assert scores[ClaimKind.fact] > scores[ClaimKind.prediction] > scores[ClaimKind.opinion]


def test_numbers_officials_anonymity_and_hedging_raise_the_score() -> None:
    plain = assess(claim("The talks between the delegations went on for the whole day."))
    number = assess(claim("The talks between the delegations went on for 14 hours."))
    official = assess(
        claim("The talks between the delegations went on for the whole day.", sources=[MINISTER])
    )
    rumour = assess(
        claim(
            "The talks between the delegations went on for the whole day.",
            sources=[ANONYMOUS],
            hedged=True,
        )
    )
    assert number.score > plain.score
    assert official.score > plain.score
    assert rumour.score > plain.score
    reasons = {p.reason for p in rumour.parts}
    assert {"anonymous or vague source", "hedged"} <= reasons


def test_opinion_with_a_number_gets_no_number_bonus() -> None:
    opinion = assess(
        claim("This is the worst 10 years of diplomacy in memory, he thinks.", ClaimKind.opinion)
    )
    assert "number" not in {p.reason for p in opinion.parts}
    assert opinion.score < 0.4


def test_explanation_adds_up() -> None:
    result = assess(
        claim(
            "Officials said 260 people were killed in Tehran in November.",
            ClaimKind.statistic,
            sources=[MINISTER],
        )
    )
    total = 0.30 + sum(p.value for p in result.parts)
    assert abs(result.score - min(1.0, max(0.0, total))) < 1e-9
    assert result.explain().startswith(f"{result.score:.2f} = base 0.30")
    assert "statistic +0.20" in result.explain()
    assert 0.0 <= result.score <= 1.0


def test_short_claims_rank_lower() -> None:
    assert (
        assess(claim("He agreed.")).score
        < assess(claim("The minister agreed to the new sanctions plan today.")).score
    )


def test_extractor_score_is_kept() -> None:
    assert checkworthiness(claim("Anything at all here.", checkworthiness=0.91)) == 0.91
    assert (
        checkworthiness(claim("Anything at all here."))
        == assess(claim("Anything at all here.")).score
    )
