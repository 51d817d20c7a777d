"""Quote location: exact, then tolerant of whitespace/quote marks/dashes/case, then fuzzy."""

from __future__ import annotations

from factcheck.extract.grounding import locate, locate_match

TEXT = (
    "MOSCOW, 28 June. The minister said on Tuesday that \u201ctwelve people \u2014 including "
    "two children \u2014 were hurt\u201d in the blast.\n\nOthers   disagreed,\nsaying the "
    "toll was higher. The minister said on Tuesday that it was over."
)


def test_exact_match_returns_the_span_of_the_first_occurrence() -> None:
    span = locate(TEXT, "The minister said on Tuesday")
    assert span is not None
    assert TEXT[span[0] : span[1]] == "The minister said on Tuesday"
    assert span[0] == TEXT.index("The minister")


def test_window_restricts_where_a_repeated_phrase_is_found() -> None:
    second = TEXT.rindex("The minister")
    span = locate(TEXT, "The minister said on Tuesday", start=second - 5)
    assert span == (second, second + len("The minister said on Tuesday"))


def test_straight_quotes_and_hyphens_match_typographic_ones() -> None:
    found = locate_match(TEXT, '"twelve people - including two children - were hurt"')
    assert found is not None and found.method == "tolerant"
    assert TEXT[found.start : found.end] == (
        "\u201ctwelve people \u2014 including two children \u2014 were hurt\u201d"
    )


def test_whitespace_runs_and_newlines_are_tolerated_and_the_original_span_returned() -> None:
    found = locate_match(TEXT, "Others disagreed, saying the toll was higher.")
    assert found is not None and found.method == "tolerant"
    assert TEXT[found.start : found.end] == "Others   disagreed,\nsaying the toll was higher."


def test_case_differences_are_tolerated() -> None:
    span = locate(TEXT, "others disagreed")
    assert span is not None and TEXT[span[0] : span[1]] == "Others   disagreed"


def test_a_dropped_word_is_matched_fuzzily_to_the_real_text() -> None:
    found = locate_match(TEXT, "twelve people including two children were hurt in the blast")
    assert found is not None
    assert found.method in ("tolerant", "fuzzy")
    assert "were hurt" in TEXT[found.start : found.end]
    assert TEXT[found.start : found.end].endswith("blast")


def test_a_paraphrase_that_is_not_in_the_article_is_not_found() -> None:
    assert locate(TEXT, "Aliens landed in Paris on Monday evening") is None
    assert locate(TEXT, "The president resigned after the blast on Tuesday") is None


def test_short_quotes_are_not_matched_fuzzily() -> None:
    assert locate(TEXT, "toll higher") is None


def test_empty_or_blank_quote_is_not_found() -> None:
    assert locate(TEXT, "") is None
    assert locate(TEXT, "   ") is None


def test_fuzzy_can_be_disabled() -> None:
    quote = "twelve people including two children were hurt in the blast"
    assert locate(TEXT, quote, fuzzy=False) is None
