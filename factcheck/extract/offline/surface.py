"""Stage 3, frames (continued): the frame shapes read along the tokens.

rules/frames.json "token_frames" are spaCy `Matcher` patterns over the surface tokens, for
the shapes a small parser gets wrong most often: a speaker and cue closing the sentence
after a comma ("…, said KCNA.", "…, X told the Press Trust of India."), a parenthetical
frame ("A, X adds, B"), a cue right after its subject ("Critics claim …", "Blair had told
reporters that …") and "X said that Y". `frames.find_frames` lets them stand in where the
parse found no frame at the cue.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from factcheck.extract.offline import rules
from factcheck.extract.offline.frame import (
    NEGATIONS,
    Frame,
    opening_subject,
    trim_span,
    withheld,
    without,
)
from factcheck.extract.offline.frametokens import RELAY_LEMMAS, relays_of
from factcheck.extract.offline.parse import sentence_of

SPEECHLIKE = rules.words("speech") | rules.words("belief")
# Speech verbs whose object is who hears it: "told reporters" never names the speaker.
ADDRESSING = frozenset({"tell", "inform", "brief", "assure", "advise", "remind", "warn"})


@cache
def _token_matcher(vocab: Vocab) -> Matcher:
    matcher = Matcher(vocab)
    for spec in rules.token_frames():
        matcher.add(spec["name"], [_token_pattern(p) for p in spec["patterns"]], greedy="LONGEST")
    return matcher


def _token_pattern(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for node in pattern:
        node = dict(node)
        lower = node.get("LOWER")
        if isinstance(lower, dict) and isinstance(lower.get("IN"), str):
            names = lower["IN"].lstrip("@").split("+")
            node["LOWER"] = {"IN": sorted(set().union(*(rules.forms(n) for n in names)))}
        out.append(node)
    return out


def token_frames(doc: Doc) -> list[Frame]:
    """Frames read along the tokens (rules/frames.json "token_frames"): a speech verb and
    its speaker closing the sentence after a comma."""
    out: list[Frame] = []
    specs = {spec["name"]: spec for spec in rules.token_frames()}
    for match_id, start, end in _token_matcher(doc.vocab)(doc):
        spec = specs[doc.vocab.strings[match_id]]
        if spec.get("shape_kind") in SHAPES:
            make = SHAPES[spec["shape_kind"]]
            frame = make(doc, start, end, spec)
            if frame is not None:
                out.append(frame)
            continue
        sent = sentence_of(doc[start])
        if end < len(doc) and not (doc[end].is_space or doc[end].is_sent_start):
            continue  # the frame must close its sentence (the parser may split it early)
        tail = doc[start + 1 : end - 1]
        cue = next(
            (
                t
                for t in tail
                if rules.lemma(t.text) in rules.words("speech") | rules.words("belief")
            ),
            None,
        )
        if cue is None:
            continue
        if cue.i == start + 1 and (doc[cue.i + 1].pos_ in ("VERB", "ADP", "PART")):
            continue  # "…, vowed to ban beef.", "…, testified by video.": no speaker after
        nouns = [
            t
            for t in tail
            if t.pos_ in ("PROPN", "NOUN", "PRON")
            and t.i != cue.i
            and t.lower_ not in rules.words("time_words")
        ]
        before = [t for t in nouns if t.i < cue.i]
        if not nouns:
            continue
        relays: tuple[Token, ...] = ()
        if before:
            # "…, X said." and "…, X told the Press Trust of India.": the speaker comes
            # before the cue (its first name: "Kirill Semyonov, an expert at …, believes");
            # what follows it is the addressee or the medium.
            source = next((t for t in before if t.pos_ in ("PROPN", "PRON")), before[-1])
            relays = _told(cue, [t for t in nouns if t.i > cue.i])
        else:
            # "…, said analyst Nina Petrova." and "…, said Manuchehr Mottaki, Iran's Foreign
            # Minister.": the first name after the cue, not the title after it.
            source = next((t for t in nouns if t.pos_ == "PROPN"), nouns[-1])
        content = trim_span(doc, (sent.start, start + (1 if doc[start].text in '”"’' else 0)))
        if content[1] - content[0] < 3:
            continue
        out.append(
            Frame(
                name=doc.vocab.strings[match_id],
                kind=spec["cue_kind"],
                cue=cue,
                source=source,
                content=content,
                relays=relays,
                frame_tokens=frozenset(range(start, end)),
            )
        )
    return out


def _spec_frame(
    spec: dict[str, Any], cue: Token, source: Token, content: tuple[int, int], own: range
) -> Frame:
    """The frame a token pattern found: its name and cue kind from the pattern's spec."""
    return Frame(
        name=spec["name"],
        kind=spec["cue_kind"],
        cue=cue,
        source=source,
        content=content,
        frame_tokens=frozenset(own),
    )


