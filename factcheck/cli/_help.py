"""Readable types in `--help`: TEXT, INTEGER, PATH, table|json, never `<bool>` or `<list[str]>`.

Recent Typer versions print an option's Python annotation as its type. A reviewer
reading `factcheck queue --help` should see what to type, as click and older Typer
showed it: flags take no value, a repeatable option shows its element type (its help
says "repeatable"), choices stay a|b|c.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_NAMES = {
    "str": "TEXT",
    "int": "INTEGER",
    "float": "NUMBER",
    "path": "PATH",
    "Path": "PATH",
    "file": "FILE",
    "directory": "FOLDER",
    "datetime": "DATE",
}


def readable(label: str) -> str:
    """`<list[int]>` → INTEGER, `<int range>` → INTEGER, `<json|table>` stays json|table."""
    label = label.strip()
    if label.startswith("<") and label.endswith(">"):
        label = label[1:-1]
    if label.startswith("list[") and label.endswith("]"):
        label = label[5:-1]
    if "|" in label:
        return label
    label = label.removesuffix(" range")
    return _NAMES.get(label, label.upper())


def install() -> None:
    """Replace Typer's annotation display with the readable one (once; a no-op where
    this Typer already prints click-style types)."""
    try:
        from typer.core import _TyperParameter
    except ImportError:
        return
    original: Callable[..., str] | None = getattr(_TyperParameter, "display_type", None)
    if original is None or getattr(original, "_factcheck", False):
        return

    def display_type(self: Any, ctx: Any) -> str:
        if getattr(self, "is_flag", False) or getattr(self, "count", False):
            return ""
        return readable(original(self, ctx))

    display_type._factcheck = True  # type: ignore[attr-defined]
    _TyperParameter.display_type = display_type  # type: ignore[method-assign]
