"""Bad input that once stopped the batch: every one is a stored article or a one-line error.

Run through the real batch on SQLite and PostgreSQL (the NUL defect was PostgreSQL's
alone), and through the readers for the messages.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from factcheck.batch.runner import BatchOptions, run_batch
from factcheck.config import load_settings
from factcheck.db.models import Article, RunError
from factcheck.db.session import Database, make_engine
from factcheck.errors import InputError
from factcheck.ingest.discover import discover
from factcheck.ingest.safe import display_name, path_from_display, safe_text
from factcheck.ingest.text import MB
from tests.batch.fakes import make_fake

GOOD = "The mayor said the bridge will reopen in May. Repairs cost 4 million euros."


def _batch(db_url: str, paths: list[Path]) -> tuple[list[Article], list[RunError]]:
    db = Database(make_engine(db_url))
    try:
        options = BatchOptions(paths=[str(p) for p in paths], extractor_factory=make_fake)
        summary = run_batch(db=db, settings=load_settings(database_url=db_url), options=options)
        assert summary.status == "finished"
        with db.session() as s:
            articles = list(s.scalars(select(Article).order_by(Article.id)))
            errors = list(s.scalars(select(RunError).order_by(RunError.id)))
            s.expunge_all()
        return articles, errors
    finally:
        db.dispose()


def _items(path: Path, **kw: int) -> list[object]:
    return list(discover([path], **kw))  # type: ignore[arg-type]


def _errors(path: Path, **kw: int) -> list[str]:
    return [str(i) for i in _items(path, **kw) if isinstance(i, InputError)]


def test_nul_in_jsonl_and_late_in_text_is_stored_without_it_on_every_backend(
    db_url: str, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": "Before\u0000after. " + GOOD, "title": "T\u0000itle"})
        + "\n"
        + json.dumps({"text": "The next article is still read. It has a claim."})
        + "\n"
    )
    late = tmp_path / "late.txt"
    late.write_bytes(b"x" * 70_000 + b". \x00" + GOOD.encode())
    articles, errors = _batch(db_url, [feed, late])
    assert errors == []
    assert len(articles) == 3
    assert all("\x00" not in a.text for a in articles)
    assert articles[0].text.startswith("Beforeafter.") and articles[0].title == "Title"


def test_mojibake_control_characters_are_stored_as_read_so_offsets_hold(
    db_url: str, tmp_path: Path
) -> None:
    # cp1252 quotes read as Latin-1 arrive as U+0093/U+0094: both databases store them,
    # and removing them would shift every offset after them away from the file's text.
    text = "The mayor said \x93the bridge is safe\x94 on Monday. " + " ".join([GOOD] * 4)
    page = tmp_path / "mojibake.txt"
    page.write_text(text, encoding="utf-8")
    articles, errors = _batch(db_url, [page])
    assert errors == []
    assert [a.text for a in articles] == [text]


def test_lone_surrogate_and_undecodable_file_name_are_stored(db_url: str, tmp_path: Path) -> None:
    feed = tmp_path / "s.jsonl"
    feed.write_text('{"text": "Broken \\ud800 emoji. ' + GOOD + '"}\n')
    folder = tmp_path / "names"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"caf\xe9\nnews.txt")
    with open(raw, "wb") as handle:
        handle.write(GOOD.encode())
    articles, errors = _batch(db_url, [feed, folder])
    assert errors == []
    by_path = {a.source_path: a for a in articles}
    assert "Broken \ufffd emoji." in by_path[str(feed) + ""].text
    stored = str(folder) + "/caf\\xe9\\nnews.txt"
    assert stored in by_path
    # Lossless: the stored name gives back the very bytes of the file name.
    assert os.fsencode(path_from_display(stored)) == raw


def test_parser_failures_are_file_line_errors_and_the_file_goes_on(
    db_url: str, tmp_path: Path
) -> None:
    feed = tmp_path / "bad.jsonl"
    lines = [
        "[" * 100_000 + "]" * 100_000,
        '{"text": "' + GOOD + '", "id": ' + "9" * 5000 + "}",
        '{"text": "ctrl \x01 char"}',
        json.dumps({"text": GOOD}),
        '{"text": "' + GOOD + '", "author": ' + "[" * 50_000 + "]" * 50_000 + "}",
    ]
    feed.write_text("\n".join(lines) + "\n")
    deep = tmp_path / "deep.json"
    deep.write_text("{" + '"a":{' * 100_000 + "}" * 100_001)
    articles, errors = _batch(db_url, [feed, deep])
    assert len(articles) == 1
    messages = {e.location: e.message for e in errors}
    assert messages[f"{feed}:1"] == "bad JSON: nested too deeply to read"
    assert "too many digits" in messages[f"{feed}:2"]
    assert messages[f"{feed}:3"].startswith("bad JSON: Invalid control character at column ")
    assert "nested too deeply" in messages[f"{feed}:5"]
    assert "nested too deeply" in messages[f"{deep}:1"]
    assert all("\n" not in m for m in messages.values())


def test_text_that_is_mostly_control_characters_is_refused_as_binary() -> None:
    with pytest.raises(InputError, match=r"binary data, not an article: .*\(50 NUL\)"):
        safe_text("a\x00" * 50, location="x.jsonl:1")
    assert safe_text("tab\tnew\nline\r\x0c ok") == "tab\tnew\nline\r\x0c ok"


def test_display_name_round_trips_and_keeps_one_line() -> None:
    for raw in [b"plain.txt", b"a\\b.txt", b"nl\nname.txt", b"\xff\xfe.txt", b"\xc2\x85x.txt"]:
        name = os.fsdecode(raw)
        shown = display_name(name)
        assert "\n" not in shown and "\x85" not in shown
        shown.encode("utf-8")  # storable
        assert os.fsencode(path_from_display(shown)) == raw
    assert display_name("ordinary name.txt") == "ordinary name.txt"


def test_symlink_cycles_end_and_each_folder_is_walked_once(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text(GOOD)
    (root / "sub" / "up").symlink_to(root)
    (root / "sub" / "up2").symlink_to(root / "sub")
    (root / "loop").symlink_to(root)
    items = _items(root)
    assert [getattr(i, "location", None) for i in items] == [str(root / "sub" / "a.txt")]


def test_fifo_device_and_broken_link_are_refused_with_one_line_each(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "gone.txt").symlink_to(folder / "missing")
    (folder / "z.txt").write_text(GOOD)
    # No writer ever opens the FIFO: reading it would block this test for ever.
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.extend(_items(folder)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "discovery blocked on a FIFO"
    shown = [str(i) for i in result if isinstance(i, InputError)]
    assert shown == [
        f"{folder / 'gone.txt'}: broken symbolic link",
        f"{folder / 'pipe.txt'}: is a FIFO (named pipe), not a file",
        f"{folder / 'zero.txt'}: is a character device, not a file",
    ]
    assert _errors(folder / "zero.txt") == [
        f"{folder / 'zero.txt'}: is a character device, not a file"
    ]


def test_size_limit_applies_to_what_is_read_and_says_the_real_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (MB // 5 + 10))
    assert _errors(big, max_bytes=MB) == [
        f"{big}: file is 1.0 MB, over the 1 MB limit (FACTCHECK_MAX_FILE_MB)"
    ]
    line = tmp_path / "l.jsonl"
    line.write_text(json.dumps({"text": "w " * MB}) + "\n")
    assert _errors(line, max_bytes=MB) == [f"{line}:1: line is over the 1 MB limit"]
    assert _errors(big, max_bytes=50 * MB) == []


def test_utf16_text_is_read_and_undecodable_utf16_is_named(tmp_path: Path) -> None:
    for codec, raw in [
        ("utf-16", GOOD.encode("utf-16")),
        ("utf-16-le", GOOD.encode("utf-16-le")),
        ("utf-16-be", GOOD.encode("utf-16-be")),
    ]:
        path = tmp_path / f"{codec}.txt"
        path.write_bytes(raw)
        (article,) = _items(path)
        assert getattr(article, "text", None) == GOOD, codec
    feed = tmp_path / "u16.jsonl"
    feed.write_bytes((json.dumps({"text": GOOD}) + "\n").encode("utf-16"))
    (article,) = _items(feed)
    assert getattr(article, "text", None) == GOOD
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\xff\xfe" + "ab".encode("utf-16-le") + b"\x00\xd8")
    (message,) = _errors(broken)
    assert "looks like UTF-16 text but does not decode" in message


def test_html_nested_past_libxml2_limit_is_read(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text(
        "<html><body>" + "<div>" * 300 + f"<p>{GOOD}</p>" + "</div>" * 300 + "</body></html>"
    )
    (article,) = _items(page)
    assert GOOD in getattr(article, "text", "")
