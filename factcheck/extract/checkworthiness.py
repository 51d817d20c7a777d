"""Check-worthiness: how much a claim deserves a fact-checker's time, 0..1, with reasons.

The score is a sum of small, named parts so that a reviewer can see why a claim ranks
where it does ("statistic +0.20, number +0.10, anonymous source +0.08"):

- the kind: statistics and facts can be verified; predictions only partly; opinions are
  not checkable as such and rank lowest;
- numbers, amounts and percentages: the most often wrong and the easiest to check;
- a named official: what a state actor says is on the record and carries weight;
- anonymous or vague sources ("sources said", "Western media"): unverifiable as given,
  so a desk wants to know whether it holds;
- hedging ("reportedly", "allegedly"): the article itself flags doubt;
- concrete dates and names make a claim checkable; very short claims rarely are.

Claim.priority (factcheck.workflow.priority) builds on this with the source's track record and
recency; this module only looks at the claim itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from factcheck.schema import Claim, ClaimKind, SourceType

BASE = 0.30
KIND_PARTS = {
    ClaimKind.statistic: 0.20,
    ClaimKind.fact: 0.12,
    ClaimKind.prediction: 0.0,
    ClaimKind.opinion: -0.12,
}
NUMBER_PART = 0.10
NAMED_OFFICIAL_PART = 0.10
ANONYMOUS_PART = 0.08
HEDGED_PART = 0.06
CONCRETE_PART = 0.05
SHORT_PART = -0.08

_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|"
    r"trillion|dozens?|half|double|triple|percent|per cent)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|"
    r"(?:19|20)\d\d)\b"
)
_PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")


@dataclass(frozen=True)
class Part:
    reason: str
    value: float


@dataclass
class CheckWorthiness:
    """A score in 0..1 and the parts that add up to it (before clamping)."""

    score: float
    parts: list[Part] = field(default_factory=list)

    def explain(self) -> str:
        shown = ", ".join(f"{p.reason} {p.value:+.2f}" for p in self.parts)
        return f"{self.score:.2f} = base {BASE:.2f}" + (f", {shown}" if shown else "")


def assess(claim: Claim) -> CheckWorthiness:
    """Score one extracted claim and say why."""
    parts: list[Part] = [Part(claim.kind.value, KIND_PARTS[claim.kind])]
    text = f"{claim.text} {claim.quote}"
    if claim.kind is not ClaimKind.opinion and _NUMBER.search(text):
        parts.append(Part("number", NUMBER_PART))
    first = claim.sources[0] if claim.sources else None
    if first is not None and first.type is SourceType.official and first.named:
        parts.append(Part("named official", NAMED_OFFICIAL_PART))
    if any(not s.named or s.type is SourceType.unknown for s in claim.sources):
        parts.append(Part("anonymous or vague source", ANONYMOUS_PART))
    if claim.hedged:
        parts.append(Part("hedged", HEDGED_PART))
    if _DATE.search(text) or len(_PROPER.findall(claim.text)) >= 2:
        parts.append(Part("concrete names or dates", CONCRETE_PART))
    if len(claim.text.split()) < 6:
        parts.append(Part("very short", SHORT_PART))
    raw = BASE + sum(p.value for p in parts)
    return CheckWorthiness(score=round(min(1.0, max(0.0, raw)), 4), parts=parts)


def checkworthiness(claim: Claim) -> float:
    """The claim's score: the extractor's own when it gave one, else `assess`."""
    if claim.checkworthiness is not None:
        return claim.checkworthiness
    return assess(claim).score
