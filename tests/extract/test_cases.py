"""The guideline's phenomena and every frame pattern's own examples, as data.

tests/extract/cases/*.json hold passages written for the tests with the claims the
annotation guideline asks for; factcheck/extract/offline/rules/frames.json holds each
frame pattern's examples. Adding a case or a pattern adds a test here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factcheck.extract.offline import rules
from factcheck.schema import Claim
from tests.extract.helpers import extract

CASES = Path(__file__).parent / "cases"


def _cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CASES.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            out.append((f"{path.stem}: {case['name']}", case))
    for frame in [*rules.frames(), *rules.token_frames()]:
        for n, example in enumerate(frame["examples"]):
            keep = ("quote", "source", "text", "type")
            claims = [{k: c[k] for k in keep if k in c} for c in example["claims"]]
            out.append(
                (f"frame {frame['name']} #{n + 1}", {"text": example["text"], "claims": claims})
            )
    return out


def _find(claims: list[Claim], quote: str) -> Claim:
    found = [c for c in claims if c.quote == quote]
    assert found, f"no claim {quote!r} among {[c.quote for c in claims]}"
    return found[0]


@pytest.mark.parametrize(("name", "case"), _cases(), ids=[n for n, _ in _cases()])
def test_case(name: str, case: dict[str, Any]) -> None:
    claims = extract(case["text"])
    for want in case["claims"]:
        claim = _find(claims, want["quote"])
        if "text" in want:
            assert claim.text == want["text"], (claim.text, want["text"])
        if want["source"] is None:
            assert claim.sources == [], f"{want['quote']!r} should be the article's own voice"
            continue
        assert claim.sources, f"{want['quote']!r} has no source"
        first = claim.sources[0]
        assert want["source"].lower() in first.name.lower(), (first.name, want["source"])
        if want.get("exact"):
            assert first.name == want["source"], (first.name, want["source"])
        if "type" in want:
            assert first.type.value == want["type"], (first.name, first.type)
    if case.get("no_sources"):
        # The passage holds no attribution at all, however the parser cuts it.
        assert claims, "the passage should still give claims"
        assert all(not c.sources for c in claims), [(c.quote, c.sources) for c in claims]
    quotes = {c.quote for c in claims}
    for absent in case.get("absent", []):
        assert absent not in quotes, f"{absent!r} must not be a claim"
