"""Plain-text articles: UTF-8 (or UTF-16 with a byte-order mark or recognisable as such),
with a clear error for what is not an article.

Files are opened without following them into a FIFO or a device, and the size limit
applies to the bytes read, not to what `stat` says: `/proc` files, a symlink to
`/dev/zero` or a file that grows while it is read cannot exhaust memory.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from factcheck.errors import InputError
from factcheck.ingest.document import ArticleInput
from factcheck.ingest.safe import display_path, safe_article

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MB = 1024 * 1024  # FACTCHECK_MAX_FILE_MB counts these, so messages do too

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def megabytes(n: int | float) -> str:
    """`n` bytes in the unit of FACTCHECK_MAX_FILE_MB, without rounding 50 up to 52."""
    value = n / MB
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def sniff_utf16(data: bytes) -> str | None:
    """The UTF-16/32 codec these bytes are in, from a byte-order mark or their NUL pattern.

    Windows tools save "Unicode" text as UTF-16; without a BOM, ASCII-heavy UTF-16 has a
    NUL in every other byte, which no UTF-8 text and no binary format shows so regularly.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode_unicode(data: bytes, *, location: str, codec: str) -> str:
    """Bytes in a UTF-16/32 `codec` as text (the BOM dropped), or an InputError naming it."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        name = codec.upper().replace("-LE", " little-endian").replace("-BE", " big-endian")
        raise InputError(
            f"looks like {name} text but does not decode as such (offset {exc.start}); "
            "re-save the file as UTF-8",
            location=location,
        ) from exc
    return text.removeprefix("\ufeff")


def decode_text(data: bytes, *, location: str) -> str:
    """UTF-8 text exactly as stored (newlines kept), or an InputError saying why not."""
    if not data.strip():
        raise InputError("empty file: no text to read", location=location)
    codec = sniff_utf16(data)
    if codec is not None:
        text = decode_unicode(data, location=location, codec=codec)
        if not text.strip():
            raise InputError("empty file: no text to read", location=location)
        return text
    # A NUL byte never occurs in text; it marks images, PDFs, archives and the like.
    # (A stray NUL further on is removed by factcheck.ingest.safe, on every backend.)
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


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular(path: Path) -> str | None:
    """Why `path` (followed through symlinks) cannot be read as an article, or None."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "broken symbolic link" if path.is_symlink() else "no such file"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    kind = _kind_of(mode)
    return f"is {kind}, not a file" if kind.startswith("a ") else kind


def read_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, at most `max_bytes`; FIFOs, devices and folders are refused.

    Opened non-blocking so that a FIFO swapped in after the check cannot hang the batch,
    and checked again on the open descriptor (fstat), so the check is about what is read.
    """
    location = display_path(path)
    why = not_regular(path)
    if why is not None:
        raise InputError(why, location=location)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", location=location) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"is {_kind_of(info.st_mode)}, not a file", location=location)
        limit = f"over the {megabytes(max_bytes)} MB limit (FACTCHECK_MAX_FILE_MB)"
        if info.st_size > max_bytes:
            raise InputError(
                f"file is {info.st_size / MB:.1f} MB, {limit}",
                location=location,
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"file is {limit}", location=location)
        return data
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", location=location) from exc
    finally:
        os.close(fd)


def read_text_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ArticleInput:
    location = display_path(path)
    text = decode_text(read_bytes(path, max_bytes=max_bytes), location=location)
    return safe_article(ArticleInput(text=text, location=location, source_path=location))
