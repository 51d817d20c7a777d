"""Importing published fact-checks (schema.org ClaimReview) as reference claims.

A newsroom's archive, or another fact-checker's, becomes claims with `origin='reference'`
and a verdict on the configured scale, so that new claims matching them get "already
checked by X on DATE: False". The original rating text is always kept.

Accepted files: one ClaimReview object, a JSON list of them, JSON Lines (one per line),
a JSON-LD `@graph`, a DataFeed (`dataFeedElement[].item[]`) and the Google Fact Check
Tools search format (`claims[].claimReview[]`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.db.events import record_event
from factcheck.db.models import Claim, Evidence
from factcheck.errors import InputError
from factcheck.verdicts import DEFAULT_SCALE, Verdict, VerdictScale

# Words fact-checkers use, mapped to the default scale's keys; most specific first.
RATING_WORDS: tuple[tuple[str, str], ...] = (
    ("pants on fire", "false"),
    ("four pinocchios", "false"),
    ("three pinocchios", "mostly-false"),
    ("two pinocchios", "mixed"),
    ("one pinocchio", "mostly-true"),
    ("geppetto", "true"),
    ("half true", "mixed"),
    ("half-true", "mixed"),
    ("mostly true", "mostly-true"),
    ("mostly false", "mostly-false"),
    ("partly false", "mostly-false"),
    ("partially false", "mostly-false"),
    ("partly true", "mixed"),
    ("partially true", "mixed"),
    ("missing context", "mixed"),
    ("needs context", "mixed"),
    ("out of context", "mostly-false"),
    ("misleading", "mostly-false"),
    ("exaggerat", "mostly-false"),
    ("distort", "mostly-false"),
    ("mixture", "mixed"),
    ("mixed", "mixed"),
    ("no evidence", "unproven"),
    ("unproven", "unproven"),
    ("unsupported", "unproven"),
    ("unverified", "unproven"),
    ("unsubstantiated", "unproven"),
    ("not enough evidence", "unproven"),
    ("satire", "not-checkable"),
    ("opinion", "not-checkable"),
    ("not checkable", "not-checkable"),
    ("fake", "false"),
    ("hoax", "false"),
    ("incorrect", "false"),
    ("inaccurate", "false"),
    ("wrong", "false"),
    ("untrue", "false"),
    ("false", "false"),
    ("correct", "true"),
    ("accurate", "true"),
    ("true", "true"),
)


@dataclass(frozen=True)
class Rating:
    """A published rating: its text and, where given, its numeric value and range."""

    text: str | None
    value: float | None = None
    best: float | None = None
    worst: float | None = None


@dataclass
class ImportSummary:
    """What `import_claimreviews` stored, skipped and could not map."""

    imported: list[int] = field(default_factory=list)
    duplicates: int = 0
    unmapped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": len(self.imported),
            "claim_ids": self.imported,
            "duplicates": self.duplicates,
            "unmapped": self.unmapped,
            "errors": self.errors,
        }


def map_rating(rating: Rating, scale: VerdictScale | None = None) -> Verdict | None:
    """The scale's verdict for a published rating, or None when nothing fits.

    The text is tried first (a label or key of the scale, then the words fact-checkers
    use: "Pants on Fire!", "Four Pinocchios", "Misleading"); a numeric rating is
    stretched onto the scale's range when the text says nothing.
    """
    scale = scale or DEFAULT_SCALE
    if rating.text:
        text = rating.text.strip()
        for v in scale.verdicts:
            if _slug(text) in (v.key, _slug(v.label)):
                return v
        lowered = " " + re.sub(r"[^a-z0-9-]+", " ", text.lower()) + " "
        for word, key in RATING_WORDS:
            if word in lowered:
                return _on_scale(scale, key)
    if rating.value is not None:
        best = rating.best if rating.best is not None else 5.0
        worst = rating.worst if rating.worst is not None else 1.0
        if best != worst and min(best, worst) <= rating.value <= max(best, worst):
            share = (rating.value - worst) / (best - worst)
            target = scale.worst + share * (scale.best - scale.worst)
            rated = [v for v in scale.verdicts if v.rating is not None]
            if rated:
                return min(rated, key=lambda v: (abs(v.rating - target), -v.rating))  # type: ignore[operator]
    return None


def _on_scale(scale: VerdictScale, default_key: str) -> Verdict | None:
    """The scale's verdict for a default-scale key: same key, else the nearest rating."""
    for v in scale.verdicts:
        if v.key == default_key:
            return v
    wanted = next(v for v in DEFAULT_SCALE.verdicts if v.key == default_key)
    if wanted.rating is None:
        return None
    rated = [v for v in scale.verdicts if v.rating is not None]
    if not rated:
        return None
    return min(rated, key=lambda v: (abs(v.rating - wanted.rating), -v.rating))  # type: ignore[operator]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")