def _told(cue: Token, after: list[Token]) -> tuple[Token, ...]:
    """The outlet of "X told the Press Trust of India": a named addressee of "tell"
    relays the speaker (GUIDELINE §4); "told reporters" names no one."""
    if rules.lemma(cue.text) != "tell" or not after:
        return ()
    head = next((t for t in after if t.head.i == cue.i), after[0])
    named = head.pos_ == "PROPN" or any(
        c.dep_ == "compound" and c.pos_ == "PROPN" for c in head.children
    )
    return (head,) if named else ()


def _with_relays(frame: Frame) -> Frame:
    """A token-read frame with the relay a "citing X" after its cue names."""
    assert frame.source is not None
    relays, original = relays_of(frame.cue, {"source": frame.source}, frame.content)
    if original is None:
        return frame
    cited = {
        t.i for t in frame.cue.children if rules.lemma(t.text) in RELAY_LEMMAS for t in t.subtree
    }
    return Frame(
        name=frame.name,
        kind=frame.kind,
        cue=frame.cue,
        source=original,
        content=frame.content,
        relays=(frame.source, *relays),
        frame_tokens=frame.frame_tokens | cited,
    )


def _parenthetical_frame(doc: Doc, start: int, end: int, spec: dict[str, Any]) -> Frame | None:
    """ "A, Smagin adds, B": the speaker is the phrase's last name or noun, the content
    the sentence around the phrase."""
    inner = doc[start + 1 : end - 1]
    cue = next((t for t in inner if rules.lemma(t.text) in SPEECHLIKE), None)
    if cue is None:
        return None
    nouns = [t for t in inner if t.pos_ in ("PROPN", "NOUN", "PRON") and t.i != cue.i]
    if not nouns:
        return None
    if cue.i < nouns[0].i and rules.lemma(cue.text) in ADDRESSING:
        return None  # "Hassan Rouhani, the Iranian president, told reporters, …": the listeners
    sent = sentence_of(doc[start])
    if end < sent.end and doc[end].text in ('"', "“"):
        # '…, his father Iqbal Khan said, "This issue is not just about my son.': the
        # quotation the phrase opens is what he says, not the time phrase before it.
        content = trim_span(doc, (end, sent.end))
    else:
        content = trim_span(doc, without((sent.start, sent.end), (start, end), doc))
    if content[1] - content[0] < 3:
        return None
    return _with_relays(
        Frame(
            name=spec["name"],
            kind=spec["cue_kind"],
            cue=cue,
            source=nouns[-1],
            content=content,
            frame_tokens=frozenset(range(start, end)),
        )
    )


def _subject_frame(doc: Doc, start: int, end: int, spec: dict[str, Any]) -> Frame | None:
    """ "Critics claim Y": the noun before the cue speaks, Y runs from after the cue (and
    its "that") to the end of the sentence and must hold a verb of its own."""
    source = doc[start]
    if source.like_num or source.pos_ == "NUM":
        return None  # "Police arrested seven suspects in …": a count before a noun
    # The cue follows the subject, an auxiliary or adverb ("Blair had told reporters
    # that …"), or a parenthetical adverb ("Wang, however, cautions …").
    cue = next((t for t in doc[start + 1 : end] if t.lower_ in _cue_forms()), None)
    if cue is None:
        return None
    if withheld(cue) or (start > 0 and doc[start - 1].lower_ in NEGATIONS):
        return None
    after = doc[cue.i + 1]
    if cue.tag_ in ("NN", "NNS") and not (after.pos_ in ("DET", "PRON") or after.lower_ == "that"):
        return None  # "the party's claims 40 …": a noun, unless a clause plainly follows
    k = start
    while k > 0 and doc[k - 1].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "PART"):
        k -= 1
    if k > 0 and doc[k - 1].pos_ == "ADP" and doc[k - 1].lower_ != "of":
        return None  # "near police posts 12": the noun phrase is a preposition's object
    first = end - 1
    if doc[end - 1].lower_ == "that":
        first = end
    elif after.lower_ == "that":
        first = cue.i + 2
    content = trim_span(doc, (first, sentence_of(cue).end))
    inside = doc[content[0] : content[1]]
    if content[1] - content[0] < 3 or not any(t.pos_ in ("VERB", "AUX") for t in inside[1:]):
        return None
    own = range(source.left_edge.i if source.left_edge.i <= start else start, first)
    return _spec_frame(spec, cue, source, content, own)


