"""One phenomenon of real news text per test: cleaning, sentences, attribution forms,
carry-over, source typing, claim shape. Each asserts source, type, cue and span."""

from __future__ import annotations

from factcheck.extract.offline import clean, sentences
from tests.extract.helpers import claim_with, extract

# ---------------------------------------------------------------- cleaning


def test_scraping_noise_and_duplicated_headline_are_not_claims() -> None:
    text = (
        "Ports reopen after strike\n\nPorts reopen after strike\n\n[ad_1]\n\n"
        "Dockers at the port of Antwerp returned to work on Monday after a three-day strike.\n\n"
        "Read more: the strike in pictures\n\n[ad_2]\n\nSource link\n"
    )
    claims = extract(text)
    quotes = [c.quote for c in claims]
    assert quotes.count("Ports reopen after strike") == 1
    assert not any("ad_" in q or "Source link" in q or "Read more" in q for q in quotes)
    assert any(q.startswith("Dockers at the port of Antwerp") for q in quotes)


def test_datelines_are_cut_but_offsets_still_index_the_original() -> None:
    for prefix in ("MOSCOW | TASS | ", "LONDON, June 27 (Reuters) - ", "(Reuters) - "):
        text = prefix + "The central bank raised its key rate to 16 percent on Friday."
        (claim,) = extract(text)
        assert claim.start == len(prefix)
        assert claim.quote.startswith("The central bank raised")
        assert claim.kind == "statistic"


def test_bylines_are_dropped() -> None:
    spans = clean.paragraphs("By Anna Berg and Tom Lee\n\nThe council met on Tuesday.")
    assert len(spans) == 1


# ---------------------------------------------------------------- sentences


def test_sentences_respect_abbreviations_initials_and_acronyms() -> None:
    text = (
        "Gov. Mike Pence met J. Smith in the U.S. capital on Sept. 11. "
        "The talks went well. “We agreed. We will meet again,” he said."
    )
    got = [text[s:e] for s, e in sentences.split(text, 0, len(text))]
    assert got[0] == "Gov. Mike Pence met J. Smith in the U.S. capital on Sept. 11."
    assert got[1] == "The talks went well."
    assert len(got) == 4


# ---------------------------------------------------------------- direct quotes


def test_curly_quote_with_trailing_frame() -> None:
    text = "“The bridge will be closed for two weeks,” city engineer Maria Lopez said on Monday."
    claim = claim_with(extract(text), "bridge will be closed")
    (src,) = claim.sources
    assert (src.name, src.cue, src.mention) == ("Maria Lopez", "said", "city engineer Maria Lopez")
    assert src.role == "city engineer"
    assert claim.quote == "The bridge will be closed for two weeks"


def test_straight_quote_inverted_frame_with_apposition() -> None:
    text = (
        '"Inflation has peaked," said Kirill Semyonov, an expert at the Russian Council on '
        "International Affairs."
    )
    (claim,) = extract(text)
    (src,) = claim.sources
    assert src.name == "Kirill Semyonov"
    assert src.type == "expert"
    assert src.role == "expert at the Russian Council on International Affairs"
    assert src.cue == "said"


def test_guillemet_quote_with_colon_introduction() -> None:
    text = "Interior Minister Anton Vaino told reporters: «The police acted within the law.»"
    claim = claim_with(extract(text), "police acted within the law")
    (src,) = claim.sources
    assert src.name == "Anton Vaino"
    assert src.type == "official"
    assert src.cue == "told"


def test_partial_quote_inside_indirect_speech() -> None:
    text = "Radan called the talks a “very good start” for closer cooperation with Tehran."
    (claim,) = extract(text)
    assert claim.quote.startswith("Radan called the talks")
    assert claim.sources[0].cue == "called"
    assert claim.kind == "opinion"


