"""The desk's corrections become its gold: export them, and score extractors against them.

An article a reviewer marked done (`factcheck articles done`) holds the claims people
agreed on: every claim of it except the rejected ones, with its relay chain. `export_gold`
writes them in the format of ../shared/eval/GUIDELINE.md (gold/<stem>.json next to
articles/<stem>.txt, so `score.py gold-dir` reads the folder as it is); `evaluate` runs an
extractor over those articles and scores it with factcheck.workflow.evaluation, so a
newsroom sees how good the machine is on its own copy and whether a new version is better.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from factcheck.db.models import Article, Claim, ClaimSource
from factcheck.errors import UsageError
from factcheck.extract.base import Extractor
from factcheck.ingest.document import ArticleInput
from factcheck.public import ClaimStatus
from factcheck.workflow.evaluation import GoldClaim, GoldDoc, GoldSource, Scores, all_spans, score


@dataclass(frozen=True)
class GoldArticle:
    """One done article as gold: `stem` names its files."""

    article_id: int
    stem: str
    text: str
    claims: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {"file": f"{self.stem}.txt", "article_id": self.article_id, "claims": self.claims}

    def as_doc(self) -> GoldDoc:
        return GoldDoc(
            id=self.stem,
            text=self.text,
            claims=[
                GoldClaim(
                    spans=all_spans(self.text, c["quote"]) or [(c["start"], c["end"])],
                    sources=[
                        GoldSource(s["name"], s.get("type"), s.get("named")) for s in c["sources"]
                    ],
                    kind=c.get("kind"),
                    hedged=c.get("hedged"),
                )  # fmt: skip
                for c in self.claims
            ],
        )


def _claim_json(claim: Claim) -> dict[str, Any]:
    return {
        "quote": claim.quote,
        "text": claim.text,
        "kind": claim.kind,
        "hedged": claim.hedged,
        # Beyond the guideline's fields: where the quote is, so the export also reads
        # as predictions (score.py --pred) in a round trip.
        "start": claim.start,
        "end": claim.end,
        "sources": [
            {
                "name": cs.source.canonical_name,
                "type": cs.source.type,
                "named": cs.source.named,
                "role": cs.role or cs.source.role,
                "cue": cs.cue,
            }
            for cs in claim.sources
        ],
    }


def gold_articles(*, session: Session) -> list[GoldArticle]:
    """Every article marked done, with its claims in text order (rejected ones left out)."""
    articles = session.scalars(
        select(Article).where(Article.done_at.is_not(None)).order_by(Article.id)
    ).all()
    out = []
    stems: set[str] = set()
    for article in articles:
        claims = session.scalars(
            select(Claim)
            .where(
                Claim.article_id == article.id,
                Claim.status != ClaimStatus.rejected.value,
                Claim.start.is_not(None),
            )
            .order_by(Claim.start, Claim.id)
            .options(selectinload(Claim.sources).selectinload(ClaimSource.source))
        ).all()
        out.append(
            GoldArticle(
                article_id=article.id,
                stem=_stem(article, stems),
                text=article.text,
                claims=[_claim_json(c) for c in claims],
            )
        )
    return out


def _stem(article: Article, taken: set[str]) -> str:
    """The article's file name without extension where it has one, else article-<id>;
    unique within one export."""
    name = Path(article.source_path).stem if article.source_path else ""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", name).strip("._") or f"article-{article.id}"
    if stem in taken:
        stem = f"{stem}-{article.id}"
    taken.add(stem)
    return stem


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    articles: int
    claims: int


def export_gold(*, session: Session, folder: Path) -> ExportResult:
    """Write gold/<stem>.json and articles/<stem>.txt for every done article."""
    gold = gold_articles(session=session)
    if not gold:
        raise UsageError(
            "no article is marked done yet: mark the ones whose claims you corrected "
            "(factcheck articles done ID)"
        )
    (folder / "gold").mkdir(parents=True, exist_ok=True)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    for item in gold:
        # newline="" keeps the text byte for byte: offsets index it exactly as stored.
        with (folder / "articles" / f"{item.stem}.txt").open(
            "w", encoding="utf-8", newline=""
        ) as f:
            f.write(item.text)
        (folder / "gold" / f"{item.stem}.json").write_text(
            json.dumps(item.as_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return ExportResult(folder=folder, articles=len(gold), claims=sum(len(g.claims) for g in gold))


def evaluate(*, session: Session, extractor: Extractor) -> Scores:
    """Run `extractor` over the done articles and score it against the desk's gold."""
    gold = gold_articles(session=session)
    if not gold:
        raise UsageError("no article is marked done yet, so there is no gold to score against")
    preds: dict[str, list[dict[str, Any]]] = {}
    for item in gold:
        result = extractor.extract(ArticleInput(text=item.text, location=f"{item.stem}.txt"))
        preds[item.stem] = [c.model_dump(mode="json") for c in result.claims]
    return score([g.as_doc() for g in gold], preds)


def evaluate_predictions(*, session: Session, folder: Path) -> Scores:
    """Score a folder of <stem>.json predictions (contract shape) against the desk's gold."""
    gold = gold_articles(session=session)
    if not gold:
        raise UsageError("no article is marked done yet, so there is no gold to score against")
    preds: dict[str, list[dict[str, Any]]] = {}
    for item in gold:
        path = folder / f"{item.stem}.json"
        if path.exists():
            preds[item.stem] = list(json.loads(path.read_text(encoding="utf-8")).get("claims", []))
    return score([g.as_doc() for g in gold], preds)
