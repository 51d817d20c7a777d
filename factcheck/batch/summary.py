"""The end-of-batch summary: what was done, and what needs a fact-checker's attention.

Counts come from this invocation; claims, sources and errors are read back from the
database for this run, so the summary shows what was really stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck.batch.stats import BatchStats
from factcheck.db.models import (
    Article,
    ArticleExtraction,
    Claim,
    ClaimSource,
    ExtractionRun,
    RunError,
    Source,
)

TOP_SOURCES = 10
TOP_CLAIMS = 10
MAX_ERRORS = 1000
ARTICLE_VOICE = "(article's own voice)"


@dataclass
class BatchSummary:
    run_id: int
    status: str
    extractor: dict[str, Any]
    articles: dict[str, int]
    claims: int
    claims_by_kind: dict[str, int]
    claims_by_source_type: dict[str, int]
    top_sources: list[dict[str, Any]]
    top_claims: list[dict[str, Any]]
    errors: list[dict[str, Any]]
    errors_total: int
    seconds: float
    usage: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return self.articles["failed"]

    @property
    def articles_per_second(self) -> float:
        return self.articles["total"] / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "extractor": self.extractor,
            "articles": self.articles,
            "claims": self.claims,
            "claims_by_kind": self.claims_by_kind,
            "claims_by_source_type": self.claims_by_source_type,
            "top_sources": self.top_sources,
            "top_claims": self.top_claims,
            "errors": self.errors,
            "errors_total": self.errors_total,
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.articles_per_second, 2),
            "claims_per_second": round(self.claims / self.seconds, 2) if self.seconds else 0.0,
            "usage": self.usage,
            "notes": self.notes,
        }


def build_summary(
    *, session: Session, run_id: int, stats: BatchStats, notes: list[str] | None = None
) -> BatchSummary:
    run = session.get(ExtractionRun, run_id)
    assert run is not None
    in_run = select(ArticleExtraction.id).where(ArticleExtraction.run_id == run_id)
    kinds: dict[str, int] = {
        kind: int(n)
        for kind, n in session.execute(
            select(Claim.kind, func.count(Claim.id))
            .where(Claim.extraction_id.in_(in_run))
            .group_by(Claim.kind)
        ).all()
    }
    total_claims = sum(kinds.values())
    by_type: dict[str, int] = {
        type_: int(n)
        for type_, n in session.execute(
            select(Source.type, func.count(ClaimSource.id))
            .join(ClaimSource, ClaimSource.source_id == Source.id)
            .join(Claim, Claim.id == ClaimSource.claim_id)
            .where(Claim.extraction_id.in_(in_run), ClaimSource.position == 0)
            .group_by(Source.type)
        ).all()
    }
    voiced = total_claims - sum(by_type.values())
    if voiced:
        by_type[ARTICLE_VOICE] = voiced
    cited = session.execute(
        select(
            Source.id,
            Source.canonical_name,
            Source.type,
            func.count(func.distinct(ClaimSource.claim_id)).label("n"),
        )
        .join(ClaimSource, ClaimSource.source_id == Source.id)
        .join(Claim, Claim.id == ClaimSource.claim_id)
        .where(Claim.extraction_id.in_(in_run))
        .group_by(Source.id, Source.canonical_name, Source.type)
        .order_by(func.count(func.distinct(ClaimSource.claim_id)).desc(), Source.id)
        .limit(TOP_SOURCES)
    ).all()
    top_claims = session.execute(
        select(Claim.id, Claim.text, Claim.kind, Claim.checkworthiness, Article.source_path,
               Article.url, Article.title)
        .join(Article, Article.id == Claim.article_id)
        .where(Claim.extraction_id.in_(in_run))
        .order_by(Claim.checkworthiness.desc(), Claim.id)
        .limit(TOP_CLAIMS)
    ).all()  # fmt: skip
    first_sources: dict[int, str] = dict(
        session.execute(
            select(ClaimSource.claim_id, Source.canonical_name)
            .join(Source, Source.id == ClaimSource.source_id)
            .where(ClaimSource.claim_id.in_([c.id for c in top_claims]), ClaimSource.position == 0)
        )
        .tuples()
        .all()
    )
    errors_total = int(
        session.scalar(select(func.count(RunError.id)).where(RunError.run_id == run_id)) or 0
    )
    errors = session.execute(
        select(RunError.location, RunError.message, RunError.article_id)
        .where(RunError.run_id == run_id)
        .order_by(RunError.id)
        .limit(MAX_ERRORS)
    ).all()
    return BatchSummary(
        run_id=run_id,
        status=run.status,
        extractor={
            "name": run.extractor_name,
            "version": run.extractor_version,
            "model": run.model,
            "prompt_version": run.prompt_version,
        },
        articles={
            "total": stats.done,
            "new": stats.new,
            "skipped": stats.skipped,
            "skipped_already_extracted": stats.skipped_existing,
            "skipped_duplicate": stats.skipped_duplicate,
            "skipped_before_since": stats.skipped_since,
            "skipped_cost_limit": stats.skipped_cost,
            "failed": stats.failed,
            "ignored_files": stats.ignored,
        },
        claims=total_claims,
        claims_by_kind=dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        claims_by_source_type=dict(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
        top_sources=[
            {"id": sid, "name": name, "type": type_, "claims": int(n)}
            for sid, name, type_, n in cited
        ],
        top_claims=[
            {
                "id": c.id,
                "text": c.text,
                "kind": c.kind,
                "checkworthiness": round(c.checkworthiness, 3),
                "source": first_sources.get(c.id),
                "article": c.source_path or c.url or c.title,
            }
            for c in top_claims
        ],
        errors=[{"location": loc, "message": msg, "article_id": aid} for loc, msg, aid in errors],
        errors_total=errors_total,
        seconds=stats.elapsed,
        usage={
            "llm_calls": run.llm_calls,
            "cache_hits": run.cache_hits,
            "prompt_tokens": run.prompt_tokens,
            "completion_tokens": run.completion_tokens,
            "cost_usd": round(run.cost_usd, 6),
            # Claims the model gave that their quotes do not support, dropped by grounding.
            "claims_dropped": stats.usage.claims_dropped,
        },
        notes=list(notes or []),
    )


def _counts_table(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
    for name, n in counts.items():
        table.add_row(name, str(n))
    return table


def render_summary(summary: BatchSummary, console: Console) -> None:
    """The summary as a fact-checker reads it at the end of a batch."""
    a = summary.articles
    skipped = ", ".join(
        f"{n} {label}"
        for label, n in (
            ("already extracted", a["skipped_already_extracted"]),
            ("duplicate text", a["skipped_duplicate"]),
            ("before --since", a["skipped_before_since"]),
            ("over --max-cost", a["skipped_cost_limit"]),
        )
        if n
    )
    console.print(
        f"[bold]Run #{summary.run_id}[/bold] ({summary.status}) with "
        f"{summary.extractor['name']} {summary.extractor['version']}: "
        f"{a['total']} article(s): [green]{a['new']} new[/green], {a['skipped']} skipped"
        + (f" ({skipped})" if skipped else "")
        + f", [{'red' if a['failed'] else 'green'}]{a['failed']} failed[/]"
        + (f"; {a['ignored_files']} non-article file(s) ignored" if a["ignored_files"] else ""),
        highlight=False,
    )
    rate = summary.articles_per_second
    claims_rate = summary.claims / summary.seconds if summary.seconds else 0.0
    console.print(
        f"{summary.claims} claim(s) stored in {summary.seconds:.1f} s "
        f"({rate:.1f} articles/s, {claims_rate:.1f} claims/s)",
        highlight=False,
    )
    u = summary.usage
    if u["llm_calls"] or u["cache_hits"] or u["cost_usd"]:
        console.print(
            f"LLM: {u['llm_calls']} call(s), {u['cache_hits']} cache hit(s), "
            f"{u['prompt_tokens']} prompt + {u['completion_tokens']} completion tokens, "
            f"${u['cost_usd']:.4f}"
            + (
                f", {u['claims_dropped']} unsupported claim(s) dropped"
                if u["claims_dropped"]
                else ""
            ),
            highlight=False,
        )
    if summary.claims:
        console.print(_counts_table("Claims by kind", summary.claims_by_kind))
        console.print(_counts_table("Claims by source type", summary.claims_by_source_type))
    if summary.top_sources:
        table = Table("source", "type", "claims", title="Most-cited sources", title_justify="left")
        for s in summary.top_sources:
            table.add_row(s["name"], s["type"], str(s["claims"]))
        console.print(table)
    if summary.top_claims:
        table = Table(
            "id", "score", "kind", "claim", "source", title="Most check-worthy claims",
            title_justify="left",
        )  # fmt: skip
        for c in summary.top_claims:
            table.add_row(
                str(c["id"]), f"{c['checkworthiness']:.2f}", c["kind"], c["text"], c["source"] or ""
            )
        console.print(table)
    if summary.errors:
        # Plain lines, not a table: a path must stay whole to be copied into a shell.
        console.print(f"[red]Failed ({summary.errors_total})[/red]")
        for e in summary.errors[:50]:
            console.print(f"  {e['location']}: {e['message']}", highlight=False, soft_wrap=True)
        if summary.errors_total > 50:
            console.print(f"  ... and {summary.errors_total - 50} more (--format json lists them)")
    for note in summary.notes:
        console.print(f"[yellow]note[/yellow]: {note}", highlight=False)
