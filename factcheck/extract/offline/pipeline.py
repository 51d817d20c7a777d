"""From article text to grounded claims (first version: article-voice sentences)."""

from __future__ import annotations

from factcheck.extract.offline import clean, sentences
from factcheck.schema import Claim


def extract_claims(text: str) -> list[Claim]:
    claims: list[Claim] = []
    for ps, pe in clean.paragraphs(text):
        for s, e in sentences.split(text, ps, pe):
            while e > s and text[e - 1] in ".!? ":
                e -= 1
            if e - s < 3 or text[e : e + 1] == "?":
                continue
            quote = text[s:e]
            claims.append(
                Claim(text=quote + ".", quote=quote, start=s, end=e, extractor="offline")
            )
    return claims
