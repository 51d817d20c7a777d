"""A checked article as a report sees it: reviewed and unreviewed claims, a relay chain,
overlapping quotes, evidence and reviewer notes; optionally with hostile text everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from factcheck.db.models import Article, Claim, Evidence
from tests.factories import make_article, make_claim, make_source

TEXT = (
    "Ahmad Reza Radan was received on June 27 by Nikolai Patrushev. "
    "According to the Iranian embassy, the visit took place at the invitation of the "
    "Russian side. More than 260 demonstrators were killed, according to official figures. "
    "Talks will resume in May, a Kremlin source said, according to TASS. "
    "Iran cannot offer technical assistance, Iranist Nikita Smagin believes."
)
HOSTILE_TEXT = (
    "<script>alert('text')</script> Officials said <img src=x onerror=alert(1)> the dam "
    "[broke](javascript:alert(2)) at 3 a.m. | twice. "
    '=HYPERLINK("http://evil.example","click") was the minister\'s reply.'
)
REVIEWED_AT = datetime(2024, 6, 30, 9, 15, tzinfo=UTC)


@dataclass
class Built:
    article_id: int
    claims: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)


def review(
    session: Session,
    claim: Claim,
    verdict: str,
    *,
    note: str | None = None,
    evidence: list[tuple[str, str | None, str]] | None = None,
    by: str = "alice",
) -> None:
    claim.status = "reviewed"
    claim.verdict = verdict
    claim.review_note = note
    claim.reviewed_by = by
    claim.reviewed_at = REVIEWED_AT
    for url, title, stance in evidence or []:
        session.add(Evidence(claim_id=claim.id, url=url, title=title, stance=stance, added_by=by))
    session.flush()


def _claim(session: Session, article: Article, quote: str, text: str, **kwargs: Any) -> Claim:
    row = make_claim(session, article, quote, **kwargs)
    row.text = text
    session.flush()
    return row


def build_article(session: Session) -> Built:
    """Seven claims: four reviewed (true, mixed, false, unproven), three still open."""
    art = make_article(
        session,
        TEXT,
        title="Law enforcement officers of Russia and Iran agreed on cooperation",
        url="https://news.example/russia-iran",
        outlet="Kommersant",
        published_at=datetime(2024, 6, 28, tzinfo=UTC),
    )
    # Fixed so that rendered reports are identical from run to run (snapshot test).
    art.source_path = "seeds/russia-iran.txt"
    art.ingested_at = datetime(2024, 6, 29, 8, 0, tzinfo=UTC)
    embassy = make_source(session, "Iranian embassy in Russia", "official")
    figures = make_source(session, "official figures", "official", named=False)
    kremlin = make_source(session, "a Kremlin source", "unknown", named=False)
    tass = make_source(session, "TASS", "media")
    smagin = make_source(session, "Nikita Smagin", "expert", role="Iranist")
    built = Built(article_id=art.id)
    built.sources = {
        "embassy": embassy.id,
        "figures": figures.id,
        "kremlin": kremlin.id,
        "tass": tass.id,
        "smagin": smagin.id,
    }
    received = _claim(
        session,
        art,
        "Ahmad Reza Radan was received on June 27 by Nikolai Patrushev.",
        "Iranian police chief Ahmad Reza Radan was received by Nikolai Patrushev on June 27.",
        checkworthiness=0.6,
    )
    review(
        session,
        received,
        "true",
        evidence=[("https://kremlin.example/events/1", "Security Council readout", "supports")],
    )
    date = _claim(
        session,
        art,
        "received on June 27",
        "The meeting between Radan and Patrushev took place on June 27.",
        status="needs_info",
        checkworthiness=0.4,
    )
    invitation = _claim(
        session,
        art,
        "the visit took place at the invitation of the Russian side",
        "Radan's visit to Russia took place at the invitation of the Russian side.",
        sources=[embassy],
        cue="according to",
        checkworthiness=0.5,
    )
    review(session, invitation, "mixed", note="Embassy statement only; no Russian confirmation.")
    killed = _claim(
        session,
        art,
        "More than 260 demonstrators were killed",
        "More than 260 demonstrators and police officers were killed in Iran's unrest.",
        sources=[figures],
        kind="statistic",
        cue="according to",
        checkworthiness=0.9,
    )
    review(
        session,
        killed,
        "false",
        note="Rights groups count over 500 deaths; the official figure undercounts.",
        evidence=[
            ("https://rights.example/iran-report", "Rights group tally", "refutes"),
            ("https://stats.example/official", None, "context"),
        ],
    )
    talks = _claim(
        session,
        art,
        "Talks will resume in May",
        "Russian-Iranian talks will resume in May.",
        sources=[kremlin, tass],
        kind="prediction",
        hedged=True,
        checkworthiness=0.8,
    )
    assistance = _claim(
        session,
        art,
        "Iran cannot offer technical assistance",
        "Iran cannot offer Russia technical assistance in law enforcement, says Nikita Smagin.",
        sources=[smagin],
        kind="opinion",
        cue="believes",
        status="in_review",
        checkworthiness=0.3,
    )
    unproven = _claim(
        session,
        art,
        "the Russian side",
        "Russia initiated the visit.",
        sources=[embassy],
        checkworthiness=0.2,
    )
    review(session, unproven, "unproven")
    built.claims = {
        "received": received.id,
        "date": date.id,
        "invitation": invitation.id,
        "killed": killed.id,
        "talks": talks.id,
        "assistance": assistance.id,
        "unproven": unproven.id,
    }
    return built


def build_hostile(session: Session) -> Built:
    """An article whose every field tries to inject markup, links or spreadsheet formulas."""
    art = make_article(
        session,
        HOSTILE_TEXT,
        title="<script>alert('title')</script> Dam <b>breaks</b>",
        url="javascript:alert('url')",
        outlet="<i>Outlet</i> & Co",
    )
    evil = make_source(
        session, "<img src=x onerror=alert('src')>", "official", role="<u>Role</u> | col"
    )
    quote = "<script>alert('text')</script> Officials said <img src=x onerror=alert(1)> the dam"
    c1 = _claim(
        session,
        art,
        quote,
        "</td></tr><script>alert('claim')</script> | the dam broke",
        sources=[evil],
    )
    review(
        session,
        c1,
        "false",
        note="</p><script>alert('note')</script> [x](javascript:alert(3))",
        evidence=[
            ("javascript:alert('evidence')", "<b onclick=alert(5)>click</b>", "refutes"),
            ("https://ok.example/a?b=<c>", "[fine](https://ok.example)", "supports"),
        ],
    )
    c2 = _claim(
        session,
        art,
        '=HYPERLINK("http://evil.example","click")',
        '=HYPERLINK("http://evil.example","click")',
    )
    return Built(article_id=art.id, claims={"c1": c1.id, "c2": c2.id}, sources={"evil": evil.id})