# --- reading files --------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRecord:
    """One published fact-check, whatever the file's format."""

    claim: str
    rating: Rating
    publisher: str | None
    publisher_url: str | None
    url: str | None
    date: str | None
    claimant: str | None
    claim_date: str | None
    title: str | None
    language: str | None
    location: str


def read_claimreviews(path: Path) -> Iterator[ReviewRecord]:
    """Every ClaimReview in the file; InputError names the file and line of a bad record."""
    for item in read_claimreview_items(path):
        if isinstance(item, InputError):
            raise item
        yield item


def read_claimreview_items(path: Path) -> Iterator[ReviewRecord | InputError]:
    """Every ClaimReview in the file, a bad line or record as an InputError item in its
    place (located at file:line), so an import takes the rest.

    A file that cannot be read at all (missing, empty, neither JSON nor JSON Lines, no
    ClaimReview in it) raises InputError instead.
    """
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError("file not found", location=str(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", location=str(path)) from exc
    if not raw.strip():
        raise InputError("empty file: expected ClaimReview JSON or JSON Lines", location=str(path))
    try:
        documents: list[tuple[Any, str] | InputError] = [(json.loads(raw), str(path))]
    except json.JSONDecodeError as whole_error:
        documents = _json_lines(raw, path, whole_error)
    found = 0
    for entry in documents:
        if isinstance(entry, InputError):
            found += 1
            yield entry
            continue
        doc, location = entry
        for review in _walk(doc):
            found += 1
            try:
                yield _record(review, location)
            except InputError as err:
                yield err
    if not found:
        raise InputError("no ClaimReview found in the file", location=str(path))


def _json_lines(
    raw: str, path: Path, whole_error: json.JSONDecodeError
) -> list[tuple[Any, str] | InputError]:
    """JSON Lines (a broken line as an InputError in its place), or the whole-file JSON
    error when the file is not JSON Lines either."""
    documents: list[tuple[Any, str] | InputError] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            documents.append((json.loads(line), f"{path}:{number}"))
        except json.JSONDecodeError as exc:
            if not documents:
                # Not even the first line stands alone: a broken (multi-line) JSON file.
                raise InputError(
                    f"invalid JSON: {whole_error.msg} (line {whole_error.lineno}, "
                    f"column {whole_error.colno})",
                    location=str(path),
                ) from whole_error
            documents.append(InputError(f"invalid JSON: {exc.msg}", location=f"{path}:{number}"))
    return documents


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type") or obj.get("type")
    values = t if isinstance(t, list) else [t]
    return {str(v).rsplit("/", 1)[-1] for v in values if v}


def _walk(doc: Any) -> Iterator[dict[str, Any]]:
    if isinstance(doc, list):
        for item in doc:
            yield from _walk(item)
        return
    if not isinstance(doc, dict):
        return
    if "ClaimReview" in _types(doc):
        yield doc
        return
    if "claimReview" in doc and ("text" in doc or "claimant" in doc):
        # Google Fact Check Tools: a claim with the reviews of it.
        for review in doc.get("claimReview") or []:
            if isinstance(review, dict):
                yield {"_google_claim": doc, **review}
        return
    for key in ("@graph", "dataFeedElement", "item", "claims", "claimReviews"):
        if key in doc:
            yield from _walk(doc[key])


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("site") or value.get("url")
    return str(value).strip() if value else None


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _record(review: dict[str, Any], location: str) -> ReviewRecord:
    google: dict[str, Any] = review.get("_google_claim") or {}
    item: dict[str, Any] = review.get("itemReviewed") or {}
    if not isinstance(item, dict):
        item = {}
    claim = review.get("claimReviewed") or google.get("text") or item.get("text")
    if not isinstance(claim, str) or not claim.strip():
        raise InputError("ClaimReview without claimReviewed text", location=location)
    rating_obj = review.get("reviewRating")
    if isinstance(rating_obj, list):
        rating_obj = rating_obj[0] if rating_obj else None
    if isinstance(rating_obj, dict):
        rating = Rating(
            text=_name(rating_obj.get("alternateName")) or _name(rating_obj.get("name")),
            value=_number(rating_obj.get("ratingValue")),
            best=_number(rating_obj.get("bestRating")),
            worst=_number(rating_obj.get("worstRating")),
        )
    else:
        rating = Rating(text=review.get("textualRating") or _name(rating_obj))
    publisher = review.get("author") or review.get("publisher")
    publisher_url = None
    if isinstance(publisher, dict):
        publisher_url = publisher.get("url") or publisher.get("site")
    claimant = google.get("claimant") or _name(item.get("author"))
    date = review.get("datePublished") or review.get("reviewDate")
    return ReviewRecord(
        claim=" ".join(claim.split()),
        rating=rating,
        publisher=_name(publisher),
        publisher_url=str(publisher_url) if publisher_url else None,
        url=review.get("url"),
        date=_date(date),
        claimant=claimant,
        claim_date=_date(google.get("claimDate") or item.get("datePublished")),
        title=review.get("title") or review.get("name") or review.get("headline"),
        language=review.get("inLanguage") or review.get("languageCode"),
        location=location,
    )


def _date(value: Any) -> str | None:
    if not value:
        return None
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}", text) else text


def _reviewed_at(date: str | None) -> datetime | None:
    if not date:
        return None
    try:
        parsed = datetime.fromisoformat(date)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# --- storing ----------------------------------------------------------------------------


def import_claimreviews(
    *,
    session: Session,
    path: Path,
    actor: str,
    scale: VerdictScale | None = None,
) -> ImportSummary:
    """Store every fact-check of the file as a reviewed reference claim.

    A bad line or record is listed in `errors` (as "file:line: what is wrong") and the
    others are stored all the same.

    The same claim text from the same fact-check URL is stored once, however often the
    file is imported. The fact-check's URL becomes the claim's evidence (refutes for a
    false verdict, supports for a true one), so a matching claim can reuse it.
    """
    scale = scale or DEFAULT_SCALE
    items = list(read_claimreview_items(path))
    summary = ImportSummary(errors=[str(i) for i in items if isinstance(i, InputError)])
    records = [i for i in items if isinstance(i, ReviewRecord)]
    seen = {
        (text, (ref or {}).get("url"))
        for text, ref in session.execute(
            select(Claim.text, Claim.reference).where(Claim.origin == "reference")
        ).all()
    }
    for rec in records:
        if (rec.claim, rec.url) in seen:
            summary.duplicates += 1
            continue
        seen.add((rec.claim, rec.url))
        verdict = map_rating(rec.rating, scale)
        if verdict is None:
            summary.unmapped.append(f"{rec.location}: {rec.rating.text or rec.rating.value!r}")
        reference = {
            "publisher": rec.publisher,
            "publisher_url": rec.publisher_url,
            "url": rec.url,
            "date": rec.date,
            "rating_text": rec.rating.text,
            "rating_value": rec.rating.value,
            "best_rating": rec.rating.best,
            "worst_rating": rec.rating.worst,
            "claimant": rec.claimant,
            "claim_date": rec.claim_date,
            "title": rec.title,
            "language": rec.language,
            "file": rec.location,
        }
        claim = Claim(
            article_id=None,
            origin="reference",
            extractor="claimreview",
            text=rec.claim,
            quote=rec.claim,
            status="reviewed",
            verdict=verdict.key if verdict else None,
            review_note=rec.rating.text,
            reviewed_by=rec.publisher,
            reviewed_at=_reviewed_at(rec.date),
            checkworthiness=0.0,
            priority=0.0,
            reference=reference,
        )
        session.add(claim)
        session.flush()
        if rec.url and rec.url.startswith(("http://", "https://")):
            stance = "context"
            if verdict is not None and verdict.false:
                stance = "refutes"
            elif verdict is not None and verdict.rating is not None and verdict.rating >= 4:
                stance = "supports"
            session.add(
                Evidence(
                    claim_id=claim.id,
                    url=rec.url,
                    title=rec.title,
                    stance=stance,
                    added_by=rec.publisher or actor,
                )
            )
        record_event(
            session=session,
            claim_id=claim.id,
            actor=actor,
            action="claimreview_import",
            to_status="reviewed",
            note=f"imported from {rec.location}",
            data={"verdict": claim.verdict, "rating_text": rec.rating.text, "url": rec.url},
        )
        summary.imported.append(claim.id)
    session.flush()
    return summary
