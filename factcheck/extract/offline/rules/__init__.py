"""The offline extractor's rules as data: word lists and attribution frame patterns.

`words.json` holds the lists (speech verbs, document nouns, hedges, …), `frames.json` the
named DependencyMatcher patterns with their examples, `sources.json` the words that type a
source by its institution. Adding a frame shape is adding a pattern and its examples here;
tests/extract/test_cases.py runs every example.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


@cache
def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HERE / name).read_text(encoding="utf-8"))
    return data


@cache
def words(name: str) -> frozenset[str]:
    """The word list `name` of words.json (lower case)."""
    entry = _load("words.json")[name]
    return frozenset(w.lower() for w in entry["words"])


def _inflect(base: str) -> set[str]:
    """Every form a regular English verb or noun takes; over-generating is harmless (the
    forms are only looked up)."""
    out = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    if base.endswith("e"):
        out |= {base[:-1] + "ing", base[:-1] + "ed"}
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        out |= {base[:-1] + "ies", base[:-1] + "ied"}
    if len(base) > 2 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou":
        out |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    irregular = _load("words.json")["irregular"]["forms"]
    out |= set(irregular.get(base, []))
    return out


@cache
def forms(name: str) -> frozenset[str]:
    """The inflected forms of the words of list `name` ("said", "says", "saying", …)."""
    return frozenset(f for w in words(name) for f in _inflect(w))


@cache
def base_forms() -> dict[str, str]:
    """form -> base word, for every list: the lemma of a cue without a lemmatizer."""
    out: dict[str, str] = {}
    data = _load("words.json")
    for name, entry in data.items():
        if name.startswith("_") or name == "irregular":
            continue
        for w in entry["words"]:
            for f in _inflect(w.lower()):
                out.setdefault(f, w.lower())
    for w, fs in data["irregular"]["forms"].items():
        for f in fs:
            out[f] = w
    return out


def lemma(text: str) -> str:
    """The base word of a form met in the lists ("told" -> "tell"), else the form."""
    low = text.lower()
    return base_forms().get(low, low)


def frames() -> list[dict[str, Any]]:
    """The frame patterns of frames.json, in the order they are tried."""
    return list(_load("frames.json")["frames"])


def token_frames() -> list[dict[str, Any]]:
    """The frames read along the tokens rather than the parse (frames.json)."""
    return list(_load("frames.json").get("token_frames", []))


@cache
def frame_spec(name: str) -> dict[str, Any]:
    """The spec of a named frame pattern (dependency or token), {} for the frames the
    quotation reader makes in code."""
    return next((f for f in [*frames(), *token_frames()] if f["name"] == name), {})


def source_rules() -> dict[str, Any]:
    return _load("sources.json")


@cache
def role_words() -> frozenset[str]:
    """Titles and occupations (sources.json role_types and titles), lower case."""
    data = source_rules()
    out = {w.lower().rstrip(".") for w in data["titles"]}
    for type_, ws in data["role_types"].items():
        if not type_.startswith("_"):
            out |= {w.lower() for w in ws}
    return frozenset(out)


@cache
def institution_words() -> frozenset[str]:
    """Words that name an institution by its kind (sources.json types)."""
    data = source_rules()
    return frozenset(w for t in data["order"] for w in data["types"][t])
