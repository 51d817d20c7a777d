"""Stage 4a, clauses (continued): cuts read along the tokens, where the parse hung a
clause with its own subject and finite verb somewhere no split finds it.

Two shapes: clauses coordinated by ", and" / ", but" / ";" ("No injuries were reported,
but South Korea evacuated 80 people"), and non-restrictive relative clauses after a comma
(", which has affected the routes …"), which end at the next comma.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from factcheck.extract.offline.remnants import FINITE
from factcheck.extract.offline.unit import (
    MIN_TOKENS,
    PREDICATE_POS,
    RELATIVIZERS_SPLIT,
    Unit,
    trim,
)

CLAUSE_LINKS = frozenset({"but", "and", "while", "whereas", "yet"})
# After a comma, "who" opens a non-restrictive clause too (the parse splits only the
# relative words of RELATIVIZERS_SPLIT on its own).
RELATIVE_LINKS = RELATIVIZERS_SPLIT | {"who"}
NP_WORDS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "PRON", "PART", "ADV"})


def coordinated(unit: Unit) -> list[Unit]:
    """A unit the parser left whole although it coordinates two clauses, each with a
    subject and a finite verb ("No injuries were reported, but South Korea evacuated 80
    people", "Myanmar is mainly Buddhist and the UN rates …"): cut at the conjunction.
    Read along the tokens, because the parser attaches such a second clause anywhere."""
    doc = unit.first.doc
    toks = doc[unit.first.i : unit.last.i + 1]
    for k, link in enumerate(toks):
        if link.lower_ in RELATIVE_LINKS and k > 0 and toks[k - 1].text == ",":
            split = _relative(unit, toks, k)
            if split is not None:
                main, clause, after = split
                # What follows the clause is the main clause's own ("Modi, who shares
                # nationalist views, vowed to ban beef").
                tail = coordinated(after) if after is not None else []
                return [*coordinated(main), clause, *tail]
            continue
        if link.lower_ not in CLAUSE_LINKS and link.text != ";":
            continue
        before = toks[:k]
        left_verb = any(t.tag_ in FINITE or _bare_participle(t) for t in before)
        if not left_verb or sum(1 for t in before if not t.is_punct) < 3:
            continue
        after_comma = k > 0 and toks[k - 1].text in (",", ";")
        if link.text != ";" and not after_comma and link.lower_ != "but":
            continue  # "A and B" without a comma is most often a noun list
        j = k + 1
        if link.text == ";":
            # A semicolon joins two sentences ("…; what is known is …", "…; from 2004
            # he was held …"): the second needs only a finite verb of its own.
            j = next((m for m in range(k + 1, len(toks)) if toks[m].tag_ in FINITE), len(toks))
            if j >= len(toks):
                continue
        else:
            while (
                j < len(toks)
                and toks[j].pos_ in NP_WORDS
                and toks[j].tag_ not in FINITE | {"WP", "WDT", "WP$"}
            ):
                j += 1
            if j == k + 1 or j >= len(toks) or toks[j].tag_ not in FINITE:
                continue  # no subject of its own, or no finite verb after it
            if not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in toks[k + 1 : j]):
                continue
        left = trim(list(before))
        right = trim(list(toks[k + 1 :]))
        if sum(1 for t in left if not t.is_punct) < MIN_TOKENS or len(right) < 3:
            continue
        head = toks[j]
        first = replace(unit, first=left[0], last=left[-1])
        rest = Unit(head=head, first=right[0], last=right[-1], role="conj", frame=unit.frame)
        return [first, *coordinated(rest)]
    return [unit]


def _relative(unit: Unit, toks: Span, k: int) -> tuple[Unit, Unit, Unit | None] | None:
    """ "Thailand has cracked down on trafficking, which has affected the routes …": a
    non-restrictive relative clause with a finite verb of its own that the parser hung
    where no split finds it (a sentential "which" above all) is cut off along the tokens."""
    before = toks[: k - 1]
    if not any(t.tag_ in FINITE for t in before) or sum(1 for t in before if not t.is_punct) < 3:
        return None
    j = k + 1
    while j < len(toks) and toks[j].pos_ in NP_WORDS and toks[j].tag_ not in FINITE:
        j += 1
    if j >= len(toks) or toks[j].tag_ not in FINITE or len(toks) - k < 4:
        return None
    # The clause ends at the next comma; what follows it goes on with the main clause
    # ("Modi, who shares nationalist views, vowed to ban beef").
    stop = next((m for m in range(j, len(toks)) if toks[m].text in (",", ";")), len(toks))
    left = trim(list(before))
    rest = trim(list(toks[stop:]))
    right = trim(list(toks[k:stop]))
    if sum(1 for t in left if not t.is_punct) < MIN_TOKENS or len(right) < 3:
        return None
    doc = unit.first.doc
    anchor = toks[k - 2]
    subject = None
    # A verb that disagrees with the noun before the comma ("… in recent months, which
    # has affected …") takes the whole clause for its antecedent: its text says "This".
    agrees = not (
        (anchor.tag_ in ("NNS", "NNPS") and toks[j].tag_ == "VBZ")
        or (anchor.tag_ in ("NN", "NNP") and toks[j].tag_ == "VBP")
    )
    if anchor.pos_ in ("NOUN", "PROPN") and agrees:
        i = anchor.i
        while i > left[0].i and doc[i - 1].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "PART"):
            i -= 1
        subject = doc[i : anchor.i + 1]
    main = replace(unit, first=left[0], last=left[-1])
    clause = Unit(
        head=toks[j], first=right[0], last=right[-1], role="relcl", frame=unit.frame,
        subject=subject,
    )  # fmt: skip
    after = None
    if len(rest) >= 3:
        # "Modi, who …, vowed to ban beef": the predicate takes back the words before the
        # clause as its subject in the text.
        lead = doc[left[0].i : left[-1].i + 1] if rest[0].pos_ in PREDICATE_POS else None
        after = replace(unit, first=rest[0], last=rest[-1], role="conj", subject=lead)
    return main, clause, after


def _bare_participle(token: Token) -> bool:
    """ "Some of the protesters clashed with the forces, and …": a past form the tagger
    calls a participle, with no auxiliary, is the clause's finite verb."""
    return (
        token.tag_ == "VBN"
        and token.i > token.sent.start + 1
        and token.nbor(-1).pos_ in ("NOUN", "PROPN", "PRON")
        and not any(c.dep_ in ("aux", "aux:pass") for c in token.children)
    )