@cache
def _cue_forms() -> frozenset[str]:
    return rules.forms("speech") | rules.forms("belief")


def _denied_claim_frame(doc: Doc, start: int, end: int, spec: dict[str, Any]) -> Frame | None:
    """ "…, an accusation the government strongly denies.": the apposition is its own
    claim, asserted (as a denial) by the noun phrase before the cue."""
    cue = doc[end - 2]
    nouns = [t for t in doc[start + 3 : end - 2] if t.pos_ in ("PROPN", "NOUN", "PRON")]
    if not nouns:
        return None
    return Frame(
        name=spec["name"],
        kind="denial",
        cue=cue,
        source=nouns[-1],
        content=(start + 1, end - 1),
        frame_tokens=frozenset({start}),
    )


def _that_frame(doc: Doc, start: int, end: int, spec: dict[str, Any]) -> Frame | None:
    """ "X recalled that Y": the cue's subject speaks, Y runs to the end of the sentence."""
    cue = doc[start]
    source = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
    if source is None:
        # "In February last year, Miliband denied that …": the parser hung the name
        # elsewhere; the noun right before the cue (past auxiliaries and adverbs) speaks.
        k = cue.i - 1
        while k > sentence_of(cue).start and doc[k].pos_ in ("AUX", "ADV"):
            k -= 1
        if k >= sentence_of(cue).start and doc[k].pos_ in ("PROPN", "NOUN", "PRON"):
            if doc[k].lower_ not in rules.words("time_words"):
                source = doc[k]
        if source is None:
            # "Another RIA Novosti report, dated March 30, states that …"
            source = opening_subject(cue)
        if source is None and cue.tag_ == "VBG" and cue.head.i != cue.i:
            # "Blair made a statement outside Downing Street, saying that …": the speaker
            # of the verb the participle goes with.
            head = cue.head
            source = next((c for c in head.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
            if source is None or source.lower_ in rules.words("time_words"):
                source = opening_subject(head)  # ("At 12 noon BST, Blair made …")
    if source is None or withheld(cue):
        return None
    content = trim_span(doc, (end, sentence_of(cue).end))
    if content[1] - content[0] < 3:
        return None
    denial = rules.lemma(cue.text) in rules.words("denial")
    return Frame(
        name=spec["name"],
        kind="denial" if denial else spec["cue_kind"],
        cue=cue,
        source=source,
        content=content,
        frame_tokens=frozenset({start, end - 1}),
    )


def _relative_frame(doc: Doc, start: int, end: int, spec: dict[str, Any]) -> Frame | None:
    """ "…, which Iran insists is for peaceful purposes": the first name before the cue
    (else its last noun) speaks; the content runs from the finite verb after the cue to
    the clause's end (the next comma or semicolon, else the sentence's)."""
    cue = doc[end - 2]
    if withheld(cue) or (cue.tag_ == "NNS" and doc[end - 1].tag_ == "MD"):
        return None
    words = [t for t in doc[start : cue.i] if t.pos_ in ("PROPN", "NOUN", "PRON")]
    names = [t for t in words if t.pos_ == "PROPN"]
    if not words:
        return None
    source = names[0] if names else words[-1]
    while source.i + 1 < cue.i and doc[source.i + 1].pos_ == "PROPN":
        source = doc[source.i + 1]  # "the United States": the run's last name
    sent = sentence_of(cue)
    stop = next((t.i for t in doc[end - 1 : sent.end] if t.text in (",", ";")), sent.end)
    content = trim_span(doc, (end - 1, stop))
    if content[1] - content[0] < 3:
        return None
    return _spec_frame(spec, cue, source, content, range(start, end - 1))


SHAPES = {
    "that": _that_frame,
    "parenthetical": _parenthetical_frame,
    "subject": _subject_frame,
    "denied-claim": _denied_claim_frame,
    "relative": _relative_frame,
}
