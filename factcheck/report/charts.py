"""Small horizontal bar charts as geometry; templates draw them as inline SVG.

Only numbers and colours are computed here; labels go through the template's escaping.
"""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.report.model import OWN_VOICE, UNREVIEWED, Tally
from factcheck.verdicts import VerdictScale

RATING_COLOURS = {
    5: "#1a7f37",
    4: "#67a34a",
    3: "#c99a06",
    2: "#e0702c",
    1: "#c62828",
}
NO_RATING = "#7d8590"
UNREVIEWED_COLOUR = "#c9d1d9"
TYPE_COLOURS = {
    "official": "#3867d6",
    "expert": "#8854d0",
    "media": "#0f8b8d",
    "organization": "#b06d1f",
    "witness": "#d6336c",
    "unknown": "#7d8590",
    OWN_VOICE: "#444c56",
}

ROW = 22
LABEL_W = 150
BAR_W = 220
COUNT_W = 40


@dataclass(slots=True)
class Bar:
    label: str
    count: int
    width: float
    colour: str
    y: int


@dataclass(slots=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_w: int = LABEL_W
    bar_w: int = BAR_W
    row: int = ROW


def verdict_colour(key: str, scale: VerdictScale) -> str:
    if key == UNREVIEWED:
        return UNREVIEWED_COLOUR
    for v in scale.verdicts:
        if v.key == key:
            if v.rating is None:
                return NO_RATING
            # Normalise onto 1..5 so a scale with other bounds still reads red→green.
            span = max(scale.best - scale.worst, 1)
            step = round(1 + 4 * (v.rating - scale.worst) / span)
            return RATING_COLOURS.get(step, NO_RATING)
    return NO_RATING


def bar_chart(title: str, tallies: list[Tally], colours: dict[str, str]) -> Chart:
    """Bars scaled to the largest count; empty categories are left out to stay small."""
    shown = [t for t in tallies if t.count]
    top = max((t.count for t in shown), default=0)
    bars = [
        Bar(
            label=t.label,
            count=t.count,
            width=round(BAR_W * t.count / top, 1) if top else 0.0,
            colour=colours.get(t.key, NO_RATING),
            y=i * ROW,
        )
        for i, t in enumerate(shown)
    ]
    return Chart(
        title=title,
        bars=bars,
        width=LABEL_W + BAR_W + COUNT_W,
        height=max(len(bars), 1) * ROW,
    )


def verdict_chart(tallies: list[Tally], scale: VerdictScale) -> Chart:
    return bar_chart("Verdicts", tallies, {t.key: verdict_colour(t.key, scale) for t in tallies})


def source_type_chart(tallies: list[Tally]) -> Chart:
    return bar_chart("Claims by source type", tallies, TYPE_COLOURS)
