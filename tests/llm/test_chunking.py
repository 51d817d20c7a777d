"""Splitting long articles on paragraph boundaries under a token budget."""

from __future__ import annotations

from factcheck.extract.llm.chunking import estimate_tokens, split_chunks


def _article(paragraphs: int, words: int) -> str:
    return "\n\n".join(
        f"Paragraph {i} opens here. " + " ".join(f"word{i}x{j}" for j in range(words)) + "."
        for i in range(paragraphs)
    )


def test_short_article_is_one_chunk_without_context() -> None:
    text = _article(3, 20)
    chunks = split_chunks(text, 3000)
    assert len(chunks) == 1
    assert chunks[0].text == text and chunks[0].context == ""


def test_long_article_splits_on_paragraphs_under_budget_and_offsets_index_the_text() -> None:
    text = _article(40, 150)
    chunks = split_chunks(text, 1000)
    assert len(chunks) > 1
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        assert estimate_tokens(chunk.text) <= 1000
        assert chunk.text.startswith("Paragraph ")  # never cut inside a paragraph
    # Every paragraph lands in exactly one chunk, in order.
    joined = "".join(c.text for c in chunks).replace("\n", "")
    assert joined == text.replace("\n", "")


def test_later_chunks_carry_preceding_context() -> None:
    text = _article(40, 150)
    chunks = split_chunks(text, 1000)
    assert chunks[1].context
    assert chunks[1].context in text[: chunks[1].start]


def test_a_paragraph_over_budget_is_cut_on_sentences() -> None:
    sentence = "The council met again and voted on the budget for the coming year. "
    text = sentence * 200
    chunks = split_chunks(text, 500)
    assert len(chunks) > 1
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        assert chunk.text.startswith("The council") and chunk.text.endswith(".")


def test_two_thousand_words_of_news_prose_fit_in_one_chunk_at_the_default_budget() -> None:
    sentences = [
        "The regional council voted on Tuesday to raise the school budget by four percent.",
        "Officials said the money would pay for new teachers and repairs to old buildings.",
        "Opposition members argued that the plan ignored rising costs in rural districts.",
        "A spokesperson for the governor told reporters that talks would continue next week.",
    ]
    paragraph = " ".join(sentences * 2)
    text = "\n\n".join([paragraph] * paragraphs_for(2000, paragraph))
    assert len(text.split()) >= 2000
    assert len(split_chunks(text, 3000)) == 1


def paragraphs_for(words: int, paragraph: str) -> int:
    """Paragraphs needed for at least `words` words."""
    return -(-words // len(paragraph.split()))
