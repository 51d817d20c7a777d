"""Direct quotations: the spans between quote marks, and who speaks each one.

A quotation is often framed once for several sentences ('"A. B," he said.'), framed by a
colon ('X said: "…"'), or continued in the next paragraph. `quote_frames` gives every
quotation that no dependency frame already covers a frame of its own: the speech verb in
the sentence where it opens or closes, the colon introduction before it, or the speaker
of the quotation it continues.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from factcheck.extract.offline import rules
from factcheck.extract.offline.frame import Frame
from factcheck.extract.offline.parse import sentence_of

OPENING = frozenset("“„«")
CLOSING = frozenset("”»")
STRAIGHT = '"'
SUBJECTS = frozenset({"nsubj", "nsubj:pass"})
SPEAKING_PRONOUNS = frozenset({"he", "she", "they"})
# Fewer words than this between quote marks are a phrase the writer quotes, not speech.
SCARE_QUOTE_WORDS = 4


@dataclass(frozen=True, slots=True)
class Quotation:
    """Tokens first..last of a paragraph's doc between (and including) quote marks."""

    first: int
    last: int
    open_start: bool  # no opening mark: it continues the previous paragraph's quotation
    open_end: bool  # no closing mark: it goes on in the next paragraph

    def covers(self, i: int) -> bool:
        return self.first <= i <= self.last


def find_quotations(doc: Doc) -> list[Quotation]:
    marks: list[tuple[int, str]] = []
    for token in doc:
        ch = token.text
        if len(ch) == 1 and (ch in OPENING or ch in CLOSING or ch == STRAIGHT):
            marks.append((token.i, ch))
    out: list[Quotation] = []
    start: int | None = None
    for i, ch in marks:
        opening = ch in OPENING or (ch == STRAIGHT and start is None)
        if opening and start is None:
            start = i
        elif not opening and start is not None:
            out.append(Quotation(start, i, False, False))
            start = None
        elif not opening and start is None and i > 0:
            # A closing mark with no opening: the quotation began a paragraph before, or
            # the writer dropped the mark after a frame ('…,” the expert said. – Moscow
            # has …”'). It runs from the end of the last one (or the paragraph's start).
            begin = out[-1].last + 1 if out else 0
            while begin < i and sentence_of(doc[begin]).start != begin and out:
                begin += 1
            out.append(Quotation(begin, i, not out, False))
    if start is not None:
        out.append(Quotation(start, len(doc) - 1, False, True))
    return out


def _speech_cue(token: Token) -> bool:
    return rules.lemma(token.text) in rules.words("speech") | rules.words("belief") and (
        token.pos_ in ("VERB", "AUX")
    )


def _subject(token: Token) -> Token | None:
    time = rules.words("time_words")
    subj = next((c for c in token.children if c.dep_ in SUBJECTS and c.lower_ not in time), None)
    if subj is None:
        # '"…," said a guardian whose son …': after the verb, the parser may call the
        # speaker its object.
        subj = next(
            (c for c in token.rights if c.dep_ in ("obj", "obl", "appos", "nmod")
             and c.pos_ in ("NOUN", "PROPN")),
            None,
        )  # fmt: skip
    if subj is None and token.i > 0 and token.nbor(-1).text in (",", '"', "”"):
        # '"…," said Duyeon Kim of the …, "…"': the parser may hang the inverted speaker
        # from the quotation's second half; the name right after the verb speaks.
        for t in token.doc[token.i + 1 : token.i + 5]:
            if t.is_punct:
                break
            if t.pos_ in ("PROPN", "NOUN"):
                subj = t
                break
    if subj is None and (
        token.dep_ == "conj" or (token.dep_ in ("advcl", "xcomp") and token.tag_ == "VBG")
    ):
        # '…, saying "…"', and 'Sharif condemned the lynching and said, "…"': the
        # subject of the verb it goes with.
        subj = next((c for c in token.head.children if c.dep_ in SUBJECTS), None)
    if (
        subj is None
        and rules.lemma(token.head.text) in rules.words("relay")
        and token.head.i != token.i
    ):
        subj = next((c for c in token.head.children if c.dep_ in SUBJECTS), None)
    return subj


ENDS = frozenset({".", "?", "!"})


def _cue_near(doc: Doc, quote: Quotation) -> Token | None:
    """A speech verb outside the quotation, between it and the end of its sentence ('"…,"
    said X.') or between the sentence start and it ('X said, "…"'). Read along the tokens,
    not the parser's sentences: they often end a sentence at the closing quote mark."""
    i = quote.last + 1
    closing = doc[quote.last - 1].text if quote.last > quote.first else ""
    if closing == "." or (closing in ENDS and i < len(doc) and not doc[i].text[:1].islower()):
        # '"… rolled back." He said …': a full stop inside the marks closes the sentence,
        # so the next sentence's verb does not frame it ('"…?" she asked' still does).
        i = len(doc)
    while i < len(doc) and doc[i].text not in ENDS and doc[i].text not in OPENING:
        token = doc[i]
        if _speech_cue(token) and _subject(token) is not None:
            return token
        i += 1
    i = quote.first - 1
    while i >= 0 and doc[i].text not in ENDS and doc[i].text not in CLOSING:
        token = doc[i]
        if _speech_cue(token) and _subject(token) is not None:
            return token
        i -= 1
    # 'X welcomed the deal: "…"': any verb with a subject right before a colon.
    if quote.first > 0 and doc[quote.first - 1].text == ":":
        verb = doc[quote.first - 1].head
        while verb.i >= quote.first and verb.head.i != verb.i:
            verb = verb.head
        if verb.i < quote.first and _subject(verb) is not None:
            return verb
    return None


