"""Stage 3, frames: who asserts what, found as named dependency patterns over the parse.

Each frame shape of rules/frames.json is one spaCy DependencyMatcher pattern; the matches
become `Frame`s: the cue, the head of the source phrase, the span of the content and any
relays ("according to Yonhap, quoting KCNA": KCNA asserts, Yonhap relays). Frames are
tried in the listed order and a cue is used once. What is not inside a frame's content is
the article's own voice; directive verbs ("urged", "called for") never match a pattern
here, so their clauses stay the article's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from factcheck.extract.offline import rules
from factcheck.extract.offline.frametokens import RELAY_LEMMAS, frame_tokens, relays_of
from factcheck.extract.offline.parse import sentence_of

# Dependents that make a cue not an assertion: "did not say", "never claimed".
NEGATIONS = frozenset({"not", "n't", "never", "no"})
# Verbs that take a cue away from its subject: "declined to say", "refused to confirm".
WITHHOLDING = frozenset({"decline", "refuse", "fail", "hesitate"})
SPEECHLIKE = rules.words("speech") | rules.words("belief")
# Dependents that give a cue content of its own: then it cannot frame its head's clause.
OWN_CONTENT = frozenset({"obj", "ccomp"})
PER_UNITS = frozenset("cent capita annum day year week month hour person head".split())
# Speech verbs whose object is who hears it: "told reporters" never names the speaker.
ADDRESSING = frozenset({"tell", "inform", "brief", "assure", "advise", "remind", "warn"})
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


def _expand(value: Any, *, inflect: bool = False) -> Any:
    """A pattern with '@list' names replaced by the lists of words.json. The shipped
    parser has no lemmatizer (it would halve its speed), so a LEMMA condition becomes a
    LOWER one over every inflected form of its words."""
    if isinstance(value, dict):
        out_dict: dict[str, Any] = {}
        for k, v in value.items():
            if k == "LEMMA":
                out_dict["LOWER"] = _expand(v, inflect=True)
            else:
                out_dict[k] = _expand(v, inflect=inflect)
        return out_dict
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            if isinstance(item, str) and item.startswith("@"):
                name = item[1:]
                out.extend(sorted(rules.forms(name) if inflect else rules.words(name)))
            elif isinstance(item, str) and inflect:
                out.extend(sorted(rules._inflect(item)))
            else:
                out.append(_expand(item, inflect=inflect))
        return out
    if isinstance(value, str) and inflect:
        return {"IN": sorted(rules._inflect(value))}
    return value


@cache
def _specs() -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in rules.frames()}


@cache
def _matcher(vocab: Vocab) -> DependencyMatcher:
    matcher = DependencyMatcher(vocab)
    for spec in rules.frames():
        matcher.add(spec["name"], [_expand(spec["pattern"])])
    return matcher


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


def _token_frames(doc: Doc) -> list[Frame]:
    """Frames read along the tokens (rules/frames.json "token_frames"): a speech verb and
    its speaker closing the sentence after a comma."""
    out: list[Frame] = []
    specs = {spec["name"]: spec for spec in rules.token_frames()}
    for match_id, start, end in _token_matcher(doc.vocab)(doc):
        spec = specs[doc.vocab.strings[match_id]]
        if spec.get("shape_kind") in ("that", "parenthetical", "subject"):
            make = {
                "that": _that_frame,
                "parenthetical": _parenthetical_frame,
                "subject": _subject_frame,
            }[spec["shape_kind"]]
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
        content = _trim(doc, (sent.start, start + (1 if doc[start].text in '”"’' else 0)))
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
    content = _trim(doc, _without((sent.start, sent.end), (start, end), doc))
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
    # The cue follows the subject, an auxiliary or adverb ("Blair had told reporters
    # that …"), or a parenthetical adverb ("Wang, however, cautions …").
    cue = next((t for t in doc[start + 1 : end] if t.lower_ in _cue_forms()), None)
    if cue is None:
        return None
    if _withheld(cue) or (start > 0 and doc[start - 1].lower_ in NEGATIONS):
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
    content = _trim(doc, (first, sentence_of(cue).end))
    inside = doc[content[0] : content[1]]
    if content[1] - content[0] < 3 or not any(t.pos_ in ("VERB", "AUX") for t in inside[1:]):
        return None
    return Frame(
        name=spec["name"],
        kind=spec["cue_kind"],
        cue=cue,
        source=source,
        content=content,
        frame_tokens=frozenset(
            range(source.left_edge.i if source.left_edge.i <= start else start, first)
        ),
    )


@cache
def _cue_forms() -> frozenset[str]:
    return rules.forms("speech") | rules.forms("belief")


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
    if source is None or _withheld(cue):
        return None
    content = _trim(doc, (end, sentence_of(cue).end))
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


def find_frames(doc: Doc) -> list[Frame]:
    """Every frame in a paragraph's parse, in pattern order, one per cue."""
    matcher = _matcher(doc.vocab)
    order = {name: i for i, name in enumerate(_specs())}
    found: list[tuple[int, int, Frame]] = []
    for match_id, token_ids in matcher(doc):
        name = doc.vocab.strings[match_id]
        spec = _specs()[name]
        nodes = {p["RIGHT_ID"]: doc[i] for p, i in zip(spec["pattern"], token_ids, strict=True)}
        frame = _build(spec, nodes)
        if frame is not None:
            found.append((order[name], frame.cue.i, frame))
    found.sort(key=lambda x: (x[0], x[1]))
    used: set[int] = set()
    frames: list[Frame] = []
    for _, cue_i, frame in found:
        if cue_i in used:
            continue
        used.add(cue_i)
        frames.append(frame)
    overriding = {t["name"] for t in rules.token_frames() if t.get("overrides_parse")}
    for frame in _token_frames(doc):
        # Where the parse found no frame at this cue (it took the speaker for an object,
        # or the content for the root), the token reading stands in; some shapes are
        # read better along the tokens whatever the parse says.
        if frame.name in overriding:
            frames = [f for f in frames if f.cue.i != frame.cue.i]
            frames.append(frame)
        elif frame.cue.i not in used:
            frames.append(frame)
    frames.sort(key=lambda f: f.content[0])
    return frames


