"""Each stage of the offline extractor on its own: document, parse, frames, quotations,
clauses, sources and claims (the whole chain is tests/extract/test_cases.py)."""

from __future__ import annotations

from spacy.tokens import Doc

from factcheck.extract.offline import document, parse
from factcheck.extract.offline.assemble import hedged, kind_of
from factcheck.extract.offline.clauses import split_role, units
from factcheck.extract.offline.frames import find_frames
from factcheck.extract.offline.parse_model import load_pipeline
from factcheck.extract.offline.pipeline import extract_claims
from factcheck.extract.offline.quotations import find_quotations
from factcheck.extract.offline.sourcetypes import type_of
from factcheck.extract.offline.speakers import Registry
from factcheck.schema import ClaimKind, SourceType


def _doc(text: str) -> Doc:
    return load_pipeline()(text)


def test_document_keeps_offsets_and_finds_the_headline() -> None:
    text = "Floods hit the north\n\n[ad_1]\n\nHeavy rain fell. Rivers rose.\n"
    doc = document.read(text)
    spans = [text[p.start : p.end] for p in doc.paragraphs]
    assert spans == ["Floods hit the north", "Heavy rain fell. Rivers rose."]
    assert [p.headline for p in doc.paragraphs] == [True, False]


def test_parse_opens_a_sentence_at_every_paragraph_and_keeps_offsets() -> None:
    text = "Minister says talks failed\n\nThe ministry said on Monday that talks had failed."
    parsed = parse.parse(document.read(text))
    assert len(parsed.paragraphs) == 2
    sentences = list(parsed.sentences())
    assert [text[s.start : s.end] for s in sentences] == [
        "Minister says talks failed",
        "The ministry said on Monday that talks had failed.",
    ]
    second = parsed.paragraphs[1]
    said = next(t for t in second.doc if t.text == "said")
    assert text[second.start(said) : second.end(said)] == "said"


def test_frames_name_cue_source_and_content() -> None:
    doc = _doc("The ministry said 12 people were hurt in the blast.")
    (frame,) = find_frames(doc)
    assert (frame.name, frame.cue.text, frame.source.text if frame.source else None) == (
        "speech-verb-clause",
        "said",
        "ministry",
    )
    assert doc[frame.content[0] : frame.content[1]].text == "12 people were hurt in the blast"


def test_directive_verbs_frame_nothing() -> None:
    assert find_frames(_doc("The United Nations urged both sides to stop the fighting.")) == []


def test_quotations_with_and_without_their_opening_mark() -> None:
    doc = _doc("\u201cThe dam is safe,\u201d he said. Engineers checked it.\u201d")
    quotes = find_quotations(doc)
    assert [doc[q.first : q.last + 1].text for q in quotes][0] == "\u201cThe dam is safe,\u201d"
    assert len(quotes) == 2 and doc[quotes[1].last].text == "\u201d"


def test_clauses_split_coordinated_predicates_not_noun_lists() -> None:
    doc = _doc("The rebels seized a port, sank two ships and launched drones.")
    sank = next(t for t in doc if t.text == "sank")
    assert split_role(sank) == "conj"
    found = units(next(iter(doc.sents)), [])
    assert [doc[u.first.i : u.last.i + 1].text for u in found] == [
        "The rebels seized a port",
        "sank two ships",
        "launched drones",
    ]
    assert found[1].subject is not None and found[1].subject.text == "The rebels"
    listed = _doc("The council discussed drug trafficking, terrorism and smuggling.")
    assert len(units(next(iter(listed.sents)), [])) == 1


def test_sources_resolve_titles_pronouns_descriptions_and_surnames() -> None:
    text = (
        "Foreign Minister Ana Ruiz met the envoy.\n\n"
        "She said the border would reopen. Ruiz added that talks would go on."
    )
    claims = extract_claims(text)
    names = {c.quote: c.sources[0].name for c in claims if c.sources}
    assert names["the border would reopen"] == "Ana Ruiz"
    assert names["talks would go on"] == "Ana Ruiz"
    registry = Registry()
    parsed = parse.parse(document.read(text))
    registry.scan(parsed.paragraphs)
    (ruiz,) = [k for k in registry.known if k.name == "Ana Ruiz"]
    assert ruiz.type is SourceType.official and ruiz.person


def test_types_follow_the_institution() -> None:
    assert type_of("an expert at the Russian Council on International Affairs".split()) == (
        SourceType.expert
    )
    assert type_of("UN Office of the High Commissioner".split()) == SourceType.organization
    assert type_of(["Moscow"]) == SourceType.official
    assert type_of("press service of the Kremlin".split()) == SourceType.official


def test_kind_and_hedging_come_from_the_claim_words() -> None:
    doc = _doc("More than 260 demonstrators were reportedly killed in March.")
    tokens = list(doc)
    assert kind_of(tokens, None, None) is ClaimKind.statistic
    assert hedged(tokens, None)
    assert kind_of(list(_doc("The plan is unfair.")), None, None) is ClaimKind.opinion
    assert kind_of(list(_doc("Prices will rise next year.")), None, None) is ClaimKind.prediction


def test_a_name_is_not_joined_across_a_comma_to_the_name_before() -> None:
    """However the parser hangs "United States" (here as a flat part of "Al-Shabab"), the
    speaker of "a group the United States believes is …" is the United States."""
    words = "Al-Shabab , a group the United States believes is a proxy .".split()
    heads = [10, 3, 3, 0, 6, 6, 0, 10, 10, 10, 10, 10]
    deps = ["nsubj", "punct", "det", "appos", "det", "amod", "flat", "nsubj", "cop", "det",
            "ROOT", "punct"]  # fmt: skip
    pos = ["PROPN", "PUNCT", "DET", "NOUN", "DET", "PROPN", "PROPN", "VERB", "AUX", "DET",
           "NOUN", "PUNCT"]  # fmt: skip
    doc = Doc(load_pipeline().vocab, words=words, heads=heads, deps=deps, pos=pos)
    text = doc.text
    para = parse.ParsedParagraph(0, document.Paragraph(0, len(text)), doc, text)
    source = Registry().resolve(para, doc[6], "believes")
    assert source.name == "United States"


def test_whole_quotations_stay_within_their_paragraph() -> None:
    """With whole quotations, each paragraph's quotation is one claim of its own and never
    merged with another paragraph's (they were, at random, while quotations were told
    apart by the id of a frame already freed)."""
    paragraphs = []
    for n in range(20):
        paragraphs.append(
            f'"The road to village {n} is closed. The bridge was washed away," the mayor '
            f"said. Officials said {n + 3} houses were flooded, and the army sent boats."
        )
        paragraphs.append(f"Residents of village {n} said the water rose overnight.")
    text = "\n\n".join(paragraphs)
    runs = [extract_claims(text, whole_quotes=True) for _ in range(3)]
    for claims in runs:
        for claim in claims:
            assert "\n" not in claim.quote, claim.quote
        assert [c.quote for c in claims] == [c.quote for c in runs[0]]
