"""Scoring an extractor against gold claims: the shared scorer's rules, in the project.

The same matching as ../shared/eval/score.py (tests hold the two to the same figures):
a predicted claim can match a gold claim when their spans overlap by at least half of
the shorter span; candidates are paired one to one, best pairs first (source type agrees,
then source identity, then span overlap as IoU), so one sentence-long prediction covers
only one of the claims inside it. A source agrees when the resolved names share enough
words (an unnamed gold source: same type and a shared word, or both unnamed). Claim,
attributed (the source agrees) and typed (its type too) precision, recall and F1 follow.
Only ungrounded predictions are dropped; nothing here touches the database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Span = tuple[int, int]
STOP = {
    "the", "of", "and", "for", "in", "on", "at", "to", "a", "an", "s", "said", "says", "mr",
    "ms", "mrs", "dr",
}  # fmt: skip


@dataclass(frozen=True)
class GoldSource:
    name: str
    type: str | None = None
    named: bool | None = None


@dataclass(frozen=True)
class GoldClaim:
    spans: list[Span]
    sources: list[GoldSource]
    kind: str | None = None
    hedged: bool | None = None


@dataclass(frozen=True)
class GoldDoc:
    id: str
    text: str
    claims: list[GoldClaim]


def all_spans(text: str, quote: str) -> list[Span]:
    """Every place the quote occurs (gold quotes are found, not trusted to be unique)."""
    spans, i = [], text.find(quote)
    while i >= 0 and quote:
        spans.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return spans


def load_gold_dir(gold: Path, articles: Path) -> list[GoldDoc]:
    """Gold files (<stem>.json) beside their articles, as score.py gold-dir reads them."""
    docs = []
    for path in sorted(gold.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        article = articles / data.get("file", path.stem + ".txt")
        if not article.exists():
            continue
        text = article.read_text(encoding="utf-8")
        claims = [
            GoldClaim(
                spans=all_spans(text, c["quote"]),
                sources=[
                    GoldSource(s["name"], s.get("type"), s.get("named"))
                    for s in c.get("sources", [])
                ],
                kind=c.get("kind"),
                hedged=c.get("hedged"),
            )  # fmt: skip
            for c in data["claims"]
        ]
        docs.append(GoldDoc(article.name, text, claims))
    return docs


def _tokens(s: str | None) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9]+", (s or "").lower()) if t not in STOP and len(t) > 1}


def _tok_eq(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def _name_match(gold: str, pred_words: set[str]) -> bool:
    g = [t for t in re.findall(r"[a-z0-9]+", gold.lower()) if t not in STOP and len(t) > 1]
    if not g:
        return False
    hit = [t for t in g if any(_tok_eq(t, p) for p in pred_words)]
    return bool(hit) and (len(hit) * 2 >= len(g) or g[-1] in hit or g[0] in hit)


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def spans_match(p: Span, gs: Sequence[Span]) -> bool:
    """Overlap of at least half the shorter span with one gold span."""
    for g in gs:
        o = _overlap(p, g)
        if o > 0 and o * 2 >= min(p[1] - p[0], g[1] - g[0]):
            return True
    return False


def _iou(p: Span, gs: Sequence[Span]) -> float:
    best = 0.0
    for g in gs:
        best = max(best, _overlap(p, g) / (max(p[1], g[1]) - min(p[0], g[0])))
    return best


def _source_identity(g: GoldSource, s: Mapping[str, Any]) -> bool:
    words = _tokens(s.get("name")) | _tokens(s.get("mention")) | _tokens(s.get("role"))
    if g.named is False:
        return s.get("type") == g.type and (not s.get("named") or bool(_tokens(g.name) & words))
    return _name_match(g.name, words)


def _sources_agree(
    gold: Sequence[GoldSource], pred: Sequence[Mapping[str, Any]]
) -> tuple[bool, bool]:
    if not gold:
        return (not pred, not pred)
    ident = typed = False
    for g in gold:
        for s in pred:
            if _source_identity(g, s):
                ident = True
                if g.type is None or s.get("type") == g.type:
                    typed = True
    return ident, typed


def match_doc(
    doc: GoldDoc, claims: Sequence[Mapping[str, Any]]
) -> list[tuple[int, int, bool, bool]]:
    """One-to-one pairs (prediction, gold, identity agrees, identity and type agree)."""
    cands = []
    for i, c in enumerate(claims):
        span = (int(c["start"]), int(c["end"]))
        for j, g in enumerate(doc.claims):
            if spans_match(span, g.spans):
                ident, typed = _sources_agree(g.sources, c.get("sources", []))
                cands.append((typed + ident + _iou(span, g.spans), i, j, ident, typed))
    cands.sort(key=lambda x: -x[0])
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j, ident, typed in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j, ident, typed))
    return pairs


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    """What `factcheck eval` prints; the keys of `as_dict` are score.py's."""

    docs: int = 0
    gold_claims: int = 0
    pred_claims: int = 0
    grounded_rate: float = 1.0
    figures: dict[str, float | None] = field(default_factory=dict)
    per_doc: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "gold_claims": self.gold_claims,
            "pred_claims": self.pred_claims,
            "grounded_rate": self.grounded_rate,
            **self.figures,
            "per_doc": self.per_doc,
        }


