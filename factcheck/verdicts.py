"""The verdict scale: configuration, not code.

A newsroom publishes verdicts in its own words ("Pants on fire", "Misleading"). The
scale maps each to a ClaimReview ratingValue (1 = worst, 5 = best, or none for
"Unproven"), and says which count as false in a source's track record.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, model_validator

from factcheck.errors import ConfigError, UsageError


class Verdict(BaseModel):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str
    rating: int | None = Field(default=None, description="ClaimReview ratingValue, or none")
    false: bool = Field(default=False, description="counts against the source's record")
    description: str | None = None


class VerdictScale(BaseModel):
    name: str = "default"
    best: int = 5
    worst: int = 1
    verdicts: list[Verdict]

    @model_validator(mode="after")
    def _consistent(self) -> VerdictScale:
        keys = [v.key for v in self.verdicts]
        if len(set(keys)) != len(keys):
            raise ValueError("verdict keys must be unique")
        for v in self.verdicts:
            if v.rating is not None and not self.worst <= v.rating <= self.best:
                raise ValueError(f"{v.key}: rating {v.rating} outside {self.worst}..{self.best}")
        return self

    def get(self, name: str) -> Verdict:
        """The verdict named by key or label, forgiving case, spaces and dashes."""
        wanted = _slug(name)
        for v in self.verdicts:
            if wanted in (v.key, _slug(v.label)):
                return v
        choices = ", ".join(v.key for v in self.verdicts)
        raise UsageError(f"unknown verdict {name!r}; the scale has: {choices}")

    @property
    def keys(self) -> list[str]:
        return [v.key for v in self.verdicts]

    def false_keys(self) -> list[str]:
        return [v.key for v in self.verdicts if v.false]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")


DEFAULT_SCALE = VerdictScale(
    name="default",
    verdicts=[
        Verdict(key="true", label="True", rating=5),
        Verdict(key="mostly-true", label="Mostly true", rating=4),
        Verdict(key="mixed", label="Mixed", rating=3),
        Verdict(key="mostly-false", label="Mostly false", rating=2, false=True),
        Verdict(key="false", label="False", rating=1, false=True),
        Verdict(key="unproven", label="Unproven", rating=None),
        Verdict(key="not-checkable", label="Not checkable", rating=None),
    ],
)


@lru_cache(maxsize=8)
def _load_file(path: Path, mtime: float) -> VerdictScale:
    try:
        return VerdictScale.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, ValidationError) as exc:
        raise ConfigError(f"verdict scale is invalid: {exc}", location=str(path)) from exc


def load_scale(path: Path | None) -> VerdictScale:
    """The scale from FACTCHECK_VERDICT_SCALE_FILE, or the default one."""
    if path is None:
        return DEFAULT_SCALE
    if not path.is_file():
        raise ConfigError("verdict scale file not found", location=str(path))
    return _load_file(path.resolve(), path.stat().st_mtime)
