"""Stage 4b, claims: a unit and its sources become a contract `Claim`.

The quote is the unit's span of the article, verbatim; the text is the same proposition
standing alone (its subject restored, a denial's negation spelled out); kind and the
hedging flag are read from the words of the claim and of its cue.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from factcheck.extract.offline import rules
from factcheck.extract.offline.parse import ParsedParagraph
from factcheck.extract.offline.unit import Unit
from factcheck.schema import Claim, ClaimKind, SourceRef

_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_TIME_NOUNS = frozenset(
    "day days week weeks month months year years hour hours minute minutes am pm "
    "o'clock century decade decades".split()
)


# A small count ("arrested four people", "one man") states a fact; a statistic is a
# large count, a quantity hedged by a quantifier, a rate or a sum, or a toll.
_SMALL = frozenset("one two three four five six seven eight nine 1 2 3 4 5 6 7 8 9".split())
_QUANTIFIERS = frozenset(
    "least over more than about nearly almost around some approximately roughly up "
    "percent per % million billion thousand hundred dozens hundreds thousands".split()
)
_TOLL = frozenset(
    "killed dead died death deaths wounded injured hurt toll casualties fatalities "
    "victims displaced missing".split()
)


def _counts(tokens: list[Token]) -> bool:
    """Whether a number in the claim is a statistic (not a date, a time or an age, nor a
    small count stated as a plain fact)."""
    words = {t.lower_ for t in tokens}
    for t in tokens:
        if not (t.like_num or t.pos_ == "NUM" or t.text.endswith("%")):
            continue
        if _YEAR.match(t.text):
            continue
        prev = t.nbor(-1).lower_ if t.i > 0 else ""
        nxt = t.nbor(1).lower_ if t.i + 1 < len(t.doc) else ""
        if prev in _MONTHS or nxt in _MONTHS or nxt in _TIME_NOUNS:
            continue
        if t.lower_ in ("one", "a") and nxt not in ("percent", "%", "million", "billion"):
            continue
        if prev == "," and nxt in (",", "and", ")"):
            continue  # "Siti Aisyah, 25, and …": an age
        if t.lower_ in _SMALL and not (
            prev in _QUANTIFIERS or nxt in _QUANTIFIERS or words & _TOLL
        ):
            continue
        return True
    return False


# Modals that make a claim a judgement of what is possible, not a report of what was
# ("could" and "would" also state ability and reported futures: measured worse on dev).
SPECULATIVE = frozenset({"may", "might"})


def kind_of(tokens: list[Token], cue: str | None, frame_kind: str | None) -> ClaimKind:
    words = {t.lower_ for t in tokens}
    lemmas = {rules.lemma(t.text) for t in tokens}
    if frame_kind in ("characterize",) or (cue or "").lower() in rules.words("belief"):
        return ClaimKind.opinion
    if words & rules.words("opinion_words") or lemmas & rules.words("opinion_words"):
        return ClaimKind.opinion
    future = any(
        t.lower_ in ("will", "'ll", "shall") and t.dep_ in ("aux", "aux:pass") for t in tokens
    ) or ("going" in words and "to" in words)
    if future or (cue or "").lower() in ("predict", "forecast", "expect"):
        return ClaimKind.prediction
    if any(t.lower_ in SPECULATIVE and t.dep_ in ("aux", "aux:pass") for t in tokens):
        return ClaimKind.opinion  # "may have left the boat on purpose"
    if _counts(tokens):
        return ClaimKind.statistic
    return ClaimKind.fact


def hedged(tokens: list[Token], cue: Token | None) -> bool:
    hedges = rules.words("hedges")
    if any(t.lower_ in hedges for t in tokens):
        return True
    if cue is not None and cue.lower_ in ("alleged", "claimed", "reportedly", "rumoured"):
        return True
    return False


def claim_text(unit: Unit, quote: str, denial: bool) -> str:
    text = quote.strip()  # (unit.trim already dropped unpaired and enclosing quote marks)
    if unit.subject is not None and unit.role == "appos":
        text = f"{unit.subject.text} is {text}"
    elif unit.subject is not None and unit.role == "relcl":
        words = text.split(maxsplit=1)
        if words and words[0].lower() in ("who", "which", "that") and len(words) > 1:
            text = f"{unit.subject.text} {words[1]}"
        else:
            text = f"{unit.subject.text}: {text}"
    elif unit.role == "relcl" and text.lower().startswith("which "):
        text = f"This {text[6:]}"  # a "which" that takes a whole clause for antecedent
    elif unit.subject is not None:
        text = f"{unit.subject.text} {text}"
    if denial:
        text = f"It is not the case that {text[0].lower() + text[1:]}" if text else text
    k = 1 if text[:1] in '"“‘' else 0  # ('"No deal" had been made …')
    text = text[:k] + text[k : k + 1].upper() + text[k + 1 :]
    if text and text[-1] not in ".!?":
        text += "."
    return text


def build_claim(
    para: ParsedParagraph, unit: Unit, sources: list[SourceRef], *, extractor: str | None = None
) -> Claim:
    start, end = para.span_chars(unit.first, unit.last)
    quote = para.document_text[start:end]
    tokens = list(para.doc[unit.first.i : unit.last.i + 1])
    frame = unit.frame
    cue_lemma = rules.lemma(frame.cue.text) if frame is not None else None
    spec = rules.frame_spec(frame.name) if frame is not None else {}
    # A denied noun phrase ("denied the links", "a claim the UAE denies") is quoted as it
    # stands; only a denied clause gets its negation spelled out.
    denial = frame is not None and frame.kind == "denial" and not spec.get("quotes_as_said")
    return Claim(
        text=claim_text(unit, quote, denial),
        quote=quote,
        start=start,
        end=end,
        kind=kind_of(tokens, cue_lemma, frame.kind if frame else None),
        # "The attack is reported to have killed 100": a passive report hedges its claim.
        hedged=hedged(tokens, frame.cue if frame else None) or bool(spec.get("hedges")),
        sources=sources,
        extractor=extractor,
    )