def quote_frames(
    doc: Doc, frames: list[Frame], carried: Frame | None, before: Span | None = None
) -> tuple[list[Frame], Frame | None]:
    """Frames for the quotations of a paragraph that no frame covers, and the frame a
    quotation left open at the paragraph's end carries into the next one. `before` is the
    last sentence of the previous paragraph."""
    out: list[Frame] = []
    last: Frame | None = None
    quotations = find_quotations(doc)
    for n, quote in enumerate(quotations):
        words = [t for t in doc[quote.first : quote.last + 1] if not t.is_punct]
        if len(words) < SCARE_QUOTE_WORDS and not quote.open_start and not quote.open_end:
            continue  # 'a "very good start"': words quoted inside a sentence, not speech
        # A frame whose cue is inside the quotation is the speaker's own ("I think …"):
        # only a cue outside it names who speaks.
        covering = [
            f for f in frames
            if f.content[0] <= quote.last and quote.first < f.content[1]
            and not quote.covers(f.cue.i)
        ]  # fmt: skip
        owner: Frame | None = None
        cue = _cue_near(doc, quote)
        if cue is not None:
            owner = next((f for f in covering if f.cue.i == cue.i), None)
        if owner is None and covering:
            owner = covering[0]
        if owner is None:
            if cue is not None:
                owner = Frame(
                    name="quotation",
                    kind="speech",
                    cue=cue,
                    source=_subject(cue),
                    content=(quote.first, quote.last + 1),
                )
            elif (quote.open_start or (n == 0 and quote.first <= 1)) and carried is not None:
                owner = _continue(carried, quote)
            elif last is not None and quote.first - last.content[1] < 40:
                owner = _continue(last, quote)
            else:
                owner = _after_subject(doc, quote, before)
        if owner is None:
            continue
        if _fragment(doc, quote, owner, covering):
            # 'He said the provisions of the deal "cut off Iran's paths to a bomb"': a
            # quotation inside what a frame already attributes is part of that claim.
            last = owner
            continue
        # The whole quotation is the speaker's, every sentence of it, even when a frame
        # covers only one (the innermost frame still wins for its own sentences).
        out.append(
            owner if owner.content == (quote.first, quote.last + 1) else _continue(owner, quote)
        )
        last = owner
    carry = last if quotations and quotations[-1].open_end else None
    if carry is None and quotations and last is not None and len(quotations) == 1:
        carry = last  # a paragraph that is one framed quotation: the next may go on with it
    return out, carry


def _fragment(doc: Doc, quote: Quotation, owner: Frame, covering: list[Frame]) -> bool:
    """A quoted fragment inside what a frame already attributes: it opens in lower case,
    not after a colon ('said the provisions "cut off Iran's paths"'), so it is part of
    that claim rather than a quotation of its own ('told the court: "This piece …"')."""
    inside = owner in covering and owner.content[0] <= quote.first and quote.last < owner.content[1]
    if not inside or quote.open_start:
        return False
    words = [t for t in doc[quote.first : quote.last + 1] if not t.is_punct]
    after_colon = quote.first > 0 and doc[quote.first - 1].text == ":"
    return bool(words) and words[0].text[:1].islower() and not after_colon


def _after_subject(doc: Doc, quote: Quotation, before: Span | None) -> Frame | None:
    """A quotation that opens its sentence with no speaker in sight, right after a
    sentence about someone ('Ms Maliwal demanded … . "I will not go home …"'): in the news,
    the words of that sentence's subject."""
    opening = doc[quote.first]
    start = sentence_of(opening).start
    if quote.first > start + 1 or (start == 0 and before is None):
        return None
    previous = sentence_of(doc[start - 1]) if start > 0 else before
    assert previous is not None
    root = next((t for t in previous if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ not in ("VERB", "AUX"):
        return None
    subject = _subject(root)
    if subject is None or not (subject.pos_ == "PROPN" or subject.lower_ in SPEAKING_PRONOUNS):
        return None
    return Frame(
        name="quotation-after-subject",
        kind="speech",
        cue=root,
        source=subject,
        content=(quote.first, quote.last + 1),
    )


def _continue(owner: Frame, quote: Quotation) -> Frame:
    # 'described the closure as "of limited value, but it's not meaningless."': what the
    # quotation goes on to say is speech, not more of the characterisation.
    kind = "speech" if owner.kind in ("characterize", "accuse") else owner.kind
    return Frame(
        name="quotation-continued",
        kind=kind,
        cue=owner.cue,
        source=owner.source,
        content=(quote.first, quote.last + 1),
        relays=owner.relays,
    )
