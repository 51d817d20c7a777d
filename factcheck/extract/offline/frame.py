"""Stage 3, frames: the `Frame` record every frame finder produces, and the span helpers
they share (a content span trimmed of attribution glue, a span without a phrase).

`frames.py` finds frames as dependency patterns over the parse, `surface.py` the shapes
read along the tokens where the parse is least reliable; both build `Frame`s here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from factcheck.extract.offline import rules
from factcheck.extract.offline.parse import sentence_of

# Dependents that make a cue not an assertion: "did not say", "never claimed".
NEGATIONS = frozenset({"not", "n't", "never", "no"})
# Words that take a cue away from its subject: "declined to say", "refused to confirm",
# "unable to determine".
WITHHOLDING = frozenset({"decline", "refuse", "fail", "hesitate", "unable"})
# Modals that make a cue an order rather than an account: "must understand", "should know".
OBLIGATIONS = frozenset({"must", "should", "ought"})
PUNCT_EDGE = frozenset({",", ";", ":", "-", "--", "—", "–", "(", ")", "and", "but", "that"})


@dataclass(frozen=True, slots=True)
class Frame:
    """One attribution: `source` (head token, None when impersonal) asserts the tokens
    content[0]..content[1]-1 of the paragraph's doc."""

    name: str
    kind: str
    cue: Token
    source: Token | None
    content: tuple[int, int]
    relays: tuple[Token, ...] = ()
    # Tokens of the attribution itself ("the ministry said that"), kept out of claims.
    frame_tokens: frozenset[int] = field(default_factory=frozenset)

    @property
    def cue_text(self) -> str:
        """The cue as the article words it ("according to", "said")."""
        doc = self.cue.doc
        nxt = doc[self.cue.i + 1] if self.cue.i + 1 < len(doc) else None
        if self.cue.lower_ == "according" and nxt is not None:
            return f"{self.cue.lower_} {nxt.lower_}"
        phrasal = nxt is not None and nxt.lower_ in ("to", "out")
        if phrasal and nxt is not None and rules.lemma(self.cue.text) == "point":
            return f"{self.cue.text} {nxt.text}"  # "pointed to", "points out"
        return self.cue.text


def withheld(cue: Token) -> bool:
    """Whether the cue asserts nothing: negated ("did not say"), withheld ("declined to
    confirm"), or obliged ("Assad must understand that …" tells him what to think)."""
    if any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in cue.children if c.i < cue.i):
        return True
    if any(c.dep_ == "aux" and c.lower_ in OBLIGATIONS for c in cue.children):
        return True
    head = cue.head
    return cue.dep_ == "xcomp" and rules.lemma(head.text) in WITHHOLDING


def subtree_span(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i + 1


def without(outer: tuple[int, int], inner: tuple[int, int], doc: Doc) -> tuple[int, int]:
    """The longest run of `outer` outside `inner` (a contiguous content span)."""
    before = (outer[0], max(outer[0], min(inner[0], outer[1])))
    after = (min(outer[1], max(inner[1], outer[0])), outer[1])
    runs = [r for r in (before, after) if r[1] > r[0]]
    if not runs:
        return (outer[0], outer[0])
    return max(runs, key=lambda r: sum(1 for t in doc[r[0] : r[1]] if not t.is_punct))


def trim_span(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    """Cut attribution glue and punctuation from the edges of a content span."""
    i, j = span
    while i < j and (
        doc[i].is_punct
        and doc[i].text not in ('"', "“", "'", "‘")
        or (doc[i].lower_ in PUNCT_EDGE and doc[i].dep_ in ("mark", "cc", "punct"))
    ):
        i += 1
    while j > i and (doc[j - 1].is_punct and doc[j - 1].text not in ('"', "”", "'", "’")):
        j -= 1
    return i, j


def opening_subject(cue: Token) -> Token | None:
    """The name (else the noun) opening the cue's sentence, when nothing between it and
    the cue is a verb of another clause or a preposition's object: "However, UK citizen
    Jim Swire, father of another victim, believes …" gives Swire."""
    sent = sentence_of(cue)
    span = cue.doc[sent.start : cue.i]
    if span and span[0].pos_ == "ADP":
        # "At exactly 12 noon BST, British Prime Minister Tony Blair …": the phrase that
        # opens the sentence names a time or place, not the speaker.
        comma = next((t.i for t in span if t.text == ","), None)
        if comma is not None:
            span = cue.doc[comma + 1 : cue.i]
    if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in span):
        return None
    nouns = [t for t in span if t.pos_ in ("PROPN", "NOUN", "PRON")]
    names = [t for t in nouns if t.pos_ == "PROPN"]
    pool = names or nouns
    if not pool:
        return None
    first = pool[0]
    if first.i > span.start and first.nbor(-1).pos_ == "ADP":
        return None
    k = first.i
    while k + 1 < cue.i and cue.doc[k + 1].pos_ == "PROPN":
        k += 1  # "Jim Swire": the run's last name
    return cue.doc[k]
