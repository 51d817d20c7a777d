"""Paths, folders and stdin become a lazy stream of articles, errors and ignored files."""

from __future__ import annotations

import io
import json
from pathlib import Path

from factcheck.errors import InputError
from factcheck.ingest.discover import (
    Ignored,
    InputFile,
    discover,
    estimate_articles,
    find_inputs,
)
from factcheck.ingest.document import ArticleInput


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD.txt").write_text("not an article")
    (root / "a.txt").write_text("Article A.")
    (root / "b" / "c.html").write_text(
        "<html><body><article><p>Article C is here.</p></article></body></html>"
    )
    (root / "b" / "deep" / "d.jsonl").write_text('{"text": "D1."}\n{"text": "D2."}\n')
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"PK\x03\x04\x00\x00")
    (root / ".DS_Store").write_bytes(b"\x00")
    return root


def test_folder_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    found = list(find_inputs([root]))
    names = [
        (f.path.relative_to(root).as_posix(), f.kind) if isinstance(f, InputFile) else f
        for f in found
    ]
    assert names[:5] == [
        ("a.txt", "text"), ("b/c.html", "html"), ("b/deep/d.jsonl", "jsonl"),
        ("binary.txt", "text"), ("empty.txt", "text"),
    ]  # fmt: skip
    assert isinstance(found[5], Ignored) and found[5].location.endswith("photo.jpg")
    assert len(found) == 6


def test_discover_yields_articles_errors_and_ignored(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    items = list(discover([root, tmp_path / "missing.txt"]))
    texts = [i.text for i in items if isinstance(i, ArticleInput)]
    assert texts == ["Article A.", "Article C is here.", "D1.", "D2."]
    errors = {i.location: i.message for i in items if isinstance(i, InputError)}
    assert "binary" in errors[str(root / "binary.txt")]
    assert "empty" in errors[str(root / "empty.txt")]
    assert "no such file" in errors[str(tmp_path / "missing.txt")]
    assert [i.location for i in items if isinstance(i, Ignored)] == [str(root / "photo.jpg")]
    jsonl = [i for i in items if isinstance(i, ArticleInput) and i.text.startswith("D")]
    assert [i.location for i in jsonl] == [
        f"{root / 'b' / 'deep' / 'd.jsonl'}:1",
        f"{root / 'b' / 'deep' / 'd.jsonl'}:2",
    ]


def test_explicit_file_with_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    page = tmp_path / "saved.page"
    page.write_text(
        "<!doctype html><html><body><article><p>Sniffed page text.</p></article></body></html>"
    )
    records = tmp_path / "export.dat"
    records.write_text('{"text": "R1."}\n{"text": "R2."}\n')
    plain = tmp_path / "README"
    plain.write_text("Just text.")
    texts = [i.text for i in discover([page, records, plain]) if isinstance(i, ArticleInput)]
    assert texts == ["Sniffed page text.", "R1.", "R2.", "Just text."]


def test_stdin(tmp_path: Path) -> None:
    (text,) = list(discover(["-"], stdin=io.BytesIO(b"From a pipe.\n")))
    assert isinstance(text, ArticleInput) and text.text == "From a pipe.\n"
    assert text.location == "<stdin>" and text.source_path is None
    lines = io.BytesIO(b'{"text": "S1."}\nnot json\n')
    items = list(discover(["-"], stdin=lines))
    assert isinstance(items[0], ArticleInput) and items[0].location == "<stdin>:1"
    assert isinstance(items[1], InputError) and items[1].location == "<stdin>:2"
    (empty,) = list(discover(["-"], stdin=io.BytesIO(b"")))
    assert isinstance(empty, InputError) and "empty" in empty.message


def test_estimate_counts_jsonl_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("\n".join(json.dumps({"text": f"T{i}."}) for i in range(7)) + "\n\n")
    assert estimate_articles(InputFile(path, "jsonl")) == 7
    assert estimate_articles(InputFile(tmp_path / "a.txt", "text")) == 1
