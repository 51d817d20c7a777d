"""The end-of-batch summary: what was done, and what needs a fact-checker's attention.

Counts come from this invocation; claims, sources and errors are read back from the
database for this run, so the summary shows what was really stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck.batch.stats import BatchStats
from factcheck.db.models import (
    Article,
    ArticleExtraction,
    Claim,
    ClaimMatch,
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
    # Distinct claims, never match pairs: one claim matched to three others counts once.
    repeats: dict[str, int] = field(default_factory=dict)

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
            "repeats": self.repeats,
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
    top_claims, repeated = _top_claims(session, in_run)
    first_sources: dict[int, str] = dict(
        session.execute(
            select(ClaimSource.claim_id, Source.canonical_name)
            .join(Source, Source.id == ClaimSource.source_id)
            .where(ClaimSource.claim_id.in_([c.id for c in top_claims]), ClaimSource.position == 0)
        )
        .tuples()
        .all()
    )
    repeats = _repeats(session, in_run)
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
                "priority": round(c.priority, 3),
                "checkworthiness": round(c.checkworthiness, 3),
                "repeats": repeated[c.id],
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
        repeats=repeats,
    )


def _top_claims(session: Session, in_run: Any) -> tuple[list[Any], dict[int, int]]:
    """The run's highest-priority claims, one row per repeated claim, and how many
    claims of the run each row stands for.

    Ordered by the queue's priority, the one number a reviewer sees everywhere. A claim
    repeated by ten outlets is one row "×10", whether matching grouped the repeats or
    (with --no-match) they only share their text.
    """
    rows = session.execute(
        select(Claim.id, Claim.text, Claim.kind, Claim.priority, Claim.checkworthiness,
               Claim.group_id, Article.source_path, Article.url, Article.title)
        .join(Article, Article.id == Claim.article_id)
        .where(Claim.extraction_id.in_(in_run))
        .order_by(Claim.priority.desc(), Claim.id)
        .limit(TOP_CLAIMS * 20)
    ).all()  # fmt: skip
    shown: dict[Any, Any] = {}
    counts: dict[Any, int] = {}
    for row in rows:
        key = (
            ("group", row.group_id)
            if row.group_id
            else ("text", " ".join(row.text.lower().split()))
        )
        counts[key] = counts.get(key, 0) + 1
        if key not in shown and len(shown) < TOP_CLAIMS:
            shown[key] = row
    groups = [k[1] for k in shown if k[0] == "group"]
    if groups:
        # A group's members may rank below the rows read above: count them all.
        for group_id, n in session.execute(
            select(Claim.group_id, func.count(Claim.id))
            .where(Claim.extraction_id.in_(in_run), Claim.group_id.in_(groups))
            .group_by(Claim.group_id)
        ).all():
            counts[("group", group_id)] = int(n)
    return list(shown.values()), {row.id: counts[key] for key, row in shown.items()}


def _repeats(session: Session, in_run: Any) -> dict[str, int]:
    """How many of the run's claims repeat a claim (joined a group) or await a decision
    on a suggested match: distinct claims, not the match rows between them."""
    grouped = session.execute(
        select(func.count(Claim.id), func.count(func.distinct(Claim.group_id))).where(
            Claim.extraction_id.in_(in_run),
            Claim.group_id.is_not(None),
            Claim.group_id != Claim.id,
        )
    ).one()
    run_claims = select(Claim.id).where(Claim.extraction_id.in_(in_run))
    suggested = session.scalar(
        select(func.count(func.distinct(ClaimMatch.claim_id))).where(
            ClaimMatch.status == "suggested", ClaimMatch.claim_id.in_(run_claims)
        )
    )
    return {
        "claims_repeating": int(grouped[0]),
        "groups": int(grouped[1]),
        "claims_with_suggestions": int(suggested or 0),
    }


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
    r = summary.repeats
    if r.get("claims_repeating") or r.get("claims_with_suggestions"):
        console.print(
            f"Repeats: {r['claims_repeating']} claim(s) repeat {r['groups']} claim(s) already "
            f"stored (grouped); {r['claims_with_suggestions']} claim(s) have a possible match "
            "to confirm (factcheck claims matches ID)",
            highlight=False,
        )
    if summary.top_claims:
        table = Table(
            title="Highest-priority claims (the queue's order; factcheck queue --explain says why)",
            title_justify="left",
            expand=True,
        )
        table.add_column("id", no_wrap=True)
        table.add_column("priority", no_wrap=True)
        table.add_column("kind", no_wrap=True)
        table.add_column("claim", ratio=3, overflow="fold")
        table.add_column("source", ratio=1, overflow="fold")
        for c in summary.top_claims:
            times = f" [dim]×{c['repeats']}[/dim]" if c["repeats"] > 1 else ""
            table.add_row(
                str(c["id"]),
                f"{c['priority']:.2f}",
                c["kind"],
                escape(c["text"]) + times,
                escape(c["source"] or ""),
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
