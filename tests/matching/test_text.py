"""Normalisation and guards: what makes two similar sentences different claims."""

from __future__ import annotations

import pytest

from factcheck.matching.index import LexicalIndex
from factcheck.matching.text import Verdict, features, guard

SAME = [
    (
        "More than 260 people were killed in the attack, officials said.",
        "Officials said more than 260 people were killed in the attack.",
    ),
    ("Moscow can learn from Tehran.", "Moscow can learn from Tehran, the expert said."),
    ("Twenty-five people died in 2019.", "25 people died in 2019."),
    ("1.5 million people fled the city.", "1,500,000 people fled the city."),
    ("Unemployment fell to 4.5% in March.", "Unemployment fell to 4.5 percent in March."),
]

DIFFERENT = [
    ("More than 260 people were killed.", "More than 26 people were killed.", "numbers differ"),
    ("Moscow can learn from Tehran.", "Moscow cannot learn from Tehran.", "negation differs"),
    ("The company paid taxes.", "The company didn't pay taxes.", "negation differs"),
    ("The vote is on Sept. 11, 2016.", "The vote is on September 12, 2016.", "dates differ"),
    ("Turnout rose in 2016.", "Turnout rose in 2018.", "dates differ"),
    ("Turnout rose in 2016.", "Turnout rose in 201.", "numbers differ"),
    ("It takes 15 minutes and 1 day.", "It takes 1 minutes and 1 day.", "numbers differ"),
    (
        "Trump said Mexico will pay for the wall.",
        "Clinton said Mexico will pay for the wall.",
        "different names",
    ),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_paraphrases_agree_and_score_high(a: str, b: str) -> None:
    fa, fb = features(a), features(b)
    assert guard(fa, fb)[0] is Verdict.OK
    assert LexicalIndex().similarity(fa, fb) >= 0.75


@pytest.mark.parametrize(("a", "b", "why"), DIFFERENT)
def test_hard_non_matches_conflict(a: str, b: str, why: str) -> None:
    verdict, reason = guard(features(a), features(b))
    assert verdict is Verdict.CONFLICT
    assert reason is not None and reason.startswith(why)


def test_guard_is_symmetric() -> None:
    for a, b, _ in DIFFERENT:
        assert guard(features(a), features(b))[0] == guard(features(b), features(a))[0]


def test_a_fact_on_one_side_only_is_soft() -> None:
    verdict, reason = guard(
        features("Hundreds of people were killed in the attack."),
        features("260 people were killed in the attack."),
    )
    assert verdict is Verdict.SOFT and reason == "a number or date on one side only"
    verdict, _ = guard(
        features("The wall will be paid for by Mexico."),
        features("Trump said the wall will be paid for by Mexico."),
    )
    assert verdict is Verdict.SOFT


def test_numbers_are_canonical() -> None:
    assert features("It cost $1,200,000.").numbers == {"1200000"}
    assert features("It cost 1.2 million dollars.").numbers == {"1200000"}
    assert features("three hundred troops").numbers == {"300"}
    # Vague amounts and "one of" are not quantities to guard on.
    assert features("hundreds of troops, one of them hurt").numbers == frozenset()


def test_may_the_verb_is_not_a_date() -> None:
    assert features("Prices may rise.").dates == frozenset()
    assert features("Prices rose on May 3.").dates == {"m5d3"}


def test_sentence_initial_common_words_are_not_names() -> None:
    assert features("Officials said Moscow will act.").entities == {"moscow"}
