"""schema.org ClaimReview JSON-LD for every reviewed claim of a report: safe to publish.

Follows the fields Google's fact-check markup reads: claimReviewed, reviewRating
(ratingValue/bestRating/worstRating and the newsroom's own words as alternateName and
name), itemReviewed (a Claim whose author is the source and whose appearances are the
articles), datePublished, url, and the publishing organisation as author.

What a desk must not publish by accident is kept out: unreviewed claims; a claim
repeated by several outlets twice (one ClaimReview per group of repeats, with every
appearance); a verdict reused from another organisation's fact-check as the desk's own
(it is credited with `isBasedOn` and a note in `reviewBody`); an unnamed or junk source
("officials", "he", "official figures") as the claim's author. Claims whose articles
have no URL lose their appearance: `publication_warnings` lists them.
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


# Words that describe a source without naming it: never published as a claim's author.
_NOT_A_NAME = {
    "he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "someone", "somebody",
    "sources", "source", "officials", "official", "experts", "expert", "analysts", "analyst",
    "witnesses", "witness", "people", "residents", "reports", "media", "unknown", "observers",
    "critics", "authorities", "insiders", "spokesman", "spokeswoman", "spokesperson",
}  # fmt: skip
_MAX_NAME = 100  # Google: author names under 100 characters


def publishable_name(name: str | None) -> bool:
    """Whether a source's name can stand as a published author: it names someone.

    A name has a capitalised word ("press service of the Kremlin" does, "official
    figures" does not), is not a pronoun or a bare description, starts with no article
    ("a source", "an official") and is short.
    """
    if not name:
        return False
    text = " ".join(name.split())
    words = text.split()
    if not words or len(text) > _MAX_NAME or len(words) > 10:
        return False
    if not any(ch.isalpha() for ch in text):
        return False
    if words[0].lower() in {"a", "an", "some", "several", "many", "one", "two", "three"}:
        return False
    if all(w.strip(".,'\"").lower() in _NOT_A_NAME | {"the", "of"} for w in words):
        return False
    return any(w[:1].isupper() for w in words)


def _claim_author(claim: ClaimRow, article: ArticleInfo | None) -> dict[str, Any] | None:
    origin = claim.origin
    if origin is not None and not (origin.named and publishable_name(origin.name)):
        return None  # unnamed or junk: no author rather than a wrong one
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


def _appearance(article: ArticleInfo) -> dict[str, Any] | None:
    url = safe_url(article.url)
    if not url:
        return None
    appearance: dict[str, Any] = {"@type": "CreativeWork", "url": url}
    if article.title:
        appearance["headline"] = article.title
    if article.outlet:
        appearance["publisher"] = {"@type": "Organization", "name": article.outlet}
    if article.published_at is not None:
        appearance["datePublished"] = article.published_at.date().isoformat()
    return appearance


def _articles_of(claim: ClaimRow, report: ReportBase) -> list[ArticleInfo]:
    """Every article the claim appears in: its group's, else its own; earliest first."""
    found = list(report.appearances.get(claim.group_id or -1, []))
    own = report.articles.get(claim.article_id or -1)
    if own is not None and all(a.id != own.id for a in found):
        found.append(own)
    return sorted(found, key=lambda a: (a.published_at is None, a.published_at or 0, a.id))


def _based_on(claim: ClaimRow) -> tuple[dict[str, Any], str] | None:
    prior = claim.based_on
    if prior is None:
        return None
    work: dict[str, Any] = {"@type": "ClaimReview"}
    url = safe_url(prior.url)
    if url:
        work["url"] = url
    if prior.title:
        work["headline"] = prior.title
    if prior.publisher:
        author: dict[str, Any] = {"@type": "Organization", "name": prior.publisher}
        if safe_url(prior.publisher_url):
            author["url"] = prior.publisher_url
        work["author"] = author
    if prior.date:
        work["datePublished"] = prior.date
    if prior.rating_text:
        work["reviewRating"] = {"@type": "Rating", "alternateName": prior.rating_text}
    who = prior.publisher or "another fact-checker"
    when = f" of {prior.date}" if prior.date else ""
    rated = f' ("{prior.rating_text}")' if prior.rating_text else ""
    note = f"Rating based on the fact-check by {who}{when}{rated}" + (f": {url}" if url else ".")
    return work, note


def claim_review(
    claim: ClaimRow, article: ArticleInfo | None, report: ReportBase
) -> dict[str, Any]:
    """One ClaimReview object for a reviewed claim (and the repeats of its group)."""
    org = report.organisation
    publisher: dict[str, Any] = {"@type": "Organization", "name": org.name}
    if safe_url(org.url):
        publisher["url"] = org.url
    label = claim.verdict_label or claim.verdict
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": label, "name": label}
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
    articles = _articles_of(claim, report)
    dated = [a.published_at for a in articles if a.published_at is not None]
    if dated:
        item["datePublished"] = min(dated).date().isoformat()
    appearances = [a for a in (_appearance(x) for x in articles) if a is not None]
    unique = list({a["url"]: a for a in reversed(appearances)}.values())[::-1]
    if unique:
        item["appearance"] = unique
        item["firstAppearance"] = unique[0]
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
    credit = _based_on(claim)
    if credit is not None:
        review["isBasedOn"], review["reviewBody"] = credit
    return review


def _published(report: ReportBase) -> list[ClaimRow]:
    """One reviewed claim per group of repeats (its canonical claim when the report has
    it, else the first in report order); imported fact-checks are never republished."""
    chosen: dict[int, ClaimRow] = {}
    for c in report.claims:
        if not c.reviewed or c.article_id is None:
            continue
        key = c.group_id or c.id
        if key not in chosen or c.id == key:
            chosen[key] = c
    order = {c.id: i for i, c in enumerate(report.claims)}
    return sorted(chosen.values(), key=lambda c: order[c.id])


def claim_reviews(report: ReportBase) -> list[dict[str, Any]]:
    """ClaimReview objects for the report's reviewed claims, one per group, in report order."""
    return [
        claim_review(c, report.articles.get(c.article_id or -1), report) for c in _published(report)
    ]


def publication_warnings(report: ReportBase) -> list[str]:
    """What a desk should know before publishing the ClaimReview of this report: the
    claims that go out without an appearance (no article URL), one line each."""
    missing = [
        c for c in _published(report) if not any(safe_url(a.url) for a in _articles_of(c, report))
    ]
    if not missing:
        return []
    lines = [
        f"{len(missing)} published claim(s) have no appearance (their article has no URL), "
        "so Google cannot tie the fact-check to where the claim was made; give the "
        "articles a URL (the JSONL url field, the page's canonical link) and re-run:"
    ]
    for c in missing:
        art = report.articles.get(c.article_id or -1)
        where = art.display_title if art is not None else f"article #{c.article_id}"
        lines.append(f"  claim #{c.id} (article #{c.article_id}: {where})")
    return lines
