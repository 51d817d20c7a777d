"""From what the user names on the command line to a stream of articles (or errors).

Paths may be files, folders (walked recursively, in name order) or `-` for standard input.
Folders are walked once each: a symlink back to a parent (a cycle) is followed at most
once, never round and round; FIFOs, devices and sockets are refused with one line each
instead of being opened (a FIFO would block the batch, `/dev/zero` would never end).
Each item is an ArticleInput or the InputError that stopped it, located at `file` or
`file:line`, so a batch can record the failure and go on. Files are read one at a time
as the stream is consumed: a folder of thousands of pages is never held in memory.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from factcheck.errors import InputError
from factcheck.ingest.document import ArticleInput
from factcheck.ingest.html import decode_html, looks_like_html, parse_html, read_html_file
from factcheck.ingest.jsonl import (
    JsonFields,
    iter_json_document,
    iter_json_file,
    iter_jsonl_file,
    iter_jsonl_lines,
)
from factcheck.ingest.safe import display_path, safe_article
from factcheck.ingest.text import (
    DEFAULT_MAX_BYTES,
    decode_text,
    decode_unicode,
    megabytes,
    not_regular,
    read_bytes,
    read_text_file,
    sniff_utf16,
)

Kind = Literal["text", "html", "jsonl", "json", "stdin", "guess"]
STDIN = "-"
STDIN_NAME = "<stdin>"

EXTENSIONS: dict[str, Kind] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
}


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read (path None means standard input) and how to read it."""

    path: Path | None
    kind: Kind

    @property
    def location(self) -> str:
        return STDIN_NAME if self.path is None else display_path(self.path)


@dataclass(frozen=True, slots=True)
class Ignored:
    """A file in a folder that is not an article format (images, PDFs, spreadsheets...)."""

    location: str
    reason: str


Item = ArticleInput | InputError | Ignored


def find_inputs(paths: Sequence[str | Path]) -> Iterator[InputFile | InputError | Ignored]:
    """The files behind `paths`, folders expanded; a missing path is an InputError."""
    for raw in paths:
        if str(raw) == STDIN:
            yield InputFile(None, "stdin")
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, set())
        elif path.exists() or path.is_symlink():
            why = not_regular(path)
            if why is None:
                yield InputFile(path, EXTENSIONS.get(path.suffix.lower(), "guess"))
            else:
                yield InputError(why, location=display_path(path))
        else:
            yield InputError("no such file or folder", location=display_path(path))


def _walk(folder: Path, seen: set[tuple[int, int]]) -> Iterator[InputFile | InputError | Ignored]:
    """The files under `folder` in name order; `seen` holds every folder entered.

    Folders are known by (device, inode), so one reached again through a symlink is not
    walked again and symlink cycles end. Iterative (a stack of open listings), so a very
    deep tree cannot exhaust the Python stack.
    """
    stack: list[Iterator[os.DirEntry[str]]] = []

    def enter(path: Path) -> Iterator[InputError]:
        try:
            info = path.stat()
        except OSError as exc:
            yield InputError(
                f"cannot read folder: {exc.strerror or exc}", location=display_path(path)
            )
            return
        key = (info.st_dev, info.st_ino)
        if key in seen:
            return  # reached again through a symlink: already walked (or being walked)
        seen.add(key)
        try:
            entries = sorted(os.scandir(path), key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            yield InputError(
                f"cannot read folder: {exc.strerror or exc}", location=display_path(path)
            )
            return
        stack.append(iter(entries))

    yield from enter(folder)
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        # Hidden files and folders (.git, .DS_Store) hold tool state, never articles.
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from enter(path)
        else:
            yield from _file_entry(path)


def _file_entry(path: Path) -> Iterator[InputFile | InputError | Ignored]:
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        why = not_regular(path)
        reason = why or f"not an article format ({path.suffix or 'no extension'})"
        yield Ignored(display_path(path), reason)
        return
    why = not_regular(path)
    if why is not None:
        yield InputError(why, location=display_path(path))
    else:
        yield InputFile(path, kind)


def estimate_articles(file: InputFile) -> int:
    """How many articles a file probably holds (JSONL: its non-blank lines), for progress."""
    if file.path is None or file.kind not in ("jsonl", "json"):
        return 1
    try:
        if not_regular(file.path) is not None or file.path.stat().st_size > DEFAULT_MAX_BYTES:
            return 1  # refused or over the limit when read: one error
        count = 0
        head = b""
        with file.path.open("rb") as handle:
            for line in handle:
                if not head:
                    head = line.strip()[:1]
                if line.strip():
                    count += 1
        if file.kind == "json" and count > 0:
            return count if head == b"{" else 1
        return max(count, 1)
    except OSError:
        return 1


def read_input(
    file: InputFile,
    *,
    fields: JsonFields,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """The articles in one file, each failure as an InputError item."""
    try:
        if file.kind == "stdin":
            data = (stdin or sys.stdin.buffer).read(max_bytes + 1)
            if len(data) > max_bytes:
                raise InputError(
                    f"standard input is over the {megabytes(max_bytes)} MB limit",
                    location=STDIN_NAME,
                )
            yield from _guess(data, name=STDIN_NAME, source_path=None, fields=fields)
            return
        assert file.path is not None
        if file.kind == "text":
            yield read_text_file(file.path, max_bytes=max_bytes)
        elif file.kind == "html":
            yield read_html_file(file.path, max_bytes=max_bytes)
        elif file.kind == "jsonl":
            yield from iter_jsonl_file(file.path, fields=fields, max_bytes=max_bytes)
        elif file.kind == "json":
            yield from iter_json_file(file.path, fields=fields, max_bytes=max_bytes)
        else:
            data = read_bytes(file.path, max_bytes=max_bytes)
            name = display_path(file.path)
            yield from _guess(data, name=name, source_path=name, fields=fields)
    except InputError as err:
        yield err
    except (RecursionError, ValueError, UnicodeError, MemoryError) as exc:
        # Data no reader above anticipated must still stop only this file, on one line.
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        yield InputError(f"cannot read: {detail}", location=file.location)


def _guess(
    data: bytes, *, name: str, source_path: str | None, fields: JsonFields
) -> Iterator[Item]:
    """Read bytes of unknown format: an HTML page, JSON/JSONL records, or plain text."""
    codec = sniff_utf16(data)
    if codec is not None:
        data = decode_unicode(data, location=name, codec=codec).encode("utf-8", "replace")
    head = data.lstrip()[:1]
    if looks_like_html(data):
        html = decode_html(data, location=name)
        yield parse_html(html, location=name, source_path=source_path)
    elif head == b"[":
        yield from iter_json_document(data, name=name, source_path=source_path, fields=fields)
    elif head == b"{":
        yield from iter_jsonl_lines(
            data.splitlines(), name=name, source_path=source_path, fields=fields
        )
    else:
        text = decode_text(data, location=name)
        yield safe_article(ArticleInput(text=text, location=name, source_path=source_path))


def discover(
    paths: Sequence[str | Path],
    *,
    fields: JsonFields | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Every article (or error, or ignored file) behind `paths`, lazily, in order."""
    fields = fields or JsonFields()
    for found in find_inputs(paths):
        if isinstance(found, InputFile):
            yield from read_input(found, fields=fields, max_bytes=max_bytes, stdin=stdin)
        else:
            yield found
