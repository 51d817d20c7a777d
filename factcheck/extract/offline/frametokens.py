"""Stage 3, frames (continued): the relays and the attribution's own tokens of a frame.

"According to Yonhap, quoting KCNA" makes KCNA the asserter and Yonhap its relay; the
words of the attribution itself ("the ministry said in a statement") are kept out of the
claims cut from the sentence.
"""

from __future__ import annotations

from spacy.tokens import Token

from factcheck.extract.offline import rules

# Relays inside a frame's clause: "…, quoting KCNA, …", "citing officials".
RELAY_LEMMAS = rules.words("relay")


def relays_of(
    cue: Token, nodes: dict[str, Token], content: tuple[int, int]
) -> tuple[tuple[Token, ...], Token | None]:
    """Relays of the frame, and the original asserter when "quoting X" names one."""
    relays: list[Token] = []
    original: Token | None = None
    anchors = [cue, nodes.get("clause"), nodes.get("source")]
    for anchor in anchors:
        if anchor is None:
            continue
        if anchor.i != cue.i and rules.lemma(anchor.text) in RELAY_LEMMAS:
            # "According to Reuters, citing two officials, …": the parser may make the
            # participle the clause itself.
            objs = sorted(
                (
                    g
                    for g in anchor.children
                    if g.dep_ in ("obj", "obl") and g is not nodes.get("source")
                ),
                key=lambda g: g.dep_ != "obj",
            )
            if objs:
                original = objs[0]
        for child in anchor.children:
            if rules.lemma(child.text) in RELAY_LEMMAS and child.dep_ in (
                "advcl",
                "acl",
                "xcomp",
                "conj",
            ):
                objs = [g for g in child.children if g.dep_ in ("obj", "nsubj", "obl")]
                if objs and not (content[0] <= child.i < content[1] and child.i > content[0] + 2):
                    original = objs[0]
    if rules.lemma(cue.text) == "tell":
        for child in cue.children:
            if child.dep_ in ("iobj", "obj") and child.pos_ == "PROPN":
                relays.append(child)
    return tuple(relays), original


def frame_tokens(
    cue: Token,
    source: Token | None,
    relays: tuple[Token | None, ...],
    nodes: dict[str, Token],
    content: tuple[int, int],
) -> set[int]:
    """The attribution's own tokens: everything of the frame's clause outside the content
    that belongs to the cue, the source phrase or the relay phrases."""
    inside = set(range(*content))
    out = set() if cue.i in inside else {cue.i}
    heads = [t for t in (source, *relays) if t is not None]
    for head in heads:
        out.update(t.i for t in head.subtree if t.i not in inside)
    for child in cue.children:
        if child.i in inside:
            continue
        if child.dep_ in (
            "aux",
            "aux:pass",
            "advmod",
            "punct",
            "mark",
            "neg",
            "obl",
            "iobj",
            "obj",
            "expl",
            "compound:prt",
            "cc",
        ):
            out.update(t.i for t in child.subtree if t.i not in inside)
    for child in cue.children:
        if rules.lemma(child.text) in RELAY_LEMMAS:
            out.update(t.i for t in child.subtree if t.i not in inside)
    clause = nodes.get("clause")
    if clause is not None:
        for child in clause.children:
            if rules.lemma(child.text) in RELAY_LEMMAS:
                out.update(t.i for t in child.subtree if t.i not in inside)
    return out
