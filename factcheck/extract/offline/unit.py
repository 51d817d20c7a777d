"""Stage 4a, clauses: the `Unit` record (one proposition of a sentence) and the word
classes the clause cutters share (`clauses` along the parse, `cuts` along the tokens)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from factcheck.extract.offline.frame import Frame

# Adverbial clauses with their own proposition; "if", "when", "unless" conditions stay
# inside the claim they condition.
SPLIT_MARKERS = frozenset(
    {"after", "before", "though", "although", "while", "whereas", "because", "since", "as",
     "following", "despite", "amid", "until", "once", "with"}
)  # fmt: skip
RELATIVIZERS_SPLIT = frozenset({"which", "where", "whom", "whose"})
PREDICATE_POS = frozenset({"VERB", "AUX"})
SUBJECTS = frozenset({"nsubj", "nsubj:pass", "csubj", "expl"})
# Leading words a unit's quote does not need: conjunctions and clause markers.
EDGE_WORDS = frozenset(
    {"and", "but", "or", "so", "yet", "nor", "then", "also", "however", "therefore", "thus",
     "hence", "moreover", "furthermore", "meanwhile", "nonetheless", "nevertheless", "indeed"}
)  # fmt: skip
MIN_TOKENS = 2


def is_predicate(token: Token) -> bool:
    if token.pos_ in PREDICATE_POS:
        return True
    return any(c.dep_ in ("cop", *SUBJECTS) for c in token.children)


def has_subject(token: Token) -> bool:
    return any(c.dep_ in SUBJECTS for c in token.children)


@dataclass(frozen=True, slots=True)
class Unit:
    """One proposition: tokens first..last of the paragraph doc (inclusive)."""

    head: Token
    first: Token
    last: Token
    role: str  # root, conj, advcl, relcl, appos, parataxis, content, with
    frame: Frame | None
    subject: Span | None = None  # the subject to restore in the text ("the city …")


def trim(tokens: list[Token]) -> list[Token]:
    """Cut conjunctions, markers and stray punctuation off both edges, until none is left."""
    while True:
        before = len(tokens)
        while tokens and (
            tokens[0].is_punct
            and tokens[0].text not in '"“‘'
            or tokens[0].lower_ in EDGE_WORDS
            or tokens[0].dep_ == "mark"
            and tokens[0].lower_ in SPLIT_MARKERS | {"that"}
        ):
            tokens = tokens[1:]
        while tokens and tokens[-1].is_punct and tokens[-1].text not in '"”’)':
            tokens = tokens[:-1]
        # A quote mark whose partner is outside the unit belongs to the sentence.
        if tokens and tokens[-1].text in '"”' and not any(t.text in '"“' for t in tokens[:-1]):
            tokens = tokens[:-1]
        if tokens and tokens[0].text in '"“' and not any(t.text in '"”' for t in tokens[1:]):
            tokens = tokens[1:]
        # A claim that is one whole quotation is quoted without its marks.
        if len(tokens) > 2 and tokens[0].text in '"“' and tokens[-1].text in '"”':
            if not any(t.text in '"“”' for t in tokens[1:-1]):
                tokens = tokens[1:-1]
        if len(tokens) == before:
            return tokens
