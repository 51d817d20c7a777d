"""schema.org ClaimReview JSON-LD for every reviewed claim of a report.

Follows the fields Google's fact-check markup reads: claimReviewed, reviewRating
(ratingValue/bestRating/worstRating and the newsroom's own words as alternateName),
itemReviewed (a Claim whose author is the source and whose appearance is the article),
datePublished, url, and the publishing organisation as author. Unreviewed claims are
never published.
"""

from __future__ import annotations

from typing import Any

from factcheck.errors import ConfigError
from factcheck.report.model import ArticleInfo, ClaimRow, Organisation, ReportBase, SourceLink
from factcheck.report.text import safe_url

# Who is a person: a source typed expert or witness always; an official only when the
# article gives a title ("Viktor Zolotov, head of the Russian Guard"), since "the
# Kremlin press service" is an institution.
_PERSON_TYPES = {"expert", "witness"}
_ORG_TYPES = {"media", "organization"}


def _is_person(link: SourceLink) -> bool:
    if link.type in _PERSON_TYPES:
        return True
    if link.type in _ORG_TYPES:
        return False
    return bool(link.role) and link.named


def _claim_author(claim: ClaimRow, article: ArticleInfo | None) -> dict[str, Any] | None:
    origin = claim.origin
    if origin is None:
        # The article's own voice: the outlet asserts it.
        if article is not None and article.outlet:
            return {"@type": "Organization", "name": article.outlet}
        return None
    if _is_person(origin):
        author: dict[str, Any] = {"@type": "Person", "name": origin.name}
        if origin.role:
            author["jobTitle"] = origin.role
        return author
    return {"@type": "Organization", "name": origin.name}


def review_url(organisation: Organisation, claim: ClaimRow) -> str:
    """Where the fact check of this claim is published (ClaimReview `url`, required)."""
    template = organisation.review_url_template
    if not template and organisation.url:
        template = organisation.url.rstrip("/") + "/claims/{claim_id}"
    if not template:
        raise ConfigError(
            "ClaimReview needs the address where each fact check is published: set "
            "FACTCHECK_ORGANISATION_URL (reviews at <url>/claims/<id>) or "
            "FACTCHECK_REVIEW_URL_TEMPLATE (e.g. https://checks.example/{claim_id})"
        )
    return template.format(claim_id=claim.id, article_id=claim.article_id or "")


def claim_review(
    claim: ClaimRow, article: ArticleInfo | None, report: ReportBase
) -> dict[str, Any]:
    """One ClaimReview object for a reviewed claim."""
    org = report.organisation
    publisher: dict[str, Any] = {"@type": "Organization", "name": org.name}
    if safe_url(org.url):
        publisher["url"] = org.url
    rating: dict[str, Any] = {
        "@type": "Rating",
        "alternateName": claim.verdict_label or claim.verdict,
    }
    if claim.rating is not None:
        rating.update(
            ratingValue=claim.rating,
            bestRating=report.scale.best,
            worstRating=report.scale.worst,
        )
    item: dict[str, Any] = {"@type": "Claim"}
    author = _claim_author(claim, article)
    if author is not None:
        item["author"] = author
    if article is not None:
        if article.published_at is not None:
            item["datePublished"] = article.published_at.date().isoformat()
        url = safe_url(article.url)
        if url:
            appearance: dict[str, Any] = {"@type": "CreativeWork", "url": url}
            if article.title:
                appearance["headline"] = article.title
            if article.outlet:
                appearance["publisher"] = {"@type": "Organization", "name": article.outlet}
            item["appearance"] = [appearance]
            item["firstAppearance"] = appearance
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review_url(org, claim),
        "claimReviewed": claim.text,
        "author": publisher,
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if claim.reviewed_at is not None:
        review["datePublished"] = claim.reviewed_at.date().isoformat()
    return review


def claim_reviews(report: ReportBase) -> list[dict[str, Any]]:
    """ClaimReview objects for the report's reviewed claims, in report order."""
    return [
        claim_review(c, report.articles.get(c.article_id or -1), report)
        for c in report.claims
        if c.reviewed
    ]
