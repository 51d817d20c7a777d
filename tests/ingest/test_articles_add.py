"""`factcheck articles add` reads HTML pages, JSONL exports and folders through the readers."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from factcheck.cli.main import app
from factcheck.db.models import Article
from factcheck.db.session import Database


def test_add_html_jsonl_and_folder(database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_text(
        "<html><head><title>T</title></head><body><nav>Menu</nav><article>"
        "<p>The port reopened on Monday after a week of strikes by dock workers.</p>"
        "</article></body></html>"
    )
    feed = folder / "feed.jsonl"
    feed.write_text(json.dumps({"text": "Line one article.", "url": "https://x/1"}) + "\n{bad\n")
    (folder / "logo.png").write_bytes(b"\x89PNG")
    result = CliRunner().invoke(app, ["articles", "add", str(folder)])
    assert result.exit_code == 1
    assert f"{feed}:1: stored as #" in result.stdout
    assert f"{folder / 'page.html'}: stored as #" in result.stdout
    assert f"{feed}:2: bad JSON" in result.stderr
    assert "logo.png: skipped" in result.stderr
    assert "1 of 3 input(s) could not be stored" in result.stderr
    with database.session() as s:
        rows = {a.url or a.title: a.text for a in s.scalars(select(Article))}
    assert rows["https://x/1"] == "Line one article."
    assert "Menu" not in rows["T"] and rows["T"].startswith("The port reopened")
