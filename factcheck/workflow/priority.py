"""Queue priority: which claim a fact-checker should look at next, and why.

priority = extractor check-worthiness + claim features + source record + recency + group

Every part is shown by `explain_priority` (`factcheck queue --explain`):

- ``checkworthiness``: the extractor's score (0..1) times 0.30.
- ``kind``: statistics rank highest, then facts; predictions and opinions lower.
- ``hedged``: "allegedly", "reportedly": a hedged claim is worth checking.
- ``sources``: a named official (their word carries weight) and vague or anonymous
  sources ("sources said") rank higher.
- ``source_record``: the worst record of false verdicts among the claim's sources, as
  a smoothed rate: the share of false verdicts starts from a prior of
  `PRIOR_VERDICTS` pseudo-verdicts at the desk's typical `PRIOR_FALSE_RATE`, so
  ``rate = (false + PRIOR_FALSE_RATE * PRIOR_VERDICTS) / (verdicts + PRIOR_VERDICTS)``
  (the mean of a Beta prior updated by the verdicts). Only a rate above the prior
  counts, scaled to 0..1: ``(rate - prior) / (1 - prior)``. One false verdict moves a
  source from 0 to 0.09 (priority +0.03); ten false of ten reach 0.5 (+0.15); a source
  whose verdicts are mostly true adds nothing. A single verdict is an anecdote, a run
  of them a record.
- ``recency``: decays with the article's age (published, else ingested), half-life 3 days.
- ``group_size``: a claim repeated across articles (claim matching) ranks higher.

Stored in `Claim.priority` (indexed with status) so that leasing is one index walk.
The batch stores new claims with `priority = checkworthiness`; it should then call
`refresh_priorities(session=..., claim_ids=new_ids)` in the same transaction (a few
queries per 500 claims). Reviews refresh the open claims of the reviewed claim's
sources; `factcheck queue refresh` (e.g. daily from cron) re-ages every open claim.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from factcheck.db.models import Article, Claim, ClaimSource, Source, utcnow
from factcheck.db.sources import source_records
from factcheck.errors import NotFoundError
from factcheck.public import OPEN_STATUSES
from factcheck.verdicts import VerdictScale

W_CHECKWORTHINESS = 0.30
KIND_BONUS = {"statistic": 0.15, "fact": 0.05, "prediction": -0.05, "opinion": -0.15}
HEDGED_BONUS = 0.08
NAMED_OFFICIAL_BONUS = 0.08
VAGUE_SOURCE_BONUS = 0.08
W_SOURCE_RECORD = 0.30
PRIOR_VERDICTS = 10.0  # the prior's weight, in verdicts: how much evidence a record needs
PRIOR_FALSE_RATE = 0.2  # the share of false verdicts a source is assumed to have at first
W_RECENCY = 0.15
RECENCY_HALF_LIFE_DAYS = 3.0
GROUP_STEP = 0.05
GROUP_MAX = 0.15


@dataclass(frozen=True)
class SourceFacts:
    name: str
    type: str
    named: bool
    reviewed: int = 0
    false: int = 0


@dataclass(frozen=True)
class PriorityInputs:
    """Everything the formula reads about one claim."""

    checkworthiness: float
    kind: str
    hedged: bool
    sources: Sequence[SourceFacts] = ()
    dated_at: datetime | None = None
    group_size: int = 1


@dataclass(frozen=True)
class PriorityPart:
    name: str
    value: float
    why: str


@dataclass
class PriorityExplanation:
    total: float
    parts: list[PriorityPart] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "priority": self.total,
            "parts": [{"name": p.name, "value": p.value, "why": p.why} for p in self.parts],
        }


def smoothed_false_rate(*, false: int, reviewed: int) -> float:
    """The source's share of false verdicts, shrunk towards the prior (Beta posterior mean)."""
    return (false + PRIOR_FALSE_RATE * PRIOR_VERDICTS) / (reviewed + PRIOR_VERDICTS)


def source_record_score(*, false: int, reviewed: int) -> float:
    """0..1: how far the smoothed false rate is above the prior (0 at or below it)."""
    rate = smoothed_false_rate(false=false, reviewed=reviewed)
    return max(rate - PRIOR_FALSE_RATE, 0.0) / (1.0 - PRIOR_FALSE_RATE)


def compute_priority(inputs: PriorityInputs, *, now: datetime | None = None) -> PriorityExplanation:
    """The priority of one claim and the parts it is made of (pure: no database)."""
    now = now or utcnow()
    parts: list[PriorityPart] = []
    cw = min(max(inputs.checkworthiness, 0.0), 1.0)
    parts.append(
        PriorityPart("checkworthiness", W_CHECKWORTHINESS * cw, f"extractor score {cw:.2f}")
    )
    parts.append(PriorityPart("kind", KIND_BONUS.get(inputs.kind, 0.0), inputs.kind))
    if inputs.hedged:
        parts.append(PriorityPart("hedged", HEDGED_BONUS, "the claim is hedged"))
    officials = [s.name for s in inputs.sources if s.named and s.type == "official"]
    vague = [s.name for s in inputs.sources if not s.named or s.type == "unknown"]
    if officials:
        parts.append(
            PriorityPart("sources", NAMED_OFFICIAL_BONUS, f"named official: {officials[0]}")
        )
    if vague:
        parts.append(PriorityPart("sources", VAGUE_SOURCE_BONUS, f"vague or anonymous: {vague[0]}"))
    worst: tuple[float, SourceFacts] | None = None
    for s in inputs.sources:
        if s.reviewed:
            excess = source_record_score(false=s.false, reviewed=s.reviewed)
            if worst is None or excess > worst[0]:
                worst = (excess, s)
    if worst is not None and worst[0] > 0:
        s = worst[1]
        rate = smoothed_false_rate(false=s.false, reviewed=s.reviewed)
        parts.append(
            PriorityPart(
                "source_record",
                W_SOURCE_RECORD * worst[0],
                f"{s.name}: {s.false} of {s.reviewed} verdicts false "
                f"(smoothed rate {rate:.2f}, prior {PRIOR_FALSE_RATE:.2f})",
            )
        )
    if inputs.dated_at is not None:
        age_days = max((now - inputs.dated_at).total_seconds() / 86400.0, 0.0)
        decay = 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
        parts.append(PriorityPart("recency", W_RECENCY * decay, f"article {age_days:.1f} days old"))
    if inputs.group_size > 1:
        bonus = min(GROUP_STEP * math.log2(inputs.group_size), GROUP_MAX)
        parts.append(PriorityPart("group_size", bonus, f"repeated in {inputs.group_size} claims"))
    parts = [PriorityPart(p.name, round(p.value, 4), p.why) for p in parts]
    return PriorityExplanation(total=round(sum(p.value for p in parts), 4), parts=parts)


