"""Verification reports: what an article claims, who says it, what was checked, the verdict.

Load once (`load_article_report`, `load_batch_report`, `load_source_report`: a fixed
number of queries whatever the size), then render purely (`render(report, fmt)`) as
Markdown, self-contained HTML, JSON, CSV or schema.org ClaimReview JSON-LD.
"""

from __future__ import annotations

from factcheck.config import Settings
from factcheck.report.claimreview import claim_reviews
from factcheck.report.loader import (
    article_id_for_file,
    article_ids_for_file,
    load_article_report,
    load_batch_report,
    load_source_report,
)
from factcheck.report.model import (
    ArticleReport,
    BatchReport,
    Organisation,
    Report,
    SourceReport,
)
from factcheck.report.render import SUFFIXES, ReportFormat, render
from factcheck.report.tabular import read_claims_csv


def organisation_from(settings: Settings) -> Organisation:
    """The publishing organisation (ClaimReview author) from the settings."""
    return Organisation(
        name=settings.organisation_name,
        url=settings.organisation_url,
        review_url_template=settings.review_url_template,
        min_verdicts=settings.track_record_min_verdicts,
    )


__all__ = [
    "SUFFIXES",
    "ArticleReport",
    "BatchReport",
    "Organisation",
    "Report",
    "ReportFormat",
    "SourceReport",
    "article_id_for_file",
    "article_ids_for_file",
    "claim_reviews",
    "load_article_report",
    "load_batch_report",
    "load_source_report",
    "organisation_from",
    "read_claims_csv",
    "render",
]
