"""Stage 3, frames: who asserts what, found as named dependency patterns over the parse.

Each frame shape of rules/frames.json is one spaCy DependencyMatcher pattern; the matches
become `Frame`s: the cue, the head of the source phrase, the span of the content and any
relays ("according to Yonhap, quoting KCNA": KCNA asserts, Yonhap relays). Frames are
tried in the listed order and a cue is used once. What is not inside a frame's content is
the article's own voice; directive verbs ("urged", "called for") never match a pattern
here, so their clauses stay the article's.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from factcheck.extract.offline import rules
from factcheck.extract.offline.frame import (
    Frame,
    opening_subject,
    subtree_span,
    trim_span,
    withheld,
    without,
)
from factcheck.extract.offline.frametokens import frame_tokens, relays_of
from factcheck.extract.offline.parse import sentence_of
from factcheck.extract.offline.surface import token_frames

# Dependents that give a cue content of its own: then it cannot frame its head's clause.
OWN_CONTENT = frozenset({"obj", "ccomp"})
PER_UNITS = frozenset("cent capita annum day year week month hour person head".split())


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
def _matchers(vocab: Vocab) -> list[tuple[frozenset[str] | None, DependencyMatcher]]:
    """One matcher per pattern, each with the words its cue can be. A DependencyMatcher
    costs every node of every pattern on every token, so a paragraph is only matched
    against the patterns whose cue words it holds (measured: a third of the time)."""
    out = []
    for spec in rules.frames():
        pattern = _expand(spec["pattern"])
        matcher = DependencyMatcher(vocab)
        matcher.add(spec["name"], [pattern])
        cue = next(node for node in pattern if node["RIGHT_ID"] == "cue")["RIGHT_ATTRS"]
        words = cue.get("LOWER", {}).get("IN") if isinstance(cue.get("LOWER"), dict) else None
        out.append((frozenset(words) if words else None, matcher))
    return out


def find_frames(doc: Doc) -> list[Frame]:
    """Every frame in a paragraph's parse, in pattern order, one per cue."""
    order = {name: i for i, name in enumerate(_specs())}
    found: list[tuple[int, int, Frame]] = []
    words = {t.lower_ for t in doc}
    for cues, matcher in _matchers(doc.vocab):
        if cues is not None and cues.isdisjoint(words):
            continue  # (a cue without a word list is tried everywhere)
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
    for frame in token_frames(doc):
        # Where the parse found no frame at this cue (it took the speaker for an object,
        # or the content for the root), the token reading stands in; some shapes are
        # read better along the tokens whatever the parse says.
        if frame.name in overriding:
            frames = [f for f in frames if f.cue.i != frame.cue.i]
            frames.append(frame)
        elif frame.cue.i not in used:
            frames.append(frame)
    frames.sort(key=lambda f: f.content[0])
    return [_in_series(f, frames) for f in frames]


def _in_series(frame: Frame, frames: list[Frame]) -> Frame:
    """ "…, saying that he was glad the crew had returned, and firmly stating that …": a
    participle the parser hung inside another participle's content, with a subject from
    that content, goes on with the first participle's speaker."""
    if frame.cue.tag_ != "VBG" or frame.source is None:
        return frame
    for other in frames:
        i, j = other.content
        if (
            other is not frame
            and other.cue.tag_ == "VBG"
            and other.source is not None
            and i <= frame.cue.i < j
            and i <= frame.source.i < j
        ):
            return replace(frame, source=other.source, relays=other.relays)
    return frame


