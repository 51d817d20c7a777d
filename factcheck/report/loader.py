"""Everything a report needs, read in a fixed number of queries.

Each report selects its claims with one SQL condition (an article, a batch run, a date,
a source) and reuses that condition as a subquery for the relay chains and the
evidence, so a report over 10,000 claims issues the same handful of queries as one over
ten: the article or run, the claims, their sources, their evidence, and the sources'
track records.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from factcheck.db.articles import find_by_hash
from factcheck.db.models import (
    Article,
    ArticleExtraction,
    Claim,
    ClaimSource,
    Evidence,
    ExtractionRun,
    Source,
)
from factcheck.db.sources import source_records
from factcheck.errors import InputError, NotFoundError, UsageError
from factcheck.ingest.discover import discover
from factcheck.ingest.document import ArticleInput
from factcheck.ingest.text import DEFAULT_MAX_BYTES
from factcheck.report.model import (
    LEAD_CHARS,
    ArticleInfo,
    ArticleReport,
    BatchReport,
    ClaimRow,
    EvidenceItem,
    Organisation,
    ReportBase,
    RunInfo,
    SourceInfo,
    SourceLink,
    SourceReport,
)
from factcheck.report.publication import attach_publication
from factcheck.verdicts import VerdictScale

_ARTICLE_COLUMNS = (
    Article.id,
    Article.title,
    Article.outlet,
    Article.author,
    Article.url,
    Article.published_at,
    Article.source_path,
    Article.language,
    Article.content_hash,
    Article.ingested_at,
    func.substr(Article.text, 1, LEAD_CHARS).label("lead"),
)


def _now() -> datetime:
    return datetime.now(UTC)


# --- finding what to report on ---------------------------------------------------------


def article_ids_for_file(
    *, session: Session, path: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[tuple[int, str | None]]:
    """The stored articles of this file, as (id, title), in the file's order.

    The file is read as `factcheck check` reads it (text, HTML, JSONL: one article per
    record), and each article is found by content hash, which is indifferent to where
    the file lives now and to its line endings; articles stored from this path are the
    fallback. A feed file gives several.
    """
    found: dict[int, str | None] = {}
    for item in discover([path], max_bytes=max_bytes):
        if isinstance(item, InputError):
            if item.location == str(path):  # the whole file is unreadable
                raise item
            continue
        if isinstance(item, ArticleInput):
            row = find_by_hash(session=session, content_hash=item.content_hash)
            if row is not None:
                found.setdefault(row.id, row.title)
    if not found:
        wanted = {str(path), str(path.resolve())}
        for article_id, title in session.execute(
            select(Article.id, Article.title)
            .where(Article.source_path.in_(wanted))
            .order_by(Article.id)
        ).all():
            found.setdefault(article_id, title)
    if not found:
        raise InputError(
            "this article was never checked: run `factcheck check` on it first",
            location=str(path),
        )
    return list(found.items())


def article_id_for_file(*, session: Session, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """The one stored article of this file; a file of several is a UsageError that lists
    their ids, so the caller can pick one."""
    found = article_ids_for_file(session=session, path=path, max_bytes=max_bytes)
    if len(found) > 1:
        listed = "; ".join(f"#{i} {title or '(untitled)'}" for i, title in found)
        raise UsageError(
            f"{path} holds {len(found)} stored articles ({listed}): "
            f"report one by its id, e.g. `factcheck report article {found[0][0]}`"
        )
    return found[0][0]


# --- the common part: claims, relay chains, evidence, track records ---------------------


def _claims(session: Session, where: ColumnElement[bool], scale: VerdictScale) -> list[ClaimRow]:
    verdicts = {v.key: v for v in scale.verdicts}
    stmt = (
        select(
            Claim.id,
            Claim.article_id,
            Claim.text,
            Claim.quote,
            Claim.start,
            Claim.end,
            Claim.kind,
            Claim.hedged,
            Claim.status,
            Claim.checkworthiness,
            Claim.priority,
            Claim.verdict,
            Claim.review_note,
            Claim.reviewed_by,
            Claim.reviewed_at,
        )
        # What a reviewer rejected as "not a claim" is no claim of the report either.
        .where(where, Claim.status != "rejected")
        .order_by(Claim.article_id, Claim.start, Claim.id)
    )
    rows = []
    for r in session.execute(stmt):
        v = verdicts.get(r.verdict) if r.verdict else None
        rows.append(
            ClaimRow(
                id=r.id,
                article_id=r.article_id,
                text=r.text,
                quote=r.quote,
                start=r.start,
                end=r.end,
                kind=r.kind,
                hedged=bool(r.hedged),
                status=r.status,
                checkworthiness=float(r.checkworthiness),
                priority=float(r.priority),
                verdict=r.verdict,
                verdict_label=v.label if v else r.verdict,
                rating=v.rating if v else None,
                verdict_false=bool(v and v.false),
                review_note=r.review_note,
                reviewed_by=r.reviewed_by,
                reviewed_at=r.reviewed_at,
            )
        )
    return rows


def _links(session: Session, claim_ids: Select[Any]) -> dict[int, list[SourceLink]]:
    """Relay chains by claim (merges re-point claim_sources, so no merge lookup here)."""
    stmt = (
        select(
            ClaimSource.claim_id,
            ClaimSource.position,
            ClaimSource.cue,
            ClaimSource.role,
            ClaimSource.mention,
            Source.id,
            Source.canonical_name,
            Source.type,
            Source.named,
            Source.role,
        )
        .join(Source, Source.id == ClaimSource.source_id)
        .where(ClaimSource.claim_id.in_(claim_ids))
        .order_by(ClaimSource.claim_id, ClaimSource.position)
    )
    chains: dict[int, list[SourceLink]] = defaultdict(list)
    for (
        claim_id,
        position,
        cue,
        link_role,
        mention,
        sid,
        name,
        type_,
        named,
        role,
    ) in session.execute(stmt):
        chains[claim_id].append(
            SourceLink(
                source_id=sid,
                position=position,
                name=name,
                type=type_,
                named=bool(named),
                # The role as this article gives it beats the registry's general one.
                role=link_role or role,
                cue=cue,
                mention=mention,
            )
        )
    return chains


def _evidence(session: Session, claim_ids: Select[Any]) -> dict[int, list[EvidenceItem]]:
    stmt = (
        select(
            Evidence.claim_id,
            Evidence.url,
            Evidence.title,
            Evidence.excerpt,
            Evidence.stance,
            Evidence.added_by,
        )
        .where(Evidence.claim_id.in_(claim_ids))
        .order_by(Evidence.claim_id, Evidence.id)
    )
    found: dict[int, list[EvidenceItem]] = defaultdict(list)
    for claim_id, url, title, excerpt, stance, added_by in session.execute(stmt):
        found[claim_id].append(EvidenceItem(url, title, excerpt, stance, added_by))
    return found


def _assemble(
    session: Session, where: ColumnElement[bool], scale: VerdictScale
) -> tuple[list[ClaimRow], list[SourceInfo]]:
    claim_ids = select(Claim.id).where(where)
    claims = _claims(session, where, scale)
    chains = _links(session, claim_ids)
    evidence = _evidence(session, claim_ids)
    cited: dict[int, int] = defaultdict(int)
    for claim in claims:
        claim.sources = chains.get(claim.id, [])
        claim.evidence = evidence.get(claim.id, [])
        # A source appearing twice in one chain is cited once by that claim.
        for sid in {link.source_id for link in claim.sources}:
            cited[sid] += 1
    records = source_records(session=session, source_ids=list(cited), scale=scale)
    sources = {
        sid: SourceInfo(
            id=sid,
            name=rec.name,
            type=rec.type,
            named=rec.named,
            role=rec.role,
            record=rec,
            cited=cited[sid],
        )
        for sid, rec in records.items()
    }
    ordered = sorted(sources.values(), key=lambda s: (-s.cited, s.name.lower(), s.id))
    return claims, ordered


def _article_info(row: Any, text: str | None = None) -> ArticleInfo:
    return ArticleInfo(
        id=row.id,
        title=row.title,
        outlet=row.outlet,
        author=row.author,
        url=row.url,
        published_at=row.published_at,
        source_path=row.source_path,
        language=row.language,
        content_hash=row.content_hash,
        ingested_at=row.ingested_at,
        text=text,
        lead=row.lead,
    )


def _base(
    claims: list[ClaimRow],
    sources: list[SourceInfo],
    articles: dict[int, ArticleInfo],
    scale: VerdictScale,
    organisation: Organisation,
    now: datetime | None,
) -> dict[str, Any]:
    return {
        "claims": claims,
        "sources": sources,
        "articles": articles,
        "scale": scale,
        "organisation": organisation,
        "generated_at": now or _now(),
    }


# --- the three reports ------------------------------------------------------------------


def load_article_report(
    *,
    session: Session,
    article_id: int,
    scale: VerdictScale,
    organisation: Organisation,
    now: datetime | None = None,
) -> ArticleReport:
    """One article, every claim in it (reviewed or not), and the sources it cites."""
    row = session.execute(
        select(*_ARTICLE_COLUMNS, Article.text).where(Article.id == article_id)
    ).first()
    if row is None:
        raise NotFoundError(f"no article #{article_id}")
    article = _article_info(row, text=row.text)
    claims, sources = _assemble(session, Claim.article_id == article_id, scale)
    report = ArticleReport(
        **_base(claims, sources, {article.id: article}, scale, organisation, now),
        article=article,
    )
    attach_publication(session, report)
    return report


def load_batch_report(
    *,
    session: Session,
    scale: VerdictScale,
    organisation: Organisation,
    run_id: int | None = None,
    since: datetime | None = None,
    now: datetime | None = None,
) -> BatchReport:
    """The articles of one `factcheck check` run, or of everything checked since a date."""
    if (run_id is None) == (since is None):
        raise UsageError("give either a run id or --since DATE")
    run: RunInfo | None = None
    if run_id is not None:
        r = session.get(ExtractionRun, run_id)
        if r is None:
            raise NotFoundError(f"no batch run #{run_id}")
        run = RunInfo(
            id=r.id,
            command=r.command,
            extractor=f"{r.extractor_name} {r.extractor_version}",
            model=r.model,
            status=r.status,
            started_at=r.started_at,
            finished_at=r.finished_at,
            articles_new=r.articles_new,
            articles_skipped=r.articles_skipped,
            articles_failed=r.articles_failed,
            claims_stored=r.claims_stored,
            cost_usd=r.cost_usd,
        )
        article_ids = select(ArticleExtraction.article_id).where(ArticleExtraction.run_id == run_id)
        in_batch: ColumnElement[bool] = Article.id.in_(article_ids)
        label = f"Batch run #{run_id}"
    else:
        assert since is not None
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        extracted = select(ArticleExtraction.article_id).where(
            ArticleExtraction.created_at >= since
        )
        in_batch = or_(Article.id.in_(extracted), Article.ingested_at >= since)
        label = f"Articles checked since {since:%Y-%m-%d %H:%M} UTC"
    articles = {
        row.id: _article_info(row)
        for row in session.execute(select(*_ARTICLE_COLUMNS).where(in_batch).order_by(Article.id))
    }
    where = Claim.article_id.in_(select(Article.id).where(in_batch))
    claims, sources = _assemble(session, where, scale)
    report = BatchReport(
        **_base(claims, sources, articles, scale, organisation, now),
        label=label,
        run=run,
        since=since,
    )
    attach_publication(session, report)
    return report


def load_source_report(
    *,
    session: Session,
    source_id: int,
    scale: VerdictScale,
    organisation: Organisation,
    now: datetime | None = None,
) -> SourceReport:
    """One source: its track record and every claim it asserts or relays, anywhere."""
    src = session.get(Source, source_id)
    if src is None:
        raise NotFoundError(f"no source #{source_id}")
    cited = select(ClaimSource.claim_id).where(ClaimSource.source_id == source_id)
    claims, sources = _assemble(session, Claim.id.in_(cited), scale)
    in_report = select(Claim.article_id).where(Claim.id.in_(cited))
    articles = {
        row.id: _article_info(row)
        for row in session.execute(
            select(*_ARTICLE_COLUMNS).where(Article.id.in_(in_report)).order_by(Article.id)
        )
    }
    this = next((s for s in sources if s.id == source_id), None)
    if this is None:  # a source with no claims still has an (empty) report
        record = source_records(session=session, source_ids=[source_id], scale=scale)
        this = SourceInfo(
            id=src.id,
            name=src.canonical_name,
            type=src.type,
            named=src.named,
            role=src.role,
            record=record[source_id],
        )
    report = SourceReport(
        **_base(claims, sources, articles, scale, organisation, now),
        source=this,
    )
    attach_publication(session, report)
    return report


def report_label(report: ReportBase) -> str:
    """A short human title for the report (used in page titles and file headers)."""
    if isinstance(report, ArticleReport) and report.article is not None:
        return report.article.display_title
    if isinstance(report, BatchReport):
        return report.label
    if isinstance(report, SourceReport) and report.source is not None:
        return f"Source: {report.source.name}"
    return "Report"
