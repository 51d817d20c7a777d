"""Re-extraction never overwrites people: claims a reviewer edited, reviewed, added or
rejected stay as they are, the new machine claims overlapping them are suppressed, the
untouched machine claims are replaced, and the batch summary says so."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from factcheck.db.models import Claim
from factcheck.db.session import Database
from factcheck.workflow.corrections import SpanInput, add_claim, edit_claim, reject_claim
from factcheck.workflow.review import review_claim
from tests.batch.fakes import make_fake_v2
from tests.batch.test_runner import _run

TEXT = (
    "Anna Berg said wages rose 5 percent. Exports fell in May. "
    "Beating the forecast. The port reopened on Monday. Prices kept rising."
)


def _claims(database: Database) -> dict[str, Claim]:
    with database.session() as s:
        rows = s.scalars(select(Claim).order_by(Claim.start)).all()
        s.expunge_all()
        return {c.quote: c for c in rows}


def test_reextraction_keeps_peoples_work(database: Database, db_url: str, tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    _run(db_url, [root])
    first = _claims(database)
    assert len(first) == 5
    wages = first["Anna Berg said wages rose 5 percent."]
    exports = first["Exports fell in May."]
    fragment = first["Beating the forecast."]
    with database.session() as s:
        edit_claim(
            session=s, claim_id=wages.id, actor="ana", text="Wages rose 5%", kind="statistic"
        )
        review_claim(session=s, claim_id=exports.id, actor="ana", verdict="true")
        reject_claim(session=s, claim_id=fragment.id, actor="ana", reason="a fragment")
        added = add_claim(
            session=s, article_id=wages.article_id or 0, actor="ana",
            span=SpanInput(quote="reopened on Monday"),
        )  # fmt: skip
        added_id = added.id

    summary = _run(db_url, [root], extractor_factory=make_fake_v2)

    after = _claims(database)
    by_id = {c.id: c for c in after.values()}
    # People's claims are the same rows with the same content.
    assert by_id[wages.id].text == "Wages rose 5%" and by_id[wages.id].kind == "statistic"
    assert by_id[exports.id].status == "reviewed" and by_id[exports.id].verdict == "true"
    assert by_id[fragment.id].status == "rejected"
    assert by_id[added_id].quote == "reopened on Monday"
    # The new version's overlapping claims were not stored; its other claim replaced the
    # untouched one of version 1.
    assert sorted(after) == sorted(
        [
            "Anna Berg said wages rose 5 percent.",
            "Exports fell in May.",
            "Beating the forecast.",
            "reopened on Monday",
            "Prices kept rising.",
        ]
    )
    rising = after["Prices kept rising."]
    assert rising.created_at > first["Prices kept rising."].created_at  # the v2 claim
    assert [c.id for c in after.values() if c.quote == "The port reopened on Monday."] == []
    note = next(n for n in summary.notes if n.startswith("re-extraction"))
    assert note == (
        "re-extraction kept 4 claim(s) people edited, reviewed, added or rejected as they "
        "are, suppressed 4 new machine claim(s) overlapping them, and replaced 2 untouched "
        "machine claim(s)"
    )


def test_force_extracts_the_same_version_again_and_keeps_peoples_work(
    database: Database, db_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    _run(db_url, [root])
    first = _claims(database)
    wages = first["Anna Berg said wages rose 5 percent."]
    with database.session() as s:
        edit_claim(session=s, claim_id=wages.id, actor="ana", text="Wages rose 5%")
    assert _run(db_url, [root]).articles["skipped_already_extracted"] == 1
    summary = _run(db_url, [root], force=True)
    assert summary.articles["new"] == 1
    after = _claims(database)
    assert len(after) == 5 and after[wages.quote].id == wages.id
    assert after[wages.quote].text == "Wages rose 5%"
    # Untouched claims are the new extraction's (SQLite may reuse a deleted id).
    assert after["Exports fell in May."].created_at > first["Exports fell in May."].created_at
    assert after[wages.quote].created_at == wages.created_at
    assert any(n.startswith("re-extraction kept 1 claim(s)") for n in summary.notes)