def _build(spec: dict[str, Any], nodes: dict[str, Token]) -> Frame | None:
    cue = nodes["cue"]
    if _withheld(cue):
        return None
    refused = spec.get("cue_refuses", ())
    impersonal = nodes.get("source") is not None and nodes["source"].lower_ == "it"
    if not impersonal and any(c.dep_ in refused for c in cue.children):
        return None  # ("It is reported that …" stays an impersonal frame)
    if cue.lower_ == "per" and cue.i + 1 < len(cue.doc) and cue.nbor(1).lower_ in PER_UNITS:
        return None  # "82 per cent", "per capita": no source
    source = nodes.get("source")
    if source is not None and source.lower_ in rules.words("time_words"):
        return None  # "Saturday, President Sirisena announced": another match has the name
    mode = spec["content"]
    if mode == "subtree":
        content = _clause_content(cue, nodes["content"])
    elif mode == "subtree-without-cue":
        if any(c.dep_ in OWN_CONTENT and c.lower_ != "that" for c in cue.children):
            return None  # "I feel no pity": a verb with its own object frames nothing else
        content = _without(_subtree(nodes["content"]), _subtree(cue), cue.doc)
    elif mode == "sentence-without-phrase":
        # "According to X, …" frames the whole sentence, wherever the parser attached
        # the phrase: the content is the sentence minus "according to X".
        assert source is not None
        phrase = _phrase(cue, source)
        source = _phrase_head(cue, phrase) or source
        sent = sentence_of(cue)
        content = _without((sent.start, sent.end), phrase, cue.doc)
        nodes = {**nodes, "clause": cue.doc[content[0]] if content[1] > content[0] else cue}
    elif mode == "object-to-complement":
        content = _object_to_complement(cue, nodes["content"])
    elif mode == "cue-subtree":
        content = _subtree(cue)
    elif mode == "cue-clause":
        content = _without(_subtree(cue), _subtree(source) if source else (0, 0), cue.doc)
    else:  # pragma: no cover - a typo in frames.json
        raise ValueError(f"frame {spec['name']}: unknown content mode {mode!r}")
    content = _trim(cue.doc, content)
    if content[1] - content[0] < 2:
        return None
    if source is not None and source.lower_ in ("it", "there") and (
        source.dep_ == "expl" or any(c.dep_ == "aux:pass" for c in cue.children)
    ):
        source = None  # "It was reported that …": no one named
    relays, original = relays_of(cue, nodes, content)
    if original is not None:
        relays = (source, *relays) if source is not None else relays
        source = original
    own_tokens = frame_tokens(cue, source, relays, nodes, content)
    kind = spec["cue_kind"]
    if kind == "speech" and rules.lemma(cue.text) in rules.words("denial"):
        kind = "denial"
    return Frame(
        name=spec["name"],
        kind=kind,
        cue=cue,
        source=source,
        content=content,
        relays=tuple(r for r in relays if r is not None),
        frame_tokens=frozenset(own_tokens),
    )