def test_quote_running_over_several_paragraphs_keeps_its_speaker() -> None:
    text = (
        "Mayor Jan de Vries said: “The budget is balanced for the first time in a decade.\n\n"
        "“We cut spending on consultants by half and sold two empty buildings.”\n\n"
        "The council will vote on the plan next week."
    )
    claims = extract(text)
    second = claim_with(claims, "cut spending on consultants")
    assert second.sources[0].name == "Jan de Vries"
    assert claim_with(claims, "council will vote").sources == []


def test_quote_resumed_after_its_frame_with_a_dash() -> None:
    text = (
        "Kirill Semyonov, an expert at the Council, spoke. “It was a routine visit,” the expert "
        "said. – Moscow has a strong counterintelligence structure.”"
    )
    claim = claim_with(extract(text), "Moscow has a strong")
    assert claim.sources[0].name == "Kirill Semyonov"
    assert claim.sources[0].mention == "the expert"


def test_transcript_speaker_labels() -> None:
    text = (
        '"WALLACE: Will she be at the debate?\n\n"PENCE: She will not attend the debate tomorrow.'
    )
    claim = claim_with(extract(text), "She will not attend")
    assert claim.sources[0].name.lower() == "pence"
    assert claim.sources[0].cue == ":"


# ---------------------------------------------------------------- indirect speech


def test_indirect_speech_with_cue_first() -> None:
    text = (
        "Finance Minister Olga Petrova said that the deficit would shrink to 2 percent next year."
    )
    (claim,) = extract(text)
    assert claim.quote == "the deficit would shrink to 2 percent next year"
    assert claim.sources[0].name == "Olga Petrova"
    assert claim.sources[0].type == "official"


def test_indirect_speech_with_frame_last() -> None:
    text = "The factory will close in March, a company spokesman said on Tuesday."
    (claim,) = extract(text)
    assert claim.quote == "The factory will close in March"
    (src,) = claim.sources
    assert (src.name, src.named, src.cue) == ("company spokesman", False, "said")


def test_indirect_speech_with_inverted_frame_and_title() -> None:
    text = "Bilateral trade has doubled over the past year, continues Iranist Nikita Smagin."
    (claim,) = extract(text)
    (src,) = claim.sources
    assert (src.name, src.role, src.cue, src.type) == (
        "Nikita Smagin",
        "Iranist",
        "continues",
        "expert",
    )


def test_parenthetical_frame_inside_the_content() -> None:
    text = "At the same time, Smagin adds, the visit was planned well in advance."
    (claim,) = extract(text)
    assert claim.quote == "the visit was planned well in advance"
    assert claim.sources[0].cue == "adds"


def test_according_to_at_start_and_end() -> None:
    claims = extract(
        "According to official figures, more than 260 people were killed.\n\n"
        "The convoy was attacked twice, according to Western media."
    )
    first = claim_with(claims, "260 people")
    assert (first.sources[0].name, first.sources[0].type) == ("official figures", "official")
    assert first.sources[0].named is False and first.kind == "statistic"
    second = claim_with(claims, "convoy was attacked")
    assert (second.sources[0].name, second.sources[0].type) == ("Western media", "media")


def test_belief_and_assessment_cues() -> None:
    text = (
        "Iran is the side most interested in the deal, Kirill Semyonov, an expert at the "
        "Russian Council on International Affairs, believes."
    )
    (claim,) = extract(text)
    assert claim.sources[0].cue == "believes"
    assert claim.sources[0].role == "expert at the Russian Council on International Affairs"
    assert claim.kind == "opinion"


def test_headline_attribution_with_dash() -> None:
    text = "Moscow and Tehran will expand police cooperation – Iran\n\nTalks began on Monday."
    claim = claim_with(extract(text), "Moscow and Tehran")
    assert claim.sources[0].name == "Iran"


def test_relay_according_to_gives_a_source_chain() -> None:
    text = "The meeting was postponed, a Kremlin source said, according to TASS."
    (claim,) = extract(text)
    assert [s.name for s in claim.sources] == ["Kremlin source", "TASS"]
    assert claim.sources[0].named is False
    assert claim.sources[1].type == "media"


