"""The verdict scale is configuration that an organisation can replace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.errors import ConfigError, UsageError
from factcheck.verdicts import DEFAULT_SCALE, load_scale


def test_default_scale_lookup_by_key_or_label() -> None:
    assert DEFAULT_SCALE.get("Mostly False").key == "mostly-false"
    assert DEFAULT_SCALE.get("not checkable").rating is None
    assert DEFAULT_SCALE.get("false").rating == 1
    assert DEFAULT_SCALE.false_keys() == ["mostly-false", "false"]
    with pytest.raises(UsageError, match="unknown verdict 'pants'"):
        DEFAULT_SCALE.get("pants")


def test_custom_scale_from_file(tmp_path: Path) -> None:
    path = tmp_path / "scale.json"
    path.write_text(
        json.dumps(
            {
                "name": "newsroom",
                "verdicts": [
                    {"key": "correct", "label": "Correct", "rating": 5},
                    {"key": "pants-on-fire", "label": "Pants on fire", "rating": 1, "false": True},
                ],
            }
        ),
        encoding="utf-8",
    )
    scale = load_scale(path)
    assert scale.get("Pants on Fire").false and scale.keys == ["correct", "pants-on-fire"]
    assert load_scale(None) is DEFAULT_SCALE


def test_bad_scale_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"verdicts": [{"key": "x", "label": "X", "rating": 9}]}', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.json"):
        load_scale(path)
    with pytest.raises(ConfigError, match="not found"):
        load_scale(tmp_path / "missing.json")