def _phrase(cue: Token, source: Token) -> tuple[int, int]:
    """The tokens of "according to X": the cue, its 'to', and the noun phrase of X up to the
    next punctuation (read off the tokens: a parser often misattaches this phrase)."""
    doc = cue.doc
    end = cue.i + 1
    if end < len(doc) and doc[end].lower_ == "to":
        end += 1
    while (
        end < sentence_of(cue).end
        and not doc[end].is_punct
        and doc[end].pos_ not in ("VERB", "AUX")
    ):
        end += 1
    if end < sentence_of(cue).end and doc[end].text in (")",):
        end += 1
    return min(cue.i, source.left_edge.i if source.left_edge.i > cue.i else cue.i), end


def _phrase_head(cue: Token, phrase: tuple[int, int]) -> Token | None:
    """The head noun of X in "according to X": the last noun before "of" ("the press
    service of the Kremlin" is a press service's), else the phrase's last noun."""
    doc = cue.doc
    nouns: list[Token] = []
    for t in doc[max(cue.i + 1, phrase[0]) : phrase[1]]:
        if t.lower_ in ("of", "for", "at", "from", "in", "on") and nouns:
            break
        if t.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            nouns.append(t)
    return nouns[-1] if nouns else None


def _withheld(cue: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in cue.children if c.i < cue.i):
        return True
    head = cue.head
    return cue.dep_ == "xcomp" and rules.lemma(head.text) in WITHHOLDING


def _subtree(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i + 1


# Complements that carry what a speech verb asserts. The shipped parser often breaks one
# content clause into several of them ("said [25 accused] [were sentenced …, and 26 …]"):
# all of a cue's complements after it are its content.
CONTENT_DEPS = frozenset({"ccomp", "parataxis", "csubj"})


def _clause_content(cue: Token, content: Token) -> tuple[int, int]:
    start, end = _subtree(content)
    if content.i < cue.i or content.dep_ not in CONTENT_DEPS:
        return start, end
    for child in cue.rights:
        if child.dep_ in CONTENT_DEPS and child.i != content.i:
            start = min(start, child.left_edge.i)
            end = max(end, child.right_edge.i + 1)
    return start, end


def _without(outer: tuple[int, int], inner: tuple[int, int], doc: Doc) -> tuple[int, int]:
    """The longest run of `outer` outside `inner` (a contiguous content span)."""
    before = (outer[0], max(outer[0], min(inner[0], outer[1])))
    after = (min(outer[1], max(inner[1], outer[0])), outer[1])
    runs = [r for r in (before, after) if r[1] > r[0]]
    if not runs:
        return (outer[0], outer[0])
    return max(runs, key=lambda r: sum(1 for t in doc[r[0] : r[1]] if not t.is_punct))


def _trim(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
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


def _object_to_complement(cue: Token, obj: Token) -> tuple[int, int]:
    start, end = _subtree(obj)
    for child in cue.rights:
        if child.i <= obj.i or child.dep_ == "punct":
            continue
        if child.dep_ in ("obl", "advcl", "xcomp", "ccomp", "obj", "iobj"):
            end = max(end, child.right_edge.i + 1)
        else:
            break
    return start, end
