"""Storing articles: dedup by content hash, clear errors for what is not an article."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.db.articles import list_articles, store_article
from factcheck.db.models import Article
from factcheck.db.session import Database
from factcheck.ingest.document import ArticleInput, content_hash

SEED = Path(__file__).resolve().parent.parent / "seeds" / "russia-iran-law-enforcement.txt"
runner = CliRunner()


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count(Article.id))) or 0)


def test_store_dedups_by_normalised_text(database: Database) -> None:
    with database.session() as s:
        a, created = store_article(session=s, article=ArticleInput(text="One.\nTwo.", location="a"))
        assert created
        b, created2 = store_article(
            session=s, article=ArticleInput(text="One.\r\nTwo.  \n", location="b")
        )
        assert not created2 and b.id == a.id
    assert _count(database) == 1
    with database.session() as s:
        rows = list_articles(session=s)
        assert [(r.id, r.claims) for r in rows] == [(a.id, 0)]
        assert rows[0].ingested_at.tzinfo is not None


def test_content_hash_differs_for_different_words() -> None:
    assert content_hash("260 killed") != content_hash("26 killed")
    assert content_hash("a\r\nb") == content_hash("a\nb")


def test_cli_add_and_list(database: Database, tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    result = runner.invoke(app, ["articles", "add", str(SEED), str(copy)])
    assert result.exit_code == 0, result.output
    assert "stored as #1" in result.output and "already stored as #1" in result.output
    listed = runner.invoke(app, ["articles", "list", "--format", "json"])
    rows = json.loads(listed.output)
    assert len(rows) == 1 and rows[0]["chars"] == len(SEED.read_text(encoding="utf-8"))


def test_cli_bad_inputs_are_named_and_nothing_half_stored(
    database: Database, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Café au lait".encode("latin-1"))
    missing = tmp_path / "missing.txt"
    result = runner.invoke(
        app, ["articles", "add", str(empty), str(binary), str(latin), str(missing), str(SEED)]
    )
    assert result.exit_code == 1
    err = result.stderr
    assert f"{empty}: empty file" in err
    assert f"{binary}: binary file" in err
    assert f"{latin}: not valid UTF-8" in err and "line 1" in err
    assert f"{missing}: no such file" in err
    assert "Traceback" not in result.output + err
    assert _count(database) == 1  # the good file still went in; the bad ones left nothing