def _gather(
    session: Session, claim_ids: Sequence[int], scale: VerdictScale | None
) -> dict[int, PriorityInputs]:
    """PriorityInputs for these claims in four queries, whatever their number."""
    rows = session.execute(
        select(
            Claim.id,
            Claim.checkworthiness,
            Claim.kind,
            Claim.hedged,
            Claim.created_at,
            Article.published_at,
            Article.ingested_at,
        )
        .outerjoin(Article, Article.id == Claim.article_id)
        .where(Claim.id.in_(claim_ids))
    ).all()
    chains: dict[int, list[tuple[int, str, str, bool]]] = {}
    for claim_id, source_id, name, type_, named in session.execute(
        select(ClaimSource.claim_id, Source.id, Source.canonical_name, Source.type, Source.named)
        .join(Source, Source.id == ClaimSource.source_id)
        .where(ClaimSource.claim_id.in_(claim_ids))
        .order_by(ClaimSource.claim_id, ClaimSource.position)
    ).all():
        chains.setdefault(claim_id, []).append((source_id, name, type_, named))
    records = source_records(
        session=session,
        source_ids={sid for chain in chains.values() for sid, *_ in chain},
        scale=scale,
    )
    members: dict[int, int] = {
        int(gid): int(n)
        for gid, n in session.execute(
            select(Claim.group_id, func.count())
            .where(Claim.group_id.in_(claim_ids), Claim.group_id != Claim.id)
            .group_by(Claim.group_id)
        ).all()
    }
    out: dict[int, PriorityInputs] = {}
    for claim_id, cw, kind, hedged, created_at, published_at, ingested_at in rows:
        facts = []
        for sid, name, type_, named in chains.get(claim_id, []):
            rec = records.get(sid)
            facts.append(
                SourceFacts(
                    name=name,
                    type=type_,
                    named=bool(named),
                    reviewed=rec.reviewed if rec else 0,
                    false=rec.false if rec else 0,
                )
            )
        out[claim_id] = PriorityInputs(
            checkworthiness=float(cw if cw is not None else 0.5),
            kind=kind,
            hedged=bool(hedged),
            sources=facts,
            dated_at=published_at or ingested_at or created_at,
            group_size=1 + int(members.get(claim_id, 0)),
        )
    return out


def explain_priority(
    *,
    session: Session,
    claim_id: int,
    now: datetime | None = None,
    scale: VerdictScale | None = None,
) -> PriorityExplanation:
    """The priority this claim would get now, part by part."""
    inputs = _gather(session, [claim_id], scale).get(claim_id)
    if inputs is None:
        raise NotFoundError(f"no claim #{claim_id}")
    return compute_priority(inputs, now=now)


def explain_many(
    *,
    session: Session,
    claim_ids: Sequence[int],
    now: datetime | None = None,
    scale: VerdictScale | None = None,
) -> dict[int, PriorityExplanation]:
    """Explanations for several claims in a fixed number of queries."""
    gathered = _gather(session, list(claim_ids), scale) if claim_ids else {}
    return {cid: compute_priority(inp, now=now) for cid, inp in gathered.items()}


def refresh_priorities(
    *,
    session: Session,
    claim_ids: Iterable[int] | None = None,
    now: datetime | None = None,
    scale: VerdictScale | None = None,
    chunk: int = 500,
) -> int:
    """Recompute and store `Claim.priority`; returns how many claims were updated.

    `claim_ids=None` refreshes every open canonical claim. The write does not bump the
    claim's version: a new priority must not make a reviewer's open form stale.
    """
    now = now or utcnow()
    if claim_ids is None:
        ids = list(
            session.scalars(
                select(Claim.id).where(
                    Claim.status.in_(OPEN_STATUSES),
                    Claim.origin == "extracted",
                    or_(Claim.group_id.is_(None), Claim.group_id == Claim.id),
                )
            ).all()
        )
    else:
        ids = sorted(set(claim_ids))
    table: Table = Claim.__table__  # type: ignore[assignment]
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(priority=bindparam("b_priority"))
    )
    done = 0
    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        gathered = _gather(session, part, scale)
        # In id order: two transactions refreshing overlapping claims then lock the rows
        # in the same order and cannot deadlock each other.
        params = [
            {"b_id": cid, "b_priority": compute_priority(gathered[cid], now=now).total}
            for cid in sorted(gathered)
        ]
        if params:
            session.execute(stmt, params)
            done += len(params)
    if done:
        # The Core UPDATE bypassed the identity map; loaded claims must not keep old values.
        wanted = set(ids)
        for obj in list(session.identity_map.values()):
            if isinstance(obj, Claim) and obj.id in wanted:
                session.expire(obj, ["priority"])
    return done
