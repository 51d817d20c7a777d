"""Machine-readable reports: JSON (everything) and CSV (one row per claim).

CSV is written for spreadsheets: UTF-8 with a byte-order mark (so Excel reads accents),
one claim per row, lists joined with " | ". A cell that a spreadsheet would run as a
formula (=, +, -, @, tab, CR) is prefixed with an apostrophe, as is a cell already
starting with one, so `read_claims_csv` restores every value exactly.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from factcheck.report.model import (
    ArticleInfo,
    ArticleReport,
    BatchReport,
    ClaimRow,
    ReportBase,
    SourceInfo,
    SourceReport,
    Tally,
)

SCHEMA_VERSION = "1"
CSV_COLUMNS = (
    "claim_id",
    "article_id",
    "article_title",
    "article_url",
    "outlet",
    "published",
    "status",
    "reviewed",
    "verdict",
    "verdict_label",
    "rating",
    "kind",
    "hedged",
    "checkworthiness",
    "claim",
    "quote",
    "start",
    "end",
    "source",
    "source_type",
    "source_role",
    "cue",
    "relay_chain",
    "evidence_urls",
    "review_note",
    "reviewed_by",
    "reviewed_at",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_BOM = "\ufeff"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(claim: ClaimRow, article: ArticleInfo | None) -> dict[str, str]:
    origin = claim.origin
    values: dict[str, object] = {
        "claim_id": claim.id,
        "article_id": claim.article_id,
        "article_title": article.title if article else None,
        "article_url": article.url if article else None,
        "outlet": article.outlet if article else None,
        "published": article.published_at.date().isoformat()
        if article and article.published_at
        else None,
        "status": claim.status,
        "reviewed": claim.reviewed,
        "verdict": claim.verdict if claim.reviewed else None,
        "verdict_label": claim.verdict_label if claim.reviewed else "Unreviewed",
        "rating": claim.rating if claim.reviewed else None,
        "kind": claim.kind,
        "hedged": claim.hedged,
        "checkworthiness": claim.checkworthiness,
        "claim": claim.text,
        "quote": claim.quote,
        "start": claim.start,
        "end": claim.end,
        "source": origin.name if origin else None,
        "source_type": claim.origin_type,
        "source_role": origin.role if origin else None,
        "cue": origin.cue if origin else None,
        "relay_chain": claim.relay_chain,
        "evidence_urls": " | ".join(e.url for e in claim.evidence),
        "review_note": claim.review_note,
        "reviewed_by": claim.reviewed_by,
        "reviewed_at": _iso(claim.reviewed_at),
    }
    return {k: _cell(values[k]) for k in CSV_COLUMNS}


def render_csv(report: ReportBase) -> str:
    buf = io.StringIO()
    buf.write(_BOM)
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for claim in report.claims:
        writer.writerow(csv_row(claim, report.articles.get(claim.article_id or -1)))
    return buf.getvalue()


def read_claims_csv(text: str) -> list[dict[str, str]]:
    """The rows of a CSV report as written, apostrophe guards removed."""
    reader = csv.DictReader(io.StringIO(text.removeprefix(_BOM), newline=""))
    return [{k: (v[1:] if v.startswith("'") else v) for k, v in row.items()} for row in reader]


# --- JSON ---------------------------------------------------------------------------------


def _tallies(rows: list[Tally]) -> dict[str, int]:
    return {t.key: t.count for t in rows}


def _article(a: ArticleInfo) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "outlet": a.outlet,
        "author": a.author,
        "url": a.url,
        "published_at": _iso(a.published_at),
        "source_path": a.source_path,
        "language": a.language,
        "content_hash": a.content_hash,
        "ingested_at": _iso(a.ingested_at),
    }


_IDENTITY = ("id", "name", "type", "named", "role")


def _source(s: SourceInfo) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "type": s.type,
        "named": s.named,
        "role": s.role,
        "cited_in_report": s.cited,
        "record": {k: v for k, v in s.record.model_dump(mode="json").items() if k not in _IDENTITY},
    }


def _claim(c: ClaimRow) -> dict[str, Any]:
    return {
        "id": c.id,
        "article_id": c.article_id,
        "text": c.text,
        "quote": c.quote,
        "start": c.start,
        "end": c.end,
        "kind": c.kind,
        "hedged": c.hedged,
        "status": c.status,
        "reviewed": c.reviewed,
        "verdict": c.verdict if c.reviewed else None,
        "verdict_label": c.verdict_label if c.reviewed else None,
        "rating": c.rating if c.reviewed else None,
        "checkworthiness": c.checkworthiness,
        "review_note": c.review_note,
        "reviewed_by": c.reviewed_by,
        "reviewed_at": _iso(c.reviewed_at),
        "sources": [
            {
                "source_id": s.source_id,
                "position": s.position,
                "name": s.name,
                "type": s.type,
                "named": s.named,
                "role": s.role,
                "cue": s.cue,
                "mention": s.mention,
            }
            for s in c.sources
        ],
        "evidence": [
            {
                "url": e.url,
                "title": e.title,
                "excerpt": e.excerpt,
                "stance": e.stance,
                "added_by": e.added_by,
            }
            for e in c.evidence
        ],
    }


def report_dict(report: ReportBase) -> dict[str, Any]:
    """The whole report as JSON-ready data: summary counts, claims, sources, articles."""
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": getattr(report, "kind", "report"),
        "generated_at": _iso(report.generated_at),
        "organisation": {"name": report.organisation.name, "url": report.organisation.url},
        "verdict_scale": report.scale.name,
        "summary": {
            "claims": len(report.claims),
            "reviewed": len(report.reviewed_claims),
            "unreviewed": report.unreviewed_count,
            "by_status": _tallies(report.by_status()),
            "by_verdict": _tallies(report.by_verdict()),
            "by_kind": _tallies(report.by_kind()),
            "by_source_type": _tallies(report.by_source_type()),
        },
    }
    if isinstance(report, ArticleReport) and report.article is not None:
        data["article"] = _article(report.article)
    elif isinstance(report, BatchReport):
        data["label"] = report.label
        data["run_id"] = report.run.id if report.run else None
        data["since"] = _iso(report.since)
        data["articles"] = [
            {
                **_article(r.article),
                "claims": r.claims,
                "reviewed": r.reviewed,
                "false": r.false,
                "open": r.open,
            }
            for r in report.per_article()
        ]
        data["open_claims"] = [c.id for c in report.open_claims()]
    elif isinstance(report, SourceReport) and report.source is not None:
        data["source"] = _source(report.source)
        data["articles"] = [_article(a) for a in report.articles.values()]
    data["claims"] = [_claim(c) for c in report.claims]
    data["sources"] = [_source(s) for s in report.sources]
    return data