def test_relay_citing_puts_the_original_first() -> None:
    text = "The plant was shut down on Friday, RIA Novosti reported, citing the regional governor."
    (claim,) = extract(text)
    assert [s.name for s in claim.sources][0] == "regional governor"
    assert claim.sources[0].type == "official"
    assert claim.sources[1].name == "RIA Novosti"


# ---------------------------------------------------------------- carry-over


def test_the_expert_resolves_to_the_person_introduced_as_expert() -> None:
    text = (
        "Nikolai Patrushev, secretary of the Security Council, met the delegation.\n\n"
        "Kirill Semyonov, an expert at the Russian Council on International Affairs, "
        "followed the talks.\n\n"
        "“The visit was routine,” the expert said."
    )
    claim = claim_with(extract(text), "The visit was routine")
    assert claim.sources[0].name == "Kirill Semyonov"
    assert claim.sources[0].mention == "the expert"
    assert claim.sources[0].type == "expert"


def test_pronoun_and_surname_resolve_to_the_full_name() -> None:
    text = (
        "Ahmad Reza Radan, Commander-in-Chief of Iranian Law Enforcement Forces, arrived in "
        "Moscow.\n\nRadan said the talks were useful. He pointed to joint work against drug "
        "trafficking."
    )
    claims = extract(text)
    first = claim_with(claims, "the talks were useful")
    second = claim_with(claims, "pointed to joint work")
    for claim in (first, second):
        assert claim.sources[0].name == "Ahmad Reza Radan"
        assert claim.sources[0].type == "official"
    assert second.sources[0].mention == "He"
    assert second.text.startswith("Ahmad Reza Radan pointed to")


def test_unframed_quote_paragraph_continues_the_last_speaker() -> None:
    text = (
        "“It is a positive thing for the workers,” union president Jeff Traeger said.\n\n"
        "“We can now bring our concerns to management as one voice.”"
    )
    claim = claim_with(extract(text), "bring our concerns")
    assert claim.sources[0].name == "Jeff Traeger"


def test_report_source_carries_over_within_its_paragraph() -> None:
    text = (
        "According to the Iranian embassy, the visit took place at Russia's invitation. "
        "The general will also hold talks with Viktor Zolotov."
    )
    claim = claim_with(extract(text), "will also hold talks")
    assert claim.sources[0].name == "Iranian embassy"


# ---------------------------------------------------------------- claims


def test_joined_assertions_become_atomic_claims() -> None:
    text = (
        "“Tehran can send forces to Russia, including proxies, but Moscow is still very far "
        "from asking for such help,” the expert concluded."
    )
    claims = extract(text)
    assert [c.quote for c in claims] == [
        "Tehran can send forces to Russia, including proxies",
        "Moscow is still very far from asking for such help",
    ]


def test_hedges_make_their_own_hedged_claim() -> None:
    text = (
        "Semyonov recalled that protests followed the death of student Mahsa Amini, allegedly "
        "at the hands of the vice police."
    )
    claims = extract(text)
    hedged = claim_with(claims, "allegedly")
    assert hedged.hedged is True
    assert claim_with(claims, "protests followed").hedged is False


def test_article_voice_claims_have_no_source_and_kinds_are_set() -> None:
    text = (
        "Unemployment fell to 4.1 percent in May.\n\n"
        "The new bridge is expected to open by 2026.\n\n"
        "Was this a good deal?\n\nThank you.\n\n"
        "The minister visited the plant on Tuesday."
    )
    claims = extract(text)
    assert [c.sources for c in claims] == [[], [], []]
    kinds = {c.quote.split()[1]: c.kind for c in claims}
    assert kinds == {"fell": "statistic", "new": "prediction", "minister": "fact"}
    assert all(c.extractor == "offline" and c.text.endswith(".") for c in claims)
