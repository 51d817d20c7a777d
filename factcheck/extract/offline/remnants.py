"""Stage 4a, clauses (continued): what an attribution leaves of its sentence is no claim.

GUIDELINE §2: a clause that only identifies a source is its role, not a claim. Once the
frames have taken their content, a sentence can keep pieces that are the attribution
itself: "said KCNA", "Jammu and Kashmir Chief Minister Omar Abdullah said", "She asked",
"Discussing his concern in a statement, Malaysia's Prime Minister". These tests say so.
"""

from __future__ import annotations

from spacy.tokens import Token

from factcheck.extract.offline import rules
from factcheck.extract.offline.frame import Frame

FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


# What an attribution frame is made of besides its content: "X also said on Facebook".
FRAME_DEPS = frozenset(
    {"nsubj", "nsubj:pass", "aux", "aux:pass", "advmod", "punct", "mark", "cc", "expl",
     "compound:prt", "iobj", "obl:tmod", "obl:unmarked"}
)  # fmt: skip
REPORTING = (
    rules.words("speech") | rules.words("belief") | rules.words("evidence") | rules.words("relay")
)
MEDIA_WORDS = frozenset(
    "facebook twitter reporters journalists press statement interview conference website "
    "telephone phone television radio media tv x instagram telegram".split()
)


LONE_DEPS = frozenset({"nsubj", "nsubj:pass", "aux", "aux:pass", "advmod", "punct", "cc", "mark"})
# ("what" too: "the New York-based Human Rights Watch reported what it said")
RELATIVES = rules.words("relative_pronouns") | {"what"}
# Verbs that only ever introduce words said: alone they assert nothing.
LONE_CUES = frozenset(
    {"say", "ask", "tell", "add", "write", "explain", "note", "reply", "state", "tweet"}
)


def lone_cue(head: Token, tokens: list[Token]) -> bool:
    """A reporting verb with nothing but its subject ("She asked", "The interviewer
    asked", "who said in October"): what it framed went elsewhere, so it is no claim."""
    if rules.lemma(head.text) not in LONE_CUES or any(c.dep_ == "aux:pass" for c in head.children):
        return False  # "Peacekeepers responded", "no date has been announced" are events
    inside = {t.i for t in tokens}
    own = [
        c
        for c in head.children
        if c.i in inside and c.dep_ not in LONE_DEPS and c.lower_ not in RELATIVES
    ]  # ("which Mr. Bush says": the relative pronoun stands for what was said elsewhere)
    return all(c.dep_.startswith("obl") and c.lower_ in rules.words("time_words") for c in own)


def bare_attribution(head: Token, tokens: list[Token]) -> bool:
    """A speech verb left with only its subject and the medium: the frame of a quotation
    found elsewhere ("Jammu and Kashmir Chief Minister Omar Abdullah said"), no claim."""
    if rules.lemma(head.text) not in REPORTING:
        return False
    inside = {t.i for t in tokens}
    for child in head.children:
        if child.i not in inside or child.dep_ in FRAME_DEPS:
            continue
        if child.dep_ in ("obj", "obl") and child.pos_ == "PROPN":
            continue  # "told TASS", "told the BBC"
        if child.dep_.startswith("obl") or child.dep_ == "obj":
            if any(t.lower_ in MEDIA_WORDS for t in child.subtree):
                continue  # "told reporters", "said in a statement"
        return False
    return True


def source_remnant(tokens: list[Token], frames: list[Frame], lo: int, hi: int) -> bool:
    """What a frame in this sentence leaves around its speaker: a unit holding the
    source's head and no finite verb of its own."""
    doc = tokens[0].doc
    heads = {
        f.source.i
        for f in frames
        if f.source is not None and f.source.doc is doc and lo <= f.cue.i < hi
    }
    return any(t.i in heads for t in tokens) and not any(t.tag_ in FINITE for t in tokens)
