"""Feed exports: one article per line, broken lines reported at file:line, fields configurable."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from factcheck.config import load_settings
from factcheck.errors import InputError, UsageError
from factcheck.ingest.document import ArticleInput
from factcheck.ingest.jsonl import (
    JsonFields,
    iter_json_file,
    iter_jsonl_file,
    parse_published,
)


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_records_and_broken_lines(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "day.jsonl",
        [
            json.dumps({"text": "First article.", "title": "One", "url": "https://x/1",
                        "published": "2024-05-01T08:30:00+02:00", "outlet": "X", "author": "A"}),
            '{"text": "broken',
            "",
            json.dumps({"title": "no text here"}),
            json.dumps(["not", "an", "object"]),
            json.dumps({"text": 42}),
            json.dumps({"content": "Second article, in a field named content."}),
        ],
    )  # fmt: skip
    items = list(iter_jsonl_file(path, fields=JsonFields()))
    assert len(items) == 6  # the blank line is not an item
    first = items[0]
    assert isinstance(first, ArticleInput)
    assert (first.text, first.title, first.url, first.outlet, first.author) == (
        "First article.", "One", "https://x/1", "X", "A",
    )  # fmt: skip
    assert first.published_at == datetime(2024, 5, 1, 6, 30, tzinfo=UTC)
    assert first.location == f"{path}:1" and first.source_path == str(path)
    errors = {i.location: str(i) for i in items if isinstance(i, InputError)}
    assert set(errors) == {f"{path}:2", f"{path}:4", f"{path}:5", f"{path}:6"}
    assert "bad JSON" in errors[f"{path}:2"]
    assert "no article text" in errors[f"{path}:4"] and "--field text=" in errors[f"{path}:4"]
    assert "expected a JSON object" in errors[f"{path}:5"]
    assert "not text" in errors[f"{path}:6"]
    last = items[5]
    assert isinstance(last, ArticleInput) and last.location == f"{path}:7"


def test_field_names_are_configurable(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "feed.jsonl",
        [json.dumps({"body": "Text in body.", "headline": "H", "text": "",
                     "pubDate": "Tue, 07 May 2024 10:00:00 GMT"})],
    )  # fmt: skip
    fields = JsonFields().with_overrides(["text=body", "published = pubDate"])
    (article,) = list(iter_jsonl_file(path, fields=fields))
    assert isinstance(article, ArticleInput)
    assert article.text == "Text in body." and article.title == "H"
    assert article.published_at == datetime(2024, 5, 7, 10, tzinfo=UTC)
    settings = load_settings(jsonl_text_field="body")
    assert JsonFields.from_settings(settings).text == "body"


@pytest.mark.parametrize("pair", ["text", "nosuch=x", "text="])
def test_bad_field_override_is_a_usage_error(pair: str) -> None:
    with pytest.raises(UsageError):
        JsonFields().with_overrides([pair])


def test_json_array_single_object_and_jsonl_named_json(tmp_path: Path) -> None:
    array = tmp_path / "export.json"
    array.write_text(json.dumps([{"text": "A one."}, {"nope": 1}, {"text": "A three."}]))
    items = list(iter_json_file(array, fields=JsonFields()))
    assert [type(i).__name__ for i in items] == ["ArticleInput", "InputError", "ArticleInput"]
    assert items[1].location == f"{array}[1]"  # type: ignore[union-attr]
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"articles": [{"text": "Wrapped."}]}))
    (wrapped,) = list(iter_json_file(single, fields=JsonFields()))
    assert isinstance(wrapped, ArticleInput) and wrapped.text == "Wrapped."
    lines = tmp_path / "lines.json"
    lines.write_text('{"text": "L1."}\n{"text": "L2."}\n')
    texts = [
        i.text for i in iter_json_file(lines, fields=JsonFields()) if isinstance(i, ArticleInput)
    ]
    assert texts == ["L1.", "L2."]


def test_html_in_the_text_field_is_extracted(tmp_path: Path) -> None:
    html = (
        "<html><body><nav>Menu</nav><article><p>The mayor said the bridge will reopen "
        "in June after repairs costing 4 million euros.</p></article></body></html>"
    )
    path = _write_lines(tmp_path / "raw.jsonl", [json.dumps({"text": html, "title": "Bridge"})])
    (article,) = list(iter_jsonl_file(path, fields=JsonFields()))
    assert isinstance(article, ArticleInput)
    assert article.text.startswith("The mayor said") and "<p>" not in article.text
    assert article.title == "Bridge"


def test_empty_and_binary_jsonl(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n\n")
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\x00\x01\x02")
    (e1,) = list(iter_jsonl_file(empty, fields=JsonFields()))
    (e2,) = list(iter_jsonl_file(binary, fields=JsonFields()))
    assert isinstance(e1, InputError) and "empty" in str(e1)
    assert isinstance(e2, InputError) and "binary" in str(e2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("Wed, 01 May 2024 10:00:00 +0000", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        (1714557600, datetime(2024, 5, 1, 10, tzinfo=UTC)),
        (1714557600000, datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("last Tuesday", None),
        (None, None),
    ],
)
def test_parse_published(value: object, expected: datetime | None) -> None:
    assert parse_published(value) == expected
