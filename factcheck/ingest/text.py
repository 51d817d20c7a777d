"""Plain-text articles: strict UTF-8, with a clear error for what is not an article."""

from __future__ import annotations

from pathlib import Path

from factcheck.errors import InputError
from factcheck.ingest.document import ArticleInput

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def decode_text(data: bytes, *, location: str) -> str:
    """UTF-8 text exactly as stored (newlines kept), or an InputError saying why not."""
    if not data.strip():
        raise InputError("empty file: no text to read", location=location)
    # A NUL byte never occurs in text; it marks images, PDFs, archives and the like.
    if b"\x00" in data[:65536]:
        raise InputError("binary file, not text (contains NUL bytes)", location=location)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}, line {line}); "
            "re-save the file as UTF-8",
            location=location,
        ) from exc


def read_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    location = str(path)
    if not path.exists():
        raise InputError("no such file", location=location)
    if path.is_dir():
        raise InputError("is a folder, not a file", location=location)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                "(FACTCHECK_MAX_FILE_MB)",
                location=location,
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", location=location) from exc


def read_text_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ArticleInput:
    text = decode_text(read_bytes(path, max_bytes=max_bytes), location=str(path))
    return ArticleInput(text=text, location=str(path), source_path=str(path))
