"""The HTML report in a real browser: it renders, and hostile text runs nothing."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from factcheck.db.session import Database
from factcheck.report import ReportFormat, render
from tests.report.builders import Built, build_hostile
from tests.report.conftest import load_article

pytestmark = pytest.mark.browser


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("FACTCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail("FACTCHECK_REQUIRE_BROWSER=1 but chromium is not installed")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def sqlite_only(database: Database) -> Database:
    if database.dialect != "sqlite":
        pytest.skip("the browser sees the same HTML whatever the database")
    return database


def test_article_report_renders_to_a_picture(
    sqlite_only: Database, built: Built, tmp_path: Path
) -> None:
    report = load_article(sqlite_only, built.article_id)
    page = tmp_path / "report.html"
    page.write_text(render(report, ReportFormat.html), encoding="utf-8")
    png = tmp_path / "report.png"
    proc = _run([f"--screenshot={png}", "--window-size=1280,2000", page.as_uri()], tmp_path)
    assert png.is_file(), proc.stderr[-2000:]
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1280, 2000)
    # A blank page compresses to almost nothing; a report with text and charts does not.
    assert png.stat().st_size > 50_000


def test_hostile_article_runs_no_script_in_the_browser(
    sqlite_only: Database, tmp_path: Path
) -> None:
    with sqlite_only.session() as s:
        built = build_hostile(s)
    page = tmp_path / "hostile.html"
    page.write_text(
        render(load_article(sqlite_only, built.article_id), ReportFormat.html), encoding="utf-8"
    )
    proc = _run(["--dump-dom", page.as_uri()], tmp_path)
    dom = proc.stdout
    assert "<main>" in dom, proc.stderr[-2000:]
    assert "<script" not in dom.lower() and "<img" not in dom.lower()
    # The attempted markup is in the page as visible text.
    assert "&lt;script&gt;alert('text')&lt;/script&gt;" in dom