def score(docs: Sequence[GoldDoc], preds: Mapping[str, Sequence[Mapping[str, Any]]]) -> Scores:
    """Score predicted claims (contract-shaped dicts, by document id) against the gold."""
    n_gold = n_pred = tp = tp_attr = tp_typed = 0
    grounded = checked = kind_n = kind_ok = 0
    hedge_tp = hedge_fp = hedge_fn = 0
    per_doc = []
    for d in docs:
        claims = []
        for c in preds.get(d.id, []):
            checked += 1
            s, e, q = c.get("start"), c.get("end"), c.get("quote")
            if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(d.text):
                if d.text[s:e] == q:
                    grounded += 1
                    claims.append(c)
        pairs = match_doc(d, claims)
        n_pred += len(claims)
        n_gold += len(d.claims)
        tp += len(pairs)
        tp_attr += sum(1 for p in pairs if p[2])
        tp_typed += sum(1 for p in pairs if p[3])
        for i, j, _ident, _typed in pairs:
            c, g = claims[i], d.claims[j]
            if g.kind:
                kind_n += 1
                kind_ok += c.get("kind") == g.kind
            if g.hedged is not None:
                ph = bool(c.get("hedged"))
                hedge_tp += ph and g.hedged
                hedge_fp += ph and not g.hedged
                hedge_fn += (not ph) and g.hedged
        per_doc.append(
            {"doc": d.id, "gold": len(d.claims), "pred": len(claims), "matched": len(pairs),
             "attributed": sum(1 for p in pairs if p[2])}
        )  # fmt: skip
    figures: dict[str, float | None] = {}
    for name, hits in (("claim", tp), ("attributed", tp_attr), ("typed", tp_typed)):
        p = hits / n_pred if n_pred else 0.0
        r = hits / n_gold if n_gold else 0.0
        figures.update({f"{name}_p": p, f"{name}_r": r, f"{name}_f1": _f1(p, r)})
    hp = hedge_tp / (hedge_tp + hedge_fp) if hedge_tp + hedge_fp else 0.0
    hr = hedge_tp / (hedge_tp + hedge_fn) if hedge_tp + hedge_fn else 0.0
    figures["kind_acc"] = kind_ok / kind_n if kind_n else None
    figures["hedged_f1"] = _f1(hp, hr) if hedge_tp + hedge_fn else None
    return Scores(
        docs=len(docs), gold_claims=n_gold, pred_claims=n_pred,
        grounded_rate=grounded / checked if checked else 1.0, figures=figures, per_doc=per_doc,
    )  # fmt: skip
