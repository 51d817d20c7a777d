"""Shared helpers for the offline extractor tests."""

from __future__ import annotations

from factcheck.extract.offline import extract_claims
from factcheck.schema import Claim


def extract(text: str) -> list[Claim]:
    claims = extract_claims(text)
    for c in claims:  # grounding holds for every claim and every mention, always
        assert text[c.start : c.end] == c.quote
        for s in c.sources:
            if s.mention is not None:
                assert text[s.mention_start : s.mention_end] == s.mention
    return claims


def claim_with(claims: list[Claim], fragment: str) -> Claim:
    found = [c for c in claims if fragment in c.quote]
    assert found, f"no claim contains {fragment!r}: {[c.quote for c in claims]}"
    return found[0]