def _build(spec: dict[str, Any], nodes: dict[str, Token]) -> Frame | None:
    cue = nodes["cue"]
    if withheld(cue):
        return None
    refused = spec.get("cue_refuses", ())
    impersonal = nodes.get("source") is not None and nodes["source"].lower_ == "it"
    if not impersonal and any(c.dep_ in refused for c in cue.children):
        return None  # ("It is reported that …" stays an impersonal frame)
    if cue.lower_ == "per" and cue.i + 1 < len(cue.doc) and cue.nbor(1).lower_ in PER_UNITS:
        return None  # "82 per cent", "per capita": no source
    if spec.get("source_from") == "sentence-opening":
        opening = opening_subject(cue)
        if opening is None:
            return None
        nodes = {**nodes, "source": opening}
    content_head = nodes.get("content")
    if content_head is not None and _commits(cue, content_head):
        return None
    source = nodes.get("source")
    if source is not None and source.lower_ in rules.words("time_words"):
        return None  # "Saturday, President Sirisena announced": another match has the name
    if source is not None and _lays_down(cue, source):
        return None  # "Per this regulation, …", "The bill adds 21 seats": what a law says
    if source is not None and source.pos_ == "NUM":
        return None  # "arrested seven suspects …": a count, tagged a subject
    mode = spec["content"]
    if mode == "subtree":
        content = _clause_content(cue, nodes["content"])
    elif mode == "subtree-without-cue":
        if any(c.dep_ in OWN_CONTENT and c.lower_ != "that" for c in cue.children):
            return None  # "I feel no pity": a verb with its own object frames nothing else
        content = without(subtree_span(nodes["content"]), subtree_span(cue), cue.doc)
    elif mode == "sentence-without-phrase":
        # "According to X, …" frames the whole sentence, wherever the parser attached
        # the phrase: the content is the sentence minus "according to X".
        assert source is not None
        phrase = _phrase(cue, source)
        source = _phrase_head(cue, phrase) or source
        sent = sentence_of(cue)
        content = without((sent.start, sent.end), phrase, cue.doc)
        nodes = {**nodes, "clause": cue.doc[content[0]] if content[1] > content[0] else cue}
    elif mode == "object-to-complement":
        content = _object_to_complement(cue, nodes["content"])
    elif mode == "case-object":
        # "testified to [specific instances of fraud]": the object, without its "to"
        start, end = subtree_span(nodes["content"])
        for child in cue.rights:  # "to fraud, coercion": a noun list the parser hung higher
            if child.i >= end and child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN"):
                end = child.right_edge.i + 1
        content = (start + 1 if cue.doc[start].lower_ == "to" else start, end)
    elif mode == "cue-subtree":
        content = subtree_span(cue)
    elif mode == "cue-clause":
        content = without(subtree_span(cue), subtree_span(source) if source else (0, 0), cue.doc)
    else:  # pragma: no cover - a typo in frames.json
        raise ValueError(f"frame {spec['name']}: unknown content mode {mode!r}")
    content = trim_span(cue.doc, content)
    if content[1] - content[0] < 2:
        return None
    if (
        source is not None
        and source.lower_ in ("it", "there")
        and (source.dep_ == "expl" or any(c.dep_ == "aux:pass" for c in cue.children))
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


def _lays_down(cue: Token, source: Token) -> bool:
    """Whether the source is a legal text: the head of "the constitution of Jammu", or the
    last noun of "Per this regulation" (its head may be the phrase's first word)."""
    legal = rules.words("legal_documents")
    if source.lower_ in legal:
        return True
    if cue.lower_ in ("per", "according"):
        phrase = cue.doc[cue.i + 1 : source.i + 1]
        return any(t.lower_ in legal for t in phrase)
    return False


def _commits(cue: Token, content: Token) -> bool:
    """ "Iran has agreed to not build …": a commitment to act, told in the article's voice."""
    if rules.lemma(cue.text) not in rules.words("commissive"):
        return False
    return content.tag_ == "VB" and any(c.lower_ == "to" for c in content.children)


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


# Complements that carry what a speech verb asserts. The shipped parser often breaks one
# content clause into several of them ("said [25 accused] [were sentenced …, and 26 …]"):
# all of a cue's complements after it are its content.
CONTENT_DEPS = frozenset({"ccomp", "parataxis", "csubj"})


def _clause_content(cue: Token, content: Token) -> tuple[int, int]:
    start, end = subtree_span(content)
    if content.i < cue.i or content.dep_ not in CONTENT_DEPS:
        return start, end
    for child in cue.rights:
        if child.dep_ in CONTENT_DEPS and child.i != content.i:
            start = min(start, child.left_edge.i)
            end = max(end, child.right_edge.i + 1)
    return start, end


def _object_to_complement(cue: Token, obj: Token) -> tuple[int, int]:
    start, end = subtree_span(obj)
    for child in cue.rights:
        if child.i <= obj.i or child.dep_ == "punct":
            continue
        if child.dep_ in ("obl", "advcl", "xcomp", "ccomp", "obj", "iobj"):
            end = max(end, child.right_edge.i + 1)
        else:
            break
    return start, end
