"""How a source is typed by the institution it speaks for (GUIDELINE.md §4), read from
rules/sources.json: states and capitals are official; the first institution named decides
("UN Office of …" is the UN's); an occupation that is its own type ("an expert at …", "a
reporter for …") comes first; a title last."""

from __future__ import annotations

from functools import cache

from factcheck.extract.offline import rules
from factcheck.schema import SourceType

NP_GLUE = frozenset({"of", "for", "at", "from", "on"})


@cache
def types() -> list[tuple[str, frozenset[str]]]:
    data = rules.source_rules()
    return [(t, frozenset(data["types"][t])) for t in data["order"]]


@cache
def states() -> frozenset[str]:
    return frozenset(rules.source_rules()["states"])


@cache
def titles() -> frozenset[str]:
    return frozenset(w.lower().rstrip(".") for w in rules.source_rules()["titles"])


@cache
def institution_words() -> frozenset[str]:
    return frozenset(w for _, keys in types() for w in keys) - titles()


@cache
def institutions() -> dict[str, SourceType]:
    out: dict[str, SourceType] = {}
    data = rules.source_rules()
    for type_ in reversed(data["order"]):
        for w in data["types"][type_]:
            out[w] = SourceType(type_)
    return out


@cache
def phrases() -> dict[str, SourceType]:
    return {
        k: SourceType(v)
        for k, v in rules.source_rules()["phrases"].items()
        if not k.startswith("_")
    }


@cache
def roles() -> dict[str, SourceType]:
    out: dict[str, SourceType] = {}
    for type_, words in rules.source_rules()["role_types"].items():
        if not type_.startswith("_"):
            for w in words:
                out[w] = SourceType(type_)
    return out


def type_of(words: list[str]) -> SourceType | None:
    """The type an institution or a title in these words gives (GUIDELINE.md §4): the
    first institution named ("UN Office of …" is the UN's), else the last title."""
    # "U.N." is the UN: dots inside an acronym go.
    raw = [
        w.strip(".,'’()").replace(".", "") if w.count(".") > 1 else w.strip(".,'’()") for w in words
    ]
    raw = [w for w in raw if w]
    lowered = [w.lower() for w in raw]
    text = " ".join(lowered)
    for phrase, type_ in phrases().items():
        if phrase in text:
            return type_
    if text in states() or text.removeprefix("the ") in states():
        return SourceType.official
    role_types = dict(roles())
    # "naval commanders", "generals": a plural title is typed as its singular.
    role_types.update(
        {w: role_types[w[:-1]] for w in lowered if w.endswith("s") and w[:-1] in role_types}
    )
    # "an expert at the Russian Council on …", "a reporter for the Times": an occupation
    # that is its own type comes before the institution that employs it.
    outlets = capitalised_media()
    for w, r in zip(lowered, raw, strict=True):
        if w in NP_GLUE:
            break
        if w in outlets and r[:1].isupper():
            continue  # "The Guardian" is the outlet, typed below
        if role_types.get(w) in (SourceType.expert, SourceType.media, SourceType.witness):
            return role_types[w]
    inst = institutions()
    for w, r in zip(lowered, raw, strict=True):
        if len(r) >= 2 and r.isupper() and w in inst:
            return inst[w]  # "International Atomic Energy Agency (IAEA)": the acronym names it
    for w, r in zip(lowered, raw, strict=True):
        if w in outlets and not r[:1].isupper():
            continue  # "a guardian", "at times"
        # Short keys are acronyms: "UN" names the United Nations, "Un" is a name.
        if w in inst and (len(w) > 3 or r.isupper()):
            return inst[w]
    for w in reversed(lowered):
        if w in role_types:
            if role_types[w] is SourceType.official and ("former" in lowered or "ex" in lowered):
                return SourceType.expert  # "former diplomat X": speaks for no state now
            return role_types[w]
    if any(w in states() for w in lowered):
        return SourceType.official
    return None


@cache
def capitalised_media() -> frozenset[str]:
    return frozenset(rules.source_rules()["capitalised_media"]["words"])


@cache
def aliases() -> dict[str, str]:
    return {k: v for k, v in rules.source_rules()["aliases"].items() if not k.startswith("_")}
