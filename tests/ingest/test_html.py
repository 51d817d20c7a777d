"""Saved web pages: article text without page chrome, plus title, date and author."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from factcheck.errors import InputError
from factcheck.ingest.html import looks_like_html, parse_html, read_html_file

PAGE = """<!DOCTYPE html>
<html><head>
<title>Minister: 12 hurt in blast | Daily Example</title>
<meta name="author" content="Jane Doe">
<meta property="og:site_name" content="Daily Example">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe now</nav>
<article>
<h1>Minister: 12 hurt in blast</h1>
<p>The interior minister said 12 people were hurt in the blast on Monday.</p>
<p>Police said the cause of the explosion was still unknown, according to Reuters.</p>
</article>
<footer>Copyright 2024 Daily Example. All rights reserved. Cookie settings.</footer>
</body></html>
"""


def test_page_chrome_is_dropped_and_metadata_kept(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    article = read_html_file(path)
    assert "12 people were hurt" in article.text
    assert "Police said the cause" in article.text
    for chrome in ("Subscribe now", "Copyright", "Cookie"):
        assert chrome not in article.text
    # Paragraphs are separated like plain-text articles, so offsets index this text.
    assert "\n\nPolice said" in article.text
    assert article.title is not None and "12 hurt" in article.title
    assert article.author == "Jane Doe"
    assert article.published_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert article.location == str(path) and article.source_path == str(path)


def test_declared_charset_is_honoured(tmp_path: Path) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="windows-1252">').replace(
        "blast on Monday", "blast in Café Nord on Monday"
    )
    path = tmp_path / "cp1252.htm"
    path.write_bytes(page.encode("windows-1252"))
    assert "Café Nord" in read_html_file(path).text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (
            b"<html><head><title>T</title></head><body><script>var a = 1;</script></body></html>",
            "no article text",
        ),
        ("<html><body><p>Caf\xe9</p></body></html>".encode("latin-1"), "declares no charset"),
    ],
)
def test_bad_pages_are_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_html_file(path)
    assert err.value.location == str(path)
    assert message in str(err.value)


def test_sniffing() -> None:
    assert looks_like_html(b"  <!DOCTYPE html><html>")
    assert looks_like_html(b"<!-- saved --><html>")
    assert not looks_like_html(b"The minister said <b> is a tag.")
    assert not looks_like_html(b'{"text": "<p>x</p>"}')


def test_url_passes_through() -> None:
    article = parse_html(PAGE, location="x", url="https://daily.example/a")
    assert article.url == "https://daily.example/a"
